"""Load and validate a CS team's records (clients, weekly usage, activities, people).

:func:`load_cs_data` reads the CSVs of a folder (or takes DataFrames already in
memory), checks required columns, types, dates and references, and returns a
:class:`CSData` with clean, typed frames. Every problem raises
:class:`compcore.errors.PlanError` naming the file, the column and the first bad
rows, e.g. ``clients.csv: column planned_go_live: not a date in rows 4, 17
("2025-13-01", "soon")``. Rows are numbered from 1 = the first data row under the
header. Unknown extra columns are ignored (dropped from the clean frames).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from compcore.errors import PlanError

__all__ = ["ACTIVITY_KINDS", "SCHEMAS", "CSData", "load_cs_data"]

#: the activity kinds the metrics count
ACTIVITY_KINDS: tuple[str, ...] = ("touchpoint", "ebr", "cross_sell_lead")

# column -> (type, required value). Types: id, text, date, int, money, kind.
SCHEMAS: dict[str, dict[str, tuple[str, bool]]] = {
    "clients": {
        "client_id": ("id", True), "name": ("text", False), "segment": ("text", False),
        "owner": ("text", True), "team": ("text", True),
        "contract_start": ("date", True), "planned_go_live": ("date", False),
        "actual_go_live": ("date", False), "licensed_seats": ("int", True),
        "arr_start": ("money", True), "arr_renewal": ("money", False),
        "renewal_date": ("date", False), "churn_date": ("date", False),
    },
    "usage_weekly": {
        "client_id": ("text", True), "week_start": ("date", True),
        "active_users": ("int", True),
    },
    "activities": {
        "activity_id": ("id", True), "date": ("date", True), "owner": ("text", True),
        "team": ("text", True), "client_id": ("text", False), "kind": ("kind", True),
    },
    "people": {
        "owner": ("id", True), "team": ("text", True), "role": ("text", False),
        "base_salary": ("money", False),
    },
}
#: columns that may be left out of a file altogether (filled with blanks)
OPTIONAL_COLUMNS: frozenset[str] = frozenset({"name", "segment", "role", "base_salary"})
_MAX_SHOWN = 5
#: dates outside this range are typos (and beyond 2262 pandas' nanosecond dates wrap around)
FIRST_DATE, LAST_DATE = pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31")
#: largest number a count or amount may hold (as in plans and scenarios)
MAX_VALUE = 1e12
#: an actual go-live may be reported this long after the last usage week or activity
GO_LIVE_LAG = pd.Timedelta(days=31)
#: with clients.csv alone, a go-live may come this long after the last contract start or churn
GO_LIVE_LAG_CLIENTS_ONLY = pd.Timedelta(days=365)
# a time-zone offset ("Z", "+02:00") after a time: dropped, the local date is the date meant
_TZ_SUFFIX = r"(?<=\d)(?:Z|[+-]\d\d:?\d\d)$"


@dataclass(frozen=True)
class CSData:
    """Validated CS records. Only ``clients`` is mandatory.

    Attributes
    ----------
    clients, usage, activities, people : pandas.DataFrame or None
        Clean frames: dates as ``datetime64``, blanks as ``NaT``/``NaN``, only the
        columns of :data:`SCHEMAS`. ``usage`` is ``usage_weekly.csv``.
    """

    clients: pd.DataFrame
    usage: pd.DataFrame | None = None
    activities: pd.DataFrame | None = None
    people: pd.DataFrame | None = None
    # what every metric asks of the same records (the frames are never changed): worked out once per object
    _memo: dict[str, object] = field(default_factory=dict, init=False, compare=False, repr=False)

    def memo(self, name: str, make: Callable[[], Any]) -> Any:
        """``make()``, kept with these records under ``name`` (a value derived from them alone; read-only)."""
        if name not in self._memo:
            self._memo[name] = make()
        return self._memo[name]

    def require(self, name: str) -> pd.DataFrame:
        """Return the frame ``name`` or raise a PlanError saying which file is missing."""
        frame = getattr(self, "usage" if name == "usage_weekly" else name)
        if frame is None:
            raise PlanError(f"{name}.csv: missing; this metric needs it")
        return frame

    def first_date(self) -> pd.Timestamp:
        """Earliest observed date: first usage week or activity, else first contract start."""
        return self.memo("first_date", self._first_date)

    def _first_date(self) -> pd.Timestamp:
        dates = []
        if self.usage is not None and len(self.usage):
            dates.append(self.usage["week_start"].min())
        if self.activities is not None and len(self.activities):
            dates.append(self.activities["date"].min())
        return min(dates) if dates else self.clients["contract_start"].min()

    def window(self, as_of: pd.Timestamp | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
        """(first observed date, as_of): the default reporting window of every metric."""
        return self.first_date(), self.as_of() if as_of is None else as_of

    def as_of(self) -> pd.Timestamp:
        """Latest date the records cover: last usage week's end, activity, contract start,
        go-live, churn, or renewal with a known renewal ARR."""
        return self.memo("as_of", self._as_of)

    def _as_of(self) -> pd.Timestamp:
        c = self.clients
        dates = [c["contract_start"].max(), c["actual_go_live"].max(), c["churn_date"].max(),
                 c.loc[c["arr_renewal"].notna(), "renewal_date"].max()]
        if self.usage is not None and len(self.usage):
            dates.append(self.usage["week_start"].max() + pd.Timedelta(days=6))
        if self.activities is not None and len(self.activities):
            dates.append(self.activities["date"].max())
        dates = [d for d in dates if pd.notna(d)]
        return max(dates) if dates else pd.Timestamp("NaT")


def _rows(mask: np.ndarray, raw: pd.Series) -> str:
    """``rows 4, 17 ("2025-13-01", "soon")`` for the first bad rows of ``mask``."""
    idx = np.flatnonzero(mask)
    shown = idx[:_MAX_SHOWN]
    nums = ", ".join(str(i + 1) for i in shown)
    vals = ", ".join(f'"{raw.iloc[i]}"' for i in shown)
    more = f" and {idx.size - shown.size} more" if idx.size > shown.size else ""
    word = "row" if idx.size == 1 else "rows"
    return f"{word} {nums}{more} ({vals})"


def _blank(raw: pd.Series) -> np.ndarray:
    return raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()


def _clean_column(file: str, col: str, kind: str, required: bool, raw: pd.Series) -> pd.Series:
    """Parse one column; raise PlanError naming the first bad rows."""
    where = f"{file}.csv: column {col}"
    blank = _blank(raw)
    if required and blank.any():
        raise PlanError(f"{where}: blank in {_rows(blank, raw.fillna(''))}")
    text = raw.astype(str).str.strip()
    if kind == "date":
        return _clean_dates(where, raw, text, blank)
    if kind in ("int", "money"):
        out = pd.to_numeric(text.str.replace(",", "", regex=False).where(~blank), errors="coerce")
        bad = (out.isna().to_numpy() & ~blank) | (out < 0).to_numpy()
        big = (out.notna() & ~(out.abs() <= MAX_VALUE)).to_numpy()  # "1e400" reads as inf: refused
        bad |= big
        if kind == "int":
            bad |= (out.notna() & (out != out.round())).to_numpy()
        if bad.any():
            what = "a whole number >= 0" if kind == "int" else "an amount >= 0"
            limit = f"; at most {MAX_VALUE:,.0f} (and finite)" if big.any() else ""
            raise PlanError(f"{where}: not {what} in {_rows(bad, raw)}{limit}")
        return out.astype("float64")
    out = text.where(~blank).astype(object)
    if kind == "id":
        dup = out.duplicated(keep="first").to_numpy() & ~blank
        if dup.any():
            raise PlanError(f"{where}: duplicate id in {_rows(dup, raw)}")
    if kind == "kind":
        bad = ~out.isin(ACTIVITY_KINDS).to_numpy()
        if bad.any():
            kinds = ", ".join(ACTIVITY_KINDS)
            raise PlanError(f"{where}: must be one of {kinds} in {_rows(bad, raw)}")
    return out


def _clean_dates(where: str, raw: pd.Series, text: pd.Series, blank: np.ndarray) -> pd.Series:
    """Dates at day resolution (datetime64[ns]), 1900..2199; an offset such as +02:00 keeps its local date."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        out = raw.dt.tz_localize(None) if raw.dt.tz is not None else raw
    else:
        local = text.str.replace(_TZ_SUFFIX, "", regex=True).where(~blank)
        try:
            out = pd.to_datetime(local, format="ISO8601", errors="coerce")
        except (ValueError, OverflowError, TypeError):  # pandas refuses the column as a whole: try row by row
            out = pd.Series([_one_date(x) for x in local], index=raw.index, dtype="datetime64[s]")
    bad = (out.isna().to_numpy() & ~blank)
    if bad.any():
        raise PlanError(f"{where}: not a date (YYYY-MM-DD) in {_rows(bad, raw)}")
    bad = (out.notna() & ~((out >= FIRST_DATE) & (out <= LAST_DATE))).to_numpy()
    if bad.any():
        raise PlanError(f"{where}: not a date (YYYY-MM-DD) in {_rows(bad, raw)}; dates must lie between "
                        f"{FIRST_DATE:%Y} and {LAST_DATE:%Y}")
    return out.astype("datetime64[ns]").dt.normalize()


