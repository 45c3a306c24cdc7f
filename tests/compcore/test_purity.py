"""compcore stays a plain library: importable without streamlit."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import compcore


def test_every_compcore_module_imports_with_streamlit_blocked() -> None:
    names = [m.name for m in pkgutil.iter_modules(compcore.__path__, "compcore.") if m.name != "compcore.__main__"]
    code = ("import sys, importlib; sys.modules['streamlit'] = None\n"
            f"for n in {names!r}: importlib.import_module(n)\nprint('ok')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert len(names) >= 5
