"""AppTest: the Targets from data page (history, headline, target from a percentile, fit, back-test, uploads)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compcore.data import targets
from compcore.data.backtest import backtest
from compcore.data.definitions import round_target
from compcore.data.metrics import fit_assumption, load_cs_data, target_from_history
from tests.app.browser_like import browser_run, drawn

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "targets_from_data.py")
DATA = load_cs_data(ROOT / "sample_data")


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def at() -> AppTest:
    """The page on the single-plan sample, exploring adoption within 90 days for adoption_90d (it opens on the
    plan's first metric, on-time go-live, and its definition)."""
    at = _ok(AppTest.from_file(PAGE, default_timeout=120).run())
    assert at.selectbox(key="tfd_metric").value == "on_time_go_live"
    assert at.selectbox(key="tfd_plan_metric_plan").value == "go_live_on_time"
    _ok(at.selectbox(key="tfd_metric").set_value("adoption_within").run())
    return _ok(at.selectbox(key="tfd_plan_metric_plan").set_value("adoption_90d").run())


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("####"))


def _plan_metric(at: AppTest, mid: str) -> dict:
    return next(m for m in at.session_state["scenario"]["plan"]["metrics"] if m["id"] == mid)


def _set_ui(at: AppTest, **tfd) -> AppTest:
    ui = at.session_state["ui"]
    ui["tfd"] = {**ui.get("tfd", {}), **tfd}
    at.session_state["ui"] = ui
    return _ok(at.run())


def test_sample_data_reproduces_last_years_adoption_by_team(at):
    year = targets.last_year(DATA, {"metric": "adoption_within", "days": 90})
    total = year.iloc[-1]
    assert _headline(at).startswith(f"#### 2025: {total['value'] * 100:.1f}%")
    for _, row in year.iloc[:-1].iterrows():
        assert _metric(at, row["group"]) == f"{row['value'] * 100:.1f}%"
    assert len(at.dataframe) == 3  # history, mapping, back-test
    assert not at.error


def test_changing_days_changes_the_numbers(at):
    before = _headline(at)
    _ok(at.number_input(key="tfd_days").set_value(30).run())
    assert _headline(at) != before and "within 30 days" in _headline(at)
    # the plan metric counts 90 days: no P50 of the 30-day history is offered as its target
    assert not [m for m in at.metric if m.label.startswith("P50")]
    assert at.warning[0].value.startswith("“Clients adopted within 90 days” is measured as Adopted within 90 days")
    assert at.session_state["ui"]["tfd"]["spec"]["days"] == 30


def test_changing_the_percentile_changes_the_target_shown(at):
    p50 = _metric(at, "P50 of history")
    _ok(at.slider(key="tfd_pct").set_value(25).run())
    hist = targets.metric_history(DATA, {"metric": "adoption_within", "days": 90, "min_seat_share": 0.4})
    assert _metric(at, "P25 of history") == f"{target_from_history(hist, 25) * 100:.1f}%" != p50


def test_set_target_writes_the_scenario(at):
    assert _plan_metric(at, "adoption_90d")["target"] == 0.9
    _ok(at.slider(key="tfd_pct").set_value(75).run())
    _ok(at.button(key="tfd_set_target_adoption_90d").click().run())
    hist = targets.metric_history(DATA, {"metric": "adoption_within", "days": 90, "min_seat_share": 0.4})
    expected = round_target(target_from_history(hist, 75), share=True)  # lands rounded, as a person writes it
    assert _plan_metric(at, "adoption_90d")["target"] == pytest.approx(expected)
    assert at.session_state["scenario_valid"].plan.metric("adoption_90d").target == pytest.approx(expected)
    assert _plan_metric(at, "adoption_90d")["definition"] == {"metric": "adoption_within", "days": 90,
                                                              "min_seat_share": 0.4}  # stored with the metric


def test_fit_assumption_writes_the_scenario(at):
    _ok(at.radio(key="tfd_fit_kind").set_value("binomial").run())
    _ok(at.button(key="tfd_set_fit_adoption_90d").click().run())
    hist = targets.metric_history(DATA, {"metric": "adoption_within", "days": 90, "min_seat_share": 0.4})
    expected = fit_assumption(hist, "binomial")
    assert at.session_state["scenario"]["assumptions"]["adoption_90d"] == expected
    valid = at.session_state["scenario_valid"].assumptions["adoption_90d"].model_dump(exclude_none=True)
    assert valid == {**expected, "persistence": 0.0}  # no persistence in the single-plan sample: the default


