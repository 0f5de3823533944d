"""Staff pages for HSDS: upload a file, read the check, confirm; download the export.

The uploaded file waits in ``VAR_DIR/hsds-uploads`` under a random name kept
in the editor's session between the check and the confirmation.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.models import User
from waypoint.directory.hsds.exporter import hsds_export_zip
from waypoint.directory.hsds.importer import (
    ImportRefusedError,
    ImportReport,
    hsds_import,
)

MAX_UPLOAD = 50 * 1024 * 1024
SESSION_KEY = "hsds_upload"
PERMISSION = "directory.edit_directory"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HSDS file"),
        help_text=gettext_lazy(
            "A JSON file, or a zip of the tabular data package (CSV files "
            "with datapackage.json)."
        ),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The partner or feed it comes from; listings imported again from "
            "the same source are updated. Default: the file name."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import the valid records even if some are not"),
        required=False,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


def _upload_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "hsds-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _editor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _report_context(report: ImportReport) -> dict[str, object]:
    return {
        "report": report,
        "counts": sorted(report.counts.items()),
        "problems": report.problems[:500],
        "more_problems": max(0, len(report.problems) - 500),
        "warnings": report.warnings[:200],
        "more_warnings": max(0, len(report.warnings) - 200),
    }


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def hsds_import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = uuid.uuid4().hex
        stored = _upload_dir() / token
        with stored.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        name = Path(upload.name or "upload").name
        source = form.cleaned_data["source"] or name
        skip_invalid = form.cleaned_data["skip_invalid"]
        request.session[SESSION_KEY] = {
            "token": token,
            "name": name,
            "source": source,
            "skip_invalid": skip_invalid,
        }
        try:
            report = hsds_import(
                path=stored, source=source, dry_run=True, skip_invalid=skip_invalid
            )
            can_import = True
        except ImportRefusedError as refused:
            report, can_import = refused.report, False
        return render(
            request,
            "directory/hsds/check.html",
            {**_report_context(report), "name": name, "can_import": can_import},
        )
    return render(request, "directory/hsds/upload.html", {"form": form})


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def hsds_import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    stored = _upload_dir() / str(pending["token"]) if pending else None
    if pending is None or stored is None or not stored.exists():
        return redirect("directory:hsds_import")
    try:
        report = hsds_import(
            path=stored,
            source=str(pending["source"]),
            actor=_editor(request),
            skip_invalid=bool(pending["skip_invalid"]),
        )
        done = True
    except ImportRefusedError as refused:
        report, done = refused.report, False
    finally:
        stored.unlink(missing_ok=True)
    return render(
        request,
        "directory/hsds/done.html",
        {**_report_context(report), "name": pending["name"], "done": done},
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
def hsds_export_download(request: HttpRequest) -> HttpResponse:
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(hsds_export_zip(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="waypoint-directory-hsds-{stamp}.zip"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
