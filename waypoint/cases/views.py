"""The case pages: thin views over selectors (reads) and services (writes).

Every view needs a signed-in account with a proven second factor; every case
is fetched through ``case_get_for_user`` (404 otherwise, read audited). URLs
and page titles carry the case code or id, never a name. POST bodies are
masked in error reports (``sensitive_post_parameters``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import (
    reauthentication_required,
    second_factor_required,
)
from waypoint.accounts.models import User
from waypoint.accounts.selectors import case_organizations, supervised_organizations
from waypoint.cases import data_requests, forms, selectors, services
from waypoint.cases.documents import EXTENSIONS
from waypoint.cases.models import (
    Case,
    CaseStatus,
    CaseType,
    RetentionPolicy,
    RiskLevel,
    Stage,
)

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # second_factor_required let only users in
        raise PermissionDenied
    return user


def _case_page(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect("cases:detail", pk=pk)


def _apply_errors(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


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
    user = _user(request)
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
    user = _user(request)
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form})


@second_factor_required
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
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


def _record_view(
    form_class: type[Any],
    template: str,
    save: Callable[[User, Case, Any], None],
    *,
    form_kwargs: Callable[[Case], dict[str, Any]] | None = None,
    while_closed: bool = False,
) -> View:
    """A page with one form that adds a record to a case (open, unless
    ``while_closed``: a consent can be withdrawn after the case closed)."""

    @sensitive_post_parameters()
    @second_factor_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        case = selectors.case_get_for_user(
            user=user, pk=pk, purpose="edit" if request.method == "POST" else "view"
        )
        if case.status != CaseStatus.OPEN and not while_closed:
            messages.error(request, _("The case is closed: reopen it first."))
            return _case_page(request, case.pk)
        extra = form_kwargs(case) if form_kwargs else {}
        if request.method == "POST":
            form = form_class(request.POST, request.FILES or None, **extra)
        else:
            form = form_class(**extra)
        if request.method == "POST" and form.is_valid():
            try:
                save(user, case, form)
            except services.ConcurrentUpdateError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return _case_page(request, case.pk)
        return render(request, template, {"case": case, "form": form})

    return view


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


def _save_note(user: User, case: Case, form: Any) -> None:
    services.note_add(actor=user, case=case, text=form.cleaned_data["text"])


identification_create = _record_view(
    forms.IdentificationForm, "cases/identification_form.html", _save_identification
)
needs_assessment_create = _record_view(
    forms.NeedsAssessmentForm, "cases/needs_form.html", _save_needs
)
session_create = _record_view(
    forms.SessionForm, "cases/session_form.html", _save_session
)
note_create = _record_view(forms.NoteForm, "cases/note_form.html", _save_note)
proceeding_create = _record_view(
    forms.ProceedingForm, "cases/proceeding_form.html", _save_proceeding
)
claim_create = _record_view(
    forms.CompensationClaimForm, "cases/claim_form.html", _save_claim
)
# A correction may be needed after closing too (the right to rectification).
person_edit = _record_view(
    forms.PersonForm,
    "cases/person_form.html",
    _save_person,
    form_kwargs=_person_kwargs,
    while_closed=True,
)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def proceeding_stage(request: HttpRequest, pk: int, proceeding_pk: int) -> HttpResponse:
    user = _user(request)
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _case_page(request, case.pk)
    return render(
        request,
        "cases/proceeding_stage_form.html",
        {"case": case, "form": form, "proceeding": proceeding},
    )


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def claim_status(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    user = _user(request)
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _case_page(request, case.pk)
    return render(
        request,
        "cases/claim_status_form.html",
        {"case": case, "form": form, "claim": claim},
    )


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    if case.status != CaseStatus.OPEN:
        return _case_page(request, case.pk)
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
            _apply_errors(form, error)
            return render(
                request, "cases/close_form.html", {"case": case, "form": form}
            )
        else:
            messages.success(request, _("Case closed."))
        return _case_page(request, case.pk)
    return render(request, "cases/close_form.html", {"case": case, "form": form})


@second_factor_required
@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
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
    return _case_page(request, case.pk)


@second_factor_required
@require_http_methods(["GET"])
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="access_log")
    events = selectors.case_access_log(user=user, case=case)[:500]
    return render(request, "cases/access_log.html", {"case": case, "events": events})


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


def _save_task(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.task_create(
        actor=user,
        case=case,
        title=data["title"],
        due_on=data["due_on"],
        assignee=data["assignee"] or user,
    )


def _save_document(user: User, case: Case, form: Any) -> None:
    data = form.cleaned_data
    services.document_add(
        actor=user,
        case=case,
        kind=data["kind"],
        title=data["title"],
        upload=data["file"],
    )


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


def _save_stage(user: User, case: Case, form: Any) -> None:
    case.version = form.cleaned_data["version"]
    services.case_stage_set(actor=user, case=case, stage=form.cleaned_data["stage"])


def _staff_kwargs(case: Case) -> dict[str, Any]:
    return {"staff": selectors.case_staff(case)}


def _version_kwargs(case: Case) -> dict[str, Any]:
    return {"initial": {"version": case.version, "stage": case.stage}}


risk_create = _record_view(forms.RiskAssessmentForm, "cases/risk_form.html", _save_risk)
rights_create = _record_view(
    forms.RightsInformationForm, "cases/rights_form.html", _save_rights
)
reflection_create = _record_view(
    forms.ReflectionStartForm, "cases/reflection_form.html", _save_reflection
)
task_create = _record_view(
    forms.TaskForm, "cases/task_form.html", _save_task, form_kwargs=_staff_kwargs
)
document_create = _record_view(
    forms.DocumentForm, "cases/document_form.html", _save_document
)
consent_create = _record_view(
    forms.ConsentForm, "cases/consent_form.html", _save_consent, while_closed=True
)
stage_change = _record_view(
    forms.StageForm, "cases/stage_form.html", _save_stage, form_kwargs=_version_kwargs
)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Supervisors choose who works on the case."""
    user = _user(request)
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _case_page(request, case.pk)
    return render(request, "cases/assign_form.html", {"case": case, "form": form})


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def reflection_decide(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    user = _user(request)
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return _case_page(request, case.pk)
    return render(
        request, "cases/reflection_decision_form.html", {"case": case, "form": form}
    )


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    user = _user(request)
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("Consent withdrawn."))
            return _case_page(request, case.pk)
    return render(
        request,
        "cases/consent_withdraw_form.html",
        {"case": case, "form": form, "consent": consent},
    )


