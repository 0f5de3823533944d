"""The audit log is append-only, enforced by the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from waypoint.accounts.models import AuditEvent, User
from waypoint.accounts.services import audit_event_record

pytestmark = pytest.mark.django_db


def _event(user: User) -> AuditEvent:
    return audit_event_record(actor=user, action="test.done", target=user)


def test_the_database_refuses_to_change_an_audit_row(outsider: User) -> None:
    """Raw SQL and QuerySet.update both fail."""
    event = _event(outsider)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "UPDATE accounts_auditevent SET action = %s WHERE id = %s",
            ["forged", event.pk],
        )
    assert AuditEvent.objects.get(pk=event.pk).action == "test.done"


def test_the_database_refuses_to_delete_an_audit_row(outsider: User) -> None:
    event = _event(outsider)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM accounts_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_saving_an_existing_audit_row_is_refused_in_python(outsider: User) -> None:
    event = _event(outsider)
    event.action = "forged"
    with pytest.raises(ValueError, match="never changed"):
        event.save()
