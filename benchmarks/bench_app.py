"""Page rerun time after a widget change, with a 10,000-trial simulation cached (DESIGN.md: <= 150 ms).

Runs every page with Streamlit's AppTest on the app's own default (the seed-001 org, what a person
opens) and on the single-plan samples, changes widgets one at a time and reports the *server* time of
each rerun (the script run, measured inside Streamlit's script runner) and its thread's CPU time.
The widgets are found on the page, not listed by hand: on every page the first number inputs,
sliders and select boxes are changed (a benchmark that only measures a favourable widget is
wrong), plus the cost page after a plan edit (re-price + sensitivity) and its Year view. Each case
is interleaved with a plain ``st.write`` page's rerun, so the ratio to it cancels the machine's noise.

    python benchmarks/bench_app.py [--repeat 5] [--scenario cs_org_teams] [--per-kind 2]

Prints one line per case, the worst case of every page and scenario, and the worst overall.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit import config  # noqa: E402
from streamlit.elements.widgets.selectbox import SelectboxMixin  # noqa: E402
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

BUDGET_MS = 150.0
# widgets that ask for another simulation (more trials, another seed): a new draw, not a rerun with one cached
NEW_SIMULATION = {"trials", "seed"}
SCENARIOS = ("cs_org_teams", "cs_org_quarterly", "cs_ops_enablement")  # the app's default first
PAGES = ("plan_designer", "payout_curves", "cost_simulation", "scenarios", "plan_document", "targets_from_data")
# AppTest recompiles the page on every run; a server caches the bytecode. Without "magic" that compile is
# cheap and closer to what a server does (the pages use no magic).
config.set_option("runner.magicEnabled", False)
# as the server runs (.streamlit/config.toml, which AppTest reads only from the cwd): no full gc.collect after
# every script run (~100 ms on the app's heap, counted inside the timed _run_script)
config.set_option("runner.postScriptGC", False)
_last: list[float] = []
_cpu: list[float] = []
_orig = script_runner.ScriptRunner._run_script


def _timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    t, c = time.perf_counter(), time.thread_time()
    try:
        return _orig(self, *args, **kwargs)
    finally:
        _last.append((time.perf_counter() - t) * 1000)
        _cpu.append((time.thread_time() - c) * 1000)


script_runner.ScriptRunner._run_script = _timed

# A select box's options as the page passed them (ids), by widget key: AppTest only knows the labels it shows,
# and its ``select_index`` hands the *label* back as the value, which an ids-bound select box drops as stale
# (and a format_func like ``names.get`` turns into None). A case picks the next id instead, as a browser does.
_OPTIONS: dict[str, list[Any]] = {}
_orig_selectbox = SelectboxMixin.selectbox


def _recorded_selectbox(self, label, options=(), *args, **kwargs):  # type: ignore[no-untyped-def]
    if kwargs.get("key"):
        _OPTIONS[str(kwargs["key"])] = list(options)
    return _orig_selectbox(self, label, options, *args, **kwargs)


SelectboxMixin.selectbox = _recorded_selectbox
st.selectbox = st._main.selectbox  # st.selectbox was bound to the original at import
# select boxes measured on every page that has them, beside the first ``per_kind``: the plan and document
# pickers (a plan or document not yet shown) and the Targets definition (a new metric, period, plan)
ALWAYS = ("plan_pick", "doc_pick", "sweep_metric", "solve_knob", "tfd_metric", "tfd_period", "tfd_plan_pick")

Change = Callable[[AppTest, int], Any]


def _run(at: AppTest, change: Change, i: int) -> tuple[float, float]:
    _last.clear()
    _cpu.clear()
    change(at, i)
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return sum(_last), sum(_cpu)


def _plain() -> AppTest:
    at = AppTest.from_string("import streamlit as st\nst.write('a plain page')\nst.number_input('x', key='x')")
    at.run()
    return at


def _number_case(key: str) -> Change:
    def change(a: AppTest, i: int) -> None:
        w = a.number_input(key=key)
        lo = w.min if w.min is not None else float("-inf")
        hi = w.max if w.max is not None else float("inf")
        base = w.value if w.value is not None else (lo if lo > float("-inf") else 1)
        step = w.step or 1
        new = base + step if base + step <= hi else base - step
        w.set_value(max(lo, min(hi, new))).run()
    return change


def _slider_case(key: str) -> Change:
    def change(a: AppTest, i: int) -> None:
        w = a.slider(key=key)
        if isinstance(w.value, tuple | list):
            return a.run()
        step = w.step or 1
        new = w.value + step if w.value + step <= w.max else w.value - step
        w.set_value(new).run()
    return change


def _choice_case(key: str) -> Change:
    """Pick the next option (by id) after the one the session opened on, a different one on every repeat."""
    def change(a: AppTest, i: int) -> None:
        ids = _OPTIONS.get(key) or []
        current = a.selectbox(key=key).value
        others = [o for o in ids if o != current]
        if not others:
            return a.run()
        a.selectbox(key=key).set_value(others[i % len(others)]).run()
    return change


def _snapshot() -> dict[int, set[str]]:
    """The keys every shared cache holds now (the undo histories aside)."""
    from ui import history, lru
    skip = id(history._kept())
    return {id(c): set(c.data) for c in list(lru._CACHES) if id(c) != skip}


def _forget_since(snap: dict[int, set[str]]) -> None:
    """Drop what the caches gained since ``snap``: the next change is a first visit, as for a person who has not
    seen that plan / document / definition yet (and nobody else on the server has)."""
    from ui import lru
    with lru._LOCK:
        for c in list(lru._CACHES):
            if id(c) in snap:
                for k in [k for k in c.data if k not in snap[id(c)]]:
                    del c.data[k]


def _cases(at: AppTest, per_kind: int) -> list[tuple[str, Change]]:
    """The first ``per_kind`` widgets of each kind on the page just run (keyed ones; buttons excluded)."""
    found: list[tuple[str, Change]] = [("plain rerun, nothing changed", lambda a, i: a.run())]
    for kind, make in (("number_input", _number_case), ("slider", _slider_case)):
        keys = [w.key for w in getattr(at, kind) if w.key and not w.disabled and w.key not in NEW_SIMULATION]
        keys = keys[:per_kind]
        found += [(f"{kind} {k}", make(k)) for k in keys]
    keys = [w.key for w in at.selectbox if w.key and not w.disabled and len(w.options) > 1 and w.value is not None
            and w.key not in NEW_SIMULATION]
    keys = list(dict.fromkeys([*keys[:per_kind], *(k for k in keys if k in ALWAYS)]))
    found += [(f"selectbox {k} (first visit)", _choice_case(k)) for k in keys]
    return found


def _measure(at: AppTest, plain: AppTest, page: str, change: Change, repeat: int,
             first: tuple[str, dict[int, set[str]]] | None = None) -> tuple[float, float, float]:
    """Medians of server ms, CPU ms and the ratio to the plain page's rerun, interleaved.

    ``first``: (select box key, cache snapshot at the open): before each repeat the select box goes back to the
    option the session opened on (not timed) and the caches forget what they gained since, so every timed change
    is a first visit."""
    server, cpu, ratio = [], [], []
    opened = at.selectbox(key=first[0]).value if first else None
    for i in range(repeat):
        at.switch_page(page)  # a case may have switched page (the cost page after a plan edit)
        if first:
            if at.selectbox(key=first[0]).value != opened:
                at.selectbox(key=first[0]).set_value(opened).run()
            _forget_since(first[1])
        s, c = _run(at, change, i)
        p, _ = _run(plain, lambda a, j: a.number_input(key="x").set_value(float(j)).run(), i)
        server.append(s)
        cpu.append(c)
        ratio.append(s / max(p, 1e-3))
    return statistics.median(server), statistics.median(cpu), statistics.median(ratio)


def _extra_cases() -> list[tuple[str, str, Change]]:
    """A plan edit seen on the cost page (re-price + sensitivity), and the same on its Year view."""
    def reprice(horizon: str) -> Change:
        def change(a: AppTest, i: int) -> None:
            a.switch_page("pages/plan_designer.py").run()
            sliders = [w.key for w in a.slider if (w.key or "").endswith(".weight")]
            if sliders:
                w = a.slider(key=sliders[-1])
                w.set_value(w.value - 1 if w.value > w.min + 1 else w.value + 1).run()
            a.switch_page("pages/cost_simulation.py").run()
            if horizon == "year" and a.session_state["ui"].get("horizon") != "year":
                a.radio(key="cost_horizon").set_value("year").run()
            _last.clear()
            _cpu.clear()
            a.run()  # the timed rerun: the first run after the edit above re-prices
        return change

    def year(then: Change) -> Change:
        def change(a: AppTest, i: int) -> None:
            if a.session_state["ui"].get("horizon") != "year":
                a.radio(key="cost_horizon").set_value("year").run()
                _last.clear()
                _cpu.clear()
            then(a, i)
        return change
    cost = "pages/cost_simulation.py"
    return [(cost, "after a weight edit (re-price + sensitivity)", reprice("period")),
            (cost, "Year view after a weight edit", reprice("year")),
            (cost, "Year view, plain rerun", year(lambda a, i: a.run())),
            (cost, "Year view, number_input annual_budget", year(_number_case("annual_budget"))),
            (cost, "Year view, number_input budget", year(_number_case("budget"))),
            (cost, "Year view, switched to from the period view",
             lambda a, i: a.radio(key="cost_horizon").set_value("year").run())]


def _back_and_forth(change: Change) -> Change:
    def timed(a: AppTest, i: int) -> None:
        change(a, i)
        _last[:] = _last[-1:]  # only the switch to the year is timed; back to the period view is not
        _cpu[:] = _cpu[-1:]
        a.radio(key="cost_horizon").set_value("period").run()
        _last.pop()
        _cpu.pop()
    return timed


def _open(page: str) -> AppTest:
    """A new session on ``page`` (the draws stay cached in the process, as on a server)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/cost_simulation.py").run()
    at.switch_page(page).run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    return at


