"""Publications and campaigns, with the files of a publication."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.activities.forms.common import (
    ActivityForm,
    ActivityFormGroup,
    ProjectChoiceField,
    PublicationFileModelForm,
    SimpleFormGroup,
    countries_field,
    date_widget,
    kept_rows,
    languages_field,
)
from waypoint.activities.models import Campaign, Project, Publication, PublicationFile
from waypoint.activities.publication_files import (
    MAX_PUBLICATION_FILE_BYTES,
    publication_file_checked,
)
from waypoint.activities.services import manage as services
from waypoint.directory.forms.common import SPOKEN_LANGUAGE_CODES, FormsetPart
from waypoint.lib.countries import language_name
from waypoint.lib.forms import FORMSET_LIMITS, PLATFORM_LANGUAGES, choices_set

# --- Publications and campaigns -----------------------------------------------------


class PublicationForm(ActivityForm):
    translated_fields = Publication.TRANSLATED_FIELDS

    project = ProjectChoiceField(
        queryset=Project.objects.none(), label=_("Project"), required=False
    )
    languages = languages_field(_("Languages"))

    class Meta:
        model = Publication
        fields = (
            "type",
            "title",
            "subtitle",
            "project",
            "published",
            "published_precision",
            "languages",
            "audience",
            "summary",
            "language",
        )
        widgets = {"published": date_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._project_field(required_for_staff=True)


class CampaignForm(ActivityForm):
    translated_fields = Campaign.TRANSLATED_FIELDS

    project = ProjectChoiceField(
        queryset=Project.objects.none(), label=_("Project"), required=False
    )
    countries = countries_field(_("Countries"))
    messages = forms.CharField(
        label=_("Messages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One message a line."),
    )

    class Meta:
        model = Campaign
        fields = (
            "title",
            "project",
            "channel",
            "countries",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "messages",
            "description",
            "language",
        )
        widgets = {"start_date": date_widget(), "end_date": date_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._project_field(required_for_staff=True)
        if self.instance.pk:
            self.initial["messages"] = "\n".join(self.instance.messages or [])

    def clean_messages(self) -> list[str]:
        text = str(self.cleaned_data.get("messages") or "")
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end comes before the start."))
        return data


class PublicationFileForm(PublicationFileModelForm):
    """One file of a publication: its language, an optional title and the
    upload (required for a new row; for a stored one it replaces the file)."""

    upload = forms.FileField(label=_("File"), required=False)
    language = forms.ChoiceField(label=_("Language of the file"))

    class Meta:
        model = PublicationFile
        fields = ("upload", "language", "title")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = sorted(set(SPOKEN_LANGUAGE_CODES) | set(PLATFORM_LANGUAGES))
        choices_set(
            self.fields["language"],
            [("", "—"), *((c, language_name(c)) for c in codes)],
        )
        self.fields["upload"].help_text = _(
            "PDF, Word (DOCX), EPUB or OpenDocument text (ODT), up to %(size)s MB."
        ) % {"size": MAX_PUBLICATION_FILE_BYTES // (1024 * 1024)}
        stored = self.instance
        if not stored._state.adding:
            self.fields["upload"].help_text = format_html(
                '{} <a href="{}">{}</a> ({}, {}). {}',
                _("Now:"),
                stored.get_absolute_url(),
                stored.title or _("the stored file"),
                stored.format_label,
                filesizeformat(stored.size),
                _("Choose a file only to replace it."),
            )

    def clean_upload(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("upload")
        if upload is not None:
            publication_file_checked(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            self.instance._state.adding
            and not data.get("upload")
            and "upload" not in self.errors
        ):
            self.add_error("upload", _("Choose the file to add."))
        return data


PublicationFileFormSet = inlineformset_factory(
    Publication,
    PublicationFile,
    form=PublicationFileForm,
    extra=1,
    can_delete=True,
    **FORMSET_LIMITS,
)


class PublicationFormGroup(ActivityFormGroup):
    """A publication and its files (one form, sent as multipart)."""

    multipart = True

    def __init__(
        self,
        *,
        data: Any = None,
        files: Any = None,
        instance: Publication,
        user: User,
    ) -> None:
        self.user = user
        self.form = PublicationForm(data=data, instance=instance, user=user)
        self.files = FormsetPart(
            formset=PublicationFileFormSet(
                data=data, files=files, instance=instance, prefix="files"
            ),
            legend=_("Files"),
            row_label=_("File %(number)s"),
        )
        self.parts = [self.files]

    def save(self, *, actor: User) -> Publication:
        form = cast(PublicationForm, self.form)
        publication = form.save(commit=False)
        form.translations_apply()
        rows = [
            services.PublicationFileRow(file=item, upload=self._upload_of(item))
            for item in kept_rows(self.files.formset)
        ]
        return services.publication_save(
            actor=actor, publication=publication, files=rows
        )

    def _upload_of(self, item: PublicationFile) -> UploadedFile[bytes] | None:
        for form in self.files.formset.forms:
            if form.instance is item:
                upload: UploadedFile[bytes] | None = form.cleaned_data.get("upload")
                return upload
        return None


def publication_group(
    *, data: Any = None, files: Any = None, instance: Publication, user: User
) -> PublicationFormGroup:
    return PublicationFormGroup(data=data, files=files, instance=instance, user=user)


def campaign_group(
    *, data: Any = None, instance: Campaign, user: User
) -> SimpleFormGroup:
    return SimpleFormGroup(
        form=CampaignForm(data=data, instance=instance, user=user), user=user
    )
