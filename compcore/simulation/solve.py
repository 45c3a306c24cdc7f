"""Solve for a budget: the value of one plan number that meets a cost goal.

``solve(scn, knob, goal)`` draws the metrics once and re-prices the same draws
for every candidate value (common random numbers): the answer is deterministic
and each candidate costs one re-pricing, not a new simulation. A metric target
is a knob too: the draws are metric values, the target only changes the
attainment computed from them, so re-pricing stays valid.

Every knob moves each trial's cost one way (more incentive costs more; a higher
threshold or target costs less), so the goal's measure is monotone in the knob
and a bracketing root finder (Brent's method: interpolation steps with a
bisection fallback) finds the answer. ``p_over_budget`` is a step function of the
knob (it counts trials), so solve works on the continuous cost that decides it:
P(cost > budget) <= g exactly when the (m+1)-th largest cost is <= budget, with
m the most trials that may go over (g x trials); the answer is the last value
before that cost crosses the budget, to within ``X_TOLERANCE`` of the range.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from compcore.errors import PlanError
from compcore.report.format import money, pct
from compcore.simulation.draws import MetricDraws, draw_metrics
from compcore.simulation.knobs import Knob, set_value
from compcore.simulation.knobs import knob as knob_info
from compcore.simulation.org import plan_rows
from compcore.simulation.pricing import cost_chunk, org_cost_chunk, plan_contexts, price_context
from compcore.simulation.scenario import Scenario, dump_scenario, load_scenario
from compcore.simulation.simulate import SimulationResult, price_scenario
from compcore.simulation.year import YearResult, price_year
from compcore.simulation.year_draws import YearDraws, draw_year

__all__ = ["COST_TOLERANCE", "HORIZONS", "X_TOLERANCE", "Goal", "Solution", "measure_at", "parse_goal", "solve"]

#: expected_cost / quantile goals are met within this share of the goal's cost (DESIGN.md: 0.1%)
COST_TOLERANCE = 1e-3
#: the p_over_budget boundary is located to this share of the searched range
X_TOLERANCE = 1e-7  # 1e-7 of 0..100% is 0.00001 points: finer than anyone types, 7 halvings fewer than 1e-9
#: expected_cost / quantile: a bracket this narrow (share of the range) that still misses is a jump
COST_X_TOLERANCE = 1e-6
#: a safety margin: solve aims at half the cost tolerance, so the reported figure is inside it
_AIM = 0.5
_MAX_STEPS = 200
#: an exact 0 of the p_over_budget function is met: it stands in as this much below 0 (money)
_MET = 1e-9


#: what solve prices against: one period (``simulate``) or the plan year (``simulate_year``)
HORIZONS = ("period", "year")


def _price(scn: Scenario, draws: MetricDraws | YearDraws) -> SimulationResult | YearResult:
    """The full pricing of a whole scenario (every plan of an org) against cached draws: the given scenario
    and the answer (a year's draws price the year)."""
    if isinstance(draws, YearDraws):
        return price_year(scn, draws)
    return price_scenario(scn, draws)


def _costs(scn: Scenario, draws: MetricDraws | YearDraws) -> np.ndarray:
    """Only the cost of each trial (what the search compares), 20-50% cheaper than :func:`_price` and bit for
    bit its ``cost`` (both sum the same per-block products; tested)."""
    if isinstance(draws, YearDraws):
        return price_year(scn, draws).cost
    ctxs = plan_contexts(scn.plans, list(scn.roster), draws.team_index, len(draws.teams))
    return np.concatenate([org_cost_chunk(ctxs, values) for _, values in draws.chunks()])


class _OtherPlans:
    """An org knob moves one plan's cost: the other plans' costs per chunk, priced once.

    :meth:`costs` adds them in :func:`org_cost_chunk`'s order, so its answer is bit for bit
    :func:`_costs`' (tested) at about one plan's price instead of the whole org's.
    """

    def __init__(self, scn: Scenario, plan: str, draws: MetricDraws) -> None:
        self.plan, self.draws = plan, draws
        ctxs = plan_contexts(scn.plans, list(scn.roster), draws.team_index, len(draws.teams))
        self.order = [pid for pid, ctx in ctxs.items() if ctx is not None]
        self.fixed = [{pid: cost_chunk(ctx, values) for pid, ctx in ctxs.items() if ctx is not None and pid != plan}
                      for _, values in draws.chunks()]

    @staticmethod
    def applies(scn: Scenario, k: Knob, draws: MetricDraws | YearDraws) -> bool:
        """A period's draws and a knob of one plan of an org (the scale knob moves every plan)."""
        return isinstance(draws, MetricDraws) and len(scn.plans) > 1 and k.plan in scn.plans

    def costs(self, scn: Scenario) -> np.ndarray:
        """The cost of each trial of ``scn`` (``self``'s scenario with only the knob's plan changed)."""
        roster = list(scn.roster)
        rows = plan_rows(scn.plans, roster)[self.plan]
        ctx = (price_context(scn.plans[self.plan], roster, self.draws.team_index, rows=rows,
                             n_teams=len(self.draws.teams))
               if sum(roster[i].headcount for i in rows) > 0 else None)
        out = []
        for fixed, (_, values) in zip(self.fixed, self.draws.chunks(), strict=True):
            total = np.zeros(len(next(iter(values.values()))))
            for pid in self.order:
                if pid != self.plan:
                    total = total + fixed[pid]
                elif ctx is not None:
                    total = total + cost_chunk(ctx, values)
            out.append(total)
        return np.concatenate(out)


@dataclass(frozen=True)
class Goal:
    """A cost goal: ``kind`` is ``"p_over_budget"`` (``target`` = the most P(cost > budget) may be),
    ``"expected_cost"`` (``target`` = the cost) or ``"quantile"`` (``target`` = the cost of quantile ``q``)."""

    kind: str
    target: float
    q: float | None = None

    @property
    def measure_name(self) -> str:
        """``"P(over budget)"``, ``"the expected cost"``, ``"the P90 cost"``."""
        if self.kind == "p_over_budget":
            return "P(over budget)"
        if self.kind == "expected_cost":
            return "the expected cost"
        return f"the P{100 * self.q:.4g} cost"  # type: ignore[operator]

    def describe(self, currency: str = "") -> str:
        """The goal in words, e.g. ``"P(over budget) at most 10%"``, ``"the P90 cost equals 140,000"``
        (``"$140,000"`` with ``currency="$"``)."""
        if self.kind == "p_over_budget":
            return f"P(over budget) at most {pct(self.target)}"
        return f"{self.measure_name} equals {money(self.target, currency)}"

    def show(self, measure: float, currency: str = "") -> str:
        """A value of the goal's measure in its unit (a % or money)."""
        return pct(measure) if self.kind == "p_over_budget" else money(measure, currency)

    def measure(self, sim: SimulationResult | YearResult) -> float:
        """The goal's measure of a simulation."""
        if self.kind == "p_over_budget":
            return float(sim.p_over_budget)  # type: ignore[arg-type]
        if self.kind == "expected_cost":
            return float(sim.expected)
        return float(sim.quantile(self.q))

    def measure_costs(self, cost: np.ndarray, budget: float | None) -> float:
        """The goal's measure of the costs of each trial (as :meth:`measure` reads it from a simulation)."""
        if self.kind == "p_over_budget":
            return float(np.mean(cost > budget))
        if self.kind == "expected_cost":
            return float(cost.mean())
        return float(np.quantile(cost, self.q))


def _number(v: Any, path: str, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or not lo <= v <= hi:
        raise PlanError(f"{path}: must be a number from {lo:g} to {hi:g}, got {v!r}",
                        problems=[(path, f"must be a number from {lo:g} to {hi:g}")])
    return float(v)


def parse_goal(goal: Mapping[str, Any] | Goal, budget: float | None = None, horizon: str = "period") -> Goal:
    """Check a goal: ``{"p_over_budget": 0.1}`` (needs ``budget``), ``{"expected_cost": 120000}`` or
    ``{"quantile": 0.9, "cost": 140000}``.

    >>> parse_goal({"quantile": 0.9, "cost": 140000}).describe()
    'the P90 cost equals 140,000'
    """
    if isinstance(goal, Goal):
        return goal
    forms = '{"p_over_budget": 0.1}, {"expected_cost": 120000} or {"quantile": 0.9, "cost": 140000}'
    keys = set(goal) if isinstance(goal, Mapping) else set()
    if keys == {"p_over_budget"}:
        if budget is None:
            which = ("budget (money per period)" if horizon == "period"
                     else "annual_budget (money per year) or budget (money per period)")
            raise PlanError(f"goal.p_over_budget: needs a budget; set the scenario's {which} first",
                            problems=[("goal.p_over_budget", "needs a budget")])
        p = _number(goal["p_over_budget"], "goal.p_over_budget", 0.0, 1.0)
        if p >= 1.0:
            raise PlanError("goal.p_over_budget: must be below 1 (100%): any plan meets a 100% chance",
                            problems=[("goal.p_over_budget", "must be below 1")])
        return Goal("p_over_budget", p)
    if keys == {"expected_cost"}:
        return Goal("expected_cost", _number(goal["expected_cost"], "goal.expected_cost", 0.0, 1e15))
    if keys == {"quantile", "cost"}:
        return Goal("quantile", _number(goal["cost"], "goal.cost", 0.0, 1e15),
                    _number(goal["quantile"], "goal.quantile", 0.0, 1.0))
    raise PlanError(f"goal: must be one of {forms}, got {goal!r}", problems=[("goal", f"must be one of {forms}")])


@dataclass(frozen=True, eq=False)
class Solution:
    """The answer of :func:`solve`.

    Attributes
    ----------
    value : the knob's solved value
    scenario : the scenario with the knob set to ``value``
    sim : its simulation (same trials and seed, hence the same draws)
    achieved : the goal's measure at ``value`` (``goal.measure(sim)``)
    knob, goal : what was solved
    base : the simulation of the scenario as given; ``before`` its measure
    lo, hi : the range searched
    past : for ``p_over_budget``, the nearest value tried beyond the boundary (it misses the goal);
        None when the whole range meets it
    evaluations : how many times the draws were priced (the given scenario and the answer included)
    original : the scenario as given
    tried : ``value, measure`` of every value priced on the way, sorted by value (a frontier for free)
    frontier : ``value, measure`` across the range when asked for (``frontier=n``), else empty
    """

    value: float
    scenario: Scenario
    sim: SimulationResult | YearResult
    achieved: float
    knob: Knob
    goal: Goal
    base: SimulationResult | YearResult
    before: float
    lo: float
    hi: float
    past: float | None
    evaluations: int
    original: Scenario
    tried: pd.DataFrame
    frontier: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"value": [], "measure": []}))


