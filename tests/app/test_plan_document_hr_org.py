"""AppTest: an org's HR link opens the org summary with the editor's trials and seed; each plan's document from it.

Issue 19 item 3 and issue 23 item 8: the link of a four-plan org opened only the first plan (8 people, "Budget:
none"), ran 10,000 trials where the editor ran 100,000, showed assumptions as raw dicts and "target 0.9", paid
examples at "150% of a 90% target" and spoke of gate rows on plans without a gate.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compcore.io.store import ScenarioStore
from compcore.report.document import reference_salary
from compcore.report.org_document import plan_cost, scenario_for_plan
from compcore.report.what_changes import team_change_lines, team_changes
from compcore.report.year_document import worked_year, year_total
from compcore.simulation.impact import impact
from compcore.simulation.scenario import load_scenario
from compcore.simulation.simulate import simulate
from tests.app.conftest import ROOT, page, run_ok
from ui import charts
from ui.text import shown

ORG = ROOT / "sample_data" / "scenarios" / "cs_org_teams.json"
TRIALS, SEED = 20_000, 7  # not the app's defaults (10,000 and 0): the link must carry them


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", url)
    return url


def _open(token: str, doc: str | None = None) -> AppTest:
    at = AppTest.from_file(page("plan_document"), default_timeout=120)
    at.query_params["hr"] = token
    if doc:
        at.query_params["doc"] = doc
    return run_ok(at, 120)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _token(db: str, **run: int) -> str:
    store = ScenarioStore(db)
    return store.share_token(store.save("CS org", load_scenario(ORG).model_dump(by_alias=True, mode="json")).id,
                             **run)


def _text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "text", "title", "subheader") for e in at.get(kind)]
    parts += [str(v) for t in at.table for v in [*t.value.columns, *t.value.to_numpy().ravel()]]
    return shown(" ".join(parts))


def test_an_org_link_opens_the_org_summary_with_the_editors_trials_and_seed(db: str) -> None:
    at = _open(_token(db, trials=TRIALS, seed=SEED))
    scn = load_scenario(ORG)
    sim = simulate(scn, trials=TRIALS, seed=SEED)
    assert at.title[0].value.endswith(": org summary")
    assert _metric(at, "Expected cost") == charts.money(sim.expected)
    assert _metric(at, "P90 (a costly quarter)") == charts.money(sim.quantile(0.9))
    assert _metric(at, "Budget") == "$100,000"
    assert _metric(at, "P(over budget)") == charts.pct(float((sim.cost > 100_000).mean()), 1)
    assert f"{TRIALS:,} simulated quarters" in _text(at)
    plans = at.table[0].value.map(shown)
    assert plans["Plan"].tolist() == [p.name for p in scn.plans.values()]
    assert plans["Who is on it"].tolist()[0] == "PMO (8 people)"
    assert plans["Expected cost (% of target)"].tolist() == [
        f"{charts.money(x)} ({charts.pct(y)})" for x, y in sim.cost_by_plan[["expected_cost", "pct_of_target"]].values]
    # each team's chance at target, and every plan's rules with a link to its own document
    chances = at.table[1].value.map(shown)
    assert chances["Team"].tolist() == ["PMO", "Implementation", "Customer Success", "Change & Enablement"]
    links = [b.proto.url for b in at.get("link_button")]
    assert [re.sub(r"^\?hr=[\w-]+&doc=", "", u) for u in links] == list(scn.plans)


def test_a_link_made_without_settings_uses_the_defaults(db: str) -> None:
    at = _open(_token(db))
    assert _metric(at, "Expected cost") == charts.money(simulate(load_scenario(ORG), trials=10_000, seed=0).expected)


def test_one_plans_document_shows_its_share_of_the_org_simulation(db: str) -> None:
    token = _token(db, trials=TRIALS, seed=SEED)
    at = _open(token, "implementation")
    sim = simulate(load_scenario(ORG), trials=TRIALS, seed=SEED)
    mine = plan_cost(sim, "implementation")
    assert at.title[0].value.endswith("Implementation quarterly bonus")
    # the numbers of the editor's cost by plan, not a separate simulation of 12 people
    assert _metric(at, "Expected cost") == charts.money(sim.cost_by_plan.set_index("plan").loc[
        "implementation", "expected_cost"])
    assert _metric(at, "P90 (a costly quarter)") == charts.money(mine.quantile(0.9))
    assert _metric(at, "Org budget (all plans)") == "$100,000"
    assert _metric(at, "P(org over budget)") == charts.pct(float((sim.cost > 100_000).mean()), 1)
    assert [b.proto.url.endswith("&doc=org") for b in at.get("link_button")] == [True]  # back to the summary


@pytest.mark.parametrize("doc", ["pmo", "implementation", "customer_success", "change_enablement"])
def test_a_plans_document_speaks_plainly(db: str, doc: str) -> None:
    at = _open(_token(db), doc)
    text = _text(at)
    assert "{" not in text and "by_team" not in text and "'dist'" not in text  # assumptions in words, no dict
    assert not re.search(r"target 0\.\d", text)  # a share target in percent
    assert "gate" not in text.lower()  # no plan of the sample has a gate
    examples = at.table[0].value.map(shown)
    assert "Gates" not in examples.columns
    # no share above 100%: every example value of these share metrics is at most 100%
    values = [float(v) for case in examples["Example"] for v in re.findall(r" at ([\d.]+)% \(", case)]
    assert values and max(values) <= 100


def test_an_unknown_doc_opens_the_org_summary_and_a_single_plan_link_its_plan(db: str) -> None:
    at = _open(_token(db), "no_such_plan")
    assert at.title[0].value.endswith(": org summary")
    store = ScenarioStore(db)
    single = store.save("One plan", load_scenario(ROOT / "sample_data/scenarios/cs_ops_enablement.json")
                        .model_dump(by_alias=True, mode="json"))
    one = _open(store.share_token(single.id), "org")
    assert not one.title[0].value.endswith(": org summary") and not one.get("link_button")


def _two_versions(db: str) -> tuple[ScenarioStore, str, dict, dict]:
    store = ScenarioStore(db)
    v1 = load_scenario(ORG).model_dump(by_alias=True, mode="json")
    v2 = json.loads(json.dumps(v1))
    v2["plans"]["pmo"]["target_incentive"] = {"percent_of_base": 0.15}  # PMO: 10% -> 15% of base
    rec = store.save("CS org", v1)
    store.save("CS org", v2)
    return store, rec.id, v1, v2


def test_a_version_that_replaced_another_says_what_changes_for_each_team(db: str) -> None:
    """Issue 20: 'What changes for you' per team, priced on the same draws as the version it replaced."""
    store, sid, v1, v2 = _two_versions(db)
    at = _open(store.share_token(sid, trials=TRIALS, seed=SEED))
    want = team_change_lines(team_changes(impact(v1, v2, trials=TRIALS, seed=SEED)), "quarter", "$")
    texts = [t.value for t in at.text]
    assert [t for t in texts if t in want] == want and len(want) == 4
    assert any(w.startswith("PMO (8 people): expected payout") and "unchanged from" in w for w in want)
    assert any(t.startswith("The change costs") for t in texts)
    assert any("Against version 1" in c.value for c in at.caption)
    # a plan's own document: its own teams only
    one = _open(store.share_token(sid, trials=TRIALS, seed=SEED), "implementation")
    mine = [t.value for t in one.text if " people): " in t.value]
    assert len(mine) == 1 and mine[0].startswith("Implementation (13 people)")


def test_a_first_version_or_a_rename_has_nothing_to_compare(db: str) -> None:
    store, sid, v1, _ = _two_versions(db)
    first = _open(store.share_token(sid, version=1))
    assert not any(s.value == "What changes for you" for s in first.subheader)
    store.rename(sid, "CS org (final)")  # version 3: the same content as version 2, under a new name
    renamed = _open(store.share_token(sid, version=3))
    assert any("Against version 1" in c.value for c in renamed.caption)  # the last version that differs


def test_each_plans_document_shows_how_its_people_are_paid_over_the_year(db: str) -> None:
    """Issue 21: 'How you are paid over the year' with the worked year, for each team's plan and in the summary."""
    token = _token(db)
    scn = load_scenario(ORG)
    sub = scenario_for_plan(scn, "implementation")
    at = _open(token, "implementation")
    assert any(s.value == "How you are paid over the year" for s in at.subheader)
    year = worked_year(sub.plan, reference_salary(sub))
    table = next(t.value.map(shown) for t in at.table if "When" in t.value.columns)
    assert table["When"].tolist() == ["Q1", "Q2", "Q3", "Q4", "Year end"]
    assert table["Paid"].tolist() == [charts.money(x) for x in year["paid"]]
    assert "Year so far pays (% of target)" in table.columns  # the sample measures adoption year to date
    text = _text(at)
    assert "25% of each payment is held back until the year end." in text
    assert f"Over the year: {charts.money(year_total(year)[0])}" in text
    summary = _text(_open(token))
    assert "Over the year: Each quarter is measured on its own" in summary  # PMO's box
