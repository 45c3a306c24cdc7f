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
from compcore.plan.units import format_value
from compcore.report.format import pct

__all__ = ["describe", "describe_curve", "explain_gates"]

_PERIOD_ADVERB = {"month": "monthly", "quarter": "quarterly", "half": "half-yearly", "year": "yearly"}


def _cap_clause(cap: float | None) -> str:
    return f", capped at {pct(cap)}" if cap is not None else ""


def _per_ten(slope: float) -> str:
    """What each 10 points of attainment pay at a slope, in % of target ('35% of target')."""
    return f"{pct(slope * 0.1)} of target"


def _linear_text(curve: LinearCurve) -> str:
    (x0, y0), (xn, yn) = curve.points[0], curve.points[-1]
    if x0 > 0:
        start = f"nothing below {pct(x0)} of target, {pct(y0)} at that threshold"
    else:
        start = f"from {pct(y0)} at 0%"
    middle = "".join(f", {pct(y)} at {pct(x)}" for x, y in curve.points[1:-1])
    ys = [y for _, y in curve.points]
    rising = all(b >= a for a, b in zip(ys, ys[1:], strict=False))
    verb = "rising to" if rising and yn > ys[-2] else "then"
    text = f"paid linearly: {start}{middle}, {verb} {pct(yn)} at {pct(xn)} of target"
    (xa, ya) = curve.points[-2]
    slope = (yn - ya) / (xn - xa)
    if curve.above == "flat" or slope == 0:
        text += f", no extra pay above {pct(xn)}"
    elif slope > 0:
        text += f"; each 10% above {pct(xn)} adds {_per_ten(slope)}"
    else:
        text += f"; each 10% above {pct(xn)} takes away {_per_ten(-slope)}"
    return text


def _tiers_text(curve: TiersCurve) -> str:
    ends = [b.start for b in curve.bands[1:]] + [None]
    if curve.mode == "marginal":
        parts = []
        for b, end in zip(curve.bands, ends, strict=True):
            where = f"from {pct(b.start)} to {pct(end)}" if end is not None else f"above {pct(b.start)}"
            parts.append(f"{pct(b.rate * 0.1)} {where}")
        text = "paid in tiers: each 10% of attainment adds " + ", ".join(parts) + " (% of target)"
    else:
        parts = [f"reaching {pct(b.start)}, all attainment pays at {b.rate:.3g}x "
                 f"(each 10% pays {_per_ten(b.rate)})" for b in curve.bands]
        text = "paid in retroactive tiers: " + "; ".join(parts)
    return text + (f"; nothing below {pct(curve.threshold)}" if curve.threshold else "")


def describe_curve(curve: LinearCurve | TiersCurve | StepsCurve) -> str:
    """How a curve pays, in % of target a person recognises.

    Examples
    --------
    >>> from compcore.plan.schema import LinearCurve
    >>> describe_curve(LinearCurve(points=[[1, 1], [1.3, 1.6]], above="extend"))  # doctest: +NORMALIZE_WHITESPACE
    'paid linearly: nothing below 100% of target, 100% at that threshold, rising to 160% at 130% of target;
    each 10% above 130% adds 20% of target'
    """
    if isinstance(curve, LinearCurve):
        return _linear_text(curve) + _cap_clause(curve.cap)
    if isinstance(curve, TiersCurve):
        return _tiers_text(curve) + _cap_clause(curve.cap)
    steps = ", ".join(f"{pct(y)} from {pct(x)}" for x, y in curve.steps)
    floor = f"; nothing below {pct(curve.steps[0][0])}" if curve.steps[0][0] > 0 else ""
    return f"paid in steps: {steps}{floor}" + _cap_clause(curve.cap)


def _component_sentence(plan: Plan, c: Component) -> str:
    m = plan.metric(c.metric)
    better = "lower is better, " if m.direction == "lower" else ""
    target = format_value(m.target, m.unit)
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
