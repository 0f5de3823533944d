"""Every change to case data.

Each service is atomic, keyword-only, takes the acting user, checks that the
actor may act on the case (views check too: this is the second lock), and
appends an ``AuditEvent`` whose target is the case and whose details hold ids,
codes and field names only, never a value about the person.

Changes to a ``Case`` row itself are a compare-and-swap on ``version``
(``UPDATE … WHERE id = … AND version = v``): ``select_for_update`` does
nothing on SQLite, and the swap works the same on PostgreSQL. When someone
else changed the case since it was read, :class:`CaseChangedError` (a
``waypoint.lib.errors.ConcurrentUpdateError``) is raised and nothing is
written.

``core`` holds the shared checks and the records of a case, ``people`` the
intake and corrections of a person, ``proceedings`` the proceedings and
compensation claims.
"""

from __future__ import annotations

from waypoint.cases.services.core import (
    DEFAULT_REFLECTION_DAYS,
    CaseChangedError,
    case_assign,
    case_close,
    case_reopen,
    case_stage_set,
    consent_record,
    consent_withdraw,
    document_add,
    document_read,
    identification_record,
    needs_assessment_record,
    note_add,
    reflection_period_days,
    reflection_period_decide,
    reflection_period_start,
    rights_information_record,
    risk_assessment_record,
    session_record,
    task_create,
    task_done,
)
from waypoint.cases.services.people import (
    PERSON_FIELDS,
    CaseDetails,
    PersonDetails,
    case_intake,
    case_open,
    duplicate_decide,
    name_index_of,
    person_correct,
    person_details_of,
)
from waypoint.cases.services.proceedings import (
    compensation_claim_record,
    compensation_claim_status_set,
    proceeding_record,
    proceeding_stage_set,
)
from waypoint.lib.errors import ConcurrentUpdateError

__all__ = [
    "DEFAULT_REFLECTION_DAYS",
    "PERSON_FIELDS",
    "CaseChangedError",
    "CaseDetails",
    "ConcurrentUpdateError",
    "PersonDetails",
    "case_assign",
    "case_close",
    "case_intake",
    "case_open",
    "case_reopen",
    "case_stage_set",
    "compensation_claim_record",
    "compensation_claim_status_set",
    "consent_record",
    "consent_withdraw",
    "document_add",
    "document_read",
    "duplicate_decide",
    "identification_record",
    "name_index_of",
    "needs_assessment_record",
    "note_add",
    "person_correct",
    "person_details_of",
    "proceeding_record",
    "proceeding_stage_set",
    "reflection_period_days",
    "reflection_period_decide",
    "reflection_period_start",
    "rights_information_record",
    "risk_assessment_record",
    "session_record",
    "task_create",
    "task_done",
]
