"""The Cost page's assumptions in words: what each distribution's numbers mean, and which applies to which team.

A metric's assumption has default numbers and, optionally, a team's own
(``by_team``). :func:`assumption_use` says which teams the default applies to
(the teams on a plan with that metric that have no numbers of their own) and
which have their own; :func:`assumption_use_lines` says it in sentences, with
each set of numbers in words (:func:`compcore.report.words.assumption_words`).
:data:`DIST_WORDS` and :func:`param_label` name a distribution and its
parameters in words for the form that edits them.
"""

from __future__ import annotations

from dataclasses import dataclass

from compcore.report.words import assumption_words
from compcore.simulation.scenario import Scenario

__all__ = ["DIST_NAMES", "DIST_WORDS", "SCOPE_WORDS", "AssumptionUse", "assumption_use", "assumption_use_lines",
           "param_in_percent", "param_label", "teams_using"]

#: each distribution in words (short enough for its select box; :data:`DIST_NAMES` has the technical names)
DIST_WORDS: dict[str, str] = {
    "normal": "Around an average", "lognormal": "Skewed, never below 0", "triangular": "Lowest / likeliest / highest",
    "beta": "A share, shaped", "binomial": "A cohort of clients", "poisson": "A count of events",
    "fixed": "Always the same", "empirical": "Past values",
}
#: the statistician's name of each distribution, for a reader who knows it (the select box's help)
DIST_NAMES: dict[str, str] = {k: k.capitalize() if k != "poisson" else "Poisson" for k in DIST_WORDS}

#: who shares one value of a metric in a simulated period
SCOPE_WORDS: dict[str, str] = {"company": "one company-wide figure shared by everyone",
                               "team": "one figure per team", "individual": "each person's own figure"}

_LABELS: dict[tuple[str, str], str] = {
    ("binomial", "n"): "Clients in a {period}'s cohort", ("binomial", "p"): "Chance each one counts (%)",
    ("poisson", "mean"): "Average per person or team", ("normal", "mean"): "Average",
    ("normal", "sd"): "Spread (± typical, sd)", ("lognormal", "mean"): "Average",
    ("lognormal", "sd"): "Spread (± typical, sd)", ("triangular", "low"): "Lowest",
    ("triangular", "mode"): "Likeliest", ("triangular", "high"): "Highest", ("beta", "a"): "Shape a (hits)",
    ("beta", "b"): "Shape b (misses)", ("beta", "scale"): "Highest possible", ("fixed", "value"): "Always",
    ("empirical", "values"): "Past values (comma separated)",
}

#: parameters that are values of the metric itself (typed like its target: a share in percent)
_VALUES = {"mean", "sd", "low", "mode", "high", "scale", "value", "values"}


def param_label(dist: str, param: str, period: str = "period", percent: bool = False) -> str:
    """A distribution parameter in words, for the input that edits it.

    >>> param_label("binomial", "n", "quarter"), param_label("binomial", "p")
    ("Clients in a quarter's cohort", 'Chance each one counts (%)')
    >>> param_label("normal", "mean", percent=True)
    'Average (%)'
    """
    label = _LABELS.get((dist, param), param).format(period=period)
    return f"{label} (%)" if percent and param in _VALUES and not label.endswith("(%)") else label


def param_in_percent(param: str, metric_in_percent: bool) -> bool:
    """True when ``param`` is typed in percent: a chance always, a value of a share metric like its target.

    >>> param_in_percent("p", False), param_in_percent("mean", True), param_in_percent("n", True)
    (True, True, False)
    """
    return param == "p" or (metric_in_percent and param in _VALUES)


def teams_using(scn: Scenario) -> dict[str, list[str]]:
    """Each metric id -> the teams (roster order) with people on a plan that measures that metric."""
    out: dict[str, list[str]] = {mid: [] for mid in scn.metrics}
    for pid, rows in scn.plan_rows.items():
        ids = {m.id for m in scn.plans[pid].metrics}
        for i in rows:
            row = scn.roster[i]
            for mid in ids:
                if row.headcount > 0 and row.team not in out[mid]:
                    out[mid].append(row.team)
    order = list(dict.fromkeys(r.team for r in scn.roster))
    return {mid: sorted(teams, key=order.index) for mid, teams in out.items()}


@dataclass(frozen=True)
class AssumptionUse:
    """Who a metric's numbers apply to: ``default_teams`` use the default, ``own_teams`` their own."""

    metric: str
    default_teams: list[str]
    own_teams: list[str]


def assumption_use(scn: Scenario, metric: str) -> AssumptionUse:
    """Which teams the default numbers of ``metric`` apply to and which teams have their own.

    A company-wide metric is one figure for everyone: its default applies to every team on it.
    """
    teams = teams_using(scn).get(metric, [])
    own = set((scn.assumptions[metric].by_team or {}) if metric in scn.assumptions else {})
    return AssumptionUse(metric, [t for t in teams if t not in own], [t for t in teams if t in own])


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def assumption_use_lines(scn: Scenario, metric: str) -> list[str]:
    """Sentences saying which numbers apply to which team, each set in words.

    No sentence for a metric with no team's own numbers (the default applies to everyone on it);
    otherwise one for the default (whom it applies to, or that it applies to no team now) and one
    per team with its own.
    """
    dist = scn.assumptions.get(metric)
    if dist is None or not dist.by_team:
        return []
    m = scn.metrics[metric]
    use = assumption_use(scn, metric)
    period = scn.period
    if use.default_teams:
        lines = [f"The numbers above apply to {_and(use.default_teams)}."]
    else:
        lines = ["The numbers above apply to no team now: every team on a plan with this metric has its own "
                 "(below); they would apply to a team that joins a plan with it."]
    for team, own in dist.by_team.items():
        lines.append(f"{team} has its own, fitted from its history: {assumption_words(own, m.unit, period)}.")
    return lines
