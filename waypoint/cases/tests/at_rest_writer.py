"""Writes one case into the database named by ``DATABASE_URL`` and stops.

Run by ``test_at_rest.py`` in a separate process so that the SQLite database
is a real file (with its WAL) written the way the server writes it:

    DATABASE_URL=sqlite:///… python -m waypoint.cases.tests.at_rest_writer
"""

from __future__ import annotations

import datetime
import os
import sys

SECRET_NAME = "Zamfiraqueen Oltenescu-Vrancea"
SECRET_DOCUMENT = b"%PDF-1.7 Oltenescu-Vrancea passport RX-987654"
SECRET_PHONE = "+40 721 555 432"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from waypoint.accounts.models import Role
    from waypoint.accounts.testing import staff_make
    from waypoint.cases.models import CaseType
    from waypoint.cases.services import (
        CaseDetails,
        PersonDetails,
        case_intake,
        document_add,
        note_add,
        person_correct,
        person_details_of,
    )
    from waypoint.directory.testing import member_organization_make

    call_command("migrate", verbosity=0, skip_checks=True)
    organization = member_organization_make("Organisation A", country="RO")
    caseworker = staff_make("caseworker_a", organization, Role.CASEWORKER)
    given, family = SECRET_NAME.split(" ")
    case = case_intake(
        actor=caseworker,
        organization=organization,
        person=PersonDetails(
            given_name="Draft",
            family_name=family,
            birth_date=datetime.date(1999, 4, 1),
            contact_details=SECRET_PHONE,
            identity_documents="RX-987654",
        ),
        case=CaseDetails(case_type=CaseType.THB_LABOUR, country_of_origin="MD"),
    )
    # A correction too: the earlier value must not linger in the file either.
    details = person_details_of(case.person)
    details.given_name = given
    person_correct(actor=caseworker, case=case, details=details)
    document_add(
        actor=caseworker,
        case=case,
        kind="identity",
        title=f"Passport of {SECRET_NAME}",
        upload=SimpleUploadedFile("passport.pdf", SECRET_DOCUMENT),
    )
    note_add(actor=caseworker, case=case, text=f"Met {SECRET_NAME} at the station")
    sys.stdout.write(f"case={case.pk}\n")


if __name__ == "__main__":
    main()
