"""Read exports through a column mapping into the CS records the metrics use.

:func:`guess_mapping` guesses a whole :class:`~compcore.data.mapping.DataMapping`
from the tables read (which sheet is which kind of record, which column is which
field, each date column's format, which activity type is which kind).
:func:`read_records` applies a mapping and returns the typed records *and* every
problem found (not only the first), each naming the file, sheet, column, field,
spreadsheet rows and values, so a person can fix them all in one go.
:func:`records_data` turns a clean result into :class:`~compcore.data.records.CSData`
through :func:`~compcore.data.records.load_cs_data`: the metrics then read exactly
what they read from the native CSVs, so their written-down definitions hold
whatever the source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from compcore.data.dates import DATE_FORMAT_LABELS, DateFormat, detect_date_format, parse_dates
from compcore.data.mapping import (
    TABLES,
    DataMapping,
    TableMapping,
    field_label,
    guess_columns,
    guess_kinds,
    required_fields,
    table_scores,
)
from compcore.data.records import ACTIVITY_KINDS, SCHEMAS, CSData, load_cs_data
from compcore.errors import PlanError
from compcore.io.tables import RawTable

__all__ = ["Problem", "Records", "guess_mapping", "guess_table_mapping", "kind_values", "read_records", "records_data",
           "resolve_sources"]

_SHOWN = 5
#: most distinct activity types offered for mapping (beyond: the column is probably not a type)
MAX_KINDS = 40


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data as mapped, where it is and what is wrong."""

    table: str
    field: str | None
    source: str
    column: str | None
    what: str
    rows: tuple[int, ...] = ()
    values: tuple[str, ...] = ()
    count: int = 0

    def __str__(self) -> str:
        where = self.source + (f", column {self.column!r}" if self.column else "")
        if self.field:
            where += f" ({field_label(self.field)})"
        return f"{where}: {self.detail}"

    @property
    def detail(self) -> str:
        """What is wrong and where in the column (``not a date ... in rows 5, 9 ("soon", "TBD")``)."""
        text = self.what
        if self.rows:
            word = "row" if self.count == 1 else "rows"
            text += f" in {word} " + ", ".join(map(str, self.rows))
            if self.count > len(self.rows):
                text += f" and {self.count - len(self.rows)} more"
            if self.values:
                text += " (" + ", ".join(f'"{v}"' for v in self.values) + ")"
        return text


@dataclass
class Records:
    """The typed records read through a mapping, with every problem found.

    Attributes
    ----------
    frames : kind -> DataFrame with compcore's columns (typed), index = spreadsheet rows
    problems : everything wrong; empty when the records can be used
    notes : things a person should know that are not errors (rows not counted, columns unused)
    sources : kind -> the table it was read from
    mapping : the mapping applied
    """

    mapping: DataMapping | None = None
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: dict[str, RawTable] = field(default_factory=dict)

    def problems_for(self, table: str, name: str | None = None) -> list[Problem]:
        """Problems of one kind of record (and one field of it, when given)."""
        return [p for p in self.problems if p.table == table and (name is None or p.field == name)]

    def preview(self, table: str, rows: int = 5) -> pd.DataFrame:
        """The first rows as compcore reads them: field names in words, dates as YYYY-MM-DD, blanks empty."""
        frame = self.frames.get(table)
        if frame is None:
            return pd.DataFrame()
        head = frame.head(rows)
        out = pd.DataFrame({"row": head.index.to_numpy()})
        for col in head.columns:
            v = head[col]
            if pd.api.types.is_datetime64_any_dtype(v):
                shown = v.dt.strftime("%Y-%m-%d").fillna("")
            elif pd.api.types.is_float_dtype(v):
                shown = v.map(lambda x: "" if pd.isna(x) else f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}")
            else:
                shown = v.fillna("").astype(str)
            out[field_label(col)] = shown.to_numpy()
        return out


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return f"{v:.0f}"  # Excel stores ids and counts as floats: 1001.0 is the id "1001"
    if isinstance(v, dt.datetime | dt.date):
        return v.strftime("%Y-%m-%d")
    return " ".join(str(v).split())


