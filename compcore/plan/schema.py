"""Plan schema v1: typed plan objects, ``load_plan`` / ``dump_plan`` and validation.

A plan says which metrics count, how attainment of each maps to a payout
fraction (curves), and which gates, modifiers and caps apply. Every invalid
plan raises :class:`~compcore.errors.PlanError` naming the field path.
"""

from __future__ import annotations

import json
import numbers
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)

from compcore.errors import PlanError, validation_error
from compcore.io.reading import check_plain, read_bounded
from compcore.plan.schedule import Accumulate, Schedule

PLAN_SCHEMA = "compcore.plan/v1"
#: how many plan periods a year holds
PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "half": 2, "year": 1}
#: thresholds, gates and band edges compare attainment with this tolerance
TOLERANCE = 1e-9
#: largest salary, amount or target accepted (money or metric units); beyond it float sums lose meaning
MAX_AMOUNT = 1e12
#: most metrics one plan may have
MAX_METRICS = 30
#: most points, bands or steps one curve may have
MAX_CURVE_POINTS = 100
#: largest file a plan or scenario is read from (a real one is a few KiB)
MAX_SOURCE_BYTES = 1_000_000
#: steepest last segment an ``above: "extend"`` line may continue (payout fraction per unit of attainment)
MAX_EXTEND_SLOPE = 1e6

Period = Literal["month", "quarter", "half", "year"]
AppliesTo = Literal["all"] | list[str]


