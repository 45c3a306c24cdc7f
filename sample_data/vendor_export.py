"""Write the sample records again in the shape a CRM or CS platform exports them.

Run ``python sample_data/vendor_export.py`` from the repository root (after
``generate.py``). It reads the native CSVs of ``sample_data/`` and writes, in
``sample_data/vendor_export/``:

- ``crm_export.xlsx``: one workbook, a sheet per kind of record ("Accounts",
  "Product Usage", "Activities", "Users"), with the headers a Salesforce or
  Gainsight report uses, a report title above the Accounts header, columns
  compcore does not read, go-live dates as US text (``3/15/2025``), contract and
  renewal dates and usage weeks as Excel date cells, and activity dates as bare
  Excel serial numbers (a date column exported without its format);
- ``accounts.csv``, ``product_usage.csv``, ``activities.csv``, ``users.csv``: the
  same records as CSV with every date in the US format (``03/15/2025``).

The same records, only the shape differs: the column mapping's best guess reads
them back to exactly the native records, so every metric gives the same figures
(tests/compcore/data/test_vendor_sample.py checks it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = HERE / "vendor_export"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
#: native column -> vendor header, per kind of record
HEADERS = {
    "clients": {"client_id": "Account ID", "name": "Account Name", "segment": "Segment", "owner": "CSM",
                "team": "CS Team", "contract_start": "Contract Start Date", "planned_go_live": "Target Go-Live Date",
                "actual_go_live": "Go Live Date", "licensed_seats": "Licenses", "arr_start": "ARR (USD)",
                "arr_renewal": "Renewal ARR", "renewal_date": "Renewal Date", "churn_date": "Churn Date"},
    "usage_weekly": {"client_id": "Account ID", "week_start": "Week Of", "active_users": "Weekly Active Users"},
    "activities": {"activity_id": "Activity ID", "date": "Activity Date", "owner": "Assigned To", "team": "Team",
                   "client_id": "Account ID", "kind": "Activity Type"},
    "people": {"owner": "Full Name", "team": "Team", "role": "Title", "base_salary": "Base Salary"},
}
SHEETS = {"clients": "Accounts", "usage_weekly": "Product Usage", "activities": "Activities", "people": "Users"}
CSV_NAMES = {"clients": "accounts.csv", "usage_weekly": "product_usage.csv", "activities": "activities.csv",
             "people": "users.csv"}
DATES = {"clients": ("contract_start", "planned_go_live", "actual_go_live", "renewal_date", "churn_date"),
         "usage_weekly": ("week_start",), "activities": ("date",), "people": ()}
# go-live dates are text fields in many CRMs; the rest are real date cells, activity dates bare serials
TEXT_DATES = {"planned_go_live", "actual_go_live", "churn_date"}


def _kind(row: pd.Series) -> str:
    if row["kind"] == "ebr":
        return "Executive Business Review"
    if row["kind"] == "cross_sell_lead":
        return "Cross-sell Lead"
    return "Call" if int(row["activity_id"][1:]) % 3 else "Meeting"  # both count as touchpoints


def vendor_frame(kind: str, native: pd.DataFrame) -> pd.DataFrame:
    """The native records of ``kind`` with vendor headers and values (dates still as Timestamps)."""
    df = native.copy()
    for col in DATES[kind]:
        df[col] = pd.to_datetime(df[col].replace("", None))
    if kind == "activities":
        df["kind"] = df.apply(_kind, axis=1)
    out = df[list(HEADERS[kind])].rename(columns=HEADERS[kind])
    if kind == "clients":
        out.insert(3, "Account Status", ["Churned" if c else "Active" for c in native["churn_date"]])
    if kind == "activities":
        out["Subject"] = out["Activity Type"] + " with " + native["client_id"].replace("", "internal")
    return out


def _us(v: object) -> str:
    return "" if pd.isna(v) else f"{v.month:02d}/{v.day:02d}/{v.year}"


def write_csvs(frames: dict[str, pd.DataFrame]) -> None:
    for kind, df in frames.items():
        out = df.copy()
        for col in DATES[kind]:
            out[HEADERS[kind][col]] = out[HEADERS[kind][col]].map(_us)
        out.to_csv(OUT / CSV_NAMES[kind], index=False, lineterminator="\n")


def _cell(kind: str, col: str | None, v: object) -> object:
    if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
        return None
    if col is None:
        return v.item() if hasattr(v, "item") else v
    if col in TEXT_DATES:
        return f"{v.month}/{v.day}/{v.year}"
    if kind == "activities":
        return (v.to_pydatetime() - EXCEL_EPOCH).days
    return v.to_pydatetime()


def write_workbook(frames: dict[str, pd.DataFrame]) -> None:
    book = openpyxl.Workbook(write_only=True)
    stamp = dt.datetime(2026, 10, 1)
    book.properties.created = book.properties.modified = stamp
    for kind, df in frames.items():
        ws = book.create_sheet(SHEETS[kind])
        if kind == "clients":
            ws.append(["Accounts with onboarding dates, exported 10/01/2026"])
            ws.append([])
        ws.append(list(df.columns))
        back = {v: k for k, v in HEADERS[kind].items()}
        date_cols = {h: back[h] for h in df.columns if back.get(h) in DATES[kind]}
        for row in df.itertuples(index=False):
            ws.append([_cell(kind, date_cols.get(h), v) if h in date_cols else _cell(kind, None, v)
                       for h, v in zip(df.columns, row, strict=True)])
    book.save(OUT / "crm_export.xlsx")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    native = {k: pd.read_csv(HERE / f"{k}.csv", dtype=str, keep_default_na=False) for k in HEADERS}
    frames = {k: vendor_frame(k, v) for k, v in native.items()}
    for kind in ("clients", "usage_weekly", "people"):
        for col in ("licensed_seats", "arr_start", "arr_renewal", "active_users", "base_salary"):
            h = HEADERS[kind].get(col)
            if h in frames[kind]:
                frames[kind][h] = pd.to_numeric(frames[kind][h].replace("", None)).astype("Int64")
    write_csvs(frames)
    write_workbook(frames)


if __name__ == "__main__":
    main()
