"""Size limits of a scenario, checked on load so a link, an upload or a typo cannot take the server down.

The plan-level limits (metrics per plan, points per curve, amounts) live in
:mod:`compcore.plan.schema`; these are the scenario-wide ones (DESIGN.md
"Limits"). Every limit broken is a ``(field path, message)`` problem, so it
reaches the user as a :class:`~compcore.errors.PlanError` like any other.
"""

from __future__ import annotations

import numbers
from typing import Any

from compcore.errors import PlanError

__all__ = ["MAX_HEADCOUNT", "MAX_PLANS", "MAX_ROSTER_ROWS", "MAX_TRIALS", "check_seed", "draw_bytes",
           "scenario_limit_problems", "trials_within"]

#: most people one scenario may hold (all roster rows added up)
MAX_HEADCOUNT = 100_000
#: most roster rows (a row may be one person)
MAX_ROSTER_ROWS = 100_000
#: most plans in one scenario (an org)
MAX_PLANS = 20
#: most trials ``simulate`` / ``solve`` run
MAX_TRIALS = 10_000_000


def scenario_limit_problems(scn: Any) -> list[tuple[str, str]]:
    """The limits a scenario breaks, as (field path, what to do); empty when it is within them.

    >>> class S:  # any object with a roster (and plans) will do
    ...     roster = [type("R", (), {"headcount": 60_000})()] * 2
    >>> scenario_limit_problems(S())
    [('roster', 'holds 120,000 people in total; at most 100,000 (split it into several scenarios)')]
    """
    problems: list[tuple[str, str]] = []
    roster = list(getattr(scn, "roster", []) or [])
    if len(roster) > MAX_ROSTER_ROWS:
        problems.append(("roster", f"has {len(roster):,} rows; at most {MAX_ROSTER_ROWS:,}"))
    total = sum(int(r.headcount) for r in roster)
    if total > MAX_HEADCOUNT:
        problems.append(("roster", f"holds {total:,} people in total; at most {MAX_HEADCOUNT:,} "
                                   "(split it into several scenarios)"))
    plans = getattr(scn, "plans", None)
    if plans is not None and len(plans) > MAX_PLANS:
        problems.append(("plans", f"has {len(plans)} plans; at most {MAX_PLANS}"))
    return problems


def check_seed(seed: Any) -> int | None:
    """A seed for ``np.random.SeedSequence``: None or a whole number >= 0 (PlanError otherwise).

    >>> check_seed(7), check_seed(None)
    (7, None)
    >>> check_seed("abc")
    Traceback (most recent call last):
    ...
    compcore.errors.PlanError: seed: must be a whole number >= 0 (or none for a fresh random seed), got 'abc'
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        shown = repr(seed) if len(repr(seed)) <= 40 else repr(seed)[:37] + "..."
        raise PlanError(f"seed: must be a whole number >= 0 (or none for a fresh random seed), got {shown}",
                        problems=[("seed", "must be a whole number >= 0")])
    return int(seed)


def _metrics(scn: Any) -> dict[str, str]:
    """Metric id -> scope over every plan of the scenario (one plan, or an org's ``plans``)."""
    plans = getattr(scn, "plans", None)
    plans = list(plans.values()) if isinstance(plans, dict) else [scn.plan]
    return {m.id: m.scope for p in plans if p is not None for m in p.metrics}


def draw_bytes(scn: Any, trials: int) -> int:
    """Bytes the metric draws of ``trials`` periods hold in memory (float64: 8 bytes per value).

    A company metric has one value per trial, a team metric one per team, an
    individual metric one per person.

    >>> from compcore.simulation.scenario import load_scenario  # doctest: +SKIP
    >>> draw_bytes(scn, 10_000)  # 50 people x 4 individual metrics: 16 MB  # doctest: +SKIP
    16000000
    """
    roster = list(scn.roster)
    people = sum(int(r.headcount) for r in roster)
    teams = len({r.team for r in roster})
    per = {"company": 1, "team": teams, "individual": people}
    return 8 * int(trials) * sum(per[scope] for scope in _metrics(scn).values())


def trials_within(scn: Any, max_bytes: int) -> int:
    """Most trials whose draws fit in ``max_bytes`` (0 when not even one does)."""
    one = draw_bytes(scn, 1)
    return max_bytes // one if one else MAX_TRIALS
