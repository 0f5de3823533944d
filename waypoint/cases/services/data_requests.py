"""Data-subject requests and retention: export, anonymise, keep no longer.

An export gives everything held about a person (machine-readable JSON and a
printable page), for the supervisors of their organisation. Anonymising
erases every value that names, locates or describes the person in free text
(the encrypted columns, documents and notes) and keeps the clear fields the
statistics count (types, stages, dates, countries, age band, gender). The
retention policy of an organisation anonymises people whose cases have all
been closed for longer than it says; ``manage.py apply_retention`` runs it and
is meant to be scheduled daily.
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.accounts.selectors import AnyUser, memberships_active
from waypoint.accounts.services import audit_event_record
from waypoint.cases.models import (
    AssistanceSession,
    Case,
    CaseStatus,
    CompensationClaim,
    Consent,
    Document,
    Identification,
    NeedsAssessment,
    Note,
    Person,
    PossibleDuplicate,
    Proceeding,
    ReflectionPeriod,
    RetentionPolicy,
    RightsInformation,
    RiskAssessment,
    Task,
)
from waypoint.cases.selectors import (
    person_get_for_supervisor,
    supervised_organization_ids,
)
from waypoint.cases.signals import person_anonymising

# --- Export ---


@dataclass
class ExportField:
    name: str
    label: str
    value: Any  # JSON-ready: codes, ISO dates, numbers as text
    shown: str  # for people: choice labels, dates as written


@dataclass
class ExportSection:
    name: str
    label: str
    records: list[list[ExportField]] = field(default_factory=list)


@dataclass
class CaseExport:
    code: str
    fields: list[ExportField]
    sections: list[ExportSection]


@dataclass
class PersonExport:
    code: str
    fields: list[ExportField]
    cases: list[CaseExport]

    def as_json(self) -> str:
        def record(fields: list[ExportField]) -> dict[str, Any]:
            return {f.name: f.value for f in fields}

        return json.dumps(
            {
                "format": "waypoint-person-export/1",
                "person": record(self.fields),
                "cases": [
                    {
                        **record(case.fields),
                        **{
                            section.name: [record(r) for r in section.records]
                            for section in case.sections
                        },
                    }
                    for case in self.cases
                ],
            },
            ensure_ascii=False,
            indent=2,
        )


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _fields(obj: models.Model, names: list[str]) -> list[ExportField]:
    result = []
    for name in names:
        model_field = obj._meta.get_field(name)
        value = getattr(obj, name)
        display = getattr(obj, f"get_{name}_display", None)
        if callable(display):
            shown = str(display())
        elif isinstance(value, User):
            shown = value.get_username()
        elif value is None or value == "":
            shown = "—"
        elif isinstance(value, list):
            shown = ", ".join(str(item) for item in value) or "—"
        else:
            shown = str(getattr(value, "name", value))
        label = str(getattr(model_field, "verbose_name", name))
        result.append(ExportField(name, label, _json_value(value), shown))
    return result


_SECTIONS: list[tuple[type[models.Model], list[str]]] = [
    (Identification, ["status", "decided_on", "authority", "notes", "recorded_by"]),
    (
        NeedsAssessment,
        ["assessed_on", "protection_needs", "special_measures", "notes", "recorded_by"],
    ),
    (RightsInformation, ["given_on", "items", "language", "interpreter"]),
    (RiskAssessment, ["assessed_on", "level", "safety_plan", "recorded_by"]),
    (ReflectionPeriod, ["country", "starts_on", "ends_on", "decision", "decided_on"]),
    (
        AssistanceSession,
        ["kind", "held_on", "duration_minutes", "staff", "notes"],
    ),
    (
        Proceeding,
        ["kind", "authority", "case_number", "stage", "person_role", "started_on"],
    ),
    (
        CompensationClaim,
        [
            "assisting_authority",
            "deciding_authority",
            "crime_country",
            "filed_on",
            "decided_on",
            "currency",
            "amount_claimed",
            "amount_awarded",
            "status",
        ],
    ),
    (
        Consent,
        ["scope", "recipient", "data_categories", "granted", "method", "given_on"],
    ),
    (Document, ["kind", "title", "content_type", "size", "uploaded_at"]),
    (Note, ["text", "author", "created_at"]),
    (Task, ["title", "due_on", "assignee", "done_at"]),
]

PERSON_FIELDS = [
    "code",
    "given_name",
    "family_name",
    "birth_date",
    "contact_details",
    "identity_documents",
    "nationality",
    "languages",
    "interpreter_needed",
    "gender",
    "age_band",
    "disability_needs",
    "created_at",
    "anonymised_at",
]
CASE_FIELDS = [
    "code",
    "case_type",
    "stage",
    "status",
    "country_of_origin",
    "transit_countries",
    "country_of_destination",
    "cross_border",
    "risk_level",
    "opened_at",
    "closed_at",
    "closure_reason",
]


@transaction.atomic
def person_export(*, user: AnyUser, pk: int, purpose: str) -> PersonExport:
    """Everything held about the person; each case's log records the export."""
    person = person_get_for_supervisor(user=user, pk=pk)
    if not isinstance(user, User):
        raise Http404
    cases = []
    for case in person.cases.order_by("opened_at", "id"):
        sections = []
        for model, names in _SECTIONS:
            rows = model._default_manager.filter(case=case).order_by("pk")
            sections.append(
                ExportSection(
                    name=model._meta.model_name or "",
                    label=str(model._meta.verbose_name_plural),
                    records=[_fields(row, names) for row in rows],
                )
            )
        cases.append(CaseExport(case.code, _fields(case, CASE_FIELDS), sections))
        audit_event_record(
            actor=user,
            action="person.exported",
            target=case,
            organization=case.organization,
            details={"record": "cases.person", "id": person.pk, "format": purpose},
        )
    return PersonExport(person.code, _fields(person, PERSON_FIELDS), cases)