def _blank(raw: pd.Series) -> np.ndarray:
    return raw.map(lambda v: v is None or (isinstance(v, float) and np.isnan(v)) or
                   (isinstance(v, str) and not v.strip())).to_numpy(dtype=bool)


def _numbers(raw: pd.Series) -> pd.Series:
    def one(v: object) -> float:
        if isinstance(v, bool):
            return np.nan
        if isinstance(v, int | float):
            return float(v)
        text = str(v).strip().replace("\u00a0", "")
        for token in ("USD", "EUR", "GBP", "$", "€", "£", " ", ","):
            text = text.replace(token, "")
        try:
            return float(text)
        except ValueError:
            return np.nan
    return raw.map(one).astype("float64")


def _where(mask: np.ndarray, raw: pd.Series) -> tuple[tuple[int, ...], tuple[str, ...], int]:
    idx = np.flatnonzero(mask)
    shown = idx[:_SHOWN]
    vals = tuple(_text(raw.iloc[i])[:40] if raw.iloc[i] is not None else "" for i in shown)
    return tuple(int(raw.index[i]) for i in shown), vals, int(idx.size)


class _Reader:
    """Reads one table through its mapping, collecting problems."""

    def __init__(self, table: str, src: RawTable, tm: TableMapping, out: Records) -> None:
        self.table, self.src, self.tm, self.out = table, src, tm, out

    def problem(self, name: str | None, column: str | None, what: str, mask: np.ndarray | None = None,
                raw: pd.Series | None = None) -> None:
        rows, vals, count = _where(mask, raw) if mask is not None and raw is not None else ((), (), 0)
        self.out.problems.append(Problem(self.table, name, self.src.label, column, what, rows, vals, count))

    def column(self, name: str) -> pd.Series | None:
        kind, required = SCHEMAS[self.table][name]
        header = self.tm.columns.get(name)
        if not header:
            if name in required_fields(self.table):
                self.problem(name, None, "no column chosen; this field is required")
            return None
        try:
            raw = self.src.column(header)
        except PlanError as e:
            self.problem(name, header, str(e).removeprefix(f"{self.src.label}: "))
            return None
        blank = _blank(raw)
        if required and blank.any():
            self.problem(name, header, "blank", blank, raw)
        if kind == "date":
            fmt: DateFormat = self.tm.date_formats.get(name) or detect_date_format(raw).format
            out = parse_dates(raw, fmt)
            bad = out.isna().to_numpy() & ~blank
            if bad.any():
                self.problem(name, header, f"not a date in the {DATE_FORMAT_LABELS[fmt]} format", bad, raw)
            return out
        if kind in ("int", "money"):
            out = _numbers(raw)
            bad = (out.isna().to_numpy() & ~blank) | (out < 0).to_numpy()
            if kind == "int":
                bad |= (out.notna() & (out != out.round())).to_numpy()
            if bad.any():
                self.problem(name, header, "not a whole number >= 0" if kind == "int" else "not an amount >= 0",
                             bad, raw)
            return out
        out = raw.map(_text).where(~blank).astype(object)
        if kind == "id":
            dup = out.duplicated(keep="first").to_numpy() & ~blank
            if dup.any():
                self.problem(name, header, "the same id again", dup, raw)
        return out

    def kinds(self, out: pd.Series) -> pd.Series:
        header = self.tm.columns.get("kind", "")
        known = self.tm.kinds
        unmapped = (out.notna() & ~out.isin(list(known))).to_numpy()
        if unmapped.any():
            self.problem("kind", header, "activity type not mapped to a kind (" + ", ".join(ACTIVITY_KINDS)
                         + " or not counted)", unmapped, out)
        kinds = out.map(lambda v: known.get(v) if isinstance(v, str) else None)
        dropped = out.notna() & kinds.isna() & ~pd.Series(unmapped, index=out.index)
        if dropped.any():
            types = ", ".join(sorted(out[dropped].unique().tolist()))
            self.out.notes.append(f"{self.src.label}: {int(dropped.sum()):,} rows of activity type(s) {types} are "
                                  "not counted as any kind")
        return kinds

    def read(self) -> pd.DataFrame:
        cols: dict[str, pd.Series] = {}
        for name in SCHEMAS[self.table]:
            s = self.column(name)
            cols[name] = s if s is not None else pd.Series(
                pd.NaT if SCHEMAS[self.table][name][0] == "date" else None, index=self.src.frame.index,
                dtype="datetime64[us]" if SCHEMAS[self.table][name][0] == "date" else object)
        frame = pd.DataFrame(cols, index=self.src.frame.index)
        if self.table == "activities" and self.tm.columns.get("kind"):
            frame["kind"] = self.kinds(frame["kind"])
            frame = frame[frame["kind"].notna()]
        used = set(self.tm.columns.values())
        unused = [h for h in self.src.headers if h not in used]
        if unused:
            self.out.notes.append(f"{self.src.label}: columns not used: " + ", ".join(unused))
        return frame


