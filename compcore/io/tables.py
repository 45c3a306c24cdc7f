"""Read a table a person exported: a CSV file or one sheet of an Excel ``.xlsx`` workbook.

Reader: **python-calamine** (the Rust calamine reader). On the sample workbook
(4 sheets, 17,000 rows) it reads in about 0.3 s where openpyxl's streaming mode
takes about 7 s on the same machine (measured in one run, see docs/data_import.md),
which is the difference between a mapping step that answers at once and one that
makes a person wait on every upload. It also reports merged cells and the sheet's
size before any row is turned into Python objects. It cannot write, so the Excel
*export* (:mod:`compcore.io.excel`) uses **openpyxl**, the well-kept standard writer.

Limits, stated and enforced before anything is read whole into memory:

- :data:`MAX_FILE_BYTES` per file (checked on the bytes or the file's size);
- :data:`MAX_UNZIPPED_BYTES` for all parts of a workbook together (a ``.xlsx``
  is a zip: a small file can unpack to gigabytes);
- :data:`MAX_ROWS` data rows and :data:`MAX_COLUMNS` columns per sheet or CSV
  (rows are streamed and reading stops at the first row over the limit).

Every problem raises :class:`~compcore.errors.PlanError` naming the file, the
sheet and what to do. Rows are numbered as the spreadsheet shows them (row 1 is
the first line of the file or sheet), so a person can go straight to them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine

from compcore.errors import PlanError
from compcore.io.reading import read_bounded

__all__ = [
    "EXCEL_SUFFIXES",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNZIPPED_BYTES",
    "RawTable",
    "column_letter",
    "file_bytes",
    "is_excel",
    "read_files",
    "read_paths",
    "read_table",
    "sheet_names",
]

#: largest file accepted (CSV or workbook), in bytes
MAX_FILE_BYTES = 25_000_000
#: largest total size of a workbook's unpacked parts, in bytes
MAX_UNZIPPED_BYTES = 250_000_000
#: most data rows in one CSV or sheet (a 300-client org has ~12,000 usage weeks over two years)
MAX_ROWS = 100_000
#: most columns in one CSV or sheet
MAX_COLUMNS = 200
#: rows searched for the header row (report exports put a title and a blank line above it)
HEADER_SCAN_ROWS = 20
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls are OLE files
_CALAMINE_ERRORS = (python_calamine.CalamineError, python_calamine.PasswordError, python_calamine.WorksheetNotFound,
                    python_calamine.XmlError, python_calamine.ZipError, ValueError, TypeError, OSError)


@dataclass(frozen=True)
class RawTable:
    """One CSV file or sheet as read: its headers and its cells, not yet typed.

    Attributes
    ----------
    file : the file's name
    sheet : the sheet's name, None for a CSV
    header_row : spreadsheet row number of the header row (1 = first row)
    headers : the header texts, one per column (blank ones become ``column F``)
    frame : the data rows, columns ``0..n-1`` in header order, index = spreadsheet
        row numbers; cells are text, numbers, ``datetime`` (Excel date cells) or None.
        Entirely blank rows are left out.
    """

    file: str
    sheet: str | None
    header_row: int
    headers: tuple[str, ...]
    frame: pd.DataFrame

    @property
    def label(self) -> str:
        """``file``, or ``file, sheet Name`` for a workbook: how messages name it."""
        return self.file if self.sheet is None else f"{self.file}, sheet {self.sheet}"

    def column(self, header: str) -> pd.Series:
        """The cells under ``header``; PlanError if no column or more than one has that header."""
        where = [i for i, h in enumerate(self.headers) if h == header]
        if not where:
            raise PlanError(f"{self.label}: no column {header!r}; its columns are "
                            + ", ".join(repr(h) for h in self.headers))
        if len(where) > 1:
            cols = " and ".join(column_letter(i) for i in where)
            raise PlanError(f"{self.label}: header {header!r} appears in columns {cols}; rename one of them")
        return self.frame[where[0]]


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(27)
    ('A', 'Z', 'AB')
    """
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def file_bytes(path: str | Path) -> bytes:
    """The bytes of a file, refusing one over :data:`MAX_FILE_BYTES` before reading it."""
    p = Path(path)
    try:
        size = p.stat().st_size  # a first answer; the read below is bounded whatever the size says
        _check_size(p.name, size)
        data = read_bounded(p, MAX_FILE_BYTES, p.name)
        _check_size(p.name, len(data))
        return data
    except OSError as e:
        raise PlanError(f"{p.name}: cannot read the file ({e.strerror or e})") from None


def _check_size(name: str, size: int) -> None:
    if size == 0:
        raise PlanError(f"{name}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise PlanError(f"{name}: the file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are accepted. "
                        "Export fewer columns or a shorter period")


def is_excel(name: str, content: bytes) -> bool:
    """Whether a file is a workbook: by its first bytes (a zip or an encrypted OLE file) or its name."""
    return content[:4] == _ZIP_MAGIC or content[:8] == _OLE_MAGIC or name.lower().endswith(EXCEL_SUFFIXES)


