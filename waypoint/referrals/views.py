"""The referral pages: thin views over selectors (reads) and services (writes).

Every view needs a signed-in account with a proven second factor; a referral
is fetched through ``referral_get_for_user`` (404 otherwise, read audited).
URLs and titles carry the referral's number, never a name; POST bodies are
masked in error reports.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import acting_user, second_factor_required
from waypoint.accounts.models import MemberOrganization, User
from waypoint.accounts.selectors import case_organizations
from waypoint.cases.documents import EXTENSIONS
from waypoint.cases.models import Case, CaseStatus
from waypoint.cases.selectors import case_get_for_user
from waypoint.referrals import forms, selectors, services
from waypoint.referrals.authorities import authorities_suggested
from waypoint.referrals.models import AWAITING, Referral, Status
from waypoint.referrals.services import external


def _detail(pk: int) -> HttpResponse:
    return redirect("referrals:detail", pk=pk)


def _page_number(request: HttpRequest, name: str) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


@second_factor_required
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not case_organizations(user).exists():
        raise Http404
    filters = forms.FilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    return render(
        request,
        "referrals/inbox.html",
        {
            "filters": filters,
            "incoming": selectors.referrals_page(
                selectors.referrals_incoming(user=user, status=status),
                number=_page_number(request, "page_in"),
            ),
            "outgoing": selectors.referrals_page(
                selectors.referrals_outgoing(user=user, status=status),
                number=_page_number(request, "page_out"),
            ),
            # The list shows the referral's number only: no join needed.
            "notifications": selectors.notifications_unread(user=user)[:50],
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
                external_recipient=data["external_recipient"],
                external_email=data["external_email"],
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
            field = {
                "external_recipient": "external_recipient",
                "external_email": "external_email",
                "recipient": "recipient",
            }.get(str(getattr(error, "code", "")))
            for message in error.messages:
                form.add_error(field if field in form.fields else None, message)
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
    user = acting_user(request)
    case = case_get_for_user(user=user, pk=case_pk, purpose="refer")
    if case.status != CaseStatus.OPEN:
        messages.error(request, _("The case is closed: reopen it first."))
        return redirect("cases:detail", pk=case.pk)
    return _send_page(request, user, case, previous=None)


@sensitive_post_parameters()
@second_factor_required
@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    if not selectors.may_resend(access):
        raise Http404
    case = case_get_for_user(user=user, pk=access.referral.case_id, purpose="refer")
    if case.status != CaseStatus.OPEN:
        messages.error(request, _("The case is closed: reopen it first."))
        return _detail(pk)
    return _send_page(request, user, case, previous=access.referral)


FINAL = frozenset(
    {
        Status.DECLINED,
        Status.COMPLETED,
        Status.NOT_COMPLETED,
        Status.WITHDRAWN,
        Status.EXPIRED,
    }
)


def _detail_page(
    request: HttpRequest,
    user: User,
    access: selectors.ReferralAccess,
    message_form: forms.MessageForm | None = None,
) -> HttpResponse:
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
            "authorities": authorities_suggested(referral=referral),
            "transition_form": forms.TransitionForm(),
            "message_form": message_form or forms.MessageForm(),
            "form": message_form,
            "status_final": referral.status in FINAL,
            "may_reissue": access.is_sender
            and referral.is_external
            and referral.status in AWAITING,
        },
        status=400 if message_form is not None else 200,
    )


@second_factor_required
@require_http_methods(["GET"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    return _detail_page(request, user, access)


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
    user = acting_user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    referral = access.referral
    # The version the page showed: a change made since then is a conflict,
    # reported as such (the compare-and-swap catches one made from now on).
    if form.cleaned_data["version"] != referral.version:
        messages.error(request, str(services.ReferralChangedError()))
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
    user = acting_user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    form = forms.MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        # The page again, with the errors beside the fields.
        return _detail_page(request, user, access, message_form=form)
    try:
        services.referral_message_add(
            actor=user,
            referral=access.referral,
            text=form.cleaned_data["text"],
            uploads=form.cleaned_data["attachments"],
        )
    except ValidationError as error:
        field = {"required": "text", "erased": None}.get(str(error.code), "attachments")
        for text in error.messages:
            form.add_error(field, text)
        return _detail_page(request, user, access, message_form=form)
    messages.success(request, _("Message sent."))
    return _detail(pk)


@second_factor_required
@require_http_methods(["GET"])
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """The decrypted file, as an attachment under a neutral name."""
    user = acting_user(request)
    item = selectors.attachment_get_for_user(
        user=user, pk=pk, attachment_pk=attachment_pk
    )
    data = services.attachment_read(actor=user, attachment=item)
    response = HttpResponse(data, content_type=item.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="R-{pk}-{item.pk}{EXTENSIONS[item.content_type]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@second_factor_required
@require_http_methods(["GET"])
def print_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The referral form, for printing (either side; the read is audited)."""
    user = acting_user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    services.referral_print_record(
        actor=user, access_side=access.side, referral=access.referral
    )
    return _print_page(
        request,
        access.referral,
        back_url=reverse("referrals:detail", kwargs={"pk": pk}),
    )


