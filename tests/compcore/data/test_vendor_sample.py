"""The vendor-shaped samples read through the guessed mapping alone give exactly the native records and figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from compcore.data import targets
from compcore.data.mapped import guess_mapping, read_records, records_data
from compcore.data.records import load_cs_data
from compcore.io.tables import file_bytes, read_table, sheet_names

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT / "sample_data" / "vendor_export"
NATIVE = load_cs_data(ROOT / "sample_data")


def _tables(names):
    out = []
    for name in names:
        content = file_bytes(VENDOR / name)
        out += [read_table(name, content, s) for s in (sheet_names(name, content) or [None])]
    return out


@pytest.fixture(scope="module", params=["xlsx", "csv"])
def mapped(request):
    names = ["crm_export.xlsx"] if request.param == "xlsx" else \
        ["accounts.csv", "product_usage.csv", "activities.csv", "users.csv"]
    tables = _tables(names)
    mapping = guess_mapping(tables)
    rec = read_records(tables, mapping)
    return mapping, rec


def test_the_guess_alone_reads_every_record_without_a_problem(mapped):
    mapping, rec = mapped
    assert rec.problems == []
    assert set(mapping.tables) == {"clients", "usage_weekly", "activities", "people"}
    assert mapping.tables["clients"].columns["actual_go_live"] == "Go Live Date"
    assert mapping.tables["clients"].date_formats["actual_go_live"] == "us"


def test_same_records_as_the_native_csvs(mapped):
    data = records_data(mapped[1])
    for name in ("clients", "usage", "activities", "people"):
        pd.testing.assert_frame_equal(getattr(data, name), getattr(NATIVE, name))


def test_same_adopted_within_90_days_figures(mapped):
    spec = {"metric": "adoption_within", "days": 90}
    data = records_data(mapped[1])
    pd.testing.assert_frame_equal(targets.last_year(data, spec), targets.last_year(NATIVE, spec))


def test_workbook_dates_come_as_cells_text_and_serial_numbers():
    m = guess_mapping(_tables(["crm_export.xlsx"]))
    assert m.tables["activities"].date_formats == {"date": "excel_serial"}
    assert m.tables["clients"].sheet == "Accounts"


def test_the_committed_vendor_csvs_are_what_the_script_writes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("vendor_export", ROOT / "sample_data" / "vendor_export.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "OUT", tmp_path)
    script.main()
    for name in script.CSV_NAMES.values():
        assert (tmp_path / name).read_bytes() == (VENDOR / name).read_bytes(), name
    again = _tables_at(tmp_path / "crm_export.xlsx")
    committed = _tables(["crm_export.xlsx"])
    for a, b in zip(again, committed, strict=True):
        assert a.headers == b.headers and a.frame.equals(b.frame)


def _tables_at(path):
    content = file_bytes(path)
    return [read_table(path.name, content, s) for s in sheet_names(path.name, content)]
