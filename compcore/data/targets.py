"""From a CS team's records to plan targets, assumptions and back-test inputs.

A *metric spec* is a JSON-ready dict naming a definition of :data:`compcore.data.metrics.METRICS`
and its options, e.g. ``{"metric": "adoption_within", "days": 90, "min_seat_share": 0.4}``.
This module turns specs into histories at a plan's period and a plan metric's
scope, picks a target from a percentile, fits an assumption, suggests which
definition measures which plan metric, and reads uploaded CSV files. Pure pandas.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from compcore.data.metrics import (
    ACTIVITY_KINDS,
    DEFAULT_ADOPTION_RULE,
    METRICS,
    AdoptionRule,
    CSData,
    compute_metric,
    fit_assumption,
    target_from_history,
)
from compcore.data.records import SCHEMAS
from compcore.errors import PlanError
from compcore.plan.schema import Plan

__all__ = [
    "LABELS", "backtest_histories", "describe_spec", "files_to_frames", "fit_by_team", "fit_for", "guess_definition",
    "last_year",
    "metric_history", "metric_options", "plan_history", "scope_by", "suggest_mapping", "target_for",
]

#: plain-English name of each definition
LABELS: dict[str, str] = {
    "on_time_go_live": "On-time go-live", "adoption_within": "Adopted within N days",
    "continued_adoption": "Continued adoption", "activities": "Activities per person",
    "grr": "Gross revenue retention (GRR)", "nrr": "Net revenue retention (NRR)",
}
_KINDS = {"ebr": "executive business reviews", "touchpoint": "touchpoints", "cross_sell_lead": "cross-sell leads"}
_RULE = ("min_active_users", "min_seat_share", "require")
_OPTIONS: dict[str, tuple[str, ...]] = {
    "on_time_go_live": ("grace_days",), "adoption_within": ("days",),
    "continued_adoption": ("last_weeks", "min_days_live"), "activities": (), "grr": (), "nrr": (),
}


def _check(spec: Mapping[str, Any]) -> str:
    metric = spec.get("metric")
    if metric not in METRICS:
        raise PlanError(f"metric: unknown {metric!r}; one of {', '.join(METRICS)}")
    return str(metric)


def metric_options(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword options for :func:`compute_metric` from a spec (period and by excluded).

    Examples
    --------
    >>> metric_options({"metric": "adoption_within", "days": 60, "min_active_users": 5})
    {'days': 60, 'rule': AdoptionRule(min_active_users=5, min_seat_share=None, require='all')}
    """
    metric = _check(spec)
    out: dict[str, Any] = {k: int(spec[k]) for k in _OPTIONS[metric] if spec.get(k) is not None}
    if metric in ("adoption_within", "continued_adoption") and any(spec.get(k) is not None for k in _RULE[:2]):
        users = spec.get("min_active_users")
        share = spec.get("min_seat_share")
        out["rule"] = AdoptionRule(min_active_users=None if users is None else int(users),
                                   min_seat_share=None if share is None else float(share),
                                   require=spec.get("require") or "all")
    if metric == "activities":
        kind = spec.get("kind") or "ebr"
        if kind not in ACTIVITY_KINDS:
            raise PlanError(f"kind: must be one of {', '.join(ACTIVITY_KINDS)}, not {kind!r}")
        out["kinds"] = [kind]
    return out


def describe_spec(spec: Mapping[str, Any]) -> str:
    """One line saying what the spec counts, e.g. 'Adopted within 90 days (>= 40% of ...)'.

    Examples
    --------
    >>> describe_spec({"metric": "on_time_go_live", "grace_days": 14})
    'On-time go-live (live by period end + 14 days)'
    """
    metric = _check(spec)
    opts = metric_options(spec)
    rule = opts.get("rule")
    rule_text = (rule or DEFAULT_ADOPTION_RULE).describe()
    if metric == "adoption_within":
        return f"Adopted within {opts.get('days', 90)} days ({rule_text})"
    if metric == "continued_adoption":
        return f"Continued adoption ({rule_text}, average of the last {opts.get('last_weeks', 4)} weeks)"
    if metric == "on_time_go_live":
        return f"On-time go-live (live by period end + {opts.get('grace_days', 0)} days)"
    if metric == "activities":
        return f"Activities per person: {_KINDS[opts['kinds'][0]]}"
    return LABELS[metric]


