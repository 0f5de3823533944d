"""Shared checks, the case row's compare-and-swap, and the records of a case."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.accounts.models import CASE_ROLES, MemberOrganization, User
from waypoint.accounts.selectors import memberships_active
from waypoint.accounts.services import audit_event_record
from waypoint.cases.documents import EXTENSIONS, document_read_checked
from waypoint.cases.models import (
    AssistanceSession,
    Case,
    CaseEvent,
    CaseStatus,
    Consent,
    ConsentScope,
    DataCategory,
    Document,
    Identification,
    Indicator,
    IndicatorAnswer,
    NeedsAssessment,
    Note,
    ProtectionNeed,
    ReflectionDecision,
    ReflectionPeriod,
    RightsInformation,
    RightsItem,
    RiskAssessment,
    SpecialMeasure,
    Stage,
    Task,
)
from waypoint.cases.selectors import cases_visible_to, may_supervise
from waypoint.cases.signals import consent_replaced
from waypoint.directory.models import Organization
from waypoint.lib.errors import ConcurrentUpdateError, choices_validate

DEFAULT_REFLECTION_DAYS = 30


class CaseChangedError(ConcurrentUpdateError):
    """The case changed since it was read; reload it and try again."""

    message = gettext_lazy(
        "Someone else changed this case since you opened it. Reload the "
        "page and try again."
    )


# --- Checks and audit ---


def case_roles_in(actor: User, organization: MemberOrganization) -> set[str]:
    return set(
        memberships_active(actor)
        .filter(organization=organization, role__in=CASE_ROLES)
        .values_list("role", flat=True)
    )


def require_case_access(actor: User, case: Case) -> None:
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("The case is closed: reopen it first."), code="closed")


def case_audit_record(
    actor: User,
    action: str,
    case: Case,
    record: models.Model | None = None,
    **extra: Any,
) -> None:
    details: dict[str, Any] = dict(extra)
    if record is not None:
        details["record"] = record._meta.label_lower
        details["id"] = record.pk
    audit_event_record(
        actor=actor,
        action=action,
        target=case,
        organization=case.organization,
        details=details,
    )


def reflection_period_days(country: str) -> int:
    """The default length of the recovery and reflection period in ``country``.

    ``WAYPOINT_REFLECTION_PERIOD_DAYS`` maps country codes to days (national
    law differs: e.g. 90 days in Romania); other countries get 30 days, the
    minimum of Directive 2004/81/EC.
    """
    by_country: dict[str, int] = getattr(
        settings, "WAYPOINT_REFLECTION_PERIOD_DAYS", {}
    )
    return int(by_country.get(country, DEFAULT_REFLECTION_DAYS))


# --- The case row: compare-and-swap on version ---


def _case_swap(
    *, actor: User, case: Case, kind: str, data: dict[str, Any], **fields: Any
) -> Case:
    """Write ``fields`` if the case is still at ``case.version``; log the event."""
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(
        **fields, version=F("version") + 1
    )
    if updated != 1:
        raise CaseChangedError
    for name, value in fields.items():
        setattr(case, name, value)
    case.version += 1
    CaseEvent.objects.create(case=case, actor=actor, kind=kind, data=data)
    case_audit_record(actor, "case.changed", case, fields=sorted(fields), event=kind)
    return case


@transaction.atomic
def case_stage_set(*, actor: User, case: Case, stage: str) -> Case:
    require_case_access(actor, case)
    _require_open(case)
    choices_validate([stage], Stage)
    return _case_swap(
        actor=actor, case=case, kind="stage", data={"stage": stage}, stage=stage
    )


@transaction.atomic
def case_close(*, actor: User, case: Case, reason: str) -> Case:
    require_case_access(actor, case)
    _require_open(case)
    from waypoint.cases.models import ClosureReason

    choices_validate([reason], ClosureReason)
    return _case_swap(
        actor=actor,
        case=case,
        kind="closed",
        data={"reason": reason},
        status=CaseStatus.CLOSED,
        closed_at=timezone.now(),
        closure_reason=reason,
    )


@transaction.atomic
def case_reopen(*, actor: User, case: Case) -> Case:
    require_case_access(actor, case)
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("The case is already open."), code="open")
    return _case_swap(
        actor=actor,
        case=case,
        kind="reopened",
        data={},
        status=CaseStatus.OPEN,
        closed_at=None,
        closure_reason="",
    )


@transaction.atomic
def case_assign(*, actor: User, case: Case, staff: Sequence[User]) -> Case:
    """Set who works on the case; supervisors of its organisation only."""
    if not may_supervise(actor, case):
        raise PermissionDenied
    require_staff(case.organization, staff)
    _case_swap(
        actor=actor,
        case=case,
        kind="assigned",
        data={"staff": sorted(user.pk for user in staff)},
    )
    case.assigned.set(staff)
    return case


def require_staff(organization: MemberOrganization, staff: Sequence[User]) -> None:
    for user in staff:
        if not case_roles_in(user, organization):
            raise ValidationError(
                _(
                    "Only caseworkers and supervisors of the organisation can work on "
                    "its cases."
                ),
                code="not_staff",
            )


# --- Identification and assessments ---


@transaction.atomic
def identification_record(
    *,
    actor: User,
    case: Case,
    status: str,
    decided_on: datetime.date,
    indicator_codes: Iterable[str],
    authority: Organization | None = None,
    notes: str = "",
) -> Identification:
    require_case_access(actor, case)
    _require_open(case)
    codes = list(dict.fromkeys(indicator_codes))
    indicators = list(Indicator.objects.filter(code__in=codes, is_active=True))
    if len(indicators) != len(codes):
        raise ValidationError(_("Unknown indicator."), code="invalid_indicator")
    identification = Identification(
        case=case,
        status=status,
        decided_on=decided_on,
        authority=authority,
        notes=notes,
        recorded_by=actor,
    )
    identification.full_clean(exclude=["case", "recorded_by", "authority"])
    identification.save()
    IndicatorAnswer.objects.bulk_create(
        [
            IndicatorAnswer(identification=identification, indicator=i)
            for i in indicators
        ]
    )
    case_audit_record(
        actor,
        "case.identification_recorded",
        case,
        identification,
        indicators=len(indicators),
    )
    return identification


@transaction.atomic
def needs_assessment_record(
    *,
    actor: User,
    case: Case,
    assessed_on: datetime.date,
    protection_needs: Iterable[str],
    special_measures: Iterable[str],
    notes: str = "",
) -> NeedsAssessment:
    """A new assessment (a revision never edits the earlier one)."""
    require_case_access(actor, case)
    _require_open(case)
    assessment = NeedsAssessment.objects.create(
        case=case,
        assessed_on=assessed_on,
        protection_needs=choices_validate(protection_needs, ProtectionNeed),
        special_measures=choices_validate(special_measures, SpecialMeasure),
        notes=notes,
        recorded_by=actor,
    )
    case_audit_record(actor, "case.needs_assessed", case, assessment)
    return assessment


@transaction.atomic
def rights_information_record(
    *,
    actor: User,
    case: Case,
    given_on: datetime.date,
    items: Iterable[str],
    language: str,
    interpreter: str = "",
) -> RightsInformation:
    require_case_access(actor, case)
    record = RightsInformation.objects.create(
        case=case,
        given_on=given_on,
        items=choices_validate(items, RightsItem),
        language=language,
        interpreter=interpreter,
        recorded_by=actor,
    )
    case_audit_record(actor, "case.rights_informed", case, record)
    return record


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    case: Case,
    assessed_on: datetime.date,
    level: str,
    safety_plan: str = "",
) -> RiskAssessment:
    """A new risk assessment; the case's risk level follows it."""
    require_case_access(actor, case)
    _require_open(case)
    assessment = RiskAssessment(
        case=case,
        assessed_on=assessed_on,
        level=level,
        safety_plan=safety_plan,
        recorded_by=actor,
    )
    assessment.full_clean(exclude=["case", "recorded_by"])
    assessment.save()
    case_audit_record(actor, "case.risk_assessed", case, assessment)
    if case.risk_level != level:
        _case_swap(
            actor=actor, case=case, kind="risk", data={"level": level}, risk_level=level
        )
    return assessment