def test_fit_poisson_for_an_individual_activity_metric(at):
    _ok(at.selectbox(key="tfd_metric").set_value("activities").run())
    _ok(at.selectbox(key="tfd_plan_metric_plan").set_value("ebrs").run())
    _ok(at.button(key="tfd_set_fit_ebrs").click().run())
    assumption = at.session_state["scenario"]["assumptions"]["ebrs"]
    assert assumption["dist"] == "poisson"
    owners = targets.metric_history(DATA, {"metric": "activities", "kind": "ebr"}, by="owner")
    assert assumption == fit_assumption(owners)


def test_backtest_figures_match_compcore(at):
    scn = at.session_state["scenario_valid"]
    bt = backtest(scn.plan, targets.backtest_histories(DATA, targets.suggest_mapping(scn.plan), scn.plan), scn.roster)
    done = bt.cost[bt.cost["complete"]]
    assert _metric(at, "Average cost per quarter") == f"${done['cost'].mean():,.0f}"
    assert _metric(at, "Team-periods missing") == f"{int(bt.cost['teams_missing'].sum())} of {len(bt.teams)}"
    table = at.dataframe[2].value
    assert len(table) == len(bt.teams) and "missing" in set(table["Paid"])


def test_holding_a_metric_at_target_changes_the_backtest(at):
    _ok(at.selectbox(key="tfd_plan_metric_plan").set_value("go_live_on_time").run())
    cost = _metric(at, "Average cost per quarter")
    _ok(at.button(key="tfd_hold_go_live_on_time").click().run())
    assert at.session_state["ui"]["tfd"]["held"] == ["go_live_on_time"]
    assert any("held at target" in c.value for c in at.caption)
    assert _metric(at, "Average cost per quarter") != cost


def test_fill_missing_prices_every_team_period(at):
    _ok(at.toggle(key="tfd_fill").set_value(True).run())
    assert _metric(at, "Team-periods missing").startswith("0 of")


@pytest.mark.parametrize(("metric", "by"), zip(targets.LABELS, ["team", "company", "owner"] * 2, strict=True))
def test_every_definition_and_breakdown_renders(at, metric, by):
    _ok(at.selectbox(key="tfd_metric").set_value(metric).run())
    _ok(at.selectbox(key="tfd_by").set_value(by).run())
    assert not at.error


@pytest.mark.parametrize(("files", "message"), [
    ({"clients.csv": b"client_id,owner,team,contract_start,planned_go_live,actual_go_live,licensed_seats,arr_start,"
                     b"arr_renewal,renewal_date,churn_date\nC1,Ann,CS,2025-01-01,,,5,100,,,\nC2,Bo,CS,soon,,,5,100,,,\n"},
     'clients.csv: column contract_start: not a date (YYYY-MM-DD) in row 2 ("soon")'),
    ({"clients.csv": b"client_id,team\nC1,CS\n"}, "clients.csv: missing required column"),
    ({"notes.csv": b"a\n1\n"}, "notes.csv: not a known file"),
    ({"clients.csv": b"\xff\xfe\x00\x81"}, "clients.csv: not a readable CSV"),
])
def test_a_bad_upload_shows_a_message_and_no_exception(at, files, message):
    at = _set_ui(at, source="upload", files=files)
    assert at.error and message in at.error[0].value
    assert not at.metric


def test_upload_without_files_asks_for_them(at):
    at = _set_ui(at, source="upload", files=None)
    assert at.info and "clients.csv" in at.info[0].value


def test_a_good_upload_is_used(at):
    files = {f"{n}.csv": (ROOT / "sample_data" / f"{n}.csv").read_bytes()
             for n in ("clients", "usage_weekly", "activities", "people")}
    at = _set_ui(at, source="upload", files=files)
    assert not at.error and _headline(at).startswith("#### 2025:")


