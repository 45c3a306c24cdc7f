"""Plain-English description of a plan: one sentence per component, gate and modifier.

The designer page, the HR document and the CLI all show these sentences, so a
plan reads the same everywhere.
"""

from __future__ import annotations

from compcore.plan.payout import PayoutResult
from compcore.plan.schema import (
    PERIODS_PER_YEAR,
    Component,
    Gate,
    LinearCurve,
    Modifier,
    Plan,
    StepsCurve,
    TiersCurve,
)
from compcore.report.format import pct

__all__ = ["describe", "describe_curve", "explain_gates"]

_PERIOD_ADVERB = {"month": "monthly", "quarter": "quarterly", "half": "half-yearly", "year": "yearly"}


def _cap_clause(cap: float | None) -> str:
    return f", capped at {pct(cap)}" if cap is not None else ""


def describe_curve(curve: LinearCurve | TiersCurve | StepsCurve) -> str:
    """How a curve pays, e.g. 'paid linearly from 0% to 100% of target, no pay above 100%'."""
    if isinstance(curve, LinearCurve):
        (x0, y0), (xn, yn) = curve.points[0], curve.points[-1]
        if x0 > 0:
            start = f"nothing below {pct(x0)} of target, {pct(y0)} at that threshold"
        else:
            start = f"from {pct(y0)} at 0%"
        middle = "".join(f", {pct(y)} at {pct(x)}" for x, y in curve.points[1:-1])
        text = f"paid linearly: {start}{middle}, rising to {pct(yn)} at {pct(xn)} of target"
        if curve.above == "flat":
            text += f", no extra pay above {pct(xn)}"
        else:
            (xa, ya), (xb, yb) = curve.points[-2], curve.points[-1]
            text += f", continuing at {(yb - ya) / (xb - xa):.3g}x the slope above {pct(xn)}"
        return text + _cap_clause(curve.cap)
    if isinstance(curve, TiersCurve):
        bands = [f"{b.rate:.3g}x from {pct(b.start)}" for b in curve.bands]
        how = ("each rate paying only the attainment inside its band" if curve.mode == "marginal"
               else "the rate of the band reached paying all attainment")
        thr = f"; nothing below {pct(curve.threshold)}" if curve.threshold else ""
        return f"paid in {curve.mode} tiers ({', '.join(bands)}), {how}{thr}" + _cap_clause(curve.cap)
    steps = ", ".join(f"{pct(y)} from {pct(x)}" for x, y in curve.steps)
    floor = f"; nothing below {pct(curve.steps[0][0])}" if curve.steps[0][0] > 0 else ""
    return f"paid in steps: {steps}{floor}" + _cap_clause(curve.cap)


def _component_sentence(plan: Plan, c: Component) -> str:
    m = plan.metric(c.metric)
    better = "lower is better, " if m.direction == "lower" else ""
    value = pct(m.target) if m.unit.startswith("share") else f"{m.target:g}"
    target = f"{value} {m.unit}".strip()
    return f"{pct(c.weight)} on {m.name} (target {target}, {better}{m.scope} measure), {describe_curve(c.curve)}."


def _applies_text(plan: Plan, applies_to: object) -> str:
    if applies_to == "all":
        return "the total payout"
    by_id = {c.id: c.name or c.id for c in plan.components}
    names = [by_id.get(cid, cid) for cid in applies_to]  # type: ignore[union-attr]
    return "the payout of " + " and ".join(names)


def _gate_sentence(plan: Plan, g: Gate) -> str:
    name = plan.metric(g.metric).name
    if g.cap == 0:
        return (f"Circuit breaker: if {name} is below {pct(g.below)} of target, "
                f"{_applies_text(plan, g.applies_to)} is zero.")
    return (f"Gate: if {name} is below {pct(g.below)} of target, "
            f"{_applies_text(plan, g.applies_to)} is capped at {pct(g.cap)}.")


def _modifier_sentence(plan: Plan, mod: Modifier) -> str:
    name = plan.metric(mod.metric).name
    return (f"Multiplier: {_applies_text(plan, mod.applies_to)} is multiplied by a factor that depends on "
            f"{name}, {describe_curve(mod.curve).replace('paid', 'set', 1)}.")


def describe(plan: Plan) -> list[str]:
    """One plain-English sentence per component, gate, modifier and cap.

    Examples
    --------
    >>> from compcore.plan.schema import load_plan
    >>> p = load_plan({"name": "x", "target_incentive": {"percent_of_base": 0.08},
    ...     "metrics": [{"id": "team_okr", "name": "Team OKR score", "target": 1}],
    ...     "components": [{"id": "okr", "metric": "team_okr", "weight": 1,
    ...                     "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    >>> print(describe(p)[1])  # doctest: +NORMALIZE_WHITESPACE
    100% on Team OKR score (target 1, individual measure), paid linearly: from 0% at 0%,
    rising to 100% at 100% of target, no extra pay above 100%.
    """
    ti = plan.target_incentive
    money = (f"{pct(ti.percent_of_base)} of base salary" if ti.percent_of_base is not None
             else f"{ti.amount:,.0f} a year")
    per = PERIODS_PER_YEAR[plan.period]
    split = (f", paid {_PERIOD_ADVERB[plan.period]} ({pct(1 / per)} of it each {plan.period})" if per > 1
             else ", paid once a year")
    lines = [f"Target incentive: {money}{split}."]
    lines += [_component_sentence(plan, c) for c in plan.components]
    lines += [_gate_sentence(plan, g) for g in plan.gates]
    lines += [_modifier_sentence(plan, m) for m in plan.modifiers]
    if plan.cap is not None:
        lines.append(f"The total payout never exceeds {pct(plan.cap)} of target incentive.")
    return lines


def explain_gates(plan: Plan, res: PayoutResult) -> list[str]:
    """One sentence per gate that fired, e.g. 'Team OKR score at 90% is below 100%: total capped at 100%'.

    A gate that fired without lowering pay says so: '... (no effect: already below the cap)'.
    """
    by_id = {c.id: c.name or c.id for c in plan.components}
    out = []
    for g in res.gates:
        if not g.fired:
            continue
        name = plan.metric(g.metric).name
        where = "total" if g.applies_to == "all" else ", ".join(by_id.get(c, c) for c in g.applies_to)
        what = "paid nothing (circuit breaker)" if g.cap == 0 else f"capped at {pct(g.cap)}"
        idle = "" if g.cut else " (no effect: already below the cap)"
        out.append(f"{name} at {pct(res.attainments[g.metric])} is below {pct(g.below)}: {where} {what}{idle}")
    return out
