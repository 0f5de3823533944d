"""Registration on the public event page, the links in the participants'
emails (cancel, feedback), and the coordinators' participants page.

The participants page and everything under it is for the managers of the
organising organisation (event coordinators and organisation administrators,
``access.may_manage_participants``) and platform administrators, signed in
with their second factor; anyone else gets a 404. Pages showing
registrations are not cached and not indexed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import acting_user, second_factor_required
from waypoint.accounts.services import audit_event_record
from waypoint.activities import access, selectors
from waypoint.activities.certificates import certificate_filename, certificate_pdf
from waypoint.activities.forms.participants import (
    FeedbackForm,
    RegistrationForm,
    RegistrationSettingsForm,
)
from waypoint.activities.models import Event, Registration
from waypoint.activities.selectors import participants as people
from waypoint.activities.services import participants as services
from waypoint.lib.pdf import PDF_TYPE
from waypoint.lib.ratelimit import client_key, configured, over_limit
from waypoint.lib.spreadsheets import CSV_TYPE, csv_bytes


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _retention_days() -> int:
    days: int = settings.WAYPOINT_REGISTRATION_RETENTION_DAYS
    return days


# --- The public event page ---------------------------------------------------------


def registration_context(
    request: HttpRequest, event: Event, form: RegistrationForm | None = None
) -> dict[str, Any]:
    """What the event page needs to show the registration form (if open),
    the places left, and the coordinators' link to the participants page."""
    today = timezone.localdate()
    accepting = people.registration_accepting(event, today=today)
    if accepting and form is None:
        form = RegistrationForm(retention_days=_retention_days())
    return {
        "registration_accepting": accepting,
        # Said on the page until the event is over, not forever after.
        "registration_closed": event.registration_open
        and not accepting
        and event.last_day >= today,
        "registration_form": form if accepting else None,
        "places_left": people.places_left(event) if accepting else None,
        "can_manage_participants": access.may_manage_participants(request.user, event),
    }


def _error_status(form: RegistrationForm) -> int:
    return 400 if form.errors else 200


