"""Organisation administrators invite staff by email; a link works once."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import (
    AuditEvent,
    Invitation,
    MemberOrganization,
    Membership,
    Role,
    User,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a sturdy new passphrase"


def _invite(
    client: Client,
    organization: MemberOrganization,
    capture: Any,
    email: str = "new.colleague@example.org",
    role: str = Role.CASEWORKER,
    profession: str = "social_worker",
) -> str:
    with capture(execute=True):
        response = client.post(
            reverse("accounts:invitation_create", args=[organization.pk]),
            {"email": email, "role": role, "profession": profession},
        )
    assert response.status_code == 302, response.content
    match = re.search(
        r"http://testserver(/\S+/invitation/\S+/)", str(mail.outbox[-1].body)
    )
    assert match is not None
    return match.group(1)


def _accept(link: str, username: str = "newcolleague") -> Any:
    return Client().post(
        link,
        {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_an_invitation_creates_the_account_and_its_role_once(
    org_admin_a_client: Client,
    org_admin_a: User,
    org_a: MemberOrganization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The email carries a link; following it sets the password; the link
    then stops working. Only a hash of the token is stored."""
    link = _invite(org_admin_a_client, org_a, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["new.colleague@example.org"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert not Invitation.objects.filter(token_hash=token).exists()

    assert Client().get(link).status_code == 200
    assert _accept(link).status_code == 302
    user = User.objects.get(username="newcolleague")
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role, membership.profession) == (
        org_a,
        Role.CASEWORKER,
        "social_worker",
    )
    assert _accept(link, "someone_else").status_code == 404
    assert not User.objects.filter(username="someone_else").exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"invitation.created", "invitation.accepted"} <= actions


def test_an_expired_invitation_does_not_work(
    org_admin_a_client: Client,
    org_a: MemberOrganization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Links expire after INVITATION_VALID_DAYS."""
    link = _invite(org_admin_a_client, org_a, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _accept(link).status_code == 404
    assert not User.objects.filter(username="newcolleague").exists()


def test_a_weak_password_or_taken_username_keeps_the_link_usable(
    org_admin_a_client: Client,
    org_a: MemberOrganization,
    caseworker_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Errors are shown with the form; the invitation is not used up."""
    link = _invite(org_admin_a_client, org_a, django_capture_on_commit_callbacks)
    short = Client().post(
        link, {"username": "x1", "password1": "short", "password2": "short"}
    )
    assert short.status_code == 400
    assert b'role="alert"' in short.content
    taken = _accept(link, "caseworker_a")
    assert taken.status_code == 400
    assert _accept(link).status_code == 302


def test_caseworkers_need_a_profession(
    org_admin_a_client: Client, org_a: MemberOrganization
) -> None:
    """The form refuses a caseworker without one."""
    response = org_admin_a_client.post(
        reverse("accounts:invitation_create", args=[org_a.pk]),
        {"email": "x@example.org", "role": Role.CASEWORKER, "profession": ""},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_platform_admin_appoints_the_first_administrator(
    platform_admin_client: Client,
    org_b: MemberOrganization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A new member organisation gets its administrator by invitation."""
    link = _invite(
        platform_admin_client,
        org_b,
        django_capture_on_commit_callbacks,
        email="boss@example.org",
        role=Role.ORG_ADMIN,
        profession="",
    )
    _accept(link, "boss")
    assert Membership.objects.get(user__username="boss").role == Role.ORG_ADMIN


def test_an_administrator_cannot_invite_into_another_organisation(
    org_admin_a_client: Client, org_b: MemberOrganization
) -> None:
    """Another organisation's pages answer 404."""
    response = org_admin_a_client.post(
        reverse("accounts:invitation_create", args=[org_b.pk]),
        {"email": "x@example.org", "role": Role.ORG_ADMIN},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()
