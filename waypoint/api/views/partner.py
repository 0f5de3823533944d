"""The partner API under ``/api/partner/``: a member organisation's own case
management system lists, reads and acts on the organisation's referrals.

Authentication is a bearer token made by an organisation administrator. A
token acts as one named caseworker or supervisor of its organisation: the
referral services run as that person (same rules, same audit trail as the
web pages) and the token sees only what that person could see there, within
its own organisation. Labels come in the language of ``Accept-Language``.
Served description: ``/api/partner/openapi.json``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja import Status as Reply
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from waypoint.accounts.models import MemberOrganization
from waypoint.accounts.services import audit_event_record
from waypoint.api.http import json_response, too_many_requests
from waypoint.api.models import ApiToken
from waypoint.api.schemas import partner as s
from waypoint.api.selectors.partner import (
    INCOMING,
    OUTGOING,
    api_token_find,
    referral_get_for_token,
    referrals_for_token,
    token_may_act,
)
from waypoint.api.services import api_token_used
from waypoint.lib.ratelimit import configured, over_limit
from waypoint.referrals import selectors as referral_selectors
from waypoint.referrals import services as referral_services
from waypoint.referrals.models import (
    DeclineReason,
    Need,
    NotCompletedReason,
    Priority,
    Referral,
    ReferralCategory,
    Status,
)
from waypoint.referrals.selectors import ReferralAccess


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_find(token)
        if found is None:
            return None
        if not token_may_act(found):
            raise HttpError(
                403,
                _(
                    "The member this token acts as no longer works on cases in "
                    "the organisation. Ask an administrator for a new token."
                ),
            )
        limit, period = configured(
            "WAYPOINT_PARTNER_RATE_LIMIT", "WAYPOINT_PARTNER_RATE_PERIOD"
        )
        retry_after = over_limit("partner", str(found.pk), limit=limit, period=period)
        if retry_after is not None:
            raise RateLimitedError(limit, period, retry_after)
        api_token_used(token=found)
        return found


class RateLimitedError(Exception):
    """A token made more requests than its window allows."""

    def __init__(self, limit: int, period: int, retry_after: int) -> None:
        super().__init__(retry_after)
        self.limit, self.period, self.retry_after = limit, period, retry_after


api = NinjaAPI(
    title="Waypoint partner API",
    version="1",
    description=(
        "For the case management systems of member organisations: list, read "
        "and act on the organisation's referrals and write messages. "
        "Authenticate with `Authorization: Bearer <token>`; an administrator "
        "of the organisation creates tokens on the organisation's staff page. "
        "A token acts as one caseworker or supervisor and sees what they would "
        "see. Each change sends back the `version` last read: a referral "
        "changed since then is refused with 409. Labels follow "
        "`Accept-Language`. Each token may make `WAYPOINT_PARTNER_RATE_LIMIT` "
        "requests (300 by default) per `WAYPOINT_PARTNER_RATE_PERIOD` seconds "
        "(60); beyond that the answer is 429 with `Retry-After`."
    ),
    urls_namespace="partner",
    docs_url=None,
    auth=TokenAuth(),
)

ERRORS: dict[int, Any] = {
    401: s.ApiError,
    403: s.ApiError,
    404: s.ApiError,
    414: s.ApiError,
    422: s.ApiError,
    429: s.ApiError,
}
CHANGE_ERRORS: dict[int, Any] = {**ERRORS, 409: s.ApiError}

# The steps a client takes from a referral it read: each with the referral's
# id and the version it read (OpenAPI links, which clients and API fuzzers
# follow).
_STEPS = {
    "Acknowledge": "referral_acknowledge",
    "Accept": "referral_accept",
    "Decline": "referral_decline",
    "Start": "referral_start",
    "Complete": "referral_complete",
    "NotComplete": "referral_not_complete",
    "Withdraw": "referral_withdraw",
}


def _links_from_referral() -> dict[str, Any]:
    links: dict[str, Any] = {
        "ReadMessages": {
            "operationId": "referral_messages_list",
            "parameters": {"referral_id": "$response.body#/id"},
        },
        "WriteMessage": {
            "operationId": "referral_message_add",
            "parameters": {"referral_id": "$response.body#/id"},
        },
    }
    for name, operation_id in _STEPS.items():
        links[name] = {
            "operationId": operation_id,
            "parameters": {"referral_id": "$response.body#/id"},
            "requestBody": {"version": "$response.body#/version"},
        }
    return {"responses": {200: {"links": links}}}


REFERRAL_LINKS = _links_from_referral()
LIST_LINKS = {
    "responses": {
        200: {
            "links": {
                "ReadFirstReferral": {
                    "operationId": "referral_read",
                    "parameters": {"referral_id": "$response.body#/contents/0/id"},
                }
            }
        }
    }
}


def _error(
    status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    response = json_response({"detail": detail, "errors": errors or []}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(401, _("A valid, unrevoked API token is required."))


@api.exception_handler(RateLimitedError)
def _rate_limited(request: HttpRequest, exc: RateLimitedError) -> HttpResponse:
    return too_many_requests(exc.limit, exc.period, exc.retry_after)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        errors.append(
            {
                "field": location[-1] if location else "",
                "message": str(error.get("msg", "")),
            }
        )
    names = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
    return _error(422, _("Invalid value: %(names)s") % {"names": names}, errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(404, _("No such referral."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(403, str(exc) or _("This token may not do that."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # django-ninja's answer to a body that is not JSON at all: for a client
        # that is one more invalid value, answered as the others are (422,
        # naming the field), the one code the document lists for it.
        return _error(
            422,
            _("Invalid value: %(names)s") % {"names": "body"},
            [{"field": "body", "message": str(exc)}],
        )
    return _error(exc.status_code, str(exc))


@api.exception_handler(referral_services.ConcurrentUpdateError)
def _conflict(
    request: HttpRequest, exc: referral_services.ConcurrentUpdateError
) -> HttpResponse:
    return _error(
        409,
        _(
            "Someone else changed this referral since you read it. Read it "
            "again and send its current version."
        ),
    )


# Which request field each validation code of the referral services is about.
_FIELD_OF_CODE = {
    "text": "text",
    "outcome": "outcome",
    "invalid_choice": "reason",
    "required": "text",
}


@api.exception_handler(DjangoValidationError)
def _rejected(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if getattr(exc, "code", None) in ("transition", "erased"):
        return _error(409, " ".join(exc.messages))
    field = _FIELD_OF_CODE.get(str(getattr(exc, "code", "")), "")
    errors = [{"field": field, "message": message} for message in exc.messages]
    return _error(422, " ".join(exc.messages), errors)


# --- Rendering ------------------------------------------------------------------


def _token(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):  # the API's auth let only tokens in
        raise PermissionDenied
    return token


def _choice(choices: Any, code: str) -> dict[str, str] | None:
    if not code:
        return None
    return {"code": code, "label": str(dict(choices).get(code, code))}


def _org(member: MemberOrganization) -> dict[str, Any]:
    return {
        "id": member.pk,
        "name": member.organization.name,
        "country": member.organization.country,
    }


def _recipient(referral: Referral) -> dict[str, Any]:
    if referral.recipient is not None:
        return _org(referral.recipient)
    # An organisation outside the platform, answering through an emailed link.
    listing = referral.external_recipient
    return {
        "id": None,
        "name": listing.name if listing else "",
        "country": listing.country if listing else "",
    }


def _summary(referral: Referral, organization_id: int | None) -> dict[str, Any]:
    incoming = referral.recipient_id == organization_id
    return {
        "id": referral.pk,
        "direction": INCOMING if incoming else OUTGOING,
        "status": _choice(Status.choices, referral.status),
        "priority": _choice(Priority.choices, referral.priority),
        "needs": [_choice(Need.choices, code) for code in referral.needs],
        "sender": _org(referral.sender_organization),
        "recipient": _recipient(referral),
        "respond_by": referral.respond_by,
        "sent_at": referral.sent_at,
        "updated_at": referral.updated_at,
        "version": referral.version,
    }


def _detail(access: ReferralAccess) -> dict[str, Any]:
    referral = access.referral
    organization_id = (
        referral.sender_organization_id if access.is_sender else referral.recipient_id
    )
    categories = dict(ReferralCategory.choices)
    codes = [code for code in (referral.snapshot or {}) if code in categories]
    sections = referral_selectors.snapshot_sections(referral)
    return {
        **_summary(referral, organization_id),
        "case_code": referral.case.code if access.is_sender else None,
        "service": referral.service.name if referral.service else None,
        "accompanied": referral.accompanied,
        "interpreter_language": referral.interpreter_language,
        "data_categories": [
            _choice(ReferralCategory.choices, code) for code in referral.data_categories
        ],
        "shared_data": [
            {
                "category": {"code": code, "label": label},
                "fields": [{"label": name, "value": value} for name, value in rows],
            }
            for code, (label, rows) in zip(codes, sections, strict=True)
        ],
        "decline_reason": _choice(DeclineReason.choices, referral.decline_reason),
        "not_completed_reason": _choice(
            NotCompletedReason.choices, referral.not_completed_reason
        ),
        "response_text": referral.response_text,
        "outcome": referral.outcome,
        "actions": referral_selectors.actions_allowed(access),
        "events": [
            {
                "at": event.at,
                "from_status": _choice(Status.choices, event.from_status),
                "to_status": _choice(Status.choices, event.to_status),
                "by": event.actor.username if event.actor else None,
                "note": event.note,
                "erased_at": event.erased_at,
            }
            for event in referral_selectors.events_of(referral)
        ],
    }


def _audit(token: ApiToken, access: ReferralAccess, operation: str) -> None:
    """Which token did it, next to the acting member's own audit rows."""
    audit_event_record(
        actor=token.acts_as,
        action=f"api.{operation}",
        target=access.referral,
        organization=token.organization,
        details={"token": token.pk},
    )


