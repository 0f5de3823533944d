"""Statistics of the activities (public) and of casework (anonymised, scoped).

Every table here is built from aggregate queries: no row about a person ever
leaves the database (the durations behind a median are the one bounded list
of numbers that does, without anything identifying). Counts from 1 to 4 are
shown as "<5" (``Cell``) so that nobody can be singled out, and so is any
figure about fewer than five people: six sessions of one person, the hours,
amounts and medians of a handful of people. Zero stays zero: it singles
nobody out. No table has a total row.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
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
    Person,
    ReflectionDecision,
    ReflectionPeriod,
    SessionKind,
)
from waypoint.lib.countries import country_name
from waypoint.referrals.models import (
    Priority,
    Referral,
    ReferralEvent,
)
from waypoint.referrals.models import Status as ReferralStatus

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

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
    """A figure about ``base`` people (or records): hidden when they are few."""
    return Cell(value, suppressed=is_small(base))


def record_cell(count: int | None, *, people: int | None) -> Cell:
    """A count of records (cases, sessions, claims) about ``people`` people.

    Hidden when the records are few, and when they are many but about few
    people: twelve sessions of one person single that person out.
    """
    return Cell(count, suppressed=is_small(count) or is_small(people))


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


# The people behind records of cases: each case is of one person.
_CASE_PEOPLE = Count("case__person", distinct=True)

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


_PEOPLE = Count("person", distinct=True)


def _count_rows(
    counts: dict[str, tuple[int, int]], labels: dict[str, str]
) -> list[Row]:
    rows = [
        Row(
            label=labels.get(str(key), str(key) or _("not recorded")),
            cells=[record_cell(n, people=people)],
        )
        for key, (n, people) in counts.items()
    ]
    return sorted(rows, key=lambda r: r.label)


def _month_of(field: str, year: int) -> SqlCase:
    """The month (1 to 12) of ``field``, a time in ``year``, in local time.

    Plain comparisons with the first days of the months: the databases
    compare those natively, where extracting a local month calls a function
    per row (one written in Python, on SQLite).
    """
    zone = timezone.get_current_timezone()
    return SqlCase(
        *(
            When(
                **{f"{field}__lt": datetime.datetime(year, month + 1, 1, tzinfo=zone)},
                then=Value(month),
            )
            for month in range(1, 12)
        ),
        default=Value(12),
        output_field=IntegerField(),
    )


def casework_tables(
    *,
    organizations: Sequence[MemberOrganization] | QuerySet[MemberOrganization],
    year: int,
) -> list[Table]:
    """New cases, assistance, reflection periods and compensation in ``year``.

    Only the cases of ``organizations`` (the asking user's) are counted.
    """
    # Their ids as a list: a subquery here makes SQLite's planner pick an
    # index of the wrong organisation column (the recipient's, for referrals).
    organization_ids = [o.pk for o in organizations]
    cases = Case.objects.filter(organization__in=organization_ids, opened_at__year=year)
    count_column: list[str | Promise] = [gettext_lazy("New cases")]

    type_labels = {k: str(v) for k, v in CaseType.choices}
    matrix: dict[str, dict[int, tuple[int, int]]] = {}
    for case_type, month, n, p in (
        cases.annotate(month=_month_of("opened_at", year))
        .values("case_type", "month")
        .annotate(n=Count("id"), p=_PEOPLE)
        .order_by()
        .values_list("case_type", "month", "n", "p")
    ):
        matrix.setdefault(case_type, {})[month] = (n, p)
    # The people of a month (of a type's year) are at least those of its
    # busiest type (month), and they matter only while fewer than five (a
    # record count is hidden then). So only the months and types whose
    # lower bound is that small are counted again, not the whole year twice.
    per_month: dict[int, tuple[int, int]] = {}
    type_people: dict[str, int] = {}
    for case_type, months in matrix.items():
        type_people[case_type] = max(p for _n, p in months.values())
        for month, (n, p) in months.items():
            before = per_month.get(month, (0, 0))
            per_month[month] = (before[0] + n, max(before[1], p))
    few_months = [m for m, (_n, p) in per_month.items() if p < THRESHOLD]
    if few_months:
        for month, p in (
            cases.annotate(month=_month_of("opened_at", year))
            .filter(month__in=few_months)
            .values("month")
            .annotate(p=_PEOPLE)
            .order_by()
            .values_list("month", "p")
        ):
            per_month[month] = (per_month[month][0], p)
    few_types = [t for t, p in type_people.items() if p < THRESHOLD]
    if few_types:
        type_people.update(
            cases.filter(case_type__in=few_types)
            .values("case_type")
            .annotate(p=_PEOPLE)
            .order_by()
            .values_list("case_type", "p")
        )
    by_month = Table(
        slug="cases-by-month",
        title=gettext_lazy("New cases per month"),
        label_heading=gettext_lazy("Month"),
        columns=count_column,
        rows=[
            Row(label=str(MONTHS[m]), cells=[_month_cell(per_month, m)])
            for m in range(1, 13)
        ],
    )
    by_month_type = Table(
        slug="cases-by-month-and-type",
        title=gettext_lazy("New cases per month by type"),
        label_heading=gettext_lazy("Type of case"),
        columns=[*_months(), gettext_lazy("Year")],
        rows=sorted(
            (
                Row(
                    label=type_labels.get(case_type, case_type),
                    cells=[_month_cell(months, m) for m in range(1, 13)]
                    + [
                        record_cell(
                            sum(n for n, _p in months.values()),
                            people=type_people.get(case_type, 0),
                        )
                    ],
                )
                for case_type, months in matrix.items()
            ),
            key=lambda r: r.label,
        ),
        chart_column=12,
    )

    # One pass over the people of the year's cases for the three tables: a
    # person has one nationality, age band and gender, so the people of each
    # group add up exactly.
    by_attribute: dict[str, dict[str, tuple[int, int]]] = {
        "nationality": {},
        "age_band": {},
        "gender": {},
    }
    for nationality, age_band, gender, n, p in _people_attributes(cases):
        for name, value in (
            ("nationality", nationality),
            ("age_band", age_band),
            ("gender", gender),
        ):
            before = by_attribute[name].get(value, (0, 0))
            by_attribute[name][value] = (before[0] + n, before[1] + p)
    nationalities = by_attribute["nationality"]
    by_nationality = Table(
        slug="cases-by-nationality",
        title=gettext_lazy("New cases by nationality"),
        label_heading=gettext_lazy("Nationality"),
        columns=count_column,
        rows=_count_rows(
            nationalities, {code: country_name(code) for code in nationalities if code}
        ),
    )
    by_age = Table(
        slug="cases-by-age-band",
        title=gettext_lazy("New cases by age band"),
        label_heading=gettext_lazy("Age band"),
        columns=count_column,
        rows=_ordered(
            _count_rows(by_attribute["age_band"], _labels(AgeBand.choices)),
            [str(v) for _k, v in AgeBand.choices],
        ),
    )
    by_gender = Table(
        slug="cases-by-gender",
        title=gettext_lazy("New cases by gender"),
        label_heading=gettext_lazy("Gender"),
        columns=count_column,
        rows=_ordered(
            _count_rows(by_attribute["gender"], _labels(Gender.choices)),
            [str(v) for _k, v in Gender.choices],
        ),
    )
    return [
        by_month,
        by_month_type,
        by_nationality,
        by_age,
        by_gender,
        _sessions_table(organization_ids, year),
        _reflection_table(organization_ids, year),
        _compensation_table(organization_ids, year),
        *_referral_tables(organization_ids, year),
    ]


def _people_attributes(
    cases: QuerySet[Case],
) -> list[tuple[str, str, str, int, int]]:
    """Cases and people by nationality, age band and gender, together.

    The cases are counted per person first and the people looked up after:
    one lookup per person, in the order of their ids, instead of one per
    case in the order of opening with a sort of the people to count them
    distinctly (a third less time for a busy year, on SQLite).
    """
    per_person = cases.values(pid=F("person")).annotate(n=Count("id")).order_by()
    inner, params = per_person.query.sql_with_params()
    connection = connections[cases.db]
    quote = connection.ops.quote_name
    column = {field.name: str(field.column) for field in Person._meta.concrete_fields}
    columns = [
        f"p.{quote(column[name])}" for name in ("nationality", "age_band", "gender")
    ]
    grouped = ", ".join(columns)
    sql = (
        # Names from the models, quoted; the values are parameters.
        f"SELECT {grouped}, SUM(k.n), COUNT(*) FROM ({inner}) k "  # noqa: S608
        f"INNER JOIN {quote(Person._meta.db_table)} p "
        f"ON k.pid = p.{quote(Person._meta.pk.get_attname())} GROUP BY {grouped}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (str(nat), str(band), str(gender), int(n), int(people))
            for nat, band, gender, n, people in cursor.fetchall()
        ]


def _month_cell(counts: dict[int, tuple[int, int]], month: int) -> Cell:
    n, people = counts.get(month, (0, 0))
    return record_cell(n, people=people)


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    return {k: str(v) for k, v in choices}


def _ordered(rows: list[Row], order: list[str]) -> list[Row]:
    return sorted(rows, key=lambda r: order.index(r.label) if r.label in order else 99)


def _sessions_table(
    organizations: Sequence[int],
    year: int,
) -> Table:
    # Per person first, then per kind: grouping by person streams in the
    # order of an index of the cases (organisation, person), where counting
    # distinct people per kind directly sorts every session of the year.
    per_person = (
        AssistanceSession.objects.filter(
            case__organization__in=organizations, held_on__year=year
        )
        .values("case__person")
        .order_by()
    )
    aggregates: dict[str, Count | Sum] = {}
    for kind in SessionKind.values:
        per_person = per_person.annotate(
            **{
                f"n_{kind}": Count("id", filter=Q(kind=kind)),
                f"m_{kind}": Sum("duration_minutes", filter=Q(kind=kind)),
            }
        )
        aggregates[f"people_{kind}"] = Count(
            f"n_{kind}", filter=Q(**{f"n_{kind}__gt": 0})
        )
        aggregates[f"sessions_{kind}"] = Sum(f"n_{kind}")
        aggregates[f"minutes_{kind}"] = Sum(f"m_{kind}")
    totals = per_person.aggregate(**aggregates)
    grouped = [
        {
            "kind": kind,
            "n": totals[f"sessions_{kind}"],
            "people": totals[f"people_{kind}"],
            "minutes": totals[f"minutes_{kind}"],
        }
        for kind in SessionKind.values
        if totals[f"sessions_{kind}"]
    ]
    labels = _labels(SessionKind.choices)
    rows = []
    for item in grouped:
        people = int(item["people"])
        hours = (Decimal(int(item["minutes"] or 0)) / 60).quantize(Decimal("0.1"))
        rows.append(
            Row(
                label=labels.get(str(item["kind"]), str(item["kind"])),
                cells=[
                    count_cell(people),
                    record_cell(int(item["n"]), people=people),
                    derived_cell(hours, base=people),
                ],
            )
        )
    return Table(
        slug="assistance-by-type",
        title=gettext_lazy("Assistance sessions by type"),
        label_heading=gettext_lazy("Type of assistance"),
        columns=[
            gettext_lazy("People assisted"),
            gettext_lazy("Sessions"),
            gettext_lazy("Hours"),
        ],
        rows=_ordered(rows, [str(v) for _k, v in SessionKind.choices]),
        chart_column=2,
        note=gettext_lazy(
            "Sessions and hours of fewer than five people are not shown."
        ),
    )


def _reflection_table(
    organizations: Sequence[int],
    year: int,
) -> Table:
    grouped = (
        ReflectionPeriod.objects.filter(
            case__organization__in=organizations, starts_on__year=year
        )
        .values("decision")
        .annotate(n=Count("id"), people=_CASE_PEOPLE)
        .order_by("decision")
    )
    counts = {
        str(item["decision"]): (int(item["n"]), int(item["people"])) for item in grouped
    }
    return Table(
        slug="reflection-periods",
        title=gettext_lazy("Recovery and reflection periods started, by decision"),
        label_heading=gettext_lazy("Decision"),
        columns=[gettext_lazy("Periods started")],
        rows=[
            Row(
                label=str(label),
                cells=[record_cell(counts[value][0], people=counts[value][1])],
            )
            for value, label in ReflectionDecision.choices
            if value in counts
        ],
    )


def _compensation_table(
    organizations: Sequence[int],
    year: int,
) -> Table:
    grouped = (
        CompensationClaim.objects.filter(case__organization__in=organizations)
        .filter(Q(filed_on__year=year) | Q(decided_on__year=year))
        .values("status", "currency")
        .annotate(
            n=Count("id"),
            people=_CASE_PEOPLE,
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
        people = int(item["people"])
        rows.append(
            Row(
                label=f"{labels[str(item['status'])]} ({item['currency']})",
                cells=[
                    record_cell(n, people=people),
                    derived_cell(_decimal(item["claimed"]), base=people),
                    derived_cell(_decimal(item["awarded"]), base=people),
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
            "people are not shown."
        ),
    )


class _Hours(Func):
    """The hours from a start (second) to an end (first), as the database
    works them out: SQLite subtracting a Python function's differences, one
    call per row, made the time to acceptance a second of the page."""

    arg_joiner = " - "
    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)"
    output_field = FloatField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 24.0)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _referral_tables(
    organizations: Sequence[int],
    year: int,
) -> list[Table]:
    """Referrals sent in ``year``: where to, how they stand, how fast accepted.

    The destination country is the recipient's country in the directory,
    whether the recipient is a member organisation or an organisation
    outside the platform. The time to acceptance runs from sending (the
    referral's "sent" event) to its "accepted" event.
    """
    referrals = Referral.objects.filter(
        sender_organization__in=organizations, sent_at__year=year
    )
    destination = Coalesce(
        "recipient__organization__country", "external_recipient__country"
    )
    sent = {
        country: (int(n), int(people))
        for country, n, people in referrals.annotate(destination=destination)
        .values("destination")
        .annotate(n=Count("id"), people=_CASE_PEOPLE)
        .order_by()
        .values_list("destination", "n", "people")
    }
    accepted = (
        ReferralEvent.objects.filter(
            referral__sender_organization__in=organizations,
            referral__sent_at__year=year,
            to_status=ReferralStatus.ACCEPTED,
        )
        .annotate(
            destination=Coalesce(
                "referral__recipient__organization__country",
                "referral__external_recipient__country",
            ),
            waited=_Hours(F("at"), F("referral__sent_at")),
        )
        .values_list(
            "destination", "referral__priority", "referral__case__person", "waited"
        )
        .order_by()
    )
    # One row per accepted referral of the year: a bounded list of durations.
    by_country: dict[str | None, _Waits] = {}
    by_priority: dict[str, _Waits] = {}
    for country, priority, person, waited in accepted:
        hours = float(waited)
        by_country.setdefault(country or None, _Waits()).add(person, hours)
        by_priority.setdefault(priority, _Waits()).add(person, hours)

    country_rows = []
    for country, (n, people) in sent.items():
        waits = by_country.get(country or None, _Waits())
        country_rows.append(
            Row(
                label=country_name(country) if country else _("not recorded"),
                cells=[
                    record_cell(n, people=people),
                    record_cell(waits.count, people=waits.people),
                    derived_cell(waits.median, base=waits.people),
                ],
            )
        )
    by_destination = Table(
        slug="referrals-by-destination-country",
        title=gettext_lazy("Referrals sent, by country of the recipient"),
        label_heading=gettext_lazy("Country of the recipient"),
        columns=[
            gettext_lazy("Referrals sent"),
            gettext_lazy("Accepted"),
            gettext_lazy("Median hours to acceptance"),
        ],
        rows=sorted(country_rows, key=lambda r: r.label),
        note=gettext_lazy(
            "Referrals sent in the year, to member organisations and to "
            "organisations outside the platform. Medians of fewer than five "
            "people are not shown."
        ),
    )

    statuses = {
        status: (int(n), int(people))
        for status, n, people in referrals.values("status")
        .annotate(n=Count("id"), people=_CASE_PEOPLE)
        .order_by()
        .values_list("status", "n", "people")
    }
    by_status = Table(
        slug="referrals-by-status",
        title=gettext_lazy("Referrals sent, by status today"),
        label_heading=gettext_lazy("Status"),
        columns=[gettext_lazy("Referrals")],
        rows=[
            Row(
                label=str(label),
                cells=[record_cell(statuses[value][0], people=statuses[value][1])],
            )
            for value, label in ReferralStatus.choices
            if value in statuses
        ],
    )

    by_urgency = Table(
        slug="referrals-time-to-acceptance",
        title=gettext_lazy("Time to acceptance of the referrals sent, by priority"),
        label_heading=gettext_lazy("Priority"),
        columns=[
            gettext_lazy("Accepted"),
            gettext_lazy("Median hours to acceptance"),
        ],
        rows=[
            Row(
                label=str(label),
                cells=[
                    record_cell(urgency.count, people=urgency.people),
                    derived_cell(urgency.median, base=urgency.people),
                ],
            )
            for value, label in Priority.choices
            if (urgency := by_priority.get(value)) is not None
        ],
        chart_column=1,
        note=gettext_lazy(
            "From sending to acceptance, whatever came after. Medians of fewer "
            "than five people are not shown."
        ),
    )
    return [by_destination, by_status, by_urgency]


@dataclass
class _Waits:
    """The hours to acceptance of some referrals, and the people they were for."""

    hours: list[float] = field(default_factory=list)
    persons: set[object] = field(default_factory=set)

    def add(self, person: object, hours: float) -> None:
        self.hours.append(hours)
        self.persons.add(person)

    @property
    def count(self) -> int:
        return len(self.hours)

    @property
    def people(self) -> int:
        return len(self.persons)

    @property
    def median(self) -> Decimal | None:
        if not self.hours:
            return None
        return Decimal(f"{statistics.median(self.hours):.1f}")


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def table_find(tables: Iterable[Table], slug: str) -> Table | None:
    return next((t for t in tables if t.slug == slug), None)
