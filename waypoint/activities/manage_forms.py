"""Forms of the activities staff pages.

They reuse the directory's staff building blocks: ``TranslatedModelForm``
(a fieldset per other platform language), ``FormGroup`` (a page's forms are
valid together or not at all, with an error summary naming each field) and
``FormsetPart``. Each group's ``save`` makes one service call.

Every group knows the acting user: the choices of projects and organisations
are those the user manages, and a record that would not belong to one of the
user's organisations is refused with an error on the field that decides it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model, QuerySet
from django.forms import formset_factory
from django.forms.models import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.accounts.selectors import is_platform_admin
from waypoint.activities import access
from waypoint.activities.models import (
    AnnualReport,
    Campaign,
    Department,
    Event,
    ParticipantCount,
    ParticipantProfession,
    Partnership,
    Project,
    ProjectPartner,
    Publication,
    PublicationFile,
    StaffCount,
)
from waypoint.activities.publication_files import (
    MAX_PUBLICATION_FILE_BYTES,
    publication_file_checked,
)
from waypoint.activities.services import manage as services
from waypoint.activities.services.participants import event_has_registrations
from waypoint.directory.manage_forms.common import (
    PLATFORM_LANGUAGES,
    SPOKEN_LANGUAGE_CODES,
    FormGroup,
    FormsetPart,
    TranslatedModelForm,
    _choices_set,
    _country_choices,
    _language_choices,
)
from waypoint.directory.models import Organization
from waypoint.lib.countries import country_name, language_name

if TYPE_CHECKING:
    _OrganizationField = forms.ModelChoiceField[Organization]
    _OrganizationsField = forms.ModelMultipleChoiceField[Organization]
    _ProjectField = forms.ModelChoiceField[Project]
    _PartnerModelForm = forms.ModelForm[ProjectPartner]
    _StaffModelForm = forms.ModelForm[StaffCount]
    _PublicationFileModelForm = forms.ModelForm[PublicationFile]
else:
    _OrganizationField = _ProjectField = forms.ModelChoiceField
    _OrganizationsField = forms.ModelMultipleChoiceField
    _PartnerModelForm = _StaffModelForm = _PublicationFileModelForm = forms.ModelForm


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationChoiceField(_OrganizationField):
    def label_from_instance(self, obj: Organization) -> str:
        if obj.country:
            return f"{obj.name} ({country_name(obj.country)})"
        return obj.name


class OrganizationsChoiceField(_OrganizationsField):
    def label_from_instance(self, obj: Organization) -> str:
        if obj.country:
            return f"{obj.name} ({country_name(obj.country)})"
        return obj.name


class ProjectChoiceField(_ProjectField):
    def label_from_instance(self, obj: Project) -> str:
        if obj.acronym:
            return f"{obj.acronym} — {obj.title}"
        return obj.title


def _organizations() -> QuerySet[Organization]:
    return Organization.objects.order_by("name")


def _languages_field(label: Any) -> forms.MultipleChoiceField:
    codes = sorted(set(SPOKEN_LANGUAGE_CODES) | set(PLATFORM_LANGUAGES))
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c, language_name(c)) for c in codes],
    )


def _countries_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=_country_choices(blank=False),
    )


class ActivityForm(TranslatedModelForm):
    """A translated activity record form that knows who is filling it in."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if "language" in self.fields:
            language = str(getattr(self.instance, "language", "") or "en")
            self.fields["language"] = forms.ChoiceField(
                label=_("Language of the texts"),
                choices=_language_choices(language),
                initial=language,
            )
        for name in ("languages", "countries"):
            if name in self.fields and self.instance.pk:
                self.initial[name] = list(getattr(self.instance, name) or [])

    def _project_field(self, required_for_staff: bool) -> None:
        """Limit the project to the user's own (and the record's current one)."""
        field = cast(ProjectChoiceField, self.fields["project"])
        projects = access.projects_managed(self.user)
        current = getattr(self.instance, "project_id", None)
        if current is not None:
            projects = projects | Project.objects.filter(pk=current)
        field.queryset = projects.distinct().order_by("-start_date", "title")
        if required_for_staff and not is_platform_admin(self.user):
            field.required = True
            field.help_text = _("One of your organisation's projects.")

    def _own_organizations(self, name: str) -> None:
        field = cast(OrganizationChoiceField, self.fields[name])
        field.queryset = access.managed_organizations(self.user)


