"""The case list, intake, the case page and what changes the case itself.

The list shows the cases the user may see, a page at a time; intake opens
a case for a new person; the case page shows everything recorded, and the
pages here close, reopen, stage and staff the case, record its
identification and assessments, and show who read it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import acting_user, second_factor_required
from waypoint.accounts.models import User
from waypoint.accounts.selectors import case_organizations, supervised_organizations
from waypoint.cases import forms, selectors, services
from waypoint.cases.models import Case, CaseStatus, CaseType, RiskLevel, Stage
from waypoint.cases.views.base import apply_errors, case_page, record_view

# --- Case list and intake ---


CASES_PER_PAGE = 25


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def _labels_set(cases: list[Case]) -> None:
    """Give each row its choice labels, translated once per page rather than
    once per row and column (``get_FOO_display`` re-translates every choice)."""
    labels = {
        name: {value: str(label) for value, label in choices.choices}
        for name, choices in (
            ("case_type", CaseType),
            ("stage", Stage),
            ("status", CaseStatus),
            ("risk_level", RiskLevel),
        )
    }
    for case in cases:
        case.labels = {  # type: ignore[attr-defined]
            name: by_value.get(getattr(case, name), getattr(case, name))
            for name, by_value in labels.items()
        }


@second_factor_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not case_organizations(user).exists():
        raise Http404
    filters = forms.CaseFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    cases = selectors.case_list_for_user(
        user=user,
        status=criteria.get("status", "") or "",
        case_type=criteria.get("case_type", "") or "",
        stage=criteria.get("stage", "") or "",
        code=criteria.get("code", "") or "",
    )
    page = _page_number(request)
    # One row more than shown says whether there is a next page, without
    # counting every case (a supervisor may see tens of thousands).
    start = (page - 1) * CASES_PER_PAGE
    rows = list(cases[start : start + CASES_PER_PAGE + 1])
    _labels_set(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/home.html",
        {
            "filters": filters,
            "cases": rows[:CASES_PER_PAGE],
            "page": page,
            "has_next": len(rows) > CASES_PER_PAGE,
            "query": query.urlencode(),
            "activity": selectors.recent_activity_for_user(user=user),
            "tasks": selectors.tasks_open_for_user(user=user)[:50],
            "supervises": supervised_organizations(user).exists(),
            "deadlines": selectors.reflection_deadlines_for_user(user=user)[:50],
        },
    )


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organizations = case_organizations(user).select_related("organization")
    if not organizations.exists():
        raise Http404
    form = forms.IntakeForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_intake(
                actor=user,
                organization=data["organization"],
                person=services.PersonDetails(
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    birth_date=data["birth_date"],
                    contact_details=data["contact_details"],
                    identity_documents=data["identity_documents"],
                    nationality=data["nationality"],
                    languages=data["languages"],
                    interpreter_needed=data["interpreter_needed"],
                    gender=data["gender"],
                    age_band=data["age_band"],
                    disability_needs=data["disability_needs"],
                ),
                case=services.CaseDetails(
                    case_type=data["case_type"],
                    country_of_origin=data["country_of_origin"],
                    country_of_destination=data["country_of_destination"],
                    cross_border=data["cross_border"],
                ),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form})


# --- The case page and changes to the case ---


@second_factor_required
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "assigned": case.assigned.order_by("username"),
            "timeline": selectors.case_timeline(case=case),
            "may_supervise": selectors.may_supervise(user, case),
            "is_open": case.status == CaseStatus.OPEN,
            "tasks": case.tasks.select_related("assignee"),
            "documents": case.documents.all(),
            "consents": case.consents.select_related("recipient", "replaced_by"),
            "reflection_periods": case.reflection_periods.all(),
            "duplicates": selectors.duplicates_of(case),
            "proceedings": selectors.proceedings_of(case),
            "claims": selectors.compensation_claims_of(case),
            "identification_dates": selectors.identification_dates(case),
            "person_cases_closed": not case.person.cases.filter(
                status=CaseStatus.OPEN
            ).exists(),
        },
    )


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    if case.status != CaseStatus.OPEN:
        return case_page(request, case.pk)
    form = forms.CloseForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        case.version = form.cleaned_data["version"]
        try:
            services.case_close(
                actor=user, case=case, reason=form.cleaned_data["reason"]
            )
        except services.ConcurrentUpdateError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            apply_errors(form, error)
            return render(
                request, "cases/close_form.html", {"case": case, "form": form}
            )
        else:
            messages.success(request, _("Case closed."))
        return case_page(request, case.pk)
    return render(request, "cases/close_form.html", {"case": case, "form": form})


@second_factor_required
@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    form = forms.VersionedForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    case.version = form.cleaned_data["version"]
    try:
        services.case_reopen(actor=user, case=case)
    except services.ConcurrentUpdateError as error:
        messages.error(request, str(error))
    except ValidationError:
        pass  # already open: the page shows it
    else:
        messages.success(request, _("Case reopened."))
    return case_page(request, case.pk)


@second_factor_required
@require_http_methods(["GET"])
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="access_log")
    events = selectors.case_access_log(user=user, case=case)[:500]
    return render(request, "cases/access_log.html", {"case": case, "events": events})


def _save_stage(user: User, case: Case, form: Any) -> None:
    case.version = form.cleaned_data["version"]
    services.case_stage_set(actor=user, case=case, stage=form.cleaned_data["stage"])


def _version_kwargs(case: Case) -> dict[str, Any]:
    return {"initial": {"version": case.version, "stage": case.stage}}


stage_change = record_view(
    forms.StageForm, "cases/stage_form.html", _save_stage, form_kwargs=_version_kwargs
)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Supervisors choose who works on the case."""
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    if not selectors.may_supervise(user, case):
        raise Http404
    staff = selectors.case_staff(case)
    form = forms.AssignForm(
        request.POST or None,
        staff=staff,
        initial={"version": case.version, "staff": list(case.assigned.all())},
    )
    if request.method == "POST" and form.is_valid():
        case.version = form.cleaned_data["version"]
        try:
            services.case_assign(
                actor=user, case=case, staff=list(form.cleaned_data["staff"])
            )
        except services.ConcurrentUpdateError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return case_page(request, case.pk)
    return render(request, "cases/assign_form.html", {"case": case, "form": form})


