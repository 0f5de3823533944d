"""Recent activity on the caseworker's home: what changed in their cases,
without a person's data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from waypoint.accounts.models import AuditEvent, User
from waypoint.accounts.selectors import AnyUser
from waypoint.cases.models import Case
from waypoint.cases.selectors.core import case_org_ids, cases_visible_to

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
    supervised, casework = case_org_ids(user)
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
