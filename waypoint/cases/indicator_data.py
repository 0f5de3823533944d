"""The ILO/EC operational indicators of trafficking in human beings.

Source: ILO and European Commission, "Operational indicators of trafficking in
human beings", results of a Delphi survey (2009), the list for adult victims.
Each indicator belongs to one dimension and has a strength; a person is
presumed a victim when the combination of answers meets the threshold the
organisation's procedure sets (the checklist records, it does not decide).

Codes are stable: answers refer to them. Texts are marked for translation.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class IndicatorDef(NamedTuple):
    code: str
    dimension: str
    strength: str
    text: Promise


DECEPTIVE = "deceptive_recruitment"
COERCIVE = "coercive_recruitment"
VULNERABILITY_RECRUITMENT = "abuse_of_vulnerability_recruitment"
CONDITIONS = "exploitative_conditions"
COERCION_DESTINATION = "coercion_at_destination"
VULNERABILITY_DESTINATION = "abuse_of_vulnerability_destination"

STRONG = "strong"
MEDIUM = "medium"
WEAK = "weak"

INDICATORS: tuple[IndicatorDef, ...] = (
    # Deceptive recruitment
    IndicatorDef(
        "dr-job",
        DECEPTIVE,
        STRONG,
        _("Deceived about the nature of the job, location or employer"),
    ),
    IndicatorDef(
        "dr-conditions", DECEPTIVE, MEDIUM, _("Deceived about conditions of work")
    ),
    IndicatorDef(
        "dr-contract",
        DECEPTIVE,
        MEDIUM,
        _("Deceived about content or legality of the work contract"),
    ),
    IndicatorDef(
        "dr-family", DECEPTIVE, MEDIUM, _("Deceived about family reunification")
    ),
    IndicatorDef(
        "dr-housing",
        DECEPTIVE,
        MEDIUM,
        _("Deceived about housing and living conditions"),
    ),
    IndicatorDef(
        "dr-documents",
        DECEPTIVE,
        MEDIUM,
        _("Deceived about legal documentation or obtaining legal migrant status"),
    ),
    IndicatorDef(
        "dr-travel",
        DECEPTIVE,
        MEDIUM,
        _("Deceived about travel and recruitment conditions"),
    ),
    IndicatorDef("dr-wages", DECEPTIVE, MEDIUM, _("Deceived about wages or earnings")),
    IndicatorDef(
        "dr-marriage",
        DECEPTIVE,
        MEDIUM,
        _("Deceived through promises of marriage or adoption"),
    ),
    IndicatorDef(
        "dr-education",
        DECEPTIVE,
        WEAK,
        _("Deceived about access to education opportunities"),
    ),
    # Coercive recruitment
    IndicatorDef("cr-violence", COERCIVE, STRONG, _("Violence on the person")),
    IndicatorDef(
        "cr-abduction",
        COERCIVE,
        MEDIUM,
        _("Abduction, forced marriage, forced adoption or selling of the person"),
    ),
    IndicatorDef("cr-documents", COERCIVE, MEDIUM, _("Confiscation of documents")),
    IndicatorDef("cr-debt", COERCIVE, MEDIUM, _("Debt bondage")),
    IndicatorDef(
        "cr-isolation", COERCIVE, MEDIUM, _("Isolation, confinement or surveillance")
    ),
    IndicatorDef(
        "cr-denunciation", COERCIVE, MEDIUM, _("Threat of denunciation to authorities")
    ),
    IndicatorDef(
        "cr-worse",
        COERCIVE,
        MEDIUM,
        _("Threat to impose even worse working conditions"),
    ),
    IndicatorDef(
        "cr-threats", COERCIVE, MEDIUM, _("Threats of violence against the person")
    ),
    IndicatorDef(
        "cr-family-violence",
        COERCIVE,
        MEDIUM,
        _("Violence on family (threats or effective)"),
    ),
    IndicatorDef("cr-money", COERCIVE, MEDIUM, _("Withholding of money")),
    IndicatorDef(
        "cr-inform", COERCIVE, WEAK, _("Threats to inform family, community or public")
    ),
    # Recruitment by abuse of vulnerability
    IndicatorDef(
        "vr-family",
        VULNERABILITY_RECRUITMENT,
        MEDIUM,
        _("Abuse of a difficult family situation"),
    ),
    IndicatorDef(
        "vr-status", VULNERABILITY_RECRUITMENT, MEDIUM, _("Abuse of irregular status")
    ),
    IndicatorDef(
        "vr-education",
        VULNERABILITY_RECRUITMENT,
        MEDIUM,
        _("Abuse of lack of education (language)"),
    ),
    IndicatorDef(
        "vr-information",
        VULNERABILITY_RECRUITMENT,
        MEDIUM,
        _("Abuse of lack of information"),
    ),
    IndicatorDef(
        "vr-control", VULNERABILITY_RECRUITMENT, MEDIUM, _("Control by the exploiters")
    ),
    IndicatorDef(
        "vr-economic", VULNERABILITY_RECRUITMENT, MEDIUM, _("Economic reasons")
    ),
    IndicatorDef(
        "vr-law",
        VULNERABILITY_RECRUITMENT,
        MEDIUM,
        _("False information about the law or the attitude of authorities"),
    ),
    IndicatorDef(
        "vr-migration",
        VULNERABILITY_RECRUITMENT,
        MEDIUM,
        _("False information about successful migration"),
    ),
    IndicatorDef(
        "vr-dependency",
        VULNERABILITY_RECRUITMENT,
        MEDIUM,
        _("Psychological and emotional dependency"),
    ),
    IndicatorDef(
        "vr-authorities",
        VULNERABILITY_RECRUITMENT,
        MEDIUM,
        _("Relationship with authorities or legal status"),
    ),
    IndicatorDef(
        "vr-personal", VULNERABILITY_RECRUITMENT, WEAK, _("Personal situation")
    ),
    IndicatorDef("vr-context", VULNERABILITY_RECRUITMENT, WEAK, _("General context")),
    # Exploitative conditions of work
    IndicatorDef("ec-hours", CONDITIONS, STRONG, _("Excessive working days or hours")),
    IndicatorDef("ec-living", CONDITIONS, MEDIUM, _("Bad living conditions")),
    IndicatorDef("ec-hazardous", CONDITIONS, MEDIUM, _("Hazardous work")),
    IndicatorDef("ec-salary", CONDITIONS, MEDIUM, _("Low or no salary")),
    IndicatorDef(
        "ec-labour-law",
        CONDITIONS,
        MEDIUM,
        _("No respect of labour laws or of the contract signed"),
    ),
    IndicatorDef(
        "ec-protection",
        CONDITIONS,
        MEDIUM,
        _("No social protection (contract, social insurance, etc.)"),
    ),
    IndicatorDef("ec-very-bad", CONDITIONS, MEDIUM, _("Very bad working conditions")),
    IndicatorDef("ec-wage-manipulation", CONDITIONS, MEDIUM, _("Wage manipulation")),
    IndicatorDef("ec-education", CONDITIONS, WEAK, _("No access to education")),
    # Coercion at destination
    IndicatorDef(
        "cd-documents", COERCION_DESTINATION, STRONG, _("Confiscation of documents")
    ),
    IndicatorDef("cd-debt", COERCION_DESTINATION, STRONG, _("Debt bondage")),
    IndicatorDef(
        "cd-isolation",
        COERCION_DESTINATION,
        STRONG,
        _("Isolation, confinement or surveillance"),
    ),
    IndicatorDef(
        "cd-violence", COERCION_DESTINATION, STRONG, _("Violence on the person")
    ),
    IndicatorDef(
        "cd-illicit",
        COERCION_DESTINATION,
        MEDIUM,
        _("Forced into illicit or criminal activities"),
    ),
    IndicatorDef(
        "cd-tasks", COERCION_DESTINATION, MEDIUM, _("Forced tasks or clients")
    ),
    IndicatorDef(
        "cd-peers", COERCION_DESTINATION, MEDIUM, _("Forced to act against peers")
    ),
    IndicatorDef(
        "cd-lie",
        COERCION_DESTINATION,
        MEDIUM,
        _("Forced to lie to authorities, family or others"),
    ),
    IndicatorDef(
        "cd-denunciation",
        COERCION_DESTINATION,
        MEDIUM,
        _("Threat of denunciation to authorities"),
    ),
    IndicatorDef(
        "cd-worse",
        COERCION_DESTINATION,
        MEDIUM,
        _("Threat to impose even worse working conditions"),
    ),
    IndicatorDef(
        "cd-threats",
        COERCION_DESTINATION,
        MEDIUM,
        _("Threats of violence against the person"),
    ),
    IndicatorDef(
        "cd-influence", COERCION_DESTINATION, MEDIUM, _("Under strong influence")
    ),
    IndicatorDef(
        "cd-family-violence",
        COERCION_DESTINATION,
        MEDIUM,
        _("Violence on family (threats or effective)"),
    ),
    IndicatorDef("cd-wages", COERCION_DESTINATION, MEDIUM, _("Withholding of wages")),
    IndicatorDef(
        "cd-inform",
        COERCION_DESTINATION,
        WEAK,
        _("Threats to inform family, community or public"),
    ),
    # Abuse of vulnerability at destination
    IndicatorDef(
        "vd-dependency",
        VULNERABILITY_DESTINATION,
        MEDIUM,
        _("Dependency on exploiters"),
    ),
    IndicatorDef(
        "vd-unknown-area",
        VULNERABILITY_DESTINATION,
        MEDIUM,
        _("Difficulty to live in an unknown area"),
    ),
    IndicatorDef(
        "vd-economic", VULNERABILITY_DESTINATION, MEDIUM, _("Economic reasons")
    ),
    IndicatorDef("vd-family", VULNERABILITY_DESTINATION, MEDIUM, _("Family situation")),
    IndicatorDef(
        "vd-authorities",
        VULNERABILITY_DESTINATION,
        MEDIUM,
        _("Relationship with authorities or legal status"),
    ),
    IndicatorDef(
        "vd-past", VULNERABILITY_DESTINATION, WEAK, _("Difficulties in the past")
    ),
    IndicatorDef(
        "vd-negotiate",
        VULNERABILITY_DESTINATION,
        WEAK,
        _("Difficulty to negotiate working conditions"),
    ),
    IndicatorDef(
        "vd-personal", VULNERABILITY_DESTINATION, WEAK, _("Personal characteristics")
    ),
)

INDICATOR_TEXTS: dict[str, Promise] = {item.code: item.text for item in INDICATORS}
