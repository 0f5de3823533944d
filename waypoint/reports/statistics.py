"""Statistics of the activities (public) and of casework (anonymised, scoped).

Every table here is built from aggregate queries: no row about a person ever
leaves the database. Counts from 1 to 4 are shown as "<5" (``Cell``) so that
nobody can be singled out, and a value derived from a small count (hours of a
handful of sessions, the amounts of a handful of claims) is suppressed with
it. Zero stays zero: it singles nobody out. No table has a total row, so a
suppressed cell cannot be recovered by subtraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.accounts.models import MemberOrganization
from waypoint.activities.models import (
    Event,
    EventType,
    ParticipantCount,
    ParticipantProfession,
    Project,
)
from waypoint.cases.models import (
    AgeBand,
    AssistanceSession,
    Case,
    CaseType,
    ClaimStatus,
    CompensationClaim,
    Gender,
    ReflectionDecision,
    ReflectionPeriod,
    SessionKind,
)
from waypoint.lib.countries import country_name

THRESHOLD = 5
SUPPRESSED = "<5"

Number = int | Decimal


@dataclass(frozen=True)
class Cell:
    """One figure of a table, already decided shown or suppressed."""

    value: Number | None
    suppressed: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return "–"
        return str(number_format(self.value, force_grouping=True))

    @property
    def export(self) -> Number | str | None:
        """What a download holds: the number, "<5", or nothing."""
        if self.suppressed:
            return SUPPRESSED
        return self.value


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < THRESHOLD


def count_cell(count: int | None) -> Cell:
    """A count of people, cases or events: 1 to 4 become "<5"."""
    return Cell(count, suppressed=is_small(count))


def derived_cell(value: Number | None, *, base: int | None) -> Cell:
    """A figure computed from ``base`` records: hidden when they are few."""
    return Cell(value, suppressed=is_small(base))


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    slug: str
    title: str | Promise
    label_heading: str | Promise
    columns: list[str | Promise]
    rows: list[Row] = field(default_factory=list)
    # The column the chart draws (its index in ``columns``).
    chart_column: int = 0
    note: str | Promise = ""

    @property
    def chart_heading(self) -> str:
        return str(self.columns[self.chart_column])


# --- Activities (public) ---


def activity_years() -> list[int]:
    return [d.year for d in Event.objects.dates("start_date", "year", order="DESC")]


def _events(year: int | None) -> QuerySet[Event]:
    events = Event.objects.all()
    if year is not None:
        events = events.filter(start_date__year=year)
    return events


_TOTAL = Q(participant_counts__dimension=ParticipantCount.Dimension.TOTAL)


def _event_rows(
    events: QuerySet[Event], key: str, label: dict[object, str]
) -> list[Row]:
    grouped = (
        events.values(key)
        .annotate(
            n_events=Count("id", distinct=True),
            n_participants=Sum("participant_counts__count", filter=_TOTAL),
        )
        .order_by(key)
    )
    rows = [
        Row(
            label=label.get(item[key], str(item[key] or "")),
            cells=[
                count_cell(int(item["n_events"])),
                count_cell(_int(item["n_participants"])),
            ],
        )
        for item in grouped
    ]
    return rows


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _event_columns() -> list[str | Promise]:
    return [gettext_lazy("Events"), gettext_lazy("Participants")]


def activity_tables(*, year: int | None, language: str) -> list[Table]:
    """Events and participants by type, profession, country, project and year.

    Participants are the events' recorded totals; events without a recorded
    total add nothing to them.
    """
    events = _events(year)
    note = gettext_lazy("Participants count only the events whose total is recorded.")
    by_type = Table(
        slug="events-by-type",
        title=gettext_lazy("Events and participants by type of event"),
        label_heading=gettext_lazy("Type of event"),
        columns=_event_columns(),
        chart_column=1,
        rows=_event_rows(events, "type", {k: str(v) for k, v in EventType.choices}),
        note=note,
    )
    by_country = Table(
        slug="events-by-country",
        title=gettext_lazy("Events and participants by country where held"),
        label_heading=gettext_lazy("Country"),
        columns=_event_columns(),
        chart_column=1,
        rows=_event_rows(
            events, "country", {"": _("online or not recorded")} | _countries(events)
        ),
        note=note,
    )
    by_year = Table(
        slug="events-by-year",
        title=gettext_lazy("Events and participants by year"),
        label_heading=gettext_lazy("Year"),
        columns=_event_columns(),
        chart_column=1,
        rows=_event_rows(events.annotate(year=ExtractYear("start_date")), "year", {}),
        note=note,
    )
    projects = Project.objects.filter(
        pk__in=events.exclude(project=None).values("project")
    )
    project_labels: dict[object, str] = {
        p.pk: p.acronym or p.translated("title", language) for p in projects
    }
    project_labels[None] = _("Events of others (no project)")
    by_project = Table(
        slug="events-by-project",
        title=gettext_lazy("Events and participants by project"),
        label_heading=gettext_lazy("Project"),
        columns=_event_columns(),
        chart_column=1,
        rows=sorted(
            _event_rows(events, "project", project_labels), key=lambda r: r.label
        ),
        note=note,
    )
    professions = (
        ParticipantCount.objects.filter(
            event__in=events, dimension=ParticipantCount.Dimension.PROFESSION
        )
        .values("code")
        .annotate(n_events=Count("event", distinct=True), n_people=Sum("count"))
        .order_by("code")
    )
    profession_labels = {k: str(v) for k, v in ParticipantProfession.choices}
    by_profession = Table(
        slug="events-by-profession",
        title=gettext_lazy("Events by profession of the participants"),
        label_heading=gettext_lazy("Profession"),
        columns=[
            gettext_lazy("Events with this profession"),
            gettext_lazy("Participants counted"),
        ],
        rows=[
            Row(
                label=profession_labels.get(str(item["code"]), str(item["code"])),
                cells=[
                    count_cell(int(item["n_events"])),
                    count_cell(_int(item["n_people"])),
                ],
            )
            for item in professions
        ],
        note=gettext_lazy(
            "Most events record which professions took part, not how many of each."
        ),
    )
    return [by_type, by_profession, by_country, by_project, by_year]


def _countries(events: QuerySet[Event]) -> dict[object, str]:
    codes = events.exclude(country="").values_list("country", flat=True).distinct()
    return {code: country_name(code) for code in codes}


# --- Casework (anonymised, for staff with case roles) ---


def _months() -> list[str | Promise]:
    return [MONTHS_3[m] for m in range(1, 13)]


def _counts_by(queryset: QuerySet[Case], key: str, labels: dict[str, str]) -> list[Row]:
    grouped = queryset.values(key).annotate(n=Count("id")).order_by(key)
    rows = [
        Row(
            label=labels.get(str(item[key]), str(item[key]) or _("not recorded")),
            cells=[count_cell(int(item["n"]))],
        )
        for item in grouped
    ]
    return sorted(rows, key=lambda r: r.label)


def casework_tables(
    *,
    organizations: Sequence[MemberOrganization] | QuerySet[MemberOrganization],
    year: int,
) -> list[Table]:
    """New cases, assistance, reflection periods and compensation in ``year``.

    Only the cases of ``organizations`` (the asking user's) are counted.
    """
    cases = Case.objects.filter(organization__in=organizations, opened_at__year=year)
    count_column: list[str | Promise] = [gettext_lazy("New cases")]

    per_month = dict(
        cases.annotate(month=ExtractMonth("opened_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("month", "n")
    )
    by_month = Table(
        slug="cases-by-month",
        title=gettext_lazy("New cases per month"),
        label_heading=gettext_lazy("Month"),
        columns=count_column,
        rows=[
            Row(label=str(MONTHS[m]), cells=[count_cell(per_month.get(m, 0))])
            for m in range(1, 13)
        ],
    )

    type_labels = {k: str(v) for k, v in CaseType.choices}
    matrix: dict[str, dict[int, int]] = {}
    for case_type, month, n in (
        cases.annotate(month=ExtractMonth("opened_at"))
        .values("case_type", "month")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("case_type", "month", "n")
    ):
        matrix.setdefault(case_type, {})[month] = n
    by_month_type = Table(
        slug="cases-by-month-and-type",
        title=gettext_lazy("New cases per month by type"),
        label_heading=gettext_lazy("Type of case"),
        columns=[*_months(), gettext_lazy("Year")],
        rows=sorted(
            (
                Row(
                    label=type_labels.get(case_type, case_type),
                    cells=[count_cell(months.get(m, 0)) for m in range(1, 13)]
                    + [count_cell(sum(months.values()))],
                )
                for case_type, months in matrix.items()
            ),
            key=lambda r: r.label,
        ),
        chart_column=12,
    )

    nationalities = cases.values_list("person__nationality", flat=True).distinct()
    by_nationality = Table(
        slug="cases-by-nationality",
        title=gettext_lazy("New cases by nationality"),
        label_heading=gettext_lazy("Nationality"),
        columns=count_column,
        rows=_counts_by(
            cases,
            "person__nationality",
            {code: country_name(code) for code in nationalities if code},
        ),
    )
    by_age = Table(
        slug="cases-by-age-band",
        title=gettext_lazy("New cases by age band"),
        label_heading=gettext_lazy("Age band"),
        columns=count_column,
        rows=_ordered(
            _counts_by(cases, "person__age_band", _labels(AgeBand.choices)),
            [str(v) for _k, v in AgeBand.choices],
        ),
    )
    by_gender = Table(
        slug="cases-by-gender",
        title=gettext_lazy("New cases by gender"),
        label_heading=gettext_lazy("Gender"),
        columns=count_column,
        rows=_ordered(
            _counts_by(cases, "person__gender", _labels(Gender.choices)),
            [str(v) for _k, v in Gender.choices],
        ),
    )
    return [
        by_month,
        by_month_type,
        by_nationality,
        by_age,
        by_gender,
        _sessions_table(organizations, year),
        _reflection_table(organizations, year),
        _compensation_table(organizations, year),
    ]


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    return {k: str(v) for k, v in choices}


def _ordered(rows: list[Row], order: list[str]) -> list[Row]:
    return sorted(rows, key=lambda r: order.index(r.label) if r.label in order else 99)


def _sessions_table(
    organizations: Sequence[MemberOrganization] | QuerySet[MemberOrganization],
    year: int,
) -> Table:
    grouped = (
        AssistanceSession.objects.filter(
            case__organization__in=organizations, held_on__year=year
        )
        .values("kind")
        .annotate(n=Count("id"), minutes=Sum("duration_minutes"))
        .order_by("kind")
    )
    labels = _labels(SessionKind.choices)
    rows = []
    for item in grouped:
        n = int(item["n"])
        hours = (Decimal(int(item["minutes"] or 0)) / 60).quantize(Decimal("0.1"))
        rows.append(
            Row(
                label=labels.get(str(item["kind"]), str(item["kind"])),
                cells=[count_cell(n), derived_cell(hours, base=n)],
            )
        )
    return Table(
        slug="assistance-by-type",
        title=gettext_lazy("Assistance sessions by type"),
        label_heading=gettext_lazy("Type of assistance"),
        columns=[gettext_lazy("Sessions"), gettext_lazy("Hours")],
        rows=_ordered(rows, [str(v) for _k, v in SessionKind.choices]),
        chart_column=1,
        note=gettext_lazy("Hours of fewer than five sessions are not shown."),
    )


def _reflection_table(
    organizations: Sequence[MemberOrganization] | QuerySet[MemberOrganization],
    year: int,
) -> Table:
    grouped = (
        ReflectionPeriod.objects.filter(
            case__organization__in=organizations, starts_on__year=year
        )
        .values("decision")
        .annotate(n=Count("id"))
        .order_by("decision")
    )
    counts = {str(item["decision"]): int(item["n"]) for item in grouped}
    return Table(
        slug="reflection-periods",
        title=gettext_lazy("Recovery and reflection periods started, by decision"),
        label_heading=gettext_lazy("Decision"),
        columns=[gettext_lazy("Periods started")],
        rows=[
            Row(label=str(label), cells=[count_cell(counts[value])])
            for value, label in ReflectionDecision.choices
            if value in counts
        ],
    )


def _compensation_table(
    organizations: Sequence[MemberOrganization] | QuerySet[MemberOrganization],
    year: int,
) -> Table:
    grouped = (
        CompensationClaim.objects.filter(case__organization__in=organizations)
        .filter(Q(filed_on__year=year) | Q(decided_on__year=year))
        .values("status", "currency")
        .annotate(
            n=Count("id"),
            claimed=Sum("amount_claimed"),
            awarded=Sum("amount_awarded"),
        )
        .order_by("status", "currency")
    )
    labels = _labels(ClaimStatus.choices)
    order = list(ClaimStatus.values)
    rows = []
    for item in sorted(grouped, key=lambda i: order.index(str(i["status"]))):
        n = int(item["n"])
        claimed = item["claimed"]
        awarded = item["awarded"]
        rows.append(
            Row(
                label=f"{labels[str(item['status'])]} ({item['currency']})",
                cells=[
                    count_cell(n),
                    derived_cell(_decimal(claimed), base=n),
                    derived_cell(_decimal(awarded), base=n),
                ],
            )
        )
    return Table(
        slug="compensation-outcomes",
        title=gettext_lazy("Compensation claims by outcome"),
        label_heading=gettext_lazy("Status (currency)"),
        columns=[
            gettext_lazy("Claims"),
            gettext_lazy("Amount claimed"),
            gettext_lazy("Amount awarded"),
        ],
        rows=rows,
        note=gettext_lazy(
            "Claims filed or decided in the year. Amounts of fewer than five "
            "claims are not shown."
        ),
    )


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def table_find(tables: Iterable[Table], slug: str) -> Table | None:
    return next((t for t in tables if t.slug == slug), None)