class _Problem:
    """Prices candidate values of one knob against fixed draws, counting the re-pricings."""

    def __init__(self, scn: Scenario, k: Knob, goal: Goal, draws: MetricDraws | YearDraws) -> None:
        self.data, self.knob, self.goal, self.draws = dump_scenario(scn), k, goal, draws
        self.evaluations = 0
        self.costs: dict[float, np.ndarray] = {}
        self.tried: list[tuple[float, float]] = []  # (value, the goal's measure) of every pricing
        self.budget = scn.year_budget if isinstance(draws, YearDraws) else scn.budget
        n = draws.trials
        # p_over_budget: the most trials that may go over, m = the largest count with m / n <= goal
        m = math.floor(goal.target * n) if goal.kind == "p_over_budget" else 0
        while m + 1 <= n and (m + 1) / n <= goal.target:
            m += 1
        while m > 0 and m / n > goal.target:
            m -= 1
        self.allowed = m
        self.others = _OtherPlans(scn, k.plan, draws) if _OtherPlans.applies(scn, k, draws) else None

    def scenario(self, v: float, which: str = "value") -> Scenario:
        try:
            return load_scenario(set_value(self.data, self.knob.path, v))
        except PlanError as e:
            msg = f"{self.knob.show(v)} is not a valid value of {self.knob.path}: {e}"
            raise PlanError(f"{which}: {msg}", problems=[(which, msg)]) from None

    def cost(self, v: float) -> np.ndarray:
        """The cost of each trial at value ``v`` (kept: the answer is one of the values tried)."""
        hit = self.costs.get(v)
        if hit is None:
            self.evaluations += 1
            at = self.scenario(v)
            hit = self.costs[v] = _costs(at, self.draws) if self.others is None else self.others.costs(at)
            self.tried.append((v, self.goal.measure_costs(hit, self.budget)))
        return hit

    def root(self, cost: np.ndarray) -> float:
        """The continuous function of the costs whose sign says whether the goal is met (<= 0: met, or 0: equal)."""
        g = self.goal
        if g.kind == "expected_cost":
            return float(cost.mean()) - g.target
        if g.kind == "quantile":
            return float(np.quantile(cost, g.q)) - g.target
        k = len(cost) - 1 - self.allowed
        return float(np.partition(cost, k)[k]) - float(self.budget)  # type: ignore[arg-type]

    def f(self, v: float) -> float:
        return self.root(self.cost(v))

    def signed(self, v: float) -> float:
        """``f`` with an exact 0 (the cost that decides P(over budget) equals the budget) counted as met, below 0."""
        fv = self.f(v)
        return fv if fv != 0 else -_MET


