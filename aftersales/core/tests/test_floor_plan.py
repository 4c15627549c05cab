"""The floor plan's contracts (pyproject.toml, checked by ``lint-imports`` in ``make check``)
name every app: a new app is given a floor and falls under the forbidden-import rules."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.conf import settings

PACKAGE = Path(settings.BASE_DIR) / "aftersales"


def _apps() -> set[str]:
    return {path.parent.name for path in PACKAGE.glob("*/apps.py")}


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_every_app_has_a_floor():
    floors = _contracts()["floors"]["layers"]
    placed = {name.strip() for floor in floors for name in floor.split("|")}
    assert placed == _apps()


def test_core_is_forbidden_every_other_app_and_the_glue():
    forbidden = set(_contracts()["core-imports-no-app"]["forbidden_modules"])
    assert forbidden == {f"aftersales.{app}" for app in _apps() - {"core"}} | {"config"}


def test_no_app_may_import_the_glue():
    sources = set(_contracts()["glue-on-top"]["source_modules"])
    assert sources == {f"aftersales.{app}" for app in _apps()}
