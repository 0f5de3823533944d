"""Cases, their identification and assessments."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.cases import indicator_data as ind
from waypoint.cases.models.base import USER, AppendOnly
from waypoint.cases.models.people import Person
from waypoint.lib.countries import COUNTRY_CHOICES
from waypoint.lib.crypto import EncryptedTextField

# --- Cases ---


class CaseType(models.TextChoices):
    THB_SEXUAL = "thb_sexual", _("trafficking: sexual exploitation")
    THB_LABOUR = "thb_labour", _("trafficking: labour exploitation")
    THB_BEGGING = "thb_begging", _("trafficking: forced begging")
    THB_CRIMINAL = "thb_criminal", _("trafficking: forced criminal activities")
    THB_SERVITUDE = "thb_servitude", _("trafficking: domestic servitude")
    THB_MARRIAGE = "thb_marriage", _("trafficking: forced or sham marriage")
    THB_ORGANS = "thb_organs", _("trafficking: removal of organs")
    THB_OTHER = "thb_other", _("trafficking: other form of exploitation")
    VAW = "vaw", _("violence against women")
    OTHER_CRIME = "other_crime", _("other crime")
    ASYLUM = "asylum", _("asylum and migration")


class Stage(models.TextChoices):
    IDENTIFICATION = "identification", _("identification")
    FIRST_ASSISTANCE = "first_assistance", _("first assistance and protection")
    LONG_TERM = "long_term", _("long-term assistance and social inclusion")
    RETURN = "return", _("return and reintegration")
    PROCEEDINGS = "proceedings", _("criminal and civil proceedings")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class RiskLevel(models.TextChoices):
    UNKNOWN = "unknown", _("not assessed")
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("assistance goals met")
    DECLINED = "declined", _("the person declined further assistance")
    REFERRED = "referred", _("referred to another organisation")
    RELOCATED = "relocated", _("the person moved or returned")
    LOST_CONTACT = "lost_contact", _("contact lost")
    OTHER = "other", _("other reason")


class Case(models.Model):
    """The assistance a member organisation gives one person for one situation.

    State changes go through services with a compare-and-swap on ``version``:
    two people saving the same case at once cannot overwrite each other.
    """

    organization = models.ForeignKey(
        "accounts.MemberOrganization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    code = models.CharField(_("case code"), max_length=40, editable=False)
    case_type = models.CharField(_("type"), max_length=16, choices=CaseType.choices)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFICATION
    )
    status = models.CharField(
        _("status"), max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    assigned: models.ManyToManyField[User, Any] = models.ManyToManyField(
        USER, verbose_name=_("assigned staff"), related_name="assigned_cases"
    )
    country_of_origin = models.CharField(
        _("country of origin"), max_length=2, choices=COUNTRY_CHOICES, blank=True
    )
    transit_countries = models.JSONField(
        _("countries of transit"), default=list, blank=True
    )
    country_of_destination = models.CharField(
        _("country of destination"), max_length=2, choices=COUNTRY_CHOICES, blank=True
    )
    cross_border = models.BooleanField(_("cross-border"), default=False)
    risk_level = models.CharField(
        _("risk level"),
        max_length=8,
        choices=RiskLevel.choices,
        default=RiskLevel.UNKNOWN,
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"),
        max_length=16,
        choices=ClosureReason.choices,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status", "opened_at"]),
            # "My cases", newest first: walked backwards, a page stops early.
            models.Index(fields=["opened_at", "id"], name="cases_case_opened_idx"),
            # Casework statistics of a year: everything they group by is in
            # the index, so the count never reads the (encrypted) rows.
            models.Index(
                fields=["organization", "opened_at", "case_type", "person"],
                name="cases_case_stats_idx",
            ),
            # Assistance statistics group each year's sessions by person: in
            # this order they stream, without sorting half a million rows.
            models.Index(
                fields=["organization", "person"], name="cases_case_org_person_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="cases_case_code_once"
            )
        ]

    def __str__(self) -> str:
        return self.code


class CaseEvent(AppendOnly):
    """A change of a case's own fields (stage, status, risk, assignment).

    The timeline reads these with the other records; the audit log keeps who
    read and changed what, this keeps what the case went through.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    # Codes only (choice values, user ids): never free text about the person.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


# --- Identification ---


class Dimension(models.TextChoices):
    DECEPTIVE = ind.DECEPTIVE, _("deceptive recruitment")
    COERCIVE = ind.COERCIVE, _("coercive recruitment")
    VULNERABILITY_RECRUITMENT = (
        ind.VULNERABILITY_RECRUITMENT,
        _("recruitment by abuse of vulnerability"),
    )
    CONDITIONS = ind.CONDITIONS, _("exploitative conditions of work")
    COERCION_DESTINATION = ind.COERCION_DESTINATION, _("coercion at destination")
    VULNERABILITY_DESTINATION = (
        ind.VULNERABILITY_DESTINATION,
        _("abuse of vulnerability at destination"),
    )


