"""Statistics pages: figures, "<5" suppression, charts, access and scoping."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from defusedcsv import csv
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from waypoint.accounts.models import MemberOrganization, User
from waypoint.activities.models import (
    Event,
    EventType,
    FundingProgramme,
    ParticipantCount,
    Project,
)
from waypoint.cases.models import (
    AgeBand,
    Case,
    CaseType,
    ClaimStatus,
    Gender,
    ReflectionDecision,
    SessionKind,
)
from waypoint.cases.services import (
    CaseDetails,
    PersonDetails,
    case_intake,
    compensation_claim_record,
    reflection_period_decide,
    reflection_period_start,
    session_record,
)
from waypoint.directory.models import Organization
from waypoint.referrals import services as referral_services
from waypoint.referrals.models import Priority, Referral
from waypoint.reports.charts import bar_chart
from waypoint.reports.statistics import (
    Row,
    Table,
    activity_tables,
    casework_tables,
    count_cell,
    table_find,
)

YEAR = 2025


def _cases(
    actor: User,
    organization: MemberOrganization,
    n: int,
    *,
    case_type: str = CaseType.THB_LABOUR,
    nationality: str = "MD",
    gender: str = Gender.FEMALE,
    age_band: str = AgeBand.YOUNG,
    month: int = 3,
) -> list[Case]:
    cases = []
    for i in range(n):
        case = case_intake(
            actor=actor,
            organization=organization,
            person=PersonDetails(
                given_name=f"Person{i}{case_type}{month}",
                family_name="Statistics",
                nationality=nationality,
                gender=gender,
                age_band=age_band,
            ),
            case=CaseDetails(case_type=case_type),
        )
        opened = datetime.datetime(YEAR, month, 10, 12, tzinfo=datetime.UTC)
        Case.objects.filter(pk=case.pk).update(opened_at=opened)
        case.opened_at = opened
        cases.append(case)
    return cases


def _figures(table: Table | None) -> dict[str, list[str]]:
    assert table is not None
    return {row.label: [c.text for c in row.cells] for row in table.rows}


@pytest.fixture
def casework(
    field_keys: None,
    supervisor_a: User,
    caseworker_b: User,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
) -> list[Case]:
    """Organisation A: 6 labour cases in March (Moldovan women, 18-24) and 2
    sexual-exploitation cases in May (Romanian men, 25-34). Organisation B:
    7 asylum cases in March."""
    labour = _cases(supervisor_a, org_a, 6)
    _cases(
        supervisor_a,
        org_a,
        2,
        case_type=CaseType.THB_SEXUAL,
        nationality="RO",
        gender=Gender.MALE,
        age_band=AgeBand.ADULT,
        month=5,
    )
    _cases(caseworker_b, org_b, 7, case_type=CaseType.ASYLUM, nationality="UA")
    day = datetime.date(YEAR, 4, 1)
    for case in labour:
        session_record(
            actor=supervisor_a,
            case=case,
            kind=SessionKind.LEGAL_COUNSELLING,
            held_on=day,
            duration_minutes=90,
        )
    session_record(
        actor=supervisor_a,
        case=labour[0],
        kind=SessionKind.PSYCHOLOGICAL,
        held_on=day,
        duration_minutes=60,
    )
    for case in labour[:5]:
        period = reflection_period_start(actor=supervisor_a, case=case, starts_on=day)
        reflection_period_decide(
            actor=supervisor_a,
            period=period,
            decision=ReflectionDecision.COOPERATE,
            decided_on=day,
        )
    authority = Organization.objects.create(name="Compensation board", country="RO")
    for case in labour[:2]:
        compensation_claim_record(
            actor=supervisor_a,
            case=case,
            deciding_authority=authority,
            crime_country="RO",
            filed_on=day,
            amount_claimed=Decimal(1000),
            status=ClaimStatus.FILED,
        )
    return labour


def test_counts_from_one_to_four_are_shown_as_less_than_five() -> None:
    """1 to 4 become "<5"; zero and five or more are shown as they are."""
    assert [count_cell(n).text for n in (0, 1, 4, 5, 12)] == [
        "0",
        "<5",
        "<5",
        "5",
        "12",
    ]
    assert count_cell(3).export == "<5"
    assert count_cell(7).export == 7


@pytest.mark.django_db
def test_casework_tables_suppress_small_counts(
    casework: list[Case], org_a: MemberOrganization
) -> None:
    """New cases, sessions, hours, reflection periods and claims of organisation
    A, with every figure below five and what is derived from it hidden."""
    tables = casework_tables(organizations=[org_a], year=YEAR)
    by_month = _figures(table_find(tables, "cases-by-month"))
    assert by_month["March"] == ["6"]
    assert by_month["May"] == ["<5"]
    assert by_month["January"] == ["0"]
    matrix = _figures(table_find(tables, "cases-by-month-and-type"))
    assert matrix["trafficking: labour exploitation"][2] == "6"
    assert matrix["trafficking: sexual exploitation"][4] == "<5"
    assert matrix["trafficking: sexual exploitation"][12] == "<5"
    assert _figures(table_find(tables, "cases-by-nationality")) == {
        "Moldova": ["6"],
        "Romania": ["<5"],
    }
    assert _figures(table_find(tables, "cases-by-age-band")) == {
        "18 to 24": ["6"],
        "25 to 34": ["<5"],
    }
    assert _figures(table_find(tables, "cases-by-gender")) == {
        "female": ["6"],
        "male": ["<5"],
    }
    assert _figures(table_find(tables, "assistance-by-type")) == {
        "legal counselling": ["6", "6", "9.0"],
        "psychological counselling": ["<5", "<5", "<5"],
    }
    assert _figures(table_find(tables, "reflection-periods")) == {
        "cooperates with the authorities": ["5"],
    }
    assert _figures(table_find(tables, "compensation-outcomes")) == {
        "filed (EUR)": ["<5", "<5", "<5"],
    }


def _refer(
    actor: User,
    case: Case,
    *,
    recipient: MemberOrganization | None = None,
    external: Organization | None = None,
    priority: str = Priority.ROUTINE,
) -> Referral:
    return referral_services.referral_send(
        actor=actor,
        case=case,
        recipient=recipient,
        external_recipient=external,
        external_email="desk@example.org" if external else "",
        needs=["shelter"],
        respond_by=datetime.date(YEAR + 2, 1, 1),
        data_categories=["case_summary"],
        override_reason="The person asked for it in the interview.",
        priority=priority,
    )


@pytest.fixture
def referrals(
    casework: list[Case],
    supervisor_a: User,
    caseworker_b: User,
    org_b: MemberOrganization,
) -> None:
    """Five of organisation A's labour cases referred to organisation B
    (Germany) as urgent, each accepted, after 10 to 50 hours; one more to a
    Bulgarian police unit outside the platform, not answered."""
    for hours, case in zip((10, 20, 30, 40, 50), casework[:5], strict=True):
        sent = datetime.datetime(YEAR, 6, 1, 9, tzinfo=datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=sent):
            referral = _refer(supervisor_a, case, recipient=org_b, priority="urgent")
        accepted = sent + datetime.timedelta(hours=hours)
        with mock.patch("django.utils.timezone.now", return_value=accepted):
            referral_services.referral_accept(actor=caseworker_b, referral=referral)
    police = Organization.objects.create(name="Police unit", country="BG")
    external = _refer(supervisor_a, casework[5], external=police)
    Referral.objects.filter(pk=external.pk).update(
        sent_at=datetime.datetime(YEAR, 6, 1, tzinfo=datetime.UTC)
    )


@pytest.mark.django_db
def test_referral_statistics_by_country_status_and_time_to_acceptance(
    referrals: None, org_a: MemberOrganization, org_b: MemberOrganization
) -> None:
    """Germany counts five sent and accepted, a median of 30 hours; Bulgaria,
    outside the platform, one: "<5" and no median."""
    tables = casework_tables(organizations=[org_a], year=YEAR)
    assert _figures(table_find(tables, "referrals-by-destination-country")) == {
        "Bulgaria": ["<5", "0", "–"],
        "Germany": ["5", "5", "30.0"],
    }
    assert _figures(table_find(tables, "referrals-by-status")) == {
        "sent": ["<5"],
        "accepted": ["5"],
    }
    assert _figures(table_find(tables, "referrals-time-to-acceptance")) == {
        "urgent": ["5", "30.0"],
    }
    # The recipient does not count them as its own referrals.
    theirs = casework_tables(organizations=[org_b], year=YEAR)
    assert table_find(theirs, "referrals-by-status").rows == []  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_median_of_fewer_than_five_people_is_not_shown(
    referrals: None, org_a: MemberOrganization
) -> None:
    """With one of the five accepted referrals sent the year after, four
    remain: their count and their median are both "<5"."""
    latest = Referral.objects.filter(status="accepted").order_by("-sent_at").first()
    assert latest is not None
    Referral.objects.filter(pk=latest.pk).update(
        sent_at=latest.sent_at.replace(year=YEAR + 1)
    )
    tables = casework_tables(organizations=[org_a], year=YEAR)
    assert _figures(table_find(tables, "referrals-by-destination-country"))[
        "Germany"
    ] == ["<5", "<5", "<5"]
    assert _figures(table_find(tables, "referrals-time-to-acceptance")) == {
        "urgent": ["<5", "<5"],
    }


@pytest.mark.django_db
def test_many_sessions_of_one_person_are_hidden_like_a_small_count(
    casework: list[Case], supervisor_a: User, org_a: MemberOrganization
) -> None:
    """Eight interpretation sessions of one person: the people, the sessions
    and the hours are all "<5", since together they describe that person."""
    for day in range(1, 9):
        session_record(
            actor=supervisor_a,
            case=casework[0],
            kind=SessionKind.INTERPRETATION,
            held_on=datetime.date(YEAR, 6, day),
            duration_minutes=60,
        )
    tables = casework_tables(organizations=[org_a], year=YEAR)
    assert _figures(table_find(tables, "assistance-by-type"))["interpretation"] == [
        "<5",
        "<5",
        "<5",
    ]


def test_a_chart_draws_no_bar_for_a_suppressed_figure() -> None:
    """A figure of 1 to 4 gets no bar of its size (a bar's length would tell
    the number): only the text "<5"; zero gets an empty bar and "0"."""
    table = Table(
        slug="t",
        title="Test",
        label_heading="Label",
        columns=["Count"],
        rows=[
            Row(label="Many", cells=[count_cell(40)]),
            Row(label="Few", cells=[count_cell(3)]),
            Row(label="None", cells=[count_cell(0)]),
        ],
    )
    svg = str(bar_chart(table, chart_id="c"))
    widths = re.findall(r'<rect x="\d+" y="\d+" width="(\d+)"', svg)
    assert widths[0] == "350"
    assert widths[1:] == ["0", "0"]
    assert "&lt;5" in svg
    assert "Few: &lt;5" in svg
    assert ">3<" not in svg


@pytest.mark.django_db
def test_the_supervisor_of_one_organisation_sees_only_its_numbers(
    casework: list[Case], supervisor_a_client: Client
) -> None:
    """Organisation B's seven asylum cases are not in organisation A's page."""
    url = reverse("reports:casework") + f"?year={YEAR}"
    response = supervisor_a_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "trafficking: labour exploitation" in html
    assert "asylum and migration" not in html
    assert "Ukraine" not in html
    assert "no-store" in response["Cache-Control"]
    assert "&lt;5" in html
    assert 'role="img"' in html
    assert "style=" not in html


@pytest.mark.django_db
def test_the_caseworker_of_the_other_organisation_sees_only_theirs(
    casework: list[Case], caseworker_b_client: Client
) -> None:
    """Organisation B's caseworker counts its 7 asylum cases and none of A's."""
    url = reverse(
        "reports:casework_table", kwargs={"slug": "cases-by-nationality", "fmt": "csv"}
    )
    response = caseworker_b_client.get(url + f"?year={YEAR}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Nationality", "New cases"], ["Ukraine", "7"]]


@pytest.mark.django_db
def test_accounts_without_a_case_role_cannot_see_casework_statistics(
    casework: list[Case],
    outsider_client: Client,
    org_admin_a_client: Client,
    platform_admin_client: Client,
    client: Client,
) -> None:
    """No role, an organisation administrator and the platform administrator
    get 403; an anonymous visitor is sent to sign in. Downloads likewise."""
    page = reverse("reports:casework")
    download = reverse(
        "reports:casework_table", kwargs={"slug": "cases-by-month", "fmt": "xlsx"}
    )
    for denied in (outsider_client, org_admin_a_client, platform_admin_client):
        assert denied.get(page).status_code == 403
        assert denied.get(download).status_code == 403
    for url in (page, download):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/" in response["Location"]


@pytest.mark.django_db
def test_the_activity_statistics_are_public_and_count_the_demo_events(
    demo: None, client: Client
) -> None:
    """By type, profession, country, project and year, with charts and tables."""
    response = client.get(reverse("reports:activities"))
    assert response.status_code == 200
    html = response.content.decode()
    for slug in (
        "events-by-type",
        "events-by-profession",
        "events-by-country",
        "events-by-project",
        "events-by-year",
    ):
        assert f'id="{slug}-title"' in html
        assert f'aria-labelledby="chart-{slug}-title chart-{slug}-desc"' in html
        assert f"/en/reports/statistics/{slug}.csv" in html
    assert "style=" not in html
    tables = activity_tables(year=2019, language="en")
    by_year = _figures(
        table_find(activity_tables(year=None, language="en"), "events-by-year")
    )
    events_2019 = Event.objects.filter(start_date__year=2019).count()
    assert by_year["2019"][0] == str(events_2019)
    # 54+51+24+33+18+41+24+14+24: the recorded totals of 2019.
    assert by_year["2019"][1] == "283"
    assert _figures(table_find(tables, "events-by-country"))["Germany"] == ["<5", "14"]


@pytest.mark.django_db
def test_an_unknown_year_or_table_is_refused(demo: None, client: Client) -> None:
    """A year outside the list is a 400 page; an unknown table a 404."""
    assert client.get(reverse("reports:activities") + "?year=1800").status_code == 400
    url = reverse("reports:activities_table", kwargs={"slug": "nope", "fmt": "csv"})
    assert client.get(url).status_code == 404


MALICIOUS = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.django_db
def test_a_formula_in_a_name_is_neutralised_in_csv_and_xlsx(
    db: None, client: Client
) -> None:
    """An event organised abroad under a formula-like project label cannot run
    as a formula: the CSV and the XLSX both hold it as text."""
    project = Project.objects.create(
        title=MALICIOUS,
        acronym="",
        funding_programme=FundingProgramme.OTHER,
        start_date=datetime.date(2019, 1, 1),
    )
    for i, label in enumerate(("@SUM(1+1)", "+cmd", "-2+3", "\tx")):
        Project.objects.create(
            title=label,
            funding_programme=FundingProgramme.OTHER,
            start_date=datetime.date(2019, 1, 1),
            acronym="",
        )
        Event.objects.create(
            type=EventType.SEMINAR,
            title=f"e{i}",
            start_date=datetime.date(2019, 2, 1),
            project=Project.objects.get(title=label),
        )
    event = Event.objects.create(
        type=EventType.WORKSHOP,
        title="w",
        start_date=datetime.date(2019, 3, 1),
        project=project,
    )
    ParticipantCount.objects.create(
        event=event, dimension=ParticipantCount.Dimension.TOTAL, count=30
    )
    kwargs = {"slug": "events-by-project"}
    csv_response = client.get(
        reverse("reports:activities_table", kwargs={**kwargs, "fmt": "csv"})
    )
    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    labels = {row[0] for row in rows[1:]}
    assert "'" + MALICIOUS in labels
    assert {"'@SUM(1+1)", "'+cmd", "'-2+3", "'\tx"} <= labels
    assert all(not re.match(r"[=+\-@\t\r]", label) for label in labels)
    assert next(r for r in rows if r[0] == "'" + MALICIOUS)[1:] == ["<5", "30"]

    xlsx_response = client.get(
        reverse("reports:activities_table", kwargs={**kwargs, "fmt": "xlsx"})
    )
    assert xlsx_response.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet is not None
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    xlsx_labels = {row[0] for row in cells}
    assert "'" + MALICIOUS in xlsx_labels
    assert all(isinstance(v, str) and v[0] not in "=+-@\t\r" for v in xlsx_labels)
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert next(r for r in cells if r[0] == "'" + MALICIOUS)[1:] == ("<5", 30)