# --- Projects ---------------------------------------------------------------------


class ProjectForm(ActivityForm):
    translated_fields = Project.TRANSLATED_FIELDS

    coordinator = OrganizationChoiceField(
        queryset=_organizations(),
        label=_("Coordinator"),
        required=False,
        help_text=_("Your organisation, or add it below as a partner."),
    )
    countries = _countries_field(_("Countries"))

    class Meta:
        model = Project
        fields = (
            "title",
            "acronym",
            "funding_programme",
            "grant_reference",
            "coordinator",
            "countries",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "website",
            "objectives",
            "outputs",
            "language",
        )
        widgets = {"start_date": _date_widget(), "end_date": _date_widget()}


class PartnerForm(_PartnerModelForm):
    organization = OrganizationChoiceField(
        queryset=_organizations(), label=_("Organisation")
    )

    class Meta:
        model = ProjectPartner
        fields = ("organization", "role")


ProjectPartnerFormSet = inlineformset_factory(
    Project, ProjectPartner, form=PartnerForm, extra=1, can_delete=True
)


def _kept_rows(formset: Any) -> list[Any]:
    """The instances of a validated model formset's rows that stay."""
    kept = []
    for form in formset.forms:
        if not form.has_changed() and form.instance._state.adding:
            continue  # the empty row
        if formset.can_delete and formset._should_delete_form(form):
            continue
        kept.append(form.instance)
    return kept


class ActivityFormGroup(FormGroup):
    """A page's forms plus the check that the record stays the user's."""

    user: User

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if valid and not is_platform_admin(self.user):
            self.ownership_check()
            valid = self.form.is_valid() and not self.form.errors
        return valid

    def ownership_check(self) -> None:
        """Add an error to the deciding field when the record is not the user's."""


class ProjectFormGroup(ActivityFormGroup):
    def __init__(self, *, data: Any = None, instance: Project, user: User) -> None:
        self.user = user
        self.instance = instance
        self.form = ProjectForm(data=data, instance=instance, user=user)
        self.partners = FormsetPart(
            formset=ProjectPartnerFormSet(
                data=data, instance=instance, prefix="partners"
            ),
            legend=_("Partners"),
            row_label=_("Partner %(number)s"),
        )
        self.parts = [self.partners]

    def ownership_check(self) -> None:
        own = set(access.managed_organizations(self.user).values_list("pk", flat=True))
        coordinator = self.form.cleaned_data.get("coordinator")
        partners = {row.organization_id for row in _kept_rows(self.partners.formset)}
        if not (coordinator is not None and coordinator.pk in own) and not (
            partners & own
        ):
            self.form.add_error(
                "coordinator",
                _(
                    "Choose your organisation as coordinator, or add it as a "
                    "partner below."
                ),
            )

    def save(self, *, actor: User) -> Project:
        form = cast(ProjectForm, self.form)
        project = form.save(commit=False)
        form.translations_apply()
        return services.project_save(
            actor=actor, project=project, partners=_kept_rows(self.partners.formset)
        )


# --- Events -----------------------------------------------------------------------


def _who_choices() -> list[tuple[Any, Any]]:
    return [
        ("", "—"),
        (
            _("Profession"),
            [(f"profession:{v}", label) for v, label in ParticipantProfession.choices],
        ),
        (
            _("Country"),
            [(f"country:{c}", name) for c, name in _country_choices(blank=False)],
        ),
    ]


