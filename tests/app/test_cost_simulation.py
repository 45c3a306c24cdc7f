"""AppTest: the Cost simulation page; plan edits re-price cached draws, draw inputs draw again."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT


def _money(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def _figures(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


PAGE = "cost_simulation"
TIMEOUT = 120


def test_opens_with_results(at):
    f = _figures(at)
    assert set(f) >= {"Expected cost", "P10", "P50", "P90", "P(over budget)", "Paid above target"}
    assert _money(f["P10"]) < _money(f["P50"]) < _money(f["P90"])
    assert f["P(over budget)"].endswith("%")
    assert len(at.get("vega_lite_chart")) >= 4 + 4  # histogram, teams, payout %, tornado + 4 previews
    sim = at.session_state["scenario_valid"]
    assert sim.budget == 116_000


def test_budget_changes_probability_only(at):
    before = _figures(at)
    at.number_input(key="budget").set_value(90_000.0).run()
    assert not at.exception
    after = _figures(at)
    assert after["Expected cost"] == before["Expected cost"]
    over = "P(over budget)"
    assert float(after[over].rstrip("%")) > float(before[over].rstrip("%"))
    assert at.session_state["scenario"]["budget"] == 90_000.0


def test_budget_line_follows_the_budget_through_the_cached_rows(at):
    # the histogram's rows are cached on the priced simulation and the budget: a new budget moves the line,
    # the old budget back draws the very chart drawn first, and the other charts keep their rows
    def charts() -> list[str]:
        return [c.proto.spec for c in at.get("vega_lite_chart")]

    first = charts()
    at.number_input(key="budget").set_value(90_000.0).run()
    moved = charts()
    assert "90000" in moved[0] and "90000" not in first[0]
    assert moved[1:] == first[1:]
    at.number_input(key="budget").set_value(116_000.0).run()
    assert charts() == first


def test_assumption_change_draws_again(at):
    before = _money(_figures(at)["Expected cost"])
    at.number_input(key="param_adoption_90d_p").set_value(60.0).run()  # a chance, typed in %
    assert not at.exception
    assert _money(_figures(at)["Expected cost"]) < before  # adoption falls below the 70% gate often
    at.selectbox(key="dist_ebrs").set_value("fixed").run()
    assert not at.exception
    assert at.session_state["scenario_valid"].assumptions["ebrs"].dist == "fixed"
    assert at.number_input(key="param_ebrs_value").value == 6.0


def test_invalid_parameter_is_inline_and_results_stay(at):
    before = _figures(at)["Expected cost"]
    at.number_input(key="param_ebrs_mean").set_value(-1.0).run()
    assert not at.exception
    assert any(e.value for e in at.error)
    assert _figures(at)["Expected cost"] == before  # last valid scenario still priced
    assert at.session_state["scenario"]["assumptions"]["ebrs"]["mean"] == -1.0  # what was typed is kept


def test_seed_and_trials(at):
    before = _figures(at)["Expected cost"]
    at.number_input(key="seed").set_value(7).run()
    assert not at.exception
    assert _figures(at)["Expected cost"] != before
    at.selectbox(key="trials").set_value(1_000).run()
    assert not at.exception and at.session_state["ui"]["trials"] == 1_000


def test_weight_edit_reprices_without_redrawing(monkeypatch):
    import compcore.simulation.draws

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/cost_simulation.py").run()
    assert not at.exception
    before = _figures(at)["Expected cost"]
    calls = []
    real = compcore.simulation.draws.draw_metrics
    monkeypatch.setattr(compcore.simulation.draws, "draw_metrics", lambda *a, **k: calls.append(1) or real(*a, **k))
    at.switch_page("pages/plan_designer.py").run()
    # EBRs (uncapped accelerator up to 150%) weigh more
    at.slider(key="plan.plan.component.ebr.weight").set_value(40).run()
    at.switch_page("pages/cost_simulation.py").run()
    assert not at.exception
    assert _figures(at)["Expected cost"] != before
    assert calls == []  # re-priced from cached draws


def test_roster_csv_round_trip():
    from compcore.simulation.roster import roster_from_csv
    from compcore.simulation.scenario import load_scenario
    from ui import simulation_state

    scn = load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json")
    rows = simulation_state.roster_rows([r.model_dump(mode="json", exclude_none=True) for r in scn.roster])
    assert rows[0]["incentive_amount"] == 12000 and rows[1]["incentive_pct"] is None
    back = simulation_state.roster_from_rows(rows)
    assert load_scenario({**scn.model_dump(by_alias=True, mode="json"), "roster": back}).roster == scn.roster
    from compcore.simulation.roster import roster_to_csv

    assert roster_from_csv(roster_to_csv(scn.roster)) == scn.roster


def test_figures_are_explained_in_words_next_to_the_number(at):
    captions = " ".join(c.value for c in at.caption)
    assert "a bad quarter: 1 in 10 quarters cost more than this" in captions  # P90
    assert "a good quarter: 1 in 10 quarters cost less than this" in captions  # P10
    assert "a typical quarter" in captions  # P50
    assert "chance of going over the budget of $116,000 in a quarter" in captions


def test_axes_name_the_plans_period_and_the_sensitivity_has_one_measure(at):
    specs = [c.spec for c in at.get("vega_lite_chart")]
    assert '"Cost per quarter"' in specs[0] and "per period" not in specs[0]
    assert all("Expected cost per period" not in s for s in specs)
    captions = " ".join(c.value for c in at.caption)
    assert "the longer the bar, the more that metric moves the cost" in captions
    assert "variance" not in captions  # one measure: the swing the bars show
