"""Dates as exports write them: detect a column's format and parse it with an explicit choice.

Formats (:data:`DATE_FORMATS`):

- ``iso``: year first, ``2025-03-15``, ``2025/03/15``, ``2025-03-15T10:00:00``;
- ``us``: month first, ``03/15/2025``, ``3/15/25``, ``03-15-2025``;
- ``european``: day first, ``15/03/2025``, ``15.03.2025``, ``15-03-25``;
- ``excel_serial``: days since 1899-12-30 as Excel counts them (``45731`` is 2025-03-15),
  what a date column exported without its date format looks like.

Excel date cells (already dates) are accepted under every format. Two-digit years
are 2000-2099. :func:`detect_date_format` tries every format on a column's values
and keeps the one that reads the most; when month-first and day-first read all of
them (no day above 12) the column is *ambiguous* and the guess says so, so the
choice is always shown and can be changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["DATE_FORMATS", "DATE_FORMAT_LABELS", "DateFormat", "DateGuess", "detect_date_format", "parse_dates"]

DateFormat = Literal["iso", "us", "european", "excel_serial"]
DATE_FORMATS: tuple[DateFormat, ...] = ("iso", "us", "european", "excel_serial")
#: how the app and messages name each format
DATE_FORMAT_LABELS: dict[str, str] = {
    "iso": "ISO (2025-03-15)", "us": "US (03/15/2025)", "european": "European (15/03/2025)",
    "excel_serial": "Excel serial number (45731)",
}
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# serial numbers accepted as dates: 1950-01-01 .. 2149-12-31 (a count like 12 is not a date)
_SERIAL_RANGE = (18264, 91310)
_PARTS = r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T].*)?\s*$"


_NATIVE_TYPES = (dt.date, pd.Timestamp, np.datetime64)


@dataclass(frozen=True)
class _Split:
    """A column split once into Excel date cells and the rest as text (so several formats are cheap to try)."""

    native: pd.Series  # dates of the date cells, NaT elsewhere
    is_native: np.ndarray
    text: pd.Series  # the other non-blank cells as text (bare numbers: "" unless read as serials)
    serial: pd.Series  # the other non-blank cells as text, numbers kept (for excel_serial)


def _split(values: pd.Series) -> _Split:
    kinds = values.map(type)
    is_native = kinds.map(lambda k: issubclass(k, _NATIVE_TYPES)).to_numpy(dtype=bool)
    native = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if is_native.any():
        naive = values[is_native].map(lambda v: v.replace(tzinfo=None) if getattr(v, "tzinfo", None) else v)
        native[is_native] = pd.to_datetime(naive.to_numpy()).to_numpy()
    rest = ~is_native & values.notna().to_numpy()
    raw = values[rest]
    numeric = kinds[rest].map(lambda k: k in (int, float)).to_numpy(dtype=bool)
    serial = raw.map(lambda v: f"{v:.0f}" if isinstance(v, float) and v.is_integer() else str(v)).astype(str)
    serial = serial.str.strip()
    text = serial.where(~numeric, "")  # a bare number is a date only as a serial number
    return _Split(native, is_native, text, serial)


def _from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    year = year.where(year >= 100, year + 2000)
    frame = pd.DataFrame({"year": year, "month": month, "day": day})
    return pd.to_datetime(frame, errors="coerce")


def _parse_text(text: pd.Series, fmt: DateFormat) -> pd.Series:
    if fmt == "excel_serial":
        num = pd.to_numeric(text, errors="coerce")
        ok = num.between(*_SERIAL_RANGE) & (num == num.round())
        return (_EXCEL_EPOCH + pd.to_timedelta(num.where(ok), unit="D")).astype("datetime64[us]")
    parts = text.str.extract(_PARTS).apply(pd.to_numeric, errors="coerce")
    a, b, c = parts[0], parts[1], parts[2]
    if fmt == "iso":
        four = text.str.match(r"^\s*\d{4}[/.\-]")
        out = _from_parts(a.where(four), b, c)
    elif fmt == "us":
        out = _from_parts(c.where(c.notna() & (a < 100)), a, b)
    else:
        out = _from_parts(c.where(c.notna() & (a < 100)), b, a)
    return out.astype("datetime64[us]")


def parse_dates(values: pd.Series, fmt: DateFormat) -> pd.Series:
    """Dates of a column read with format ``fmt``; NaT where blank or not a date in that format.

    Examples
    --------
    >>> s = pd.Series(["03/04/2025", "2025-03-04", "45720", None])
    >>> [str(d.date()) if pd.notna(d) else None for d in parse_dates(s, "us")]
    ['2025-03-04', None, None, None]
    >>> [str(d.date()) if pd.notna(d) else None for d in parse_dates(s, "european")]
    ['2025-04-03', None, None, None]
    >>> str(parse_dates(s, "excel_serial")[2].date()), str(parse_dates(s, "iso")[1].date())
    ('2025-03-04', '2025-03-04')
    """
    if fmt not in DATE_FORMATS:
        raise ValueError(f"date format must be one of {', '.join(DATE_FORMATS)}, not {fmt!r}")
    codes, uniq = _distinct(values)
    parsed = _parse_split(_split(uniq), fmt).to_numpy()
    out = np.where(codes >= 0, parsed[np.maximum(codes, 0)] if len(parsed) else np.datetime64("NaT"),
                   np.datetime64("NaT"))
    return pd.Series(out, index=values.index, dtype="datetime64[us]")


def _distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(code of each value, the distinct values): a date column repeats few values (weeks), so each
    distinct one is parsed once. Codes are -1 for blanks."""
    codes, uniq = pd.factorize(values.astype(object), use_na_sentinel=True)
    return codes, pd.Series(np.asarray(uniq, dtype=object), dtype=object)


