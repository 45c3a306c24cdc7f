"""Random walks over the whole app (issue 19): a person's actions in any order never break a page.

A hypothesis state machine drives ``app.py`` under AppTest through
:class:`tests.app.frontend.Frontend`, which sends every widget's last state on
every rerun as a browser does (and, for a fast click, the states of widgets of
earlier screens too). Its rules are what a person does: switch page, switch the
plan being edited, edit a target / weight / curve point, add and remove a tier,
a metric, a plan, move a roster row to another plan, solve, save, make an HR
link, upload a file, undo, and touch any other widget on the page. After every
action: no exception, no "This app has encountered an error".

Widgets are found by key pattern (never by position), so the walk follows the
app as its keys gain plan / metric / component ids. A failure prints the walk
as JSON lines; ``tests.app.frontend.replay`` plays it again without hypothesis.
The run is derandomized (the same walks on every CI run) and uses no example
database. ``COMPCORE_WALK_EXAMPLES`` / ``COMPCORE_WALK_STEPS`` make it longer locally.
"""

from __future__ import annotations

import functools
import os
import random
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from tests.app.frontend import PAGES, Action, Frontend

EXAMPLES = int(os.environ.get("COMPCORE_WALK_EXAMPLES", "8"))
STEPS = int(os.environ.get("COMPCORE_WALK_STEPS", "60"))
#: files a person uploads: (page, uploader key pattern, files relative to the repo)
UPLOADS = [
    ("plan_designer", r"import_json", ["sample_data/scenarios/cs_org_teams.json"]),
    ("plan_designer", r"import_json", ["sample_data/plans/accelerators.json"]),
    # the wrong file: a message, not a crash
    ("plan_designer", r"import_json", ["sample_data/clients.csv"]),
    ("plan_designer", r"import_json", ['inline:notes.json:{"not": "a plan"}']),
    ("plan_designer", r"import_json", ["inline:broken.json:{'half"]),
    ("cost_simulation", r"roster", ["sample_data/roster.csv"]),
    ("targets_from_data", r"export", ["sample_data/vendor_export/crm_export.xlsx"]),
    ("targets_from_data", r"export", ["sample_data/vendor_export/accounts.csv", "sample_data/vendor_export/users.csv",
                                      "sample_data/vendor_export/product_usage.csv"]),
    ("targets_from_data", r"upload|cs_files|tfd_files", ["sample_data/clients.csv", "sample_data/usage_weekly.csv"]),
]
TEXTS = ["", "Go-lives", "Adoption within 90 days", "  ", "A" * 120, "<b>bold</b> **md** $x$", "Ünïcødé · plan"]
SAVE_NAMES = ["FY27 base", "FY27 stretch", "FY27 base"]
ACTIONS: dict[str, Any] = {"count": 0, "walks": 0, "dir": "."}
#: each rule gets one number and makes its own choices from it: what a rule draws then never depends on
#: what the app shows (hypothesis would call that flaky), and every choice is in the printed walk anyway
SEEDS = st.integers(0, 2**32 - 1).map(random.Random)


def _pick(rng: random.Random, items: list[Any], label: str = "") -> Any:
    return items[rng.randrange(len(items))]


def plausible(node: Any, rng: random.Random) -> Any:
    """A value a person could give ``node`` (in what the browser sends: labels, percents as typed)."""
    t = node.type
    if t in ("selectbox", "radio"):
        return _pick(rng, list(node.options), node.key) if node.options else None
    if t == "multiselect":
        opts = list(node.options)
        return rng.sample(opts, rng.randint(0, min(3, len(opts))))
    if t in ("checkbox", "toggle"):
        return not bool(node.value)
    if t in ("text_input", "text_area"):
        return _pick(rng, [*TEXTS, f"{node.value or ''} 2"], node.key)
    if t == "number_input":
        lo = node.min if node.min is not None else -1e9
        hi = node.max if node.max is not None else 1e12
        now = node.value if node.value is not None else lo if lo > -1e9 else 0
        cands = [now, now + (node.step or 1), now - (node.step or 1), 0, 1, 50, 85, 100, 150, 1000, 125_000, lo, hi]
        cands = sorted({c for c in cands if lo <= c <= hi})
        return _pick(rng, [*cands, None], node.key)
    if t == "slider":
        lo, hi, step = float(node.min), float(node.max), float(node.step or 1)
        n = int(round((hi - lo) / step))
        k = rng.randint(0, n)
        return lo + k * step
    return None