def resolve_sources(mapping: DataMapping, tables: Sequence[RawTable]) -> dict[str, RawTable]:
    """The table each kind of record of ``mapping`` reads: the same file and sheet, else the one table
    holding every header the mapping names (a new month's export under another file name)."""
    out: dict[str, RawTable] = {}
    for kind, tm in mapping.tables.items():
        same = [t for t in tables if t.file == tm.file and t.sheet == tm.sheet]
        if not same:
            same = [t for t in tables if t.sheet == tm.sheet and t.file.lower() == tm.file.lower()]
        if not same:
            need = set(tm.columns.values())
            same = [t for t in tables if need and need <= set(t.headers)]
        if not same:
            where = tm.file + (f", sheet {tm.sheet}" if tm.sheet else "")
            raise PlanError(f"mapping {kind}: no file or sheet like {where} with the columns "
                            + ", ".join(repr(h) for h in tm.columns.values()))
        out[kind] = same[0]
    return out


def read_records(tables: Sequence[RawTable] | Mapping[str, RawTable], mapping: DataMapping) -> Records:
    """Apply ``mapping`` to the tables read; every problem is collected in ``Records.problems``.

    ``tables`` is either a list of every table read (each kind is then found with
    :func:`resolve_sources`) or already {kind: table}.
    """
    sources = dict(tables) if isinstance(tables, Mapping) else resolve_sources(mapping, tables)
    out = Records(mapping=mapping, sources=sources)
    for kind in TABLES:
        if kind in mapping.tables and kind in sources:
            out.frames[kind] = _Reader(kind, sources[kind], mapping.tables[kind], out).read()
    _check_links(out)
    return out


def _check_links(out: Records) -> None:
    """A usage week or activity of a client the clients do not list, an owner the people do not list."""
    clients, people = out.frames.get("clients"), out.frames.get("people")
    links = [("usage_weekly", "client_id", clients, "client_id", "client not in the client records"),
             ("activities", "client_id", clients, "client_id", "client not in the client records"),
             ("clients", "owner", people, "owner", "owner not in the people records"),
             ("activities", "owner", people, "owner", "owner not in the people records")]
    for kind, col, ref, ref_col, what in links:
        frame = out.frames.get(kind)
        if frame is None or ref is None:
            continue
        bad = (frame[col].notna() & ~frame[col].isin(ref[ref_col].dropna())).to_numpy()
        if bad.any():
            rows, vals, count = _where(bad, frame[col])
            header = out.mapping.tables[kind].columns.get(col) if out.mapping else None
            out.problems.append(Problem(kind, col, out.sources[kind].label, header, what, rows, vals, count))
    usage = out.frames.get("usage_weekly")
    if usage is not None:
        dup = usage.duplicated(["client_id", "week_start"]).to_numpy() & usage["week_start"].notna().to_numpy()
        if dup.any():
            rows, _v, count = _where(dup, usage["client_id"])
            out.problems.append(Problem("usage_weekly", "week_start", out.sources["usage_weekly"].label, None,
                                        "a second row for the same client and week", rows, (), count))


