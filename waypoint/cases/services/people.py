"""People assisted: intake, corrections, possible duplicates."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.cases.models import (
    Case,
    CaseEvent,
    CodeCounter,
    DuplicateStatus,
    Person,
    PossibleDuplicate,
    Stage,
)
from waypoint.cases.selectors import cases_visible_to
from waypoint.cases.services.core import (
    CaseChangedError,
    case_audit_record,
    case_roles_in,
    require_case_access,
    require_staff,
)
from waypoint.lib.crypto import blind_index

# --- People and intake ---


@dataclass
class PersonDetails:
    given_name: str
    family_name: str = ""
    birth_date: datetime.date | None = None
    contact_details: str = ""
    identity_documents: str = ""
    nationality: str = ""
    languages: list[str] = field(default_factory=list)
    interpreter_needed: bool = False
    gender: str = "undisclosed"
    age_band: str = "unknown"
    disability_needs: str = ""


@dataclass
class CaseDetails:
    case_type: str
    stage: str = Stage.IDENTIFICATION
    country_of_origin: str = ""
    transit_countries: list[str] = field(default_factory=list)
    country_of_destination: str = ""
    cross_border: bool = False


def _person_code_next(organization: MemberOrganization) -> str:
    year = timezone.localdate().year
    CodeCounter.objects.get_or_create(organization=organization, year=year)
    # One UPDATE increments and serialises concurrent intakes on the row.
    CodeCounter.objects.filter(organization=organization, year=year).update(
        last=F("last") + 1
    )
    number = CodeCounter.objects.get(organization=organization, year=year).last
    prefix = organization.organization.country or "XX"
    return f"{prefix}-{year}-{number:05d}"


def name_index_of(given_name: str, family_name: str) -> str:
    return blind_index(f"{given_name} {family_name}", purpose="person-name")


@transaction.atomic
def _person_create(
    *, actor: User, organization: MemberOrganization, details: PersonDetails
) -> Person:
    """Record a person; flags (never merges) earlier records with the same name."""
    if not case_roles_in(actor, organization):
        raise PermissionDenied
    if not details.given_name.strip():
        raise ValidationError(_("Enter a given name."), code="required")
    person = Person(
        organization=organization,
        code=_person_code_next(organization),
        given_name=details.given_name.strip(),
        family_name=details.family_name.strip(),
        birth_date=details.birth_date,
        contact_details=details.contact_details,
        identity_documents=details.identity_documents,
        nationality=details.nationality,
        languages=list(details.languages),
        interpreter_needed=details.interpreter_needed,
        gender=details.gender,
        age_band=details.age_band,
        disability_needs=details.disability_needs,
        name_index=name_index_of(details.given_name, details.family_name),
        created_by=actor,
    )
    person.full_clean(exclude=["code", "name_index", "created_by", "organization"])
    person.save()
    earlier = Person.objects.filter(
        organization=organization, name_index=person.name_index
    ).exclude(pk=person.pk)
    PossibleDuplicate.objects.bulk_create(
        [PossibleDuplicate(person=person, other=other) for other in earlier]
    )
    return person


@transaction.atomic
def case_open(
    *,
    actor: User,
    person: Person,
    details: CaseDetails,
    staff: Sequence[User] = (),
) -> Case:
    """Open a case for ``person``; a caseworker opening it is assigned to it."""
    organization = person.organization
    roles = case_roles_in(actor, organization)
    if not roles:
        raise PermissionDenied
    number = Case.objects.filter(person=person).count() + 1
    case = Case(
        organization=organization,
        person=person,
        code=f"{person.code}-{number}",
        case_type=details.case_type,
        stage=details.stage,
        country_of_origin=details.country_of_origin,
        transit_countries=list(details.transit_countries),
        country_of_destination=details.country_of_destination,
        cross_border=details.cross_border,
        created_by=actor,
    )
    case.full_clean(exclude=["code", "person", "organization", "created_by"])
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise CaseChangedError from None
    team = list(staff)
    if Role.CASEWORKER in roles and actor not in team:
        team.append(actor)
    require_staff(organization, team)
    case.assigned.set(team)
    CaseEvent.objects.create(
        case=case, actor=actor, kind="opened", data={"staff": [u.pk for u in team]}
    )
    case_audit_record(actor, "case.opened", case, person=person.pk)
    return case


@transaction.atomic
def case_intake(
    *,
    actor: User,
    organization: MemberOrganization,
    person: PersonDetails,
    case: CaseDetails,
    staff: Sequence[User] = (),
) -> Case:
    """A new person and their first case, together or not at all."""
    created = _person_create(actor=actor, organization=organization, details=person)
    opened = case_open(actor=actor, person=created, details=case, staff=staff)
    duplicates = PossibleDuplicate.objects.filter(person=created).count()
    case_audit_record(
        actor, "person.created", opened, created, duplicates_flagged=duplicates
    )
    return opened


@transaction.atomic
def duplicate_decide(
    *, actor: User, duplicate: PossibleDuplicate, same_person: bool
) -> PossibleDuplicate:
    """Link the pair as one person, or dismiss the flag; records are never merged."""
    cases = Case.objects.filter(person_id__in=[duplicate.person_id, duplicate.other_id])
    visible = cases_visible_to(actor).filter(pk__in=cases)
    if not visible.exists():
        raise PermissionDenied
    if duplicate.status != DuplicateStatus.FLAGGED:
        raise ValidationError(_("This pair was already decided."), code="decided")
    duplicate.status = (
        DuplicateStatus.LINKED if same_person else DuplicateStatus.DISMISSED
    )
    duplicate.decided_at = timezone.now()
    duplicate.decided_by = actor
    duplicate.save(update_fields=["status", "decided_at", "decided_by"])
    case_audit_record(
        actor,
        "person.duplicate_decided",
        visible.first() or cases[0],
        duplicate,
        status=duplicate.status,
    )
    return duplicate


# Fields a correction may change, in the order of the intake form.
PERSON_FIELDS = (
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
)


def person_details_of(person: Person) -> PersonDetails:
    """The person's current details, to start a correction from."""
    return PersonDetails(**{name: getattr(person, name) for name in PERSON_FIELDS})


