"""The house rules of docs/architecture.md that the import linter cannot see.

The layers and the absence of circles are contracts of import-linter
(``pyproject.toml``, run by ``make lint``). These tests hold the rest: no
module takes a private name from another, and every app keeps its layers in
the same places.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "waypoint"
APPS = (
    "lib",
    "accounts",
    "directory",
    "cases",
    "referrals",
    "activities",
    "reports",
    "api",
    "demo",
    "ops",
)
# The layers an app may have, each a module or a package of that name.
LAYERS = (
    "models",
    "services",
    "selectors",
    "forms",
    "views",
    "urls",
    "admin",
    "tasks",
    "schemas",
)


# Django's documented API, underscored to stay clear of field names.
DJANGO_PUBLIC = {"_meta", "_default_manager", "_base_manager"}


def _modules() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts
    )


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def private_imports(source: str, module: str) -> list[str]:
    """Every ``from waypoint.x import _name`` in ``source`` where ``waypoint.x``
    is not ``module`` itself, as "line: from x import _name"."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or node.level:
            continue
        if not (node.module or "").startswith("waypoint") or node.module == module:
            continue
        found.extend(
            f"{node.lineno}: from {node.module} import {alias.name}"
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")
        )
    return found


def private_attributes(source: str) -> list[str]:
    """Every ``module._name`` in ``source`` where ``module`` was imported from
    ``waypoint`` (``from waypoint.x import services`` … ``services._swap``)."""
    tree = ast.parse(source)
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "waypoint"
        ):
            modules |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            modules |= {
                alias.asname or alias.name
                for alias in node.names
                if alias.name.startswith("waypoint")
            }
    return [
        f"{node.lineno}: {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and node.attr not in DJANGO_PUBLIC
    ]


def test_no_module_reaches_into_another_for_a_private_name() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _modules()
        for line in private_attributes(path.read_text())
    ]
    assert offences == []


def test_the_private_attribute_check_sees_an_offence() -> None:
    source = (
        "from waypoint.referrals import services\n"
        "services._swap()\n"
        "services.referral_send()\n"
        "self._x = 1\n"
    )
    assert private_attributes(source) == ["2: services._swap"]


def test_no_module_imports_a_private_name_from_another() -> None:
    """A name shared between modules is public and documented where it lives."""
    offences = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _modules()
        for line in private_imports(path.read_text(), _module_name(path))
    ]
    assert offences == []


def test_the_private_name_check_sees_an_offence() -> None:
    source = "from waypoint.cases.services.core import _audit, case_open\n"
    assert private_imports(source, "waypoint.cases.services.people") == [
        "1: from waypoint.cases.services.core import _audit"
    ]
    assert private_imports(source, "waypoint.cases.services.core") == []
    assert private_imports("from ._x import _y\n", "waypoint.lib.x") == []


def layer_misplacements(app: Path) -> list[str]:
    """Modules of ``app`` that hold a layer outside its one place: a file named
    ``<something>_<layer>.py`` (``participant_forms.py``) or a layer that is
    both a module and a package."""
    found: list[str] = []
    packages = [p.parent for p in app.glob("*/__init__.py")]
    for path in sorted([*app.glob("*.py"), *packages]):
        stem = path.stem
        for layer in LAYERS:
            if stem.endswith(f"_{layer}") or stem.startswith(f"{layer}_"):
                found.append(f"{path.name}: belongs in {layer}/ (or {layer}.py)")
            if (
                path.suffix == ".py"
                and stem == layer
                and (app / layer / "__init__.py").exists()
            ):
                found.append(f"{path.name}: {layer} is also a package")
    return found


@pytest.mark.parametrize("app", APPS)
def test_every_app_keeps_its_layers_in_one_place(app: str) -> None:
    assert (PACKAGE / app / "__init__.py").exists()
    assert layer_misplacements(PACKAGE / app) == []


def test_the_layer_check_sees_a_prefixed_layer(tmp_path: Path) -> None:
    (tmp_path / "participant_forms.py").write_text("")
    (tmp_path / "services.py").write_text("")
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "__init__.py").write_text("")
    (tmp_path / "manage_forms").mkdir()
    (tmp_path / "manage_forms" / "__init__.py").write_text("")
    (tmp_path / "mail.py").write_text("")
    assert layer_misplacements(tmp_path) == [
        "manage_forms: belongs in forms/ (or forms.py)",
        "participant_forms.py: belongs in forms/ (or forms.py)",
        "services.py: services is also a package",
    ]


@pytest.mark.parametrize("app", APPS)
def test_no_layer_module_grows_past_the_size_of_a_package(app: str) -> None:
    """A layer past about 500 lines becomes a package, split along its own
    sections (STYLE.md); 600 lines leaves room for "about"."""
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in sorted((PACKAGE / app).glob("*.py"))
        if path.stem in LAYERS and (lines := len(path.read_text().splitlines())) > 600
    ]
    assert long == []
