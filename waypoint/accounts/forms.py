"""Forms of the sign-in and staff pages: input checks only, no writes."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import Profession, Role

# The longest email address (RFC 5321), and longer than any username.
LOGIN_MAX_LENGTH = 254


class LoginForm(AllauthLoginForm):  # type: ignore[misc]
    """allauth's sign-in form, with its field named ``username``.

    The field takes a username or an email address; naming it ``username``
    keeps the page's field id, password managers and django-axes in step.
    """

    fields: dict[str, forms.Field]
    user: Any
    request: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.pop("login")
        field.label = _("Username or email address")
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs["autocomplete"] = "username"
        # No username or address is longer (the database would be asked to
        # match a pattern of any length otherwise).
        field.max_length = LOGIN_MAX_LENGTH  # type: ignore[attr-defined]
        field.validators.append(MaxLengthValidator(LOGIN_MAX_LENGTH))
        field.widget.attrs["maxlength"] = str(LOGIN_MAX_LENGTH)
        self.fields = {"username": field, **self.fields}

    def clean(self) -> dict[str, Any]:
        if "username" in self.cleaned_data:
            self.cleaned_data["login"] = self.cleaned_data["username"].strip()
        cleaned: dict[str, Any] = super().clean()
        if self.user is not None and not self.user.is_active:
            # allauth would open an "account inactive" page, telling that the
            # password was right; a closed account gets the common answer.
            self.user = None
            raise get_adapter(self.request).validation_error(
                "username_password_mismatch"
            )
        return cleaned


def _profession_required(cleaned: dict[str, Any], form: forms.Form) -> None:
    if cleaned.get("role") == Role.CASEWORKER and not cleaned.get("profession"):
        form.add_error("profession", _("Choose the caseworker's profession."))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    profession = forms.ChoiceField(
        label=_("Profession"),
        choices=[("", _("(none)")), *Profession.choices],
        required=False,
        help_text=_("Required for caseworkers."),
    )

    def __init__(self, *args: Any, roles: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if roles is not None:
            field = self.fields["role"]
            if isinstance(field, forms.ChoiceField):
                field.choices = [(v, lbl) for v, lbl in Role.choices if v in roles]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _profession_required(cleaned, self)
        return cleaned


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    profession = forms.ChoiceField(
        label=_("Profession"),
        choices=[("", _("(none)")), *Profession.choices],
        required=False,
        help_text=_("Required for caseworkers."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _profession_required(cleaned, self)
        return cleaned


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        help_text=_("You sign in with it, or with your email address."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A few unrelated words work well."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
