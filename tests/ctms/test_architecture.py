"""The layering of the project, read from its imports (docs/architecture.md).

Every module of every project app is parsed with `ast`, imports inside functions included, so
that an import hidden in a function cannot hide a dependency. The rules:
- the core `ctms/` imports no feature app;
- apps import each other in no loop (the loop is reported with the import lines that make it);
- an app imports another at the top of a module, never inside a function (which would only hide
  the dependency), unless ALLOWED_IMPORTS lists it to break a real start-up cycle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CORE = "ctms"

# Imports allowed although they close a loop between apps: only one that breaks a real
# start-up cycle may be listed, as ("importing.module", "imported.module"), with its reason.
# It is empty: no app needs one today.
ALLOWED_IMPORTS: dict[tuple[str, str], str] = {}


def project_apps() -> set[str]:
    """The top-level packages of INSTALLED_APPS that live in this repository."""
    apps = set()
    for entry in settings.INSTALLED_APPS:
        top = entry.split(".")[0]
        if (ROOT / top / "__init__.py").exists():
            apps.add(top)
    return apps


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in the tree, wherever it stands."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def imports_inside_functions(tree: ast.AST) -> set[int]:
    """Line numbers of the imports that stand inside a function."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.add(inner.lineno)
    return lines


def app_imports(apps: set[str]) -> dict[tuple[str, str], list[str]]:
    """{(app, imported app): ["file:line module", …]} over every module of the project apps."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app in sorted(apps):
        for path in sorted((ROOT / app).rglob("*.py")):
            module = module_name(path)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, target in imported_modules(tree, module, path.name == "__init__.py"):
                other = target.split(".")[0]
                if other in apps and other != app and (module, target) not in ALLOWED_IMPORTS:
                    edges[(app, other)].append(f"{path.relative_to(ROOT)}:{line} {target}")
    return edges


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One loop of the directed graph as [a, b, …, a], or None when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for successor in sorted(graph.get(node, ())):
            if state.get(successor) == 1:
                return path[path.index(successor) :] + [successor]
            if successor not in state:
                cycle = visit(successor)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_no_app_imports_another_inside_a_function():
    hidden = []
    apps = project_apps()
    for app in sorted(apps):
        for path in sorted((ROOT / app).rglob("*.py")):
            module = module_name(path)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            inside = imports_inside_functions(tree)
            for line, target in imported_modules(tree, module, path.name == "__init__.py"):
                other = target.split(".")[0]
                allowed = (module, target) in ALLOWED_IMPORTS
                if line in inside and other in apps and other != app and not allowed:
                    hidden.append(f"{path.relative_to(ROOT)}:{line} {target}")
    assert hidden == []


def describe(cycle: list[str], edges: dict[tuple[str, str], list[str]]) -> str:
    lines = [" -> ".join(cycle)]
    for source, target in zip(cycle, cycle[1:], strict=False):
        lines.append(f"  {source} -> {target}:")
        lines.extend(f"    {where}" for where in edges[(source, target)])
    return "\n".join(lines)


def test_the_project_apps_are_found():
    assert {CORE, "agencies", "victims", "cases", "referrals", "reports", "accounts"} <= (
        project_apps()
    )


def test_the_core_imports_no_feature_app():
    apps = project_apps()
    upward = {
        target: where for (source, target), where in app_imports(apps).items() if source == CORE
    }
    assert upward == {}, f"ctms/ imports feature apps: {upward}"


def test_no_two_apps_import_each_other_in_a_loop():
    edges = app_imports(project_apps())
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    cycle = find_cycle(graph)
    assert cycle is None, "apps import each other in a loop:\n" + describe(cycle, edges)


def test_imports_inside_functions_and_relative_imports_are_read(tmp_path):
    source = "from .models import A\n\ndef f():\n    from victims.selectors import x\n"
    found = imported_modules(ast.parse(source), "cases.services", is_package=False)
    assert found == [(1, "cases.models"), (4, "victims.selectors")]
    assert imports_inside_functions(ast.parse(source)) == {4}
    package = imported_modules(ast.parse("from ..tokens import t\n"), "accounts.api", True)
    assert package == [(1, "accounts.tokens")]


def test_a_loop_is_found_and_described():
    graph = {"cases": {"victims", "ctms"}, "victims": {"ctms", "referrals"}, "referrals": {"cases"}}
    edges = {
        ("cases", "victims"): ["cases/views.py:3 victims.selectors"],
        ("victims", "referrals"): ["victims/selectors.py:9 referrals.models"],
        ("referrals", "cases"): ["referrals/models.py:1 cases.models"],
    }
    cycle = find_cycle(graph)
    assert cycle == ["cases", "victims", "referrals", "cases"]
    assert describe(cycle, edges).splitlines()[:3] == [
        "cases -> victims -> referrals -> cases",
        "  cases -> victims:",
        "    cases/views.py:3 victims.selectors",
    ]
    assert find_cycle({"cases": {"victims"}, "victims": {"ctms"}}) is None


def test_every_celery_task_names_itself_so_that_moving_its_module_keeps_the_name():
    """Queued messages and the beat schedule store task names: a name derived from the module
    path would change when the module moves."""
    unnamed = []
    for app in sorted(project_apps()):
        for path in sorted((ROOT / app).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for decorator in node.decorator_list:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    function = call.func if call else decorator
                    called = getattr(function, "id", getattr(function, "attr", ""))
                    if called in {"shared_task", "task"} and not (
                        call and any(keyword.arg == "name" for keyword in call.keywords)
                    ):
                        unnamed.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert unnamed == []


def test_the_registered_task_names_are_the_ones_stored_before_the_move():
    from ctms.celery import app

    app.loader.import_default_modules()
    stored = {
        "referrals.tasks.deliver_webhook",
        "reports.exports.tasks.run_ctdc_export",  # exports/ sat inside reports/ until issue 11
        "reports.tasks.request_previous_quarter_report",
        "reports.tasks.run_report",
    }
    assert stored <= set(app.tasks)
