"""``dumpdata`` does not write personal data in clear unless told to."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waypoint.accounts.models import MemberOrganization, User
from waypoint.cases.models import Case
from waypoint.cases.tests.conftest import intake
from waypoint.lib.crypto import encrypted_models

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(field_keys: None, caseworker_a: User, org_a: MemberOrganization) -> Case:
    return intake(caseworker_a, org_a, given_name="Ana", family_name="Distinctova")


def _dump(*args: str, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("dumpdata", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("labels", [(), ("cases",), ("cases.Person",)])
def test_a_dump_with_personal_data_is_refused_naming_the_models(
    case: Case, labels: tuple[str, ...]
) -> None:
    with pytest.raises(CommandError) as refused:
        _dump(*labels)
    assert "cases.Person" in str(refused.value)
    assert "--include-personal-data" in str(refused.value)


def test_what_holds_no_personal_data_dumps_as_before(case: Case) -> None:
    """The directory, or the case tables with the encrypted ones left out."""
    out, err = _dump("directory", "accounts.MemberOrganization")
    assert err == ""
    assert any(row["model"] == "accounts.memberorganization" for row in json.loads(out))
    encrypted = [model._meta.label for model in encrypted_models()]
    out, err = _dump("cases", exclude=encrypted)
    assert err == ""
    assert "Distinctova" not in out
    assert any(row["model"] == "cases.case" for row in json.loads(out))


def test_asked_for_it_the_dump_holds_the_data_and_says_so(case: Case) -> None:
    out, err = _dump("cases.Person", include_personal_data=True)
    assert "Distinctova" in out
    assert "personal data in clear text (cases.Person)" in err


def test_an_unknown_label_is_named(case: Case) -> None:
    with pytest.raises(CommandError, match="nosuchapp"):
        _dump("nosuchapp")
