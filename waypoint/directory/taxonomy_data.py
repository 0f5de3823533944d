"""Waypoint's published taxonomies as data, with names in every platform language."""

from __future__ import annotations

from dataclasses import dataclass, field

SERVICE_TYPE = "waypoint-service-type"
TARGET_GROUP = "waypoint-target-group"
CRIME_TYPE = "waypoint-crime-type"
ORGANIZATION_KIND = "waypoint-organization-kind"
AUTHORITY_ROLE = "waypoint-authority-role"


@dataclass(frozen=True)
class TermDef:
    code: str
    names: dict[str, str]
    parent: str = ""
    descriptions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TaxonomyDef:
    code: str
    name: str
    description: str
    link_entity: str  # the HSDS table its terms are attached to
    terms: tuple[TermDef, ...]


def _t(code: str, en: str, parent: str = "", **names: str) -> TermDef:
    return TermDef(code=code, names={"en": en, **names}, parent=parent)


TAXONOMIES: tuple[TaxonomyDef, ...] = (
    TaxonomyDef(
        code=SERVICE_TYPE,
        name="Waypoint service type",
        description="What a victim-support or justice service does.",
        link_entity="service",
        terms=(
            _t("legal-counselling", "Legal counselling"),
            _t("legal-representation", "Legal representation"),
            _t("social-counselling", "Social counselling"),
            _t("psychological-counselling", "Psychological counselling"),
            _t("medical-care", "Medical care"),
            _t("shelter", "Shelter"),
            _t("interpretation", "Interpretation"),
            _t("compensation-claims", "Compensation claims"),
            _t("hotline", "Hotline"),
            _t("police", "Police"),
            _t("prosecution", "Prosecution"),
            _t("court", "Court"),
            _t("labour-inspection", "Labour inspection"),
            _t("embassy-consulate", "Embassy or consulate"),
            _t("return-reintegration", "Return and reintegration"),
            _t("asylum-immigration", "Asylum and immigration"),
        ),
    ),
    TaxonomyDef(
        code=TARGET_GROUP,
        name="Waypoint target group",
        description="Who a service is for.",
        link_entity="service",
        terms=(
            _t("thb", "Victims of trafficking"),
            _t("thb-sexual", "Victims of trafficking for sexual exploitation", "thb"),
            _t("thb-labour", "Victims of trafficking for labour exploitation", "thb"),
            _t("thb-begging", "Victims of trafficking for forced begging", "thb"),
            _t(
                "thb-criminal",
                "Victims of trafficking for forced criminal activities",
                "thb",
            ),
            _t(
                "thb-domestic-servitude",
                "Victims of trafficking for domestic servitude",
                "thb",
            ),
            _t("thb-forced-marriage", "Victims of trafficking for forced marriage", "thb"),
            _t("thb-organ-removal", "Victims of trafficking for organ removal", "thb"),
            _t("women-violence", "Women victims of violence"),
            _t("children", "Children"),
            _t("asylum-seekers", "Asylum seekers"),
            _t("refugees", "Refugees"),
            _t("migrants", "Migrants"),
            _t("crime-victims", "Victims of crime in general"),
        ),
    ),
    TaxonomyDef(
        code=CRIME_TYPE,
        name="Waypoint crime type",
        description="The crimes a service or authority deals with.",
        link_entity="service",
        terms=(
            _t("trafficking", "Trafficking in human beings"),
            _t("domestic-violence", "Domestic violence"),
            _t("sexual-violence", "Sexual violence"),
            _t("gender-based-violence", "Gender-based violence"),
            _t("labour-exploitation", "Labour exploitation"),
            _t("hate-crime", "Hate crime"),
            _t("child-abuse", "Child abuse"),
            _t("violent-crime", "Violent crime"),
            _t("fraud", "Fraud"),
            _t("cybercrime", "Cybercrime"),
        ),
    ),
    TaxonomyDef(
        code=ORGANIZATION_KIND,
        name="Waypoint organisation kind",
        description="What kind of body an organisation is.",
        link_entity="organization",
        terms=(
            _t("ngo", "Non-governmental organisation"),
            _t("public-authority", "Public authority"),
            _t("court", "Court"),
            _t("prosecutors-office", "Prosecutor's office"),
            _t("police", "Police"),
            _t("bar-association", "Bar association"),
            _t("international-organization", "International organisation"),
            _t("network", "Network"),
            _t("academic", "University or research institute"),
            _t("business-association", "Business association"),
        ),
    ),
    TaxonomyDef(
        code=AUTHORITY_ROLE,
        name="Waypoint authority role",
        description=(
            "Roles an authority holds in victim protection, including under "
            "Council Directive 2004/80/EC on compensation to crime victims."
        ),
        link_entity="organization",
        terms=(
            _t("compensation-assisting", "Assisting authority (Directive 2004/80/EC)"),
            _t("compensation-deciding", "Deciding authority (Directive 2004/80/EC)"),
            _t("nrm-coordinator", "National referral mechanism coordinator"),
        ),
    ),
)
