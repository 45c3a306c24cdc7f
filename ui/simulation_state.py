"""The Monte Carlo side of the app: cached draws, the priced simulation, the Cost simulation page's inputs.

Metric draws are cached on (assumptions, correlations, roster, metric scopes,
trials, seed) only, so a plan edit re-prices the cached draws instead of
drawing again. The inputs here are the distribution and parameter widgets, the
roster and correlations data editors and the roster CSV upload / download.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from compcore.errors import PlanError
from compcore.plan.schema import dump_plan
from compcore.report.fairness import fairness_flags as flags_of
from compcore.report.fairness import team_breakdown as breakdown
from compcore.report.fairness import team_chances as chances_of
from compcore.simulation.draws import draw_metrics
from compcore.simulation.limits import draw_bytes, trials_within
from compcore.simulation.roster import roster_from_csv, roster_to_csv, typical_salary
from compcore.simulation.scenario import Scenario, dump_scenario
from compcore.simulation.sensitivity import sensitivity as rank
from compcore.simulation.simulate import price
from ui.lru import shared_caches
from ui.session import K_SCENARIO
from ui.state import (
    TRIAL_CHOICES,
    bind_editor,
    bump_editor,
    draft,
    is_org,
    pct_in,
    pct_out,
    plan_id,
    revalidate,
    set_notice,
    set_ui,
    ui,
    valid,
)
from ui.year_state import date_cell, date_text

#: most memory the metric draws of one session may take (DESIGN.md "Limits"); beyond it, fewer trials are offered
MAX_SESSION_DRAW_BYTES = 256 * 2**20

# ---------------------------------------------------------------- draws and the priced simulation


def draws_key(scn: Scenario, trials: int, seed: int) -> str:
    """What the draws depend on: assumptions, correlations, roster, metric scopes, trials, seed (not the plan)."""
    data = dump_scenario(scn)
    return json.dumps({"assumptions": data["assumptions"], "correlations": data.get("correlations", []),
                       "roster": data["roster"], "scopes": {mid: m.scope for mid, m in scn.metrics.items()},
                       "trials": trials, "seed": seed}, sort_keys=True)


def fewer_trials(scn: Scenario, trials: int) -> int | None:
    """None when ``trials`` of this scenario fit the session's memory bound, else the most trials that do."""
    if draw_bytes(scn, trials) <= MAX_SESSION_DRAW_BYTES:
        return None
    fit = trials_within(scn, MAX_SESSION_DRAW_BYTES)
    return next((c for c in sorted(TRIAL_CHOICES, reverse=True) if c <= fit), fit // 100 * 100 or fit)


def memory_message(scn: Scenario, trials: int) -> str | None:
    """What to tell the user when ``trials`` of this scenario would not fit in memory (None when they do)."""
    fit = fewer_trials(scn, trials)
    if fit is None:
        return None
    need = draw_bytes(scn, trials) / 2**20
    if fit == 0:
        return (f"This scenario ({scn.headcount:,} people) is too large to simulate here: even one trial needs more "
                f"than {MAX_SESSION_DRAW_BYTES // 2**20} MiB. Use the command line (python -m compcore simulate).")
    return (f"{trials:,} trials of this scenario ({scn.headcount:,} people) would keep {need:,.0f} MiB of draws in "
            f"memory; this app keeps at most {MAX_SESSION_DRAW_BYTES // 2**20} MiB per session. "
            f"Run {fit:,} trials instead, or the command line for more.")


def use_fewer_trials() -> None:
    """Button callback: the most trials of the current scenario that fit the memory bound."""
    fit = fewer_trials(valid(), int(ui("trials")))
    if fit:
        set_ui("trials", fit)


def cached_draws(scn: Scenario, trials: int, seed: int, progress: Callable[[float], None] | None = None) -> Any:
    """Metric draws for the scenario, from the cache when its draw inputs are unchanged.

    Raises PlanError (with the fewer trials to use) beyond the session's memory bound.
    """
    message = memory_message(scn, trials)
    if message is not None:
        raise PlanError(f"trials: {message}", problems=[("trials", message)])
    return shared_caches()["draws"].get_or_make(draws_key(scn, trials, seed),
                                                lambda: draw_metrics(scn, trials=trials, seed=seed, progress=progress))


def is_drawn(scn: Scenario, trials: int, seed: int) -> bool:
    return shared_caches()["draws"].get(draws_key(scn, trials, seed)) is not None


_KEYS: dict[tuple[int, int, int], tuple[Scenario, str]] = {}  # (id(scenario), trials, seed) -> (scenario, key)


def _priced_key(scn: Scenario, trials: int, seed: int) -> str:
    # the budget only changes P(over budget), computed from the cost array without re-pricing. A rerun asks
    # for this key many times (simulation, sensitivity, chart keys): it is worked out once per valid scenario
    # object (scenarios are replaced, never changed in place; the object kept beside its key pins its id)
    memo = _KEYS.get((id(scn), trials, seed))
    if memo is not None and memo[0] is scn:
        return memo[1]
    plans = {pid: dump_plan(p) for pid, p in scn.plans.items()}
    key = draws_key(scn, trials, seed) + json.dumps(plans, sort_keys=True)
    if len(_KEYS) >= 64:
        _KEYS.clear()
    _KEYS[(id(scn), trials, seed)] = (scn, key)
    return key


def simulation(progress: Callable[[float], None] | None = None) -> Any:
    """The priced simulation of the valid scenario: cached draws re-priced with the current plans."""
    scn = valid()
    trials, seed = int(ui("trials")), int(ui("seed"))
    key = _priced_key(scn, trials, seed)
    hit = shared_caches()["priced"].get(key)
    if hit is None:
        draws = cached_draws(scn, trials, seed, progress)
        hit = price(scn.plans, draws, scn.roster, None)  # every plan over its own people
        shared_caches()["priced"].put(key, hit)
    if scn.budget is None:
        return hit
    return dataclasses.replace(hit, budget=scn.budget, p_over_budget=float(np.mean(hit.cost > scn.budget)))


SENSITIVITY_TRIALS = 2_000


def sensitivity() -> Any:
    """Sensitivity ranking of the current simulation (first 2,000 trials re-priced; cached)."""
    scn = valid()
    trials, seed = int(ui("trials")), int(ui("seed"))
    key = "sens" + _priced_key(scn, trials, seed)
    hit = shared_caches()["priced"].get(key)
    if hit is None:
        hit = rank(scn.plans, cached_draws(scn, trials, seed), scn.roster, max_trials=SENSITIVITY_TRIALS)
        shared_caches()["priced"].put(key, hit)
    return hit


def _of_simulation(name: str, compute: Callable[[Any], Any]) -> Any:
    """``compute(simulation())`` cached with the priced simulation (a rerun that did not re-price, e.g. a
    budget typed, reads it instead of regrouping the fairness table: tens of ms on the org)."""
    return shared_caches()["priced"].get_or_make(name + sim_key(), lambda: compute(simulation()))


def fairness_flags() -> list[str]:
    """Plain sentences for teams whose chance of reaching target is far from the others' (compcore)."""
    period = valid().period
    return _of_simulation("flags" + period, lambda sim: flags_of(sim.fairness, period))


def team_chances() -> Any:
    """Per team: people, chance of reaching target, of earning nothing, expected payout."""
    return _of_simulation("chances", lambda sim: chances_of(sim.fairness))


def team_breakdown(team: str) -> Any:
    """Which metric holds ``team`` back (per component of its plans), from the cached draws; cached."""
    scn = valid()
    trials, seed = int(ui("trials")), int(ui("seed"))
    key = "team" + team + _priced_key(scn, trials, seed)
    hit = shared_caches()["priced"].get(key)
    if hit is None:
        hit = breakdown(scn, cached_draws(scn, trials, seed), team)
        shared_caches()["priced"].put(key, hit)
    return hit


def sim_key() -> str:
    """What the current simulation's numbers depend on (draw inputs + plan), for chart caching."""
    return _priced_key(valid(), int(ui("trials")), int(ui("seed")))


# ---------------------------------------------------------------- cost page inputs


#: the roster editor's columns, left to right: the Plan column comes third, so it is on screen at 1400 px
ROSTER_COLUMNS = ["team", "role", "plan", "headcount", "base_salary", "incentive_amount", "incentive_pct", "start",
                  "end"]


def plan_labels(plans: dict[str, Any]) -> dict[str, str]:
    """Each plan id -> the name the roster's Plan column shows (the roster stores the id).

    A name two plans share, or an empty one, gets its id: "Bonus (pmo)". Every label is unique.

    >>> plan_labels({"pmo": {"name": "Bonus"}, "cs": {"name": "Bonus"}, "ops": {"name": "Ops"}, "x": {}})
    {'pmo': 'Bonus (pmo)', 'cs': 'Bonus (cs)', 'ops': 'Ops', 'x': 'x'}
    """
    names = {pid: str((p or {}).get("name") or "").strip() or pid for pid, p in plans.items()}
    shared = {n for n in names.values() if list(names.values()).count(n) > 1}
    out: dict[str, str] = {}
    for pid, name in names.items():
        label = f"{name} ({pid})" if name in shared else name
        out[pid] = label if label not in out.values() else f"{label} ({pid})"
    return out


def roster_rows(roster: Any, labels: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The roster as the editor's rows: incentives split into amount / % of base, an org's plan by its name."""
    rows = []
    for r in roster or []:
        ti = r.get("target_incentive") or {}
        row = {"team": r.get("team"), "role": r.get("role"), "headcount": r.get("headcount"),
               "base_salary": r.get("base_salary"), "incentive_amount": ti.get("amount"),
               "incentive_pct": pct_in(ti.get("percent_of_base"))}
        if labels is not None:
            row["plan"] = labels.get(r.get("plan"), r.get("plan"))
        row["start"], row["end"] = date_cell(r.get("start")), date_cell(r.get("end"))  # joins / leaves in the year
        rows.append(row)
    return rows


def roster_from_rows(rows: list[dict[str, Any]], labels: dict[str, str] | None = None,
                     default_plan: str | None = None) -> list[dict[str, Any]]:
    """The editor's rows back as roster rows: a plan name back to its id, a row without a plan on ``default_plan``.

    A plan name no plan has is kept as typed, so that validation names it.
    """
    ids = {label: pid for pid, label in (labels or {}).items()}
    out = []
    for r in rows:
        row = {k: r.get(k) for k in ("team", "role", "headcount", "base_salary")}
        if labels is not None:
            plan = r.get("plan")
            row["plan"] = ids.get(plan, plan) if plan not in (None, "") else default_plan
        row = {k: v for k, v in row.items() if v is not None}
        if r.get("incentive_amount") is not None:
            row["target_incentive"] = {"amount": r["incentive_amount"]}
        elif r.get("incentive_pct") is not None:
            row["target_incentive"] = {"percent_of_base": pct_out(r["incentive_pct"])}
        for col in ("start", "end"):
            if date_text(r.get(col)) is not None:
                row[col] = date_text(r.get(col))
        out.append(row)
    return out


def roster_frame(rows: list[dict[str, Any]], org: bool) -> pd.DataFrame:
    """The editor's rows as a table with every column, even for an empty roster (numbers as numbers)."""
    cols = [c for c in ROSTER_COLUMNS if org or c != "plan"]
    frame = pd.DataFrame(rows, columns=cols)
    for c in ("headcount", "base_salary", "incentive_amount", "incentive_pct"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce")
    return frame


def _roster_labels() -> dict[str, str] | None:
    return plan_labels(draft()["plans"]) if is_org() else None


def _default_plan() -> str | None:
    """The plan a new roster row goes on: the plan being edited."""
    return plan_id() if is_org() else None


def _rows_of(roster: Any) -> list[dict[str, Any]]:
    return roster_rows(roster, _roster_labels())


def _from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return roster_from_rows(rows, _roster_labels(), _default_plan())


def bind_roster(name: str = "roster") -> tuple[pd.DataFrame, dict[str, Any]]:
    """Rows and kwargs for a roster data editor (``name``: one per page, they edit the same roster)."""
    rows, kw = bind_editor(name, (K_SCENARIO, "roster"), _rows_of, _from_rows)
    frame = roster_frame(rows, is_org())
    # an empty cell is shown empty (Streamlit writes "None" in it otherwise)
    return frame, {**kw, "column_order": list(frame.columns), "placeholder": ""}


def roster_columns() -> dict[str, Any]:
    """Column settings of a roster data editor; an org's roster has a Plan column (plan names; ids stored).

    A new row starts on the plan being edited with one person at the roster's typical salary, so it is
    valid once team and role are typed.
    """
    config: dict[str, Any] = {
        "team": st.column_config.TextColumn("Team", required=True),
        "role": st.column_config.TextColumn("Role", required=True),
        "headcount": st.column_config.NumberColumn("People", min_value=0, step=1, required=True, default=1,
                                                   width="small", help="Headcount of this group"),
        "base_salary": st.column_config.NumberColumn("Base salary", min_value=0, step=1000, format="%,.0f",
                                                     default=typical_salary(valid().roster)),
        "incentive_amount": st.column_config.NumberColumn(
            "Incentive a year", min_value=0, format="%,.0f", width="small",
            help="An amount a year for this group instead of the plan's target incentive"),
        "incentive_pct": st.column_config.NumberColumn(
            "Incentive %", min_value=0, format="%.4g", width="small",
            help="A % of base salary for this group instead of the plan's target incentive"),
    }
    labels = _roster_labels()
    if labels is not None:
        config["plan"] = st.column_config.SelectboxColumn("Plan", options=list(labels.values()), required=True,
                                                          default=labels.get(plan_id()))
    config["start"] = st.column_config.DateColumn("Joins on", format="YYYY-MM-DD",
                                                  help="For a plan year: the first day of a hire (empty: all year)")
    config["end"] = st.column_config.DateColumn("Leaves after", format="YYYY-MM-DD",
                                                help="For a plan year: the last day worked (empty: all year)")
    return config


def metric_labels() -> dict[str, str]:
    """Each metric id of the valid scenario -> the name the correlations editor shows (unique; ids stored)."""
    return plan_labels({mid: {"name": m.name} for mid, m in valid().metrics.items()})


def correlation_rows(corrs: Any, labels: dict[str, str]) -> list[dict[str, Any]]:
    """The correlations as the editor's rows, each metric by its name."""
    rows = []
    for c in corrs or []:
        pair = c.get("between") if isinstance(c, dict) else None
        a, b = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, None)
        rows.append({"metric_a": labels.get(a, a), "metric_b": labels.get(b, b),
                     "rho": c.get("rho") if isinstance(c, dict) else None})
    return rows


def correlations_from_rows(rows: list[dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    """The editor's rows back as correlations of metric ids (a name no metric has is kept for validation)."""
    ids = {label: mid for mid, label in labels.items()}
    return [{"between": [ids.get(r.get("metric_a"), r.get("metric_a")), ids.get(r.get("metric_b"), r.get("metric_b"))],
             "rho": r.get("rho")} for r in rows]


def bind_correlations() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Rows and kwargs for the correlations data editor (metrics shown by name, stored by id)."""
    rows, kw = bind_editor("correlations", (K_SCENARIO, "correlations"),
                           lambda v: correlation_rows(v, metric_labels()),
                           lambda r: correlations_from_rows(r, metric_labels()))
    return rows, {**kw, "placeholder": ""}


def correlation_columns() -> dict[str, Any]:
    """Column settings of the correlations editor: metrics picked by name."""
    names = list(metric_labels().values())
    return {
        "metric_a": st.column_config.SelectboxColumn("Metric", options=names, required=True),
        "metric_b": st.column_config.SelectboxColumn("with metric", options=names, required=True),
        "rho": st.column_config.NumberColumn("Correlation (rho)", min_value=-1.0, max_value=1.0, step=0.05,
                                             required=True),
    }


def _on_roster_upload(key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    try:
        text = upload.getvalue().decode("utf-8-sig")
        rows = roster_from_csv(text if "\n" in text else text + "\n")
    except UnicodeDecodeError:
        set_notice("The roster file is not UTF-8 text; save it as CSV (UTF-8) and try again.")
        return
    except PlanError as e:
        set_notice(f"The roster file was not loaded: {e}")
        return
    draft()["roster"] = [r.model_dump(mode="json", exclude_none=True) for r in rows]
    bump_editor("roster")
    revalidate()


def roster_upload_binding() -> dict[str, Any]:
    return {"key": "roster_upload", "on_change": _on_roster_upload, "args": ("roster_upload",)}


def roster_csv() -> str:
    """The valid roster as CSV text (formula injection neutralised by compcore)."""
    return roster_to_csv(valid().roster)

