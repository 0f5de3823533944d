"""Reads of case data, always scoped to the asking user.

A caseworker sees the cases assigned to them in their organisation, a
supervisor every case of their organisation, nobody else anything: not the
platform administrators, not the organisation administrators who are not
supervisors too. Every read of a person's data leaves an ``AuditEvent``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import AuditEvent, Role, User
from waypoint.accounts.selectors import AnyUser, memberships_active
from waypoint.accounts.services import audit_event_record
from waypoint.cases.models import (
    AssistanceSession,
    Case,
    CaseEvent,
    CaseStatus,
    CompensationClaim,
    Consent,
    Document,
    Identification,
    NeedsAssessment,
    Note,
    PossibleDuplicate,
    Proceeding,
    ReflectionDecision,
    ReflectionPeriod,
    RightsInformation,
    RiskAssessment,
    Task,
)

# How far ahead the caseworker's home shows deadlines.
DEADLINE_HORIZON_DAYS = 7


def _org_ids(user: AnyUser, role: str) -> QuerySet[Any, Any]:
    return memberships_active(user).filter(role=role).values("organization_id")


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    """The cases ``user`` may open: assigned ones (caseworker), all (supervisor)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    assigned = Case.assigned.through.objects.filter(user_id=user.pk).values("case_id")
    return Case.objects.filter(
        Q(organization__in=_org_ids(user, Role.SUPERVISOR))
        | Q(organization__in=_org_ids(user, Role.CASEWORKER), pk__in=assigned)
    )


def may_supervise(user: AnyUser, case: Case) -> bool:
    return (
        _org_ids(user, Role.SUPERVISOR)
        .filter(organization_id=case.organization_id)
        .exists()
    )


