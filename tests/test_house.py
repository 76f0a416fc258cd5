"""The shape of the house (docs/architecture.md): modules of one job and about 400 lines,
no import cycles, no module importing another's private names, toolkit imports at the
top of modules (the command line's lazy imports excepted, for a quick ``--version``),
no stage importing a stage above it, and each package's public names (its ``__all__``)
the only ones the other packages import."""

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


# --- layers: a stage imports nothing of the stages above it (docs/architecture.md) -------
SUB_PACKAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
#: the stages and the side packages above each, by what they may not import
ABOVE = {
    "ingest": set(SUB_PACKAGES) - {"ingest"},
    "clean": {"rules", "metrics", "evaluation", "review", "outputs", "pipeline", "plan", "intake", "demo"},
    "outputs": {"pipeline", "plan", "intake", "demo"},
}
#: the modules beside the stages (vocabulary, exceptions, paths...) import no stage
BESIDE = {name for name in MODULES if name.count(".") == 1 and name.split(".")[1] not in SUB_PACKAGES
          and name not in ("toolkit.cli", "toolkit.__main__")}
#: (package, package above it) -> why it is still imported
KNOWN_EXCEPTIONS = {
    # clean.period resolves a year's rules for load_year; goes when load_year takes a period
    ("clean", "rules"): "clean.period imports rules.load",
}


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUB_PACKAGES else None


def _cross_imports():
    """(importing module, its package, imported module, its package, names) for every
    import of one toolkit package from another, anywhere in a module."""
    for name, tree in MODULES.items():
        src = _package_of(name)
        for _node, module, names in _imports(tree, top_only=False):
            dst = _package_of(module)
            if dst is not None and dst != src:
                yield name, src, module, dst, names


def test_no_stage_imports_a_stage_above_it():
    bad = []
    for name, src, module, dst, _names in _cross_imports():
        if src in ABOVE and dst in ABOVE[src] and (src, dst) not in KNOWN_EXCEPTIONS:
            bad.append(f"{name} imports {module}")
        if src is None and name in BESIDE:
            bad.append(f"{name} (beside the stages) imports {module}")
    assert not bad, bad


def test_a_known_exception_to_the_layers_is_still_there():
    """An exception no longer needed is dropped from KNOWN_EXCEPTIONS."""
    found = {(src, dst) for _, src, _, dst, _ in _cross_imports()}
    assert set(KNOWN_EXCEPTIONS) <= found, set(KNOWN_EXCEPTIONS) - found


# --- each package offers its public names; the others import only those ---------------
def _offer(package: str) -> set[str]:
    """The names a package's __init__ offers (its __all__), read without importing it."""
    for node in MODULES[f"toolkit.{package}"].body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        names = [t.id for t in targets if isinstance(t, ast.Name)] or \
            [e.id for t in targets if isinstance(t, ast.Tuple) for e in t.elts if isinstance(e, ast.Name)]
        if "__all__" not in names:
            continue
        value = node.value
        if isinstance(value, ast.List):
            return {e.value for e in value.elts}
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "offer":
            return {e.value for v in value.args[1].values for e in v.elts}
    return set()


def _offers() -> dict[str, dict[str, tuple[str, ...]]]:
    """package -> module (relative, "" for the package) -> the names offered there."""
    out = {}
    for package in SUB_PACKAGES:
        for node in MODULES[f"toolkit.{package}"].body:
            value = getattr(node, "value", None)
            if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "offer":
                out[package] = {k.value: tuple(e.value for e in v.elts)
                                for k, v in zip(value.args[1].keys, value.args[1].values, strict=True)}
    return out


def test_every_sub_package_names_what_it_offers():
    assert all(_offer(p) for p in SUB_PACKAGES), [p for p in SUB_PACKAGES if not _offer(p)]


def test_other_packages_import_only_public_names():
    bad = []
    for name, _src, module, dst, names in _cross_imports():
        offered = _offer(dst)
        bad += [f"{name}: from {module} import {n} (not in toolkit.{dst}.__all__)"
                for n in names if n not in offered]
    assert not bad, bad


def test_every_offered_name_is_where_its_package_says():
    missing = []
    for package, offers in _offers().items():
        for module, names in offers.items():
            full = f"toolkit.{package}.{module}" if module else f"toolkit.{package}"
            tree = MODULES[full]
            defined = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                       if isinstance(t, ast.Name)}
            defined |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)
                        and isinstance(n.target, ast.Name)}
            defined |= {n.name for n in tree.body
                        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
            defined |= {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom)
                        for a in n.names}
            missing += [f"toolkit.{package}: {n} is not in {full}" for n in names
                        if n not in defined and f"{full}.{n}" not in MODULES]
    assert not missing, missing
