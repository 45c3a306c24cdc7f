"""Scenario schema v1: a plan (or an org's plans), a roster, assumptions per metric, correlations, a budget.

A scenario is what the Monte Carlo prices (:mod:`compcore.simulation.simulate`). It is a
frozen pydantic model holding either one :class:`~compcore.plan.schema.Plan` for everyone
(``"plan"``) or several (``"plans"``: plan id -> plan, each roster row naming its plan; see
:mod:`compcore.simulation.org`). Loading checks every field and raises
:class:`~compcore.errors.PlanError` naming its path, e.g.
``assumptions.team_okr.sd: must not be negative (>= 0), got -0.1`` or
``roster[3].plan: unknown plan "cs"; use one of: pmo, impl``.

Both forms read the same way: ``scn.plans`` is ``{plan id: Plan}`` (``{"plan": plan}`` for a
single plan), ``scn.plan_of(row)`` the plan a roster row is paid by, ``scn.metrics`` every
metric id of every plan; ``scn.plan`` is the single plan (a PlanError for an org).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, model_validator

from compcore.errors import PlanError, field_path, validation_error
from compcore.plan.schema import PLAN_SCHEMA, Amount, Metric, Plan, dump_plan, load_plan, read_source
from compcore.simulation.calendar import IsoDate
from compcore.simulation.distributions import DIST_KINDS, Distribution
from compcore.simulation.limits import scenario_limit_problems
from compcore.simulation.org import SINGLE_PLAN_ID, org_problems, plan_rows, shared_metrics, where
from compcore.simulation.roster import RosterRow, row_period_targets

__all__ = [
    "SCENARIO_SCHEMA",
    "Correlation",
    "Scenario",
    "correlation_matrix",
    "dump_scenario",
    "load_scenario",
]

SCENARIO_SCHEMA = "compcore.scenario/v1"
#: smallest eigenvalue a correlation matrix may have (float error on a valid matrix)
PSD_TOLERANCE = 1e-10


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Correlation(_Model):
    """Correlation ``rho`` of the normals underlying two metrics (Gaussian copula)."""

    between: tuple[str, str]
    rho: Annotated[float, Strict(), Field(ge=-1, le=1, allow_inf_nan=False)]


PlanId = Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]


class Scenario(_Model):
    """A Monte Carlo scenario, schema ``compcore.scenario/v1`` (see DESIGN.md).

    ``budget`` is money per plan period, like ``SimulationResult.cost``. The JSON
    ``"plan"`` / ``"plans"`` are held in ``single_plan`` / ``org_plans`` (exactly one is
    set); read them through :attr:`plans`, :attr:`plan` and :meth:`plan_of`.
    """

    schema_: Literal["compcore.scenario/v1"] = Field(SCENARIO_SCHEMA, alias="schema")
    name: str = "Scenario"
    single_plan: Plan | None = Field(None, alias="plan")
    org_plans: Annotated[dict[PlanId, Plan], Field(min_length=1)] | None = Field(None, alias="plans")
    roster: Annotated[list[RosterRow], Field(min_length=1)]
    assumptions: dict[str, Distribution]
    correlations: list[Correlation] = []
    budget: Amount | None = None
    #: a plan year (DESIGN.md "A plan year"): the first day of the year, needed when a roster row has dates
    year_start: IsoDate | None = None
    #: money per year for the year's chance of going over; without it, ``budget`` x periods per year
    annual_budget: Amount | None = None

    @model_validator(mode="after")
    def _cross_check(self) -> Scenario:
        problems = _cross_check(self)
        if problems:
            raise PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
        return self

    @property
    def is_org(self) -> bool:
        """True when the scenario holds ``plans`` (an org), False for one ``plan`` for everyone."""
        return self.org_plans is not None

    @property
    def plans(self) -> dict[str, Plan]:
        """``{plan id: Plan}`` in file order; ``{"plan": plan}`` for a single-plan scenario."""
        if self.org_plans is not None:
            return dict(self.org_plans)
        return {SINGLE_PLAN_ID: self.single_plan} if self.single_plan is not None else {}

    @property
    def plan(self) -> Plan:
        """The one plan of a single-plan scenario (PlanError for an org: use :attr:`plans` or :meth:`plan_of`)."""
        if self.single_plan is None:
            ids = ", ".join(self.plans)
            raise PlanError(f"plan: this scenario has several plans ({ids}); pick one with plans[plan id]",
                            problems=[("plan", f"this scenario has several plans ({ids})")])
        return self.single_plan

    def plan_id_of(self, row: RosterRow | int) -> str:
        """The id of the plan a roster row (or its index) is paid by; ``"plan"`` in a single-plan scenario."""
        r = self.roster[row] if isinstance(row, int) else row
        return SINGLE_PLAN_ID if self.org_plans is None else str(r.plan)

    def plan_of(self, row: RosterRow | int) -> Plan:
        """The plan a roster row (or its index) is paid by."""
        return self.plans[self.plan_id_of(row)]

    @property
    def plan_rows(self) -> dict[str, list[int]]:
        """Roster row indices on each plan (every plan a key; a draft plan has none)."""
        return plan_rows(self.plans, self.roster)

    @property
    def metrics(self) -> dict[str, Metric]:
        """Every metric id of every plan (first-seen order) with its first definition (scope, direction agree)."""
        return shared_metrics(self.plans)

    @property
    def period(self) -> str:
        """The plans' common period (``month|quarter|half|year``)."""
        return next(iter(self.plans.values())).period

    @property
    def periods_per_year(self) -> int:
        return next(iter(self.plans.values())).periods_per_year

    @property
    def teams(self) -> list[str]:
        """Team names in roster order."""
        return list(dict.fromkeys(r.team for r in self.roster))

    @property
    def headcount(self) -> int:
        return sum(r.headcount for r in self.roster)

    @property
    def year_budget(self) -> float | None:
        """The budget of a year: ``annual_budget``, else ``budget`` x periods per year, else None."""
        if self.annual_budget is not None:
            return self.annual_budget
        return None if self.budget is None else self.budget * self.periods_per_year

    @property
    def per_period_target(self) -> float:
        """Everyone's per-period target incentive added up: what the plans cost at exactly 100% payout."""
        total = 0.0
        for pid, rows in self.plan_rows.items():
            sub = [self.roster[i] for i in rows]
            total += sum(r.headcount * t for r, t in zip(sub, row_period_targets(self.plans[pid], sub), strict=True))
        return float(total)