def _brent(f: Callable[[float], float], a: float, fa: float, b: float, fb: float, xtol: float,
           ftol: float | None) -> tuple[float, float, float, float]:
    """Brent's method on a bracket (``f(a)``, ``f(b)`` of opposite signs) until ``|f| <= ftol`` or the
    bracket is about ``xtol`` wide.

    Returns ``(x, f(x), y, f(y))``: the last bracket (x the better end), or ``x == y`` when ``|f(x)| <= ftol``.
    Inverse quadratic interpolation or secant steps when they make progress, bisection otherwise
    (Brent 1973, "zeroin"); a step is never shorter than the tolerance, so the bracket closes.
    """
    c, fc, d, e = a, fa, b - a, b - a
    for _ in range(_MAX_STEPS):
        if (fb > 0) == (fc > 0):  # b and c on the same side: the bracket is (a, b)
            c, fc, d, e = a, fa, b - a, b - a
        if abs(fc) < abs(fb):
            a, b, c, fa, fb, fc = b, c, b, fb, fc, fb
        tol = 2 * np.finfo(float).eps * abs(b) + 0.5 * xtol
        m = 0.5 * (c - b)
        if abs(m) <= tol:
            break
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:
                p, q = 2 * m * s, 1 - s
            else:
                q, r = fa / fc, fb / fc
                p = s * (2 * m * q * (q - r) - (b - a) * (r - 1))
                q = (q - 1) * (r - 1) * (s - 1)
            q = -q if p > 0 else q
            p = abs(p)
            if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q
            else:
                d = e = m
        else:
            d = e = m
        a, fa = b, fb
        b = b + (d if abs(d) > tol else math.copysign(tol, m))
        fb = f(b)
        if ftol is not None and abs(fb) <= ftol:
            return b, fb, b, fb
    return b, fb, c, fc


