"""The search engine itself: matching, ranking, filters, counts, distance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from waypoint.directory.search import SearchQuery, run_search
from waypoint.directory.testing import service_make

pytestmark = pytest.mark.django_db


def _ids(**kwargs: object) -> list[object]:
    return list(run_search(SearchQuery(**kwargs), now=timezone.now()).service_ids)  # type: ignore[arg-type]


def test_text_in_any_language_and_script_finds_the_service() -> None:
    sofia = service_make(name="Правна помощ", city="София", country="BG", language="bg")
    athens = service_make(name="Νομική βοήθεια", city="Αθήνα", country="GR")
    assert _ids(text="sofia") == [sofia.pk]
    assert _ids(text="Athina") == [athens.pk]
    assert _ids(text="pravna") == [sofia.pk]
    # Country names are searchable in every platform language.
    assert _ids(text="Bulgarien") == [sofia.pk]
    assert _ids(text="Grecia") == [athens.pk]


def test_all_words_must_match_and_names_rank_first() -> None:
    in_name = service_make(name="Shelter for women", description="")
    in_text = service_make(name="Counselling", description="also a shelter for women")
    service_make(name="Shelter", description="for men")
    assert _ids(text="shelter women") == [in_name.pk, in_text.pk]


def test_prefixes_match_while_typing() -> None:
    service = service_make(name="Psychological counselling")
    assert _ids(text="psycho coun") == [service.pk]


def test_filters_narrow_and_counts_follow_the_results() -> None:
    a = service_make(types=["shelter"], languages=["ro", "en"], free=True)
    service_make(types=["shelter"], languages=["ro"], free=False)
    service_make(types=["hotline"], country="BG", city="Варна")
    page = run_search(
        SearchQuery(types=["shelter"], languages=["en"]), now=timezone.now()
    )
    assert page.service_ids == [a.pk]
    everything = run_search(SearchQuery(), now=timezone.now())
    assert everything.facet_counts["type"] == {"shelter": 2, "hotline": 1}
    assert everything.facet_counts["country"] == {"RO": 2, "BG": 1}
    assert everything.facet_counts["free"] == {"1": 1}
    assert _ids(free=True) == [a.pk]
    assert len(_ids(country="BG")) == 1
    assert len(_ids(city="Варна")) == 1


def test_open_now_uses_the_services_local_time() -> None:
    """09:00–17:00 in Bucharest is open at 08:00 UTC on a Monday in winter."""
    open_service = service_make(
        name="Day centre", hours=("MO,TU,WE,TH,FR", dt.time(9), dt.time(17))
    )
    service_make(name="Weekend", hours=("SA,SU", dt.time(9), dt.time(17)))
    service_make(name="No hours")
    monday_0800_utc = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    page = run_search(SearchQuery(open_now=True), now=monday_0800_utc)
    assert page.service_ids == [open_service.pk]
    monday_0630_utc = dt.datetime(2026, 11, 23, 6, 30, tzinfo=dt.UTC)  # 08:30 local
    assert run_search(SearchQuery(open_now=True), now=monday_0630_utc).total == 0


def test_hours_past_midnight_count_on_the_next_morning() -> None:
    night = service_make(name="Night line", hours=("FR", dt.time(22), dt.time(6)))
    saturday_0300_local = dt.datetime(2026, 11, 28, 1, 0, tzinfo=dt.UTC)
    assert run_search(
        SearchQuery(open_now=True), now=saturday_0300_local
    ).service_ids == [night.pk]


def test_distance_sort_puts_the_nearest_first_and_measures_it() -> None:
    bucharest = service_make(
        name="B", city="București", latitude=44.43, longitude=26.10
    )
    brasov = service_make(name="A", city="Brașov", latitude=45.66, longitude=25.61)
    nowhere = service_make(name="C", latitude=None, longitude=None)
    page = run_search(SearchQuery(near=(45.65, 25.60)), now=timezone.now())
    assert page.service_ids == [brasov.pk, bucharest.pk, nowhere.pk]
    assert page.distances_km[brasov.pk] < 2
    assert 130 < page.distances_km[bucharest.pk] < 150


def test_pages_split_the_results() -> None:
    for i in range(5):
        service_make(name=f"Service {i}")
    first = run_search(SearchQuery(per_page=2, page=1), now=timezone.now())
    third = run_search(SearchQuery(per_page=2, page=3), now=timezone.now())
    assert first.total == third.total == 5
    assert len(first.service_ids) == 2 and len(third.service_ids) == 1
    assert run_search(SearchQuery(per_page=2, page=9), now=timezone.now()).total == 5


def test_inactive_services_are_not_found() -> None:
    service = service_make(name="Closed shelter")
    service.status = "defunct"
    service.save()
    from waypoint.directory.search import search_index_refresh

    search_index_refresh([service.pk])
    assert _ids(text="shelter") == []


def test_ranked_pages_of_a_text_search_follow_one_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pages of many equally relevant matches neither overlap nor skip, with or
    without filters, however the page was found: from the best few matches
    (in one or more rounds) or from all of them."""
    from waypoint.directory import search

    wanted = set()
    for i in range(9):
        # Ties in score (two kinds of description) and in name (pairs), names
        # written in the reverse of their order: the first written (whose
        # full-text rows come first) are not the first shown.
        service = service_make(
            name=f"Legal aid {'zyxwv'[i // 2]}",
            description="legal" * (i % 2),
            types=["shelter"] if i % 3 else ["hotline"],
        )
        wanted.add(service.pk)
    closed = service_make(name="Legal aid b")
    closed.status = "defunct"
    closed.save()
    search.search_index_refresh([closed.pk])
    service_make(name="Medical care")

    def pages(**kwargs: object) -> list[object]:
        found: list[object] = []
        for page in range(1, 11):
            found += _ids(text="legal", per_page=1, page=page, **kwargs)
        return found

    everything = pages()
    shelters = pages(types=["shelter"])
    assert len(everything) == len(set(everything)) == 9 and set(everything) == wanted
    assert len(shelters) == len(set(shelters)) == 6
    for candidates, rounds in ((1, 2), (1, 1), (200, 0)):
        # One candidate per page: ties and filters need more rounds; with no
        # rounds left every match is ranked with its entry.
        monkeypatch.setattr(search, "_CANDIDATES", candidates)
        monkeypatch.setattr(search, "_CANDIDATE_ROUNDS", rounds)
        assert pages() == everything
        assert pages(types=["shelter"]) == shelters


def test_a_text_search_leaves_the_planner_as_it_found_it() -> None:
    """On PostgreSQL a text search turns sequential scans off for its own
    statements only: the request's later queries plan as usual."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the planner setting exists on PostgreSQL only")
    service = service_make(name="Legal counselling")
    with connection.cursor() as cursor:
        assert _ids(text="legal") == [service.pk]
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
