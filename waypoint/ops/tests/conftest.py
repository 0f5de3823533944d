"""Fixtures of the drills."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection


def _server() -> str:
    settings_dict = connection.settings_dict
    return (
        f"postgres://{settings_dict['USER'] or 'postgres'}@"
        f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
    )


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Makes the database URL of a new, empty instance (a file in the test's
    folder on SQLite, a database of its own on the PostgreSQL server, named
    after the test database and dropped afterwards)."""
    made: list[str] = []

    def make(label: str) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{tmp_path / f'{label}.sqlite3'}"
        import psycopg

        name = f"{connection.settings_dict['NAME']}_{label}"[:63]
        with psycopg.connect(f"{_server()}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{_server()}/{name}"

    yield make
    if made:
        import psycopg

        with psycopg.connect(f"{_server()}/postgres", autocommit=True) as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
