"""Knobs: the one-number fields of a scenario's plan(s) that "solve for a budget" can move.

A knob is named by its field path in the syntax of PlanError paths, over the
scenario as :func:`~compcore.simulation.scenario.dump_scenario` writes it:
``plan.target_incentive.percent_of_base``, ``plan.components[1].curve.points[2][1]``,
``plans.impl.metrics[0].target``. :func:`knob` checks a path (PlanError naming it
when it does not exist, is not a number or is a component weight) and gives its
label in the user's words, its unit and its default search range; :func:`knobs`
lists every knob of a scenario; :func:`with_value` sets one.

Default ranges (DESIGN.md "Solve for a budget"): 0 to 1 for a percent of base;
between the neighbouring points for an attainment that must stay in order (the
x of a curve point, the start of a tier); otherwise 0 to 10x the current value
(0 to 1 when the current value is 0). A metric target must stay above 0, so its
range starts at 1% of the current target.

The org-wide knob :data:`SCALE_KNOB` (``"scale.target_incentive"``) is one factor
that multiplies every plan's target incentive and every roster override
(DESIGN.md: the org-wide answer to "what fits the budget"); its value today is
1 (100%), its default range 0 to 2 (:func:`scale_target_incentive`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from compcore.errors import PlanError
from compcore.plan.units import in_percent
from compcore.report.format import money, pct
from compcore.simulation.scenario import Scenario, dump_scenario, load_scenario

__all__ = ["SCALE_KNOB", "Knob", "knob", "knobs", "parse_path", "scale_target_incentive", "set_value", "with_value"]

#: the org-wide knob: one factor on every plan's target incentive and every roster override
SCALE_KNOB = "scale.target_incentive"

_TOKEN = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
#: strict bounds (x values strictly increasing, a target above 0) are kept this far inside, relative to the gap
_INSIDE = 1e-9
_EXAMPLE = "plan.target_incentive.percent_of_base or plan.components[1].curve.points[2][1]"


@dataclass(frozen=True)
class Knob:
    """One number of a plan that a solve can move.

    Attributes
    ----------
    path : field path, e.g. ``"plan.components[1].curve.points[2][1]"``
    label : the number in words, e.g. ``"Adopted within 90 days: payout at 110% attainment"``
    unit : what the number counts, e.g. ``"% of base"``, ``"a year"``, ``"% attainment"``
    kind : ``"percent"`` (a fraction shown and typed as %), ``"money"`` or ``"number"``
    value : its current value
    lo, hi : the default range searched
    plan : the plan it belongs to (``"plan"`` for a one-plan scenario, else the plan id; ``""`` for
        :data:`SCALE_KNOB`, which belongs to every plan)
    """

    path: str
    label: str
    unit: str
    kind: str
    value: float
    lo: float
    hi: float
    plan: str

    @property
    def name(self) -> str:
        """The field's own name, as messages say it: ``percent_of_base``, ``target``, ``points[2][1]``."""
        return re.split(r"\.", self.path)[-1]

    def show(self, v: float, currency: str = "") -> str:
        """A value in the knob's unit: ``0.085 -> '8.5%'``, ``12000 -> '12,000'`` (``'$12,000'`` with a
        ``currency``), ``1.4 -> '1.4'``."""
        if self.kind == "percent":
            return pct(v)
        if self.kind == "money":
            return money(v, currency)
        return f"{v:.4g}"

    def phrase(self, v: float, currency: str = "") -> str:
        """A value with its unit: ``'8.5% of base'``, ``'12,000 a year'``, ``'6 EBRs per person'``."""
        unit = self.unit.removeprefix("%").strip() if self.kind == "percent" else self.unit
        return f"{self.show(v, currency)} {unit}".strip()


def parse_path(path: str) -> tuple[str | int, ...]:
    """The keys and indices of a field path.

    >>> parse_path("plan.components[1].curve.points[2][1]")
    ('plan', 'components', 1, 'curve', 'points', 2, 1)
    """
    if not isinstance(path, str) or not path:
        raise _bad("knob", f"must be a field path such as {_EXAMPLE}, got {path!r}")
    parts: list[str | int] = []
    pos = 0
    for m in _TOKEN.finditer(path):
        if m.start() != pos or (pos == 0 and path.startswith(".")):
            break
        parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    if pos != len(path) or not parts or not isinstance(parts[0], str):
        raise _bad("knob", f"{path!r} is not a field path; write it like {_EXAMPLE}")
    return tuple(parts)


