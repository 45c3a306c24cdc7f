"""AppTest: each metric, gate and modifier row is one box holding its own remove button.

On a phone (390 px) Streamlit stacks a row's columns; without the box the remove button sat alone between
two rows, as near to the next metric as to its own.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page, run_ok


def _box_of(at: AppTest, key: str):
    """The keyed container ``key`` (its element id ends with the user key)."""
    found = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if getattr(node, "type", None) != "button" and getattr(proto, "id", "").endswith(f"-{key}"):
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    assert len(found) == 1, key
    return found[0]


def _button_keys(node) -> set[str]:
    keys = {node.key} if getattr(node, "type", None) == "button" else set()
    for child in getattr(node, "children", {}).values():
        keys |= _button_keys(child)
    return keys


def test_each_row_box_holds_its_own_remove_button():
    at = open_page("plan_designer")
    at.button(key="add_gate").click()
    run_ok(at)
    at.button(key="add_modifier").click()
    run_ok(at)
    for m in at.session_state["scenario_valid"].plan.metrics:
        assert _button_keys(_box_of(at, f"plan.plan.metric.{m.id}.row")) == {f"plan.plan.metric.{m.id}.remove"}
    assert "plan.plan.gate.0.remove" in _button_keys(_box_of(at, "plan.plan.gate.0.row"))
    assert "plan.plan.modifier.0.remove" in _button_keys(_box_of(at, "plan.plan.modifier.0.row"))
