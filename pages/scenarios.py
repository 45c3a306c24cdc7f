"""Scenarios: save the current scenario, list / load / duplicate / delete saved ones, compare 2-4 side by side.

One function per section. Every pick is an id (a saved scenario's id, a version number), bound to the typed
UI state through :mod:`ui.scenarios_page`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ui import charts, compare_view, hr_links, impact, page, saved, state
from ui import scenarios_page as view
from ui.core import PlanError, Scenario, changes, compare, load_scenario
from ui.text import md


def save_section(scn: Scenario) -> None:
    st.subheader("Save the current scenario")
    if state.problems():
        st.info("The plan being edited has errors; saving keeps the last valid version.", icon="ℹ️")
    saved.propose_save_name(scn.name)
    a, b, c = st.columns([3, 2, 1], vertical_alignment="bottom")
    a.text_input("Name", key=saved.K_SAVE_NAME, max_chars=200,
                 help="Saving under an existing name adds a new version of it.")
    b.text_input("Your name (optional)", key=saved.K_SAVE_AUTHOR, max_chars=200,
                 help="Shown in the version history next to the date.")
    c.button("Save", key="save_scenario", type="primary", on_click=saved.on_save, width="stretch")


def saved_section() -> list[Any]:
    """The saved scenarios: list, load, duplicate, delete, links. Returns the records (for the comparison)."""
    st.subheader("Saved scenarios")
    try:
        records = saved.store().list()
    except PlanError as e:
        st.error(md(e), icon=":material/database:")  # a plain message, no traceback; the other pages keep working
        return []
    if not records:
        st.caption("Nothing saved yet.")
        return []
    st.dataframe(pd.DataFrame([{"Name": r.name, "Version": r.version, "Saved (UTC)": r.created_at.replace(tzinfo=None),
                                "By": r.author or "", "Id (for links)": r.id} for r in records]),
                 hide_index=True, width="stretch",
                 column_config={"Saved (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
    by_id = {r.id: r for r in records}
    names = {i: r.name for i, r in by_id.items()}
    st.selectbox("Scenario", list(by_id), format_func=lambda i: names.get(i, str(i)), **view.pick_binding(list(by_id)))
    rec = by_id[view.picked(list(by_id))]
    try:
        history = saved.store().history(rec.id)
    except PlanError as e:
        st.error(md(e), icon=":material/database:")
        return records
    versions = [h.version for h in reversed(history)]
    labels = {h.version: h.label for h in history}
    c1, c2, c3 = st.columns([2, 2, 1])
    c1.selectbox("Version", versions, format_func=lambda v: labels.get(v, str(v)),
                 **view.version_binding("load_version", rec.id, versions))
    c2.button("Load", key="load_saved", on_click=saved.on_load,
              args=(rec.id, view.version("load_version", rec.id, versions)), type="primary",
              help="Make it the scenario every page shows. Unsaved edits in this session are replaced.")
    with c3.popover("Delete"):
        st.markdown(f"Delete “{md(rec.name)}” and all {len(history)} versions?")
        st.button("Yes, delete", key="delete_saved", on_click=saved.on_delete, args=(rec.id, rec.name))
    d1, d2 = st.columns([2, 2], vertical_alignment="bottom")
    d1.text_input("Duplicate as", key=view.dup_binding(rec), max_chars=200)
    d2.button("Duplicate", key="dup_saved", on_click=view.duplicate, args=(rec.id, rec.name))
    st.caption("Link to this scenario for editors (they sign in first):")
    st.code(f"{saved.app_url()}?scenario={rec.id}", language=None, wrap_lines=True)
    hr_section(rec, versions, labels)
    return records


def hr_section(rec: Any, versions: list[int], labels: dict[int, str]) -> None:
    st.markdown("**Read-only links for HR**")
    st.caption("A link opens one version's plan document and nothing else: no editor, no other scenario. "
               "Anyone holding it can read that document, so give it only to the people who need it; "
               "revoke it here when they no longer do.")
    h1, h2, h3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    h1.selectbox("Version to share", versions, format_func=lambda v: labels.get(v, str(v)),
                 **view.version_binding("hr_version", rec.id, versions))
    h2.number_input("Expires after (days)", min_value=0, max_value=3650, value=30, step=1, key=hr_links.K_HR_DAYS,
                    help="0: never expires (revoke it by hand).")
    h3.button("Make read-only link", key="hr_make", on_click=view.make_hr_link, args=(rec.id, versions))
    hr_flash = hr_links.take_flash()
    if hr_flash and hr_flash[0] == "link":
        st.success("New read-only link (copy it now):", icon=":material/link:")
        st.code(hr_flash[1], language=None, wrap_lines=True)
    elif hr_flash:
        (st.success if hr_flash[0] == "success" else st.error)(md(hr_flash[1]))
    for t in hr_links.tokens(rec.id):
        status = "active" if t.active else ("revoked" if t.revoked_at else "expired")
        until = f"until {t.expires_at:%Y-%m-%d}" if t.expires_at else "no expiry"
        by = f" by {t.author}" if t.author else ""
        row = st.columns([5, 1], vertical_alignment="center")
        row[0].text(f"v{t.version} · made {t.created_at:%Y-%m-%d %H:%M} UTC{by} · {until} · {status} · "
                    f"…{t.token[-6:]}")
        if t.active:
            row[1].button("Revoke", key=f"hr_revoke_{t.token[-12:]}", on_click=hr_links.revoke, args=(t.token,))


def _fmt(value: Any, unit: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if unit == "money":
        return charts.money(float(value))
    if unit == "share":
        return charts.pct(float(value), 1)
    if unit == "count":
        return f"{value:,.0f}"
    return str(value)


def _fmt_diff(value: Any, unit: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    if unit == "share":
        return f"{sign}{abs(float(value)) * 100:.1f} pts"
    return sign + _fmt(abs(value), unit)


def compared(scn: Scenario, records: list[Any]) -> dict[str, tuple[str, Scenario]]:
    """The scenarios picked for the comparison: id -> (label, scenario) (the current one and saved ones)."""
    by_id = {r.id: r for r in records}
    names = {view.CURRENT: "Current scenario (this session)", **{i: r.name for i, r in by_id.items()}}
    options = list(names)
    chosen = st.multiselect("Scenarios to compare (2 to 4)", options, max_selections=4,
                            format_func=lambda i: names.get(i, str(i)), **view.compare_binding(options),
                            help="The current scenario is what the other pages show now, saved or not.")
    chosen = [c for c in chosen if c in names]
    if len(chosen) < 2:
        st.caption("Choose at least two scenarios; save the one you are working on first to compare it with a "
                   "variant.")
        return {}
    out: dict[str, tuple[str, Scenario]] = {}
    for label, sid in zip(compare.unique_labels([names[c] for c in chosen]), chosen, strict=True):
        try:
            out[sid] = (label, scn if sid == view.CURRENT else load_scenario(by_id[sid].data))
        except PlanError as e:
            st.error(md(f"{names[sid]}: {e}"))
    return out


def compare_section(scn: Scenario, records: list[Any]) -> None:
    st.subheader("Compare side by side")
    picked = compared(scn, records)
    if len(picked) < 2:
        return
    scenarios = dict(picked.values())  # label -> scenario, for the charts and tables
    labels = list(scenarios)
    with st.spinner("Simulating each scenario…"):
        sims: dict[str, Any] = {label: saved.simulation_of(s) for label, s in scenarios.items()}

    left, right = st.columns(2)
    with left:
        st.markdown("**Payout curves**")
        st.caption("Total payout when every metric is at the same % of target (gates and caps included).")
        compare_view.curves(scenarios)  # an org: one plan at a time, matched by id, a scenario per line
    with right:
        st.markdown(f"**Cost per {next(iter(scenarios.values())).period}**")
        st.caption(f"Monte Carlo, {int(state.ui('trials')):,} trials each, seed {int(state.ui('seed'))}; "
                   "dashed lines are budgets.")
        compare_view.costs(scenarios, sims, int(state.ui("trials")), int(state.ui("seed")))

    st.markdown("**Key figures**")
    kf = changes.figure_differences(compare.key_figures(scenarios, sims))
    diff_cols = [c for c in kf.columns if c not in ("figure", "unit", *labels)]
    shown = pd.DataFrame({"Figure": kf["figure"],
                          **{label: [_fmt(v, u) for v, u in zip(kf[label], kf["unit"], strict=True)]
                             for label in labels},
                          **{c: [_fmt_diff(v, u) for v, u in zip(kf[c], kf["unit"], strict=True)]
                             for c in diff_cols}})
    st.dataframe(shown, hide_index=True, width="stretch", key="cmp_figures", height=35 * (len(shown) + 1) + 3)

    if any(s.is_org for s in scenarios.values()):
        for by, title in (("plan", "Expected cost by plan"), ("team", "Expected cost by team")):
            st.markdown(f"**{title}** (per period)")
            groups = compare.compare_groups(sims, by)
            st.dataframe(pd.DataFrame({by.capitalize(): groups[by], **{
                label: [_fmt(v, "money") for v in groups[label]] for label in labels}}), hide_index=True,
                width="stretch", key=f"cmp_by_{by}")

    st.markdown("**What changed**")
    diff = changes.readable_diff(scenarios, charts.CURRENCY)
    if diff.empty:
        st.caption("These scenarios are identical apart from their names.")
    else:
        st.caption(f"{len(diff)} setting(s) differ; “—” means the setting is absent in that scenario. "
                   f"The first column ({labels[0]}) is the baseline.")
        st.dataframe(diff.drop(columns=["field"]), hide_index=True, width="stretch", key="cmp_diff")

    impact.section({sid: got[1] for sid, got in picked.items()}, {sid: got[0] for sid, got in picked.items()})


page.setup()
st.title("Scenarios")
st.caption("Save what you are designing, come back to it, and put 2-4 scenarios side by side in a meeting. "
           "Every save keeps the earlier versions.")
flash = saved.take_flash()
if flash:
    (st.success if flash[0] == "success" else st.error)(md(flash[1]))
save_section(state.valid())
saved_records = saved_section()
compare_section(state.valid(), saved_records)