def metric_history(data: CSData, spec: Mapping[str, Any], *, period: str = "quarter",
                   by: str = "team") -> pd.DataFrame:
    """The spec's tidy table by ``period`` and ``by``.

    Activity counts keep one kind (``spec["kind"]``, default ``ebr``); for a team
    or the company, ``value`` is the count *per person* (count / headcount), so a
    per-person target compares like with like. By owner it is the count. Activity
    tables also get ``n`` = headcount (the people counted), like the client cohorts.
    """
    metric = _check(spec)
    table = compute_metric(data, metric, period=period, by=by, **metric_options(spec))
    if metric == "activities":
        attrs = dict(table.attrs)
        table = table.assign(n=table["headcount"])
        if by != "owner":
            table["value"] = table["per_person"].astype(float)
        table.attrs.update(attrs)
    return table


def scope_by(scope: str) -> str:
    """The breakdown that matches a plan metric's scope: company, team, or owner (individual)."""
    return {"company": "company", "team": "team"}.get(scope, "owner")


def plan_history(data: CSData, spec: Mapping[str, Any], plan: Plan, metric_id: str) -> pd.DataFrame:
    """History at the plan's period and broken down by the plan metric's scope."""
    return metric_history(data, spec, period=plan.period, by=scope_by(plan.metric(metric_id).scope))


def target_for(data: CSData, spec: Mapping[str, Any], plan: Plan, metric_id: str, percentile: float) -> float:
    """The ``percentile`` of the complete past values at the plan's period and the metric's scope."""
    return target_from_history(plan_history(data, spec, plan, metric_id), percentile)


def fit_for(data: CSData, spec: Mapping[str, Any], plan: Plan, metric_id: str,
            kind: str = "auto") -> dict[str, Any]:
    """A scenario assumption for ``metric_id`` fitted on its history (see :func:`fit_assumption`)."""
    return fit_assumption(plan_history(data, spec, plan, metric_id), kind)


def fit_by_team(data: CSData, spec: Mapping[str, Any], plan: Plan, metric_id: str, teams: Sequence[str],
                kind: str = "auto", history: pd.DataFrame | None = None) -> dict[str, Any]:
    """An assumption fitted on every team's history, with ``by_team`` fitted on each team's own records.

    For a ``team`` metric a team's rows are its own periods; for an ``individual`` metric, the periods
    of its people (owners matched to teams through ``people``). A team without a usable history keeps
    the default (it is left out of ``by_team``). Teams differ in how hard a target is for them (the
    sample history has 57% to 100% adopted within 90 days by team): this is what lets a simulation
    show whether each team has a fair chance at its target.

    Raises
    ------
    PlanError
        for a company metric (one value for everyone: nothing to fit by team).
    """
    scope = plan.metric(metric_id).scope
    if scope == "company":
        raise PlanError(f'{metric_id}: a company metric has one value for everyone; fit it without by_team')
    if history is None:  # ``history``: the plan history already computed (the app caches it)
        history = plan_history(data, spec, plan, metric_id)
    out = fit_assumption(history, kind)
    if scope == "team":
        team_of = history["team"]
    else:
        team_of = history["owner"].map(dict(zip(data.people["owner"], data.people["team"], strict=True)))
    by_team = {}
    for team in teams:
        try:
            by_team[team] = fit_assumption(history[(team_of == team).to_numpy()], out["dist"])
        except PlanError:
            continue  # no usable period for this team: it keeps the default
    if by_team:
        out["by_team"] = by_team
    return out


def last_year(data: CSData, spec: Mapping[str, Any], by: str = "team") -> pd.DataFrame:
    """The last complete calendar year by ``by``, with an ``All`` row for the company.

    Columns: year, group, n, value. "X% of clients adopted within 90 days last year,
    by team" is this table. Empty when no year is complete.
    """
    company = metric_history(data, spec, period="year", by="company")
    done = company[company["complete"].astype(bool)]
    if done.empty:
        return pd.DataFrame({"year": [], "group": [], "n": [], "value": []})
    year = done["period"].iloc[-1]
    parts = [] if by == "company" else [metric_history(data, spec, period="year", by=by).rename(columns={by: "group"})]
    parts.append(company.rename(columns={"company": "group"}).assign(group="All"))
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[rows["period"] == year]
    n = rows["headcount"] if "headcount" in rows else rows["n"]
    return pd.DataFrame({"year": year, "group": rows["group"].to_numpy(), "n": n.to_numpy(),
                         "value": rows["value"].to_numpy(dtype=float)})


