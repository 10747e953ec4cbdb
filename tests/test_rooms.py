"""A newcomer reads the package's rooms from its folders, and the rooms keep to their floors.

facts (load, validate, derive, format) is the ground floor; pages (the
Markdown extension, blocks, charts) stand on it; checks of the built site
and site tools sit above. ``errors`` and ``site_config`` serve everyone. A
module imports only from its own room or a floor below, and no two modules
import each other, even inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "distill_site"
FLOORS = {"": 0, "facts": 1, "pages": 2, "checks": 3, "tools": 4}  # "" is the package's top: errors, site_config
SHARED = {"errors", "site_config"}


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package_dir: Path = PACKAGE) -> set[str]:
    """The package's modules that ``path`` imports, at the top or inside a function."""
    here = module_name(path, package_dir).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            names = [".".join(base + [alias.name]) for alias in node.names] if not node.module else [".".join(base)]
            found.update(names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("distill_site"):
            found.add(node.module)
    top = package_dir.parent
    return {name for name in found if (top / name.replace(".", "/")).with_suffix(".py").exists()
            or (top / name.replace(".", "/") / "__init__.py").exists()}


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def room(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in FLOORS) else ""


def test_every_module_lives_in_a_room():
    loose = [name for name in MODULES if room(name) == "" and name.split(".")[-1] not in SHARED | {"distill_site"}]
    assert loose == [], f"modules outside the rooms {sorted(FLOORS)[1:]}: {loose}"


def test_no_module_imports_from_a_floor_above_its_own():
    upward = [f"{name} imports {used}" for name, used_set in GRAPH.items() for used in used_set
              if FLOORS[room(used)] > FLOORS[room(name)]
              or (FLOORS[room(used)] == FLOORS[room(name)] and room(used) != room(name))]
    assert upward == []


def modules_on_a_circle(graph: dict[str, set[str]]) -> set[str]:
    """The modules from which an import chain leads back to themselves."""
    def reachable(start: str) -> set[str]:
        seen, todo = set(), list(graph.get(start, ()))
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
        return seen
    return {name for name in graph if name in reachable(name)}


def test_no_two_modules_import_each_other():
    assert modules_on_a_circle(GRAPH) == set()


def test_a_circle_through_a_third_module_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert modules_on_a_circle(graph) == {"a", "b", "c"}


def test_the_layout_check_sees_imports_inside_functions(tmp_path):
    # The check itself: a deferred import of a tool from a page is found, and it points upward.
    package = tmp_path / "distill_site"
    for name in ("pages/late.py", "tools/trim_css.py", "pages/__init__.py", "tools/__init__.py"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("", encoding="utf-8")
    (package / "pages" / "late.py").write_text("def f():\n    from ..tools.trim_css import trim\n", encoding="utf-8")
    used = imports_of(package / "pages" / "late.py", package)
    assert used == {"distill_site.tools.trim_css"}
    assert FLOORS[room("distill_site.tools.trim_css")] > FLOORS[room("distill_site.pages.late")]