class _Model(BaseModel):
    # frozen: a plan is a value; extra=forbid: a typo such as "wieght" is an error, not ignored
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _whole(value: Any) -> Any:
    """Integral numbers (also 12.0 or a numpy integer) as int; anything else is left for the strict check."""
    if isinstance(value, bool):
        return value  # true is not 1: the strict int check rejects it
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Numbers are JSON numbers: strict, so "0.6" (a string) and true are errors, never 0.6 or 1.
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
NonNegative = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
Amount = Annotated[float, Strict(), Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
WholeNumber = Annotated[int, BeforeValidator(_whole), Strict()]
Point = tuple[NonNegative, NonNegative]


def _strictly_increasing(xs: list[float], what: str) -> None:
    if any(b <= a for a, b in zip(xs, xs[1:], strict=False)):
        raise ValueError(f"{what} must strictly increase (got {xs})")


class TargetIncentive(_Model):
    """Annual target incentive: a share of base salary or a fixed amount."""

    percent_of_base: NonNegative | None = None
    amount: Amount | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> TargetIncentive:
        if (self.percent_of_base is None) == (self.amount is None):
            raise ValueError('give exactly one of "percent_of_base" (e.g. 0.08) or "amount"')
        return self

    def annual(self, base_salary: Any) -> Any:
        """Annual target incentive in money for a base salary (scalar or array)."""
        if self.amount is not None:
            return self.amount + 0 * base_salary
        return self.percent_of_base * base_salary


NO_NAME = "needs a name a person can read"


def readable_name(name: str) -> str:
    """``name`` unchanged when it has something to read; a blank name is an error (people read it, not the id).

    >>> readable_name("Clients adopted")
    'Clients adopted'
    >>> readable_name("  ")
    Traceback (most recent call last):
    ...
    ValueError: needs a name a person can read
    """
    if not name.strip():
        raise ValueError(NO_NAME)
    return name


#: a component id: letters (either case), digits, ``_`` or ``-``
COMPONENT_ID = r"^[A-Za-z0-9_-]+$"


#: the CS-record definitions a metric can be measured by (compcore.data.metrics.METRICS; pinned by a test)
DEFINITION_KINDS = ("on_time_go_live", "adoption_within", "continued_adoption", "activities", "grr", "nrr")


class MetricDefinition(_Model):
    """How a metric is measured from CS records (optional): the history its target and assumption come from.

    ``metric`` names the definition; the other fields are its options (absent: the definition's default),
    e.g. ``{"metric": "adoption_within", "days": 90, "min_seat_share": 0.4}``. A target is only ever set
    from the history of the metric's own definition (docs/metrics.md).
    """

    metric: Literal["on_time_go_live", "adoption_within", "continued_adoption", "activities", "grr", "nrr"]
    days: Annotated[WholeNumber, Field(ge=0, le=730)] | None = None
    grace_days: Annotated[WholeNumber, Field(ge=0, le=365)] | None = None
    last_weeks: Annotated[WholeNumber, Field(ge=1, le=52)] | None = None
    min_days_live: Annotated[WholeNumber, Field(ge=0, le=3650)] | None = None
    min_active_users: Annotated[WholeNumber, Field(ge=1, le=1_000_000)] | None = None
    min_seat_share: Annotated[float, Strict(), Field(gt=0, le=1, allow_inf_nan=False)] | None = None
    require: Literal["all", "any"] | None = None
    kind: Literal["ebr", "touchpoint", "cross_sell_lead"] | None = None


class Metric(_Model):
    """A measured quantity with a target; attainment = value / target (or 2 - value / target).

    ``definition`` (optional) says how it is measured from CS records (:class:`MetricDefinition`).
    """

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    name: str
    unit: str = ""
    target: Annotated[float, Strict(), Field(gt=0, le=MAX_AMOUNT, allow_inf_nan=False)]
    direction: Literal["higher", "lower"] = "higher"
    scope: Literal["individual", "team", "company"] = "individual"
    #: how a year-to-date schedule adds the periods up: the mean of the periods (shares, rates) or their sum (counts)
    accumulate: Accumulate = "mean"
    definition: MetricDefinition | None = None

    @field_validator("name")
    @classmethod
    def _readable(cls, name: str) -> str:
        return readable_name(name)


class LinearCurve(_Model):
    """Points joined by straight lines; below the first point pays 0 (it is the threshold)."""

    kind: Literal["linear"] = "linear"
    points: Annotated[list[Point], Field(min_length=2, max_length=MAX_CURVE_POINTS)]
    above: Literal["flat", "extend"] = "flat"
    cap: NonNegative | None = None

    @field_validator("points")
    @classmethod
    def _increasing(cls, points: list[Point]) -> list[Point]:
        _strictly_increasing([p[0] for p in points], "x values")
        return points

    @model_validator(mode="after")
    def _extendable(self) -> LinearCurve:
        # an extended line keeps its last slope up to attainment 1e6: a near-vertical last segment
        # ([0, 0], [5e-324, 1]) would pay infinity, so its slope is bounded on load
        if self.above == "extend" and len(self.points) >= 2:
            (x0, y0), (x1, y1) = self.points[-2], self.points[-1]
            slope = (y1 - y0) / (x1 - x0)
            if not abs(slope) <= MAX_EXTEND_SLOPE:
                raise ValueError(f"the last segment rises too steeply to extend (slope {slope:.3g}, at most "
                                 f"{MAX_EXTEND_SLOPE:g}); move its points apart or cap the curve with "
                                 '"above": "flat"')
        return self


class Band(_Model):
    """A tier: from this attainment on, ``rate`` pays per unit of attainment."""

    start: NonNegative = Field(alias="from")
    rate: NonNegative


class TiersCurve(_Model):
    """Rate bands: ``marginal`` pays each band's rate inside it, ``retroactive`` pays all at the reached rate."""

    kind: Literal["tiers"] = "tiers"
    bands: Annotated[list[Band], Field(min_length=1, max_length=MAX_CURVE_POINTS)]
    mode: Literal["marginal", "retroactive"] = "marginal"
    threshold: NonNegative | None = None
    cap: NonNegative | None = None

    @field_validator("bands")
    @classmethod
    def _bands_ok(cls, bands: list[Band]) -> list[Band]:
        if bands[0].start != 0:
            raise ValueError('the first band must start "from": 0')
        _strictly_increasing([b.start for b in bands], '"from" values')
        return bands


class StepsCurve(_Model):
    """A step table: the payout of the highest step at or below attainment; 0 below the first."""

    kind: Literal["steps"] = "steps"
    steps: Annotated[list[Point], Field(min_length=1, max_length=MAX_CURVE_POINTS)]
    cap: NonNegative | None = None

    @field_validator("steps")
    @classmethod
    def _increasing(cls, steps: list[Point]) -> list[Point]:
        _strictly_increasing([s[0] for s in steps], "step x values")
        return steps


Curve = Annotated[LinearCurve | TiersCurve | StepsCurve, Field(discriminator="kind")]
ModifierCurve = Annotated[LinearCurve | StepsCurve, Field(discriminator="kind")]


class Component(_Model):
    """A weighted part of the plan paying ``curve(attainment of metric)``."""

    # any letters (case kept), digits, _ or -: "A", "okr", "Go-live" (DESIGN.md plan schema)
    id: Annotated[str, Field(pattern=COMPONENT_ID)]
    metric: str
    weight: Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
    curve: Curve
    name: str = ""


class Gate(_Model):
    """When ``metric``'s attainment is strictly below ``below``, payout is capped at ``cap``."""

    metric: str
    below: NonNegative
    cap: NonNegative
    applies_to: AppliesTo = "all"


class Modifier(_Model):
    """Multiplies payout by ``curve(attainment of metric)`` (a multiplier / kicker)."""

    metric: str
    curve: ModifierCurve
    applies_to: AppliesTo = "all"


class Plan(_Model):
    """A variable-pay plan, schema ``compcore.plan/v1`` (see DESIGN.md)."""

    schema_: Literal["compcore.plan/v1"] = Field(PLAN_SCHEMA, alias="schema")
    name: str
    period: Period = "year"
    target_incentive: TargetIncentive
    metrics: Annotated[list[Metric], Field(min_length=1, max_length=MAX_METRICS)]
    components: Annotated[list[Component], Field(min_length=1, max_length=MAX_METRICS)]
    gates: Annotated[list[Gate], Field(max_length=MAX_METRICS)] = []
    modifiers: Annotated[list[Modifier], Field(max_length=MAX_METRICS)] = []
    cap: NonNegative | None = None
    #: how the periods add up to a year (DESIGN.md "A plan year"); the default pays each period on its own
    schedule: Schedule = Schedule()

    @field_validator("name")
    @classmethod
    def _readable(cls, name: str) -> str:
        return readable_name(name)

    @property
    def periods_per_year(self) -> int:
        return PERIODS_PER_YEAR[self.period]

    def period_target_incentive(self, base_salary: Any, override: TargetIncentive | None = None) -> Any:
        """Target incentive per plan period in money: annual (plan's or a roster override) / periods per year.

        >>> TI = TargetIncentive(percent_of_base=0.08)
        >>> Plan.model_construct(period="quarter", target_incentive=TI).period_target_incentive(100_000)
        2000.0
        """
        return (override or self.target_incentive).annual(base_salary) / self.periods_per_year

    def metric(self, metric_id: str) -> Metric:
        """The metric with this id (KeyError if none)."""
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise KeyError(metric_id)

    @model_validator(mode="after")
    def _references(self) -> Plan:
        problems = cross_check(self)
        if problems:
            raise PlanError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
        return self


def _duplicates(ids: list[str]) -> list[int]:
    seen: set[str] = set()
    dup = []
    for i, x in enumerate(ids):
        if x in seen:
            dup.append(i)
        seen.add(x)
    return dup


def cross_check(plan: Plan) -> list[tuple[str, str]]:
    """Rules across fields: ids unique, references known, weights sum to 1."""
    problems: list[tuple[str, str]] = []
    metric_ids = [m.id for m in plan.metrics]
    comp_ids = [c.id for c in plan.components]
    for i in _duplicates(metric_ids):
        problems.append((f"metrics[{i}].id", f'duplicate metric id "{metric_ids[i]}"; ids must be unique'))
    for i in _duplicates(comp_ids):
        problems.append((f"components[{i}].id", f'duplicate component id "{comp_ids[i]}"; ids must be unique'))
    known = ", ".join(metric_ids)
    for i, c in enumerate(plan.components):
        if c.metric not in metric_ids:
            problems.append((f"components[{i}].metric", f'unknown metric "{c.metric}"; use one of: {known}'))
    for kind, items in (("gates", plan.gates), ("modifiers", plan.modifiers)):
        for i, g in enumerate(items):
            if g.metric not in metric_ids:
                problems.append((f"{kind}[{i}].metric", f'unknown metric "{g.metric}"; use one of: {known}'))
            if g.applies_to != "all":
                for j, cid in enumerate(g.applies_to):
                    if cid not in comp_ids:
                        problems.append((
                            f"{kind}[{i}].applies_to[{j}]",
                            f'unknown component "{cid}"; use "all" or one of: {", ".join(comp_ids)}',
                        ))
    total = sum(c.weight for c in plan.components)
    if abs(total - 1.0) > TOLERANCE:
        problems.append((
            "components",
            f"weights must sum to 1 (100%), they sum to {total:.6g}; adjust the weights",
        ))
    return problems


def _plan_message(path: str, err: Any) -> str | None:
    if err["type"] == "literal_error" and path.endswith("schema"):
        return f"unknown schema version {err.get('input')!r}; this version reads {PLAN_SCHEMA!r}"
    return None


def plan_error_from(exc: ValidationError, prefix: str = "") -> PlanError:
    """Turn pydantic's error into a PlanError whose message lists each field path."""
    return validation_error(exc, prefix=prefix, message=_plan_message)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(text: str | bytes, what: str) -> Any:
    """JSON text (or UTF-8 bytes) to Python; PlanError for anything that is not plain, finite JSON.

    Non-UTF-8 bytes, NaN/Infinity, a number too long to read, nesting too deep
    for the parser: each is a PlanError, never another exception.

    >>> parse_json(b"\\xff", "plan")
    Traceback (most recent call last):
    ...
    compcore.errors.PlanError: plan is not UTF-8 text (byte 0 cannot be read); save the file as UTF-8 JSON
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise PlanError(f"{what} is not UTF-8 text (byte {e.start} cannot be read); "
                            "save the file as UTF-8 JSON") from None
    if "\x00" in text:
        raise PlanError(f"{what} is a binary file, not JSON text")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise PlanError(f"{what} is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise PlanError(f"{what} is not valid JSON: nested too deep") from None
    except ValueError as e:  # NaN/Infinity, or an integer longer than Python reads (4,300 digits)
        raise PlanError(f"{what} is not valid JSON: {str(e)[:120]}") from None


def read_source(source: Any, what: str) -> dict[str, Any]:
    """Turn a dict, JSON text or path into a dict (PlanError if it cannot, whatever the input)."""
    if isinstance(source, BaseModel):
        return source.model_dump(by_alias=True, mode="json")
    if isinstance(source, dict):
        check_plain(source, what)
        return source
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith(("{", "["))):
        if isinstance(source, str) and ("\x00" in source or len(source) > 4096):
            raise PlanError(f"a {what} must be a dict, JSON text or a path; this text is neither")
        # a byte bound whatever the file is: a device, FIFO or /proc file is refused or cut, never read to the end
        text: str | bytes = read_bounded(source, MAX_SOURCE_BYTES, what)
    elif isinstance(source, str | bytes | bytearray):
        text = source
    else:
        raise PlanError(f"a {what} must be a dict, JSON text or a path, not {type(source).__name__}")
    data = parse_json(text, what)
    if not isinstance(data, dict):
        raise PlanError(f"a {what} must be a JSON object, not {type(data).__name__}")
    check_plain(data, what)
    return data


def load_plan(source: dict[str, Any] | str | Path | Plan) -> Plan:
    """Load and validate a plan (schema v1).

    Parameters
    ----------
    source : dict, JSON text, path to a ``.json`` file, or a Plan

    Raises
    ------
    PlanError
        naming each invalid field path and what to do.

    Examples
    --------
    >>> plan = load_plan({"name": "x", "target_incentive": {"amount": 1000},
    ...     "metrics": [{"id": "m", "name": "M", "target": 1}],
    ...     "components": [{"id": "c", "metric": "m", "weight": 1,
    ...                     "curve": {"kind": "linear", "points": [[0, 0], [1, 1]]}}]})
    >>> plan.components[0].weight
    1.0
    """
    if isinstance(source, Plan):
        return source
    data = read_source(source, "plan")
    if data.get("schema") == "compcore.scenario/v1" or ("schema" not in data and "roster" in data):
        msg = ("this is a scenario, not a plan (it has a roster and assumptions): give a plan file here, "
               "or use a command that takes a scenario (simulate, describe)")
        raise PlanError(f"schema: {msg}", problems=[("schema", msg)])
    if "schema" in data and data["schema"] != PLAN_SCHEMA:
        raise PlanError(
            f"schema: unknown schema version {data['schema']!r}; this version reads {PLAN_SCHEMA!r}",
            problems=[("schema", f"unknown schema version {data['schema']!r}")],
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as e:
        raise plan_error_from(e) from None
    except PlanError:
        raise


def dump_plan(plan: Plan) -> dict[str, Any]:
    """The plan as a JSON-ready dict; ``load_plan(dump_plan(p)) == p``.

    Examples
    --------
    >>> p = load_plan({"name": "x", "target_incentive": {"amount": 1000},
    ...     "metrics": [{"id": "m", "name": "M", "target": 1}],
    ...     "components": [{"id": "c", "metric": "m", "weight": 1,
    ...                     "curve": {"kind": "steps", "steps": [[1, 1]]}}]})
    >>> load_plan(dump_plan(p)) == p
    True
    """
    data = plan.model_dump(by_alias=True, mode="json", exclude_none=True)
    # the year's fields are left out at their defaults, so a plan without them dumps as it always did
    if plan.schedule.is_default:
        del data["schedule"]
    for m in data["metrics"]:
        if m["accumulate"] == "mean":
            del m["accumulate"]
    return data