def _parse_split(sp: _Split, fmt: DateFormat) -> pd.Series:
    out = sp.native.copy()
    if len(sp.text):
        parsed = _parse_text(sp.serial if fmt == "excel_serial" else sp.text, fmt)
        out[parsed.index] = parsed.to_numpy()
    return out.dt.normalize()


@dataclass(frozen=True)
class DateGuess:
    """What :func:`detect_date_format` found for one column.

    Attributes
    ----------
    format : the format that reads the most values (``iso`` when none reads any)
    read : values that format reads; ``total``: non-blank values in the column
    ambiguous : other formats reading just as many (``("european",)`` for a US guess
        on dates whose days are all 12 or less); empty when the choice is clear
    native : values that are Excel date cells (read whatever the format)
    """

    format: DateFormat
    read: int
    total: int
    ambiguous: tuple[DateFormat, ...] = ()
    native: int = 0

    @property
    def clear(self) -> bool:
        """True when one format reads every value and no other format reads as many."""
        return not self.ambiguous and self.read == self.total


def detect_date_format(values: pd.Series, prefer: DateFormat = "us") -> DateGuess:
    """Guess the format of a date column from its values.

    ``prefer`` breaks a tie between month-first and day-first (e.g. the format the
    other date columns of the same sheet clearly use).

    Examples
    --------
    >>> detect_date_format(pd.Series(["03/15/2025", "04/01/2025"]))
    DateGuess(format='us', read=2, total=2, ambiguous=(), native=0)
    >>> detect_date_format(pd.Series(["15.03.2025", "01.04.2025"])).format
    'european'
    >>> detect_date_format(pd.Series(["03/04/2025"]), prefer="european")
    DateGuess(format='european', read=1, total=1, ambiguous=('us',), native=0)
    >>> detect_date_format(pd.Series([45731, 45750])).format
    'excel_serial'
    """
    blank = values.isna() | (values.astype(str).str.strip() == "")
    vals = values[~blank]
    codes, uniq = _distinct(vals)
    weight = np.bincount(codes, minlength=len(uniq)) if len(uniq) else np.zeros(0, dtype=int)
    sp = _split(uniq)
    counts = {f: int(weight[_parse_split(sp, f).notna().to_numpy()].sum()) for f in DATE_FORMATS}
    best = max(counts.values())
    ties = [f for f in DATE_FORMATS if counts[f] == best]
    order = [prefer, *[f for f in ("iso", "us", "european", "excel_serial") if f != prefer]]
    choice = next(f for f in order if f in ties)
    native = int(weight[sp.is_native].sum())
    # native Excel date cells read under every format: ties made only of them are not ambiguous
    ambiguous = tuple(f for f in ties if f != choice) if best > native else ()
    return DateGuess(choice, best, int(vals.size), ambiguous, native)
