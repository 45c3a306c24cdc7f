"""CS records: no silent wrong numbers (inf ARR, dates past 2262, a go-live in 2030) and no pandas tracebacks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from compcore.data.records import load_cs_data
from compcore.errors import PlanError

ROOT = Path(__file__).resolve().parents[3]


def _clients(**columns: list[Any]) -> pd.DataFrame:
    base: dict[str, list[Any]] = dict(
        client_id=["C1", "C2"], owner=["Ann", "Ann"], team=["PMO", "PMO"],
        contract_start=["2025-01-06", "2025-02-03"], planned_go_live=["", ""], actual_go_live=["2025-03-01", ""],
        licensed_seats=["10", "10"], arr_start=["1000", "2000"], arr_renewal=["", ""], renewal_date=["", ""],
        churn_date=["", ""])
    base.update(columns)
    return pd.DataFrame(base)


@pytest.mark.parametrize(("column", "values", "words"), [
    ("arr_start", ["1000", "1e400"], "arr_start: not an amount >= 0 in row 2"),
    ("arr_start", ["1000", "inf"], "arr_start: not an amount >= 0 in row 2"),
    ("licensed_seats", ["10", "1e13"], "licensed_seats"),
    ("contract_start", ["2025-01-06", "2300-01-01"], "between 1900 and 2199"),
    ("contract_start", ["2025-01-06", "1677-01-01"], "between 1900 and 2199"),
    ("contract_start", ["2025-01-06", "99999-01-01"], "contract_start: not a date"),
    ("actual_go_live", ["2025-03-01", "2030-06-30"], "actual_go_live: after the records end"),
])
def test_silent_wrong_numbers_are_named(column: str, values: list[str], words: str) -> None:
    with pytest.raises(PlanError) as err:
        load_cs_data({"clients": _clients(**{column: values})})
    assert words in str(err.value)
    assert "row 2" in str(err.value)


def test_a_timezone_offset_keeps_its_local_date() -> None:
    """One ISO date with +02:00 among plain ones was pandas' "Mixed timezones" traceback."""
    data = load_cs_data({"clients": _clients(contract_start=["2025-01-06", "2025-02-03T00:30:00+02:00"])})
    assert list(data.clients["contract_start"]) == [pd.Timestamp("2025-01-06"), pd.Timestamp("2025-02-03")]
    assert str(data.clients["contract_start"].dtype) == "datetime64[ns]"


def test_the_sample_data_still_loads_and_as_of_is_unchanged() -> None:
    data = load_cs_data(ROOT / "sample_data")
    assert data.as_of() == pd.Timestamp("2026-09-30")


@pytest.mark.parametrize("content", [b"\x00\x01\x02\xff\xfe", b"client_id,owner\n\xe9\xe9,x\n", b""])
def test_binary_or_non_utf8_csv_is_a_plan_error(tmp_path: Path, content: bytes) -> None:
    for f in (ROOT / "sample_data").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "clients.csv").write_bytes(content)
    with pytest.raises(PlanError, match="clients"):
        load_cs_data(tmp_path)