def _range(k: Knob, lo: float | None, hi: float | None) -> tuple[float, float]:
    lo_ = k.lo if lo is None else _number(lo, "lo", -1e15, 1e15)
    hi_ = k.hi if hi is None else _number(hi, "hi", -1e15, 1e15)
    if not lo_ < hi_:
        raise PlanError(f"lo, hi: the range must have lo < hi, got {lo_:g}..{hi_:g}",
                        problems=[("lo", f"must be below hi ({hi_:g})")])
    return lo_, hi_


def _frontier(p: _Problem, lo: float, hi: float, n: int) -> tuple[pd.DataFrame, list[tuple[float, float]]]:
    values = np.linspace(lo, hi, n)
    rows, roots = [], []
    for v in values:
        cost = p.cost(float(v))
        rows.append((float(v), p.goal.measure_costs(cost, p.budget)))
        roots.append((float(v), p.root(cost)))
    return pd.DataFrame(rows, columns=["value", "measure"]), roots


def solve(scn: Scenario | dict[str, Any] | str, knob: str, goal: Mapping[str, Any] | Goal, *,
          lo: float | None = None, hi: float | None = None, trials: int = 10_000, seed: int | None = 0,
          draws: MetricDraws | YearDraws | None = None, frontier: int = 0, horizon: str = "period") -> Solution:
    """Find the value of one plan number that meets a cost goal, re-pricing the same draws for every candidate.

    Parameters
    ----------
    scn : Scenario (or anything ``load_scenario`` accepts)
    knob : the number to move, a field path such as ``"plan.target_incentive.percent_of_base"``,
        ``"plan.components[1].curve.points[2][1]"`` or ``"plans.impl.metrics[0].target"``, or
        ``"scale.target_incentive"``: one factor on every plan's target incentive and every roster override
        (``Solution.value`` is the factor, 1 = today; default range 0 to 2)
    goal : ``{"p_over_budget": 0.1}`` (needs a budget), ``{"expected_cost": 120000}`` or
        ``{"quantile": 0.9, "cost": 140000}``
    lo, hi : the range searched (default: the field's valid range, see :mod:`compcore.simulation.knobs`)
    trials, seed : of the one draw every candidate is priced on (ignored when ``draws`` is given)
    draws : metric draws of this scenario to reuse (e.g. the app's cached draws)
    frontier : evaluate the goal's measure at this many evenly spaced values first (``Solution.frontier``);
        the grid also narrows the search
    horizon : ``"period"`` (default: one plan period, ``budget``) or ``"year"``: the plan year of
        :func:`~compcore.simulation.year.simulate_year` (annual cost, ``annual_budget``, else ``budget`` x
        periods per year); ``draws`` are then a year's (:func:`~compcore.simulation.year_draws.draw_year`)

    Returns
    -------
    Solution
        ``expected_cost`` and ``quantile``: the measure at ``value`` is within 0.1% of the goal's cost.
        ``p_over_budget``: the value closest to the boundary whose P(over budget) does not exceed the goal
        (``past`` is within ``X_TOLERANCE`` of the range beyond it and exceeds it); the end of the range
        nearest the boundary when the whole range meets the goal.

    Raises
    ------
    PlanError
        a bad knob path (naming it), a bad goal or range, or a goal the range cannot reach, saying what it
        does reach, e.g. ``P(over budget) is at least 23% for any percent_of_base in 0..1``.

    Examples
    --------
    >>> sol = solve(scn, "plan.target_incentive.percent_of_base", {"p_over_budget": 0.1})  # doctest: +SKIP
    >>> sol.achieved <= 0.1  # doctest: +SKIP
    True
    """
    scn = load_scenario(scn)
    if horizon not in HORIZONS:
        raise PlanError(f'horizon: must be "period" or "year", got {horizon!r}',
                        problems=[("horizon", 'must be "period" or "year"')])
    k = knob_info(scn, knob)
    g = parse_goal(goal, scn.year_budget if horizon == "year" else scn.budget, horizon)
    lo_, hi_ = _range(k, lo, hi)
    if draws is None:
        draws = draw_year(scn, trials, seed) if horizon == "year" else draw_metrics(scn, trials=trials, seed=seed)
    elif isinstance(draws, YearDraws) != (horizon == "year"):
        raise PlanError(f"draws: these are a {'year' if isinstance(draws, YearDraws) else 'period'}'s draws; "
                        f"horizon {horizon!r} needs the other kind", problems=[("draws", "wrong horizon")])
    p = _Problem(scn, k, g, draws)
    p.scenario(lo_, "lo")
    p.scenario(hi_, "hi")
    p.evaluations += 1
    base = _price(scn, draws)
    table = pd.DataFrame({"value": [], "measure": []})
    points: list[tuple[float, float]] = []
    if frontier >= 2:
        table, points = _frontier(p, lo_, hi_, int(frontier))
    else:
        points = [(lo_, p.f(lo_)), (hi_, p.f(hi_))]
        if lo_ < k.value < hi_:
            points.insert(1, (k.value, p.root(base.cost)))
    value, past = _search(p, points, lo_, hi_)
    p.evaluations += 1
    final = _price(p.scenario(value), draws)
    return Solution(value, p.scenario(value), final, g.measure(final), k, g, base, g.measure(base), lo_, hi_, past,
                    p.evaluations, scn, _table(p.tried), table)


