"""What the README and docs/app.md say the app opens with is what it opens with (issue 19: "50 people" in the
README, 44 in the app)."""

from __future__ import annotations

import re

from tests.app.conftest import ROOT, open_page


def test_the_readme_and_the_app_guide_give_the_headcount_and_budget_the_app_opens_with(monkeypatch) -> None:
    monkeypatch.delenv("COMPCORE_DEFAULT_SCENARIO", raising=False)  # the app's own default, as a new user sees it
    at = open_page("cost_simulation", timeout=120)
    people = int(re.search(r"(\d+) people in \d+ roster rows", " ".join(c.value for c in at.caption)).group(1))
    budget = at.number_input(key="budget").value
    readme = " ".join((ROOT / "README.md").read_text().split())
    guide = " ".join((ROOT / "docs" / "app.md").read_text().split())
    assert f"a roster of {people} people and a budget of ${budget:,.0f} a quarter" in readme
    assert f"{people} people in PMO" in guide and f"budget ${budget:,.0f} a quarter" in guide
    assert people == 46  # the seed-001 org with its two hires of the year (issue 21)