# --- Endpoints ------------------------------------------------------------------


@api.get(
    "/referrals",
    response={200: s.ReferralPage, **ERRORS},
    summary="List referrals",
    operation_id="referrals_list",
    openapi_extra=LIST_LINKS,
)
def referrals_list(request: HttpRequest, params: Query[s.ListParams]) -> Any:
    """The organisation's incoming or outgoing referrals, newest first."""
    token = _token(request)
    referrals = referrals_for_token(
        token=token,
        direction=params.direction,
        status=params.status.value if params.status else "",
    ).select_related(
        "sender_organization__organization",
        "recipient__organization",
        "external_recipient",
    )
    total = referrals.count()
    first = (params.page - 1) * params.per_page
    page = list(referrals[first : first + params.per_page])
    return {
        "total_items": total,
        "total_pages": max(1, math.ceil(total / params.per_page)),
        "page_number": params.page,
        "size": len(page),
        "contents": [_summary(r, token.organization_id) for r in page],
    }


@api.get(
    "/referrals/{referral_id}",
    response={200: s.ReferralDetail, **ERRORS},
    summary="Read a referral",
    operation_id="referral_read",
    openapi_extra=REFERRAL_LINKS,
)
def referral_read(request: HttpRequest, referral_id: int) -> Any:
    """One referral; the recipient sees only the shared data frozen at sending.
    Each read is audited."""
    token = _token(request)
    access = referral_get_for_token(token=token, pk=referral_id)
    _audit(token, access, "referral_read")
    return _detail(access)


