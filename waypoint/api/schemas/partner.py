"""Typed bodies of the partner API (they make its OpenAPI description)."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from waypoint.api.schemas.hsds import MAX_PAGE
from waypoint.referrals.models import DeclineReason, NotCompletedReason, Status

MAX_PER_PAGE = 100


class Choice(Schema):
    code: str = Field(description="The stable code.")
    label: str = Field(description="The code's name in the language asked for.")


class OrganisationRef(Schema):
    id: int | None = Field(
        description="The member organisation's number; null for a recipient "
        "outside the platform."
    )
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2 country code.")


class ReferralSummary(Schema):
    id: int
    direction: Literal["incoming", "outgoing"] = Field(
        description="Whether the token's organisation received or sent it."
    )
    status: Choice
    priority: Choice
    needs: list[Choice]
    sender: OrganisationRef
    recipient: OrganisationRef
    respond_by: datetime.date
    sent_at: datetime.datetime
    updated_at: datetime.datetime
    version: int = Field(
        description="Send it back with a change: a change made by someone else "
        "in between is refused with 409."
    )


class ReferralPage(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    contents: list[ReferralSummary]


class SharedField(Schema):
    label: str
    value: str


class SharedSection(Schema):
    category: Choice
    fields: list[SharedField]


class Event(Schema):
    at: datetime.datetime
    from_status: Choice | None
    to_status: Choice
    by: str | None = Field(description="Username; null when the platform acted.")
    note: str
    erased_at: datetime.datetime | None = Field(
        None,
        description="When the person's data was erased (the note is then empty).",
    )


class ReferralDetail(ReferralSummary):
    case_code: str | None = Field(
        description="The sending organisation's case code; only for the sender."
    )
    service: str | None = Field(description="The directory service asked for.")
    accompanied: bool
    interpreter_language: str = Field(description="ISO 639-1 code or empty.")
    data_categories: list[Choice]
    shared_data: list[SharedSection] = Field(
        description="The data frozen when the referral was sent, and only the "
        "categories the person agreed to share."
    )
    decline_reason: Choice | None
    not_completed_reason: Choice | None
    response_text: str
    outcome: str
    actions: list[str] = Field(
        description="The steps the token's side may take now "
        "(acknowledge, accept, decline, start, complete, not_complete, withdraw)."
    )
    events: list[Event]


class Message(Schema):
    id: int
    at: datetime.datetime
    author: str = Field(description="Username of the author.")
    organisation: OrganisationRef
    text: str
    erased_at: datetime.datetime | None = Field(
        None,
        description="When the person's data was erased (the text is then empty).",
    )


class ListParams(Schema):
    direction: Literal["incoming", "outgoing"] = Field(
        "incoming", description="Referrals received (incoming) or sent (outgoing)."
    )
    status: Status | None = Field(None, description="Only referrals in this status.")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)


class VersionIn(Schema):
    version: int = Field(
        ge=1, description="The referral's version as last read (see `version`)."
    )


class NoteIn(VersionIn):
    note: str = Field("", max_length=5000)


class DeclineIn(VersionIn):
    reason: DeclineReason
    text: str = Field(
        "", max_length=5000, description="Required when the reason is `other`."
    )


class CompleteIn(VersionIn):
    outcome: str = Field(min_length=1, max_length=5000)


class NotCompleteIn(VersionIn):
    reason: NotCompletedReason
    text: str = Field(
        "", max_length=5000, description="Required when the reason is `other`."
    )


class MessageIn(Schema):
    text: str = Field(min_length=1, max_length=5000)


class FieldError(Schema):
    field: str
    message: str


class ApiError(Schema):
    detail: str
    errors: list[FieldError] = []
    # With 429 only: the seconds to wait, as in the Retry-After header.
    retry_after: int | None = None
