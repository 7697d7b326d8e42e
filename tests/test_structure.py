"""The shape of the package: imports run one way through the pipeline's phases, no module imports itself round a
circle, every module says in its docstring what its one job is, and none grows past about 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "extract"
# the phases, top to bottom: a module may import only from its own phase or the ones above it
PHASES = ("core", "series", "models", "read", "ocr", "layout", "document", "facts", "run", "output", "api",
          "analysis", "cli")
MAX_LINES = 420


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> list[tuple[str, bool]]:
    """The package's modules ``path`` imports, each with whether the import is at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("extract"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.append((child if child in modules else node.module, id(node) in top))
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names if a.name.startswith("extract")]
    return found


def _phase(module: str) -> int:
    parts = module.split(".")
    return PHASES.index(parts[1]) if len(parts) > 1 else -1


def test_imports_run_one_way_through_the_phases():
    modules = _modules()
    upward = [f"{name} imports {target}" for name, path in modules.items() if _phase(name) >= 0
              for target, _ in _imports(path, modules) if _phase(target) > _phase(name)]
    assert not upward, "\n".join(upward)


def test_no_import_circle():
    modules = _modules()
    graph = {name: {t for t, _ in _imports(path, modules) if t in modules and t != name}
             for name, path in modules.items()}
    state: dict[str, int] = {}
    circles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                circles.append(" -> ".join(trail[trail.index(target):] + [target]) if target in trail else target)
            elif target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])
    # a package's __init__ importing its own modules is not a circle of two stages
    assert not circles, "\n".join(circles)


def test_every_module_names_its_job_and_stays_small():
    problems = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if not (ast.get_docstring(ast.parse(text)) or "").strip():
            problems.append(f"{name}: no docstring")
        if text.count("\n") > MAX_LINES:
            problems.append(f"{name}: {text.count(chr(10))} lines")
    assert not problems, "\n".join(problems)


def test_the_phases_are_the_package_folders():
    """A new phase folder must be placed in PHASES (else its imports are not checked)."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert folders | modules <= set(PHASES) | {"__main__"}, sorted((folders | modules) - set(PHASES))


def test_every_package_is_installed():
    """pyproject.toml lists the packages a wheel holds: a sub-package missing there is missing from a plain install."""
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.relative_to(PACKAGE.parent).parts[:-1]) for p in PACKAGE.rglob("__init__.py")}
    assert listed == found | {"extract.models"}, sorted(listed ^ (found | {"extract.models"}))