def _duplicates_refresh(person: Person) -> tuple[int, int]:
    """Re-flag ``person`` after a change of name: undecided flags whose names no
    longer match are dropped, new matches are flagged, decided pairs stay.

    Returns (flagged, dropped).
    """
    pairs = PossibleDuplicate.objects.filter(
        Q(person=person) | Q(other=person), status=DuplicateStatus.FLAGGED
    )
    stale = [
        pair.pk
        for pair in pairs.select_related("person", "other")
        if pair.person.name_index != pair.other.name_index
    ]
    dropped, _deleted = PossibleDuplicate.objects.filter(pk__in=stale).delete()
    paired = set(
        PossibleDuplicate.objects.filter(person=person).values_list("other", flat=True)
    ) | set(
        PossibleDuplicate.objects.filter(other=person).values_list("person", flat=True)
    )
    matches = (
        Person.objects.filter(
            organization_id=person.organization_id, name_index=person.name_index
        )
        .exclude(pk=person.pk)
        .exclude(pk__in=paired)
    )
    created = PossibleDuplicate.objects.bulk_create(
        [PossibleDuplicate(person=person, other=other) for other in matches]
    )
    return len(created), dropped


@transaction.atomic
def person_correct(*, actor: User, case: Case, details: PersonDetails) -> Person:
    """Correct the details of the case's person after intake.

    The audit row names the fields changed, never their values. A new name
    re-computes the blind index and the possible-duplicate flags
    (:func:`_duplicates_refresh`). An anonymised person cannot be corrected.
    """
    require_case_access(actor, case)
    person = Person.objects.get(pk=case.person_id)
    if person.anonymised_at is not None:
        raise ValidationError(
            _("The data of this person was erased."), code="anonymised"
        )
    if not details.given_name.strip():
        raise ValidationError(_("Enter a given name."), code="required")
    wanted: dict[str, Any] = {name: getattr(details, name) for name in PERSON_FIELDS}
    wanted["given_name"] = details.given_name.strip()
    wanted["family_name"] = details.family_name.strip()
    wanted["languages"] = list(details.languages)
    changed = [name for name in PERSON_FIELDS if getattr(person, name) != wanted[name]]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, wanted[name])
    person.full_clean(exclude=["code", "name_index", "created_by", "organization"])
    renamed = bool({"given_name", "family_name"} & set(changed))
    if renamed:
        person.name_index = name_index_of(person.given_name, person.family_name)
    person.save(update_fields=[*changed, *(["name_index"] if renamed else [])])
    flagged, dropped = _duplicates_refresh(person) if renamed else (0, 0)
    case_audit_record(
        actor,
        "person.corrected",
        case,
        person,
        fields=changed,
        duplicates_flagged=flagged,
        duplicates_dropped=dropped,
    )
    return person
