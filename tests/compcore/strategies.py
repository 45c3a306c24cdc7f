"""Hypothesis strategies for plans and curves, shared by the property tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

attainments = st.floats(min_value=-1.0, max_value=3.0, allow_nan=False)
fractions = st.floats(min_value=0.0, max_value=3.0, allow_nan=False)


@st.composite
def increasing_xs(draw: Any, n_min: int = 2, n_max: int = 5, start_min: float = 0.0) -> list[float]:
    n = draw(st.integers(n_min, n_max))
    start = draw(st.floats(min_value=start_min, max_value=1.0))
    gaps = draw(st.lists(st.floats(min_value=0.01, max_value=0.5), min_size=n - 1, max_size=n - 1))
    xs = [start]
    for g in gaps:
        xs.append(xs[-1] + g)
    return [round(x, 6) for x in xs]


@st.composite
def monotone_curve(draw: Any) -> dict[str, Any]:
    """A curve whose payout never falls as attainment rises."""
    kind = draw(st.sampled_from(["linear", "tiers", "steps"]))
    cap = draw(st.none() | st.floats(min_value=0.5, max_value=3.0))
    if kind == "linear":
        xs = draw(increasing_xs())
        ys = sorted(draw(st.lists(fractions, min_size=len(xs), max_size=len(xs))))
        curve: dict[str, Any] = {"kind": "linear", "points": [[x, y] for x, y in zip(xs, ys, strict=True)],
                                 "above": draw(st.sampled_from(["flat", "extend"]))}
    elif kind == "tiers":
        xs = [0.0] + draw(increasing_xs(n_min=1, n_max=3, start_min=0.1))
        mode = draw(st.sampled_from(["marginal", "retroactive"]))
        rates = draw(st.lists(st.floats(min_value=0.0, max_value=3.0), min_size=len(xs), max_size=len(xs)))
        if mode == "retroactive":
            rates = sorted(rates)  # a falling rate would make retroactive pay drop
        bands = [{"from": x, "rate": r} for x, r in zip(xs, rates, strict=True)]
        curve = {"kind": "tiers", "mode": mode, "bands": bands,
                 "threshold": draw(st.none() | st.floats(min_value=0.0, max_value=1.0))}
    else:
        xs = draw(increasing_xs(n_min=1))
        ys = sorted(draw(st.lists(fractions, min_size=len(xs), max_size=len(xs))))
        curve = {"kind": "steps", "steps": [[x, y] for x, y in zip(xs, ys, strict=True)]}
    if cap is not None:
        curve["cap"] = cap
    return curve


@st.composite
def monotone_plan(draw: Any, with_gates: bool = True) -> dict[str, Any]:
    """A valid plan of 1-4 metrics with monotone curves, optional gates, modifiers and cap."""
    n = draw(st.integers(1, 4))
    metrics = [{"id": f"m{i}", "name": f"Metric {i}", "target": draw(st.floats(min_value=0.1, max_value=50)),
                "direction": draw(st.sampled_from(["higher", "lower"]))} for i in range(n)]
    raw = draw(st.lists(st.integers(1, 10), min_size=n, max_size=n))
    weights = [w / sum(raw) for w in raw]
    weights[-1] = 1.0 - sum(weights[:-1])
    components = [{"id": f"c{i}", "metric": f"m{i}", "weight": weights[i], "curve": draw(monotone_curve())}
                  for i in range(n)]
    gates = []
    if with_gates:
        for _ in range(draw(st.integers(0, 2))):
            applies = draw(st.sampled_from(["all", [f"c{draw(st.integers(0, n - 1))}"]]))
            gates.append({"metric": f"m{draw(st.integers(0, n - 1))}",
                          "below": draw(st.floats(min_value=0.0, max_value=1.5)),
                          "cap": draw(st.floats(min_value=0.0, max_value=1.5)), "applies_to": applies})
    modifiers = []
    if draw(st.booleans()):
        modifiers.append({"metric": f"m{draw(st.integers(0, n - 1))}", "applies_to": "all",
                          "curve": {"kind": "steps", "steps": [[0, 0.5], [0.9, 1.0], [1.1, 1.2]]}})
    plan: dict[str, Any] = {"schema": "compcore.plan/v1", "name": "generated", "period": "quarter",
                            "target_incentive": {"percent_of_base": 0.1}, "metrics": metrics,
                            "components": components, "gates": gates, "modifiers": modifiers}
    if draw(st.booleans()):
        plan["cap"] = draw(st.floats(min_value=0.5, max_value=3.0))
    return plan
