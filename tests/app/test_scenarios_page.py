"""AppTest: the Scenarios page (save, list, load, duplicate, delete, compare) and ?scenario=<id> links."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compcore.io.store import ScenarioStore
from compcore.report.compare import diff_scenarios
from compcore.simulation.scenario import dump_scenario, load_scenario
from compcore.simulation.simulate import simulate
from ui import charts

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "scenarios.py")
SAMPLE = ROOT / "sample_data" / "scenarios" / "cs_ops_enablement.json"


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", url)
    return url


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _start(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return _ok(at.run())


def _save(at: AppTest, name: str, author: str = "") -> None:
    at.text_input(key="save_name").set_value(name)
    at.text_input(key="save_author").set_value(author)
    _ok(at.button(key="save_scenario").click().run())


def test_save_twice_keeps_versions(db):
    at = _start()
    _save(at, "Base", "Ana")
    assert at.success[0].value == "Saved “Base” as version 1."
    _save(at, "Base")
    assert at.success[0].value == "Saved “Base” as version 2."
    history = ScenarioStore(db).history("Base")
    assert [(h.version, h.author) for h in history] == [(1, "Ana"), (2, None)]
    listed = at.dataframe[0].value
    assert listed["Name"].tolist() == ["Base"] and listed["Version"].tolist() == [2]
    assert at.session_state["scenario"]["name"] == "Base"


def test_load_duplicate_delete(db):
    store = ScenarioStore(db)
    data = dump_scenario(load_scenario(SAMPLE))
    first = store.save("Ops plan", data)
    at = _start()
    assert at.session_state["scenario"]["name"] != "Ops plan"
    _ok(at.selectbox(key="pick_saved").set_value(first.id).run())
    _ok(at.button(key="load_saved").click().run())
    assert at.session_state["scenario"]["name"] == "Ops plan"
    assert at.session_state["scenario"]["plan"] == data["plan"]
    at.text_input(key=f"saved.{first.id}.dup_name").set_value("Ops plan stretch")
    _ok(at.button(key="dup_saved").click().run())
    assert sorted(r.name for r in store.list()) == ["Ops plan", "Ops plan stretch"]
    at.selectbox(key="pick_saved").set_value(first.id)
    _ok(at.button(key="delete_saved").click().run())
    assert [r.name for r in store.list()] == ["Ops plan stretch"]
    assert "Deleted" in at.success[0].value


def test_duplicate_to_a_taken_name_is_an_inline_error(db):
    store = ScenarioStore(db)
    data = dump_scenario(load_scenario(SAMPLE))
    a = store.save("A", data)
    store.save("B", data)
    at = _start()
    _ok(at.selectbox(key="pick_saved").set_value(a.id).run())  # the box of the scenario picked names it
    at.text_input(key=f"saved.{a.id}.dup_name").set_value("B")
    _ok(at.button(key="dup_saved").click().run())
    assert any("already exists" in e.value for e in at.error)


def test_compare_two_saved_scenarios(db):
    store = ScenarioStore(db)
    base = load_scenario(SAMPLE)
    data = dump_scenario(base)
    stretch = dict(data, budget=500_000)
    stretch["plan"] = dict(data["plan"], cap=1.5)
    store.save("Base", data)
    store.save("Stretch", stretch)
    at = _start()
    ids = {r.name: r.id for r in store.list()}
    _ok(at.multiselect(key="compare_pick").set_value([ids["Base"], ids["Stretch"]]).run())
    figures = next(d.value for d in at.dataframe if "Figure" in d.value.columns).set_index("Figure")
    for name, scn in (("Base", load_scenario(data)), ("Stretch", load_scenario(stretch))):
        sim = simulate(scn, trials=10_000, seed=0)
        assert figures.loc["Expected cost", name] == charts.money(sim.expected)
        assert figures.loc["P90 cost", name] == charts.money(sim.quantile(0.9))
    assert figures.loc["Budget", "Stretch"] == "$500,000"
    diff = next(d.value for d in at.dataframe if "What changed" in d.value.columns)
    expected = diff_scenarios({"Base": data, "Stretch": stretch})
    assert expected["field"].tolist() == ["plan.cap", "budget"]
    assert diff["What changed"].tolist() == ["Plan cap", "Budget per year"]  # words, not paths
    assert diff.set_index("What changed").loc["Plan cap", "Stretch"] == "150%"  # in %, not 1.5
    assert figures.loc["Budget", "Stretch vs Base"].startswith("+$")  # a difference column
    assert len(at.get("vega_lite_chart")) == 2


def test_compare_current_with_saved(db):
    at = _start()
    _save(at, "Saved copy")
    saved_id = ScenarioStore(db).get("Saved copy").id
    _ok(at.multiselect(key="compare_pick").set_value(["(current)", saved_id]).run())
    assert any("identical" in c.value for c in at.caption)


def test_saved_scenario_link_loads_it_on_any_page(db):
    rec = ScenarioStore(db).save("Linked", dump_scenario(load_scenario(SAMPLE)))
    at = _start({"scenario": rec.id})
    assert at.session_state["scenario"]["name"] == "Linked"
    bad = _start({"scenario": "unknown123456"})
    assert any("No saved scenario has the id" in e.value for e in bad.error)


def test_duplicate_as_proposes_the_picked_scenarios_name_with_copy(db):
    """Issue 19: "Duplicate as" kept the name proposed for the first scenario after another was picked."""
    store = ScenarioStore(db)
    data = dump_scenario(load_scenario(SAMPLE))
    a, b = store.save("Alpha", data), store.save("Beta", data)
    at = _start()
    at.selectbox(key="pick_saved").set_value(a.id)
    _ok(at.run())
    assert at.text_input(key=f"saved.{a.id}.dup_name").value == "Alpha (copy)"
    at.selectbox(key="pick_saved").set_value(b.id)
    _ok(at.run())
    assert at.text_input(key=f"saved.{b.id}.dup_name").value == "Beta (copy)"
    _ok(at.button(key="dup_saved").click().run())
    assert sorted(r.name for r in store.list()) == ["Alpha", "Beta", "Beta (copy)"]
