"""compcore.report.changes: the comparison in words a meeting reads (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from compcore.report.changes import figure_differences, readable_diff
from compcore.simulation.scenario import dump_scenario, load_scenario

ROOT = Path(__file__).resolve().parents[3]


def _sample() -> dict:
    return dump_scenario(load_scenario(ROOT / "sample_data/scenarios/cs_org_quarterly.json"))


def test_paths_and_fractions_become_labels_and_units() -> None:
    a = _sample()
    b = json.loads(json.dumps(a))
    comps = {c["id"]: c for c in b["plan"]["components"]}
    comps["adoption"]["curve"]["above"] = "extend"
    comps["adoption"]["weight"], comps["golive"]["weight"] = 0.35, 0.25
    b["plan"]["cap"] = 2.0
    b["plan"]["metrics"][1]["target"] = 0.85
    diff = readable_diff({"Base": a, "Stretch": b}).set_index("What changed")
    assert diff.loc["Adopted within 90 days: above the last point"].tolist()[:2] == [
        "stays flat", "keeps rising (accelerator)"]
    assert diff.loc["Plan cap"].tolist()[:2] == ["150%", "200%"]
    assert diff.loc["Adopted within 90 days: weight"].tolist()[:2] == ["30%", "35%"]
    assert diff.loc["Clients adopted within 90 days: target"].tolist()[:2] == [
        "90% share of new clients", "85% share of new clients"]
    assert not any("[" in label for label in diff.index)  # no raw paths


def test_difference_column_for_the_key_figures() -> None:
    kf = pd.DataFrame({"figure": ["Paid per", "Expected cost", "P(over budget)"], "unit": ["text", "money", "share"],
                       "A": ["quarter", 100_000.0, 0.10], "B": ["quarter", 112_500.0, 0.25],
                       "C": ["quarter", None, 0.05]})
    out = figure_differences(kf)
    b, c = out["B vs A"].tolist(), out["C vs A"].tolist()
    assert pd.isna(b[0]) and b[1] == 12_500.0 and abs(b[2] - 0.15) < 1e-12  # 25% - 10% = 15 points
    assert pd.isna(c[1]) and abs(c[2] + 0.05) < 1e-12