@transaction.atomic
def reflection_period_start(
    *,
    actor: User,
    case: Case,
    starts_on: datetime.date,
    country: str = "",
    days: int | None = None,
) -> ReflectionPeriod:
    """Start the period; its end defaults to the length set for the country."""
    require_case_access(actor, case)
    _require_open(case)
    country = country or case.organization.organization.country
    if not country:
        raise ValidationError(_("Choose the country."), code="required")
    length = days if days is not None else reflection_period_days(country)
    if length < 1:
        raise ValidationError(_("The period lasts at least one day."), code="length")
    period = ReflectionPeriod.objects.create(
        case=case,
        country=country,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=length),
        recorded_by=actor,
    )
    case_audit_record(actor, "case.reflection_started", case, period, days=length)
    return period


@transaction.atomic
def reflection_period_decide(
    *, actor: User, period: ReflectionPeriod, decision: str, decided_on: datetime.date
) -> ReflectionPeriod:
    case = period.case
    require_case_access(actor, case)
    choices_validate([decision], ReflectionDecision)
    if decision == ReflectionDecision.PENDING:
        raise ValidationError(_("Choose a decision."), code="required")
    ReflectionPeriod.objects.filter(pk=period.pk).update(
        decision=decision, decided_on=decided_on
    )
    period.decision, period.decided_on = decision, decided_on
    case_audit_record(actor, "case.reflection_decided", case, period, decision=decision)
    return period


# --- Assistance, proceedings, compensation ---


