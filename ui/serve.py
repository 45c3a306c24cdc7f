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
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.web import cli

APP = Path(__file__).resolve().parents[1] / "app.py"


def leave_pages_directory_mode() -> None:
    """Tell Streamlit the app routes with ``st.navigation`` (its internal flag; a no-op where it is absent)."""
    try:  # Streamlit's internal module: optional, absent in some versions
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return
    if hasattr(PagesManager, "uses_pages_directory"):
        PagesManager.uses_pages_directory = False


def main(argv: list[str] | None = None) -> None:
    """Run the app with Streamlit's command line (``argv``: options after ``run app.py``)."""
    leave_pages_directory_mode()
    cli.main(args=["run", str(APP), *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":  # pragma: no cover
    main()
