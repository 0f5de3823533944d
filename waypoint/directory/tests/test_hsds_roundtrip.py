"""HSDS export, and the round trip export → import into an empty directory → export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from waypoint.directory.hsds.exporter import hsds_export
from waypoint.directory.hsds.importer import hsds_import
from waypoint.directory.hsds.mapping import TABLES
from waypoint.directory.hsds.schema_check import problems
from waypoint.directory.models import (
    Attribute,
    ChangeRecord,
    ImportSource,
    Location,
    Organization,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from waypoint.directory.testing import services_make


def _empty_directory() -> None:
    Attribute.objects.all().delete()
    Organization.objects.all().delete()
    Location.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
    ChangeRecord.objects.all().delete()
    ImportSource.objects.all().delete()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _round_trip(tmp_path: Path) -> None:
    first = tmp_path / "first"
    hsds_export(path=first)
    services = Service.objects.count()

    _empty_directory()
    report = hsds_import(path=first, source="round-trip")
    assert report.total("rejected") == 0
    assert Service.objects.count() == services
    second = tmp_path / "second"
    hsds_export(path=second)
    assert _files(second) == _files(first)

    _empty_directory()
    hsds_import(path=first / "services.json", source="round-trip-json")
    third = tmp_path / "third"
    hsds_export(path=third)
    # services.json nests the organisations of services only: a link to a
    # parent organisation without services has nothing to point at.
    assert _without_parents(third / "services.json") == _without_parents(
        first / "services.json"
    )


def _without_parents(path: Path) -> list[dict[str, object]]:
    documents = json.loads(path.read_text())
    for document in documents:
        document["organization"].pop("parent_organization_id", None)
    return list(documents)


def _export_is_schema_valid(folder: Path) -> None:
    documents = json.loads((folder / "services.json").read_text())
    assert documents
    for document in documents:
        assert problems("service", document) == []
    package = json.loads((folder / "datapackage.json").read_text())
    assert {r["path"] for r in package["resources"]} == {t.filename for t in TABLES}
    for resource in package["resources"]:
        header = (folder / resource["path"]).read_text().splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]


@pytest.mark.django_db
def test_the_demo_directory_survives_export_import_export_unchanged(
    demo_directory: None, tmp_path: Path
) -> None:
    """Exporting, importing into an empty directory and exporting again is identical."""
    hsds_export(path=tmp_path / "check")
    _export_is_schema_valid(tmp_path / "check")
    _round_trip(tmp_path)


@pytest.mark.django_db
def test_a_generated_directory_survives_export_import_export_unchanged(
    tmp_path: Path,
) -> None:
    """The same round trip on a generated directory with every nested object."""
    services_make(25)
    hsds_export(path=tmp_path / "check")
    _export_is_schema_valid(tmp_path / "check")
    _round_trip(tmp_path)


@pytest.mark.django_db
def test_the_export_leaves_out_services_the_public_cannot_see(tmp_path: Path) -> None:
    """Inactive services and their rows are not exported."""
    shown, hidden = services_make(2)
    Service.objects.filter(pk=hidden.pk).update(status=Service.Status.DEFUNCT)
    hsds_export(path=tmp_path)
    services_csv = (tmp_path / "services.csv").read_text()
    assert str(shown.pk) in services_csv
    assert str(hidden.pk) not in services_csv
    assert str(hidden.pk) not in (tmp_path / "service_at_location.csv").read_text()
    assert str(hidden.pk) not in (tmp_path / "attributes.csv").read_text()
