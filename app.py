"""compcore app: page config, the optional password gate, navigation; pages live in pages/, state in ui/state.py.

Every file in ``pages/`` is registered: the known ones in a fixed order with a
title and icon, any other (a page a colleague adds) after them, titled from
its file name.
"""

from pathlib import Path

import streamlit as st

from ui.gate import require_password

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
require_password()  # optional shared password (COMPCORE_PASSWORD); a no-op when none is configured
files = [f for f in KNOWN if (HERE / "pages" / f).exists()]
files += sorted(p.name for p in (HERE / "pages").glob("*.py") if p.name not in KNOWN and not p.name.startswith("_"))
if st.query_params.get("view") == "hr":  # read-only HR mode (issue 7): the plan document only, no other pages
    files = [f for f in files if f == "plan_document.py"] or files
pages = [
    st.Page(f"pages/{f}", title=KNOWN.get(f, (f[:-3].replace("_", " ").capitalize(), None))[0],
            icon=KNOWN.get(f, ("", ":material/article:"))[1], default=(f == "plan_designer.py"))
    for f in files
]
st.navigation(pages, position="hidden" if st.query_params.get("view") == "hr" else "sidebar").run()