def _one_date(value: object) -> pd.Timestamp:
    try:
        return pd.Timestamp(value) if isinstance(value, str) else pd.NaT
    except (ValueError, OverflowError, TypeError):
        return pd.NaT


def _check_go_lives(clients: pd.DataFrame, usage: pd.DataFrame | None, acts: pd.DataFrame | None) -> None:
    """An actual go-live far after everything else the records hold is a typo (it would move "as of")."""
    others = [clients["contract_start"].max(), clients["churn_date"].max()]
    lag = GO_LIVE_LAG_CLIENTS_ONLY
    if usage is not None and len(usage):
        others.append(usage["week_start"].max() + pd.Timedelta(days=6))
        lag = GO_LIVE_LAG
    if acts is not None and len(acts):
        others.append(acts["date"].max())
        lag = GO_LIVE_LAG
    others = [d for d in others if pd.notna(d)]
    if not others:
        return
    end = max(others)
    late = (clients["actual_go_live"] > end + lag).to_numpy()
    if late.any():
        raise PlanError(f"clients.csv: column actual_go_live: after the records end ({end:%Y-%m-%d}) in "
                        f"{_rows(late, clients['actual_go_live'].dt.strftime('%Y-%m-%d'))}; an actual go-live "
                        "cannot be in the future: fix the date or move it to planned_go_live")


