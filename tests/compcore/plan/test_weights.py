"""compcore.plan.editing.rebalance_weights: whole percents adding to exactly 100%, every combination reachable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from compcore.plan.editing import rebalance_weights


@st.composite
def compositions(draw, n: int | None = None) -> list[int]:
    """Whole-percent weights (each >= 1) adding to 100, for 1..6 components."""
    n = n or draw(st.integers(1, 6))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n - 1, max_size=n - 1, unique=True)))
    edges = [0, *cuts, 100]
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


def _pcts(ws: list[float]) -> list[int]:
    return [round(w * 100) for w in ws]


def test_the_issue_example_40_30_15_15_is_reached_in_two_moves() -> None:
    # 30/30/20/20: set the first to 40 -> the three to its right share 60 as 30:20:20 = 25.7/17.1/17.1,
    # in whole percents 26/17/17 (the leftover point goes to the largest remainder, 25.71)
    step1 = rebalance_weights([0.4, 0.3, 0.2, 0.2], changed=0)
    assert _pcts(step1) == [40, 26, 17, 17]
    # set the second to 30 -> the two to its right share 100 - 40 - 30 = 30 as 17:17 = 15/15
    assert _pcts(rebalance_weights([0.4, 0.3, *step1[2:]], changed=1)) == [40, 30, 15, 15]


def test_the_last_component_moves_the_ones_to_its_left() -> None:
    assert _pcts(rebalance_weights([0.5, 0.5, 0.5], changed=2)) == [25, 25, 50]


def test_a_change_the_right_side_cannot_absorb_is_shared_by_all() -> None:
    # 50/20/30 -> second set to 90 with 50 kept on its left leaves -40 for the right: all others share 10,
    # 1 each and the 7 spare as 50:30:20 = 3.5/2.1/1.4 -> 3/2/1 and the leftover to the largest remainder (3.5)
    assert _pcts(rebalance_weights([0.5, 0.9, 0.3, 0.2], changed=1)) == [5, 90, 3, 2]


def test_one_decimal_when_asked() -> None:
    out = rebalance_weights([0.333, 0.5, 0.5], changed=0, decimals=1)
    assert [round(w * 1000) for w in out] == [333, 334, 333]


@settings(max_examples=200, deadline=None)
@given(compositions(), st.data())
def test_whole_percents_adding_to_exactly_100(start: list[int], data) -> None:
    n = len(start)
    changed = data.draw(st.one_of(st.none(), st.integers(0, n - 1)))
    typed = data.draw(st.integers(0, 100)) / 100
    ws = [w / 100 for w in start]
    if changed is not None:
        ws[changed] = typed
    out = rebalance_weights(ws, changed)
    assert sum(_pcts(out)) == 100 and abs(sum(out) - 1.0) < 1e-9
    assert all(abs(w * 100 - round(w * 100)) < 1e-9 and w >= 0.01 - 1e-12 for w in out)
    if changed is not None and n > 1 and 1 <= typed * 100 <= 100 - (n - 1):
        assert _pcts(out)[changed] == round(typed * 100)  # the value the person set is kept


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(compositions(n), compositions(n))))
def test_every_combination_is_reachable_left_to_right(pair) -> None:
    start, goal = pair
    ws = [w / 100 for w in start]
    for i in range(len(goal) - 1):  # set each slider but the last, left to right
        ws[i] = goal[i] / 100
        ws = rebalance_weights(ws, changed=i)
    assert _pcts(ws) == goal


@settings(max_examples=100, deadline=None)
@given(compositions(), st.data())
def test_components_to_the_left_keep_their_weight(start: list[int], data) -> None:
    n = len(start)
    changed = data.draw(st.integers(0, max(n - 2, 0)))
    ws = [w / 100 for w in start]
    room = 100 - sum(start[:changed]) - (n - changed - 1)  # the most it can take with the right side absorbing
    ws[changed] = data.draw(st.integers(1, max(room, 1))) / 100
    out = rebalance_weights(ws, changed)
    assert _pcts(out)[:changed] == start[:changed]