def bench(scenario: str, repeat: int, per_kind: int, pages: tuple[str, ...] = PAGES) -> list[tuple[str, str, float,
                                                                                                 float, float]]:
    os.environ["COMPCORE_DEFAULT_SCENARIO"] = scenario
    plain = _plain()
    t = time.perf_counter()
    _open("pages/cost_simulation.py")
    print(f"\n== {scenario}: first load incl. the simulation {(time.perf_counter() - t) * 1000:,.0f} ms "
          "(not budgeted)")
    rows = []
    cases = [(f"pages/{p}.py", label, change) for p in pages for label, change in _cases(_open(f"pages/{p}.py"),
                                                                                         per_kind)]
    extra = _extra_cases() if "cost_simulation" in pages else []
    for path, label, change in cases + extra:
        try:  # every case on a session of its own: one case's widgets never leave another's page stale
            at = _open(path)
            snap = _snapshot()
            first = (label.split()[1], snap) if label.endswith("(first visit)") else None
            change(at, 99)  # warm this case's caches (a first visit forgets them again)
            if label.startswith("Year view, switched"):
                at.radio(key="cost_horizon").set_value("period").run()
                change = _back_and_forth(change)
            rows.append((Path(path).stem, label, *_measure(at, plain, path, change, repeat, first)))
        except Exception as exc:  # a widget this scenario does not have: say so, go on
            print(f"   skipped {Path(path).stem} / {label}: {type(exc).__name__}: {exc}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--per-kind", type=int, default=2, help="widgets of each kind changed on every page")
    parser.add_argument("--scenario", action="append", help="sample scenario(s) to open (default: all three)")
    parser.add_argument("--page", action="append", choices=PAGES, help="page(s) to measure (default: every page)")
    args = parser.parse_args()
    worst_all = []
    for scenario in args.scenario or SCENARIOS:
        rows = bench(scenario, args.repeat, args.per_kind, tuple(args.page or PAGES))
        print(f"{'page':<18}{'case':<58}{'server ms':>10}{'cpu ms':>8}{'x plain':>9}")
        for page, label, server, cpu, ratio in rows:
            print(f"{page:<18}{label[:57]:<58}{server:>10.1f}{cpu:>8.1f}{ratio:>9.1f}")
        for page in dict.fromkeys(r[0] for r in rows):
            w = max((r for r in rows if r[0] == page), key=lambda r: r[2])
            print(f"   worst on {page:<18} {w[2]:6.1f} ms server, {w[3]:6.1f} ms cpu: {w[1]}")
        worst = max(rows, key=lambda r: r[2])
        worst_all.append((scenario, *worst))
    print(f"\nload average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    for scenario, page, label, server, cpu, ratio in worst_all:
        verdict = "within" if server <= BUDGET_MS else "OVER"
        print(f"worst rerun on {scenario}: {server:.1f} ms server, {cpu:.1f} ms cpu, {ratio:.1f}x a plain page "
              f"({verdict} {BUDGET_MS:.0f} ms): {page} / {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
