"""Staff pages of the activities: projects, events, publications, campaigns,
partnerships, departments and annual report texts.

Event coordinators and administrators of a member organisation manage their
organisation's records; platform administrators manage all. Anonymous visitors
are sent to the login page; anyone else, and anyone asking for another
organisation's record, gets 404. Every kind of record has the same four pages
(list, new, edit, delete with confirmation), built from the ``KINDS`` table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model, ProtectedError, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from waypoint.accounts.decorators import acting_user
from waypoint.accounts.models import User
from waypoint.activities import access, forms
from waypoint.activities.models import (
    AnnualReport,
    Campaign,
    Department,
    Event,
    Partnership,
    Project,
    Publication,
)
from waypoint.activities.services import manage as services
from waypoint.directory.forms import FormGroup
from waypoint.directory.models import ChangeRecord
from waypoint.lib.forms import field_label

View = Callable[..., HttpResponse]
HISTORY_ROWS = 30


def manager_required(view: View) -> View:
    """Anonymous → login page; signed in without a managing role → 404."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_manage_activities(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_required(never_cache(wrapper))


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, f"activities/manage/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@dataclass(frozen=True)
class Kind:
    """One kind of record of the staff pages."""

    slug: str  # in paths: /manage/<slug>/
    name: str  # in URL names: manage_<name>_edit
    model: type[Model]
    group: Callable[..., FormGroup]
    heading: Any  # the list page's heading
    describe: Callable[[Any], str]  # one line under the record's name in the list
    uploads: bool = False  # the form takes files (its group accepts ``files``)

    def new(self, user: User) -> Model:
        instance = self.model()
        organizations = list(access.managed_organizations(user)[:2])
        if len(organizations) == 1:
            # The usual case: a coordinator of one organisation.
            if isinstance(instance, Project):
                instance.coordinator = organizations[0]
            elif isinstance(instance, Event):
                instance.organiser = organizations[0]
            elif isinstance(instance, Partnership | Department | AnnualReport):
                instance.organization = organizations[0]
        return instance

    def queryset(self, user: User) -> QuerySet[Model]:
        return access.managed_queryset(user, self.model)

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


def _dates(start: Any, end: Any) -> str:
    if start is None:
        return ""
    return f"{start:%Y-%m-%d}" + (f" – {end:%Y-%m-%d}" if end else "")


KINDS: list[Kind] = [
    Kind(
        "projects",
        "project",
        Project,
        forms.ProjectFormGroup,
        gettext_lazy("Projects"),
        lambda p: _dates(p.start_date, p.end_date),
    ),
    Kind(
        "events",
        "event",
        Event,
        forms.EventFormGroup,
        gettext_lazy("Events"),
        lambda e: " · ".join(
            x for x in (_dates(e.start_date, e.end_date), e.city) if x
        ),
    ),
    Kind(
        "publications",
        "publication",
        Publication,
        forms.publication_group,
        gettext_lazy("Publications"),
        lambda p: " · ".join(
            x for x in (str(p.get_type_display()), _dates(p.published, None)) if x
        ),
        uploads=True,
    ),
    Kind(
        "campaigns",
        "campaign",
        Campaign,
        forms.campaign_group,
        gettext_lazy("Awareness campaigns"),
        lambda c: _dates(c.start_date, c.end_date),
    ),
    Kind(
        "partnerships",
        "partnership",
        Partnership,
        forms.partnership_group,
        gettext_lazy("Partnerships, protocols and networks"),
        lambda p: str(p.get_kind_display()),
    ),
    Kind(
        "departments",
        "department",
        Department,
        forms.DepartmentFormGroup,
        gettext_lazy("Departments and staff"),
        lambda d: str(d.get_kind_display()),
    ),
    Kind(
        "reports",
        "report",
        AnnualReport,
        forms.annual_report_group,
        gettext_lazy("Annual report texts"),
        lambda r: "",
    ),
]
KIND_BY_SLUG = {kind.slug: kind for kind in KINDS}
# A whole sentence per kind, never "The %(kind)s ...": the kind's name would
# need its own article and gender in each language (as in
# templates/activities/manage/_kind_text.html).
SAVED = {
    "project": gettext_lazy("The project was saved."),
    "event": gettext_lazy("The event was saved."),
    "publication": gettext_lazy("The publication was saved."),
    "campaign": gettext_lazy("The awareness campaign was saved."),
    "partnership": gettext_lazy("The partnership was saved."),
    "department": gettext_lazy("The department was saved."),
    "report": gettext_lazy("The annual report text was saved."),
}


def record_title(instance: Model) -> str:
    if isinstance(instance, Partnership):
        return f"{instance.organization.name} → {instance.partner.name}"
    if isinstance(instance, AnnualReport):
        return _("Annual report %(year)s, %(organization)s") % {
            "year": instance.year,
            "organization": instance.organization.name,
        }
    if isinstance(instance, Department):
        return f"{instance.name} ({instance.organization.name})"
    return str(getattr(instance, "title", "") or instance)


