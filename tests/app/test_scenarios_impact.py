"""AppTest: the Scenarios page's "Who wins, who loses" (issue 20): two saved scenarios on the same draws,
losers first, a team moved to another plan, the cost change by plan, and the same on the CS records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import compcore
from compcore.io.store import ScenarioStore
from compcore.report.impact import who_sentence
from tests.app.conftest import page, run_ok

ROOT = Path(__file__).resolve().parents[2]
ORG = ROOT / "sample_data/scenarios/cs_org_teams.json"


def frame(at: AppTest, *columns: str) -> Any:
    """The one table showing these columns (AppTest's dataframes carry no key)."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def base() -> dict[str, Any]:
    return json.loads(ORG.read_text())


def stretch() -> dict[str, Any]:
    """A harder adoption bar for Implementation; the PMO moved onto the Customer Success plan."""
    data = base()
    data["plans"]["implementation"]["metrics"][0]["target"] *= 1.1
    for row in data["roster"]:
        if row["team"] == "PMO":
            row["plan"] = "customer_success"
    return data


@pytest.fixture
def at(tmp_path, monkeypatch) -> AppTest:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", url)
    store = ScenarioStore(url)
    ids = [store.save("Base", base()).id, store.save("Stretch", stretch()).id]
    store.close()
    at = run_ok(AppTest.from_file(page("scenarios"), default_timeout=120), 120)
    at.multiselect(key="compare_pick").set_value(ids)  # picked by id
    return run_ok(at, 120)


def test_who_wins_and_who_loses_between_two_saved_scenarios(at: AppTest) -> None:
    for key, shown in (("impact_before", "Base"), ("impact_after", "Stretch")):  # picked by id, shown by name
        box = at.selectbox(key=key)
        assert box.options[box.index] == shown and box.value != shown
    trials, seed = int(at.session_state["ui"]["trials"]), int(at.session_state["ui"]["seed"])
    imp = compcore.impact(base(), stretch(), trials=trials, seed=seed)
    texts = [m.value for m in at.markdown]
    assert f"**{who_sentence(imp)}**" in texts
    assert who_sentence(imp).startswith("Implementation loses")
    who = frame(at, "Team", "Role", "Change (points)")
    assert who["Team"].iloc[0] == "Implementation"  # the biggest losers first
    points = [float(x) for x in who["Change (points)"]]
    assert points[0] < 0 and points == sorted(points)
    assert who["Change (points)"].iloc[0] == f"{100 * imp.by_group['change'].min():+.1f}"
    pmo = who[who["Team"] == "PMO"]
    assert (pmo["Plan"] == "PMO quarterly bonus → Customer Success quarterly bonus").all()
    cs = who[who["Team"] == "Customer Success"]
    assert (cs["Change (points)"] == "0.0").all()  # untouched: exactly the same draws, exactly no change
    assert (cs["Cost change"] == "$0").all()
    plans = frame(at, "Plan", "Change P10").set_index("Plan")
    assert plans.loc["Total", "Change"] == f"+${imp.expected_change:,.0f}"
    assert plans.loc["PMO quarterly bonus", "After"] == "$0"


def test_the_same_scenario_on_both_sides_asks_for_two(at: AppTest) -> None:
    at.selectbox(key="impact_after").set_value("Base")
    run_ok(at, 120)
    assert "Pick two different scenarios." in [c.value for c in at.caption]


def test_the_same_comparison_on_the_cs_records(at: AppTest) -> None:
    at.toggle(key="impact_history").set_value(True)
    run_ok(at, 180)
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("On the records (") and "Implementation would have earned" in t for t in texts)
    h = frame(at, "Period", "Team", "Paid before")
    assert set(h["Team"]) == {"PMO", "Implementation", "Customer Success", "Change & Enablement"}
    cs = h[(h["Team"] == "Customer Success") & (h["Change (points)"] != "")]
    assert len(cs) and (cs["Change (points)"] == "0.0").all()
    gaps = h[h["Paid before"] == ""]  # a value the records lack: an empty cell, never 0 or "None"
    assert len(gaps) and (gaps["Change (points)"] == "").all()
