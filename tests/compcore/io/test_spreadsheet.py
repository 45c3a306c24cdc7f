"""The one CSV neutraliser: no formula and no new row a spreadsheet did not get from the data."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compcore.io.spreadsheet import FORMULA_TRIGGERS, safe_csv, safe_frame, safe_rows_csv
from compcore.simulation.roster import RosterRow, roster_from_csv, roster_to_csv

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = ["\r=2+2", "PMO\r@SUM(1+1)", "a\nb", "=HYPERLINK(\"http://x\")", "+1", "-1+2", "@A1", "\tx", "  =1",
           'say "hi"', "a,b", "\r\n=1", "plain"]


def _spreadsheet_rows(text: str) -> list[list[str]]:
    """How a spreadsheet splits the text: any bare CR, LF or CRLF outside quotes ends a row."""
    return list(csv.reader(io.StringIO(text, newline="")))


def _no_formula(cell: str) -> bool:
    return not cell.lstrip(" ").startswith(FORMULA_TRIGGERS)


def test_a_lone_carriage_return_is_quoted_so_no_new_row_starts() -> None:
    text = safe_csv(pd.DataFrame({"team": ["\r=2+2", "PMO\r@SUM(1+1)"], "n": [1, 2]}))
    rows = _spreadsheet_rows(text)
    assert len(rows) == 3  # header + two rows, not four
    assert rows[1] == ["'\r=2+2", "1"] and rows[2] == ["PMO\r@SUM(1+1)", "2"]


@pytest.mark.parametrize("name", HOSTILE)
def test_every_writer_keeps_one_row_per_row_and_no_formula(name: str) -> None:
    df = pd.DataFrame({name: [name, "ok"], "cost": [-5.0, 1.0]})
    roster = [RosterRow(team=name, role=name, headcount=1, base_salary=1)]
    for text, n_rows in ((safe_csv(df), 3), (safe_rows_csv([[name, 1], ["ok", 2]]), 2), (roster_to_csv(roster), 2)):
        rows = _spreadsheet_rows(text)
        assert len(rows) == n_rows
        assert all(_no_formula(c) for row in rows for c in row if c != "-5.0"), rows


def test_numbers_are_left_alone_and_values_read_back() -> None:
    df = pd.DataFrame({"team": ["=x", "CS"], "cost": [-5.0, 2.5], "when": pd.to_datetime(["2025-01-06", None])})
    rows = _spreadsheet_rows(safe_csv(df, date_format="%Y-%m-%d"))
    assert rows == [["team", "cost", "when"], ["'=x", "-5.0", "2025-01-06"], ["CS", "2.5", ""]]


def test_safe_frame_is_what_tables_show() -> None:
    out = safe_frame(pd.DataFrame({"=h": ["@x", "ok"], "n": [-1, 2]}))
    assert list(out.columns) == ["'=h", "n"]
    assert out.iloc[:, 0].tolist() == ["'@x", "ok"] and out["n"].tolist() == [-1, 2]


def test_roster_csv_round_trips_ordinary_names() -> None:
    rows = [RosterRow(team="CS, EMEA", role='Lead "A"', headcount=3, base_salary=90000.5)]
    assert roster_from_csv(roster_to_csv(rows)) == rows


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("=+-@\t\r\n ,\"ab1")), max_size=12), min_size=2, max_size=4))
def test_any_text_gives_exactly_its_rows_and_no_formula(cells: list[str]) -> None:
    df = pd.DataFrame({f"c{i}": [c] for i, c in enumerate(cells)})
    rows = _spreadsheet_rows(safe_csv(df))
    assert len(rows) == 2
    assert all(_no_formula(c) for c in rows[1])
    assert [c[1:] if c != v else c for c, v in zip(rows[1], cells, strict=True)] == cells


def test_cli_metrics_csv_uses_the_neutraliser(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for f in (ROOT / "sample_data").glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        (data / f.name).write_text(text.replace("Customer Success", "=cmd|' /C calc'!A0"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "compcore", "metrics", "--metric", "on_time_go_live", "--data",
                          str(data), "--by", "team", "--csv"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = _spreadsheet_rows(out.stdout)
    assert any(c.startswith("'=cmd") for r in rows for c in r)
    assert all(_no_formula(c) for r in rows for c in r if not c.lstrip("-").replace(".", "").isdigit())
