"""The compcore names the pages draw with, in one place: pages import ``ui``, never ``compcore``.

Everything here is computed by compcore and tested there; this module only
hands it to the pages, so the rule "pages draw, ui bridges" can be checked by
a test that parses the pages.
"""

from __future__ import annotations

from compcore.data.definitions import (
    definition_conflict,
    definition_mismatch,
    metric_definition,
    renamed_for,
    round_target,
    short_name,
)
from compcore.data.fit import FIT_KINDS
from compcore.data.metrics import ACTIVITY_KINDS, fit_assumption, target_from_history
from compcore.data.persistence import persistence_words
from compcore.data.plan_targets import team_fit_lines
from compcore.data.targets import LABELS, describe_spec, scope_by
from compcore.errors import PlanError
from compcore.io import excel, files
from compcore.io import spreadsheet as export_csv
from compcore.plan import editing as curve_edit
from compcore.plan import explore, units
from compcore.plan.describe import describe, describe_curve
from compcore.plan.guardrails import guardrails
from compcore.plan.schema import TOLERANCE
from compcore.report import changes, compare, document, org_document
from compcore.report.document import describe_assumption
from compcore.report.html import plan_document_html
from compcore.report.words import cost_axis_title, figure_words, sensitivity_sentence
from compcore.simulation import assumptions
from compcore.simulation.distributions import DIST_KINDS
from compcore.simulation.scenario import Scenario, load_scenario

__all__ = [
    "changes",
    "definition_conflict", "definition_mismatch", "describe_assumption", "metric_definition", "persistence_words",
    "renamed_for", "round_target", "short_name",
    "cost_axis_title", "figure_words", "sensitivity_sentence",
    "ACTIVITY_KINDS", "DIST_KINDS", "FIT_KINDS", "LABELS", "TOLERANCE", "PlanError", "Scenario", "assumptions",
    "compare", "curve_edit", "describe", "describe_curve", "describe_spec", "document", "excel", "explore",
    "export_csv", "files", "fit_assumption", "guardrails", "load_scenario", "org_document", "plan_document_html",
    "scope_by", "target_from_history", "team_fit_lines", "units",
]
