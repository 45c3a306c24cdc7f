"""Small cohorts in words: where a team's cohort makes a share target all or nothing (issue 19).

A share of n clients moves in steps of 1/n, so a 90% target on 6 clients a quarter
is met only when all 6 are. :func:`fairness_lines` lists every such case of the
scenario (the Cost page's fairness view); :func:`show_target_notes` draws the
ones of one metric of the plan being edited under its target (the Plan designer).
"""

from __future__ import annotations

import streamlit as st

from compcore.report.fairness import small_cohort_sentence, small_cohorts
from ui.state import plan_id, valid
from ui.text import md

__all__ = ["fairness_lines", "show_target_notes", "target_notes"]


def fairness_lines() -> list[str]:
    """Every team, plan and metric where the team's cohort makes the target all or nothing (plain text)."""
    scn = valid()
    return [small_cohort_sentence(c, scn.period) for c in small_cohorts(scn)]


def target_notes(metric_id: str, plan: str | None = None) -> list[str]:
    """The sentences for one metric of one plan (default: the plan being edited), one per team on it."""
    scn = valid()
    pid = plan or plan_id()
    return [small_cohort_sentence(c, scn.period) for c in small_cohorts(scn)
            if c.metric == metric_id and c.plan == pid]


def show_target_notes(metric_id: str) -> None:
    """Under a metric's target in the Plan designer: each team for which it is all or nothing, as a caption."""
    for line in target_notes(metric_id):
        st.caption(md(line))  # team and metric names are data: escaped, never markdown
