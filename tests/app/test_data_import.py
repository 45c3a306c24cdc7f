"""AppTest: the mapping step of Targets from data (your own export): guessed mapping, problems in place,
date formats shown and changeable, activity kinds, saved mappings offered again, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compcore.data import targets
from compcore.data.records import load_cs_data
from compcore.io.mapping_store import MappingStore
from compcore.io.store import ScenarioStore
from tests.app.conftest import page, run_ok
from ui.data_import import kind_key

PAGE = "targets_from_data"
TIMEOUT = 120
ROOT = Path(__file__).resolve().parents[2]
XLSX = (ROOT / "sample_data" / "vendor_export" / "crm_export.xlsx").read_bytes()
NATIVE = targets.last_year(load_cs_data(ROOT / "sample_data"), {"metric": "adoption_within", "days": 90})


@pytest.fixture(autouse=True)
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", url)
    return url


def _upload(files: dict[str, bytes]) -> AppTest:
    at = AppTest.from_file(page(PAGE), default_timeout=TIMEOUT)
    run_ok(at, TIMEOUT)
    ui = at.session_state["ui"]
    # the adoption figures of the sample (the page opens on the plan's first metric, go-live)
    ui["tfd"] = {**ui.get("tfd", {}), "source": "export", "export_files": files,
                 "spec": {"metric": "adoption_within", "days": 90, "min_seat_share": 0.4}}
    at.session_state["ui"] = ui
    return run_ok(at, TIMEOUT)


def _headline(at: AppTest) -> str | None:
    return next((m.value for m in at.markdown if m.value.startswith("####")), None)


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.fixture(scope="module")
def vendor() -> AppTest:
    return _upload({"crm_export.xlsx": XLSX})


def test_the_guessed_mapping_gives_the_native_figures(vendor):
    total = NATIVE.iloc[-1]
    assert _headline(vendor).startswith(f"#### 2025: {total['value'] * 100:.1f}%")
    assert not _errors(vendor)
    assert vendor.selectbox(key="tfd_src_clients").value == "crm_export.xlsx, sheet Accounts"
    assert vendor.selectbox(key="tfd_col_clients_actual_go_live").value == "Go Live Date"
    assert vendor.selectbox(key="tfd_fmt_clients_actual_go_live").value == "us"
    assert vendor.selectbox(key="tfd_col_usage_weekly_week_start").value == "Week Of"
    assert vendor.selectbox(key="tfd_fmt_activities_date").value == "excel_serial"
    kinds = vendor.session_state["ui"]["tfd"]["export_mapping"]["tables"]["activities"]["kinds"]
    first = next(iter(kinds))
    assert vendor.selectbox(key=kind_key(first)).value in ("touchpoint", "ebr", "cross_sell_lead")
    preview = next(d.value for d in vendor.dataframe if "client id" in d.value.columns)
    assert preview["client id"].tolist()[:2] == ["C0001", "C0002"] and preview["row"].tolist()[0] == 4
    assert preview["actual go-live"].tolist()[0] == "2023-02-04"  # "2/4/2023" read as US: 4 February


def test_a_wrong_column_is_named_in_place_and_nothing_else_is_lost():
    at = _upload({"crm_export.xlsx": XLSX})
    at.selectbox(key="tfd_col_clients_licensed_seats").set_value("Account Name")
    run_ok(at, TIMEOUT)
    errs = _errors(at)
    assert any("not a whole number \\>\\= 0 in rows 4, 5, 6, 7, 8 and 295 more" in e for e in errs), errs
    assert _headline(at) is None  # the metrics wait until the records can be used
    assert at.session_state["scenario"]["plan"]["metrics"]  # the plan being designed is untouched
    at.selectbox(key="tfd_col_clients_licensed_seats").set_value("Licenses")
    run_ok(at, TIMEOUT)
    assert not _errors(at) and _headline(at)


def test_the_date_format_is_changeable_and_wrong_dates_are_named():
    at = _upload({"crm_export.xlsx": XLSX})
    at.selectbox(key="tfd_fmt_clients_actual_go_live").set_value("european")
    run_ok(at, TIMEOUT)
    errs = _errors(at)
    assert any(e.startswith("not a date in the European \\(15/03/2025\\) format in rows") for e in errs), errs
    assert at.session_state["ui"]["tfd"]["export_mapping"]["tables"]["clients"]["date_formats"][
        "actual_go_live"] == "european"


def test_an_activity_type_not_counted_is_said():
    at = _upload({"crm_export.xlsx": XLSX})
    kinds = at.session_state["ui"]["tfd"]["export_mapping"]["tables"]["activities"]["kinds"]
    assert "Meeting" in kinds
    at.selectbox(key=kind_key("Meeting")).set_value("")  # the key names the activity type, not its position
    run_ok(at, TIMEOUT)
    assert any("of activity type\\(s\\) Meeting are not counted" in c.value for c in at.caption)
    assert not _errors(at)


def test_a_saved_mapping_is_offered_for_the_same_headers(db):
    at = _upload({"crm_export.xlsx": XLSX})
    at.selectbox(key="tfd_fmt_clients_churn_date").set_value("us")
    run_ok(at, TIMEOUT)
    at.text_input(key="tfd_map_name").set_value("CRM export")
    at.button(key="tfd_map_save").click()
    run_ok(at, TIMEOUT)
    assert any("Saved the mapping as “CRM export”" in i.value for i in at.info)
    assert [m.name for m in MappingStore(ScenarioStore(db)).list()] == ["CRM export"]
    again = _upload({"october_export.xlsx": XLSX})  # next month's export, another file name, same headers
    assert any("Using the saved mapping “CRM export”" in i.value for i in again.info)
    assert again.selectbox(key="tfd_map_saved").value == "CRM export"
    assert _headline(again)


@pytest.mark.parametrize(("files", "message"), [
    ({"accounts.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100}, "password\\-protected"),
    ({"accounts.xlsx": b"PK\x03\x04garbage"}, "not a readable \\.xlsx workbook"),
    ({"accounts.csv": b""}, "the file is empty"),
    ({"accounts.csv": b"1,2,3\n4,5,6\n"}, "no header row"),
])
def test_a_bad_file_is_a_message(files, message):
    at = _upload(files)
    assert any(message in e for e in _errors(at)), _errors(at)
    assert _headline(at) is None


def test_markdown_in_a_file_is_shown_as_text():
    csv = (b"Account ID,CSM,Team,Start Date,Licenses,ARR\n"
           b"C1,Ann,PMO,01/31/2025,**ten** [x](http://evil),100\n")
    at = _upload({"accounts.csv": csv})
    errs = _errors(at)
    assert any("\\*\\*ten\\*\\* \\[x\\]\\(http://evil\\)" in e.replace("\\:", ":") for e in errs), errs


def test_a_stale_mapping_select_box_of_a_table_gone_changes_nothing():
    # BUGS.md W4: a tfd_col_<kind>_<field> state re-sent after the mapping lost that table raised KeyError
    at = _upload({"crm_export.xlsx": XLSX})
    ui = at.session_state["ui"]
    ui["tfd"]["export_mapping"]["tables"].pop("activities")  # another action dropped the activities table
    at.session_state["ui"] = ui
    box = at.selectbox(key="tfd_col_activities_date")
    box.set_value(next(o for o in box.options if o != box.value))  # the browser re-sends its select box
    at.selectbox(key="tfd_fmt_activities_date").set_value("us")
    run_ok(at, TIMEOUT)
    assert "activities" not in at.session_state["ui"]["tfd"]["export_mapping"]["tables"]
