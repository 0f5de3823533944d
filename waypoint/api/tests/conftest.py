"""Fixtures for the HSDS API tests: directories."""

from __future__ import annotations

import pytest

from waypoint.directory.models import Service
from waypoint.directory.testing import services_make


@pytest.fixture
def generated_directory(db: None) -> list[Service]:
    return services_make(12)
