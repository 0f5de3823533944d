"""Roles that do not depend on an organisation, as Django groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

DIRECTORY_EDITORS = "Directory editors"


def ensure_role_groups(**kwargs: Any) -> None:
    group, _ = Group.objects.get_or_create(name=DIRECTORY_EDITORS)
    permission = Permission.objects.filter(
        content_type__app_label="directory", codename="edit_directory"
    ).first()
    if permission is not None:
        group.permissions.add(permission)
