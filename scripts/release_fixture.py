"""Write the backup of a small instance that the upgrade drill restores.

    .venv/bin/python scripts/release_fixture.py

Run it with the code of a release, just before the next one changes the
models: it builds a throw-away SQLite instance in a temporary folder (its
keys are the test-only ones in ``waypoint/ops/tests/fixtures/release/keys.env``,
never used anywhere else), writes through the services an organisation, a
caseworker, a case with a document and a consent, and a referral with an
attachment, and backs it up with ``manage.py backup`` into
``waypoint/ops/tests/fixtures/release/`` (the database gzipped, so that the
repository holds tens of kilobytes, not megabytes).
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "waypoint" / "ops" / "tests" / "fixtures" / "release"
KEYS = FIXTURE / "keys.env"
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def keys() -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in KEYS.read_text().splitlines()
        if line and not line.startswith("#")
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="waypoint-release-fixture-"))
    os.environ.update(
        {
            **keys(),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "release-fixture-only-secret-key-0123456789abcdef",
            "WAYPOINT_HTTPS": "0",
            "WAYPOINT_TASKS_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "WAYPOINT_VAR_DIR": str(folder),
        }
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import datetime

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone

    from waypoint.accounts.models import Role
    from waypoint.accounts.testing import staff_make
    from waypoint.cases.models import CaseType
    from waypoint.cases.services import (
        CaseDetails,
        PersonDetails,
        case_intake,
        consent_record,
        document_add,
    )
    from waypoint.directory.testing import member_organization_make
    from waypoint.referrals.services import referral_message_add, referral_send

    call_command("migrate", verbosity=0)
    sender = member_organization_make("Release fixture sender", country="RO")
    recipient = member_organization_make("Release fixture recipient", country="SE")
    caseworker = staff_make("fixture_caseworker", sender, Role.CASEWORKER)
    staff_make("fixture_recipient", recipient, Role.CASEWORKER)
    case = case_intake(
        actor=caseworker,
        organization=sender,
        person=PersonDetails(
            given_name="Ilinca",
            family_name="Fixturescu",
            contact_details="+40 721 000 222",
            identity_documents="RX 654321",
            nationality="MD",
            languages=["ro"],
        ),
        case=CaseDetails(case_type=CaseType.THB_LABOUR, country_of_origin="MD"),
        staff=(caseworker,),
    )
    document_add(
        actor=caseworker,
        case=case,
        kind="other",
        title="Statement",
        upload=SimpleUploadedFile("statement.pdf", PDF),
    )
    consent_record(
        actor=caseworker,
        case=case,
        scope="sharing",
        method="signed",
        given_on=datetime.date(2026, 12, 1),
        data_categories=("identity", "situation", "needs"),
        recipient=recipient.organization,
    )
    referral = referral_send(
        actor=caseworker,
        case=case,
        recipient=recipient,
        needs=["legal-counselling"],
        respond_by=timezone.localdate() + datetime.timedelta(days=14),
        data_categories=["identity"],
    )
    referral_message_add(
        actor=caseworker,
        referral=referral,
        text="The statement is attached.",
        uploads=[SimpleUploadedFile("statement.pdf", PDF)],
    )
    backup = folder / "backup"
    call_command("backup", str(backup), actor="release-fixture")
    kept = KEYS.read_text()
    shutil.rmtree(FIXTURE, ignore_errors=True)
    shutil.copytree(backup, FIXTURE)
    database = FIXTURE / "database.sqlite3"
    with database.open("rb") as plain, gzip.open(f"{database}.gz", "wb", 9) as packed:
        shutil.copyfileobj(plain, packed)
    database.unlink()
    KEYS.write_text(kept)
    shutil.rmtree(folder, ignore_errors=True)
    print(
        f"Wrote {FIXTURE.relative_to(ROOT)} (case {case.pk}, referral {referral.pk})."
    )


if __name__ == "__main__":
    main()
