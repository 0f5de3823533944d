"""Importing HSDS 3.0 data: examples, idempotence, refusals, history, sources."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from waypoint.directory.hsds.importer import (
    ImportRefusedError,
    hsds_import,
    sqlite_cache_enlarged,
)
from waypoint.directory.hsds.schema_check import problems
from waypoint.directory.models import (
    ChangeRecord,
    ImportSource,
    Location,
    Organization,
    SearchEntry,
    Service,
)

EXAMPLES = Path("/work/shared/hsds/3.0/examples")
if (
    not EXAMPLES.exists()
):  # the reference files travel with the repository's shared folder
    EXAMPLES = Path(settings.BASE_DIR).parent / "shared" / "hsds" / "3.0" / "examples"
EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"
EXAMPLE_ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
EXAMPLE_SAL = "e94c9f38-1e8f-4564-91d4-d53501ab1765"


def _service(n: int, **extra: object) -> dict[str, object]:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "name": f"Imported service {n}",
        "status": "active",
        "organization": {
            "id": "10000000-0000-4000-8000-000000000001",
            "name": "Partner organisation",
            "description": "A partner",
        },
        "languages": [{"id": f"20000000-0000-4000-8000-{n:012d}", "code": "ro"}],
        **extra,
    }


def _write(tmp_path: Path, data: object, name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "example", [*sorted(p.name for p in EXAMPLES.glob("*.json")), "csv"]
)
def test_every_example_imports_and_is_served_back_schema_valid(
    client: Client, example: str
) -> None:
    """Each HSDS example lands and the API serves it, valid against the schemas."""
    report = hsds_import(path=EXAMPLES / example)
    assert report.total("rejected") == 0
    assert report.problems == []
    for url, schema in [
        ("/api/hsds/services?full=true", None),
        ("/api/hsds/organizations?full_service=true", None),
        ("/api/hsds/service_at_locations?full=true", None),
        ("/api/hsds/taxonomies", None),
        ("/api/hsds/taxonomy_terms", None),
    ]:
        page = client.get(url).json()
        item_schema = (
            schema
            or {
                "services": "service",
                "organizations": "organization",
                "service_at_locations": "service_at_location",
                "taxonomies": "taxonomy",
                "taxonomy_terms": "taxonomy_term",
            }[url.split("/")[3].split("?")[0]]
        )
        for item in page["contents"]:
            assert problems(item_schema, item) == []
    if Service.objects.filter(pk=EXAMPLE_SERVICE).exists():
        document = client.get(f"/api/hsds/services/{EXAMPLE_SERVICE}").json()
        assert problems("service", document) == []
        assert document["name"] == "Community Counselling"


@pytest.mark.django_db
def test_the_examples_together_make_one_listing_with_all_its_parts(
    client: Client,
) -> None:
    """Importing all examples in turn keeps one service, one organisation."""
    for path in [*sorted(EXAMPLES.glob("*.json")), EXAMPLES / "csv"]:
        hsds_import(path=path)
    assert Service.objects.filter(pk=EXAMPLE_SERVICE).count() == 1
    assert Organization.objects.filter(pk=EXAMPLE_ORGANIZATION).count() == 1
    sal = client.get(f"/api/hsds/service_at_locations/{EXAMPLE_SAL}").json()
    assert problems("service_at_location", sal) == []
    assert sal["location"]["addresses"][0]["city"] == "MyCity"


@pytest.mark.django_db
def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    """The second run finds every record unchanged."""
    path = _write(tmp_path, [_service(1), _service(2)])
    first = hsds_import(path=path)
    assert first.total("created") == 5
    history = ChangeRecord.objects.count()
    second = hsds_import(path=path)
    assert second.summary() == "created=0 updated=0 unchanged=5 rejected=0"
    assert ChangeRecord.objects.count() == history


@pytest.mark.django_db
def test_an_id_written_another_way_is_the_same_record(tmp_path: Path) -> None:
    """Upper case, braces and "urn:uuid:" name the same service as before."""
    hsds_import(path=_write(tmp_path, [_service(1)]))
    canonical = "00000000-0000-4000-8000-000000000001"
    for spelling in (
        canonical.upper(),
        "{" + canonical + "}",
        "urn:uuid:" + canonical,
        canonical.replace("-", ""),
    ):
        renamed = _service(1, id=spelling, name=f"Renamed as {spelling}")
        report = hsds_import(path=_write(tmp_path, [renamed]))
        assert report.summary() == "created=0 updated=1 unchanged=2 rejected=0"
        service = Service.objects.get()
        assert str(service.pk) == canonical
        assert service.name == f"Renamed as {spelling}"
    odd = _service(2, id="0000000_-0000-4000-8000-000000000002")
    with pytest.raises(ImportRefusedError) as refused:
        hsds_import(path=_write(tmp_path, [odd]))
    # The service's id, and its language's reference to it.
    assert {(p.field, p.message) for p in refused.value.report.problems} == {
        ("id", "not a UUID"),
        ("service_id", "not a UUID"),
    }
    assert Service.objects.count() == 1


@pytest.mark.django_db
def test_an_update_changes_the_record_and_writes_its_history(tmp_path: Path) -> None:
    """A changed field is updated in place and recorded with the import as actor."""
    hsds_import(path=_write(tmp_path, [_service(1)]), source="partner-feed")
    report = hsds_import(
        path=_write(tmp_path, [_service(1, name="Renamed service")]),
        source="partner-feed",
    )
    assert report.summary() == "created=0 updated=1 unchanged=2 rejected=0"
    service = Service.objects.get()
    assert service.name == "Renamed service"
    change = ChangeRecord.objects.get(resource_id=service.pk, field_name="name")
    assert change.previous_value == "Imported service 1"
    assert change.replacement_value == "Renamed service"
    assert change.actor_label == "import:partner-feed"
    assert change.organization_id == service.organization_id
    assert SearchEntry.objects.get(service=service).name_doc.startswith("renamed")


@pytest.mark.django_db
def test_imported_listings_keep_their_source(tmp_path: Path) -> None:
    """Organisation and service point at the import source, updated not duplicated."""
    path = _write(tmp_path, [_service(1)])
    hsds_import(path=path, source="partner-feed")
    hsds_import(path=path, source="partner-feed")
    source = ImportSource.objects.get()
    assert source.name == "partner-feed"
    assert source.last_imported_at is not None
    assert Service.objects.get().source == source
    assert Organization.objects.get().source == source
    assert Service.objects.count() == 1


@pytest.mark.django_db
def test_a_malformed_input_is_refused_whole_with_named_problems(tmp_path: Path) -> None:
    """Errors name file, record and field; nothing at all is written."""
    bad = _service(2, minimum_age="twelve", status="sometimes")
    path = _write(tmp_path, [_service(1), bad], name="partner.json")
    with pytest.raises(ImportRefusedError) as refused:
        hsds_import(path=path)
    text = "\n".join(str(p) for p in refused.value.report.problems)
    assert "partner.json: service 00000000-0000-4000-8000-000000000002 ([1])" in text
    assert ": minimum_age: not a whole number" in text
    assert ": status: must be one of" in text
    assert Service.objects.count() == 0
    assert Organization.objects.count() == 0
    assert ChangeRecord.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_lands_the_valid_records_and_reports_the_rest(
    tmp_path: Path,
) -> None:
    """With skip_invalid, the bad service and its children are left out."""
    path = _write(tmp_path, [_service(1), _service(2, status="sometimes")])
    report = hsds_import(path=path, skip_invalid=True)
    assert Service.objects.count() == 1
    assert report.total("rejected") == 2  # the service and its language
    assert len(report.problems) == 2


@pytest.mark.django_db
def test_a_reference_to_nothing_is_refused(tmp_path: Path) -> None:
    """A service at a location needs its service and location."""
    data = {
        "id": "30000000-0000-4000-8000-000000000001",
        "service_id": "30000000-0000-4000-8000-000000000002",
        "location": {
            "id": "30000000-0000-4000-8000-000000000003",
            "location_type": "physical",
        },
    }
    with pytest.raises(ImportRefusedError) as refused:
        hsds_import(path=_write(tmp_path, data))
    assert "service_id: refers to service" in str(refused.value.report.problems[0])


@pytest.mark.django_db
def test_an_unknown_optional_link_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """A location of an organisation nobody knows lands, unlinked, and says so."""
    unknown = "40000000-0000-4000-8000-000000000009"
    location = {
        "id": "40000000-0000-4000-8000-000000000002",
        "location_type": "physical",
        "organization_id": unknown,
    }
    data = _service(
        1,
        service_at_locations=[
            {"id": "40000000-0000-4000-8000-000000000001", "location": location}
        ],
    )
    report = hsds_import(path=_write(tmp_path, data))
    assert report.total("rejected") == 0
    assert [(w.field, w.message) for w in report.warnings] == [
        ("organization_id", f"unknown organization {unknown}: link left out")
    ]
    stored = Location.objects.get(pk=location["id"])
    assert stored.organization_id is None


@pytest.mark.django_db
def test_unreadable_files_are_refused_with_the_file_named(tmp_path: Path) -> None:
    """Not JSON at all: the problem names the file."""
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ImportRefusedError) as refused:
        hsds_import(path=path)
    assert str(refused.value.report.problems[0]).startswith("broken.json: (file)")


@pytest.mark.django_db
def test_a_zipped_csv_package_imports_like_the_folder(tmp_path: Path) -> None:
    """The tabular package may come as a zip."""
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in (EXAMPLES / "csv").iterdir():
            out.write(path, f"hsds/{path.name}")
    report = hsds_import(path=archive)
    assert report.total("rejected") == 0
    assert Service.objects.filter(pk=EXAMPLE_SERVICE).exists()


@pytest.mark.django_db
def test_a_dry_run_counts_without_writing(tmp_path: Path) -> None:
    """dry_run reports what would happen and writes nothing."""
    report = hsds_import(path=_write(tmp_path, [_service(1)]), dry_run=True)
    assert report.total("created") == 3
    assert Service.objects.count() == 0
    assert ImportSource.objects.count() == 0


@pytest.mark.django_db
def test_the_command_prints_a_summary_and_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """hsds_import ends with the counts; bad input makes it fail."""
    call_command("hsds_import", str(_write(tmp_path, [_service(1)])))
    assert "created=3 updated=0 unchanged=0 rejected=0" in capsys.readouterr().out
    bad = _write(tmp_path, [_service(3, status="x")], name="bad.json")
    with pytest.raises(CommandError, match="Import refused"):
        call_command("hsds_import", str(bad))
    assert "bad.json: service" in capsys.readouterr().err


def test_killing_an_import_midway_leaves_the_database_as_it_was(
    tmp_path: Path,
) -> None:
    """SIGKILL during a large import: nothing of it is in the database."""
    database = tmp_path / "kill.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "kill-test",
        "WAYPOINT_HTTPS": "0",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run(  # noqa: S603 - our own manage.py
        [*manage, "migrate", "-v0"], env=env, check=True, timeout=300
    )
    feed = _write(tmp_path, [_service(n) for n in range(1, 6001)])
    kills = 0
    for delay in (0.5, 1.5, 3.0):
        process = subprocess.Popen(  # noqa: S603 - our own manage.py
            [*manage, "hsds_import", str(feed)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        with sqlite3.connect(database) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = db.execute("SELECT COUNT(*) FROM directory_service").fetchone()[0]
            history = db.execute(
                "SELECT COUNT(*) FROM directory_changerecord"
            ).fetchone()[0]
        if count == 0:  # killed before the commit: nothing of it is there
            assert history == 0
            assert process.returncode == -signal.SIGKILL
        else:  # committed, though a kill may land as it exits: all of it is there
            assert count == 6000
            shutil.copy(database, tmp_path / "done.sqlite3")
            break
    assert kills >= 1


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting")
def test_an_import_takes_a_larger_sqlite_cache_and_gives_it_back() -> None:
    """While an import writes, SQLite's page cache is the configured size;
    afterwards, and after a failure, the connection has its own size again."""

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return int(cursor.fetchone()[0])

    before = cache_size()
    with sqlite_cache_enlarged(256):
        assert cache_size() == -256 * 1024
    assert cache_size() == before
    with pytest.raises(RuntimeError), sqlite_cache_enlarged(128):
        raise RuntimeError("the import failed")
    assert cache_size() == before
