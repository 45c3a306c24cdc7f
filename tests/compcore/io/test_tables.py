"""Reading CSV files and workbook sheets: headers, rows as the spreadsheet numbers them, and every bad input."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from compcore.errors import PlanError
from compcore.io import tables
from compcore.io.tables import read_table, sheet_names


def xlsx(sheets: dict[str, list[list[object]]], merge: dict[str, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for r in rows:
            ws.append(r)
        if merge and name in merge:
            ws.merge_cells(merge[name])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_header_below_a_title_rows_numbered_as_the_spreadsheet_shows():
    t = read_table("a.csv", b"Accounts report\n\nAccount ID,Licenses\nC1,10\n\nC2,12\n")
    assert t.header_row == 3
    assert t.headers == ("Account ID", "Licenses")
    assert t.frame.index.tolist() == [4, 6]  # the blank line 5 is skipped, numbers kept
    assert t.frame[1].tolist() == ["10", "12"]


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_separator_is_found(sep):
    t = read_table("a.csv", f"A{sep}B\n1{sep}2\n".encode())
    assert t.headers == ("A", "B")


def test_csv_utf8_bom_and_windows_1252():
    assert read_table("a.csv", "\ufeffKunde,Stadt\nC1,Köln\n".encode()).headers == ("Kunde", "Stadt")
    t = read_table("a.csv", "Client,City\nC1,Köln\n".encode("cp1252"))
    assert t.frame.loc[2, 1] == "Köln"


def test_workbook_sheets_and_typed_cells():
    content = xlsx({"Readme": [["Exported from the CRM"]],
                    "Accounts": [["Account ID", "Go Live Date", "Licenses"], ["C1", dt.datetime(2025, 3, 15), 10]]})
    assert sheet_names("x.xlsx", content) == ["Readme", "Accounts"]
    t = read_table("x.xlsx", content, "Accounts")
    assert (t.sheet, t.label) == ("Accounts", "x.xlsx, sheet Accounts")
    row = t.frame.loc[2].tolist()
    assert row[0] == "C1" and row[2] == 10
    assert row[1] in (dt.date(2025, 3, 15), dt.datetime(2025, 3, 15))


def test_unknown_sheet_names_the_sheets():
    with pytest.raises(PlanError, match=r"x.xlsx: no sheet 'Usage'; its sheets are 'Accounts'"):
        read_table("x.xlsx", xlsx({"Accounts": [["A"], [1]]}), "Usage")


def test_duplicate_header_is_named_with_its_columns():
    t = read_table("a.csv", b"Account ID,Name,Account ID\nC1,x,C2\n")
    with pytest.raises(PlanError, match=r"a.csv: header 'Account ID' appears in columns A and C; rename one"):
        t.column("Account ID")
    with pytest.raises(PlanError, match=r"a.csv: no column 'Seats'; its columns are 'Account ID', 'Name'"):
        t.column("Seats")


def test_blank_header_gets_the_column_letter():
    assert read_table("a.csv", b"A,,C\n1,2,3\n").headers == ("A", "column B", "C")


@pytest.mark.parametrize(("content", "message"), [
    (b"", r"a.csv: the file is empty"),
    (b"\n\n,,\n", r"a.csv: the sheet is empty"),
    (b"1,2,3\n4,5,6\n", r"a.csv: no header row: row 1 holds values \('1', '2', '3'\), not column names"),
    (b"2025-01-01,10\n", r"no header row"),
    (b"\x00\x01\x02binary", r"a.csv: not a text \(CSV\) file"),
])
def test_bad_csv(content, message):
    with pytest.raises(PlanError, match=message):
        read_table("a.csv", content)


def test_too_many_rows_stops_reading_at_the_limit():
    content = b"A,B\n" + b"1,2\n" * 200_000
    with pytest.raises(PlanError, match=r"a.csv: more than 100,000 data rows; at most 100,000 are read"):
        read_table("a.csv", content)


def test_workbook_over_the_row_limit_is_refused_from_its_size(monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 10)
    content = xlsx({"S": [["A"]] + [[i] for i in range(40)]})
    with pytest.raises(PlanError, match=r"x.xlsx, sheet S: 41 rows; at most 10 data rows are read"):
        read_table("x.xlsx", content)


def test_file_over_the_byte_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 100)
    p = tmp_path / "big.csv"
    p.write_bytes(b"A\n" + b"1\n" * 100)
    with pytest.raises(PlanError, match=r"big.csv: the file is 202 bytes; at most 100 are accepted"):
        tables.file_bytes(p)
    with pytest.raises(PlanError, match=r"the file is 202 bytes"):
        read_table("big.csv", p.read_bytes())


def test_merged_cells_at_or_below_the_header_are_refused():
    content = xlsx({"S": [["Team", "Client"], ["PMO", "C1"], [None, "C2"]]}, merge={"S": "A2:A3"})
    with pytest.raises(PlanError, match=r"x.xlsx, sheet S: merged cells A2:A3; unmerge them"):
        read_table("x.xlsx", content)


def test_merged_title_above_the_header_is_fine():
    content = xlsx({"S": [["Report", None], [None, None], ["Team", "Client"], ["PMO", "C1"]]}, merge={"S": "A1:B1"})
    assert read_table("x.xlsx", content).headers == ("Team", "Client")


@pytest.mark.parametrize(("content", "message"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, r"x.xlsx: the workbook is password-protected or an old .xls"),
    (b"PK\x03\x04 this is not really a zip", r"x.xlsx: not a readable .xlsx workbook"),
    (b"just text", r"x.xlsx: not a readable .xlsx workbook"),
])
def test_protected_or_corrupt_workbook(content, message):
    with pytest.raises(PlanError, match=message):
        read_table("x.xlsx", content)


def test_truncated_workbook():
    content = xlsx({"S": [["A"], [1]]})
    with pytest.raises(PlanError, match=r"x.xlsx: not a readable .xlsx workbook"):
        read_table("x.xlsx", content[: len(content) // 2])


def test_zip_bomb_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(tables, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(PlanError, match=r"x.xlsx: the workbook unpacks to [\d,]+ bytes; at most 1,000"):
        read_table("x.xlsx", xlsx({"S": [["A"]] + [["x" * 50] for _ in range(100)]}))
