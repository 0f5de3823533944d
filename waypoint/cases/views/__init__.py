"""The case pages: thin views over selectors (reads) and services (writes).

Every view needs a signed-in account with a proven second factor; every case
is fetched through ``case_get_for_user`` (404 otherwise, read audited). URLs
and page titles carry the case code or id, never a name. POST bodies are
masked in error reports (``sensitive_post_parameters``).

``base`` holds what the pages share (``record_view``), ``case`` the list,
intake and the pages that change the case itself, ``records`` the records of
what is done in a case, ``people`` the pages about the person and the
data-subject requests.
"""

from __future__ import annotations

from waypoint.cases.views.base import View, apply_errors, case_page, record_view
from waypoint.cases.views.case import (
    CASES_PER_PAGE,
    access_log,
    assign,
    case_close,
    case_create,
    case_detail,
    case_reopen,
    home,
    identification_create,
    needs_assessment_create,
    reflection_create,
    reflection_decide,
    rights_create,
    risk_create,
    stage_change,
)
from waypoint.cases.views.people import (
    duplicate_decide,
    person_anonymise,
    person_edit,
    person_export_json,
    person_export_print,
    retention,
)
from waypoint.cases.views.records import (
    claim_create,
    claim_status,
    consent_create,
    consent_withdraw,
    document_create,
    document_download,
    note_create,
    proceeding_create,
    proceeding_stage,
    session_create,
    task_create,
    task_done,
)

__all__ = [
    "CASES_PER_PAGE",
    "View",
    "access_log",
    "apply_errors",
    "assign",
    "case_close",
    "case_create",
    "case_detail",
    "case_page",
    "case_reopen",
    "claim_create",
    "claim_status",
    "consent_create",
    "consent_withdraw",
    "document_create",
    "document_download",
    "duplicate_decide",
    "home",
    "identification_create",
    "needs_assessment_create",
    "note_create",
    "person_anonymise",
    "person_edit",
    "person_export_json",
    "person_export_print",
    "proceeding_create",
    "proceeding_stage",
    "record_view",
    "reflection_create",
    "reflection_decide",
    "retention",
    "rights_create",
    "risk_create",
    "session_create",
    "stage_change",
    "task_create",
    "task_done",
]