class Strength(models.TextChoices):
    STRONG = ind.STRONG, _("strong")
    MEDIUM = ind.MEDIUM, _("medium")
    WEAK = ind.WEAK, _("weak")


class Indicator(models.Model):
    """One operational indicator of trafficking (kept in step by indicators.py)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    dimension = models.CharField(
        _("dimension"), max_length=40, choices=Dimension.choices
    )
    strength = models.CharField(_("strength"), max_length=8, choices=Strength.choices)
    text = models.CharField(_("indicator"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """The text in the active language (the list in code is translated)."""
        return str(ind.INDICATOR_TEXTS.get(self.code, self.text))


class IdentificationStatus(models.TextChoices):
    NOT_IDENTIFIED = "not_identified", _("indicators insufficient")
    PRESUMED = "presumed", _("presumed victim")
    REASONABLE_GROUNDS = "reasonable_grounds", _("reasonable grounds decision")
    FORMAL = "formal", _("formally identified")


class Identification(AppendOnly):
    """One pass through the indicator checklist and the status it supports.

    A later identification (reasonable grounds, formal) is a new row.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="identifications"
    )
    status = models.CharField(
        _("identification status"),
        max_length=20,
        choices=IdentificationStatus.choices,
    )
    decided_on = models.DateField(_("date of the decision"))
    authority = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("deciding authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("identification")
        verbose_name_plural = _("identifications")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


class IndicatorAnswer(AppendOnly):
    identification = models.ForeignKey(
        Identification, on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identification", "indicator"], name="cases_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identification_id}: {self.indicator_id}"


# --- Assessments (Directive 2012/29/EU) ---


class ProtectionNeed(models.TextChoices):
    SECONDARY = "secondary_victimisation", _("risk of secondary victimisation")
    REPEAT = "repeat_victimisation", _("risk of repeat victimisation")
    INTIMIDATION = "intimidation", _("risk of intimidation")
    RETALIATION = "retaliation", _("risk of retaliation")


class SpecialMeasure(models.TextChoices):
    PREMISES = "premises", _("interviews in premises designed for the purpose")
    TRAINED = "trained", _("interviews by trained professionals")
    SAME_PERSON = "same_person", _("all interviews by the same person")
    SAME_SEX = "same_sex", _("interviewer of the same sex, if wished")
    NO_CONTACT = "no_visual_contact", _("no visual contact with the offender")
    REMOTE = "remote_hearing", _("heard without being present in the courtroom")
    PRIVATE_LIFE = "private_life", _("no unnecessary questions about private life")
    CLOSED_HEARING = "closed_hearing", _("hearing without the public")


class NeedsAssessment(AppendOnly):
    """An individual assessment (art. 22); a revision is a new row."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="needs_assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    protection_needs = models.JSONField(_("protection needs"), default=list)
    special_measures = models.JSONField(_("special measures"), default=list)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.assessed_on}"


class RightsItem(models.TextChoices):
    SUPPORT = "support", _("the support available and who provides it")
    COMPLAINT = "complaint", _("how to report a crime")
    PROTECTION = "protection", _("how to obtain protection")
    LEGAL_AID = "legal_aid", _("access to legal advice and legal aid")
    COMPENSATION = "compensation", _("how to obtain compensation")
    INTERPRETATION = "interpretation", _("interpretation and translation")
    CROSS_BORDER = "cross_border", _("rights when resident in another Member State")
    COMPLAINTS = "complaints", _("complaints when rights are not respected")
    CONTACT = "contact", _("contact details for communications about the case")
    RESTORATIVE = "restorative", _("restorative justice services")
    EXPENSES = "expenses", _("reimbursement of expenses")


class RightsInformation(AppendOnly):
    """Information on rights given to the person (art. 4)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="rights_given"
    )
    given_on = models.DateField(_("given on"))
    items = models.JSONField(_("information given"), default=list)
    language = models.CharField(_("language"), max_length=8)
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("information on rights")
        verbose_name_plural = _("information on rights")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.given_on}"


class RiskAssessment(AppendOnly):
    """A risk assessment and its safety plan; a revision is a new row."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="risk_assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    safety_plan = EncryptedTextField(_("safety plan"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.level}"


class ReflectionDecision(models.TextChoices):
    PENDING = "pending", _("not decided yet")
    COOPERATE = "cooperate", _("cooperates with the authorities")
    DECLINE = "decline", _("does not cooperate")
    UNDECIDED = "undecided", _("period ended without a decision")


class ReflectionPeriod(models.Model):
    """The recovery and reflection period (default length by country)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reflection_periods"
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    decision = models.CharField(
        _("decision"),
        max_length=12,
        choices=ReflectionDecision.choices,
        default=ReflectionDecision.PENDING,
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recovery and reflection period")
        verbose_name_plural = _("recovery and reflection periods")
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.starts_on}–{self.ends_on}"
