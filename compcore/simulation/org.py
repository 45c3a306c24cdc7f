"""Several plans in one scenario (an org): who is on which plan, and the rules that keep them one org.

A scenario holds either one ``plan`` for everyone or ``plans`` (plan id -> plan). These
functions work on the plans as a mapping either way: a single plan is ``{"plan": plan}``
(:data:`SINGLE_PLAN_ID`), and its roster rows name no plan.

Rules (DESIGN.md "Several plans in one scenario"): every plan has the same ``period`` (one
trial is one period of the whole org); a metric id is one measured quantity, so its
``scope`` and ``direction`` agree in every plan that has it (targets, names and units may
differ); with ``plans`` every roster row names a known plan, with ``plan`` none does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from compcore.plan.schema import Metric, Plan
from compcore.simulation.roster import RosterRow

__all__ = ["SINGLE_PLAN_ID", "org_problems", "plan_rows", "is_single", "row_plan_id", "shared_metrics", "where"]

#: the plan id of a single-plan scenario (``sim.plan_costs["plan"]``)
SINGLE_PLAN_ID = "plan"

Problems = list[tuple[str, str]]


def shared_metrics(plans: Mapping[str, Plan]) -> dict[str, Metric]:
    """Every metric id of the plans, in first-seen order (plan order, then metric order), with its first definition.

    Scope and direction are the same wherever an id appears (:func:`org_problems`), so the first
    definition says how the metric is drawn.

    >>> from compcore.plan.schema import load_plan
    >>> def p(*ids): return load_plan({"name": "x", "target_incentive": {"amount": 1}, "metrics": [
    ...     {"id": i, "name": i, "target": 1} for i in ids], "components": [
    ...     {"id": "c", "metric": ids[0], "weight": 1, "curve": {"kind": "steps", "steps": [[1, 1]]}}]})
    >>> list(shared_metrics({"a": p("x", "co"), "b": p("y", "co")}))
    ['x', 'co', 'y']
    """
    out: dict[str, Metric] = {}
    for plan in plans.values():
        for m in plan.metrics:
            out.setdefault(m.id, m)
    return out


def row_plan_id(row: RosterRow, single: bool) -> str:
    """The plan id a roster row is paid by (:data:`SINGLE_PLAN_ID` in a single-plan scenario)."""
    return SINGLE_PLAN_ID if single else str(row.plan)


def plan_rows(plans: Mapping[str, Plan], roster: Sequence[RosterRow]) -> dict[str, list[int]]:
    """Roster row indices on each plan, every plan a key (a draft plan no row uses has ``[]``).

    ``plans`` is ``{"plan": plan}`` for one plan for everyone (rows name no plan) or an org's
    plans (every row names one); call :func:`org_problems` first for a clear error.
    """
    single = is_single(plans, roster)
    out: dict[str, list[int]] = {p: [] for p in plans}
    for i, r in enumerate(roster):
        out[row_plan_id(r, single)].append(i)
    return out


def is_single(plans: Mapping[str, Plan], roster: Sequence[RosterRow]) -> bool:
    """True for ``{"plan": plan}`` over rows that name no plan: one plan for everyone."""
    return list(plans) == [SINGLE_PLAN_ID] and all(r.plan is None for r in roster)


def org_problems(plans: Mapping[str, Plan], roster: Sequence[RosterRow], single: bool) -> Problems:
    """Every broken org rule as ``(field path, what to do)``; ``single``: the scenario has ``plan``, not ``plans``."""
    problems: Problems = []
    problems.extend(_period_problems(plans, single))
    problems.extend(_metric_problems(plans))
    problems.extend(_roster_problems(plans, roster, single))
    return problems


def _period_problems(plans: Mapping[str, Plan], single: bool) -> Problems:
    if single or not plans:
        return []
    first_id, first = next(iter(plans.items()))
    return [(f"plans.{pid}.period",
             f'is "{p.period}" but plans.{first_id}.period is "{first.period}"; every plan of a scenario is paid '
             f"per the same period (one simulated trial is one period of the whole org): use \"{first.period}\"")
            for pid, p in plans.items() if p.period != first.period]


def _metric_problems(plans: Mapping[str, Plan]) -> Problems:
    problems: Problems = []
    first: dict[str, tuple[str, int, Metric]] = {}
    for pid, plan in plans.items():
        for j, m in enumerate(plan.metrics):
            if m.id not in first:
                first[m.id] = (pid, j, m)
                continue
            qid, i, seen = first[m.id]
            for attr in ("scope", "direction"):
                mine, theirs = getattr(m, attr), getattr(seen, attr)
                if mine != theirs:
                    problems.append((f"plans.{pid}.metrics[{j}].{attr}", (
                        f'metric "{m.id}" has {attr} "{mine}" here but "{theirs}" in plans.{qid}.metrics[{i}].{attr}; '
                        f"the same id in two plans is one measured quantity, so its {attr} must agree "
                        "(or give one of them another id)")))
    return problems


def _roster_problems(plans: Mapping[str, Plan], roster: Sequence[RosterRow], single: bool) -> Problems:
    problems: Problems = []
    known = ", ".join(plans)
    for i, r in enumerate(roster):
        if single and r.plan is not None:
            problems.append((f"roster[{i}].plan", (
                f'names plan "{r.plan}" but this scenario has one plan for everyone; remove "plan" from the row, '
                'or give the scenario "plans" (plan id -> plan)')))
        elif not single and r.plan is None:
            problems.append((f"roster[{i}].plan", f"missing: name the plan this row is paid by, one of: {known}"))
        elif not single and r.plan not in plans:
            problems.append((f"roster[{i}].plan", f'unknown plan "{r.plan}"; use one of: {known}'))
    return problems


def where(plan_id: str, single: bool) -> str:
    """The path prefix of a plan in a scenario: ``plan`` or ``plans.<id>``."""
    return "plan" if single else f"plans.{plan_id}"