def _bad(path: str, msg: str) -> PlanError:
    return PlanError(f"{path}: {msg}", problems=[(path, msg)])


def _show_path(parts: tuple[str | int, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + p
    return out


def _plan_of(data: dict[str, Any], parts: tuple[str | int, ...], path: str) -> tuple[str, int]:
    """The plan key of a knob path and how many leading parts name the plan (1 for ``plan``, 2 for ``plans.x``)."""
    if parts[0] == "plan":
        if "plan" not in data:
            ids = ", ".join(data.get("plans") or {})
            raise _bad(path, f"this scenario has several plans; start the path with plans.<id> (ids: {ids})")
        return "plan", 1
    if parts[0] == "plans":
        plans = data.get("plans")
        if not isinstance(plans, dict):
            raise _bad(path, "this scenario has one plan; start the path with plan.")
        if len(parts) < 2 or parts[1] not in plans:
            got = parts[1] if len(parts) > 1 else ""
            raise _bad(path, f'no plan "{got}" in this scenario; plans: {", ".join(plans)}')
        return str(parts[1]), 2
    raise _bad(path, f"a knob is a number of a plan: the path starts with plan. or plans.<id>, e.g. {_EXAMPLE}")


def _walk(data: dict[str, Any], parts: tuple[str | int, ...], path: str) -> Any:
    node: Any = data
    for i, part in enumerate(parts):
        here = _show_path(parts[:i]) or "the scenario"
        if isinstance(part, int):
            if not isinstance(node, list):
                raise _bad(path, f"{here} is not a list, so [{part}] does not exist")
            if part >= len(node):
                span = f"[0] to [{len(node) - 1}]" if node else "none"
                raise _bad(path, f"{here} has {len(node)} entries ({span}), so [{part}] does not exist")
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise _bad(path, f"{here} is not an object, so it has no field \"{part}\"")
            if part not in node:
                raise _bad(path, f'{here} has no field "{part}" (it has: {", ".join(map(str, node))})')
            node = node[part]
    return node


def _rel(parts: tuple[str | int, ...], start: int) -> tuple[str | int, ...]:
    return parts[start:]


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _scaled(value: float) -> tuple[float, float]:
    return 0.0, 10.0 * value if value > 0 else 1.0


#: (label, unit, kind, default range) of one knob
_Described = tuple[str, str, str, tuple[float, float]]


def _x_range(xs: list[float], j: int, value: float) -> tuple[float, float]:
    """Range of an attainment that must stay strictly between its neighbours (the last one may move right)."""
    lo = xs[j - 1] if j > 0 else 0.0
    hi = xs[j + 1] if j + 1 < len(xs) else max(10.0 * value, lo + 1.0)
    gap = hi - lo
    if j > 0:
        lo += _INSIDE * gap
    if j + 1 < len(xs):
        hi -= _INSIDE * gap
    return lo, hi


def _describe(plan: dict[str, Any], rel: tuple[str | int, ...], value: float) -> _Described:
    """(label, unit, kind, default range) of a number inside one plan; PlanError text (ValueError) if not a knob."""
    metric_name = {m.get("id"): m.get("name") or m.get("id") for m in plan.get("metrics", [])}
    head = rel[0]
    if rel == ("target_incentive", "percent_of_base"):
        return "Target incentive, % of base", "% of base", "percent", (0.0, 1.0)
    if rel == ("target_incentive", "amount"):
        return "Target incentive, amount a year", "a year", "money", _scaled(value)
    if rel == ("cap",):
        return "Plan cap", "% of target incentive", "percent", _scaled(value)
    if head == "metrics" and rel[2:] == ("target",):
        m = plan["metrics"][rel[1]]
        kind = "percent" if in_percent(m.get("unit")) else "number"
        return (f"{m.get('name') or m.get('id')}: target", m.get("unit") or "", kind,
                (value / 100, 10.0 * value))
    if head == "components" and len(rel) >= 3 and rel[2] == "weight":
        raise ValueError("is a component weight: the weights must add up to 100%, so one weight cannot move on its "
                         "own; pick a target incentive, a curve point, a tier rate, a threshold, a cap or a target")
    if head == "components" and len(rel) >= 4 and rel[2] == "curve":
        c = plan["components"][rel[1]]
        return _curve_knob(c.get("name") or c.get("id"), c["curve"], rel[3:], value, "payout")
    if head == "modifiers" and len(rel) >= 4 and rel[2] == "curve":
        g = plan["modifiers"][rel[1]]
        return _curve_knob(f"Modifier on {metric_name.get(g.get('metric'), g.get('metric'))}", g["curve"], rel[3:],
                           value, "multiplier")
    if head == "gates" and len(rel) == 3 and rel[2] in ("below", "cap"):
        g = plan["gates"][rel[1]]
        who = f"Gate on {metric_name.get(g.get('metric'), g.get('metric'))}"
        if rel[2] == "below":
            return f"{who}: attainment it needs", "% attainment", "percent", _scaled(value)
        return f"{who}: cap while it is missed", "% of target incentive", "percent", _scaled(value)
    raise ValueError(f"is not a number a solve can move; use e.g. {_EXAMPLE}")


def _curve_knob(who: str, curve: dict[str, Any], rel: tuple[str | int, ...], value: float,
                y_word: str) -> _Described:
    y_unit = "% of target incentive" if y_word == "payout" else "multiplier (100% = unchanged)"
    if rel == ("cap",):
        return f"{who}: cap (most it pays)", y_unit, "percent", _scaled(value)
    if rel == ("threshold",):
        return f"{who}: threshold (below it pays 0)", "% attainment", "percent", _scaled(value)
    if rel[0] in ("points", "steps") and len(rel) == 3:
        seq, j, xy = curve[rel[0]], int(rel[1]), int(rel[2])
        step = "step" if rel[0] == "steps" else "point"
        if xy == 0:
            first = " (the threshold)" if j == 0 and rel[0] == "points" else ""
            return (f"{who}: attainment of {step} {j + 1}{first}", "% attainment", "percent",
                    _x_range([float(p[0]) for p in seq], j, value))
        return f"{who}: {y_word} at {pct(seq[j][0])} attainment", y_unit, "percent", _scaled(value)
    if rel[0] == "bands" and len(rel) == 3:
        bands, j = curve["bands"], int(rel[1])
        start = float(bands[j]["from"])
        end = f"-{pct(bands[j + 1]['from'])}" if j + 1 < len(bands) else ""
        top = j + 1 == len(bands)
        if rel[2] == "rate":
            if start >= 1.0 and top:
                return (f"{who}: accelerator above {pct(start)} (rate of the top tier)", "payout per 1 attainment",
                        "number", _scaled(value))
            where = f"above {pct(start)}" if top else f"{pct(start)}{end}"
            label = f"{who}: accelerator {where} (tier rate)" if start >= 1.0 else f"{who}: rate of the tier {where}"
            return label, "payout per 1 attainment", "number", _scaled(value)
        if rel[2] == "from":
            if j == 0:
                raise ValueError("is where the first tier starts, which must stay 0; move another tier's start")
            return (f"{who}: where the tier at rate {float(bands[j]['rate']):g} starts", "% attainment", "percent",
                    _x_range([float(b["from"]) for b in bands], j, value))
    raise ValueError(f"is not a number a solve can move; use e.g. {_EXAMPLE}")


def _is_scale(path: str) -> bool:
    return path == SCALE_KNOB


def scale_target_incentive(data: dict[str, Any], factor: float) -> dict[str, Any]:
    """A copy of a scenario dict with every plan's target incentive and every roster override times ``factor``.

    A value that is not a number (a field typed wrong) is left as it is, for validation to name.

    >>> d = {"plans": {"a": {"target_incentive": {"percent_of_base": 0.5}}},
    ...      "roster": [{"target_incentive": {"amount": 8000}}, {"team": "x"}]}
    >>> out = scale_target_incentive(d, 0.75)
    >>> out["plans"]["a"]["target_incentive"], out["roster"][0]["target_incentive"], d["roster"][0]
    ({'percent_of_base': 0.375}, {'amount': 6000.0}, {'target_incentive': {'amount': 8000}})
    """
    out = copy.deepcopy(data)
    plans = list(out["plans"].values()) if isinstance(out.get("plans"), dict) else [out.get("plan")]
    owners = [*plans, *(out.get("roster") or [])]
    for owner in owners:
        ti = owner.get("target_incentive") if isinstance(owner, dict) else None
        if isinstance(ti, dict):
            for field in ("percent_of_base", "amount"):
                if _is_number(ti.get(field)):
                    ti[field] = ti[field] * float(factor)
    return out


def _scale_knob(data: dict[str, Any]) -> Knob:
    if not isinstance(data.get("plans"), dict) and not isinstance(data.get("plan"), dict):
        raise _bad(SCALE_KNOB, "the scenario has no plan to scale")
    every = "Every plan's target incentive" if isinstance(data.get("plans"), dict) else "The target incentive"
    return Knob(SCALE_KNOB, f"{every} x one factor",
                "% of today's target incentive", "percent", 1.0, 0.0, 2.0, "")


def set_value(data: dict[str, Any], path: str, value: float) -> dict[str, Any]:
    """The scenario dict with the knob at ``path`` set to ``value``: set in place for a plan's number, a scaled
    copy of ``data`` (left unchanged) for :data:`SCALE_KNOB` (a factor of today's numbers)."""
    if _is_scale(path):
        return scale_target_incentive(data, value)
    set_number(data, path, value)
    return data


def _knob_in(data: dict[str, Any], path: str) -> Knob:
    if _is_scale(path):
        return _scale_knob(data)
    parts = parse_path(path)
    plan_key, start = _plan_of(data, parts, path)
    value = _walk(data, parts, path)
    plan = _walk(data, parts[:start], path)
    if not _is_number(value):
        kind = ("a list" if isinstance(value, list) else "an object" if isinstance(value, dict)
                else "text" if isinstance(value, str) else repr(value))
        raise _bad(path, f"is not a number (it is {kind}); pick one number, e.g. {_EXAMPLE}")
    try:
        label, unit, kind, (lo, hi) = _describe(plan, _rel(parts, start), float(value))
    except ValueError as e:
        raise _bad(path, str(e)) from None
    if len(data.get("plans") or {}) > 1:
        label += f" ({plan.get('name') or plan_key})"
    return Knob(_show_path(parts), label, unit, kind, float(value), float(lo), float(hi), plan_key)


def knob(scn: Scenario | dict[str, Any], path: str) -> Knob:
    """Check a knob path and describe it (label, unit, current value, default range).

    Raises
    ------
    PlanError
        naming the path when it does not exist, is not a number, or is a component weight.

    Examples
    --------
    >>> k = knob(scn, "plan.target_incentive.percent_of_base")  # doctest: +SKIP
    >>> k.label, k.lo, k.hi  # doctest: +SKIP
    ('Target incentive, % of base', 0.0, 1.0)
    """
    return _knob_in(scn if isinstance(scn, dict) else dump_scenario(scn), path)


def _numbers(node: Any, prefix: str) -> list[str]:
    if _is_number(node):
        return [prefix]
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _numbers(v, f"{prefix}.{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _numbers(v, f"{prefix}[{i}]")]
    return []


def knobs(scn: Scenario | dict[str, Any]) -> list[Knob]:
    """Every number of every plan of the scenario that a solve can move, with its label, in plan order.

    An org's list starts with :data:`SCALE_KNOB` (every plan's target incentive by one factor).
    Component weights, the start of a first tier (always 0) and anything else
    :func:`knob` refuses are left out.
    """
    data = scn if isinstance(scn, dict) else dump_scenario(scn)
    roots = [("plan", data["plan"])] if "plan" in data else [(f"plans.{k}", v) for k, v in data["plans"].items()]
    out = [_scale_knob(data)] if len(roots) > 1 else []  # an org: the org-wide knob first
    for prefix, plan in roots:
        for path in _numbers(plan, prefix):
            try:
                out.append(_knob_in(data, path))
            except PlanError:
                continue
    return out


def set_number(data: dict[str, Any], path: str, value: float) -> None:
    """Write ``value`` at ``path`` in a scenario dict (in place; the path must exist)."""
    parts = parse_path(path)
    node: Any = _walk(data, parts[:-1], path)
    node[parts[-1]] = float(value)


def with_value(scn: Scenario | dict[str, Any], path: str, value: float) -> Scenario:
    """The scenario with the number at ``path`` set to ``value``, validated (PlanError naming the field if invalid).

    Examples
    --------
    >>> with_value(scn, "plan.cap", 1.8).plan.cap  # doctest: +SKIP
    1.8
    """
    data = copy.deepcopy(scn) if isinstance(scn, dict) else dump_scenario(scn)
    knob(data, path)
    return load_scenario(set_value(data, path, value))
