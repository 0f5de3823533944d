"""The recovery and reflection period and the deadlines it surfaces."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.cases.models import Case
from waypoint.cases.selectors import reflection_deadlines_for_user
from waypoint.cases.services import (
    reflection_period_days,
    reflection_period_decide,
    reflection_period_start,
)

pytestmark = pytest.mark.django_db


def test_the_period_lasts_thirty_days_by_default(
    caseworker_a: User, case_a: Case
) -> None:
    """Without a country setting, 30 days from the start."""
    start = datetime.date(2026, 1, 10)
    period = reflection_period_start(actor=caseworker_a, case=case_a, starts_on=start)
    assert period.country == "RO"
    assert period.ends_on == datetime.date(2026, 2, 9)


def test_the_length_is_configurable_per_country(
    caseworker_a: User, case_a: Case, settings: Any
) -> None:
    """WAYPOINT_REFLECTION_PERIOD_DAYS sets a country's default."""
    settings.WAYPOINT_REFLECTION_PERIOD_DAYS = {"RO": 90}
    assert reflection_period_days("RO") == 90
    assert reflection_period_days("DE") == 30
    start = datetime.date(2026, 1, 10)
    period = reflection_period_start(actor=caseworker_a, case=case_a, starts_on=start)
    assert period.ends_on == start + datetime.timedelta(days=90)
    german = reflection_period_start(
        actor=caseworker_a, case=case_a, starts_on=start, country="DE"
    )
    assert german.ends_on == start + datetime.timedelta(days=30)


def test_a_period_ending_within_a_week_is_on_the_caseworkers_list_until_decided(
    caseworker_a: User, caseworker_b: User, case_a: Case
) -> None:
    """Deadlines show before they pass, and go once the person has decided."""
    today = timezone.localdate()
    period = reflection_period_start(
        actor=caseworker_a,
        case=case_a,
        starts_on=today - datetime.timedelta(days=25),
    )
    later = reflection_period_start(actor=caseworker_a, case=case_a, starts_on=today)
    due = list(reflection_deadlines_for_user(user=caseworker_a))
    assert due == [period]
    assert later not in due
    assert not reflection_deadlines_for_user(user=caseworker_b).exists()
    reflection_period_decide(
        actor=caseworker_a, period=period, decision="cooperate", decided_on=today
    )
    assert not reflection_deadlines_for_user(user=caseworker_a).exists()
