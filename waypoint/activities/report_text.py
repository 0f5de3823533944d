"""The texts of many events at once, for the annual report's page and files.

A report of a busy year lists thousands of events. Translating the same
type, profession and country names and formatting the same days again for
each event took most of the time of writing the report; ``EventTexts``
translates each name and formats each day once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

from waypoint.activities.models import (
    Event,
    EventType,
    ParticipantCount,
    ParticipantProfession,
)
from waypoint.lib.countries import country_name


@dataclass(frozen=True)
class Attendance:
    """An event's recorded participants, as its participant counts say."""

    total: int | None
    professions: list[str]
    countries: list[str]
    institutions: list[str]


class EventTexts:
    """Names and days in the active language, each worked out once."""

    def __init__(self) -> None:
        self._types = {str(k): str(v) for k, v in EventType.choices}
        self._professions = {str(k): str(v) for k, v in ParticipantProfession.choices}
        self._countries: dict[str, str] = {}
        self._days: dict[date, str] = {}

    def type(self, event: Event) -> str:
        return self._types.get(event.type, event.type)

    def country(self, code: str) -> str:
        if not code:
            return ""
        name = self._countries.get(code)
        if name is None:
            name = self._countries[code] = country_name(code)
        return name

    def day(self, day: date) -> str:
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = date_format(day, "DATE_FORMAT")
        return text

    def day_range(self, start: date, end: date | None) -> str:
        """As the ``day_range`` template tag: one day, or the first and last."""
        if end is None or end == start:
            return self.day(start)
        return f"{self.day(start)} – {self.day(end)}"

    def attendance(self, event: Event) -> Attendance:
        """The event's counts in one pass over its (prefetched) rows, in order:
        profession names, country codes and institutions."""
        total: int | None = None
        seen_total = False
        professions: list[str] = []
        countries: list[str] = []
        institutions: list[str] = []
        dimension = ParticipantCount.Dimension
        for row in event.participant_counts.all():
            if row.dimension == dimension.TOTAL:
                if not seen_total:
                    total, seen_total = row.count, True
            elif row.dimension == dimension.PROFESSION:
                professions.append(self._professions.get(row.code, row.code))
            elif row.dimension == dimension.COUNTRY:
                countries.append(row.code)
            elif row.dimension == dimension.INSTITUTION:
                institutions.append(row.code)
        return Attendance(total, professions, countries, institutions)