def editor_columns(node: Any) -> dict[str, dict[str, Any]]:
    """``{column: type config}`` of a data editor's visible columns."""
    import json

    cols = json.loads(node.proto.columns) if node.proto.columns else {}
    frame = node.value
    out = {c: (cols.get(c) or {}).get("type_config") or {} for c in frame.columns}
    return {c: cfg for c, cfg in out.items() if not (cols.get(c) or {}).get("hidden")}


def cell_value(cfg: dict[str, Any], rng: random.Random, col: str) -> Any:
    if cfg.get("type") == "selectbox" and cfg.get("options"):
        return _pick(rng, list(cfg["options"]), col)
    if cfg.get("type") == "text":
        return _pick(rng, ["PMO", "Implementation", "New team", "", None], col)
    return _pick(rng, [0, 5, 50, 80, 90, 100, 110, 150, 95_000, None, -10], col)


def acting(rule_fn: Any) -> Any:
    """A rule that found nothing to do (no saved scenario to link, undo greyed) touches anything else on the
    page instead, so every step is an action."""
    @functools.wraps(rule_fn)
    def run(self: AppWalk, **kw: Any) -> None:
        before = ACTIONS["count"]
        rule_fn(self, **kw)
        if ACTIONS["count"] == before:
            self.set_one(kw["rng"], r".")
    return run


