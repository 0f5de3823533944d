"""The platform administrators' page of member organisations.

A member organisation is a directory listing whose staff work on the
platform, so the page that turns a listing into a member lives here, above
both the directory and the accounts it joins.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waypoint.accounts import selectors as account_selectors
from waypoint.accounts.decorators import acting_user, platform_admin_required
from waypoint.accounts.forms import SearchForm
from waypoint.directory import selectors, services
from waypoint.directory.models import Organization


@platform_admin_required
@require_http_methods(["GET", "POST"])
def member_organizations(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        listing = get_object_or_404(
            selectors.listings_available_for_membership(query=""),
            pk=request.POST.get("listing"),
        )
        try:
            member = services.member_organization_create(actor=user, listing=listing)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The organisation is now a member."))
            return redirect("accounts:staff_list", pk=member.pk)
    organizations = account_selectors.administered_organizations(user).annotate(
        staff=Count("memberships", filter=Q(memberships__is_active=True))
    )
    listings: list[Organization] = (
        list(selectors.listings_available_for_membership(query=query)[:20])
        if query
        else []
    )
    response = render(
        request,
        "directory/manage/member_organizations.html",
        {
            "organizations": organizations.order_by("organization__name"),
            "search": search,
            "query": query,
            "listings": listings,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