@second_factor_required
@require_POST
def task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    user = _user(request)
    case = selectors.case_get_for_user(user=user, pk=pk, purpose="edit")
    task = get_object_or_404(case.tasks, pk=task_pk)
    services.task_done(actor=user, task=task)
    return _case_page(request, case.pk)


@second_factor_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int, duplicate_pk: int) -> HttpResponse:
    user = _user(request)
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
    return _case_page(request, case.pk)


@second_factor_required
@require_http_methods(["GET"])
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """The decrypted file, as an attachment under a neutral name."""
    user = _user(request)
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


# --- Data-subject requests and retention ---


def _person_request(view: View) -> View:
    """Supervisors of the person's organisation only (404 for anyone else, before
    any prompt), then the password and code again (re-authentication)."""
    protected = reauthentication_required(view)

    @second_factor_required
    @wraps(view)
    def wrapper(request: HttpRequest, person_pk: int) -> HttpResponse:
        data_requests.person_get_for_supervisor(user=_user(request), pk=person_pk)
        return protected(request, person_pk)

    return cast(View, wrapper)


@require_http_methods(["GET"])
def _export_json(request: HttpRequest, person_pk: int) -> HttpResponse:
    export = data_requests.person_export(
        user=_user(request), pk=person_pk, purpose="json"
    )
    response = HttpResponse(export.as_json(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{export.code}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET"])
def _export_print(request: HttpRequest, person_pk: int) -> HttpResponse:
    export = data_requests.person_export(
        user=_user(request), pk=person_pk, purpose="print"
    )
    return render(request, "cases/person_export.html", {"export": export})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def _anonymise(request: HttpRequest, person_pk: int) -> HttpResponse:
    user = _user(request)
    person = data_requests.person_get_for_supervisor(user=user, pk=person_pk)
    form = forms.AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_requests.person_anonymise(actor=user, person=person)
        except ValidationError as error:
            _apply_errors(form, error)
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
    user = _user(request)
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
