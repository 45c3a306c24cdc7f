"""Parts of the "Targets from data" page drawn from ui: records, the definition, the history, the back-test.

They hold no logic of their own: numbers come from compcore through :mod:`ui.targets_state`, and every
text from the records is shown as plain text. The page (pages/targets_from_data.py) puts them in order
and draws what it writes into the plan (a target, an assumption, a persistence).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from compcore.data.definitions import metric_definition, renamed_for, short_name
from compcore.data.metrics import ACTIVITY_KINDS
from compcore.data.targets import LABELS, describe_spec
from compcore.errors import PlanError
from compcore.plan.schema import Plan
from ui import charts, data_import, org, state
from ui import targets_actions as act
from ui import targets_state as ts
from ui.charts import cache as chart_cache
from ui.session import K_UI
from ui.text import md

t = ts.tfd_path
SOURCES = ["sample", "upload", "export"]
PERIODS = ["month", "quarter", "half", "year"]
BYS = ["team", "owner", "company"]


def fmt(v: Any, share: bool) -> str:
    """A metric value as read: a share in %, a count to 3 significant figures; 'missing' for none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "missing"
    return charts.pct(v, 1) if share else f"{v:,.3g}"


def records() -> Any:
    """Section 1: where the records come from; the CSData in use (stops the page until it can be used)."""
    source = st.radio("Use", SOURCES, horizontal=True, label_visibility="collapsed",
                      format_func={"sample": "Sample data (a fictional CS org)", "upload": "Upload CSV files",
                                   "export": "Your own export (CSV or Excel, any column names)"}.get,
                      **ts.bind("tfd_source", t("source"), default="sample", options=SOURCES))
    if source == "export":
        data_import.export_section()  # upload and column mapping; stops here until the records can be used
    if source == "upload":
        st.file_uploader("clients.csv (required), usage_weekly.csv, activities.csv, people.csv", type="csv",
                         accept_multiple_files=True, **ts.cs_upload_binding())
        files = ts.tfd("files")
        if not files:
            st.info("Upload at least clients.csv. The columns each file needs are listed under "
                    "“How each metric is defined” above.", icon=":material/upload:")
            st.stop()
        st.caption("Using: " + md(", ".join(sorted(files))) + " (kept for this session)")
    try:
        data = ts.cs_data()
    except PlanError as e:
        st.error(f"These records cannot be used yet. {md(e)}", icon=":material/error:")
        st.stop()
    counts = [f"{len(data.clients):,} clients"] + [f"{len(f):,} {n}" for n, f in (
        ("usage weeks", data.usage), ("activities", data.activities), ("people", data.people)) if f is not None]
    st.caption(", ".join(counts) + f"; records run to {ts.as_of():%Y-%m-%d}.")
    return data


def plan_picker() -> None:
    """An org: which plan the targets are for (the plan being edited, as on the designer)."""
    if not state.is_org():
        return
    ids = state.plan_ids()
    labels = {pid: org.plan_label(pid) for pid in ids}
    st.selectbox("Plan", ids, format_func=labels.__getitem__,
                 **ts.bind("tfd_plan_pick", (K_UI, "plan_id"), to_widget=lambda v: v if v in ids else state.plan_id(),
                           after=org.select_plan, options=ids))


def definition() -> tuple[dict[str, Any], str, str]:
    """Section 2: the definition explored, its period and breakdown; (spec, period, by)."""
    c = st.columns(3)
    kinds = list(LABELS)
    metric = c[0].selectbox("Metric", kinds, format_func=LABELS.get,
                            **ts.bind("tfd_metric", t("spec", "metric"), default="adoption_within", options=kinds))
    period = c[1].selectbox("Period", PERIODS, **ts.bind("tfd_period", t("period"), default="quarter", options=PERIODS))
    by = c[2].selectbox("Broken down by", BYS, **ts.bind("tfd_by", t("by"), default="team", options=BYS))
    spec: dict[str, Any] = {"metric": metric}
    o = st.columns(4)
    if metric == "adoption_within":
        spec["days"] = o[0].number_input("Within N days of go-live", 0, 730, step=15,
                                         **ts.bind("tfd_days", t("spec", "days"), default=90))
    if metric in ("adoption_within", "continued_adoption"):
        rule = o[1].selectbox("Adopted when a week has", ["seats", "users", "both"],
                              format_func={"seats": "a share of licensed seats active", "users": "K active users",
                                           "both": "both"}.get,
                              **ts.bind("tfd_rule", t("rule"), default="seats", options=["seats", "users", "both"]))
        if rule in ("seats", "both"):
            spec["min_seat_share"] = state.pct_out(o[2].number_input(
                "Min % of seats active", 1.0, 100.0, step=5.0, format="%.0f",
                **ts.bind("tfd_share", t("spec", "min_seat_share"), default=0.4, to_widget=state.pct_in,
                          from_widget=state.pct_out)) or 40)
        if rule in ("users", "both"):
            spec["min_active_users"] = o[3].number_input(
                "Min active users", 1, 10_000, **ts.bind("tfd_users", t("spec", "min_active_users"), default=5))
    if metric == "continued_adoption":
        spec["last_weeks"] = o[0].number_input("Average of the last N weeks", 1, 13,
                                               **ts.bind("tfd_weeks", t("spec", "last_weeks"), default=4))
    if metric == "on_time_go_live":
        spec["grace_days"] = o[0].number_input("Grace days after period end", 0, 90,
                                               **ts.bind("tfd_grace", t("spec", "grace_days"), default=0))
    if metric == "activities":
        spec["kind"] = o[0].selectbox("Kind", ACTIVITY_KINDS, format_func=lambda k: k.replace("_", " "),
                                      **ts.bind("tfd_kind", t("spec", "kind"), default="ebr", options=ACTIVITY_KINDS))
    st.caption(f"**Definition:** {md(describe_spec(spec))}.")
    return spec, period, by


