"""Only the workflow mechanism assigns a state.

Every stateful model's ``status`` or ``state`` field changes through
``common.workflow.Workflow.move`` or ``move_many``, which check the model's
table and write its history. This reads every module of ours (not migrations,
not tests) and fails on any other way to write such a field: an attribute
assignment, ``setattr``, ``update()``/``create()``/``bulk_update()`` naming the
field, or a model built with it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE_FIELDS = {"status", "state"}
MECHANISM = ROOT / "common" / "workflow.py"
WRITING_METHODS = {"update", "create", "get_or_create", "update_or_create", "bulk_create"}
# Tests and the benchmark build their rows directly, as fixtures.
NOT_OURS = {"tests", "bench", "migrations", ".venv", "node_modules", "var"}


def _model_names() -> set[str]:
    """The classes of every ``models.py`` of ours: building one with a state is a write."""
    return {
        node.name
        for path in ROOT.glob("*/models.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }


def _our_modules() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.py")
        if not NOT_OURS & set(p.relative_to(ROOT).parts) and p != MECHANISM
    ]


def _writes(tree: ast.AST, models: set[str]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in STATE_FIELDS:
                found.append((node.lineno, f"assigns .{target.attr}"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        keywords = {k.arg for k in node.keywords} & STATE_FIELDS
        if name == "setattr" and len(node.args) > 1:
            field = node.args[1]
            if isinstance(field, ast.Constant) and field.value in STATE_FIELDS:
                found.append((node.lineno, f"setattr {field.value}"))
        elif name in WRITING_METHODS and keywords:
            found.append((node.lineno, f"{name}({', '.join(sorted(keywords))}=...)"))
        elif name == "bulk_update":
            listed = {
                e.value
                for arg in node.args[1:]
                if isinstance(arg, ast.List | ast.Tuple)
                for e in arg.elts
                if isinstance(e, ast.Constant)
            }
            if listed & STATE_FIELDS:
                found.append((node.lineno, "bulk_update of a state"))
        elif name in models and keywords:
            found.append((node.lineno, f"{name}({', '.join(sorted(keywords))}=...)"))
    return found


def state_writes() -> list[str]:
    models = _model_names()
    return [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in _our_modules()
        for line, what in _writes(ast.parse(path.read_text(encoding="utf-8")), models)
    ]


def test_only_the_workflow_mechanism_writes_a_state_field() -> None:
    assert state_writes() == []


def test_the_check_finds_each_way_of_writing_a_state() -> None:
    """The reader itself: each forbidden form is found, reads are not."""
    source = """
application.status = "approved"
allocation.state += ""
setattr(referral, "status", "sent")
Application.objects.filter(pk=1).update(status="lapsed")
Allocation.objects.create(state="held")
Referral.objects.bulk_update(rows, ["status"])
Application(status="draft")
Application.objects.filter(status="draft").exists()
Q(status="approved")
Response(status=201)
"""
    found = _writes(ast.parse(source), {"Application", "Allocation", "Referral"})
    assert [what for _line, what in found] == [
        "assigns .status",
        "assigns .state",
        "setattr status",
        "update(status=...)",
        "create(state=...)",
        "bulk_update of a state",
        "Application(status=...)",
    ]