class AppWalk(RuleBasedStateMachine):
    """A person's session: each rule is one thing they do, on the page it lives on."""

    def __init__(self) -> None:
        super().__init__()
        self.fe: Frontend | None = None

    @initialize(scenario=st.sampled_from(["cs_org_teams", "cs_org_teams", "cs_org_quarterly"]))
    def open_app(self, scenario: str) -> None:
        os.environ["COMPCORE_DEFAULT_SCENARIO"] = scenario
        # each walk its own empty store: what one walk saved never changes what the next one sees
        ACTIONS["walks"] += 1
        os.environ["COMPCORE_DB_URL"] = f"sqlite:///{ACTIONS['dir']}/walk{ACTIONS['walks']}.db"
        self.fe = Frontend.open()

    # ------------------------------------------------------------ helpers

    def act(self, rng: random.Random, kind: str, key: str, value: Any = None) -> None:
        stale = rng.random() < 0.25
        ACTIONS["count"] += 1
        self.fe.do(Action(kind, key, value, stale))

    def on(self, page: str, rng: random.Random) -> None:
        if self.fe.page != page:
            self.act(rng, "page", page)

    def find(self, pattern: str, *types: str) -> list[Any]:
        """Enabled widgets on screen whose key matches ``pattern`` (sorted by key: never by position)."""
        ws = self.fe.widgets()
        return [ws[k] for k in sorted(ws) if re.search(pattern, k) and (not types or ws[k].type in types)
                and not getattr(ws[k], "disabled", False)]

    def set_one(self, rng: random.Random, pattern: str, *types: str) -> bool:
        nodes = self.find(pattern, *types)
        if not nodes:
            return False
        node = _pick(rng, nodes, pattern)
        if node.type in ("button",):
            self.act(rng, "click", node.key)
        elif node.type == "dataframe":
            self.edit_table(rng, node, _pick(rng, ["edit", "add", "delete"], "edit kind"))
        elif node.type in ("file_uploader", "download_button"):
            return False
        else:
            self.act(rng, "set", node.key, plausible(node, rng))
        return True

    def edit_table(self, rng: random.Random, node: Any, how: str, column: str | None = None) -> None:
        cols = editor_columns(node)
        n = len(node.value)
        if how == "edit" and n and cols:
            row = rng.randrange(n)
            col = column if column in cols else _pick(rng, sorted(cols), "column")
            delta = {"edited_rows": {str(row): {col: cell_value(cols[col], rng, col)}}}
        elif how == "delete" and n:
            delta = {"deleted_rows": [rng.randrange(n)]}
        else:
            row = {c: cell_value(cfg, rng, c) for c, cfg in cols.items()}
            delta = {"added_rows": [row]}
        self.act(rng, "edit", node.key, {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **delta})

    # ------------------------------------------------------------ what a person does

    @rule(page=st.sampled_from(PAGES), rng=SEEDS)
    @acting
    def switch_page(self, page: str, rng: random.Random) -> None:
        self.act(rng, "page", page)

    @rule(rng=SEEDS)
    @acting
    def switch_plan(self, rng: random.Random) -> None:
        if not self.find(r"plan_pick|plan_being_edited|editing_plan", "selectbox", "radio"):
            self.on("plan_designer", rng)
        self.set_one(rng, r"plan_pick|plan_being_edited|editing_plan", "selectbox", "radio")

    @rule(rng=SEEDS)
    @acting
    def edit_target(self, rng: random.Random) -> None:
        self.on("plan_designer", rng)
        self.set_one(rng, r"target", "number_input")

    @rule(rng=SEEDS)
    @acting
    def edit_weight(self, rng: random.Random) -> None:
        self.on("plan_designer", rng)
        self.set_one(rng, r"weight", "slider", "number_input")

    @rule(rng=SEEDS)
    @acting
    def pick_component(self, rng: random.Random) -> None:
        self.on("plan_designer", rng)
        self.set_one(rng, r"component_pick|comp.*pick", "radio", "selectbox")

    @rule(how=st.sampled_from(["edit", "edit", "add", "delete"]), rng=SEEDS)
    @acting
    def edit_curve(self, how: str, rng: random.Random) -> None:
        """Edit a curve point, add a tier or step, remove one."""
        self.on("plan_designer", rng)
        tables = self.find(r"comp.*table|curve|mod.*table", "dataframe")
        if tables:
            self.edit_table(rng, _pick(rng, tables, "table"), how)

    @rule(rng=SEEDS)
    @acting
    def add_or_remove_metric(self, rng: random.Random) -> None:
        self.on("plan_designer", rng)
        self.set_one(rng, r"^add_metric$|remove_metric", "button")

    @rule(rng=SEEDS)
    @acting
    def add_or_remove_component(self, rng: random.Random) -> None:
        self.on("plan_designer", rng)
        self.set_one(rng, r"add_component|remove_component|add_gate|remove_gate|add_modifier|remove_mod", "button")

    @rule(rng=SEEDS)
    @acting
    def add_plan(self, rng: random.Random) -> None:
        self.on("plan_designer", rng)
        self.set_one(rng, r"new_plan_from", "selectbox")
        self.set_one(rng, r"^add_plan$", "button")

    @rule(confirm=st.booleans(), rng=SEEDS)
    @acting
    def delete_plan(self, confirm: bool, rng: random.Random) -> None:
        self.on("plan_designer", rng)
        if self.set_one(rng, r"^delete_plan", "button"):
            self.set_one(rng, r"confirm_delete_yes" if confirm else r"confirm_delete_no", "button")

    @rule(confirm=st.booleans(), rng=SEEDS)
    @acting
    def replace_plan(self, confirm: bool, rng: random.Random) -> None:
        self.on("plan_designer", rng)
        self.set_one(rng, r"start_from", "selectbox")
        if self.set_one(rng, r"^load_plan$", "button"):
            self.set_one(rng, r"confirm_replace_yes" if confirm else r"confirm_replace_no", "button")

    @rule(rng=SEEDS)
    @acting
    def move_roster_row(self, rng: random.Random) -> None:
        if not self.find(r"roster", "dataframe"):
            self.on(_pick(rng, ["plan_designer", "cost_simulation"], "roster page"), rng)
        tables = self.find(r"roster", "dataframe")
        if tables:
            self.edit_table(rng, _pick(rng, tables, "roster"), "edit", column="plan")

    @rule(rng=SEEDS)
    @acting
    def solve(self, rng: random.Random) -> None:
        self.on("cost_simulation", rng)
        if rng.random() < 0.5:  # change the question first
            self.set_one(rng, r"solve_(knob|goal|amount)", "selectbox", "number_input")
        if self.set_one(rng, r"solve_run", "button"):
            self.set_one(rng, r"solve.*apply|apply_solve|solve_use", "button")

    @rule(rng=SEEDS)
    @acting
    def save(self, rng: random.Random) -> None:
        self.on("scenarios", rng)
        if self.find(r"save_name", "text_input"):
            self.act(rng, "set", self.find(r"save_name", "text_input")[0].key, _pick(rng, SAVE_NAMES, "name"))
        self.set_one(rng, r"save_scenario", "button")

    @rule(rng=SEEDS)
    @acting
    def hr_link(self, rng: random.Random) -> None:
        self.on("scenarios", rng)
        if rng.random() < 0.5:  # pick a scenario or version first
            self.set_one(rng, r"pick_saved|pick_version|hr_version", "selectbox")
        self.set_one(rng, r"hr_make", "button")

    @rule(rng=SEEDS)
    @acting
    def scenarios_page(self, rng: random.Random) -> None:
        """Load, duplicate, delete, revoke, compare: anything on the Scenarios page."""
        self.on("scenarios", rng)
        self.set_one(rng, r"load_saved|dup_|delete_saved|hr_revoke|compare_pick|pick_saved|pick_version")

    @rule(which=st.sampled_from(UPLOADS), rng=SEEDS)
    @acting
    def upload(self, which: tuple[str, str, list[str]], rng: random.Random) -> None:
        page, pattern, files = which
        self.on(page, rng)
        if page == "targets_from_data" and not self.find(pattern, "file_uploader"):
            source = "export" if pattern == "export" else "upload"
            radios = self.find(r"tfd_source", "radio")
            if radios:
                label = next((o for o in radios[0].options if o.lower().startswith(
                    "your own" if source == "export" else "upload")), None)
                if label:
                    self.act(rng, "set", radios[0].key, label)
        nodes = self.find(pattern, "file_uploader")
        if nodes:
            self.act(rng, "upload", _pick(rng, nodes, "uploader").key, files)

    @rule(rng=SEEDS)
    @acting
    def targets_from_data(self, rng: random.Random) -> None:
        self.on("targets_from_data", rng)
        self.set_one(rng, r"^tfd_")

    @rule(rng=SEEDS)
    @acting
    def undo(self, rng: random.Random) -> None:
        self.set_one(rng, r"^undo$", "button")

    @rule(rng=SEEDS)
    @acting
    def touch_anything(self, rng: random.Random) -> None:
        """Any enabled widget on the page, with a plausible value."""
        self.set_one(rng, r".")

    @rule(rng=SEEDS)
    @acting
    def reload_page(self, rng: random.Random) -> None:
        """The same page again (a rerun with nothing changed): what the browser holds goes along."""
        self.act(rng, "page", self.fe.page)


def test_random_walks_never_break_a_page(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # restored after the test; each walk sets its own
    monkeypatch.setenv("COMPCORE_DEFAULT_SCENARIO", "cs_org_teams")
    monkeypatch.setenv("COMPCORE_DB_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    ACTIONS.update(count=0, walks=0, dir=str(tmp_path))
    run_state_machine_as_test(AppWalk, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=True, database=None,
        phases=[Phase.explicit, Phase.generate],  # a failure prints its whole walk; shrinking would take minutes
        suppress_health_check=list(HealthCheck), report_multiple_bugs=False))
    print(f"random walk: {ACTIONS['count']} actions in {EXAMPLES} walks, no exception")
    # every step acts (a rule with nothing to do touches something else): far fewer means the walk lost the app
    assert ACTIONS["count"] >= EXAMPLES * STEPS // 2, ACTIONS
