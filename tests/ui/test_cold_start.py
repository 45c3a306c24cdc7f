"""The first request of a fresh server imports what the pages need and nothing heavier (issue 22).

scipy.stats alone took about 1 s of the app's first request (a history's normal scores need it, nothing the
Plan designer or the Cost page draws does): it is imported where it is used.
"""

from __future__ import annotations

import subprocess
import sys

from tests.app.conftest import ROOT

# what app.py and the Plan designer (the page a person opens) import
PAGE_IMPORTS = ("compcore", "ui.core", "ui.charts", "ui.state", "ui.page", "ui.hr_links", "ui.cohorts",
                "ui.designer_boxes", "ui.plan_editing", "ui.year_designer", "ui.simulation_state")


def _imported_after(modules: tuple[str, ...]) -> set[str]:
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_opening_the_app_does_not_import_scipy_stats():
    assert "scipy.stats" not in _imported_after(PAGE_IMPORTS)


def test_a_history_still_gets_its_normal_scores():
    from compcore.data.persistence import normal_scores

    # ranks 1, 3, 2 of 3 -> Phi^-1(1/4), Phi^-1(3/4), Phi^-1(2/4)
    assert normal_scores([0.2, 0.9, 0.5]).round(4).tolist() == [-0.6745, 0.6745, 0.0]


def test_the_launcher_imports_what_the_pages_use_before_the_server_starts():
    """``python -m ui.serve`` imports every ui module (and so compcore, pandas, Altair) before Streamlit serves:
    a fresh server's first visitor does not wait for those imports."""
    code = ("import sys\nfrom ui.serve import warm_up\nnames = warm_up()\n"
            "print(len(names), all(n in sys.modules for n in names), 'ui.charts.cache' in names,"
            " 'altair' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    count, all_in, has_cache, altair = out.split()
    assert int(count) > 30 and all_in == has_cache == altair == "True"
