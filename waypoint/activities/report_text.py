"""The texts of many events at once, for the annual report's page and files.

A report of a busy year lists thousands of events. Translating the same
type, profession and country names and formatting the same days again for
each event took most of the time of writing the report; ``EventTexts``
translates each name and formats each day once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.dateformat import format as date_pattern_format
from django.utils.formats import get_format

from waypoint.activities.models import (
    Event,
    EventType,
    ParticipantCount,
    ParticipantProfession,
)
from waypoint.lib.countries import country_name

# One participant count of an event: its dimension, code and count.
CountRow = tuple[str, str, int | None]


def participant_counts_of(
    event_ids: Iterable[uuid.UUID],
) -> dict[uuid.UUID, list[CountRow]]:
    """The participant counts of many events, in their order, in one query.

    Plain tuples rather than models: building two thousand events' eight
    thousand count objects, and a filtered queryset per event to hold them,
    took most of the time of assembling a busy year's report.
    """
    rows: dict[uuid.UUID, list[CountRow]] = {pk: [] for pk in event_ids}
    counts = (
        ParticipantCount.objects.filter(event__in=list(rows))
        .order_by("event", "position")
        .values_list("event", "dimension", "code", "count")
    )
    for event, dimension, code, count in counts:
        rows[event].append((dimension, code, count))
    return rows


@dataclass(frozen=True)
class Attendance:
    """An event's recorded participants, as its participant counts say."""

    total: int | None
    professions: list[str]
    countries: list[str]
    institutions: list[str]


class EventTexts:
    """Names and days in the active language, each worked out once."""

    def __init__(
        self, counts: Mapping[uuid.UUID, Sequence[CountRow]] | None = None
    ) -> None:
        # The events' counts read beforehand (``participant_counts_of``);
        # an event not among them is asked about its own.
        self._counts = counts or {}
        # The format looked up once: ``date_format`` looks it up per call.
        self._date_format = str(get_format("DATE_FORMAT"))
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
            text = self._days[day] = date_pattern_format(day, self._date_format)
        return text

    def day_range(self, start: date, end: date | None) -> str:
        """As the ``day_range`` template tag: one day, or the first and last."""
        if end is None or end == start:
            return self.day(start)
        return f"{self.day(start)} – {self.day(end)}"

    def attendance(self, event: Event) -> Attendance:
        """The event's counts in one pass over its rows, in order: profession
        names, country codes and institutions."""
        total: int | None = None
        seen_total = False
        professions: list[str] = []
        countries: list[str] = []
        institutions: list[str] = []
        dimension = ParticipantCount.Dimension
        rows = self._counts.get(event.pk)
        if rows is None:
            rows = [
                (row.dimension, row.code, row.count)
                for row in event.participant_counts.all()
            ]
        for kind, code, count in rows:
            if kind == dimension.TOTAL:
                if not seen_total:
                    total, seen_total = count, True
            elif kind == dimension.PROFESSION:
                professions.append(self._professions.get(code, code))
            elif kind == dimension.COUNTRY:
                countries.append(code)
            elif kind == dimension.INSTITUTION:
                institutions.append(code)
        return Attendance(total, professions, countries, institutions)