class ParticipantRowForm(forms.Form):
    who = forms.ChoiceField(label=_("Who"), required=False)
    count = forms.IntegerField(
        label=_("Participants"),
        required=False,
        min_value=0,
        help_text=_("Empty when they were present but not counted."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(self.fields["who"], _who_choices())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("count") is not None and not data.get("who"):
            self.add_error("who", _("Choose a profession or a country for this count."))
        return data


class _ParticipantRows(forms.BaseFormSet[ParticipantRowForm]):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            who = str(form.cleaned_data.get("who") or "")
            if who and who in seen:
                form.add_error("who", _("This row repeats another one."))
            seen.add(who)


ParticipantRowFormSet = formset_factory(
    ParticipantRowForm, formset=_ParticipantRows, extra=3
)

_INSTITUTION_LINE = re.compile(r"^(?P<name>.+?)(?:\s*:\s*(?P<count>\d+))?$")


class EventForm(ActivityForm):
    translated_fields = Event.TRANSLATED_FIELDS

    project = ProjectChoiceField(
        queryset=Project.objects.none(),
        label=_("Project"),
        required=False,
        help_text=_("Empty for events of others that your organisation took part in."),
    )
    organiser = OrganizationChoiceField(
        queryset=_organizations(), label=_("Organiser"), required=False
    )
    participating_organizations = OrganizationsChoiceField(
        queryset=_organizations(),
        label=_("Organisations taking part"),
        required=False,
        help_text=_("For events of others: whose activity report it belongs in."),
    )
    languages = _languages_field(_("Languages of the event"))
    country = forms.ChoiceField(label=_("Country"), required=False)
    participants_total = forms.IntegerField(
        label=_("Participants in total"), required=False, min_value=0
    )
    institutions = forms.CharField(
        label=_("Institutions present"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, with the number after a colon when known."),
    )

    class Meta:
        model = Event
        fields = (
            "type",
            "title",
            "project",
            "start_date",
            "end_date",
            "online",
            "venue",
            "city",
            "country",
            "organiser",
            "participating_organizations",
            "languages",
            "topics",
            "speakers",
            "description",
            "context",
            "registration_open",
            "capacity",
            "registration_deadline",
            "language",
        )
        widgets = {
            "start_date": _date_widget(),
            "end_date": _date_widget(),
            "registration_deadline": _date_widget(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._project_field(required_for_staff=False)
        _choices_set(self.fields["country"], _country_choices(blank=True))
        # Checked by the model (registration_settings_errors), as on the
        # participants page; the attribute only helps the browser's spinner.
        self.fields["capacity"].widget.attrs["min"] = 1
        event = self.instance
        # With registrations, the total and the counts by profession and
        # country follow the attendance: shown, not edited (see the group).
        self.counts_from_attendance = (
            not event._state.adding and event_has_registrations(event)
        )
        if self.counts_from_attendance:
            del self.fields["participants_total"]
        if not event._state.adding:
            total = event.participants_total
            self.initial["participants_total"] = total
            self.initial["institutions"] = "\n".join(
                row.code if row.count is None else f"{row.code}: {row.count}"
                for row in event.participant_institutions
            )

    def clean_institutions(self) -> list[tuple[str, int | None]]:
        rows: list[tuple[str, int | None]] = []
        for line in str(self.cleaned_data.get("institutions") or "").splitlines():
            match = _INSTITUTION_LINE.match(line.strip())
            if match is None:
                continue
            name = match["name"].strip()[:200]
            count = int(match["count"]) if match["count"] else None
            if name and name not in {n for n, _c in rows}:
                rows.append((name, count))
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("online") and not (data.get("city") or data.get("venue")):
            self.add_error("city", _("Give the city or the venue, or tick “online”."))
        return data


class EventFormGroup(ActivityFormGroup):
    def __init__(self, *, data: Any = None, instance: Event, user: User) -> None:
        self.user = user
        self.instance = instance
        form = EventForm(data=data, instance=instance, user=user)
        self.form = form
        # With registrations the rows come from the attendance: the page
        # lists them (``attendance_counts``) and nothing here writes them.
        self.counts_from_attendance = form.counts_from_attendance
        self.attendance_counts: list[ParticipantCount] = []
        self.participants_url = ""
        if self.counts_from_attendance:
            self.attendance_counts = [
                row
                for row in instance.participant_counts.all()
                if row.dimension != ParticipantCount.Dimension.INSTITUTION
            ]
            self.participants_url = reverse(
                "activities:participants", kwargs={"pk": instance.pk}
            )
            self.parts = []
            return
        # Bound rows get no initial values: a row equal to its initial value
        # would count as unchanged, and an unchanged extra row is skipped.
        initial: list[dict[str, Any]] = []
        if data is None and not instance._state.adding:
            initial = [
                {"who": f"{row.dimension}:{row.code}", "count": row.count}
                for row in instance.participant_counts.all()
                if row.dimension
                in (
                    ParticipantCount.Dimension.PROFESSION,
                    ParticipantCount.Dimension.COUNTRY,
                )
            ]
        self.participants = FormsetPart(
            formset=cast(
                Any,
                ParticipantRowFormSet(
                    data=data, initial=initial or None, prefix="participants"
                ),
            ),
            legend=_("Participants by profession and country"),
            row_label=_("Count %(number)s"),
        )
        self.parts = [self.participants]

    def ownership_check(self) -> None:
        data = self.form.cleaned_data
        own = set(access.managed_organizations(self.user).values_list("pk", flat=True))
        organiser = data.get("organiser")
        project = data.get("project")
        taking_part = {o.pk for o in data.get("participating_organizations") or []}
        if organiser is not None and organiser.pk in own:
            return
        if taking_part & own:
            return
        if (
            project is not None
            and access.projects_managed(self.user).filter(pk=project.pk).exists()
        ):
            return
        self.form.add_error(
            "organiser",
            _(
                "Choose your organisation as organiser, one of its projects, or "
                "add it to the organisations taking part."
            ),
        )

    def _count_rows(self, event: Event) -> list[ParticipantCount]:
        existing = {
            (row.dimension, row.code): row
            for row in (
                event.participant_counts.all() if not event._state.adding else []
            )
        }

        def row(dimension: str, code: str, count: int | None) -> ParticipantCount:
            found = existing.get((dimension, code))
            if found is None:
                return ParticipantCount(dimension=dimension, code=code, count=count)
            found.count = count
            return found

        data = self.form.cleaned_data
        rows: list[ParticipantCount] = []
        if not self.counts_from_attendance:
            if data.get("participants_total") is not None:
                rows.append(
                    row(
                        ParticipantCount.Dimension.TOTAL, "", data["participants_total"]
                    )
                )
            for form in self.participants.formset.forms:
                who = str(form.cleaned_data.get("who") or "")
                if who:
                    dimension, _sep, code = who.partition(":")
                    rows.append(row(dimension, code, form.cleaned_data.get("count")))
        for name, count in data.get("institutions") or []:
            rows.append(row(ParticipantCount.Dimension.INSTITUTION, name, count))
        return rows

    def save(self, *, actor: User) -> Event:
        form = cast(EventForm, self.form)
        event = form.save(commit=False)
        form.translations_apply()
        return services.event_save(
            actor=actor,
            event=event,
            participants=self._count_rows(event),
            participating=list(form.cleaned_data["participating_organizations"]),
        )


# --- Publications and campaigns -----------------------------------------------------


class PublicationForm(ActivityForm):
    translated_fields = Publication.TRANSLATED_FIELDS

    project = ProjectChoiceField(
        queryset=Project.objects.none(), label=_("Project"), required=False
    )
    languages = _languages_field(_("Languages"))

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
        widgets = {"published": _date_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._project_field(required_for_staff=True)


class CampaignForm(ActivityForm):
    translated_fields = Campaign.TRANSLATED_FIELDS

    project = ProjectChoiceField(
        queryset=Project.objects.none(), label=_("Project"), required=False
    )
    countries = _countries_field(_("Countries"))
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
        widgets = {"start_date": _date_widget(), "end_date": _date_widget()}

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


class SimpleFormGroup(ActivityFormGroup):
    """A record without parts, saved with ``managed_record_save``."""

    def __init__(self, *, form: forms.ModelForm[Any], user: User) -> None:
        self.user = user
        self.form = form
        self.parts = []

    def save(self, *, actor: User) -> Model:
        form = cast(forms.ModelForm[Any], self.form)
        instance = form.save(commit=False)
        if isinstance(form, TranslatedModelForm):
            form.translations_apply()
        saved: Model = services.managed_record_save(actor=actor, instance=instance)
        return saved


class PublicationFileForm(_PublicationFileModelForm):
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
        _choices_set(
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
    Publication, PublicationFile, form=PublicationFileForm, extra=1, can_delete=True
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
            for item in _kept_rows(self.files.formset)
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


# --- The organisation: partners, departments, annual report ---------------


class PartnershipForm(forms.ModelForm[Partnership]):
    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(), label=_("Organisation")
    )
    partner = OrganizationChoiceField(queryset=_organizations(), label=_("Partner"))

    class Meta:
        model = Partnership
        fields = ("organization", "kind", "partner", "position")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            OrganizationChoiceField, self.fields["organization"]
        ).queryset = access.managed_organizations(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organization, partner = data.get("organization"), data.get("partner")
        if organization is not None and organization == partner:
            self.add_error("partner", _("An organisation is not its own partner."))
        return data


def partnership_group(
    *, data: Any = None, instance: Partnership, user: User
) -> SimpleFormGroup:
    return SimpleFormGroup(
        form=PartnershipForm(data=data, instance=instance, user=user), user=user
    )


class DepartmentForm(ActivityForm):
    translated_fields = Department.TRANSLATED_FIELDS

    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(), label=_("Organisation")
    )

    class Meta:
        model = Department
        fields = (
            "organization",
            "kind",
            "name",
            "responsibilities",
            "position",
            "language",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._own_organizations("organization")


class StaffCountForm(_StaffModelForm):
    class Meta:
        model = StaffCount
        fields = ("role", "count")


StaffCountFormSet = inlineformset_factory(
    Department, StaffCount, form=StaffCountForm, extra=1, can_delete=True
)


class DepartmentFormGroup(ActivityFormGroup):
    def __init__(self, *, data: Any = None, instance: Department, user: User) -> None:
        self.user = user
        self.form = DepartmentForm(data=data, instance=instance, user=user)
        self.staff = FormsetPart(
            formset=StaffCountFormSet(data=data, instance=instance, prefix="staff"),
            legend=_("Staff and collaborators"),
            row_label=_("Staff count %(number)s"),
        )
        self.parts = [self.staff]

    def save(self, *, actor: User) -> Department:
        form = cast(DepartmentForm, self.form)
        department = form.save(commit=False)
        form.translations_apply()
        return services.department_save(
            actor=actor, department=department, staff=_kept_rows(self.staff.formset)
        )


class AnnualReportForm(ActivityForm):
    translated_fields = AnnualReport.TRANSLATED_FIELDS

    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(), label=_("Organisation")
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = AnnualReport
        fields = (
            "organization",
            "year",
            "foreword",
            "about",
            "values",
            "objectives",
            "projects_introduction",
            "international_introduction",
            "partners_introduction",
            "language",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._own_organizations("organization")

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error(
                "year", _("Your organisation already has a report for this year.")
            )


def annual_report_group(
    *, data: Any = None, instance: AnnualReport, user: User
) -> SimpleFormGroup:
    return SimpleFormGroup(
        form=AnnualReportForm(data=data, instance=instance, user=user), user=user
    )