@transaction.atomic
def session_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    held_on: datetime.date,
    duration_minutes: int,
    staff: User | None = None,
    notes: str = "",
) -> AssistanceSession:
    require_case_access(actor, case)
    _require_open(case)
    staff = staff or actor
    require_staff(case.organization, [staff])
    session = AssistanceSession(
        case=case,
        kind=kind,
        held_on=held_on,
        duration_minutes=duration_minutes,
        staff=staff,
        notes=notes,
        recorded_by=actor,
    )
    session.full_clean(exclude=["case", "staff", "recorded_by"])
    if duration_minutes < 1:
        raise ValidationError(_("Enter the duration in minutes."), code="duration")
    session.save()
    case_audit_record(actor, "case.session_recorded", case, session)
    return session


# --- Consent (append-only) ---


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    scope: str,
    method: str,
    given_on: datetime.date,
    data_categories: Iterable[str] = (),
    recipient: Organization | None = None,
    replaces: Consent | None = None,
    granted: bool = True,
) -> Consent:
    """A new consent record; with ``replaces`` it changes or withdraws an earlier
    one, which stays as it was (the database refuses any UPDATE of a consent)."""
    require_case_access(actor, case)
    choices_validate([scope], ConsentScope)
    if scope == ConsentScope.SHARING and recipient is None:
        raise ValidationError(
            _("Name the organisation the data may be shared with."), code="recipient"
        )
    if replaces is not None:
        if replaces.case_id != case.pk:
            raise PermissionDenied
        if Consent.objects.filter(replaces=replaces).exists():
            raise ValidationError(
                _("This consent was already changed or withdrawn."), code="replaced"
            )
    consent = Consent(
        person=case.person,
        case=case,
        scope=scope,
        recipient=recipient,
        data_categories=choices_validate(data_categories, DataCategory),
        granted=granted,
        method=method,
        given_on=given_on,
        replaces=replaces,
        recorded_by=actor,
    )
    consent.full_clean(
        exclude=["person", "case", "recipient", "replaces", "recorded_by"]
    )
    consent.save()
    case_audit_record(
        actor,
        "case.consent_recorded" if granted else "case.consent_withdrawn",
        case,
        consent,
        scope=scope,
        replaces=replaces.pk if replaces else None,
    )
    if replaces is not None:
        # A withdrawal, or a change that no longer covers what was sent,
        # withdraws the open referrals the earlier consent allowed.
        consent_replaced.send(
            sender=Consent, actor=actor, consent=replaces, replacement=consent
        )
    return consent


def consent_withdraw(
    *, actor: User, consent: Consent, method: str, withdrawn_on: datetime.date
) -> Consent:
    """Withdraw a consent: a new row that replaces it with ``granted=False``."""
    return consent_record(
        actor=actor,
        case=consent.case,
        scope=consent.scope,
        method=method,
        given_on=withdrawn_on,
        data_categories=consent.data_categories,
        recipient=consent.recipient,
        replaces=consent,
        granted=False,
    )


# --- Documents, notes, tasks ---


@transaction.atomic
def document_add(
    *, actor: User, case: Case, kind: str, title: str, upload: UploadedFile[bytes]
) -> Document:
    """Store a file encrypted; only PDF, JPEG, PNG and DOCX of at most 10 MB."""
    require_case_access(actor, case)
    data, content_type = document_read_checked(upload)
    document = Document(
        case=case,
        kind=kind,
        title=title.strip() or _("Untitled"),
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
    document.full_clean(exclude=["case", "file", "uploaded_by"])
    document.file.save(
        f"document{EXTENSIONS[content_type]}", ContentFile(data), save=False
    )
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    case_audit_record(actor, "case.document_added", case, document, size=len(data))
    return document


@transaction.atomic
def note_add(*, actor: User, case: Case, text: str) -> Note:
    require_case_access(actor, case)
    if not text.strip():
        raise ValidationError(_("Write the note."), code="required")
    note = Note.objects.create(case=case, text=text, author=actor)
    case_audit_record(actor, "case.note_added", case, note)
    return note


@transaction.atomic
def task_create(
    *, actor: User, case: Case, title: str, due_on: datetime.date, assignee: User
) -> Task:
    require_case_access(actor, case)
    require_staff(case.organization, [assignee])
    if not title.strip():
        raise ValidationError(_("Describe the task."), code="required")
    task = Task.objects.create(
        case=case, title=title, due_on=due_on, assignee=assignee, created_by=actor
    )
    case_audit_record(actor, "case.task_created", case, task, assignee=assignee.pk)
    return task


@transaction.atomic
def task_done(*, actor: User, task: Task) -> Task:
    require_case_access(actor, task.case)
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        case_audit_record(actor, "case.task_done", task.case, task)
    return task


@transaction.atomic
def document_read(*, actor: User, document: Document) -> bytes:
    """The decrypted content; the read is audited like a read of the case."""
    require_case_access(actor, document.case)
    with document.file.open("rb") as handle:
        data: bytes = handle.read()
    case_audit_record(actor, "case.document_read", document.case, document)
    return data
