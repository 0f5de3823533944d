"""The referral pages: thin views over selectors (reads) and services (writes).

Every view needs a signed-in account with a proven second factor; a referral
is fetched through ``referral_get_for_user`` (404 otherwise, read audited).
URLs and titles carry the referral's number, never a name; POST bodies are
masked in error reports.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import second_factor_required
from waypoint.accounts.models import MemberOrganization, User
from waypoint.accounts.selectors import case_organizations
from waypoint.cases.models import Case, CaseStatus
from waypoint.cases.selectors import case_get_for_user
from waypoint.referrals import forms, selectors, services
from waypoint.referrals.models import Referral, Status


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # second_factor_required let only users in
        raise PermissionDenied
    return user


def _detail(pk: int) -> HttpResponse:
    return redirect("referrals:detail", pk=pk)


@second_factor_required
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not case_organizations(user).exists():
        raise Http404
    filters = forms.FilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    limit = selectors.MAX_LISTED
    return render(
        request,
        "referrals/inbox.html",
        {
            "filters": filters,
            "incoming": selectors.referrals_incoming(user=user, status=status)[:limit],
            "outgoing": selectors.referrals_outgoing(user=user, status=status)[:limit],
            "notifications": selectors.notifications_unread(user=user).select_related(
                "referral"
            )[:50],
        },
    )


def _recipients(case: Case) -> Any:
    return MemberOrganization.objects.filter(is_active=True).exclude(
        pk=case.organization_id
    )


def _send_page(
    request: HttpRequest, user: User, case: Case, previous: Referral | None
) -> HttpResponse:
    may_override = selectors.may_override_consent(user, case)
    initial: dict[str, Any] | None = None
    if previous is not None:
        initial = {
            "needs": previous.needs,
            "priority": previous.priority,
            "accompanied": previous.accompanied,
            "interpreter_language": previous.interpreter_language,
            "data_categories": previous.data_categories,
        }
    recipients = _recipients(case)
    if previous is not None:
        recipients = recipients.exclude(pk=previous.recipient_id)
    kwargs: dict[str, Any] = {"recipients": recipients, "may_override": may_override}
    if initial is not None:
        kwargs["initial"] = initial
    form = forms.SendForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_send(
                actor=user,
                case=case,
                recipient=data["recipient"],
                service=data["service"],
                needs=data["needs"],
                priority=data["priority"],
                respond_by=data["respond_by"],
                accompanied=data["accompanied"],
                interpreter_language=data["interpreter_language"],
                data_categories=data["data_categories"],
                override_reason=data.get("override_reason", ""),
                previous=previous,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Referral sent."))
            return _detail(referral.pk)
    consents = [
        (consent, selectors.consent_category_labels(consent))
        for consent in selectors.sharing_consents(case)
    ]
    return render(
        request,
        "referrals/send_form.html",
        {
            "case": case,
            "form": form,
            "consents": consents,
            "previous": previous,
            "may_override": may_override,
        },
    )


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = _user(request)
    case = case_get_for_user(user=user, pk=case_pk, purpose="refer")
    if case.status != CaseStatus.OPEN:
        messages.error(request, _("The case is closed: reopen it first."))
        return redirect("cases:detail", pk=case.pk)
    return _send_page(request, user, case, previous=None)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    if not selectors.may_resend(access):
        raise Http404
    case = case_get_for_user(user=user, pk=access.referral.case_id, purpose="refer")
    if case.status != CaseStatus.OPEN:
        messages.error(request, _("The case is closed: reopen it first."))
        return _detail(pk)
    return _send_page(request, user, case, previous=access.referral)


@second_factor_required
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    referral = access.referral
    services.notifications_read(actor=user, referral=referral)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "access": access,
            "actions": selectors.actions_allowed(access),
            "may_resend": selectors.may_resend(access),
            "resent_as": Referral.objects.filter(previous=referral).first(),
            # The recipient reads the snapshot only, never the case.
            "sections": selectors.snapshot_sections(referral),
            "events": selectors.events_of(referral),
            "thread": selectors.messages_of(referral),
            "transition_form": forms.TransitionForm(),
            "message_form": forms.MessageForm(),
            "status_final": referral.status
            in {
                Status.DECLINED,
                Status.COMPLETED,
                Status.NOT_COMPLETED,
                Status.WITHDRAWN,
                Status.EXPIRED,
            },
        },
    )


def _apply(user: User, referral: Referral, data: dict[str, Any]) -> None:
    action = data["action"]
    text = data["text"]
    if action == "acknowledge":
        services.referral_acknowledge(actor=user, referral=referral)
    elif action == "accept":
        services.referral_accept(actor=user, referral=referral, note=text)
    elif action == "decline":
        services.referral_decline(
            actor=user, referral=referral, reason=data["decline_reason"], text=text
        )
    elif action == "start":
        services.referral_start(actor=user, referral=referral)
    elif action == "complete":
        services.referral_complete(actor=user, referral=referral, outcome=text)
    elif action == "not_complete":
        services.referral_not_complete(
            actor=user,
            referral=referral,
            reason=data["not_completed_reason"],
            text=text,
        )
    elif action == "withdraw":
        services.referral_withdraw(actor=user, referral=referral, note=text)


@sensitive_post_parameters()
@second_factor_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    referral = access.referral
    # The version the page showed: a change made since then is a conflict,
    # reported as such (the compare-and-swap catches one made from now on).
    if form.cleaned_data["version"] != referral.version:
        messages.error(request, str(services.ConcurrentUpdateError()))
        return _detail(pk)
    try:
        _apply(user, referral, form.cleaned_data)
    except services.ConcurrentUpdateError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return _detail(pk)


@sensitive_post_parameters()
@second_factor_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    form = forms.MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the message."))
        return _detail(pk)
    try:
        services.referral_message_add(
            actor=user, referral=access.referral, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Message sent."))
    return _detail(pk)