@transaction.atomic
def case_get_for_user(*, user: AnyUser, pk: int, purpose: str = "view") -> Case:
    """The case with its person, or 404; records the read in the audit log.

    ``purpose`` says what the read was for (``"view"``, ``"edit"``,
    ``"export"``) and goes into the audit row; it never holds personal data.
    """
    try:
        case = (
            cases_visible_to(user)
            .select_related("person", "organization__organization")
            .get(pk=pk)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    if not isinstance(user, User):  # cases_visible_to returned nothing then
        raise Http404
    audit_event_record(
        actor=user,
        action="case.read",
        target=case,
        organization=case.organization,
        details={"purpose": purpose},
    )
    return case


def case_list_for_user(
    *,
    user: AnyUser,
    status: str = "",
    case_type: str = "",
    stage: str = "",
    code: str = "",
) -> QuerySet[Case]:
    """Codes, types and stages only: nothing that identifies a person, no audit."""
    cases = cases_visible_to(user).only(
        "id", "code", "case_type", "stage", "status", "risk_level", "opened_at"
    )
    if status:
        cases = cases.filter(status=status)
    if case_type:
        cases = cases.filter(case_type=case_type)
    if stage:
        cases = cases.filter(stage=stage)
    if code:
        cases = cases.filter(code__icontains=code.strip())
    return cases.order_by("-opened_at", "-id")


def tasks_open_for_user(*, user: AnyUser) -> QuerySet[Task]:
    """The user's open tasks in cases they may still open, soonest first."""
    if not isinstance(user, User):
        return Task.objects.none()
    return (
        Task.objects.filter(
            assignee=user, done_at__isnull=True, case__in=cases_visible_to(user)
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


def reflection_deadlines_for_user(
    *, user: AnyUser, today: datetime.date | None = None
) -> QuerySet[ReflectionPeriod]:
    """Undecided reflection periods of open cases ending within the horizon
    (or already past), in the cases the user may open."""
    today = today or timezone.localdate()
    return (
        ReflectionPeriod.objects.filter(
            case__in=cases_visible_to(user).filter(status=CaseStatus.OPEN),
            decision=ReflectionDecision.PENDING,
            ends_on__lte=today + datetime.timedelta(days=DEADLINE_HORIZON_DAYS),
        )
        .select_related("case")
        .order_by("ends_on", "id")
    )


def case_access_log(*, user: AnyUser, case: Case) -> QuerySet[AuditEvent]:
    """Who read and changed the case, for its organisation's supervisors only."""
    if not may_supervise(user, case):
        raise Http404
    return AuditEvent.objects.filter(
        target_type=Case._meta.label_lower, target_id=str(case.pk)
    ).select_related("actor")


# --- The timeline ---


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str
    label: str
    actor: User | None
    on: datetime.date | None = None


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """Everything recorded in the case, newest first, derived from its records.

    Call it only with a case from :func:`case_get_for_user` (the read is
    audited there). Labels name types and statuses, never free text.
    """
    entries: list[TimelineEntry] = []
    for event in CaseEvent.objects.filter(case=case).select_related("actor"):
        entries.append(
            TimelineEntry(event.at, "event", _event_label(event), event.actor)
        )
    for ident in Identification.objects.filter(case=case).select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                ident.recorded_at,
                "identification",
                _("Identification: %(status)s")
                % {"status": ident.get_status_display()},
                ident.recorded_by,
                ident.decided_on,
            )
        )
    for needs in NeedsAssessment.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                needs.recorded_at,
                "needs",
                _("Individual needs assessment"),
                needs.recorded_by,
                needs.assessed_on,
            )
        )
    for rights in RightsInformation.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                rights.recorded_at,
                "rights",
                _("Information on rights given"),
                rights.recorded_by,
                rights.given_on,
            )
        )
    for risk in RiskAssessment.objects.filter(case=case).select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                risk.recorded_at,
                "risk",
                _("Risk assessment: %(level)s") % {"level": risk.get_level_display()},
                risk.recorded_by,
                risk.assessed_on,
            )
        )
    for period in ReflectionPeriod.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                period.recorded_at,
                "reflection",
                _("Recovery and reflection period until %(end)s: %(decision)s")
                % {
                    "end": period.ends_on.isoformat(),
                    "decision": period.get_decision_display(),
                },
                period.recorded_by,
                period.starts_on,
            )
        )
    for session in AssistanceSession.objects.filter(case=case).select_related("staff"):
        entries.append(
            TimelineEntry(
                session.recorded_at,
                "session",
                _("%(kind)s, %(minutes)s minutes")
                % {
                    "kind": session.get_kind_display(),
                    "minutes": session.duration_minutes,
                },
                session.staff,
                session.held_on,
            )
        )
    for proceeding in Proceeding.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                proceeding.recorded_at,
                "proceeding",
                _("%(kind)s proceeding: %(stage)s")
                % {
                    "kind": proceeding.get_kind_display(),
                    "stage": proceeding.get_stage_display(),
                },
                proceeding.recorded_by,
                proceeding.started_on,
            )
        )
    for claim in CompensationClaim.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                claim.recorded_at,
                "compensation",
                _("Compensation claim: %(status)s")
                % {"status": claim.get_status_display()},
                claim.recorded_by,
                claim.filed_on,
            )
        )
    for consent in Consent.objects.filter(case=case).select_related("recorded_by"):
        label = (
            _("Consent given: %(scope)s")
            if consent.granted
            else _("Consent withdrawn: %(scope)s")
        )
        entries.append(
            TimelineEntry(
                consent.recorded_at,
                "consent",
                label % {"scope": consent.get_scope_display()},
                consent.recorded_by,
                consent.given_on,
            )
        )
    for document in Document.objects.filter(case=case).select_related("uploaded_by"):
        entries.append(
            TimelineEntry(
                document.uploaded_at,
                "document",
                _("Document added: %(kind)s") % {"kind": document.get_kind_display()},
                document.uploaded_by,
            )
        )
    for note in Note.objects.filter(case=case).select_related("author"):
        entries.append(TimelineEntry(note.created_at, "note", _("Note"), note.author))
    for task in Task.objects.filter(case=case).select_related("created_by"):
        entries.append(
            TimelineEntry(
                task.created_at,
                "task",
                _("Task due %(due)s") % {"due": task.due_on.isoformat()},
                task.created_by,
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _event_label(event: CaseEvent) -> str:
    labels = {
        "opened": _("Case opened"),
        "stage": _("Stage changed"),
        "closed": _("Case closed"),
        "reopened": _("Case reopened"),
        "assigned": _("Assigned staff changed"),
        "risk": _("Risk level changed"),
    }
    return str(labels.get(event.kind, event.kind))


def case_staff(case: Case) -> QuerySet[User]:
    """Who may be assigned to the case: its organisation's case staff."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization_id=case.organization_id,
            memberships__is_active=True,
            memberships__role__in=[Role.CASEWORKER, Role.SUPERVISOR],
        )
        .distinct()
        .order_by("username")
    )


def duplicates_of(case: Case) -> QuerySet[PossibleDuplicate]:
    """Flags (undecided or decided) naming the case's person, either side."""
    return PossibleDuplicate.objects.filter(
        Q(person_id=case.person_id) | Q(other_id=case.person_id)
    ).select_related("person", "other")
