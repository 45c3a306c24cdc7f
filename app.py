"""compcore app: page config, the sign-in gate, navigation; pages live in pages/, state in ui/state.py.

A read-only HR link (``?hr=<token>``) registers the plan document alone and
skips the sign-in: whatever else the URL says, it opens that document and
nothing else (:mod:`ui.hr_links`). Every other address passes the gate first
(:mod:`ui.gate`: ``st.login`` with an allow-list, or the shared password).

Every file in ``pages/`` is registered: the known ones in a fixed order with a
title and icon, any other (a page a colleague adds) after them, titled from
its file name.
"""

from pathlib import Path

import streamlit as st

from ui.gate import require_editor
from ui.hr_links import is_hr_view

HERE = Path(__file__).parent
KNOWN = {
    "plan_designer.py": ("Plan designer", ":material/tune:"),
    "payout_curves.py": ("Payout curves", ":material/show_chart:"),
    "cost_simulation.py": ("Cost simulation", ":material/casino:"),
    "scenarios.py": ("Scenarios", ":material/folder_open:"),
    "plan_document.py": ("Plan document", ":material/description:"),
    "targets_from_data.py": ("Targets from data", ":material/query_stats:"),
}

st.set_page_config(page_title="compcore: variable pay sandbox", page_icon=":material/payments:", layout="wide")
if is_hr_view():  # a read-only HR link: that one document, no sidebar, no other page whatever the URL says
    # every page address of the app is the same document here, so /scenarios?hr=... shows no "Page not found"
    doc = [st.Page("pages/plan_document.py", title="Plan document", icon=":material/description:", default=True)]
    doc += [st.Page("pages/plan_document.py", title="Plan document", url_path=f[:-3])
            for f in KNOWN if f != "plan_document.py"] + [st.Page("pages/plan_document.py", url_path="sign_in")]
    st.navigation(doc, position="hidden").run()
    st.stop()
files = [f for f in KNOWN if (HERE / "pages" / f).exists()]
files += sorted(p.name for p in (HERE / "pages").glob("*.py") if p.name not in KNOWN and not p.name.startswith("_"))
# sign-in, allow-list or shared password (a no-op when none is configured); signed out, every address is the gate
require_editor(show_account=True, page_paths=[f[:-3] for f in files])
pages = [
    st.Page(f"pages/{f}", title=KNOWN.get(f, (f[:-3].replace("_", " ").capitalize(), None))[0],
            icon=KNOWN.get(f, ("", ":material/article:"))[1], default=(f == "plan_designer.py"))
    for f in files
]
st.navigation(pages, position="sidebar").run()