def test_chart_builders_give_valid_vega_lite():
    from compcore.simulation.scenario import load_scenario
    from ui import charts

    scn = load_scenario(ROOT / "sample_data" / "scenarios" / "cs_org_quarterly.json")
    hist = targets.metric_history(DATA, {"metric": "adoption_within", "days": 90})
    charts.history_chart(hist[["period", "team", "value", "n", "complete"]], "team", True, 0.9).to_dict()
    bt = backtest(scn.plan, targets.backtest_histories(DATA, targets.suggest_mapping(scn.plan), scn.plan), scn.roster)
    teams = bt.teams.assign(label=bt.teams["payout"].map(lambda v: "missing" if v != v else f"{v:.0%}"))
    charts.backtest_payout_chart(teams[["period", "team", "payout", "label", "money"]]).to_dict()
    charts.backtest_cost_chart(teams[["period", "team", "money"]], bt.cost[["period", "target_cost"]]).to_dict()


def test_no_developer_text_on_the_page(at):
    text = " ".join(str(x.value) for x in [*at.markdown, *at.caption, *at.info])
    assert "docs/metrics.md" not in text
    assert "{'dist'" not in text and "dist=" not in text and "Fitted:" not in text
    assert "From the history: " in text and "each with chance" in text  # the fit in words
    spec = at.get("vega_lite_chart")[0].spec
    assert '"title": "Value"' not in spec and '"Adopted within 90 days' in spec  # the axis says what it counts


def test_headline_year_is_explained_against_the_records_end(at):
    captions = " ".join(c.value for c in at.caption)
    assert "is the last complete calendar year; the records run to 2026-09-30" in captions


def test_a_target_of_another_definition_asks_to_rename_the_metric(at):
    _ok(at.number_input(key="tfd_days").set_value(60).run())
    assert any("is measured as Adopted within 90 days" in w.value and "Adopted within 60 days" in w.value
               for w in at.warning)
    assert not [b for b in at.button if b.key.startswith("tfd_set_target")]  # never from another definition
    button = at.button(key="tfd_measure_adoption_90d")
    assert button.label == "Measure it as Adopted within 60 days"
    assert any("renames it “Clients adopted within 60 days”" in c.value for c in at.caption)
    _ok(button.click().run())
    m = _plan_metric(at, "adoption_90d")
    assert m["name"] == "Clients adopted within 60 days" and m["target"] == 0.9  # renamed, target untouched
    assert m["definition"]["days"] == 60
    _ok(at.button(key="tfd_set_target_adoption_90d").click().run())
    m = _plan_metric(at, "adoption_90d")
    assert round(m["target"] * 100) == m["target"] * 100 or abs(m["target"] * 100 - round(m["target"] * 100)) < 1e-9


XLSX = (ROOT / "sample_data" / "vendor_export" / "crm_export.xlsx").read_bytes()


def test_an_upload_keeps_every_choice_made_as_a_browser_sends_them(at):
    # issue 19 item 4: uploading the vendor workbook flipped the definition to "On-time go-live", the period
    # to month and the percentile to 0 (the widgets came back at their browser defaults)
    _ok(at.selectbox(key="tfd_period").set_value("half").run())
    _ok(at.slider(key="tfd_pct").set_value(75).run())
    chosen = {"tfd_metric": "adoption_within", "tfd_period": "half", "tfd_days": 90, "tfd_pct": 75,
              "tfd_plan_metric_plan": "adoption_90d"}
    before = drawn(at)
    at.radio(key="tfd_source").set_value("export")
    browser_run(at, before)  # no file yet: the page stops at the upload box
    assert at.info and "Upload the client records" in at.info[0].value
    before = drawn(at)
    ui = at.session_state["ui"]
    ui["tfd"]["export_files"] = {"crm_export.xlsx": XLSX}  # what the uploader's callback writes
    at.session_state["ui"] = ui
    browser_run(at, before)
    _ok(at.toggle(key="tfd_fill").set_value(True).run())  # any next click sends the browser's widget states
    tfd = at.session_state["ui"]["tfd"]
    assert (tfd["spec"]["metric"], tfd["period"], tfd["percentile"]) == ("adoption_within", "half", 75)
    assert {"tfd_metric": at.selectbox(key="tfd_metric").value, "tfd_period": at.selectbox(key="tfd_period").value,
            "tfd_days": at.number_input(key="tfd_days").value, "tfd_pct": at.slider(key="tfd_pct").value,
            "tfd_plan_metric_plan": at.selectbox(key="tfd_plan_metric_plan").value} == chosen
    assert _headline(at).startswith("#### 2025:") and "Adopted within 90 days" in _headline(at)


