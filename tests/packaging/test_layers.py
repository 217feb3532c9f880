"""The house rules of the source tree (docs/design.md, "Rooms"), checked on the code's own imports:
no import circle, every import runs down to a lower floor, parsers and rules never see each other,
the core never reaches into the generate wing, and no import hides inside a function except the
optional third-party libraries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "src" / "opengov_lint"

# Floors, lowest first. A module may import only from a lower floor or from its own room.
FLOORS: dict[str, int] = {
    "_version": 0,
    "errors": 0,
    "numerals": 0,
    "textutil": 0,
    "model": 1,
    "findings": 2,
    "packs": 2,
    "serialize": 2,
    "parsers": 3,
    "checks": 3,
    "engine": 4,
    "config": 5,
    "baseline": 5,
    "generate": 5,  # the opt-in wing: builds and draws models, above the readers it round-trips
    "checker": 6,
    "batch": 7,
    "outputs": 7,
    "fixer": 7,  # safe fixes applied to a copy of an input (around Checker)
    "build": 8,  # re-exporting shims of the generate wing (one release)
    "render": 8,
    "strategies": 8,
    "serve": 8,  # the local web application: the checker, the fixer and the annotated page over HTTP
    "cli": 9,
    "__init__": 10,
    "__main__": 10,
}
# Rooms on one floor that must not know each other.
STRANGERS = {frozenset({"parsers", "checks"}), frozenset({"batch", "outputs"})}
# Rooms that may import the generate wing.
GENERATE_USERS = {"generate", "build", "render", "strategies"}
# Optional third-party libraries, imported where they are used so that the core import stays light.
LAZY_ALLOWED = {"docx", "pdfplumber", "reportlab", "PIL", "hypothesis"}
LAZY_ALLOWED_MODULES = {"generate/_hypothesis.py"}  # the Hypothesis hook loads the strategies on first use


def _room(module: str) -> str:
    return module.split(".")[0]


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> list[str]:
    """The project modules an ``from … import …`` names (relative imports resolved)."""
    if node.level == 0:
        if not (node.module or "").startswith("opengov_lint"):
            return []
        base = (node.module or "").split(".")[1:]
    else:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = package[: len(package) - (node.level - 1)] + ((node.module or "").split(".") if node.module else [])
    if not base:  # from . import x, y
        return [n.name for n in node.names]
    if not node.module:
        return [".".join(base + [n.name]) for n in node.names]
    return [".".join(base)]


def _imports() -> tuple[dict[str, set[str]], list[str]]:
    graph: dict[str, set[str]] = {}
    lazy: list[str] = []
    modules = _modules()
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                targets = _resolve(module, path, node)
            elif isinstance(node, ast.Import):
                targets = [a.name.split(".", 1)[1] for a in node.names if a.name.startswith("opengov_lint.")]
            else:
                continue
            deps |= {t if t in modules else t.rsplit(".", 1)[0] for t in targets}
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        top = node.names[0].name if isinstance(node, ast.Import) else (node.module or "")
                        rel = path.relative_to(PACKAGE).as_posix()
                        if top.split(".")[0] not in LAZY_ALLOWED and rel not in LAZY_ALLOWED_MODULES:
                            lazy.append(f"{rel}:{node.lineno} imports {'.' * getattr(node, 'level', 0)}{top} inside {fn.name}()")
        graph[module] = {d for d in deps if d in modules and d != module}
    return graph, lazy


GRAPH, LAZY = _imports()


def test_every_room_has_a_floor() -> None:
    assert {_room(m) for m in GRAPH} <= set(FLOORS), sorted({_room(m) for m in GRAPH} - set(FLOORS))


def test_no_import_circle() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert circles == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_run_down(module: str) -> None:
    room = _room(module)
    wrong = []
    for dep in sorted(GRAPH[module]):
        other = _room(dep)
        if other == room:
            continue
        if FLOORS[other] >= FLOORS[room] or frozenset({room, other}) in STRANGERS:
            wrong.append(f"{module} -> {dep} (floor {FLOORS[room]} -> {FLOORS[other]})")
        if other == "generate" and room not in GENERATE_USERS:
            wrong.append(f"{module} -> {dep}: the core never imports the generate wing")
    assert wrong == []


def test_no_import_hides_in_a_function() -> None:
    assert LAZY == []
