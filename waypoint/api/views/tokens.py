"""The staff page where an organisation administrator manages API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import acting_user, second_factor_required
from waypoint.accounts.selectors import member_organization_get_for_admin
from waypoint.api import services
from waypoint.api.forms import ApiTokenForm
from waypoint.api.models import ApiToken
from waypoint.api.selectors.partner import members_who_may_act, tokens_of


@sensitive_variables("raw")
@second_factor_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    organization = member_organization_get_for_admin(user=user, pk=pk)
    form = ApiTokenForm(request.POST or None, members=members_who_may_act(organization))
    raw = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.api_token_create(
                actor=user,
                organization=organization,
                name=form.cleaned_data["name"],
                acts_as=form.cleaned_data["acts_as"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = ApiTokenForm(members=members_who_may_act(organization))
    response = render(
        request,
        "api/token_list.html",
        {
            "organization": organization,
            "tokens": tokens_of(organization),
            "form": form,
            # Shown on this response only: it is not stored anywhere.
            "raw_token": raw,
        },
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@second_factor_required
@require_POST
def token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    user = acting_user(request)
    organization = member_organization_get_for_admin(user=user, pk=pk)
    token = ApiToken.objects.filter(pk=token_pk, organization=organization).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=user, token=token)
    messages.success(request, _("The token no longer works."))
    return redirect("api_tokens:list", pk=organization.pk)
