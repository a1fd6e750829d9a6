"""The apps depend on one another in one direction only (docs/architecture.md).

Read from the source with ``ast``: every import of one of our apps, at any depth
of a module (a lazy import inside a function counts the same), must point to an
app lower in ``LAYERS``. Apps on one layer do not import one another.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Bottom first. An app may import only the apps on the layers below its own.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("common",),
    ("audit", "accounts"),
    ("notices",),
    ("institutions",),
    ("patients",),
    ("quotas",),
    ("allocations",),
    ("applications",),
    ("referrals",),
    ("dashboard", "demo"),
)
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _modules(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in RANK:
                found.add((top, node.lineno))
    return found


def dependency_violations() -> list[str]:
    problems = []
    for app, rank in RANK.items():
        for path in _modules(app):
            for imported, line in sorted(_imported_apps(path)):
                if imported != app and RANK[imported] >= rank:
                    problems.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    return problems


def test_every_app_is_on_a_layer() -> None:
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists() and p.name not in {"config"}}
    assert apps == set(RANK)


def test_no_app_imports_one_on_its_layer_or_above() -> None:
    assert dependency_violations() == []


@pytest.mark.parametrize("app", sorted(RANK))
def test_app_has_no_import_cycle_through_others(app: str) -> None:
    """Follow the imports from ``app``: they never lead back to it."""
    edges = {a: {i for p in _modules(a) for i, _ in _imported_apps(p)} - {a} for a in RANK}
    seen: set[str] = set()
    todo = list(edges[app])
    while todo:
        current = todo.pop()
        assert current != app, f"{app} is reached again through its own imports"
        if current not in seen:
            seen.add(current)
            todo.extend(edges[current])


if __name__ == "__main__":
    print("\n".join(dependency_violations()))