def _change(
    request: HttpRequest, referral_id: int, action: str, version: int, **kwargs: Any
) -> Any:
    token = _token(request)
    with transaction.atomic():
        return _change_now(token, referral_id, action, version, **kwargs)


def _change_now(
    token: ApiToken, referral_id: int, action: str, version: int, **kwargs: Any
) -> Any:
    access = referral_get_for_token(token=token, pk=referral_id)
    transition = referral_services.TRANSITIONS[action]
    if transition.side != access.side:
        raise PermissionDenied(
            _("Only the receiving organisation may do that.")
            if transition.side == referral_services.RECIPIENT
            else _("Only the sending organisation may do that.")
        )
    if version != access.referral.version:
        raise referral_services.ConcurrentUpdateError
    actor = token.acts_as
    referral = access.referral
    calls: dict[str, Callable[..., Referral]] = {
        "acknowledge": referral_services.referral_acknowledge,
        "accept": referral_services.referral_accept,
        "decline": referral_services.referral_decline,
        "start": referral_services.referral_start,
        "complete": referral_services.referral_complete,
        "not_complete": referral_services.referral_not_complete,
        "withdraw": referral_services.referral_withdraw,
    }
    calls[action](actor=actor, referral=referral, **kwargs)
    _audit(token, access, action)
    return _detail(access)


