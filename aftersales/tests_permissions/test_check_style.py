"""The API checks roles in one style: ``core.api.require_perm``. A ``has_perm`` call inside
``require(...)`` is the old inline style and fails here, naming the place."""

from __future__ import annotations

import ast
from pathlib import Path

import aftersales

ROOT = Path(aftersales.__file__).parent


def _inline_checks(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "require"):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute) and inner.attr == "has_perm":
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
                break
    return found


def test_api_modules_check_roles_with_require_perm():
    modules = sorted(ROOT.glob("*/api.py"))
    assert modules
    inline = [place for path in modules for place in _inline_checks(path)]
    assert not inline, "use core.api.require_perm(user, perm) instead of require(has_perm):\n" + (
        "\n".join(inline)
    )
