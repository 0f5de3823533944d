"""The pages about the person rather than one case.

Corrections of the person's details (also after closing: the right to
rectification), the decision on a possible duplicate, the data-subject
requests (export, erasure) that only the supervisors of the person's
organisation may make, after giving their password and code again, and the
retention period those supervisors set.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import (
    acting_user,
    reauthentication_required,
    second_factor_required,
)
from waypoint.accounts.models import User
from waypoint.accounts.selectors import supervised_organizations
from waypoint.cases import forms, selectors, services
from waypoint.cases.models import Case, RetentionPolicy
from waypoint.cases.services import data_requests
from waypoint.cases.views.base import View, apply_errors, case_page, record_view

# --- People ---


def _save_person(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.person_correct(
        actor=user,
        case=case,
        details=services.PersonDetails(
            **{name: data[name] for name in services.PERSON_FIELDS}
        ),
    )


def _person_kwargs(case: Case) -> dict[str, Any]:
    return {"initial": vars(services.person_details_of(case.person))}


# A correction may be needed after closing too (the right to rectification).
person_edit = record_view(
    forms.PersonForm,
    "cases/person_form.html",
    _save_person,
    form_kwargs=_person_kwargs,
    while_closed=True,
)


@second_factor_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int, duplicate_pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    duplicate = get_object_or_404(selectors.duplicates_of(case), pk=duplicate_pk)
    same = request.POST.get("decision")
    if same not in {"linked", "dismissed"}:
        return HttpResponse(status=400)
    try:
        services.duplicate_decide(
            actor=user, duplicate=duplicate, same_person=same == "linked"
        )
    except ValidationError:
        messages.error(request, _("This pair was already decided."))
    return case_page(request, case.pk)


# --- Data-subject requests and retention ---


def _person_request(view: View) -> View:
    """Supervisors of the person's organisation only (404 for anyone else, before
    any prompt), then the password and code again (re-authentication)."""
    protected = reauthentication_required(view)

    @second_factor_required
    @wraps(view)
    def wrapper(request: HttpRequest, person_pk: int) -> HttpResponse:
        selectors.person_get_for_supervisor(user=acting_user(request), pk=person_pk)
        return protected(request, person_pk)

    return cast(View, wrapper)


@require_http_methods(["GET"])
def _export_json(request: HttpRequest, person_pk: int) -> HttpResponse:
    export = data_requests.person_export(
        user=acting_user(request), pk=person_pk, purpose="json"
    )
    response = HttpResponse(export.as_json(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{export.code}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET"])
def _export_print(request: HttpRequest, person_pk: int) -> HttpResponse:
    export = data_requests.person_export(
        user=acting_user(request), pk=person_pk, purpose="print"
    )
    return render(request, "cases/person_export.html", {"export": export})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def _anonymise(request: HttpRequest, person_pk: int) -> HttpResponse:
    user = acting_user(request)
    person = selectors.person_get_for_supervisor(user=user, pk=person_pk)
    form = forms.AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_requests.person_anonymise(actor=user, person=person)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The person's data was erased."))
            return redirect("cases:home")
    return render(
        request, "cases/anonymise_form.html", {"person": person, "form": form}
    )


person_export_json = _person_request(_export_json)
person_export_print = _person_request(_export_print)
person_anonymise = _person_request(_anonymise)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def retention(request: HttpRequest) -> HttpResponse:
    """Supervisors set how long their organisation keeps people's data."""
    user = acting_user(request)
    organizations = supervised_organizations(user).select_related("organization")
    if not organizations.exists():
        raise Http404
    form = forms.RetentionForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data_requests.retention_policy_set(
            actor=user,
            organization=form.cleaned_data["organization"],
            years=form.cleaned_data["years"],
        )
        messages.success(request, _("Saved."))
        return redirect("cases:retention")
    policies = RetentionPolicy.objects.filter(organization__in=organizations)
    return render(
        request,
        "cases/retention.html",
        {
            "form": form,
            "policies": policies.select_related("organization__organization"),
        },
    )