def _check_zip(name: str, content: bytes) -> None:
    """Refuse an encrypted, damaged or zip-bomb workbook before the reader unpacks any of it."""
    if content[:8] == _OLE_MAGIC:
        raise PlanError(f"{name}: the workbook is password-protected or an old .xls file; open it in Excel "
                        "and save it as .xlsx without a password")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PlanError(f"{name}: not a readable .xlsx workbook (the file is damaged or not Excel); "
                        "open it in Excel and save it again as .xlsx, or export CSV") from None
    if total > MAX_UNZIPPED_BYTES:
        raise PlanError(f"{name}: the workbook unpacks to {total:,} bytes; at most {MAX_UNZIPPED_BYTES:,} "
                        "are accepted")


def _unreadable(name: str, e: Exception) -> PlanError:
    if isinstance(e, python_calamine.PasswordError):
        return PlanError(f"{name}: the workbook is password-protected; save it without a password")
    return PlanError(f"{name}: not a readable .xlsx workbook ({type(e).__name__}); open it in Excel and "
                     "save it again as .xlsx, or export CSV")


def _workbook(name: str, content: bytes) -> python_calamine.CalamineWorkbook:
    _check_size(name, len(content))
    _check_zip(name, content)
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except _CALAMINE_ERRORS as e:
        raise _unreadable(name, e) from None


def sheet_names(name: str, content: bytes) -> list[str]:
    """The worksheets of a workbook in order (``[]`` for a CSV file).

    >>> sheet_names("a.csv", b"x,y\\n1,2\\n")
    []
    """
    if not is_excel(name, content):
        return []
    book = _workbook(name, content)
    return [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]


