"""The row-based HSDS documents and index sources against the model-based ones."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waypoint.directory.hsds.documents import (
    service_documents,
    service_list_documents,
    service_rows,
)
from waypoint.directory.hsds.indexing import index_sources
from waypoint.directory.hsds.mapping import (
    Context,
    attributes_attach,
    service_dict,
    services_full,
    services_list,
)
from waypoint.directory.models import Attribute, CostOption, Schedule, Service
from waypoint.directory.search import index_row_of, index_source_of
from waypoint.directory.testing import services_make

# Every test compares documents over the demo directory and six varied services.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_directory")]


def _directory() -> list[Any]:
    services_make(6)
    return list(Service.objects.order_by("pk").values_list("pk", flat=True))


@pytest.mark.parametrize("lang", [None, "", "ro", "de"])
@pytest.mark.parametrize("extensions", [False, True])
def test_row_documents_are_the_model_documents_byte_for_byte(
    lang: str | None, extensions: bool
) -> None:
    """Full and list documents, texts, attributes and languages used all match."""
    ids = _directory()
    by_id = {s.pk: s for s in services_full(Service.objects.filter(pk__in=ids))}
    expected_ctx = Context(lang=lang, extensions=extensions)
    expected = [service_dict(by_id[pk], expected_ctx, full=True) for pk in ids]
    attributes_attach(expected, expected_ctx)
    ctx = Context(lang=lang, extensions=extensions)
    documents = service_documents(service_rows(ids), ctx)
    assert json.dumps(documents) == json.dumps(expected)
    assert ctx.languages_used == expected_ctx.languages_used

    listed = {s.pk: s for s in services_list(Service.objects.filter(pk__in=ids))}
    list_ctx = Context(lang=lang, extensions=extensions)
    assert service_list_documents(service_rows(ids), list_ctx) == [
        service_dict(listed[pk], Context(lang=lang, extensions=extensions), full=False)
        for pk in ids
    ]


def test_dates_and_times_read_as_text_are_written_as_the_models_write_them() -> None:
    """On SQLite the row documents keep dates and times as stored text: with
    and without fractions of a second, they match the model documents."""
    ids = _directory()
    service = Service.objects.get(pk=ids[0])
    Service.objects.filter(pk=ids[0]).update(
        updated_at=datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
        last_verified_at=datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
    )
    Schedule.objects.create(
        service=service,
        freq="WEEKLY",
        byday="MO",
        opens_at=time(9, 30, 15, 250000),
        closes_at=time(17, 0),
        valid_from=date(2026, 1, 1),
    )
    CostOption.objects.create(
        service=service, amount=Decimal("12.50"), currency="EUR", option="Fee"
    )
    ctx = Context(lang="", extensions=True)
    expected = [
        service_dict(s, ctx, full=True)
        for s in services_full(Service.objects.filter(pk=ids[0]))
    ]
    attributes_attach(expected, ctx)
    documents = service_documents(
        service_rows(ids[:1]), Context(lang="", extensions=True)
    )
    assert json.dumps(documents) == json.dumps(expected)
    written = json.dumps(documents)
    assert '"last_modified": "2026-03-04T05:06:07.890123+00:00"' in written
    assert '"opens_at": "09:30:15.250000"' in written
    assert '"amount": 12.5' in written


def test_row_documents_keep_the_order_asked_for_and_skip_unknown_ids() -> None:
    """Ids come back in the order given; an id of nothing is left out."""
    ids = _directory()[:3]
    unknown = Attribute.objects.values_list("pk", flat=True).first()
    asked = [ids[2], unknown, ids[0]]
    documents = service_documents(service_rows(asked), Context(lang=""))
    assert [d["id"] for d in documents] == [str(ids[2]), str(ids[0])]


def test_row_documents_read_a_fixed_number_of_statements() -> None:
    """One service or all of them: the same number of SQL statements."""
    ids = _directory()
    with CaptureQueriesContext(connection) as one:
        service_documents(service_rows(ids[:1]), Context(lang=""))
    with CaptureQueriesContext(connection) as every:
        service_documents(service_rows(ids), Context(lang=""))
    assert len(one) == len(every) <= 16


def test_index_sources_give_the_same_index_rows_as_the_models() -> None:
    """The importer's plain-row index sources index exactly as the models do."""
    ids = _directory()
    services = (
        Service.objects.filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related(
            "cost_options",
            "languages",
            "schedules",
            "service_at_locations__location__addresses",
            "service_at_locations__location__languages",
            "service_at_locations__schedules",
        )
    )
    terms: dict[Any, list[Attribute]] = defaultdict(list)
    for attribute in Attribute.objects.filter(
        link_entity__in=["service", "organization"]
    ).select_related("taxonomy_term__taxonomy_ref"):
        terms[attribute.link_id].append(attribute)

    def comparable(row: Any) -> tuple[Any, ...]:
        # Documents are bags of words: the order of rows read may differ.
        return (
            row.name_doc,
            sorted(row.body_doc.split()),
            row.latitude,
            row.longitude,
            row.timezone,
            row.is_active,
            row.facets,
            sorted(row.openings, key=str),
        )

    expected = {
        s.pk: comparable(
            index_row_of(index_source_of(s, terms[s.pk] + terms[s.organization_id]))
        )
        for s in services
    }
    got = {s.service_id: comparable(index_row_of(s)) for s in index_sources(ids)}
    assert got == expected