def _table(rows: list[tuple[float, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["value", "measure"])
    return df.drop_duplicates("value").sort_values("value", ignore_index=True)


def _search(p: _Problem, points: list[tuple[float, float]], lo: float, hi: float) -> tuple[float, float | None]:
    """``(value, past)`` from the root function at ``points`` (sorted by value, both ends included)."""
    g, k = p.goal, p.knob
    (_, f_lo), (_, f_hi) = points[0], points[-1]
    span = f"for any {k.name} in {lo:g}..{hi:g}"
    if f_lo == f_hi and all(fv == f_lo for _, fv in points):
        raise PlanError(f"{k.path}: {g.measure_name} is the same {span}: this number does not move the cost; "
                        "pick another", problems=[(k.path, "does not move the cost")])
    xtol = X_TOLERANCE * (hi - lo)
    if g.kind == "p_over_budget":
        ok = [(v, fv) for v, fv in points if fv <= 0]
        if not ok:
            best = min(points, key=lambda t: t[1])[0]
            reach = p.goal.measure_costs(p.cost(best), p.budget)
            raise PlanError(f"{k.path}: P(over budget) is at least {pct(reach)} {span}; a goal of "
                            f"{pct(g.target)} is out of reach: widen the range (lo, hi), raise the budget "
                            "or pick another number", problems=[(k.path, "goal out of reach")])
        increasing = f_hi > f_lo
        a, fa = max(ok) if increasing else min(ok)  # the met value nearest the boundary
        beyond = [(v, fv) for v, fv in points if fv > 0 and ((v > a) if increasing else (v < a))]
        if not beyond:
            return a, None
        b, fb = min(beyond) if increasing else max(beyond)
        x, fx, y, _ = _brent(p.signed, a, fa if fa != 0 else -_MET, b, fb, xtol, None)
        return (x, y) if fx <= 0 else (y, x)
    ftol = COST_TOLERANCE * _AIM * g.target
    near = [(v, fv) for v, fv in points if abs(fv) <= ftol]
    if near:
        return near[0][0], None
    neg = [(v, fv) for v, fv in points if fv < 0]
    pos = [(v, fv) for v, fv in points if fv > 0]
    if not neg or not pos:
        lo_m, hi_m = sorted(fv + g.target for fv in (f_lo, f_hi))
        raise PlanError(f"{k.path}: {g.measure_name} is between {money(lo_m)} and {money(hi_m)} {span}; "
                        f"a goal of {money(g.target)} is out of reach: widen the range (lo, hi) or pick another "
                        "number", problems=[(k.path, "goal out of reach")])
    # the adjacent pair of grid points where the sign changes
    i = next(i for i in range(len(points) - 1) if (points[i][1] < 0) != (points[i + 1][1] < 0))
    (v1, f1), (v2, f2) = points[i], points[i + 1]
    a, fa, b, fb = (v1, f1, v2, f2) if f1 < 0 else (v2, f2, v1, f1)
    x, fx, y, fy = _brent(p.f, a, fa, b, fb, COST_X_TOLERANCE * (hi - lo), ftol)
    if x == y:
        return x, None
    (v1, f1), (v2, f2) = sorted([(x, fx), (y, fy)])
    raise PlanError(f"{k.path}: {g.measure_name} jumps from {money(f1 + g.target)} to {money(f2 + g.target)} "
                    f"at {k.name} = {k.show(v1)} (a metric drawn as whole counts makes the cost step there); "
                    f"no value gives {money(g.target)} within {pct(COST_TOLERANCE)}",
                    problems=[(k.path, "no value meets the goal")])


def measure_at(scn: Scenario | dict[str, Any] | str, knob: str, goal: Mapping[str, Any] | Goal,
               values: Sequence[float], draws: MetricDraws | YearDraws) -> pd.DataFrame:
    """The goal's measure at each value of the knob, on the same draws: ``value``, ``measure`` (a frontier).

    Values outside the field's valid values are left out.
    """
    scn = load_scenario(scn)
    year = isinstance(draws, YearDraws)
    goal_ = parse_goal(goal, scn.year_budget if year else scn.budget, "year" if year else "period")
    p = _Problem(scn, knob_info(scn, knob), goal_, draws)
    rows = []
    for v in values:
        try:
            rows.append((float(v), p.goal.measure_costs(p.cost(float(v)), p.budget)))
        except PlanError:
            continue
    return pd.DataFrame(rows, columns=["value", "measure"])