def _cross_check(scn: Scenario) -> list[tuple[str, str]]:
    if (scn.single_plan is None) == (scn.org_plans is None):
        both = scn.single_plan is not None
        msg = ('give either "plan" (one plan for everyone) or "plans" (plan id -> plan, each roster row naming '
               'its plan), not both') if both else 'is required: give "plan" (one plan for everyone) or "plans"'
        return [("plans" if both else "plan", msg)]
    limits = scenario_limit_problems(scn)
    if limits:  # beyond the limits nothing else is worth computing
        return limits
    single = not scn.is_org
    problems = org_problems(scn.plans, scn.roster, single)
    metrics = scn.metrics
    ids = list(metrics)
    known = ", ".join(ids)
    home = {m.id: where(pid, single) for pid, p in reversed(scn.plans.items()) for m in p.metrics}
    for m in metrics.values():
        if m.id not in scn.assumptions:
            of = "plan metric" if single else "metric"
            at = "" if single else f" of {home[m.id]}"
            problems.append((f"assumptions.{m.id}", (
                f'missing assumption for {of} "{m.id}" ({m.name}){at}; add e.g. '
                f'{{"dist": "fixed", "value": {m.target:g}}}')))
    what = "the plan; plan metrics" if single else "any plan; metrics"
    for key in scn.assumptions:
        if key not in ids:
            problems.append((f"assumptions.{key}", f'"{key}" is not a metric of {what}: {known}'))
    problems.extend(_by_team_problems(scn, metrics))
    problems.extend(_year_problems(scn))
    if scn.headcount < 1:
        problems.append(("roster", "needs at least one person (every headcount is 0)"))
    seen: dict[frozenset[str], int] = {}
    for i, c in enumerate(scn.correlations):
        bad = False
        for j, mid in enumerate(c.between):
            if mid not in ids:
                problems.append((f"correlations[{i}].between[{j}]", f'unknown metric "{mid}"; use one of: {known}'))
                bad = True
        if not bad and c.between[0] == c.between[1]:
            problems.append((f"correlations[{i}].between",
                             f'a metric cannot be correlated with itself ("{c.between[0]}")'))
            bad = True
        pair = frozenset(c.between)
        if not bad and pair in seen:
            a, b = c.between
            problems.append((f"correlations[{i}].between",
                             f"the pair {a} / {b} is already in correlations[{seen[pair]}]"))
            bad = True
        seen.setdefault(pair, i)
    if not problems:
        problems.extend(_psd_problems(scn))
    return problems