def _clean_frame(file: str, frame: pd.DataFrame) -> pd.DataFrame:
    schema = SCHEMAS[file]
    frame = frame.rename(columns=lambda c: str(c).strip())
    missing = [c for c in schema if c not in frame.columns and c not in OPTIONAL_COLUMNS]
    if missing:
        raise PlanError(f"{file}.csv: missing required column(s) {', '.join(missing)}")
    frame = frame.reset_index(drop=True)
    for col in schema:
        if col not in frame.columns:
            frame[col] = ""
    return pd.DataFrame({c: _clean_column(file, c, k, req, frame[c])
                         for c, (k, req) in schema.items()})


def _check_refs(file: str, col: str, frame: pd.DataFrame, known: pd.Series, what: str) -> None:
    values = frame[col]
    bad = (values.notna() & ~values.isin(known)).to_numpy()
    if bad.any():
        raise PlanError(f"{file}.csv: column {col}: unknown {what} in {_rows(bad, values)}")


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (OSError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:  # ValueError: bad UTF-8
        raise PlanError(f"{path.name}: cannot read as CSV ({exc})") from None


def load_cs_data(source: str | Path | Mapping[str, pd.DataFrame] | CSData) -> CSData:
    """Load and validate CS records from a folder of CSVs or from DataFrames.

    Parameters
    ----------
    source : str, Path, mapping or CSData
        A folder holding ``clients.csv`` and optionally ``usage_weekly.csv``,
        ``activities.csv`` and ``people.csv``; or a mapping with the keys
        ``clients``, ``usage_weekly`` (or ``usage``), ``activities``, ``people``
        to DataFrames (raw text or already typed).

    Returns
    -------
    CSData
        Typed frames. Extra columns are ignored.

    Raises
    ------
    PlanError
        Missing file or column, bad date/number/kind, duplicate id, or a client_id
        or owner that the clients/people files do not know. The message names the
        file, the column and up to five bad rows (1 = first data row).

    Examples
    --------
    >>> import pandas as pd
    >>> clients = pd.DataFrame({"client_id": ["C1"], "owner": ["Ann"], "team": ["PMO"],
    ...     "contract_start": ["2025-01-06"], "planned_go_live": ["2025-13-01"],
    ...     "actual_go_live": [""], "licensed_seats": [10], "arr_start": [1000],
    ...     "arr_renewal": [""], "renewal_date": [""], "churn_date": [""]})
    >>> load_cs_data({"clients": clients})
    Traceback (most recent call last):
    ...
    compcore.errors.PlanError: clients.csv: column planned_go_live: not a date (YYYY-MM-DD) in row 1 ("2025-13-01")
    """
    if isinstance(source, CSData):
        return source
    if isinstance(source, Mapping):
        raw = {("usage_weekly" if k == "usage" else k): v for k, v in source.items()
               if v is not None}
        unknown = set(raw) - set(SCHEMAS)
        if unknown:
            raise PlanError(f"unknown data file key(s) {sorted(unknown)}; use {sorted(SCHEMAS)}")
    else:
        folder = Path(source)
        if not folder.is_dir():
            raise PlanError(f"{folder}: not a folder of CSV files")
        raw = {k: _read_csv(folder / f"{k}.csv") for k in SCHEMAS if (folder / f"{k}.csv").exists()}
    if "clients" not in raw:
        raise PlanError("clients.csv: missing; it is required")
    frames = {k: _clean_frame(k, pd.DataFrame(v)) for k, v in raw.items()}
    clients = frames["clients"]
    people = frames.get("people")
    if people is not None:
        _check_refs("clients", "owner", clients, people["owner"], "owner (not in people.csv)")
    usage = frames.get("usage_weekly")
    if usage is not None:
        _check_refs("usage_weekly", "client_id", usage, clients["client_id"], "client")
        dup = usage.duplicated(["client_id", "week_start"]).to_numpy()
        if dup.any():
            raise PlanError("usage_weekly.csv: column week_start: duplicate week for a client in "
                            + _rows(dup, usage["client_id"] + " " + usage["week_start"].astype(str)))
    acts = frames.get("activities")
    _check_go_lives(clients, usage, acts)
    if acts is not None:
        _check_refs("activities", "client_id", acts, clients["client_id"], "client")
        if people is not None:
            _check_refs("activities", "owner", acts, people["owner"], "owner (not in people.csv)")
    return CSData(clients=clients, usage=usage, activities=acts, people=people)