def headline(data: Any, spec: dict[str, Any], year: pd.DataFrame, share: bool) -> None:
    """The last complete calendar year, company and by group."""
    with st.container(key="tfd_headline"):
        if year.empty:
            st.info("No complete calendar year in the records yet; see the history below.")
            return
        total = year.iloc[-1]
        unit = "people" if spec["metric"] == "activities" else "clients"
        st.markdown(f"#### {year['year'].iloc[0]}: {fmt(total['value'], share)} — {md(describe_spec(spec))}, "
                    f"{int(total['n']):,} {unit}")
        st.caption(f"{year['year'].iloc[0]} is the last complete calendar year; the records run to "
                   f"{ts.as_of():%Y-%m-%d}, and the history below includes the months since.")
        cols = st.columns(min(len(year), 6))
        for i, (_, row) in enumerate(year.iloc[:-1].head(len(cols)).iterrows()):
            cols[i].metric(md(row["group"]), fmt(row["value"], share), delta=f"{int(row['n']):,} {unit}",
                           delta_color="off", delta_arrow="off")


#: the history chart's y title in its cached template (a string no definition's name can be)
TITLE_SLOT = "\u0000metric title\u0000"


def history_section(history: pd.DataFrame, spec: dict[str, Any], period: str, by: str, share: bool,
                    target_line: float | None) -> None:
    """The history chart, its table and what the definition left out."""
    st.subheader(f"History by {period} and {by}")
    # a template per layout (groups, unit, title); a new definition or target swaps its rows only
    groups = ts.cached(["history_groups", ts.history_key(spec, period, by)],
                       lambda: charts.history_groups(history, by))
    title = describe_spec(spec).split(" (")[0]  # placed by the template, never wrapped: filled in per definition
    chart_cache.chart(charts.history_template, by, groups, share, TITLE_SLOT, key="tfd_history_chart",
                      cache_key=[by, groups, share], texts={TITLE_SLOT: title},
                      datasets=ts.cached(["history_rows", ts.history_key(spec, period, by), target_line],
                                         lambda: charts.history_datasets(history, by, target_line)))
    table, notes = ts.cached(["history_table", ts.history_key(spec, period, by), share],
                             lambda: _history_table(history, by, share))
    st.dataframe(table, width="stretch", key="tfd_history_table")
    st.caption(md(" ".join(notes)))


def mismatch(m: Any, spec: dict[str, Any], why: str) -> None:
    """The metric is measured by another definition: say so, offer to show it or to measure the metric by ``spec``."""
    own = metric_definition(m)
    with st.container(key="tfd_mismatch"):
        st.warning(md(why), icon=":material/block:")
        if own:
            st.button(f"Show the history of {md(short_name(own))}", key=f"tfd_show_{m.id}",
                      on_click=act.show_definition, args=(own,))
        new = renamed_for(m.name, spec)
        st.button(f"Measure it as {md(short_name(spec))}", key=f"tfd_measure_{m.id}", on_click=act.measure_as,
                  args=(m.id, spec), help="Stores the definition with the metric in every plan that has it.")
        st.caption((f"Measuring it this way renames it “{md(new)}”, so the plan says what it measures; "
                    if new != m.name else "Its name already says so; ")
                   + "its target stays until you set it from this history.")


def _history_table(history: pd.DataFrame, by: str, share: bool) -> tuple[pd.DataFrame, list[str]]:
    """The history as a period x group table of 'value (n=...)' cells, and the notes under it."""
    shown = history.assign(cell=[f"{fmt(v, share)} (n={int(n)})" if n else "no cohort"
                                 for v, n in zip(history["value"], history["n"], strict=True)])
    table = shown.pivot(index="period", columns=by, values="cell")
    table.insert(0, "complete", history.groupby("period")["complete"].all())
    notes = ["Hollow points: the period (or its window) has not ended yet; it is not used for targets or fits."]
    reasons = {c.removeprefix("excluded_").replace("_", " "): int(history[c].sum())
               for c in history.columns if c.startswith("excluded_") and history[c].sum()}
    if reasons:
        notes.append("Left out by the definition: " + ", ".join(f"{k} {v:,}" for k, v in reasons.items()) + ".")
    excluded = history.attrs.get("excluded") or {}
    if excluded:
        notes.append("Not placed in any period: "
                     + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in excluded.items()) + ".")
    return table, notes