# --- Anonymisation ---


@transaction.atomic
def person_anonymise(*, actor: User | None, person: Person) -> Person:
    """Erase the person's personal data; keep what the statistics count.

    ``actor`` is a supervisor of the person's organisation, or ``None`` for
    the retention policy. Every case must be closed first.
    """
    if (
        actor is not None
        and not supervised_organization_ids(actor)
        .filter(organization_id=person.organization_id)
        .exists()
    ):
        raise PermissionDenied
    cases = Case.objects.filter(person=person)
    if cases.filter(status=CaseStatus.OPEN).exists():
        raise ValidationError(
            _("Close the person's cases before anonymising."), code="open_cases"
        )
    if person.anonymised_at is not None:
        return person
    now = timezone.now()
    Person.objects.filter(pk=person.pk).update(
        given_name="",
        family_name="",
        birth_date=None,
        contact_details="",
        identity_documents="",
        disability_needs="",
        name_index="",
        anonymised_at=now,
    )
    in_cases = {"case__in": cases}
    Identification.objects.filter(**in_cases).update(notes="")
    NeedsAssessment.objects.filter(**in_cases).update(notes="")
    RiskAssessment.objects.filter(**in_cases).update(safety_plan="")
    AssistanceSession.objects.filter(**in_cases).update(notes="")
    Proceeding.objects.filter(**in_cases).update(case_number="")
    RightsInformation.objects.filter(**in_cases).update(interpreter="")
    Task.objects.filter(**in_cases).update(title="")
    Note.objects.filter(**in_cases).delete()
    for document in Document.objects.filter(**in_cases):
        # The file goes when the transaction commits: a rollback keeps both.
        if document.file.name:
            transaction.on_commit(
                functools.partial(document.file.storage.delete, document.file.name)
            )
        document.delete()
    PossibleDuplicate.objects.filter(Q(person=person) | Q(other=person)).delete()
    # What the person's referrals carried to other organisations goes too.
    person_anonymising.send(sender=Person, actor=actor, cases=cases, now=now)
    for case in cases:
        audit_event_record(
            actor=actor,
            action="person.anonymised",
            target=case,
            organization=case.organization,
            details={"record": "cases.person", "id": person.pk},
        )
    person.refresh_from_db()
    return person


# --- Retention ---


@transaction.atomic
def retention_policy_set(
    *, actor: User, organization: MemberOrganization, years: int | None
) -> RetentionPolicy | None:
    """Set (or, with ``None``, remove) the organisation's retention period."""
    allowed = memberships_active(actor).filter(
        organization=organization, role__in=[Role.SUPERVISOR, Role.ORG_ADMIN]
    )
    if not allowed.exists():
        raise PermissionDenied
    if years is None:
        RetentionPolicy.objects.filter(organization=organization).delete()
        policy = None
    else:
        if years < 1:
            raise ValidationError(_("At least one year."), code="years")
        policy, _created = RetentionPolicy.objects.update_or_create(
            organization=organization,
            defaults={
                "anonymise_after_years": years,
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
    audit_event_record(
        actor=actor,
        action="retention.set",
        target=organization,
        organization=organization,
        details={"years": years},
    )
    return policy


def _years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def retention_apply(*, now: datetime.datetime | None = None) -> int:
    """Anonymise everyone past their organisation's retention period.

    Returns how many people were anonymised. Each person is one transaction,
    so an interruption keeps what was done and the next run finishes it.
    """
    now = now or timezone.now()
    done = 0
    for policy in RetentionPolicy.objects.select_related("organization"):
        cutoff = _years_before(now, policy.anonymise_after_years)
        due = (
            Person.objects.filter(
                organization_id=policy.organization_id, anonymised_at__isnull=True
            )
            .annotate(
                open_cases=Count("cases", filter=Q(cases__status=CaseStatus.OPEN)),
                last_closed=Max("cases__closed_at"),
            )
            .filter(open_cases=0, last_closed__lte=cutoff)
        )
        for person in due:
            person_anonymise(actor=None, person=person)
            done += 1
    return done