_KEYWORDS: tuple[tuple[str, dict[str, Any]], ...] = (
    (r"go.?live", {"metric": "on_time_go_live"}),
    (r"continued|usage|still", {"metric": "continued_adoption"}),
    (r"adopt", {"metric": "adoption_within"}),
    (r"\bebr|business review", {"metric": "activities", "kind": "ebr"}),
    (r"touch", {"metric": "activities", "kind": "touchpoint"}),
    (r"cross.?sell|lead", {"metric": "activities", "kind": "cross_sell_lead"}),
    (r"\bgrr\b|gross.*retention", {"metric": "grr"}),
    (r"\bnrr\b|net.*retention", {"metric": "nrr"}),
)


def guess_definition(metric_id: str, name: str) -> dict[str, Any] | None:
    """The definition a plan metric's id and name name ("adopted within 60 days" -> adoption, 60 days), or None.

    >>> guess_definition("adoption_90d", "Clients adopted within 90 days")
    {'metric': 'adoption_within', 'days': 90}
    >>> guess_definition("team_okr", "Team OKR score") is None
    True
    """
    text = f"{metric_id.replace('_', ' ')} {name}".lower()
    for pattern, spec in _KEYWORDS:
        if re.search(pattern, text):
            out = dict(spec)
            days = re.search(r"(\d+)\s*(?:d\b|days)", text)
            if spec["metric"] == "adoption_within" and days:
                out["days"] = int(days.group(1))
            return out
    return None


def suggest_mapping(plan: Plan) -> dict[str, dict[str, Any]]:
    """Which definition measures each plan metric: its stored ``definition``, else the one its name names.

    Metrics with neither are left out (a back-test holds them at target).

    Examples
    --------
    >>> from compcore.plan.schema import load_plan
    >>> sorted(suggest_mapping(load_plan("sample_data/plans/cs_org_quarterly.json")))
    ['adoption_90d', 'continued_usage', 'ebrs', 'go_live_on_time']
    """
    out: dict[str, dict[str, Any]] = {}
    for m in plan.metrics:
        spec = m.definition.model_dump(exclude_none=True) if m.definition is not None else guess_definition(m.id,
                                                                                                          m.name)
        if spec is not None:
            out[m.id] = spec
    return out


def backtest_histories(data: CSData, mapping: Mapping[str, Mapping[str, Any]],
                       plan: Plan) -> dict[str, pd.DataFrame]:
    """History per mapped plan metric at the plan's period, by company for company metrics, else by team.

    Mappings to metrics the plan no longer has are skipped.
    """
    ids = {m.id for m in plan.metrics}
    return {mid: metric_history(data, spec, period=plan.period,
                                by="company" if plan.metric(mid).scope == "company" else "team")
            for mid, spec in mapping.items() if mid in ids}


def files_to_frames(files: Mapping[str, bytes]) -> dict[str, pd.DataFrame]:
    """Uploaded CSV files ``{file name: bytes}`` -> raw frames for :func:`load_cs_data`.

    File names must be ``clients.csv``, ``usage_weekly.csv``, ``activities.csv`` or
    ``people.csv`` (case-insensitive); anything else raises PlanError naming it.

    Examples
    --------
    >>> frames = files_to_frames({"clients.csv": b"client_id,team\\nC1,CS\\n", "People.CSV": b"owner,team\\n"})
    >>> sorted(frames), frames["clients"].to_dict("list")
    (['clients', 'people'], {'client_id': ['C1'], 'team': ['CS']})
    """
    out: dict[str, pd.DataFrame] = {}
    for name, raw in files.items():
        key = name.lower().removesuffix(".csv")
        if key not in SCHEMAS:
            raise PlanError(f"{name}: not a known file; use {', '.join(f'{k}.csv' for k in SCHEMAS)}")
        try:
            text = raw.decode("utf-8-sig")
            out[key] = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
            raise PlanError(f"{name}: not a readable CSV file ({type(e).__name__}: {str(e)[:120]})") from None
    if "clients" not in out:
        raise PlanError("clients.csv: missing; it is required")
    return out
