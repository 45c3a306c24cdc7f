"""The plan year in the app: roster dates, the year's start, the cached year's draws and its pricing.

Pages call these for widgets' kwargs and for what to draw; every session key lives in ui.session.
The year's draws are cached apart from the plans, like a period's (:mod:`ui.simulation_state`): they
depend on the assumptions (persistence included), correlations, roster (dates included), the year's
start, trials and seed. Each plan's priced year is cached on its own, so a plan edit re-prices only
the plan edited (:func:`compcore.simulation.year.price_plan_year`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd

from compcore.errors import PlanError
from compcore.plan.schema import dump_plan
from compcore.simulation.calendar import proration_table
from compcore.simulation.limits import draw_bytes, trials_within
from compcore.simulation.scenario import Scenario, dump_scenario
from compcore.simulation.year import PlanYear, YearResult, price_plan_year, year_of_plans
from compcore.simulation.year_draws import YearDraws, draw_year, year_spec
from ui.charts.cache import for_scenario, memo, scenario_key
from ui.lru import shared_caches
from ui.session import K_SCENARIO, K_UI
from ui.state import bind, draft, set_ui, ui, valid
from ui.tables import plain_cells

#: most memory the draws of one session's year may take (as a period's: DESIGN.md "Limits")
MAX_SESSION_DRAW_BYTES = 256 * 2**20

__all__ = ["HORIZONS", "annual_budget_binding", "date_cell", "date_text", "horizon", "horizon_binding",
           "proration", "proration_cells", "year_key", "year_simulation", "year_start_binding"]


def date_cell(value: Any) -> date | None:
    """A roster date as the data editor shows it (a date), None when blank or not a date (the text is kept
    by :func:`date_text` until it is fixed)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_text(value: Any) -> str | None:
    """A date from the data editor (a date, or the ISO text it sends) as the scenario's ``YYYY-MM-DD``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text[:10] if date_cell(text) is not None else text


def _year_start_in(value: Any) -> date | None:
    return date_cell(value)


def _year_start_out(value: Any) -> str | None:
    return date_text(value)


def year_start_binding() -> dict[str, Any]:
    """Kwargs for the "Year starts" date input (the scenario's ``year_start``; empty = none)."""
    return bind("year_start", (K_SCENARIO, "year_start"), to_widget=_year_start_in, from_widget=_year_start_out)


def proration() -> pd.DataFrame:
    """The roster rows that join or leave during the year, with the share of each period they are paid for
    (as the Cost page shows them: names of the columns in words, shares as %)."""
    df = proration_table(valid())
    shown = df.rename(columns={"team": "Team", "role": "Role", "headcount": "People", "start": "Joins on",
                               "end": "Leaves after", "year": "Share of the year"})
    for c in shown.columns[5:]:
        shown[c] = [f"{x:.0%}" for x in shown[c]]
    return shown


def proration_cells() -> pd.DataFrame:
    """:func:`proration` as plain-text cells (:func:`ui.tables.plain_cells`), worked out once per roster, year
    start and period (a budget or plan edit does not redo it). Read-only."""
    scn = valid()
    key = [[r.model_dump(mode="json") for r in scn.roster], str(scn.year_start), scn.period]
    return memo("proration", key, lambda: plain_cells(proration()))


def draws_inputs(scn: Scenario) -> dict[str, Any]:
    """What a year's draws depend on besides trials and seed (never the plans)."""
    data = dump_scenario(scn)
    reads = {mid: cols.tolist() for mid, cols in year_spec(scn).cols.items()}  # persistent draws only where read
    return {"assumptions": data["assumptions"], "correlations": data.get("correlations", []),
            "roster": data["roster"], "scopes": {mid: m.scope for mid, m in scn.metrics.items()},
            "period": scn.period, "year_start": data.get("year_start"), "reads": reads}


def plan_key(scn: Scenario, pid: str) -> str:
    return json.dumps(dump_plan(scn.plans[pid]), sort_keys=True)


def has_dates() -> bool:
    """True when a roster row of the draft has a start or end date."""
    return any(isinstance(r, dict) and (r.get("start") or r.get("end")) for r in draft().get("roster") or [])



# ---------------------------------------------------------------- the year on the Cost page

#: the Cost page's two views: one period (each trial a quarter) or the plan year
HORIZONS = ("period", "year")


def horizon() -> str:
    """The Cost page's view: ``"period"`` or ``"year"`` (anything else reads as the period)."""
    value = ui("horizon")
    return value if value in HORIZONS else "period"


def horizon_binding() -> dict[str, Any]:
    """Kwargs for the Cost page's "Quarter | Year" switch (stored by id, never by label)."""
    return bind("cost_horizon", (K_UI, "horizon"), default="period",
                to_widget=lambda v: v if v in HORIZONS else "period")


def horizon_label(h: str, period: str) -> str:
    """"Quarter" / "Year" (an annual plan: "Year" / "Year, with its year end", never two alike)."""
    if h == "year":
        return "Year, with its year end" if period == "year" else "Year"
    return period.capitalize()


def annual_budget_binding() -> dict[str, Any]:
    """Kwargs for the annual budget input (empty: the period budget x periods per year)."""
    return bind("annual_budget", (K_SCENARIO, "annual_budget"))


# (id of a valid scenario, trials, seed) -> (the scenario, its year draws key): a rerun asks for the key three
# times and a scenario object is never changed in place (an edit makes a new one), so it is worked out once
_DRAWS_KEYS: dict[tuple[int, int, int], tuple[Scenario, str]] = {}


def year_draws_key(scn: Scenario, trials: int, seed: int) -> str:
    memo = _DRAWS_KEYS.get((id(scn), trials, seed))
    if memo is not None and memo[0] is scn:  # the entry holds the scenario, so its id is not reused meanwhile
        return memo[1]
    key = json.dumps({"year": draws_inputs(scn), "trials": trials, "seed": seed}, sort_keys=True)
    if len(_DRAWS_KEYS) >= 64:
        _DRAWS_KEYS.clear()
    _DRAWS_KEYS[(id(scn), trials, seed)] = (scn, key)
    return key


def year_memory_message(scn: Scenario, trials: int) -> str | None:
    """What to say when a year of ``trials`` would keep more draws than a session may (None when it fits)."""
    need = draw_bytes(scn, trials) * scn.periods_per_year
    if need <= MAX_SESSION_DRAW_BYTES:
        return None
    fit = trials_within(scn, MAX_SESSION_DRAW_BYTES // scn.periods_per_year)
    return (f"{trials:,} simulated years of this scenario ({scn.headcount:,} people, {scn.periods_per_year} "
            f"{scn.period}s each) would keep {need / 2**20:,.0f} MiB of draws; this app keeps at most "
            f"{MAX_SESSION_DRAW_BYTES // 2**20} MiB per session. Run {max(fit // 100 * 100, 1):,} trials instead, "
            "or the command line (python -m compcore simulate --year) for more.")


def fewer_year_trials(scn: Scenario) -> int:
    return max(trials_within(scn, MAX_SESSION_DRAW_BYTES // scn.periods_per_year) // 100 * 100, 1)


def use_fewer_year_trials() -> None:
    """Button callback: the most trials whose years fit the session's memory bound."""
    set_ui("trials", fewer_year_trials(valid()))


def is_year_drawn(scn: Scenario, trials: int, seed: int) -> bool:
    return shared_caches()["draws"].get(year_draws_key(scn, trials, seed)) is not None


def _year_draws(scn: Scenario, trials: int, seed: int, progress: Callable[[float], None] | None) -> YearDraws:
    message = year_memory_message(scn, trials)
    if message is not None:
        raise PlanError(f"trials: {message}", problems=[("trials", message)])
    return shared_caches()["draws"].get_or_make(year_draws_key(scn, trials, seed),
                                                lambda: draw_year(scn, trials=trials, seed=seed, progress=progress))


def _without_budgets(scn: Scenario) -> str:
    data = dump_scenario(scn)
    data.pop("budget", None)
    data.pop("annual_budget", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def year_key(budgets: bool = True) -> str:
    """What the valid scenario's year depends on: the whole scenario (plans, roster, budgets, names), trials and
    seed; ``budgets=False``: all that but the budgets. Keys the year's result and the Year view's tables (a cheap
    string, worked out once per scenario object)."""
    scenario = scenario_key() if budgets else for_scenario(["year without budgets"], _without_budgets)
    return json.dumps(["year", scenario, int(ui("trials")), int(ui("seed"))])


def year_simulation(progress: Callable[[float], None] | None = None) -> YearResult:
    """The valid scenario's year: cached year draws, each plan's year priced once per version of that plan, the
    year put together once per :func:`year_key` (its tables, e.g. fairness, are then worked out once too). A
    budget edit only swaps the year's budget (the costs do not depend on it)."""
    priced = shared_caches()["priced"]
    whole = priced.get(year_key())
    if whole is not None:
        return whole
    same = priced.get(year_key(budgets=False))
    if same is not None:
        whole = dataclasses.replace(same, budget=valid().year_budget)
    else:
        whole = _year_simulation(progress)
        priced.put(year_key(budgets=False), whole)
    priced.put(year_key(), whole)
    return whole


def _year_simulation(progress: Callable[[float], None] | None) -> YearResult:
    scn = valid()
    trials, seed = int(ui("trials")), int(ui("seed"))
    draws = _year_draws(scn, trials, seed, progress)
    base = year_draws_key(scn, trials, seed)
    parts: dict[str, PlanYear] = {}
    for pid in scn.plans:
        key = base + "|year-plan|" + pid + plan_key(scn, pid)
        hit = shared_caches()["priced"].get(key)
        if hit is None:
            hit = price_plan_year(scn, draws, pid)
            shared_caches()["priced"].put(key, hit)
        parts[pid] = hit
    return year_of_plans(scn, draws, parts)
