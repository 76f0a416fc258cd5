"""The shape of the house (docs/architecture.md): modules of one job and about 400 lines,
no import cycles, no module importing another's private names, toolkit imports at the
top of modules (the command line's lazy imports excepted, for a quick ``--version``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "toolkit"
MAX_LINES = 450  # "about 400": a module past this has more than one job
#: modules that import toolkit modules inside functions, and why
LAZY_IMPORTS = {
    "toolkit.cli": "toolkit --version and --help must not import numpy, pandas or pyarrow",
    "toolkit": "the public names are loaded on first use (toolkit/__init__.py)",
}


def _modules() -> dict[str, ast.Module]:
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        parts = p.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(p.read_text(encoding="utf-8"), filename=str(p))
    return out


MODULES = _modules()


def _imports(tree: ast.Module, top_only: bool):
    nodes = tree.body if top_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("toolkit"):
            yield node, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("toolkit"):
                    yield node, a.name, []


def _targets(module: str, names: list[str]) -> set[str]:
    """The toolkit modules an import statement loads."""
    found = {module} if module in MODULES else set()
    found |= {f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES}
    return found


def test_modules_are_small():
    big = {}
    for p in PACKAGE.rglob("*.py"):
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            big[p.relative_to(ROOT).as_posix()] = n
    assert not big, f"modules past {MAX_LINES} lines: {big}"


def test_no_private_names_across_modules():
    bad = []
    for name, tree in MODULES.items():
        for _node, module, names in _imports(tree, top_only=False):
            if module != name:
                bad += [f"{name}: from {module} import {n}" for n in names if n.startswith("_") and n != "__version__"]
    assert not bad, bad


def test_toolkit_imports_at_module_top():
    lazy = []
    for name, tree in MODULES.items():
        top = {id(n) for n, _, _ in _imports(tree, top_only=True)}
        for node, module, _ in _imports(tree, top_only=False):
            if id(node) not in top and name not in LAZY_IMPORTS:
                lazy.append(f"{name} line {node.lineno}: {module}")
    assert not lazy, lazy


def test_no_import_cycles():
    graph = {name: set() for name in MODULES}
    for name, tree in MODULES.items():
        for _, module, names in _imports(tree, top_only=True):
            graph[name] |= _targets(module, names) - {name}
    # (a package's __init__ that imports its own modules is no cycle: a module importing
    # a name from its package's __init__ is, and shows as an edge to the package)
    state: dict[str, int] = {}
    cycles = []

    def visit(n, stack):
        state[n] = 1
        for d in sorted(graph[n]):
            if state.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d, stack + [d])
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert not cycles, cycles
