from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from waypoint.activities.demo import activities_demo_load
from waypoint.directory.demo import demo_load


@pytest.fixture
def demo(db: None) -> None:
    """The demo directory and activities, as ``make setup`` loads them."""
    demo_load()
    activities_demo_load()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield
