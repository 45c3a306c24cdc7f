"""Scenario schema v1: a plan, a roster, assumptions per metric, correlations, a budget.

A scenario is what the Monte Carlo prices (:mod:`compcore.simulation.simulate`). It is a
frozen pydantic model holding a :class:`~compcore.plan.schema.Plan`; loading checks
every field and raises :class:`~compcore.errors.PlanError` naming its path,
e.g. ``assumptions.team_okr.sd: must not be negative (>= 0), got -0.1``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from compcore.errors import PlanError, field_path, validation_error
from compcore.plan.schema import Plan, dump_plan, load_plan, read_source
from compcore.simulation.distributions import DIST_KINDS, Distribution
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
    rho: Annotated[float, Field(ge=-1, le=1, allow_inf_nan=False)]


class Scenario(_Model):
    """A Monte Carlo scenario, schema ``compcore.scenario/v1`` (see DESIGN.md).

    ``budget`` is money per plan period, like ``SimulationResult.cost``.
    """

    schema_: Literal["compcore.scenario/v1"] = Field(SCENARIO_SCHEMA, alias="schema")
    name: str = "Scenario"
    plan: Plan
    roster: Annotated[list[RosterRow], Field(min_length=1)]
    assumptions: dict[str, Distribution]
    correlations: list[Correlation] = []
    budget: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _cross_check(self) -> Scenario:
        problems = _cross_check(self)
        if problems:
            raise PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
        return self

    @property
    def headcount(self) -> int:
        return sum(r.headcount for r in self.roster)

    @property
    def per_period_target(self) -> float:
        """Everyone's per-period target incentive added up: what the plan costs at exactly 100% payout."""
        return float(sum(r.headcount * t for r, t in zip(self.roster, row_period_targets(self.plan, self.roster),
                                                          strict=True)))


def _cross_check(scn: Scenario) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    ids = [m.id for m in scn.plan.metrics]
    known = ", ".join(ids)
    for m in scn.plan.metrics:
        if m.id not in scn.assumptions:
            problems.append((f"assumptions.{m.id}", (
                f'missing assumption for plan metric "{m.id}" ({m.name}); add e.g. '
                f'{{"dist": "fixed", "value": {m.target:g}}}')))
    for key in scn.assumptions:
        if key not in ids:
            problems.append((f"assumptions.{key}", f'"{key}" is not a metric of the plan; plan metrics: {known}'))
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


def correlation_matrix(scn: Scenario) -> tuple[list[str], np.ndarray]:
    """Metric ids (plan order) and the full correlation matrix of their copula normals."""
    ids = [m.id for m in scn.plan.metrics]
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


def _scenario_location(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if len(parts) > 2 and parts[0] == "assumptions" and parts[2] in DIST_KINDS:
        del parts[2]  # pydantic's union tag, not a field the user wrote
    if parts and parts[0] == "assumptions" and len(parts) == 2:
        return f"assumptions.{parts[1]}"
    return field_path(tuple(parts))


def _scenario_message(path: str, err: Any) -> str | None:
    kind = err["type"]
    if path.startswith("assumptions.") and kind == "union_tag_invalid":
        return f"unknown distribution {err['ctx']['tag']!r}; use one of: {', '.join(DIST_KINDS)}"
    if path.startswith("assumptions.") and kind == "union_tag_not_found":
        return f'needs a "dist": one of {", ".join(DIST_KINDS)}'
    if kind == "literal_error" and path == "schema":
        return f"unknown schema version {err.get('input')!r}; this version reads {SCENARIO_SCHEMA!r}"
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
        the scenario is not a file).

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
    if "schema" in data and data["schema"] != SCENARIO_SCHEMA:
        raise PlanError(
            f"schema: unknown schema version {data['schema']!r}; this version reads {SCENARIO_SCHEMA!r}",
            problems=[("schema", f"unknown schema version {data['schema']!r}")],
        )
    if "plan_file" in data:
        if "plan" in data:
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
    """The scenario as a JSON-ready dict with the plan inline; ``load_scenario(dump_scenario(s)) == s``."""
    data = scn.model_dump(by_alias=True, mode="json", exclude_none=True, exclude={"plan"})
    out: dict[str, Any] = {"schema": data.pop("schema"), "name": data.pop("name"), "plan": dump_plan(scn.plan)}
    out.update(data)
    if scn.budget is None:
        out.pop("budget", None)
    return out
