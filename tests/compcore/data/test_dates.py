"""Date formats: each one read, detected from a column, ambiguity said, bad dates left out (never guessed)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from compcore.data.dates import detect_date_format, parse_dates

D = "2025-03-15"


def _read(values, fmt):
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in parse_dates(pd.Series(values, dtype=object), fmt)]


@pytest.mark.parametrize(("fmt", "values"), [
    ("iso", ["2025-03-15", "2025/03/15", "2025-03-15T10:30:00", "2025.03.15", " 2025-3-15 "]),
    ("us", ["03/15/2025", "3/15/2025", "03-15-2025", "3/15/25", "03/15/2025 10:30"]),
    ("european", ["15/03/2025", "15.03.2025", "15-03-2025", "15.3.25", "15/03/2025 10:30"]),
    ("excel_serial", [45731, 45731.0, "45731"]),  # 2025-03-15 is day 45731 counted from 1899-12-30
])
def test_each_format_reads_its_spellings(fmt, values):
    assert _read(values, fmt) == [D] * len(values)


@pytest.mark.parametrize("fmt", ["iso", "us", "european", "excel_serial"])
def test_excel_date_cells_are_dates_in_every_format(fmt):
    assert _read([dt.date(2025, 3, 15), dt.datetime(2025, 3, 15, 9, 0), pd.Timestamp(D)], fmt) == [D] * 3


@pytest.mark.parametrize(("fmt", "values"), [
    ("iso", ["2025-13-01", "2025-02-30", "15/03/2025", "soon", 45731]),
    ("us", ["15/03/2025", "02/30/2025", "2025-03-15", "45731", 45731]),
    ("european", ["03/15/2025", "30.02.2025", "2025-03-15", 45731]),
    ("excel_serial", ["03/15/2025", 12, 45731.5, "x", True]),
])
def test_values_not_in_the_format_are_not_dates(fmt, values):
    assert _read(values, fmt) == [None] * len(values)


def test_blanks_stay_blank():
    assert _read([None, "", "  "], "us") == [None, None, None]


@pytest.mark.parametrize(("values", "fmt"), [
    (["2025-03-15", "2025-04-01"], "iso"),
    (["03/15/2025", "04/01/2025"], "us"),
    (["15/03/2025", "01/04/2025"], "european"),
    (["15.03.2025", "01.04.2025"], "european"),
    ([45731, 45748], "excel_serial"),
])
def test_detection(values, fmt):
    g = detect_date_format(pd.Series(values, dtype=object))
    assert (g.format, g.read, g.total, g.ambiguous, g.clear) == (fmt, 2, 2, (), True)


def test_day_and_month_both_12_or_less_is_ambiguous_and_the_preference_decides():
    s = pd.Series(["03/04/2025", "05/06/2025"])
    us, eu = detect_date_format(s), detect_date_format(s, prefer="european")
    assert (us.format, us.ambiguous, us.clear) == ("us", ("european",), False)
    assert (eu.format, eu.ambiguous) == ("european", ("us",))


def test_a_mostly_readable_column_reports_what_it_read():
    g = detect_date_format(pd.Series(["03/15/2025", "03/16/2025", "next week", None, ""]))
    assert (g.format, g.read, g.total, g.clear) == ("us", 2, 3, False)


def test_date_cells_only_are_not_called_ambiguous():
    g = detect_date_format(pd.Series([dt.date(2025, 3, 15)] * 3, dtype=object))
    assert (g.read, g.native, g.ambiguous) == (3, 3, ())


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="date format must be one of iso, us, european, excel_serial"):
        parse_dates(pd.Series(["x"]), "chinese")
