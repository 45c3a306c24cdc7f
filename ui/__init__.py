"""The Streamlit side of compcore: session state (the one bridge to compcore) and Altair charts.

``ui.state`` owns every session-state key; pages read and write the scenario
only through it and the modules split from it by concept (``ui.plan_editing``,
``ui.simulation_state``, ``ui.targets_state``, ``ui.share_link``, ``ui.saved``;
``ui.charts.cache`` draws charts with cached specs, ``ui.lru`` holds the shared
caches, ``ui.settings`` reads deployment settings, ``ui.gate`` the optional
password). ``ui.charts`` (one module per page) builds charts from DataFrames compcore made.
"""