def _by_team_problems(scn: Scenario, metrics: dict[str, Metric]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    teams = scn.teams
    for mid, dist in scn.assumptions.items():
        if not dist.by_team:
            continue
        path = f"assumptions.{mid}.by_team"
        scope = metrics[mid].scope if mid in metrics else None
        if scope == "company":
            problems.append((path, (f'"{mid}" is a company metric: one value for everyone, so it cannot differ by '
                                    'team; remove by_team, or make the metric team- or individual-scoped')))
            continue
        for team, own in dist.by_team.items():
            if team not in teams:
                problems.append((f"{path}.{team}", f'no team "{team}" in the roster; teams: {", ".join(teams)}'))
            if own.by_team:
                problems.append((f"{path}.{team}.by_team", "a team's own distribution cannot have by_team itself"))
    return problems


def _year_problems(scn: Scenario) -> list[tuple[str, str]]:
    """Dates need the year they fall in; persistence belongs to a metric, not to one team's marginal."""
    problems: list[tuple[str, str]] = []
    dated = [i for i, r in enumerate(scn.roster) if r.has_dates]
    if dated and scn.year_start is None:
        i = dated[0]
        field = "start" if scn.roster[i].start is not None else "end"
        problems.append(("year_start", (
            f'is needed because roster[{i}].{field} is a date: give the first day of the plan year, '
            'e.g. "2027-01-01" (its periods are counted from it)')))
    for mid, dist in scn.assumptions.items():
        for team, own in (dist.by_team or {}).items():
            if own.persistence != 0:
                problems.append((f"assumptions.{mid}.by_team.{team}.persistence", (
                    "persistence is the metric's, shared by every team: set it on the assumption itself")))
    return problems


def correlation_matrix(scn: Scenario) -> tuple[list[str], np.ndarray]:
    """Metric ids (first-seen order over the plans) and the full correlation matrix of their copula normals."""
    ids = list(scn.metrics)
    pos = {m: i for i, m in enumerate(ids)}
    c = np.eye(len(ids))
    for corr in scn.correlations:
        i, j = pos[corr.between[0]], pos[corr.between[1]]
        c[i, j] = c[j, i] = corr.rho
    return ids, c


def _psd_problems(scn: Scenario) -> list[tuple[str, str]]:
    """A correlation matrix must be positive semi-definite; name the pairs to change if not."""
    if not scn.correlations:
        return []
    ids, c = correlation_matrix(scn)
    vals, vecs = np.linalg.eigh(c)
    if vals[0] >= -PSD_TOLERANCE:
        return []
    v = vecs[:, 0]
    pos = {m: i for i, m in enumerate(ids)}
    # v' C v < 0: the pairs whose terms 2 v_i v_j rho_ij are most negative are the contradiction
    blame = []
    for k, corr in enumerate(scn.correlations):
        i, j = pos[corr.between[0]], pos[corr.between[1]]
        blame.append((2 * v[i] * v[j] * corr.rho, k, corr))
    # Round before sorting so float noise never orders pairs that contribute equally; ties go by position.
    blame.sort(key=lambda t: (round(t[0], 9), t[1]))
    negative = [b for b in blame if round(b[0], 9) < 0]
    if not negative:
        worst = blame[:1]
    else:
        # Pairs tied with the worst are equally to blame: name them all rather than pick one by chance.
        tied = [b for b in negative if round(b[0], 9) == round(negative[0][0], 9)]
        worst = tied if len(tied) > 1 else negative[:2]
    out = []
    for _, k, corr in worst:
        a, b = corr.between
        out.append((f"correlations[{k}].rho", (
            f"these correlations contradict each other (the matrix is not positive semi-definite, smallest "
            f"eigenvalue {vals[0]:.3g}); move rho {corr.rho:g} between {a} and {b} towards 0")))
    return out


_ALIASES = {"single_plan": "plan", "org_plans": "plans"}


def _scenario_location(loc: tuple[Any, ...]) -> str:
    parts = [_ALIASES.get(p, p) if i == 0 else p for i, p in enumerate(loc)]
    if parts and parts[0] == "assumptions":
        # drop pydantic's union tags (after the metric id, and after a by_team team name)
        parts = [p for i, p in enumerate(parts) if not (i >= 2 and p in DIST_KINDS
                                                           and (i == 2 or parts[i - 2] == "by_team"))]
    if parts and parts[0] == "assumptions" and len(parts) == 2:
        return f"assumptions.{parts[1]}"
    if len(parts) >= 3 and parts[0] == "plans" and parts[2] == "[key]":
        return f"plans.{parts[1]}"
    return field_path(tuple(parts))


def _scenario_message(path: str, err: Any) -> str | None:
    kind = err["type"]
    if path.startswith("assumptions.") and kind == "union_tag_invalid":
        return f"unknown distribution {err['ctx']['tag']!r}; use one of: {', '.join(DIST_KINDS)}"
    if path.startswith("assumptions.") and kind == "union_tag_not_found":
        return f'needs a "dist": one of {", ".join(DIST_KINDS)}'
    if kind == "literal_error" and path == "schema":
        return f"unknown schema version {err.get('input')!r}; this version reads {SCENARIO_SCHEMA!r}"
    if kind == "string_pattern_mismatch" and path.startswith("plans."):
        return f"{err.get('input')!r} is not a valid plan id; use lowercase letters, digits and _"
    if kind == "dict_type" and path == "plans":
        return "must be an object {plan id: plan}"
    if kind == "dict_type":
        return "must be an object {metric id: distribution}"
    return None


def _scenario_error(exc: ValidationError) -> PlanError:
    return validation_error(exc, location=_scenario_location, message=_scenario_message)


def _prefixed(err: PlanError, prefix: str) -> PlanError:
    problems = [(".".join(x for x in (prefix, p) if x), m) for p, m in err.problems]
    return PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)


