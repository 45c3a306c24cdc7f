"""Chart rows converted to Arrow once (ui.charts.cache): the browser gets the very bytes Streamlit would make."""

from __future__ import annotations

import pyarrow as pa
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from ui.charts.cache import _arrow_values


def test_rows_as_an_arrow_table_serialise_to_the_bytes_streamlit_makes_of_the_rows():
    rows = [{"team": "PMO", "expected": 1234.5, "label": "$1,235"}, {"team": "Ops", "expected": 0.0, "label": "$0"}]
    spec = {"mark": "bar", "data": {"values": rows}, "encoding": {}}
    out = _arrow_values(spec)
    assert isinstance(out["data"]["values"], pa.Table)
    assert spec["data"]["values"] is rows  # the cached spec given is not changed
    assert convert_anything_to_arrow_bytes(out["data"]["values"]) == convert_anything_to_arrow_bytes(rows)


def test_a_spec_without_top_level_rows_is_left_as_it_is():
    layered = {"layer": [{"mark": "line", "data": {"values": [{"x": 1}]}}]}
    assert _arrow_values(layered) is layered
    assert _arrow_values({"mark": "bar", "data": {"name": "sweep"}}) == {"mark": "bar", "data": {"name": "sweep"}}
