"""AppTest: a slider being moved is not re-seeded by the rerun it caused (held arrow keys keep their steps).

A widget value written from the script (``st.session_state[key] = ...``) is pushed to the browser and
replaces what the slider holds there; while an arrow key is held, that dropped the steps queued during the
rerun. Only widgets whose value the rerun really changed (the rebalanced sliders) are re-seeded.
"""

from __future__ import annotations

from tests.app.conftest import run_ok

PAGE = "plan_designer"


MOVED, REBALANCED = "plan.plan.component.golive.weight", "plan.plan.component.adoption.weight"


def test_the_moved_weight_slider_is_not_pushed_back_but_the_rebalanced_ones_are(at):
    first = at.slider(key=MOVED).value
    at.slider(key=MOVED).set_value(first + 5)
    run_ok(at)
    assert at.slider(key=MOVED).value == first + 5
    assert not at.slider(key=MOVED).proto.set_value  # the browser keeps its own (maybe newer) position
    assert at.slider(key=REBALANCED).proto.set_value  # the slider the rebalance moved is told its new value
