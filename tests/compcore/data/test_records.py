"""Validation of CS records: every error names the file, the column and the bad rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from compcore.data.metrics import load_cs_data
from compcore.errors import PlanError

CLIENTS = """client_id,name,segment,owner,team,contract_start,planned_go_live,actual_go_live,\
licensed_seats,arr_start,arr_renewal,renewal_date,churn_date,notes
C1,Acme,SMB,Ann,PMO,2025-01-06,2025-03-01,2025-03-02,10,12000,,2026-01-06,,hello
C2,Beta,SMB,Ann,PMO,2025-01-06,2025-03-01,,10,"12,500",,2026-01-06,,
C3,Gamma,SMB,Bo,CS,2025-02-01,2025-04-01,2025-04-01,10,9000,,2026-02-01,,
"""


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text)


def good_folder(tmp_path: Path) -> Path:
    write(tmp_path, "clients.csv", CLIENTS)
    write(tmp_path, "usage_weekly.csv",
          "client_id,week_start,active_users\nC1,2025-03-03,4\nC3,2025-03-31,5\n")
    write(tmp_path, "activities.csv", "activity_id,date,owner,team,client_id,kind\n"
          "A1,2025-03-05,Ann,PMO,C1,touchpoint\nA2,2025-03-06,Bo,CS,,ebr\n")
    write(tmp_path, "people.csv", "owner,team,role,base_salary\nAnn,PMO,PM,100000\n"
          "Bo,CS,CSM,90000\n")
    return tmp_path


def test_good_folder_loads_typed_and_ignores_extra_columns(tmp_path: Path) -> None:
    data = load_cs_data(good_folder(tmp_path))
    c = data.clients
    assert "notes" not in c.columns
    assert pd.api.types.is_datetime64_any_dtype(c["planned_go_live"])
    assert c["arr_start"].tolist() == [12000, 12500, 9000]  # thousands separator accepted
    assert c["actual_go_live"].isna().tolist() == [False, True, False]
    assert data.activities["client_id"].isna().tolist() == [False, True]
    assert data.as_of() == pd.Timestamp("2025-04-06")


def test_bad_dates_name_file_column_rows_and_values(tmp_path: Path) -> None:
    text = CLIENTS.replace("C2,Beta,SMB,Ann,PMO,2025-01-06,2025-03-01",
                           "C2,Beta,SMB,Ann,PMO,2025-01-06,2025-13-01")
    text = text.replace("C3,Gamma,SMB,Bo,CS,2025-02-01,2025-04-01", "C3,Gamma,SMB,Bo,CS,2025-02-01,soon")
    write(tmp_path, "clients.csv", text)
    with pytest.raises(PlanError) as err:
        load_cs_data(tmp_path)
    assert str(err.value) == ('clients.csv: column planned_go_live: not a date (YYYY-MM-DD) '
                              'in rows 2, 3 ("2025-13-01", "soon")')
    assert isinstance(err.value, ValueError)


def test_many_bad_rows_are_summarised() -> None:
    frame = pd.DataFrame({"client_id": ["C1"], "week_start": ["x"], "active_users": [1]})
    frame = pd.concat([frame] * 8, ignore_index=True)
    clients = pd.read_csv(pd.io.common.StringIO(CLIENTS), dtype=str, keep_default_na=False)
    with pytest.raises(PlanError, match=r"usage_weekly.csv: column week_start: not a date "
                                        r"\(YYYY-MM-DD\) in rows 1, 2, 3, 4, 5 and 3 more"):
        load_cs_data({"clients": clients, "usage": frame})


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("clients.csv", "C3,Gamma", ",Gamma", "clients.csv: column client_id: blank in row 3"),
    ("clients.csv", "C2,Beta", "C1,Beta", 'clients.csv: column client_id: duplicate id in row 2 ("C1")'),
    ("clients.csv", ",10,9000", ",-3,9000",
     'clients.csv: column licensed_seats: not a whole number >= 0 in row 3 ("-3")'),
    ("clients.csv", ",10,9000", ",2.5,9000", "licensed_seats: not a whole number"),
    ("clients.csv", ",10,9000", ",10,lots", 'arr_start: not an amount >= 0 in row 3 ("lots")'),
    ("clients.csv", "Bo,CS,2025", "Zed,CS,2025", "clients.csv: column owner: unknown owner"),
    ("clients.csv", "churn_date,notes", "churn,notes", "clients.csv: missing required column(s) churn_date"),
    ("usage_weekly.csv", "C3,2025-03-31", "C9,2025-03-31",
     'usage_weekly.csv: column client_id: unknown client in row 2 ("C9")'),
    ("usage_weekly.csv", "C3,2025-03-31", "C1,2025-03-03",
     "usage_weekly.csv: column week_start: duplicate week for a client in row 2"),
    ("usage_weekly.csv", ",5\n", ",five\n", "usage_weekly.csv: column active_users"),
    ("activities.csv", ",ebr", ",call", "activities.csv: column kind: must be one of"),
    ("activities.csv", "A2,", "A1,", "activities.csv: column activity_id: duplicate id"),
    ("activities.csv", "Bo,CS,,ebr", "Bo,CS,C7,ebr", "activities.csv: column client_id: unknown"),
    ("activities.csv", "2025-03-06", "06/03/2025", "activities.csv: column date: not a date"),
    ("people.csv", "Bo,CS", "Ann,CS", "people.csv: column owner: duplicate id"),
])
def test_each_validation_error(tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    folder = good_folder(tmp_path)
    text = (folder / file).read_text()
    assert old in text
    write(folder, file, text.replace(old, new, 1))
    with pytest.raises(PlanError) as err:
        load_cs_data(folder)
    assert message in str(err.value)


def test_missing_clients_and_bad_sources(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="clients.csv: missing"):
        load_cs_data(tmp_path)
    with pytest.raises(PlanError, match="not a folder"):
        load_cs_data(tmp_path / "nope")
    with pytest.raises(PlanError, match="unknown data file key"):
        load_cs_data({"clients": pd.DataFrame(), "deals": pd.DataFrame()})
    (tmp_path / "clients.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(PlanError, match="clients.csv"):
        load_cs_data(tmp_path)


def test_typed_frames_are_accepted() -> None:
    clients = pd.DataFrame({
        "client_id": ["C1"], "owner": ["Ann"], "team": ["PMO"],
        "contract_start": pd.to_datetime(["2025-01-06"]), "planned_go_live": [pd.NaT],
        "actual_go_live": [pd.NaT], "licensed_seats": [10], "arr_start": [1000.0],
        "arr_renewal": [float("nan")], "renewal_date": [pd.NaT], "churn_date": [pd.NaT]})
    data = load_cs_data({"clients": clients})
    assert data.clients["segment"].isna().all()  # optional column added blank
    assert load_cs_data(data) is data


def test_what_metrics_ask_of_records_is_worked_out_once_and_never_carried_to_other_records() -> None:
    import dataclasses

    from compcore.data.records import load_cs_data

    data = load_cs_data(Path(__file__).resolve().parents[3] / "sample_data")
    assert data.as_of() == data._as_of() and data.first_date() == data._first_date()
    assert data.memo("as_of", lambda: None) == data._as_of()  # kept: not made again
    later = dataclasses.replace(data, clients=data.clients.assign(contract_start=pd.Timestamp("2030-01-01")))
    assert later.as_of() == pd.Timestamp("2030-01-01") != data.as_of()  # other records: their own dates
