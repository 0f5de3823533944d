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

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.accounts.models import AuditEvent, Role, User
from waypoint.accounts.selectors import AnyUser, memberships_active
from waypoint.accounts.services import audit_event_record
from waypoint.cases.models import (
    AssistanceSession,
    Case,
    CaseEvent,
    CaseStatus,
    ClaimStatus,
    CompensationClaim,
    Consent,
    Document,
    Identification,
    IdentificationStatus,
    NeedsAssessment,
    Note,
    PossibleDuplicate,
    Proceeding,
    ProceedingStage,
    ReflectionDecision,
    ReflectionPeriod,
    RightsInformation,
    RiskAssessment,
    Task,
)

# How far ahead the caseworker's home shows deadlines.
DEADLINE_HORIZON_DAYS = 7
# At most this many tasks or deadlines are looked at for the home page.
MAX_LISTED = 500
# A code search lists at most this many cases.
CODE_MATCHES = 500


def _org_ids(user: AnyUser, role: str) -> QuerySet[Any, Any]:
    return memberships_active(user).filter(role=role).values("organization_id")


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    """The cases ``user`` may open: assigned ones (caseworker), all (supervisor)."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    supervised, casework = _case_org_ids(user)
    # A correlated EXISTS on the (case, user) unique index: checked per row,
    # so a page of a large caseload never materialises every assignment.
    assigned = Case.assigned.through.objects.filter(
        case_id=OuterRef("pk"), user_id=user.pk
    )
    return Case.objects.filter(
        Q(organization_id__in=supervised)
        | Q(Exists(assigned), organization_id__in=casework)
    )


def _case_org_ids(user: User) -> tuple[list[int], list[int]]:
    """The organisations where ``user`` supervises, and those where they are
    a caseworker only; read in one query (plain ids keep the SQL short)."""
    roles = memberships_active(user).filter(role__in=[Role.SUPERVISOR, Role.CASEWORKER])
    supervised: set[int] = set()
    casework: set[int] = set()
    for organization_id, role in roles.values_list("organization_id", "role"):
        (supervised if role == Role.SUPERVISOR else casework).add(organization_id)
    return sorted(supervised), sorted(casework - supervised)


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
        # The fragment is matched first in the user's organisations alone (a
        # plain scan of one column), then the few matches are checked.
        supervised, casework = (
            _case_org_ids(user) if isinstance(user, User) else ([], [])
        )
        # Unordered, it reads the (organisation, code) index alone.
        matches = (
            Case.objects.filter(
                organization_id__in=supervised + casework,
                code__icontains=code.strip(),
            )
            .order_by()
            .values_list("pk", flat=True)[:CODE_MATCHES]
        )
        cases = cases.filter(pk__in=list(matches))
    return cases.order_by("-opened_at", "-id")


def tasks_open_for_user(*, user: AnyUser) -> QuerySet[Task]:
    """The user's open tasks in cases they may still open, soonest first."""
    if not isinstance(user, User):
        return Task.objects.none()
    # The user's open tasks are few: find them by the (assignee, done_at,
    # due_on) index first, then keep those in cases they may still open.
    mine = Task.objects.filter(assignee=user, done_at__isnull=True)
    case_ids = set(mine.values_list("case_id", flat=True)[:MAX_LISTED])
    visible = cases_visible_to(user).filter(pk__in=case_ids).values("pk")
    return (
        mine.filter(case_id__in=list(visible.values_list("pk", flat=True)))
        .select_related("case")
        .order_by("due_on", "id")
    )


