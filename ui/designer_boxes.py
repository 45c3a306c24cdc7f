"""Two boxes of the Plan designer: the plans of the org (pick, add, delete) and where the plan starts from.

Drawn by ui so that the page stays a list of sections. Every pick is an id: the plan being edited
(``ui.plan_id``), the source of a new plan (``blank``, ``copy:<plan id>``, ``sample:<sample id>``), the sample
to load for a plan (``ui.start_from[<plan id>]``); the start box's key names the plan.
"""

from __future__ import annotations

import streamlit as st

from ui import org, plan_editing, state
from ui.text import md

__all__ = ["plans_box", "start_box"]


def plans_box(pid: str, editing: str) -> None:
    """The "Plans" box: the plan being edited, delete it (after a confirmation), add one; ``editing`` names it."""
    with st.sidebar:
        st.text(editing)  # the plan being edited stays in view (plain text: the name is typed by a person)
    with st.container(border=True, key="plan_switcher"):
        st.subheader("Plans")
        if state.is_org():
            st.caption("Each group is paid by its own plan; the roster below says who is on which. Metrics with the "
                       "same id in two plans are one measured number (drawn once), each plan with its own target.")
            a, b = st.columns([3, 1], vertical_alignment="bottom")
            with a:
                org.plan_picker("Plan being edited")
            b.button("Delete this plan", key="delete_plan", on_click=org.delete_plan, args=(pid,),
                     disabled=len(state.plan_ids()) < 2, width="stretch")
            if (gone := org.pending_delete()) is not None:
                with st.container(border=True, key="confirm_delete_box"):
                    st.warning(f"Delete {org.plan_label(gone)}? The {org.people_on(gone)} people on it move to "
                               f"{org.plan_label([p for p in state.plan_ids() if p != gone][0])}. Undo brings it back.",
                               icon=":material/warning:")
                    yes, no = st.columns(2)
                    yes.button("Delete the plan", key="confirm_delete_yes", on_click=org.delete_plan, args=(gone, True),
                               type="primary", width="stretch")
                    no.button("Keep it", key="confirm_delete_no", on_click=org.cancel_delete, width="stretch")
        else:
            st.caption("One plan for everyone. Add a plan to pay a group on its own goal (an org of several plans).")
        st.text(editing)
        a, b = st.columns([3, 1], vertical_alignment="bottom")
        sources = {s: org.new_plan_label(s) for s in org.new_plan_options()}  # a plain mapping, fixed when drawn
        a.selectbox("New plan from", list(sources), format_func=lambda s: sources.get(s, str(s)),
                    **state.bind("new_plan_from", ("ui", "new_plan_from"), default=org.BLANK_SOURCE,
                                 options=list(sources)))
        b.button("Add plan", key="add_plan", on_click=org.add_plan, width="stretch",
                 help="Adds a plan (blank, a copy of one of these plans, or a sample) and switches to it.")


def start_box(pid: str) -> None:
    """Replace the plan with a sample or a blank plan (nothing chosen unless the plan is a sample's), or open
    a JSON file."""

    def key(*parts: object) -> str:
        return state.plan_key(pid, *parts)

    left, right = st.columns([4, 1], vertical_alignment="bottom")
    starts = plan_editing.start_options()
    names = {**state.sample_plan_names(), "blank": "Blank plan"}
    left.selectbox("Replace this plan with a sample plan or a blank one" if state.is_org()
                   else "Start from a sample plan or a blank one", starts, format_func=lambda s: names.get(s, str(s)),
                   index=None, placeholder="Choose a sample plan or a blank one",
                   **state.bind(key("start_from"), ("ui", "start_from", pid), default=plan_editing.own_sample(),
                                options=[*starts, None]))
    right.button("Load", key="load_plan", on_click=plan_editing.start_from, args=(pid,), width="stretch",
                 disabled=plan_editing.start_choice(pid) is None,
                 help="Replaces the plan; roster, budget and assumptions of kept metrics stay.")
    if (pending := plan_editing.pending_replace()) is not None:
        with st.container(border=True, key="confirm_box"):
            st.warning(f"Loading “{md(names[pending])}” replaces the plan you have changed. Save it on the Scenarios "
                       "page first if you want to keep it; Undo also brings it back.", icon=":material/warning:")
            yes, no = st.columns(2)
            yes.button("Replace my plan", key="confirm_replace_yes", on_click=plan_editing.start_from, args=(pid, True),
                       type="primary", width="stretch")
            no.button("Keep my plan", key="confirm_replace_no", on_click=plan_editing.cancel_replace, width="stretch")
    # no type filter: a file of another kind (dropped, or sent by a browser) gets compcore's message naming it
    # ("clients.csv: not a JSON file"), where Streamlit's own check raised an exception box
    st.file_uploader("Or open a plan or scenario JSON (as downloaded from the Plan document page)",
                     key="import_json", on_change=plan_editing.import_upload, args=("import_json",))
    if result := state.ui("import_result"):
        (st.success if result[0] else st.error)(md(result[1]))
