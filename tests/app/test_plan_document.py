"""AppTest: the Plan document page, and its read-only HR mode (?hr=<token>)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compcore.io.share import encode_scenario
from compcore.io.store import ScenarioStore
from compcore.report.document import reference_salary, worked_examples
from compcore.simulation.scenario import dump_scenario, load_scenario
from compcore.simulation.simulate import simulate
from ui import charts
from ui.text import shown

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "plan_document.py")
SAMPLE = ROOT / "sample_data" / "scenarios" / "cs_ops_enablement.json"
INPUTS = ("button", "text_input", "number_input", "slider", "select_slider", "selectbox", "multiselect", "checkbox",
          "toggle", "radio", "text_area", "date_input", "time_input", "color_picker", "chat_input")


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", url)
    return url


def _run(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _inputs(at: AppTest) -> list[str]:
    found = []
    for kind in INPUTS:
        found += [f"{kind}:{getattr(w, 'label', '')}" for w in at.get(kind)]
    found += [f"data_editor:{w}" for w in at.get("data_editor") + at.get("arrow_data_editor")]
    return found


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _hr_token(db: str, budget: float | None = None) -> tuple[str, str]:
    data = dump_scenario(load_scenario(SAMPLE))
    store = ScenarioStore(db)
    store.save("HR review", data, author="Ana")
    rec = store.save("HR review", dict(data, budget=budget or data.get("budget")), author="Ana")
    return store.share_token(rec.id, author="Ana"), rec.id


def test_hr_link_has_no_input_widgets_and_engine_numbers(db):
    scn = load_scenario(SAMPLE)
    token, _ = _hr_token(db)
    at = _run({"hr": token})
    assert _inputs(at) == []
    assert len(at.sidebar) == 0  # no share block, no settings
    assert at.title[0].value == "HR review"
    sim = simulate(scn, trials=10_000, seed=0)
    assert _metric(at, "Expected cost") == charts.money(sim.expected)
    assert _metric(at, f"P10 (a cheap {scn.plan.period})") == charts.money(sim.quantile(0.1))
    assert _metric(at, f"P90 (a costly {scn.plan.period})") == charts.money(sim.quantile(0.9))
    assert _metric(at, "P(over budget)") == charts.pct(sim.p_over_budget, 1)
    ex = worked_examples(scn.plan, base_salary=reference_salary(scn))
    table = at.table[0].value.map(shown)  # static table cells are markdown source of plain text
    assert table["Payout (% of target)"].tolist() == [charts.pct(x, 1) for x in ex["payout"]]
    assert table.iloc[:, 2].tolist() == [charts.money(x) for x in ex["pay"]]
    keys = {b.key for b in at.get("download_button")}
    assert keys == {"dl_html", "dl_examples", "dl_summary", "dl_xlsx"}


def test_hr_link_opens_its_version_whatever_else_the_url_says(db):
    token, sid = _hr_token(db, budget=400_000)
    other = encode_scenario(dump_scenario(load_scenario(ROOT / "sample_data/scenarios/accelerators.json")))
    at = _run({"hr": token, "s": other, "scenario": "x", "view": "edit"})
    assert _inputs(at) == []
    assert at.title[0].value == "HR review"
    assert "Saved version 2" in at.caption[0].value and "by Ana" in at.caption[0].value
    assert _metric(at, "Budget") == "$400,000"


def test_a_revoked_or_unknown_hr_link_shows_only_a_message(db):
    token, _ = _hr_token(db)
    ScenarioStore(db).revoke_token(token)
    for bad in (token, "no-such-token", ""):
        at = _run({"hr": bad, "s": encode_scenario(dump_scenario(load_scenario(SAMPLE)))})
        assert any("not valid" in e.value for e in at.error)
        assert _inputs(at) == [] and not at.title and not at.metric


def test_old_view_hr_links_are_not_read_only_views_any_more(db):
    """``?view=hr&scenario=<name or id>`` was an editor in disguise; names never find a scenario now."""
    ScenarioStore(db).save("FY27 base", dump_scenario(load_scenario(SAMPLE)))
    at = _run({"view": "hr", "scenario": "FY27 base"})
    assert any("No saved scenario has the id" in e.value for e in at.error)
    assert at.session_state["scenario_valid"].name != "FY27 base"


def test_normal_mode_offers_json_downloads_and_points_to_hr_links(db):
    at = _run()
    keys = {b.key for b in at.get("download_button")}
    assert {"dl_plan", "dl_scenario", "dl_html", "dl_examples", "dl_summary", "dl_xlsx"} <= keys
    assert any("read-only HR link" in c.value for c in at.caption)
    assert not any("view=hr" in c.value for c in at.code)
    assert len(at.sidebar) > 0  # the normal page has the share block


def test_hr_view_draws_the_curves_chart(db):
    token, _ = _hr_token(db)
    at = _run({"hr": token})
    assert len(at.get("vega_lite_chart")) >= 1