def reflection_deadlines_for_user(
    *, user: AnyUser, today: datetime.date | None = None
) -> QuerySet[ReflectionPeriod]:
    """Undecided reflection periods of open cases ending within the horizon
    (or already past), in the cases the user may open."""
    today = today or timezone.localdate()
    # Undecided periods near their end are few across the platform: find them
    # first, then keep those in open cases the user may open.
    due = ReflectionPeriod.objects.filter(
        decision=ReflectionDecision.PENDING,
        ends_on__lte=today + datetime.timedelta(days=DEADLINE_HORIZON_DAYS),
    )
    case_ids = set(due.values_list("case_id", flat=True)[:MAX_LISTED])
    visible = cases_visible_to(user).filter(pk__in=case_ids, status=CaseStatus.OPEN)
    return (
        due.filter(case_id__in=list(visible.values_list("pk", flat=True)))
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
                _("%(kind)s proceeding recorded: %(stage)s")
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
    if event.kind == "proceeding_stage":
        stage = event.data.get("stage", "")
        return _("Proceeding moved to: %(stage)s") % {
            "stage": _choice_label(ProceedingStage, stage)
        }
    if event.kind == "claim_status":
        status = event.data.get("status", "")
        return _("Compensation claim now: %(status)s") % {
            "status": _choice_label(ClaimStatus, status)
        }
    labels = {
        "opened": _("Case opened"),
        "stage": _("Stage changed"),
        "closed": _("Case closed"),
        "reopened": _("Case reopened"),
        "assigned": _("Assigned staff changed"),
        "risk": _("Risk level changed"),
    }
    return str(labels.get(event.kind, event.kind))


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    return str(dict(choices.choices).get(value, value))


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


def proceedings_of(case: Case) -> QuerySet[Proceeding]:
    return Proceeding.objects.filter(case=case).select_related("authority")


def compensation_claims_of(case: Case) -> QuerySet[CompensationClaim]:
    return CompensationClaim.objects.filter(case=case).select_related(
        "assisting_authority", "deciding_authority"
    )


def identification_dates(case: Case) -> list[tuple[str, datetime.date]]:
    """The first date each identification status was reached, in status order."""
    reached: dict[str, datetime.date] = {}
    rows = Identification.objects.filter(case=case).values_list("status", "decided_on")
    for status, decided_on in rows:
        if status not in reached or decided_on < reached[status]:
            reached[status] = decided_on
    return [
        (str(label), reached[value])
        for value, label in IdentificationStatus.choices
        if value in reached
    ]


# --- Recent activity on the caseworker's home ---

# What the home page says about each audited change; reads are not activity.
ACTIVITY_LABELS: dict[str, Any] = {
    "case.opened": gettext_lazy("case opened"),
    "case.changed": gettext_lazy("case changed"),
    "person.created": gettext_lazy("person recorded"),
    "person.corrected": gettext_lazy("person's details corrected"),
    "person.duplicate_decided": gettext_lazy("possible duplicate decided"),
    "person.anonymised": gettext_lazy("person anonymised"),
    "case.identification_recorded": gettext_lazy("identification recorded"),
    "case.needs_assessed": gettext_lazy("needs assessment recorded"),
    "case.rights_informed": gettext_lazy("information on rights recorded"),
    "case.risk_assessed": gettext_lazy("risk assessment recorded"),
    "case.reflection_started": gettext_lazy("reflection period started"),
    "case.reflection_decided": gettext_lazy("reflection decision recorded"),
    "case.session_recorded": gettext_lazy("assistance session recorded"),
    "case.proceeding_recorded": gettext_lazy("proceeding recorded"),
    "case.proceeding_stage_changed": gettext_lazy("proceeding stage changed"),
    "case.compensation_recorded": gettext_lazy("compensation claim recorded"),
    "case.compensation_status_changed": gettext_lazy(
        "compensation claim status changed"
    ),
    "case.consent_recorded": gettext_lazy("consent recorded"),
    "case.consent_withdrawn": gettext_lazy("consent withdrawn"),
    "case.document_added": gettext_lazy("document added"),
    "case.note_added": gettext_lazy("note added"),
    "case.task_created": gettext_lazy("task created"),
    "case.task_done": gettext_lazy("task done"),
}
EVENT_LABELS: dict[str, Any] = {
    "stage": gettext_lazy("stage changed"),
    "closed": gettext_lazy("case closed"),
    "reopened": gettext_lazy("case reopened"),
    "assigned": gettext_lazy("assigned staff changed"),
    "risk": gettext_lazy("risk level changed"),
}


# Newest audit rows read per round, and at most, when looking for activity.
ACTIVITY_CHUNK = 200
ACTIVITY_SCAN = 2000
# Up to this many assigned cases, a caseworker's activity is looked up by case.
ACTIVITY_BY_CASE = 1000


def _recent_case_events(user: User, limit: int) -> list[AuditEvent]:
    """The newest change events of cases ``user`` may open.

    Supervisors see every event of their organisations. For a caseworker the
    events of their assigned cases are looked up by case when they are a few
    hundred; with a very large caseload the organisation's newest events are
    read in rounds and kept when their case is visible.
    """
    supervised, casework = _case_org_ids(user)
    wanted = Q(organization__in=supervised)
    if casework:
        assigned = list(
            Case.assigned.through.objects.filter(
                user_id=user.pk, case__organization__in=casework
            ).values_list("case_id", flat=True)[: ACTIVITY_BY_CASE + 1]
        )
        if len(assigned) <= ACTIVITY_BY_CASE:
            wanted |= Q(
                organization__in=casework, target_id__in=[str(pk) for pk in assigned]
            )
        else:
            wanted |= Q(organization__in=casework)
    candidates = (
        AuditEvent.objects.filter(
            wanted,
            target_type=Case._meta.label_lower,
            action__in=list(ACTIVITY_LABELS),
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
    found: list[AuditEvent] = []
    for start in range(0, ACTIVITY_SCAN, ACTIVITY_CHUNK):
        chunk = list(candidates[start : start + ACTIVITY_CHUNK])
        ids = {int(event.target_id) for event in chunk}
        visible = set(
            cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        found += [event for event in chunk if int(event.target_id) in visible]
        if len(found) >= limit or len(chunk) < ACTIVITY_CHUNK:
            break
    return found[:limit]


@dataclass(frozen=True)
class ActivityEntry:
    at: datetime.datetime
    label: str
    case_id: int
    case_code: str
    actor: str


def recent_activity_for_user(*, user: AnyUser, limit: int = 15) -> list[ActivityEntry]:
    """The latest changes in the cases ``user`` may open, newest first.

    Built from the audit rows of those cases: what kind of change, in which
    case (by code), by whom; never a value about the person. Reads are left
    out, and reading this list is not itself a read of a case.
    """
    if not isinstance(user, User):
        return []
    events = _recent_case_events(user, limit)
    codes = dict(
        Case.objects.filter(pk__in={int(e.target_id) for e in events}).values_list(
            "pk", "code"
        )
    )
    entries = []
    for event in events:
        label = ACTIVITY_LABELS[event.action]
        if event.action == "case.changed":
            label = EVENT_LABELS.get(str(event.details.get("event", "")), label)
        case_id = int(event.target_id)
        entries.append(
            ActivityEntry(
                at=event.at,
                label=str(label),
                case_id=case_id,
                case_code=codes.get(case_id, ""),
                actor=event.actor.username if event.actor else "",
            )
        )
    return entries
