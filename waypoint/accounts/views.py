"""Staff pages: a person's own account, organisation administration, and the
platform administrators' pages. Reads go through selectors scoped to the
user (404 for anything outside their reach), writes through services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.views import LoginView, LogoutView
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts import selectors, services
from waypoint.accounts.decorators import (
    acting_user,
    organization_admin_required,
    platform_admin_required,
)
from waypoint.accounts.forms import (
    InvitationAcceptForm,
    InvitationForm,
    MembershipForm,
    SearchForm,
)
from waypoint.accounts.models import Membership, User
from waypoint.accounts.session_security import (
    has_authenticator_app,
    second_factor_mark,
)

ACCOUNTS_PER_PAGE = 50

login_view = LoginView.as_view(template_name="accounts/login.html")
logout_view = LogoutView.as_view()
_allauth_activate_totp = ActivateTOTPView.as_view()


def activate_totp(request: HttpRequest) -> HttpResponse:
    """allauth's set-up page; a session that activates the app has proved it.

    (Typing a valid code from the new app is the same proof as at sign-in.)
    """
    user = request.user
    had_app = isinstance(user, User) and has_authenticator_app(user)
    response: HttpResponse = _allauth_activate_totp(request)
    if (
        isinstance(user, User)
        and request.method == "POST"
        and not had_app
        and has_authenticator_app(user)
    ):
        second_factor_mark(request, user)
    return response


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, f"accounts/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _form_errors_from(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- The person's own account ---------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return _render(
        request,
        "home.html",
        {
            "memberships": selectors.memberships_active(user),
            "administered": selectors.administered_organizations(user)
            if not selectors.is_platform_admin(user)
            else None,
            "is_platform_admin": selectors.is_platform_admin(user),
            "has_authenticator": has_authenticator_app(user),
            "requires_second_factor": selectors.requires_second_factor(user),
        },
    )


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    services.sessions_end_everywhere(actor=user, user=user)
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("accounts:login")


# --- Invitations ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_get_valid(token=token)
    if invitation is None:
        return _render(request, "invitation_invalid.html", {}, status=404)
    if request.user.is_authenticated:
        logout(request)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Your account is ready. Sign in to continue."))
            return redirect("accounts:login")
    return _render(
        request,
        "invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


# --- Organisation administration ------------------------------------------------------


@organization_admin_required
def staff_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    organization = selectors.member_organization_get_for_admin(user=user, pk=pk)
    return _render(
        request,
        "staff_list.html",
        {
            "organization": organization,
            "memberships": selectors.staff_of(organization),
            "invitations": selectors.invitations_pending(organization),
            "audit_events": selectors.audit_events_for_organization(
                user=user, organization=organization
            )[:20],
        },
    )


@organization_admin_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    organization = selectors.member_organization_get_for_admin(user=user, pk=pk)
    roles = services.roles_grantable(actor=user, organization=organization)
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                profession=form.cleaned_data["profession"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("accounts:invitation_accept", kwargs={"token": token})
                ),
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("accounts:staff_list", pk=organization.pk)
    return _render(
        request,
        "invitation_form.html",
        {"form": form, "organization": organization},
        status=400 if form.errors else 200,
    )


@organization_admin_required
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    membership = selectors.membership_get_for_admin(user=user, pk=pk)
    form = MembershipForm(
        request.POST or None,
        initial={"role": membership.role, "profession": membership.profession},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change(
                actor=user,
                membership=membership,
                role=form.cleaned_data["role"],
                profession=form.cleaned_data["profession"],
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        except PermissionDenied:
            form.add_error(None, _("You cannot change this person's roles."))
        else:
            messages.success(request, _("The role is changed."))
            return redirect("accounts:member_detail", pk=membership.pk)
    member = membership.user
    return _render(
        request,
        "member_detail.html",
        {
            "membership": membership,
            "member": member,
            "form": form,
            "has_authenticator": has_authenticator_app(member),
            "other_roles": Membership.objects.filter(
                user=member, organization=membership.organization
            ).exclude(pk=membership.pk),
            "is_self": member.pk == user.pk,
        },
        status=400 if form.errors else 200,
    )


def _member_action(
    request: HttpRequest, pk: int, action: Callable[..., None], done: str
) -> HttpResponse:
    user = acting_user(request)
    membership = selectors.membership_get_for_admin(user=user, pk=pk)
    try:
        action(actor=user, user=membership.user)
    except PermissionDenied:
        messages.error(request, _("You cannot do this to this account."))
    else:
        messages.success(request, done)
    return redirect("accounts:member_detail", pk=membership.pk)


@organization_admin_required
@require_POST
def member_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_action(
        request,
        pk,
        services.second_factor_reset,
        _("The second factor is removed: the person sets up a new one at sign-in."),
    )


@organization_admin_required
@require_POST
def member_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_action(
        request,
        pk,
        services.account_deactivate,
        _("The account is closed and signed out everywhere."),
    )


@organization_admin_required
@require_POST
def member_role_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    membership = selectors.membership_get_for_admin(user=user, pk=pk)
    try:
        services.membership_end(actor=user, membership=membership)
    except PermissionDenied:
        messages.error(request, _("You cannot do this to this account."))
    else:
        messages.success(request, _("The role is taken away."))
    return redirect("accounts:staff_list", pk=membership.organization_id)


# --- Platform administration ----------------------------------------------------------


@platform_admin_required
def account_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    accounts = selectors.accounts_for_platform_admin(user=user, query=query)
    page = Paginator(accounts, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    return _render(
        request,
        "account_list.html",
        {"page": page, "search": search, "query": query},
    )


@platform_admin_required
@require_POST
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    account = selectors.account_get_for_platform_admin(user=user, pk=pk)
    try:
        services.account_deactivate(actor=user, user=account)
    except PermissionDenied:
        messages.error(request, _("You cannot do this to this account."))
    else:
        messages.success(request, _("The account is closed and signed out everywhere."))
    return redirect("accounts:account_list")


@platform_admin_required
@require_POST
def account_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    account = selectors.account_get_for_platform_admin(user=user, pk=pk)
    try:
        services.second_factor_reset(actor=user, user=account)
    except PermissionDenied:
        messages.error(request, _("You cannot do this to this account."))
    else:
        messages.success(
            request,
            _("The second factor is removed: the person sets up a new one at sign-in."),
        )
    return redirect("accounts:account_list")
