"""The case page's timeline and the lists beside it: staff, duplicates,
proceedings, claims, identification dates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from waypoint.accounts.models import Role, User
from waypoint.cases.models import (
    AssistanceSession,
    Case,
    CaseEvent,
    ClaimStatus,
    CompensationClaim,
    Consent,
    Document,
    Identification,
    IdentificationStatus,
    NeedsAssessment,
    Note,
    PossibleDuplicate,
    Proceeding,
    ProceedingKind,
    ProceedingStage,
    ReflectionPeriod,
    RightsInformation,
    RiskAssessment,
    Task,
)

# --- The timeline ---


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str
    label: str
    actor: User | None
    on: datetime.date | None = None


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """Everything recorded in the case, newest first, derived from its records.

    Call it only with a case from :func:`case_get_for_user` (the read is
    audited there). Labels name types and statuses, never free text.
    """
    entries: list[TimelineEntry] = []
    for event in CaseEvent.objects.filter(case=case).select_related("actor"):
        entries.append(
            TimelineEntry(event.at, "event", _event_label(event), event.actor)
        )
    for ident in Identification.objects.filter(case=case).select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                ident.recorded_at,
                "identification",
                _("Identification: %(status)s")
                % {"status": ident.get_status_display()},
                ident.recorded_by,
                ident.decided_on,
            )
        )
    for needs in NeedsAssessment.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                needs.recorded_at,
                "needs",
                _("Individual needs assessment"),
                needs.recorded_by,
                needs.assessed_on,
            )
        )
    for rights in RightsInformation.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                rights.recorded_at,
                "rights",
                _("Information on rights given"),
                rights.recorded_by,
                rights.given_on,
            )
        )
    for risk in RiskAssessment.objects.filter(case=case).select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                risk.recorded_at,
                "risk",
                _("Risk assessment: %(level)s") % {"level": risk.get_level_display()},
                risk.recorded_by,
                risk.assessed_on,
            )
        )
    for period in ReflectionPeriod.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                period.recorded_at,
                "reflection",
                _("Recovery and reflection period until %(end)s: %(decision)s")
                % {
                    "end": period.ends_on.isoformat(),
                    "decision": period.get_decision_display(),
                },
                period.recorded_by,
                period.starts_on,
            )
        )
    for session in AssistanceSession.objects.filter(case=case).select_related("staff"):
        entries.append(
            TimelineEntry(
                session.recorded_at,
                "session",
                _("%(kind)s, %(minutes)s minutes")
                % {
                    "kind": session.get_kind_display(),
                    "minutes": session.duration_minutes,
                },
                session.staff,
                session.held_on,
            )
        )
    for proceeding in Proceeding.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                proceeding.recorded_at,
                "proceeding",
                (
                    _("Criminal proceeding recorded: %(stage)s")
                    if proceeding.kind == ProceedingKind.CRIMINAL
                    else _("Civil proceeding recorded: %(stage)s")
                )
                % {"stage": proceeding.get_stage_display()},
                proceeding.recorded_by,
                proceeding.started_on,
            )
        )
    for claim in CompensationClaim.objects.filter(case=case).select_related(
        "recorded_by"
    ):
        entries.append(
            TimelineEntry(
                claim.recorded_at,
                "compensation",
                _("Compensation claim: %(status)s")
                % {"status": claim.get_status_display()},
                claim.recorded_by,
                claim.filed_on,
            )
        )
    for consent in Consent.objects.filter(case=case).select_related("recorded_by"):
        label = (
            _("Consent given: %(scope)s")
            if consent.granted
            else _("Consent withdrawn: %(scope)s")
        )
        entries.append(
            TimelineEntry(
                consent.recorded_at,
                "consent",
                label % {"scope": consent.get_scope_display()},
                consent.recorded_by,
                consent.given_on,
            )
        )
    for document in Document.objects.filter(case=case).select_related("uploaded_by"):
        entries.append(
            TimelineEntry(
                document.uploaded_at,
                "document",
                _("Document added: %(kind)s") % {"kind": document.get_kind_display()},
                document.uploaded_by,
            )
        )
    for note in Note.objects.filter(case=case).select_related("author"):
        entries.append(TimelineEntry(note.created_at, "note", _("Note"), note.author))
    for task in Task.objects.filter(case=case).select_related("created_by"):
        entries.append(
            TimelineEntry(
                task.created_at,
                "task",
                _("Task due %(due)s") % {"due": task.due_on.isoformat()},
                task.created_by,
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _event_label(event: CaseEvent) -> str:
    if event.kind == "proceeding_stage":
        stage = event.data.get("stage", "")
        return _("Proceeding moved to: %(stage)s") % {
            "stage": _choice_label(ProceedingStage, stage)
        }
    if event.kind == "claim_status":
        status = event.data.get("status", "")
        return _("Compensation claim now: %(status)s") % {
            "status": _choice_label(ClaimStatus, status)
        }
    labels = {
        "opened": _("Case opened"),
        "stage": _("Stage changed"),
        "closed": _("Case closed"),
        "reopened": _("Case reopened"),
        "assigned": _("Assigned staff changed"),
        "risk": _("Risk level changed"),
    }
    return str(labels.get(event.kind, event.kind))


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def case_staff(case: Case) -> QuerySet[User]:
    """Who may be assigned to the case: its organisation's case staff."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization_id=case.organization_id,
            memberships__is_active=True,
            memberships__role__in=[Role.CASEWORKER, Role.SUPERVISOR],
        )
        .distinct()
        .order_by("username")
    )


def duplicates_of(case: Case) -> QuerySet[PossibleDuplicate]:
    """Flags (undecided or decided) naming the case's person, either side."""
    return PossibleDuplicate.objects.filter(
        Q(person_id=case.person_id) | Q(other_id=case.person_id)
    ).select_related("person", "other")


def proceedings_of(case: Case) -> QuerySet[Proceeding]:
    return Proceeding.objects.filter(case=case).select_related("authority")


def compensation_claims_of(case: Case) -> QuerySet[CompensationClaim]:
    return CompensationClaim.objects.filter(case=case).select_related(
        "assisting_authority", "deciding_authority"
    )


def identification_dates(case: Case) -> list[tuple[str, datetime.date]]:
    """The first date each identification status was reached, in status order."""
    reached: dict[str, datetime.date] = {}
    rows = Identification.objects.filter(case=case).values_list("status", "decided_on")
    for status, decided_on in rows:
        if status not in reached or decided_on < reached[status]:
            reached[status] = decided_on
    return [
        (str(label), reached[value])
        for value, label in IdentificationStatus.choices
        if value in reached
    ]