@api.post(
    "/referrals/{referral_id}/acknowledge",
    response={200: s.ReferralDetail, **CHANGE_ERRORS},
    summary="Acknowledge receipt",
    operation_id="referral_acknowledge",
    openapi_extra=REFERRAL_LINKS,
)
def referral_acknowledge(
    request: HttpRequest, referral_id: int, body: s.VersionIn
) -> Any:
    return _change(request, referral_id, "acknowledge", body.version)


@api.post(
    "/referrals/{referral_id}/accept",
    response={200: s.ReferralDetail, **CHANGE_ERRORS},
    summary="Accept",
    operation_id="referral_accept",
    openapi_extra=REFERRAL_LINKS,
)
def referral_accept(request: HttpRequest, referral_id: int, body: s.NoteIn) -> Any:
    return _change(request, referral_id, "accept", body.version, note=body.note)


@api.post(
    "/referrals/{referral_id}/decline",
    response={200: s.ReferralDetail, **CHANGE_ERRORS},
    summary="Decline, with a reason code",
    operation_id="referral_decline",
    openapi_extra=REFERRAL_LINKS,
)
def referral_decline(request: HttpRequest, referral_id: int, body: s.DeclineIn) -> Any:
    return _change(
        request,
        referral_id,
        "decline",
        body.version,
        reason=body.reason.value,
        text=body.text,
    )


@api.post(
    "/referrals/{referral_id}/start",
    response={200: s.ReferralDetail, **CHANGE_ERRORS},
    summary="Mark as in progress",
    operation_id="referral_start",
    openapi_extra=REFERRAL_LINKS,
)
def referral_start(request: HttpRequest, referral_id: int, body: s.VersionIn) -> Any:
    return _change(request, referral_id, "start", body.version)


@api.post(
    "/referrals/{referral_id}/complete",
    response={200: s.ReferralDetail, **CHANGE_ERRORS},
    summary="Complete, reporting the outcome",
    operation_id="referral_complete",
    openapi_extra=REFERRAL_LINKS,
)
def referral_complete(
    request: HttpRequest, referral_id: int, body: s.CompleteIn
) -> Any:
    return _change(request, referral_id, "complete", body.version, outcome=body.outcome)


@api.post(
    "/referrals/{referral_id}/not-complete",
    response={200: s.ReferralDetail, **CHANGE_ERRORS},
    summary="Record that it could not be completed",
    operation_id="referral_not_complete",
    openapi_extra=REFERRAL_LINKS,
)
def referral_not_complete(
    request: HttpRequest, referral_id: int, body: s.NotCompleteIn
) -> Any:
    return _change(
        request,
        referral_id,
        "not_complete",
        body.version,
        reason=body.reason.value,
        text=body.text,
    )


@api.post(
    "/referrals/{referral_id}/withdraw",
    response={200: s.ReferralDetail, **CHANGE_ERRORS},
    summary="Withdraw (sender)",
    operation_id="referral_withdraw",
    openapi_extra=REFERRAL_LINKS,
)
def referral_withdraw(request: HttpRequest, referral_id: int, body: s.NoteIn) -> Any:
    return _change(request, referral_id, "withdraw", body.version, note=body.note)


def _message(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "at": item.at,
        "author": item.author.username,
        "organisation": _org(item.organization),
        "text": item.text,
        "erased_at": item.erased_at,
    }


@api.get(
    "/referrals/{referral_id}/messages",
    response={200: list[s.Message], **ERRORS},
    summary="List the messages",
    operation_id="referral_messages_list",
)
def referral_messages(request: HttpRequest, referral_id: int) -> Any:
    """The messages between the two sides, oldest first."""
    token = _token(request)
    access = referral_get_for_token(token=token, pk=referral_id)
    _audit(token, access, "messages_read")
    return [_message(m) for m in referral_selectors.messages_of(access.referral)]


@api.post(
    "/referrals/{referral_id}/messages",
    response={201: s.Message, **CHANGE_ERRORS},
    summary="Write a message to the other side",
    operation_id="referral_message_add",
)
def referral_message_add(
    request: HttpRequest, referral_id: int, body: s.MessageIn
) -> Any:
    token = _token(request)
    with transaction.atomic():
        access = referral_get_for_token(token=token, pk=referral_id)
        message = referral_services.referral_message_add(
            actor=token.acts_as, referral=access.referral, text=body.text
        )
        _audit(token, access, "message_added")
    return Reply(201, _message(message))
