"""ui.tables: a static table's cells and headers are plain text (st.table renders Markdown in them)."""

from __future__ import annotations

import pandas as pd

from ui.tables import plain_cells
from ui.text import md, shown


def test_every_text_cell_and_header_is_escaped_numbers_stay_numbers_and_missing_is_empty() -> None:
    df = pd.DataFrame({"![h](http://x/h.png)": ["![p](http://x/p.png)", None, "$5 and $6"], "People": [1, 2, 3]})
    out = plain_cells(df)
    assert list(out.columns) == [md("![h](http://x/h.png)"), "People"]
    assert out.iloc[:, 0].tolist() == [md("![p](http://x/p.png)"), "", md("$5 and $6")]
    assert out["People"].tolist() == [1, 2, 3]
    assert [shown(v) for v in out.iloc[:, 0]] == ["![p](http://x/p.png)", "", "$5 and $6"]  # what a reader sees
