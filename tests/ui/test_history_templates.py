"""The Targets page's charts as templates over named datasets: filled, they are the very specs the one-call
builders give (so a cached template with new rows shows what a rebuilt chart would), and NaN is sent as null."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from compcore.data import targets
from compcore.data.backtest import backtest
from compcore.data.records import load_cs_data
from compcore.simulation.scenario import load_scenario
from ui import charts
from ui.charts.cache import _build_spec, _inline

ROOT = Path(__file__).resolve().parents[2]


def _spec(builder: str, *args):  # type: ignore[no-untyped-def]
    return _build_spec(f"ui.charts.history:{builder}", args, {})


def _same(a: dict, b: dict) -> None:  # type: ignore[type-arg]
    assert json.dumps(a, sort_keys=True, allow_nan=False) == json.dumps(b, sort_keys=True, allow_nan=False)


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return load_cs_data(ROOT / "sample_data")


@pytest.mark.parametrize(("spec", "period", "by", "target"), [
    ({"metric": "adoption_within", "days": 90}, "quarter", "team", 0.9),
    ({"metric": "on_time_go_live", "grace_days": 14}, "month", "owner", None),
    ({"metric": "activities", "kind": "ebr"}, "half", "company", 3.0)])
def test_a_filled_history_template_is_the_history_chart(data, spec, period, by, target) -> None:  # type: ignore[no-untyped-def]
    df = targets.metric_history(data, spec, period=period, by=by)[["period", by, "value", "n", "complete"]]
    full = _spec("history_chart", df, by, True, target, "Adopted")
    template = _spec("history_template", by, charts.history_groups(df, by), True, "Adopted")
    _same(_inline(template, charts.history_datasets(df, by, target)), full)


def test_periods_sorted_as_text_are_in_time_order() -> None:
    # the template sorts the x axis "ascending" (as text): the order the one-call chart listed them in
    for labels in (["2025-Q4", "2026-Q1", "2025-Q1"], ["2025-12", "2026-01", "2025-02"], ["2026-H1", "2025-H2"]):
        assert sorted(labels) == sorted(labels, key=lambda p: (p[:4], p[5:]))


def test_a_gap_in_a_history_is_null_in_the_json_not_nan() -> None:
    df = pd.DataFrame({"period": ["2025-Q1", "2025-Q2"], "team": ["PMO", "PMO"], "value": [0.5, np.nan],
                       "n": [2, 0], "complete": [True, True]})
    rows = charts.history_datasets(df, "team")["history"]
    assert rows[1]["value"] is None and rows[0]["value"] == 0.5
    assert charts.history_datasets(df, "team")["target"] == []  # no target: the rule layer has no row


def test_filled_backtest_templates_are_the_backtest_charts(data) -> None:  # type: ignore[no-untyped-def]
    scn = load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json")
    bt = backtest(scn.plan, targets.backtest_histories(data, targets.suggest_mapping(scn.plan), scn.plan),
                  scn.roster)
    teams = bt.teams.assign(label=bt.teams["payout"].map(lambda v: "missing" if v != v else f"{v:.0%}"))
    assert teams["payout"].isna().any()  # a missing payout goes to the browser as null
    datasets = charts.backtest_datasets(teams, bt.cost)
    order, periods = charts.backtest_layout(teams)
    payout = _spec("backtest_payout_chart", teams[["period", "team", "payout", "label", "money"]])
    _same(_inline(_spec("backtest_payout_template", order, periods), datasets), payout)
    cost = _spec("backtest_cost_chart", teams[["period", "team", "money"]], bt.cost[["period", "target_cost"]])
    cost_periods = tuple(sorted(bt.cost["period"].unique()))
    _same(_inline(_spec("backtest_cost_template", order, cost_periods), datasets), cost)


def test_a_filled_components_template_is_the_components_chart() -> None:
    from compcore.plan import explore
    scn = load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_teams.json")
    for plan in scn.plans.values():
        labels = [c.name or c.id for c in plan.components]
        df = explore.component_curves(plan)
        full = _build_spec("ui.charts.curves:components_chart", (df, labels), {})
        template = _build_spec("ui.charts.curves:components_template", (labels,), {})
        _same(_inline(template, charts.components_rows(df, labels)), full)
        rows = full["layer"][0]["data"]["values"]
        assert len(rows) == len(df) and {r["label"] for r in rows} == set(labels)


@pytest.mark.parametrize("title", ["Adopted within 90 days", "On-time go-live", 'Quote " and \\ back', "Ünïcode ✓"])
def test_a_history_template_with_its_title_filled_in_is_the_template_built_with_that_title(title) -> None:  # type: ignore[no-untyped-def]
    from ui.charts.cache import _with_texts
    from ui.targets_view import TITLE_SLOT

    groups = ("CS Ops", "PMO")
    built = _spec("history_template", "team", groups, True, title)
    filled = _with_texts(_spec("history_template", "team", groups, True, TITLE_SLOT), {TITLE_SLOT: title})
    _same(filled, built)
    assert TITLE_SLOT not in json.dumps(filled)


LONG_TEAM = "Change & Enablement and Customer Success together"


@pytest.mark.parametrize(("teams", "periods"), [
    (("PMO",), ("2025-Q1",)),
    (("CS Ops", "PMO", LONG_TEAM), ("2025-Q1", "2025-Q2", "2025-Q3")),
    (tuple(f"Team {i}" for i in range(10)), ("2025-H1", "2025-H2", "2026-H1")),  # more teams than colours
    ((), ())])
def test_a_back_test_layout_written_into_one_spec_is_the_template_altair_builds(teams, periods) -> None:  # type: ignore[no-untyped-def]
    _same(_spec("backtest_payout_spec", teams, periods), _spec("backtest_payout_template", teams, periods))
    _same(_spec("backtest_cost_spec", teams, periods), _spec("backtest_cost_template", teams, periods))
    first = _spec("backtest_payout_spec", teams, periods)
    _spec("backtest_payout_spec", ("Other",), ("2030-Q1",))
    _same(_spec("backtest_payout_spec", teams, periods), first)  # a layout never leaks into another
