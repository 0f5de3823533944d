"""Every interface string is translated into every language the platform ships."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def _catalogue(language: str) -> polib.POFile:
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing"
    return polib.pofile(str(path))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    catalogue = _catalogue(language)
    untranslated = [e.msgid for e in catalogue.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries() if not e.obsolete]
    assert untranslated == [], f"{language}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language: str) -> None:
    """A translation keeps every %(name)s and {name} of its source text."""
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for entry in _catalogue(language):
        if entry.obsolete or not entry.msgstr:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(
            pattern.findall(entry.msgstr)
        ), f"{language}: {entry.msgid!r} → {entry.msgstr!r}"


def test_the_catalogues_hold_every_string_in_the_code(tmp_path: Path) -> None:
    """Running makemessages on the code finds no string the catalogues lack."""
    work = tmp_path / "src"
    work.mkdir()
    for name in ("config", "waypoint", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("tests"))
        else:
            shutil.copy(source, work / name)
    (work / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "SECRET_KEY": "catalogue-check",
            "WAYPOINT_VAR_DIR": str(tmp_path / "var"),
        },
    )
    assert result.returncode == 0, result.stderr
    found = {
        e.msgid
        for e in polib.pofile(str(work / "locale/de/LC_MESSAGES/django.po"))
        if e.msgid
    }
    known = {e.msgid for e in _catalogue("de") if not e.obsolete}
    missing = sorted(found - known)
    assert missing == [], f"strings missing from the catalogues: {missing[:20]}"
