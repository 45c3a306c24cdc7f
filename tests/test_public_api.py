"""The public surface of compcore, pinned: removing or renaming a name here breaks users (and acceptance tests)."""

from __future__ import annotations

import compcore

PUBLIC = [
    "Impact", "MetricDraws", "PayoutResult", "Plan", "PlanError", "SavedScenario", "Scenario", "ScenarioNotFoundError",
    "ScenarioStore", "SimulationResult", "Solution", "StoreError", "YearPay", "YearResult", "actual_for", "attainment",
    "decode_scenario", "describe", "diff_scenarios", "draw_metrics", "dump_plan", "dump_scenario", "encode_scenario",
    "impact", "load_plan", "load_scenario", "pay_year", "payout", "plan_document_html", "price", "price_scenario",
    "roster_from_csv", "roster_to_csv", "safe_csv", "sensitivity", "simulate", "simulate_year", "solve",
    "worked_examples",
]


def test_all_is_exactly_the_pinned_public_names() -> None:
    assert sorted(compcore.__all__) == sorted(PUBLIC)


def test_every_public_name_is_importable_from_compcore() -> None:
    for name in PUBLIC:
        assert getattr(compcore, name) is not None, name


def test_public_callables_have_docstrings() -> None:
    missing = [n for n in PUBLIC if callable(getattr(compcore, n)) and not (getattr(compcore, n).__doc__ or "").strip()]
    assert not missing