def load_scenario(source: dict[str, Any] | str | Path | Scenario) -> Scenario:
    """Load and validate a scenario (schema v1).

    Parameters
    ----------
    source : dict, JSON text, path to a ``.json`` file, or a Scenario.
        The plan is inline (``"plan": {...}``) or a file (``"plan_file"``),
        relative to the scenario file's folder (to the working directory when
        the scenario is not a file); an org gives ``"plans": {plan id: plan}``
        and names each roster row's ``"plan"``.

    Raises
    ------
    PlanError
        naming each invalid field path, e.g. ``roster[2].headcount: ...``.

    Examples
    --------
    >>> scn = load_scenario("sample_data/scenarios/cs_ops_enablement.json")  # doctest: +SKIP
    >>> scn.plan.period  # doctest: +SKIP
    'year'
    """
    if isinstance(source, Scenario):
        return source
    data = dict(read_source(source, "scenario"))
    if data.get("schema") == PLAN_SCHEMA:
        msg = ("this is a plan, not a scenario: a scenario holds a plan with its roster and assumptions "
               "(open the plan on the Plan designer, or give a scenario file)")
        raise PlanError(f"schema: {msg}", problems=[("schema", msg)])
    if "schema" in data and data["schema"] != SCENARIO_SCHEMA:
        raise PlanError(
            f"schema: unknown schema version {data['schema']!r}; this version reads {SCENARIO_SCHEMA!r}",
            problems=[("schema", f"unknown schema version {data['schema']!r}")],
        )
    if "plan_file" in data:
        if "plan" in data or "plans" in data:
            raise PlanError('plan_file: give either "plan" (inline) or "plan_file", not both',
                            problems=[("plan_file", 'give either "plan" or "plan_file", not both')])
        ref = data.pop("plan_file")
        if not isinstance(ref, str) or not ref:
            raise PlanError("plan_file: must be a path to a plan .json file",
                            problems=[("plan_file", "must be a path to a plan .json file")])
        folder = Path(source).parent if isinstance(source, Path | str) and not _is_json_text(source) else Path()
        try:
            data["plan"] = load_plan(folder / ref)
        except PlanError as e:
            raise _prefixed(e, "plan_file") from None
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        raise _scenario_error(e) from None


def _is_json_text(source: Any) -> bool:
    return isinstance(source, str) and source.lstrip().startswith(("{", "["))


def dump_scenario(scn: Scenario) -> dict[str, Any]:
    """The scenario as a JSON-ready dict with the plans inline; ``load_scenario(dump_scenario(s)) == s``.

    A single-plan scenario dumps ``"plan"`` exactly as before org plans existed; an org dumps
    ``"plans"`` and each roster row's ``"plan"``.
    """
    data = scn.model_dump(by_alias=True, mode="json", exclude_none=True, exclude={"single_plan", "org_plans"})
    out: dict[str, Any] = {"schema": data.pop("schema"), "name": data.pop("name")}
    if scn.org_plans is not None:
        out["plans"] = {pid: dump_plan(p) for pid, p in scn.org_plans.items()}
    else:
        out["plan"] = dump_plan(scn.plan)
    data["assumptions"] = {k: _by_team_last(v) for k, v in data.get("assumptions", {}).items()}
    out.update(data)
    if scn.budget is None:
        out.pop("budget", None)
    return out


def _by_team_last(dist: dict[str, Any]) -> dict[str, Any]:
    """A dumped assumption with ``dist`` first and ``by_team`` last, the way a person writes it
    (``persistence`` before ``by_team``, left out at 0 so files without it dump as they always did)."""
    out = {"dist": dist["dist"], **{k: v for k, v in dist.items() if k not in ("dist", "by_team", "persistence")}}
    if dist.get("persistence", 0) != 0:
        out["persistence"] = dist["persistence"]
    if "by_team" in dist:
        out["by_team"] = {t: _by_team_last(d) for t, d in dist["by_team"].items()}
    return out
