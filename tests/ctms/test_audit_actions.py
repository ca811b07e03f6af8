"""Every audit action the code writes is a declared choice of `AuditEvent.action`: the core's
own, or one an app registers when its models load (the core imports no app)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from ctms.audit import audit
from ctms.models import AuditEvent, audit_action_choices, register_audit_actions

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "tests", "bench", "node_modules", "migrations"}


def written_actions() -> dict[str, list[str]]:
    """action="…" literals passed to audit() or AuditEvent.objects.create(), with where."""
    found: dict[str, list[str]] = {}
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in ("audit", "create"):
                continue
            for keyword in node.keywords:
                if (
                    keyword.arg == "action"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                ):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(keyword.value.value, []).append(where)
    return found


def test_every_action_written_is_declared():
    declared = {name for name, _label in audit_action_choices()}
    written = written_actions()
    assert {"oscar_upsert", "system_registered"} <= set(written)  # the scan sees the apps
    undeclared = {name: where for name, where in written.items() if name not in declared}
    assert undeclared == {}


def test_the_interop_actions_are_choices_with_translated_labels(compiled_messages):
    choices = dict(audit_action_choices())
    assert "view" in choices and "oscar_sync" in choices
    with translation.override("km"):
        assert str(choices["oscar_upsert"]) != "Client received from an external system"


@pytest.mark.django_db
def test_an_app_action_displays_its_label():
    event = audit(actor=None, action="oscar_statuses", details={})
    assert AuditEvent.objects.get(pk=event.pk).get_action_display() == (
        "Referral statuses received from an external system"
    )


def test_an_action_name_longer_than_the_column_is_refused():
    with pytest.raises(ValueError, match="longer than 20"):
        register_audit_actions(("a_name_far_too_long_for_it", "x"))
