"""The Streamlit side of compcore: session state (the one bridge to compcore) and Altair charts.

``ui.state`` owns every session-state key; pages read and write the scenario
only through it. ``ui.charts`` builds charts from DataFrames compcore made.
"""
