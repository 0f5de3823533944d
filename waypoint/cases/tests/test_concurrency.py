"""Two changes from the same version of a case: the second is refused."""

from __future__ import annotations

import pytest

from waypoint.accounts.models import User
from waypoint.cases.models import Case, CaseStatus, Stage
from waypoint.cases.services import (
    ConcurrentUpdateError,
    case_close,
    case_reopen,
    case_stage_set,
)

pytestmark = pytest.mark.django_db


def test_a_stale_copy_cannot_overwrite_a_newer_change(
    caseworker_a: User, supervisor_a: User, case_a: Case
) -> None:
    """Both read version 1; the first write wins, the second raises."""
    mine = Case.objects.get(pk=case_a.pk)
    theirs = Case.objects.get(pk=case_a.pk)
    case_stage_set(actor=caseworker_a, case=mine, stage=Stage.FIRST_ASSISTANCE)
    with pytest.raises(ConcurrentUpdateError):
        case_close(actor=supervisor_a, case=theirs, reason="goals_met")
    stored = Case.objects.get(pk=case_a.pk)
    assert stored.status == CaseStatus.OPEN
    assert stored.stage == Stage.FIRST_ASSISTANCE
    assert stored.version == 2


def test_closing_and_reopening_bump_the_version_and_record_events(
    caseworker_a: User, case_a: Case
) -> None:
    """Each change is one version and one timeline event."""
    case_close(actor=caseworker_a, case=case_a, reason="goals_met")
    assert case_a.status == CaseStatus.CLOSED
    case_reopen(actor=caseworker_a, case=case_a)
    stored = Case.objects.get(pk=case_a.pk)
    assert stored.status == CaseStatus.OPEN
    assert stored.closure_reason == ""
    assert stored.version == 3
    assert list(stored.events.values_list("kind", flat=True)) == [
        "opened",
        "closed",
        "reopened",
    ]