def test_a_metric_not_measured_from_records_is_never_set_from_them(monkeypatch):
    # issue 19 item 4: "later Team OKR score from adoption data"
    monkeypatch.setenv("COMPCORE_DEFAULT_SCENARIO", "cs_ops_enablement")
    at = _ok(AppTest.from_file(PAGE, default_timeout=120).run())
    assert at.selectbox(key="tfd_plan_metric_plan").value == "team_okr"
    assert "“Team OKR score” is not measured from CS records" in at.warning[0].value
    assert not [b for b in at.button if b.key.startswith(("tfd_set_target", "tfd_set_fit", "tfd_persist"))]
    assert not [m for m in at.metric if m.label.startswith("P50")]
    # measuring it as adoption is an explicit step that renames it; its target is not touched
    button = at.button(key="tfd_measure_team_okr")
    assert button.label == "Measure it as Adopted within 90 days"
    assert any("renames it “Adopted within 90 days”" in c.value for c in at.caption)
    _ok(button.click().run())
    m = _plan_metric(at, "team_okr")
    assert (m["name"], m["target"], m["definition"]["metric"]) == ("Adopted within 90 days", 1.0, "adoption_within")
    assert [b for b in at.button if b.key == "tfd_set_target_team_okr"]
    _ok(at.button(key="undo").click().run())
    assert _plan_metric(at, "team_okr")["name"] == "Team OKR score" and "definition" not in _plan_metric(at, "team_okr")


def test_persistence_from_history_in_words_and_written_to_the_assumption_on_request(at):
    from compcore.data.persistence import fit_persistence, persistence_words

    hist = targets.metric_history(DATA, {"metric": "adoption_within", "days": 90, "min_seat_share": 0.4})
    fit = fit_persistence(hist)  # quarterly, by team: the plan's period and the metric's scope
    assert fit.value == 0.1  # the sample history: adoption barely persists
    box = at.get("markdown")
    assert any(m.value == persistence_words(fit.rho, "quarter") for m in box)
    assert "persistence" not in at.session_state["scenario"]["assumptions"]["adoption_90d"]
    _ok(at.button(key="tfd_persist_adoption_90d").click().run())
    assert at.session_state["scenario"]["assumptions"]["adoption_90d"]["persistence"] == 0.1
    assert at.session_state["scenario_valid"].assumptions["adoption_90d"].persistence == 0.1
    _ok(at.button(key="undo").click().run())
    assert "persistence" not in at.session_state["scenario"]["assumptions"]["adoption_90d"]


def test_stale_or_impossible_settings_fall_back_to_valid_ones(at):
    # an old session or a hand edit: values no widget offers, and a definition that is not one
    at = _set_ui(at, period="fortnight", by=3, percentile=42, fit_kind="gamma", source="ftp", held="x",
                 plan_metric=["go_live_on_time"], spec={"metric": "nonsense"}, rule=None)
    assert at.selectbox(key="tfd_period").value == "quarter" and at.selectbox(key="tfd_by").value == "team"
    assert at.slider(key="tfd_pct").value == 50 and at.radio(key="tfd_fit_kind").value == "auto"
    assert at.selectbox(key="tfd_metric").value == "on_time_go_live"  # the plan's own definition again
    assert at.selectbox(key="tfd_plan_metric_plan").value == "go_live_on_time"


def test_the_backtest_table_names_metrics_not_ids(at):
    table = at.dataframe[2].value
    missing = {m for cell in table["Missing"] for m in cell.split(", ") if m}
    assert missing and not missing & {"go_live_on_time", "adoption_90d", "continued_usage", "ebrs"}
    assert missing <= {"Go-lives due this quarter that are live on time", "Clients adopted within 90 days",
                       "Existing clients still adopted at quarter end", "Executive business reviews held"}
