"""Reads of case data, always scoped to the asking user.

A caseworker sees the cases assigned to them in their organisation, a
supervisor every case of their organisation, nobody else anything: not the
platform administrators, not the organisation administrators who are not
supervisors too. Every read of a person's data leaves an ``AuditEvent``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from waypoint.accounts.models import AuditEvent, Role, User
from waypoint.accounts.selectors import AnyUser, memberships_active
from waypoint.accounts.services import audit_event_record
from waypoint.cases.models import (
    Case,
    CaseStatus,
    Person,
    ReflectionDecision,
    ReflectionPeriod,
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
    supervised, casework = case_org_ids(user)
    # A correlated EXISTS on the (case, user) unique index: checked per row,
    # so a page of a large caseload never materialises every assignment.
    assigned = Case.assigned.through.objects.filter(
        case_id=OuterRef("pk"), user_id=user.pk
    )
    return Case.objects.filter(
        Q(organization_id__in=supervised)
        | Q(Exists(assigned), organization_id__in=casework)
    )


def case_org_ids(user: User) -> tuple[list[int], list[int]]:
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
            case_org_ids(user) if isinstance(user, User) else ([], [])
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


# --- Data-subject requests ---


def supervised_organization_ids(user: AnyUser) -> models.QuerySet[Any, Any]:
    """The ids of the organisations ``user`` supervises (a subquery)."""
    return (
        memberships_active(user).filter(role=Role.SUPERVISOR).values("organization_id")
    )


def person_get_for_supervisor(*, user: AnyUser, pk: int) -> Person:
    """A person of an organisation the user supervises, or 404."""
    try:
        return Person.objects.select_related("organization").get(
            pk=pk, organization__in=supervised_organization_ids(user)
        )
    except Person.DoesNotExist as exc:
        raise Http404 from exc
