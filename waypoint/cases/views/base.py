"""What the case pages share: the way back to the case and the record page.

Most pages of a case are one form that adds a record to it; ``record_view``
makes such a page from the form, its template and the function that saves
it through a service, with the access check, the closed-case refusal and
the error handling that every one of them needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from waypoint.accounts.decorators import acting_user, second_factor_required
from waypoint.accounts.models import User
from waypoint.cases import selectors, services
from waypoint.cases.models import Case, CaseStatus

View = Callable[..., HttpResponse]


def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to the case's page, after a change or a refusal."""
    return redirect("cases:detail", pk=pk)


def apply_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal as errors of the whole form."""
    for message in error.messages:
        form.add_error(None, message)


def record_view(
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
        user = acting_user(request)
        case = selectors.case_get_for_user(
            user=user, pk=pk, purpose="edit" if request.method == "POST" else "view"
        )
        if case.status != CaseStatus.OPEN and not while_closed:
            messages.error(request, _("The case is closed: reopen it first."))
            return case_page(request, case.pk)
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
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return case_page(request, case.pk)
        return render(request, template, {"case": case, "form": form})

    return view