def _print_page(
    request: HttpRequest, referral: Referral, *, back_url: str
) -> HttpResponse:
    return render(
        request,
        "referrals/print.html",
        {
            "referral": referral,
            "back_url": back_url,
            "sections": selectors.snapshot_sections(referral),
            "printed_at": timezone.now(),
        },
    )


@second_factor_required
@require_POST
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    """A new link for a recipient outside the platform; earlier ones stop."""
    user = acting_user(request)
    access = selectors.referral_get_for_user(user=user, pk=pk)
    if not access.is_sender or not access.referral.is_external:
        raise Http404
    try:
        external.external_link_issue(actor=user, referral=access.referral)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("A new link was sent; earlier links no longer work.")
        )
    return _detail(pk)


# --- The recipient outside the platform, through its emailed link ---------------

SESSION_KEY = "referral_external_link"


def _external_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"referrals/{template}", context, status=status)


def _unusable(request: HttpRequest, state: str) -> HttpResponse:
    return _external_page(
        request, "external_unusable.html", {"state": state}, status=410
    )


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def external_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link's page: asks to send a code to the address the link went to."""
    link = external.link_get(token)
    if external.access_valid(link, request.session.get(SESSION_KEY)):
        return redirect("referrals:external_referral", token=token)
    if request.method == "POST":
        try:
            external.external_code_send(link=link)
        except ValidationError as error:
            if error.code == "too_many_codes":
                messages.error(request, error.messages[0])
                return redirect("referrals:external_code", token=token)
            return _unusable(request, str(error.code))
        return redirect("referrals:external_code", token=token)
    state = external.external_link_open(link=link)
    if state != external.LinkState.OK:
        return _unusable(request, state)
    return _external_page(request, "external_open.html", {"link": link})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def external_code(request: HttpRequest, token: str) -> HttpResponse:
    link = external.link_get(token)
    if external.access_valid(link, request.session.get(SESSION_KEY)):
        return redirect("referrals:external_referral", token=token)
    form = forms.ExternalCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = external.external_code_verify(
            link=link, code=form.cleaned_data["code"]
        )
        if result == external.CodeResult.OK:
            request.session.cycle_key()
            request.session[SESSION_KEY] = link.pk
            return redirect("referrals:external_referral", token=token)
        if result == external.CodeResult.LOCKED:
            return _unusable(request, external.LinkState.LOCKED)
        if result == external.CodeResult.UNUSABLE:
            return _unusable(request, external.link_state(link))
        form.add_error(
            "code",
            _("The code has expired: send a new one.")
            if result == external.CodeResult.EXPIRED
            else _("This code is not right. Check the last email and try again."),
        )
        status = 400
    elif request.method == "POST":
        status = 400
    return _external_page(
        request, "external_code.html", {"form": form, "link": link}, status=status
    )


def _external_access(request: HttpRequest, token: str) -> Any:
    link = external.link_get(token)
    if not external.access_valid(link, request.session.get(SESSION_KEY)):
        raise Http404
    return link


@require_http_methods(["GET"])
def external_referral(request: HttpRequest, token: str) -> HttpResponse:
    link = _external_access(request, token)
    referral = external.external_snapshot_read(link=link)
    return _external_page(
        request,
        "external_referral.html",
        {
            "referral": referral,
            "token": token,
            "sections": selectors.snapshot_sections(referral),
            "may_answer": referral.status in AWAITING,
            "answer_form": forms.ExternalAnswerForm(),
            "events": selectors.events_of(referral),
        },
    )


@sensitive_post_parameters()
@require_POST
def external_act(request: HttpRequest, token: str) -> HttpResponse:
    link = _external_access(request, token)
    form = forms.ExternalAnswerForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    data = form.cleaned_data
    try:
        if data["action"] == "accept":
            external.external_accept(
                link=link, version=data["version"], note=data["text"]
            )
        else:
            external.external_decline(
                link=link,
                version=data["version"],
                reason=data["decline_reason"],
                text=data["text"],
            )
    except services.ConcurrentUpdateError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Your answer was recorded. Thank you."))
    return redirect("referrals:external_referral", token=token)


@require_http_methods(["GET"])
def external_print(request: HttpRequest, token: str) -> HttpResponse:
    link = _external_access(request, token)
    referral = external.external_snapshot_read(link=link, printed=True)
    return _print_page(
        request,
        referral,
        back_url=reverse("referrals:external_referral", kwargs={"token": token}),
    )
