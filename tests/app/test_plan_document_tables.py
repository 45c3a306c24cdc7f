"""AppTest: the plan document's short tables are static tables, so long cells wrap instead of being cut off."""

from __future__ import annotations

from compcore.report.document import reference_salary, worked_examples
from tests.app.conftest import open_page


def test_worked_examples_show_their_full_text_in_a_static_table():
    at = open_page("plan_document")
    scn = at.session_state["scenario_valid"]
    ex = worked_examples(scn.plan, base_salary=reference_salary(scn))
    tables = [t.value for t in at.table]
    examples = next(t for t in tables if "Example" in t.columns)
    # whole sentences such as "... others at target", nothing cut to the grid's column width
    assert examples["Example"].tolist() == list(ex["case"])
    assert any("others at target" in c for c in ex["case"])
    assert not [d for d in at.dataframe if "Example" in d.value.columns]
    assert any("Figure" in t.columns for t in tables)  # the cost summary too
