"""The platform administrator's Django admin: accounts and groups."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models

from waypoint.accounts.models import User
from waypoint.lib.forms import BoundedModelMultipleChoiceField

# Lists of groups and permissions refuse an id too large for the database
# with a field error, as every other choice does.
BOUNDED: dict[Any, dict[str, Any]] = {
    models.ManyToManyField: {"form_class": BoundedModelMultipleChoiceField}
}


class AccountAdmin(UserAdmin):  # type: ignore[type-arg]
    formfield_overrides = BOUNDED


class AccountGroupAdmin(GroupAdmin):
    formfield_overrides = BOUNDED


admin.site.register(User, AccountAdmin)
admin.site.unregister(Group)
admin.site.register(Group, AccountGroupAdmin)
