"""The pages that record what is done in a case.

Assistance sessions, proceedings and compensation claims (and their later
stage or status), consent given and withdrawn, documents (uploaded
encrypted, downloaded decrypted), notes and tasks: each a ``record_view``
page or a small view of its own over one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import acting_user, second_factor_required
from waypoint.accounts.models import User
from waypoint.cases import forms, selectors, services
from waypoint.cases.documents import EXTENSIONS
from waypoint.cases.models import Case
from waypoint.cases.views.base import apply_errors, case_page, record_view

# --- Assistance, proceedings, compensation ---


def _save_session(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.session_record(
        actor=user,
        case=case,
        kind=data["kind"],
        held_on=data["held_on"],
        duration_minutes=data["duration_minutes"],
        notes=data["notes"],
    )


def _save_proceeding(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.proceeding_record(
        actor=user,
        case=case,
        kind=data["kind"],
        authority=data["authority"],
        stage=data["stage"],
        person_role=data["person_role"],
        started_on=data["started_on"],
        case_number=data["case_number"],
    )


def _save_claim(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.compensation_claim_record(
        actor=user,
        case=case,
        deciding_authority=data["deciding_authority"],
        assisting_authority=data["assisting_authority"],
        crime_country=data["crime_country"],
        status=data["status"],
        filed_on=data["filed_on"],
        decided_on=data["decided_on"],
        currency=data["currency"],
        amount_claimed=data["amount_claimed"],
        amount_awarded=data["amount_awarded"],
    )


session_create = record_view(
    forms.SessionForm, "cases/session_form.html", _save_session
)
proceeding_create = record_view(
    forms.ProceedingForm, "cases/proceeding_form.html", _save_proceeding
)
claim_create = record_view(
    forms.CompensationClaimForm, "cases/claim_form.html", _save_claim
)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def proceeding_stage(request: HttpRequest, pk: int, proceeding_pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    proceeding = get_object_or_404(selectors.proceedings_of(case), pk=proceeding_pk)
    form = forms.ProceedingStageForm(
        request.POST or None, initial={"stage": proceeding.stage}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_stage_set(
                actor=user, proceeding=proceeding, stage=form.cleaned_data["stage"]
            )
        except services.ConcurrentUpdateError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return case_page(request, case.pk)
    return render(
        request,
        "cases/proceeding_stage_form.html",
        {"case": case, "form": form, "proceeding": proceeding},
    )


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def claim_status(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    claim = get_object_or_404(selectors.compensation_claims_of(case), pk=claim_pk)
    form = forms.ClaimStatusForm(
        request.POST or None,
        initial={
            "status": claim.status,
            "filed_on": claim.filed_on,
            "decided_on": claim.decided_on,
            "amount_awarded": claim.amount_awarded,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.compensation_claim_status_set(
                actor=user,
                claim=claim,
                status=data["status"],
                filed_on=data["filed_on"],
                decided_on=data["decided_on"],
                amount_awarded=data["amount_awarded"],
            )
        except services.ConcurrentUpdateError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return case_page(request, case.pk)
    return render(
        request,
        "cases/claim_status_form.html",
        {"case": case, "form": form, "claim": claim},
    )


# --- Consent ---


def _save_consent(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.consent_record(
        actor=user,
        case=case,
        scope=data["scope"],
        recipient=data["recipient"],
        data_categories=data["data_categories"],
        method=data["method"],
        given_on=data["given_on"],
    )


consent_create = record_view(
    forms.ConsentForm, "cases/consent_form.html", _save_consent, while_closed=True
)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    consent = get_object_or_404(
        case.consents, pk=consent_pk, granted=True, replaced_by__isnull=True
    )
    form = forms.ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=user,
                consent=consent,
                method=form.cleaned_data["method"],
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Consent withdrawn."))
            return case_page(request, case.pk)
    return render(
        request,
        "cases/consent_withdraw_form.html",
        {"case": case, "form": form, "consent": consent},
    )


# --- Documents, notes, tasks ---


def _save_document(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.document_add(
        actor=user,
        case=case,
        kind=data["kind"],
        title=data["title"],
        upload=data["file"],
    )


def _save_note(user: User, case: Case, form: Any) -> None:
    services.note_add(actor=user, case=case, text=form.cleaned_data["text"])


def _save_task(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.task_create(
        actor=user,
        case=case,
        title=data["title"],
        due_on=data["due_on"],
        assignee=data["assignee"] or user,
    )


def _staff_kwargs(case: Case) -> dict[str, Any]:
    return {"staff": selectors.case_staff(case)}


document_create = record_view(
    forms.DocumentForm, "cases/document_form.html", _save_document
)
note_create = record_view(forms.NoteForm, "cases/note_form.html", _save_note)
task_create = record_view(
    forms.TaskForm, "cases/task_form.html", _save_task, form_kwargs=_staff_kwargs
)


@second_factor_required
@require_POST
def task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    task = get_object_or_404(case.tasks, pk=task_pk)
    services.task_done(actor=user, task=task)
    return case_page(request, case.pk)


@second_factor_required
@require_http_methods(["GET"])
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The decrypted file, as an attachment under a neutral name."""
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="document")
    document = get_object_or_404(case.documents, pk=document_pk)
    data = services.document_read(actor=user, document=document)
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{case.code}-{document.pk}'
        f'{EXTENSIONS[document.content_type]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