# --- Identification and assessments (Directive 2012/29/EU) ---


def _save_identification(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.identification_record(
        actor=user,
        case=case,
        status=data["status"],
        decided_on=data["decided_on"],
        indicator_codes=form.indicator_codes(),
        authority=data["authority"],
        notes=data["notes"],
    )


def _save_needs(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.needs_assessment_record(
        actor=user,
        case=case,
        assessed_on=data["assessed_on"],
        protection_needs=data["protection_needs"],
        special_measures=data["special_measures"],
        notes=data["notes"],
    )


def _save_risk(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.risk_assessment_record(
        actor=user,
        case=case,
        assessed_on=data["assessed_on"],
        level=data["level"],
        safety_plan=data["safety_plan"],
    )


def _save_rights(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.rights_information_record(
        actor=user,
        case=case,
        given_on=data["given_on"],
        items=data["items"],
        language=data["language"],
        interpreter=data["interpreter"],
    )


def _save_reflection(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.reflection_period_start(
        actor=user,
        case=case,
        starts_on=data["starts_on"],
        country=data["country"],
        days=data["days"],
    )


identification_create = record_view(
    forms.IdentificationForm, "cases/identification_form.html", _save_identification
)
needs_assessment_create = record_view(
    forms.NeedsAssessmentForm, "cases/needs_form.html", _save_needs
)
risk_create = record_view(forms.RiskAssessmentForm, "cases/risk_form.html", _save_risk)
rights_create = record_view(
    forms.RightsInformationForm, "cases/rights_form.html", _save_rights
)
reflection_create = record_view(
    forms.ReflectionStartForm, "cases/reflection_form.html", _save_reflection
)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def reflection_decide(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    user = acting_user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    period = get_object_or_404(case.reflection_periods, pk=period_pk)
    form = forms.ReflectionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_period_decide(
                actor=user,
                period=period,
                decision=form.cleaned_data["decision"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return case_page(request, case.pk)
    return render(
        request, "cases/reflection_decision_form.html", {"case": case, "form": form}
    )