@require_POST
def event_register(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    event = selectors.event_get_public(pk=pk)
    form = RegistrationForm(request.POST, retention_days=_retention_days())
    # Each registration sends an email: a flood of them from one address
    # would send mail to whatever addresses were typed in.
    limit, period = configured(
        "WAYPOINT_REGISTRATION_RATE_LIMIT", "WAYPOINT_REGISTRATION_RATE_PERIOD"
    )
    retry_after = over_limit(
        "registration", client_key(request), limit=limit, period=period
    )
    if retry_after is not None:
        minutes = -(-retry_after // 60)
        form.is_valid()  # the fields keep what was typed, with their own errors
        form.add_error(
            None,
            ngettext(
                "Too many registrations were sent from your network. Try again "
                "in %(minutes)d minute.",
                "Too many registrations were sent from your network. Try again "
                "in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = _event_page(request, event, form, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                event=event,
                data=services.RegistrationData(
                    name=data["name"],
                    email=data["email"],
                    institution=data["institution"],
                    institution_type=data["institution_type"],
                    profession=data["profession"],
                    country=data["country"],
                    languages=data["languages"],
                    consent=data["consent"],
                    language=get_language() or settings.LANGUAGE_CODE,
                ),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(
                    request,
                    _(
                        "You are registered and your place is confirmed. We "
                        "have sent a confirmation to your email address."
                    ),
                )
            else:
                messages.info(
                    request,
                    _(
                        "The event is full: you are on the waiting list. We "
                        "have sent a confirmation to your email address and "
                        "will write to you if a place becomes free."
                    ),
                )
            return redirect(event.get_absolute_url())
    return _event_page(request, event, form, status=_error_status(form))


def _event_page(
    request: HttpRequest, event: Event, form: RegistrationForm, *, status: int
) -> HttpResponse:
    """The public event page again, with the registration form as sent."""
    context = {"event": event, **registration_context(request, event, form)}
    return _private(
        render(request, "activities/event_detail.html", context, status=status)
    )


@never_cache
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email: a page asking to confirm, then
    the cancellation (a GET never cancels: mail scanners follow links)."""
    registration = services.registration_get_by_cancel_token(token=token)
    if registration is None:
        response = render(
            request, "activities/participants/link_invalid.html", status=404
        )
        return _private(response)
    if request.method == "POST":
        services.registration_cancel_by_token(token=token)
        response = render(
            request,
            "activities/participants/cancelled.html",
            {"event": registration.event},
        )
        return _private(response)
    response = render(
        request,
        "activities/participants/cancel_confirm.html",
        {"event": registration.event, "registration": registration},
    )
    return _private(response)


@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    registration = services.feedback_registration_for_token(token=token)
    if registration is None:
        response = render(
            request, "activities/participants/link_invalid.html", status=404
        )
        return _private(response)
    event = registration.event
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.feedback_submit(
            token=token,
            usefulness=form.cleaned_data["usefulness"],
            organisation=form.cleaned_data["organisation"],
            improve=form.cleaned_data["improve"],
        )
        return _private(
            render(
                request, "activities/participants/feedback_done.html", {"event": event}
            )
        )
    response = render(
        request,
        "activities/participants/feedback.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )
    return _private(response)


# --- The coordinators' participants page -------------------------------------------


def _participants_page(
    request: HttpRequest,
    event: Event,
    settings_form: RegistrationSettingsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if settings_form is None:
        settings_form = RegistrationSettingsForm(
            event=event,
            initial={
                "registration_open": event.registration_open,
                "capacity": event.capacity,
                "registration_deadline": event.registration_deadline,
            },
        )
    registrations = list(people.registrations_of(event))
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    today = timezone.localdate()
    context = {
        "event": selectors.event_get_public(pk=event.pk),
        "registrations": registrations,
        "confirmed_count": len(confirmed),
        "waiting_count": sum(
            r.status == Registration.Status.WAITING for r in registrations
        ),
        "attended_count": sum(r.attended for r in confirmed),
        "places_left": people.places_left(event),
        "attendance_allowed": event.start_date <= today,
        "feedback_allowed": event.last_day <= today,
        "certificates_available": people.certificates_available(event),
        "certificates_due": sum(
            r.attended and r.certificate_issued_at is None and not r.anonymised_at
            for r in confirmed
        ),
        "feedback_due": sum(
            r.attended and r.feedback_requested_at is None and not r.anonymised_at
            for r in confirmed
        ),
        "feedback": people.feedback_summary(event),
        "settings_form": settings_form,
        "retention_days": _retention_days(),
    }
    response = render(
        request, "activities/participants/page.html", context, status=status
    )
    return _private(response)


def _back(event: Event) -> HttpResponse:
    return redirect(reverse("activities:participants", kwargs={"pk": event.pk}))


@second_factor_required
@require_http_methods(["GET"])
def participants(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    event = people.event_get_for_coordinator(user=request.user, pk=pk)
    return _participants_page(request, event)


@second_factor_required
@require_POST
def registration_settings(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    event = people.event_get_for_coordinator(user=request.user, pk=pk)
    form = RegistrationSettingsForm(request.POST, event=event)
    if not form.is_valid():
        return _participants_page(request, event, form, status=400)
    services.registration_settings_set(
        actor=acting_user(request),
        event=event,
        registration_open=form.cleaned_data["registration_open"],
        capacity=form.cleaned_data["capacity"],
        registration_deadline=form.cleaned_data["registration_deadline"],
    )
    messages.success(request, _("Registration settings saved."))
    return _back(event)


@second_factor_required
@require_POST
def attendance(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Mark one participant present or absent. With htmx the row is swapped
    in place; without JavaScript the page comes back."""
    registration = people.registration_get_for_coordinator(user=request.user, pk=pk)
    attended = request.POST.get("attended") == "1"
    error = ""
    try:
        registration = services.attendance_set(
            actor=acting_user(request), registration=registration, attended=attended
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    event = registration.event
    if getattr(request, "htmx", False):
        response = render(
            request,
            "activities/participants/_row.html",
            {
                "registration": registration,
                "event": event,
                "attendance_allowed": event.start_date <= timezone.localdate(),
                "row_error": error,
            },
            status=400 if error else 200,
        )
        # The totals above the list change with each mark.
        response["HX-Trigger"] = "attendance-changed"
        return _private(response)
    if error:
        messages.error(request, error)
    return _back(event)


@second_factor_required
@require_POST
def registration_staff_cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    registration = people.registration_get_for_coordinator(user=request.user, pk=pk)
    services.registration_cancel(actor=acting_user(request), registration=registration)
    messages.success(request, _("The registration was cancelled."))
    return _back(registration.event)


@second_factor_required
@require_http_methods(["GET"])
def attendance_csv(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The attendance list of the confirmed participants, safe to open in a
    spreadsheet (formula-like text neutralised)."""
    event = people.event_get_for_coordinator(user=request.user, pk=pk)
    rows = [
        r
        for r in people.registrations_of(event)
        if r.status == Registration.Status.CONFIRMED
    ]
    header = [
        _("Name"),
        _("Email address"),
        _("Institution"),
        _("Type of institution"),
        _("Profession"),
        _("Country"),
        _("Attended"),
        _("Certificate issued"),
    ]
    lines = [
        [
            r.name,
            r.email,
            r.institution,
            r.get_institution_type_display(),
            r.get_profession_display(),
            r.get_country_display(),
            _("yes") if r.attended else _("no"),
            r.certificate_issued_at.date().isoformat()
            if r.certificate_issued_at
            else "",
        ]
        for r in rows
    ]
    audit_event_record(
        actor=acting_user(request),
        action="registrations.exported",
        target=event,
        organization=services.event_member_organization(event),
        details={"rows": len(rows)},
    )
    response = HttpResponse(csv_bytes([header, *lines]), CSV_TYPE)
    filename = f"attendance-{event.start_date.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@second_factor_required
@require_POST
def certificates_issue(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    event = people.event_get_for_coordinator(user=request.user, pk=pk)
    try:
        count = services.certificates_issue(actor=acting_user(request), event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d certificate issued and sent to the participant.",
                "%(count)d certificates issued and sent to the participants.",
                count,
            )
            % {"count": count}
            if count
            else _("Every attendee already has a certificate."),
        )
    return _back(event)


@second_factor_required
@require_http_methods(["GET"])
def certificate_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    registration = people.registration_get_for_coordinator(user=request.user, pk=pk)
    if registration.certificate_issued_at is None or registration.anonymised_at:
        raise Http404("No certificate")
    audit_event_record(
        actor=acting_user(request),
        action="registration.certificate_downloaded",
        target=registration,
        organization=services.event_member_organization(registration.event),
    )
    response = HttpResponse(certificate_pdf(registration), PDF_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate_filename(registration)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@second_factor_required
@require_POST
def feedback_requests(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    event = people.event_get_for_coordinator(user=request.user, pk=pk)
    try:
        count = services.feedback_requests_send(actor=acting_user(request), event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d attendee was asked for feedback.",
                "%(count)d attendees were asked for feedback.",
                count,
            )
            % {"count": count}
            if count
            else _("Every attendee was already asked for feedback."),
        )
    return _back(event)
