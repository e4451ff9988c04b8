"""The project's layers hold: no import cycle, and no module imports a layer above its own at module level.

Layers, bottom to top (docs/development.md, "Layers"):
  0. core     — `xuncha/` (settings, roles, history, env, paging, the export engine, the data version, …),
                minus the features listed below;
  1. rounds   — plans, rounds, groups, units, inspections;
  2. findings — findings, clues, petitions, reports;
  3. rectification, accounts — side by side: neither imports the other;
  4. features — read several apps: the dashboard, the Word documents and the export centre's pages, the
                demo builder, the landing page and the root URLconf; any new top-level app (an API) too.
A module-level import may go down or across within its own package, never up. An import inside a function
runs at call time, once every module is loaded: it is the allowed way for a lower module to reach up
(`xuncha.roles.roles_of` reading app models, an export registry listing the apps' specs).

Run on its own for the whole report: `.venv/bin/python -m tests.test_import_graph`.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORE = "xuncha"
APP_LAYERS = {"rounds": 1, "findings": 2, "rectification": 3, "accounts": 3}
FEATURE_LAYER = 4
# Modules of the `xuncha` package that sit above the apps (a name covers its submodules).
FEATURES = (
    "xuncha.dashboard",
    "xuncha.demo",
    "xuncha.management.commands.seed_demo",
    "xuncha.exports.views",
    "xuncha.exports.urls",
    "xuncha.exports.word_views",
    "xuncha.exports.registry",
    "xuncha.workbench",
    "xuncha.views",
    "xuncha.urls",
)


def project_packages(root: Path) -> list[str]:
    """The core package and every Django app beside it (a top-level folder with an apps.py)."""
    return sorted(p.parent.name for p in root.glob("*/apps.py"))


def module_files(root: Path, packages) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if "migrations" in parts or "tests" in parts:  # migrations are history; tests are not layered
                continue
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(tree: ast.Module):
    """Import statements that run when the module is imported: not in a function, not under TYPE_CHECKING."""

    def walk(body):
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node
            elif isinstance(node, ast.If):
                if not _is_type_checking(node.test):
                    yield from walk(node.body)
                yield from walk(node.orelse)
            elif isinstance(node, ast.Try | ast.TryStar):
                yield from walk(node.body)
                for handler in node.handlers:
                    yield from walk(handler.body)
                yield from walk(node.orelse)
                yield from walk(node.finalbody)
            elif isinstance(node, ast.ClassDef | ast.With):
                yield from walk(node.body)

    yield from walk(tree.body)


def _known(name: str, modules) -> str | None:
    """The project module `name` is, or the innermost project package holding it; None outside the project."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path = ROOT, packages=None) -> dict[str, dict[str, int]]:
    """{module: {imported project module: line}} for the module-level imports of the project's packages."""
    modules = module_files(root, packages or project_packages(root))
    graph = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        edges = {}
        for node in module_level_imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [_known(alias.name, modules) for alias in node.names]
            else:
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join([*base, node.module] if node.module else base)
                else:
                    source = node.module
                # `from package import module` imports the module; `from module import name` the module.
                targets = [
                    f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else _known(source, modules)
                    for alias in node.names
                ]
            for target in targets:
                if target and target != name:
                    edges.setdefault(target, node.lineno)
        graph[name] = edges
    return graph


def cycles(graph) -> list[list[str]]:
    """One shortest cycle through each strongly connected group of modules (iterative Tarjan, then a BFS)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    found = []
    for group in groups:
        first = min(group)
        paths, queue = {first: [first]}, [first]
        while queue:
            node = queue.pop(0)
            for child in sorted(graph[node]):
                if child == first:
                    found.append([*paths[node], first])
                    queue = []
                    break
                if child in group and child not in paths:
                    paths[child] = [*paths[node], child]
                    queue.append(child)
    return found


def layer(module: str) -> tuple[int, str]:
    """(layer, package): the package names whose modules import each other freely."""
    package = module.split(".")[0]
    if package == CORE:
        if any(module == f or module.startswith(f + ".") for f in FEATURES):
            return FEATURE_LAYER, "features"
        return 0, CORE
    return APP_LAYERS.get(package, FEATURE_LAYER), package if package in APP_LAYERS else "features"


def upward_imports(graph) -> list[str]:
    """Module-level imports of a higher layer, or of a sibling app in the same layer."""
    wrong = []
    for module, edges in sorted(graph.items()):
        level, package = layer(module)
        for target, line in sorted(edges.items()):
            target_level, target_package = layer(target)
            if target_level > level or (target_level == level and target_package != package and level < FEATURE_LAYER):
                wrong.append(f"{module} (layer {level}) imports {target} (layer {target_level}), line {line}")
    return wrong


def _show(cycle) -> str:
    return " -> ".join(cycle)


def test_the_project_has_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "Import cycles (module level):\n" + "\n".join(_show(c) for c in found)


def test_no_module_imports_a_layer_above_its_own():
    wrong = upward_imports(import_graph())
    assert not wrong, (
        "Module-level imports of a higher layer (import inside the function that needs it, or move the shared "
        "piece down; layers in docs/development.md):\n" + "\n".join(wrong)
    )


def test_every_app_has_a_layer():
    # A new Django app beside the others is a feature unless it is given a place among the apps.
    assert set(project_packages(ROOT)) >= {CORE, *APP_LAYERS}
    modules = import_graph()
    for feature in FEATURES:  # the list names modules that exist: renamed or moved, it is updated with them
        assert feature in modules or any(m.startswith(feature + ".") for m in modules), feature


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_check_finds_a_cycle_and_names_it(tmp_path):
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/apps.py": "",
            "app/a.py": "from app import b\n",
            "app/b.py": "from .c import thing\n",
            "app/c.py": "import app.a\nthing = 1\n",
            "app/d.py": "def late():\n    from app import a\n",  # inside a function: allowed
            "app/e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import d\n",
            "app/migrations/__init__.py": "",
            "app/migrations/0001.py": "from app import a\n",
        },
    )
    graph = import_graph(tmp_path)
    assert graph["app.d"] == {} and graph["app.e"] == {}
    assert cycles(graph) == [["app.a", "app.b", "app.c", "app.a"]]
    graph["app.c"] = {}
    assert cycles(graph) == []


def test_the_check_finds_a_core_module_importing_an_app():
    graph = {"xuncha.paging": {"xuncha.dashboard.cache": 1}, "rounds.imports": {"findings.models": 3}}
    assert upward_imports(graph) == [
        "rounds.imports (layer 1) imports findings.models (layer 2), line 3",
        "xuncha.paging (layer 0) imports xuncha.dashboard.cache (layer 4), line 1",
    ]
    assert upward_imports({"rectification.services": {"accounts.models": 1}})  # siblings stay apart
    assert not upward_imports({"xuncha.dashboard.views": {"rounds.models": 1, "xuncha.exports": 2}})


if __name__ == "__main__":
    graph = import_graph()
    problems = [_show(c) for c in cycles(graph)] + upward_imports(graph)
    print("\n".join(problems) or f"{len(graph)} modules: no cycle, no upward import.")
    sys.exit(1 if problems else 0)