def records_data(records: Records) -> CSData:
    """The records as :class:`CSData` for the metrics; PlanError listing every problem if there are any."""
    if records.problems:
        shown = records.problems[:8]
        more = f"; and {len(records.problems) - 8} more problems" if len(records.problems) > 8 else ""
        raise PlanError("; ".join(map(str, shown)) + more,
                        problems=[(f"{p.table}.{p.field or ''}".rstrip("."), str(p)) for p in records.problems])
    try:
        return load_cs_data({k: f.reset_index(drop=True) for k, f in records.frames.items()})
    except PlanError as e:
        raise PlanError(f"after mapping: {e}") from None


def kind_values(src: RawTable, header: str) -> list[str]:
    """The distinct activity types of a column, sorted ([] beyond :data:`MAX_KINDS`: not a type column)."""
    values = src.column(header).dropna().map(_text)
    distinct = sorted(v for v in values.unique().tolist() if v)
    return distinct if len(distinct) <= MAX_KINDS else []


def guess_table_mapping(kind: str, src: RawTable) -> TableMapping:
    """The best guess for one kind of record read from ``src``: columns, date formats, activity kinds.

    A date column whose values fit both month-first and day-first takes the order the
    sheet's other date columns clearly use (US when none does).
    """
    cols = guess_columns(kind, src.headers)
    dates = [f for f, (k, _r) in SCHEMAS[kind].items() if k == "date" and f in cols]
    guesses = {f: detect_date_format(src.column(cols[f])) for f in dates}
    clear = [g.format for g in guesses.values() if g.clear and g.format in ("us", "european")]
    prefer: DateFormat = max(("us", "european"), key=clear.count) if clear else "us"
    formats = {f: (g.format if not g.ambiguous or g.format not in ("us", "european") else prefer)
               for f, g in guesses.items()}
    kinds: dict[str, str | None] = {}
    if kind == "activities" and "kind" in cols:
        kinds = guess_kinds(kind_values(src, cols["kind"]))
    return TableMapping(file=src.file, sheet=src.sheet, columns=cols, date_formats=formats, kinds=kinds,
                        headers=list(src.headers))


def guess_mapping(tables: Sequence[RawTable], name: str = "") -> DataMapping:
    """A first guess of the whole mapping from the tables read (headers, names, values).

    Each table is given the kind of record it looks most like (at most one table per
    kind, the best first); the table most like client records is always used for them.

    Examples
    --------
    >>> from compcore.io.tables import read_table
    >>> t = read_table("accounts.csv", b"Account ID,CSM,Team,Contract Start Date,Go Live Date,Licenses,ARR\\n"
    ...                b"C1,Ann,PMO,01/31/2025,03/15/2025,10,1200\\n")
    >>> m = guess_mapping([t])
    >>> m.tables["clients"].columns["actual_go_live"], m.tables["clients"].date_formats["actual_go_live"]
    ('Go Live Date', 'us')
    """
    if not tables:
        raise PlanError("no file to read; upload the client records at least")
    scored = []
    for i, t in enumerate(tables):
        for kind, score in table_scores(t.sheet or t.file.rsplit(".", 1)[0], t.headers).items():
            if score >= 0.5:  # at least half the required fields found
                scored.append((-score, TABLES.index(kind), i, kind))
    chosen: dict[str, RawTable] = {}
    used: set[int] = set()
    for _s, _k, i, kind in sorted(scored):
        if kind not in chosen and i not in used:
            chosen[kind] = tables[i]
            used.add(i)
    if "clients" not in chosen:
        rest = [t for i, t in enumerate(tables) if i not in used] or list(tables)
        chosen["clients"] = rest[0]
    return DataMapping(name=name, tables={k: guess_table_mapping(k, chosen[k]) for k in TABLES if k in chosen})
