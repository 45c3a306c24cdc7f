"""Altair chart builders: pure functions from DataFrames (made by compcore) to charts, one module per page.

Conventions (:mod:`ui.charts.base`): attainment and payout are fractions shown
as %, money with thousands separators (``CURRENCY`` prefix; "$30k" on axes),
every mark has a tooltip, axes are labelled, every bar is labelled, names are
wrapped onto lines instead of cut, and colours come from ``PALETTE`` in a stable
order (the n-th component, scenario or series always gets the same colour).

- :mod:`ui.charts.curves`: payout curves (designer, Payout curves page)
- :mod:`ui.charts.cost`: the Cost simulation page (histogram, by team / plan, tornado, fairness)
- :mod:`ui.charts.solve`: "Solve for a budget"
- :mod:`ui.charts.history`: Targets from data (history, back-test)
- :mod:`ui.charts.compare`: plans or scenarios overlaid (Payout curves of an org, Scenarios)
- :mod:`ui.charts.cache`: drawing a chart with its Vega-Lite spec cached (Streamlit side)

``ui.charts.<builder>`` names every builder, so pages write ``charts.team_chart``.
"""

from ui.charts.base import (
    BUDGET_COLOR,
    CURRENCY,
    HEIGHT,
    LEGEND,
    MONEY,
    PALETTE,
    PCT,
    QUANTILE_COLOR,
    color_scale,
    money,
    pct,
    records,
    wrap,
)
from ui.charts.compare import costs_overlay, curves_overlay
from ui.charts.cost import (
    TORNADO_HIGH,
    TORNADO_LOW,
    budget_rows,
    cost_histogram,
    cost_histogram_data,
    fairness_chart,
    fairness_data,
    payout_pct_chart,
    payout_pct_data,
    preview_chart,
    team_chart,
    team_chart_data,
    tornado_chart,
    tornado_data,
)
from ui.charts.curves import (
    components_chart,
    components_rows,
    components_template,
    curve_chart,
    heatmap_chart,
    heatmap_rows,
    sweep_chart,
    sweep_rows,
)
from ui.charts.history import (
    backtest_cost_chart,
    backtest_cost_spec,
    backtest_cost_template,
    backtest_datasets,
    backtest_layout,
    backtest_payout_chart,
    backtest_payout_spec,
    backtest_payout_template,
    history_chart,
    history_datasets,
    history_groups,
    history_template,
)
from ui.charts.solve import SOLVE_SERIES, cost_pair_chart, curve_pair_chart, frontier_chart

__all__ = [
    "BUDGET_COLOR", "CURRENCY", "HEIGHT", "LEGEND", "MONEY", "PALETTE", "PCT", "QUANTILE_COLOR", "SOLVE_SERIES",
    "TORNADO_HIGH", "TORNADO_LOW", "backtest_cost_chart", "backtest_cost_spec", "backtest_cost_template",
    "backtest_datasets", "backtest_layout", "backtest_payout_chart", "backtest_payout_spec",
    "backtest_payout_template", "budget_rows", "color_scale",
    "components_chart", "components_rows", "components_template",
    "cost_histogram", "cost_histogram_data", "cost_pair_chart", "costs_overlay",
    "curve_chart", "curve_pair_chart", "curves_overlay", "fairness_chart", "fairness_data", "frontier_chart",
    "heatmap_chart", "heatmap_rows", "history_chart", "history_datasets", "history_groups", "history_template",
    "money", "payout_pct_chart", "payout_pct_data", "pct",
    "preview_chart", "records", "sweep_chart", "sweep_rows", "team_chart", "team_chart_data", "tornado_chart",
    "tornado_data", "wrap",
]
