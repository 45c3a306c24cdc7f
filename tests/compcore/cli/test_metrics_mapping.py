"""``metrics --data FILE.xlsx --mapping ...``: a team's own exports through a JSON or a saved mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compcore.data.mapping import load_mapping
from compcore.io.mapping_store import MappingStore
from compcore.io.store import ScenarioStore
from compcore.io.tables import read_paths

from .test_metrics import cli

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = str(ROOT / "sample_data")
XLSX = str(ROOT / "sample_data" / "vendor_export" / "crm_export.xlsx")
ARGS = ("--metric", "adoption_within", "--days", "90", "--by", "team", "--period", "year", "--json")


def _rows(out: str) -> list[dict]:
    return json.loads(out)["rows"]


def test_print_mapping_then_use_it_gives_the_native_figures(tmp_path, capsys):
    assert cli("metrics", "--data", SAMPLE, *ARGS) == 0
    native = _rows(capsys.readouterr().out)
    assert cli("metrics", "--data", XLSX, "--print-mapping") == 0
    mapping = tmp_path / "mapping.json"
    mapping.write_text(capsys.readouterr().out)
    assert load_mapping(mapping).tables["clients"].sheet == "Accounts"
    assert cli("metrics", "--data", XLSX, "--mapping", str(mapping), *ARGS) == 0
    assert _rows(capsys.readouterr().out) == native


def test_without_a_mapping_the_guess_is_used_and_said(capsys):
    assert cli("metrics", "--data", XLSX, *ARGS) == 0
    assert "using the best guess" in capsys.readouterr().err


def test_a_saved_mapping_by_name(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", url)
    assert cli("metrics", "--data", XLSX, "--print-mapping") == 0
    MappingStore(ScenarioStore(url)).save("CRM export", load_mapping(capsys.readouterr().out))
    assert cli("metrics", "--data", XLSX, "--mapping", "CRM export", *ARGS) == 0
    assert _rows(capsys.readouterr().out)
    assert cli("metrics", "--data", XLSX, "--mapping", "Other", *ARGS) == 2
    assert "no saved mapping 'Other'; saved: 'CRM export'" in capsys.readouterr().err


def test_every_problem_is_printed_on_its_own_line(tmp_path, capsys):
    bad = tmp_path / "accounts.csv"
    bad.write_text("Account ID,CSM,Team,Start Date,Licenses,ARR\nC1,Ann,PMO,01/32/2025,10,100\nC2,Bo,PMO,,x,5\n")
    assert cli("metrics", "--data", str(bad), *ARGS) == 2
    err = capsys.readouterr().err
    assert "error: accounts.csv, column 'Start Date' (contract start): blank in row 3" in err
    assert "\n  accounts.csv, column 'Start Date' (contract start): not a date in the US (03/15/2025) format in " \
           "row 2 (\"01/32/2025\")" in err
    assert "\n  accounts.csv, column 'Licenses' (licensed seats): not a whole number >= 0 in row 3 (\"x\")" in err


@pytest.mark.parametrize(("content", "message"), [
    (b"", "accounts.xlsx: the file is empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "accounts.xlsx: the workbook is password-protected"),
])
def test_bad_workbook_is_one_line(tmp_path, capsys, content, message):
    p = tmp_path / "accounts.xlsx"
    p.write_bytes(content)
    assert cli("metrics", "--data", str(p), *ARGS) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}") and err.count("\n") == 1


def test_read_paths_of_a_folder_reads_every_sheet_and_csv():
    tables = read_paths([ROOT / "sample_data" / "vendor_export"])
    assert {(t.file, t.sheet) for t in tables} >= {("accounts.csv", None), ("crm_export.xlsx", "Accounts")}
