"""The layering rules, checked: compcore pure and acyclic, pages draw through ui, no private names cross modules."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import compcore

ROOT = Path(__file__).resolve().parents[2]


def _modules(package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every module of a package folder under ROOT (packages by __init__)."""
    out = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(path: Path, *, top_level_only: bool) -> list[tuple[str, list[str], int]]:
    """(module imported, names imported from it, line) for each import statement of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out = []
    for node in nodes:
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [a.name for a in node.names], node.lineno))
    return out


def _edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module-level import edges between the given modules (``from pkg import mod`` counts as pkg.mod)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for target, names, _ in _imports(path, top_level_only=True):
            for cand in [f"{target}.{n}" for n in names] + [target]:
                if cand in modules and cand != name:
                    graph[name].add(cand)
                    break
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_compcore_and_ui_have_no_import_cycle() -> None:
    for package in ("compcore", "ui"):
        modules = _modules(package)
        # a package's __init__ re-exporting its modules is not a cycle of concepts
        graph = {m: {t for t in ts if modules[t].name != "__init__.py"} for m, ts in _edges(modules).items()}
        assert _cycle(graph) is None, f"import cycle in {package}: {' -> '.join(_cycle(graph) or [])}"


def test_no_private_name_is_imported_from_another_module() -> None:
    bad = []
    for package in ("compcore", "ui", "pages"):
        for path in _modules(package).values():
            for target, names, line in _imports(path, top_level_only=False):
                if target.split(".")[0] in ("compcore", "ui"):
                    bad += [f"{path.relative_to(ROOT)}:{line} imports {n} from {target}"
                            for n in names if n.startswith("_") and n != "__version__"]
    assert not bad, "\n".join(bad)


def test_imports_inside_functions_are_only_for_optional_dependencies() -> None:
    # an import inside a function hides a cycle or slows nothing down; only optional extras may be lazy
    # (streamlit.runtime.* is Streamlit's internal API, imported under a guard because versions differ)
    optional = {"dask", "distributed", "numba", "ray", "openpyxl", "python_calamine", "scipy", "authlib",
                "streamlit.runtime.pages_manager"}
    bad = []
    paths = [p for package in ("compcore", "ui") for p in _modules(package).values()]
    for path in paths:
        top = {(t, ln) for t, _, ln in _imports(path, top_level_only=True)}
        for target, _, line in _imports(path, top_level_only=False):
            if (target, line) not in top and target not in optional and target.split(".")[0] not in optional:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {target} inside a function")
    assert not bad, "\n".join(bad)


def test_pages_import_ui_never_compcore() -> None:
    allowed = {"ui", "streamlit", "pandas", "__future__"} | set(sys.stdlib_module_names)
    bad = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        for target, _, line in _imports(path, top_level_only=False):
            if target.split(".")[0] not in allowed:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not bad, "pages draw; compute in compcore and bridge through ui:\n" + "\n".join(bad)


def test_every_compcore_module_imports_with_streamlit_blocked() -> None:
    names = [m.name for m in pkgutil.walk_packages(compcore.__path__, "compcore.") if m.name != "compcore.__main__"]
    assert {"compcore.plan.payout", "compcore.simulation.simulate", "compcore.io.store"} <= set(names)
    code = ("import sys, importlib; sys.modules['streamlit'] = None\n"
            f"for n in {names!r}: importlib.import_module(n)\nprint('ok')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_every_compcore_folder_is_a_package_that_setuptools_finds() -> None:
    for d in (ROOT / "compcore").rglob("*"):
        if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py")):
            assert (d / "__init__.py").exists(), f"{d.relative_to(ROOT)} has no __init__.py"
    text = (ROOT / "pyproject.toml").read_text()
    assert 'include = ["compcore*"]' in text


def test_only_ui_session_names_session_state_keys() -> None:
    # st.session_state["..."] with a literal anywhere but ui/session.py means a key the key list does not know
    literal = re.compile(r"session_state(\[|\.get\(|\.pop\(|\.setdefault\()\s*[\"']")
    bad = []
    for folder in ("ui", "pages"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if literal.search(line):
                    bad.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not bad, "add the key to ui/session.py and use its K_ name:\n" + "\n".join(bad)