def _list_queryset(kind: Kind, user: User) -> QuerySet[Model]:
    queryset = kind.queryset(user)
    if kind.model in (Partnership, Department, AnnualReport):
        queryset = queryset.select_related("organization")
    if kind.model is Partnership:
        queryset = queryset.select_related("partner")
    ordering = {
        Project: ["-start_date", "title"],
        Event: ["-start_date", "title"],
        Publication: ["-published", "title"],
        Campaign: ["-start_date", "title"],
        Partnership: ["organization__name", "kind", "position"],
        Department: ["organization__name", "position", "name"],
        AnnualReport: ["-year", "organization__name"],
    }[kind.model]
    return queryset.order_by(*ordering)


def _urls(kind: Kind) -> dict[str, str]:
    return {
        "list": reverse(f"activities:manage_{kind.slug}"),
        "create": reverse(f"activities:manage_{kind.name}_create"),
    }


# --- Pages --------------------------------------------------------------------------


@manager_required
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    sections = [
        {"kind": kind, "count": kind.queryset(user).count(), "urls": _urls(kind)}
        for kind in KINDS
    ]
    return _render(
        request,
        "index.html",
        {
            "sections": sections,
            "organizations": list(access.managed_organizations(user)[:50]),
        },
    )


def record_list(request: HttpRequest, kind: Kind) -> HttpResponse:
    user = acting_user(request)
    rows = [
        {
            "title": record_title(record),
            "detail": kind.describe(record),
            "edit": reverse(
                f"activities:manage_{kind.name}_edit", kwargs={"pk": record.pk}
            ),
        }
        for record in _list_queryset(kind, user)
    ]
    return _render(
        request, "list.html", {"kind": kind, "rows": rows, "urls": _urls(kind)}
    )


def _history(instance: Model) -> list[dict[str, Any]]:
    records = ChangeRecord.objects.filter(
        resource_id=instance.pk, resource_type=instance._meta.model_name or ""
    ).select_related("actor")[:HISTORY_ROWS]
    model = type(instance)
    return [
        {
            "record": record,
            "field": field_label(model, record.field_name),
            "who": record.actor.get_username()
            if record.actor is not None
            else record.actor_label,
        }
        for record in records
    ]


def record_edit(
    request: HttpRequest, kind: Kind, pk: uuid.UUID | None = None
) -> HttpResponse:
    user = acting_user(request)
    instance = (
        kind.new(user) if pk is None else access.managed_get(user, kind.model, pk)
    )
    posted = request.method == "POST"
    files: dict[str, Any] = (
        {"files": request.FILES if posted else None} if kind.uploads else {}
    )
    group = kind.group(
        data=request.POST if posted else None, instance=instance, user=user, **files
    )
    context: dict[str, Any] = {
        "kind": kind,
        "record": None if pk is None else instance,
        "title": record_title(instance) if pk is not None else "",
        "urls": _urls(kind),
        "history": _history(instance) if pk is not None else [],
        "group": group,
        "summary": [],
    }
    if pk is not None:
        context["delete_url"] = reverse(
            f"activities:manage_{kind.name}_delete", kwargs={"pk": pk}
        )
    if posted:
        if group.is_valid():
            saved = group.save(actor=user)
            messages.success(request, str(SAVED[kind.name]))
            return redirect(
                reverse(f"activities:manage_{kind.name}_edit", kwargs={"pk": saved.pk})
            )
        context["summary"] = group.error_summary()
        return _render(request, "form.html", context, status=400)
    return _render(request, "form.html", context)


def record_delete(request: HttpRequest, kind: Kind, pk: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    instance = access.managed_get(user, kind.model, pk)
    title = record_title(instance)
    context = {"kind": kind, "record": instance, "title": title, "urls": _urls(kind)}
    if request.method == "POST":
        try:
            services.managed_record_delete(actor=user, instance=instance)
        except ProtectedError as error:
            blocking = sorted({str(obj) for obj in error.protected_objects})[:10]
            return _render(
                request,
                "delete.html",
                {**context, "blocking": blocking},
                status=409,
            )
        messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
        return redirect(_urls(kind)["list"])
    return _render(request, "delete.html", context)


def _views(kind: Kind) -> dict[str, View]:
    """The four pages of one kind, as views for urls.py."""

    def listing(request: HttpRequest) -> HttpResponse:
        return record_list(request, kind)

    def create(request: HttpRequest) -> HttpResponse:
        return record_edit(request, kind)

    def edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        return record_edit(request, kind, pk)

    def delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        return record_delete(request, kind, pk)

    read = ["GET", "HEAD"]
    write = ["GET", "HEAD", "POST"]
    return {
        "list": manager_required(require_http_methods(read)(listing)),
        "create": manager_required(require_http_methods(write)(create)),
        "edit": manager_required(require_http_methods(write)(edit)),
        "delete": manager_required(require_http_methods(write)(delete)),
    }


VIEWS: dict[str, dict[str, View]] = {kind.slug: _views(kind) for kind in KINDS}
