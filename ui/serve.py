"""``python -m ui.serve [streamlit options]``: ``streamlit run app.py`` with no flash of page names.

A fresh Streamlit server that finds a ``pages/`` folder beside the main
script runs its first script run in the legacy "pages directory" mode: it
sends the sidebar navigation of every file in ``pages/`` to the browser
*before* ``app.py`` runs its sign-in gate, so the first visitor of a fresh
server sees the page names flash. ``app.py`` routes with ``st.navigation``,
so that mode is never wanted: this launcher switches it off in the server's
process before the first session starts, then hands over to Streamlit's own
command line. Use it wherever the app is deployed (Dockerfile,
deploy/compcore.service); ``streamlit run app.py`` still works, with that
one flash on a fresh server.

It also imports the modules the pages use before the server starts (:func:`warm_up`): the first visitor's
request would otherwise import them (about 1.8 s of CPU, most of a fresh server's first request), so the
server becomes healthy that much later instead and the first chart comes that much sooner.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from streamlit.web import cli

import ui

APP = Path(__file__).resolve().parents[1] / "app.py"


def leave_pages_directory_mode() -> None:
    """Tell Streamlit the app routes with ``st.navigation`` (its internal flag; a no-op where it is absent)."""
    try:  # Streamlit's internal module: optional, absent in some versions
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return
    if hasattr(PagesManager, "uses_pages_directory"):
        PagesManager.uses_pages_directory = False


def warm_up() -> list[str]:
    """Import every module of :mod:`ui` (what app.py and the pages import: compcore, pandas, Altair, SQLAlchemy);
    returns their names. Done before the server starts, not in a thread beside it: a page's first run importing
    the same modules at the same moment could see one half initialised."""
    names = [m.name for m in pkgutil.walk_packages(ui.__path__, "ui.") if m.name != "ui.serve"]
    for name in names:
        importlib.import_module(name)
    return names


def main(argv: list[str] | None = None) -> None:
    """Run the app with Streamlit's command line (``argv``: options after ``run app.py``)."""
    leave_pages_directory_mode()
    warm_up()
    cli.main(args=["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":  # pragma: no cover
    main()
