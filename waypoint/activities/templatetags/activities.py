"""Dates as precise as the records are: a day, a month or only a year."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format

from waypoint.accounts.models import User
from waypoint.activities.access import can_manage_activities
from waypoint.activities.models import DatePrecision

register = template.Library()


@register.filter
def partial_date(value: date | None, precision: str = DatePrecision.DAY) -> str:
    """``value`` shown to the stated precision, in the reader's language."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


@register.simple_tag
def day_range(start: date, end: date | None) -> str:
    """One day, or the first and last day of a several-day event."""
    if end is None or end == start:
        return date_format(start, "DATE_FORMAT")
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"


@register.simple_tag(takes_context=True)
def manages_activities(context: template.Context) -> bool:
    """Whether the signed-in user gets the link to the activities staff pages."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return isinstance(user, User) and can_manage_activities(user)
