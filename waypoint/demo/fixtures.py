"""Pytest fixtures that give the apps' tests the demo data (a pytest plugin).

The root ``conftest.py`` registers this module in ``pytest_plugins``, so any
test asks for a fixture by name and imports nothing from ``waypoint.demo``:
the apps stay below the demo layer, their tests included. The demo's stable
ids are fixtures too (plain functions and UUIDs), for tests that look up a
demo record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from waypoint.demo import activities, directory


@pytest.fixture
def demo_directory(db: None) -> None:
    """The demonstration directory built from the source documents."""
    directory.demo_load()


@pytest.fixture
def demo(demo_directory: None) -> None:
    """The demo directory and the demo activities, as ``make setup`` loads them."""
    activities.activities_demo_load()


@pytest.fixture
def demo_id() -> Callable[[str, str], uuid.UUID]:
    """The stable id of a demo directory object: ``demo_id("org", "kok")``."""
    return directory.demo_id


@pytest.fixture
def activity_id() -> Callable[[str, str], uuid.UUID]:
    """The stable id of a demo activity record: ``activity_id("event", slug)``."""
    return activities.activity_id


@pytest.fixture
def pro_refugiu_id() -> uuid.UUID:
    """Pro Refugiu Association, the organisation whose documents the demo holds."""
    return directory.demo_id("org", directory.PRO_REFUGIU)


@pytest.fixture
def newsletter_project_id() -> uuid.UUID:
    """The project of the 2018 newsletter in the source documents."""
    return activities.activity_id("project", activities.NEWSLETTER_PROJECT)
