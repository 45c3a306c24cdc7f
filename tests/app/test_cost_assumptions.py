"""The Cost page's Assumptions tab (issue 19): words, not statistics; numbers typed in the unit a person reads;
which set of numbers applies to which team."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_page, run_ok


@pytest.fixture
def org(monkeypatch):
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default: the seed-001 org
    return open_page("cost_simulation", timeout=120)


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_each_metric_is_said_in_words_and_no_input_is_named_by_a_statistic(org):
    texts = _texts(org)
    # company gross revenue retention: normal, mean 87.969%, sd 8.1325% -> its P10 / P90 are mean -/+ 1.2816 sd
    assert "88% on average; 8 quarters in 10 between 77.5% and 98.4%." in texts
    # go-lives on time: a cohort of 6, each live on time with chance 82%: about 5 of 6
    assert any(t.startswith("About 5 of 6 due go-lives (82%) in a typical quarter") for t in texts)
    labels = [n.label for n in org.number_input] + [s.label for s in org.selectbox]
    assert not {"n", "p", "sd", "mean", "low", "mode", "high", "a", "b"} & set(labels)
    assert "Chance each one counts (%)" in labels and "Clients in a quarter's cohort" in labels
    dist = org.selectbox(key="dist_go_live_on_time")
    assert dist.value == "binomial" and "A cohort of clients" in dist.options
    assert "A cohort of clients: Binomial" in dist.help  # the technical name, for a reader who knows it


def test_a_chance_and_a_share_are_typed_in_percent(org):
    p = org.number_input(key="param_go_live_on_time_p")
    assert p.value == pytest.approx(82.0106)  # 0.820106 stored
    grr = org.number_input(key="param_company_grr_mean")  # a share metric's average, like its 90% target
    assert grr.value == pytest.approx(87.969) and grr.label == "Average (%)"
    p.set_value(90.0)
    run_ok(org, 120)
    assert org.session_state["scenario"]["assumptions"]["go_live_on_time"]["p"] == pytest.approx(0.9)
    assert org.number_input(key="param_ebrs_mean").value == pytest.approx(0.982857)  # a count stays as it is


def test_which_numbers_apply_to_which_team_is_said(org):
    texts = _texts(org)
    # every team on a plan with go-lives on time (PMO) has its own numbers: the default applies to none
    assert any(t.startswith("The numbers above apply to no team now") for t in texts)
    assert any(t.startswith("PMO has its own, fitted from its history: about 7 of 8 due go-lives") for t in texts)
    assert any(t.startswith("Change & Enablement has its own, fitted from its history:") for t in texts)
    assert not any("binomial:" in t or "poisson, mean" in t for t in texts)  # no statistics in the sentences