def _backtest_tables(bt: Any, plan: Plan, fill: bool, is_share: Any) -> dict[str, Any]:
    """What the back-test section shows, worked out once per back-test (figures, chart data, the table)."""
    names = {m.id: m.name for m in plan.metrics}
    teams = bt.teams.assign(label=[fmt(v, True) for v in bt.teams["payout"]])
    out = pd.DataFrame({"Period": bt.teams["period"], "Team": bt.teams["team"]})
    for i in names:
        out[names[i]] = [fmt(v, is_share(i)) for v in bt.teams[f"value_{i}"]]
    out["Payout"] = teams["label"]
    out["Paid"] = [charts.money(v) if not math.isnan(v) else "missing" for v in bt.teams["money"]]
    def named(cells: pd.Series) -> list[str]:  # compcore lists metric ids: a person reads names
        return [", ".join(names.get(i, i) for i in str(c).split(", ") if i) for c in cells]

    out["Missing"] = named(bt.teams["missing"])
    if fill:
        out["Held at target"] = named(bt.teams["filled"])
    return {"average_cost": bt.average_cost, "average_payout": bt.average_payout, "table": out,
            "target_cost": bt.cost["target_cost"].iloc[-1], "missing": int(bt.cost["teams_missing"].sum()),
            "layout": charts.backtest_layout(teams), "cost_periods": tuple(sorted(bt.cost["period"].unique())),
            "datasets": charts.backtest_datasets(teams, bt.cost)}


def backtest(plan: Plan, mid: str) -> None:
    """Section 4: what the plan being edited would have paid over the history (its metrics by their definitions)."""
    ids, names = [m.id for m in plan.metrics], {m.id: m.name for m in plan.metrics}
    mapping = ts.measured_by(plan)

    def is_share(i: str) -> bool:
        return mapping[i]["metric"] != "activities" if i in mapping else plan.metric(i).target <= 1.0

    rows = [{"Plan metric": names[i], "Measured by": describe_spec(mapping[i]) if i in mapping
             else "no history: held at target", "Target": fmt(plan.metric(i).target, is_share(i))} for i in ids]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="tfd_mapping")
    b1, b2 = st.columns([1.2, 1.4])
    held = mid in (ts.tfd("held") or [])
    b1.button(f"Measure {md(names[mid])} by its definition" if held else f"Hold {md(names[mid])} at target",
              key=f"tfd_hold_{mid}", on_click=act.hold_at_target, args=(mid, not held),
              help="Held: the metric is at its target in every period of the back-test.")
    fill = b2.toggle("Hold missing values at target", help="Off: a team-period without a value is reported as "
                     "missing and not priced. On: the value is held at target and flagged.",
                     **ts.bind("tfd_fill", t("fill_missing"), default=False))
    try:
        key, bt = ts.tfd_backtest("target" if fill else "none")
    except PlanError as e:
        st.error(f"The back-test cannot run. {md(e)}", icon=":material/error:")
        return
    if bt.teams.empty:
        st.info("No plan metric is measured from the records: the back-test has nothing to pay on.")
        return
    shown = ts.cached(["backtest_tables", key, fill], lambda: _backtest_tables(bt, plan, fill, is_share))
    k = st.columns(4, border=True)
    avg_cost, avg_payout = shown["average_cost"], shown["average_payout"]
    k[0].metric(f"Average cost per {plan.period}", "n/a" if avg_cost is None else charts.money(avg_cost),
                help="Complete periods; teams with a missing value are not priced.")
    k[1].metric("On-target cost", charts.money(shown["target_cost"]), help="Whole roster, per period.")
    k[2].metric("Average payout", "n/a" if avg_payout is None else charts.pct(avg_payout),
                help="Cost over on-target cost of the teams priced, complete periods.")
    k[3].metric("Team-periods missing", f"{shown['missing']} of {len(bt.teams)}")
    st.caption("Why this can differ from the Cost simulation: the back-test pays the past periods' actual "
               "results through today's plan, while the Cost simulation draws each metric from the assumptions "
               "on its page. If the simulation expects a much higher payout than this, its assumptions are more "
               "optimistic than the history: fit them to the history with “Use as the assumption” above.")
    # templates per layout (teams, periods); another plan or definition swaps their rows only
    order, periods = shown["layout"]
    chart_cache.chart(charts.backtest_cost_spec, order, shown["cost_periods"], key="tfd_cost_chart",
                      cache_key=[order, shown["cost_periods"]], datasets=shown["datasets"])
    st.caption("Bars: what each team would have been paid; orange tick: on-target cost of the whole roster.")
    chart_cache.chart(charts.backtest_payout_spec, order, periods, key="tfd_payout_chart",
                      cache_key=[order, periods], datasets=shown["datasets"])
    for note in bt.notes:
        st.caption(md(note))
    st.dataframe(shown["table"], hide_index=True, width="stretch", key="tfd_backtest_table")
