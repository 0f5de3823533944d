"""Events: the event form, its participants by profession and country, and
registration."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.forms import formset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.activities import access
from waypoint.activities.forms.common import (
    ActivityForm,
    ActivityFormGroup,
    OrganizationChoiceField,
    OrganizationsChoiceField,
    ProjectChoiceField,
    date_widget,
    languages_field,
    organizations_all,
)
from waypoint.activities.models import (
    Event,
    ParticipantCount,
    ParticipantProfession,
    Project,
)
from waypoint.activities.services import manage as services
from waypoint.activities.services.participants import event_has_registrations
from waypoint.directory.forms.common import FormsetPart
from waypoint.lib.forms import FORMSET_LIMITS, choices_set, country_choices

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
            [(f"country:{c}", name) for c, name in country_choices(blank=False)],
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
        choices_set(self.fields["who"], _who_choices())

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
    ParticipantRowForm, formset=_ParticipantRows, extra=3, **FORMSET_LIMITS
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
        queryset=organizations_all(), label=_("Organiser"), required=False
    )
    participating_organizations = OrganizationsChoiceField(
        queryset=organizations_all(),
        label=_("Organisations taking part"),
        required=False,
        help_text=_("For events of others: whose activity report it belongs in."),
    )
    languages = languages_field(_("Languages of the event"))
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
            "start_date": date_widget(),
            "end_date": date_widget(),
            "registration_deadline": date_widget(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._project_field(required_for_staff=False)
        choices_set(self.fields["country"], country_choices(blank=True))
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