def _excel_rows(name: str, content: bytes, sheet: str | None
                ) -> tuple[str, Iterator[list[Any]], list[tuple[str, int, int]]]:
    """(sheet name, its rows, merged ranges as (text, first row, last row) numbered from 1)."""
    names = sheet_names(name, content)
    if not names:
        raise PlanError(f"{name}: the workbook has no worksheets")
    sheet = names[0] if sheet is None else sheet
    if sheet not in names:
        raise PlanError(f"{name}: no sheet {sheet!r}; its sheets are " + ", ".join(repr(s) for s in names))
    try:
        ws = _workbook(name, content).get_sheet_by_name(sheet)
        merged = [(f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}", r0 + 1, r1 + 1)
                  for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
        if ws.height > MAX_ROWS + HEADER_SCAN_ROWS:  # known from the sheet's range, before any row is read
            raise PlanError(f"{name}, sheet {sheet}: {ws.height:,} rows; at most {MAX_ROWS:,} data rows are "
                            "read. Export a shorter period or split the file")
        if ws.width > MAX_COLUMNS:
            raise PlanError(f"{name}, sheet {sheet}: {ws.width} columns; export only the columns needed "
                            f"(at most {MAX_COLUMNS})")
        rows = ws.iter_rows()
    except PlanError:
        raise
    except _CALAMINE_ERRORS as e:
        raise _unreadable(name, e) from None
    return sheet, rows, merged


def _decode(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; cp1252 maps almost every byte
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            raise PlanError(f"{name}: not a text (CSV) file; save it as CSV UTF-8 or .xlsx") from None


def _delimiter(text: str) -> str:
    """The field separator of a CSV: the most frequent of , ; tab | in its first lines."""
    sample = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    counts = {d: sample.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _csv_rows(name: str, content: bytes) -> Iterator[tuple[Any, ...]]:
    if b"\x00" in content[:4096]:
        raise PlanError(f"{name}: not a text (CSV) file; save it as CSV UTF-8 or .xlsx")
    text = _decode(name, content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for row in reader:
            yield tuple(row)
    except csv.Error as e:
        raise PlanError(f"{name}: not a readable CSV file near line {reader.line_num} ({e})") from None


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _width(row: tuple[Any, ...]) -> int:
    n = len(row)
    while n and _blank(row[n - 1]):
        n -= 1
    return n


def _find_header(label: str, first: list[tuple[Any, ...]]) -> int:
    """Index in ``first`` of the header row: the first row filled more than half as wide as the widest."""
    filled = [sum(not _blank(v) for v in r) for r in first]
    if not any(filled):
        raise PlanError(f"{label}: the sheet is empty; put a header row and the data in it")
    need = max(filled) // 2 + 1  # more than half as wide as the widest row: a title line is not a header
    idx = next(i for i, n in enumerate(filled) if n >= need)
    values = [v for v in first[idx] if not _blank(v)]
    not_text = [v for v in values if not isinstance(v, str) or _looks_numeric(v)]
    if len(not_text) * 2 > len(values):
        shown = ", ".join(repr(v if isinstance(v, str) else str(v)) for v in not_text[:3])
        raise PlanError(f"{label}: no header row: row {idx + 1} holds values ({shown}), not column names; "
                        "add a first row naming each column")
    return idx


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[\s$€£]*[-+]?[\d.,/\s-]+[\s%]*", text))


def _headers(row: tuple[Any, ...], width: int) -> tuple[str, ...]:
    out = []
    for i in range(width):
        v = row[i] if i < len(row) else None
        text = "" if v is None else " ".join(str(v).split())
        out.append(text or f"column {column_letter(i)}")
    return tuple(out)


def _collect(label: str, rows: Iterable[tuple[Any, ...]]) -> tuple[int, tuple[str, ...], pd.DataFrame]:
    it = iter(rows)
    first = [r for _, r in zip(range(HEADER_SCAN_ROWS), it, strict=False)]
    h = _find_header(label, first)
    width = max((_width(r) for r in first), default=0)
    data: list[tuple[Any, ...]] = []
    index: list[int] = []
    row_no = h + 1
    for r in first[h + 1:]:
        row_no += 1
        if _width(r):
            data.append(r)
            index.append(row_no)
    for r in it:
        row_no += 1
        w = _width(r)
        if not w:
            continue
        if len(data) >= MAX_ROWS:
            raise PlanError(f"{label}: more than {MAX_ROWS:,} data rows; at most {MAX_ROWS:,} are read. "
                            "Export a shorter period or split the file")
        width = max(width, w)
        if width > MAX_COLUMNS:
            raise PlanError(f"{label}: more than {MAX_COLUMNS} columns; export only the columns needed")
        data.append(r)
        index.append(row_no)
    if width > MAX_COLUMNS:
        raise PlanError(f"{label}: more than {MAX_COLUMNS} columns; export only the columns needed")
    frame = pd.DataFrame([tuple(r[:width]) + (None,) * (width - min(len(r), width)) for r in data],
                         index=pd.Index(index, name="row"), columns=range(width), dtype=object)
    return h + 1, _headers(first[h], width), frame


def read_table(name: str, content: bytes, sheet: str | None = None) -> RawTable:
    """Read a CSV file or one sheet of a workbook (the first sheet when ``sheet`` is None).

    The header row is the first row filled more than half as wide as the widest of the
    first :data:`HEADER_SCAN_ROWS` (so a report title above it is skipped). CSV text is
    UTF-8 (with or without BOM) or Windows-1252; the separator is found from the first
    lines (, ; tab |).

    Raises
    ------
    PlanError
        Empty file, no header row, over a size limit, merged cells at or below the
        header, a password-protected, damaged or unknown workbook, an unknown sheet.

    Examples
    --------
    >>> t = read_table("accounts.csv", b"Account ID;Go Live Date\\nC1;03/15/2025\\n")
    >>> t.headers, t.frame.loc[2].tolist()
    (('Account ID', 'Go Live Date'), ['C1', '03/15/2025'])
    """
    _check_size(name, len(content))
    if not is_excel(name, content):
        header_row, headers, frame = _collect(name, _csv_rows(name, content))
        return RawTable(name, None, header_row, headers, frame)
    sheet_name, rows, merged = _excel_rows(name, content, sheet)
    label = f"{name}, sheet {sheet_name}"
    try:
        header_row, headers, frame = _collect(label, (tuple(r) for r in rows))
    except PlanError:
        raise
    except _CALAMINE_ERRORS as e:
        raise _unreadable(name, e) from None
    bad = [text for text, _r1, last in merged if last >= header_row]
    if bad:
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise PlanError(f"{label}: merged cells {', '.join(bad[:5])}{more}; unmerge them so that every row has "
                        "its own values (Excel: Home > Merge & Center)")
    return RawTable(name, sheet_name, header_row, headers, frame)


def read_files(files: Mapping[str, bytes]) -> list[RawTable]:
    """Every CSV file and every worksheet of every workbook of ``{file name: bytes}``, in order.

    Empty sheets (a workbook's "Read me" or chart sheet with no table) are skipped;
    any other problem raises PlanError naming the file and sheet.
    """
    out: list[RawTable] = []
    for name, content in files.items():
        sheets = sheet_names(name, content) if is_excel(name, content) else [None]
        for sheet in sheets:
            try:
                out.append(read_table(name, content, sheet))
            except PlanError as e:
                if sheet is not None and len(sheets) > 1 and "the sheet is empty" in str(e):
                    continue
                raise
    return out


def read_paths(paths: Iterable[str | Path]) -> list[RawTable]:
    """:func:`read_files` of files on disk; a folder stands for its ``.csv`` and ``.xlsx`` files."""
    files: dict[str, bytes] = {}
    for p in map(Path, paths):
        if not p.exists():
            raise PlanError(f"{p}: not a folder or a file that exists")
        found = sorted(q for q in p.iterdir() if q.suffix.lower() in (".csv", *EXCEL_SUFFIXES)) \
            if p.is_dir() else [p]
        for q in found:
            files[q.name] = file_bytes(q)
    if not files:
        raise PlanError("no CSV or .xlsx file found in " + ", ".join(str(p) for p in paths))
    return read_files(files)
