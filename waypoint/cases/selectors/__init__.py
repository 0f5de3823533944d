"""Reads of case data, always scoped to the asking user.

A caseworker sees the cases assigned to them in their organisation, a
supervisor every case of their organisation, nobody else anything: not the
platform administrators, not the organisation administrators who are not
supervisors too. Every read of a person's data leaves an ``AuditEvent``.

``core`` holds the scoping and the lists, ``timeline`` the case page's
timeline and the lists beside it, ``activity`` the recent activity on the
caseworker's home.
"""

from __future__ import annotations

from waypoint.cases.selectors.activity import (
    ACTIVITY_BY_CASE,
    ACTIVITY_CHUNK,
    ACTIVITY_LABELS,
    ACTIVITY_SCAN,
    EVENT_LABELS,
    ActivityEntry,
    recent_activity_for_user,
)
from waypoint.cases.selectors.core import (
    CODE_MATCHES,
    DEADLINE_HORIZON_DAYS,
    MAX_LISTED,
    case_access_log,
    case_get_for_user,
    case_list_for_user,
    case_org_ids,
    cases_visible_to,
    may_supervise,
    person_get_for_supervisor,
    reflection_deadlines_for_user,
    supervised_organization_ids,
    tasks_open_for_user,
)
from waypoint.cases.selectors.timeline import (
    TimelineEntry,
    case_staff,
    case_timeline,
    compensation_claims_of,
    duplicates_of,
    identification_dates,
    proceedings_of,
)

__all__ = [
    "ACTIVITY_BY_CASE",
    "ACTIVITY_CHUNK",
    "ACTIVITY_LABELS",
    "ACTIVITY_SCAN",
    "CODE_MATCHES",
    "DEADLINE_HORIZON_DAYS",
    "EVENT_LABELS",
    "MAX_LISTED",
    "ActivityEntry",
    "TimelineEntry",
    "case_access_log",
    "case_get_for_user",
    "case_list_for_user",
    "case_org_ids",
    "case_staff",
    "case_timeline",
    "cases_visible_to",
    "compensation_claims_of",
    "duplicates_of",
    "identification_dates",
    "may_supervise",
    "person_get_for_supervisor",
    "proceedings_of",
    "recent_activity_for_user",
    "reflection_deadlines_for_user",
    "supervised_organization_ids",
    "tasks_open_for_user",
]
