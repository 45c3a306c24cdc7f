"""Property-based fuzzing: any plan, scenario, share token, upload or CS CSV gives a value or a PlanError.

Never another exception, never a hang: every call runs under a hard time box
(:data:`TIME_BOX` seconds, SIGALRM). Inputs are valid documents with a few
fields replaced by arbitrary JSON (strings, huge and non-finite numbers,
booleans, nested lists), mutated share tokens, arbitrary bytes as uploaded
files and CS records with arbitrary cells. ``COMPCORE_FUZZ_EXAMPLES`` raises
the number of examples per property (default 80).
"""

from __future__ import annotations

import base64
import copy
import json
import os
import signal
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import compcore
from compcore.data.records import load_cs_data
from compcore.errors import PlanError
from compcore.io.files import import_json
from compcore.io.store import ScenarioNotFoundError, ScenarioStore
from compcore.simulation.roster import roster_from_csv
from tests.compcore.scenario_data import sample_scenario

ROOT = Path(__file__).resolve().parents[2]
TIME_BOX = 20
EXAMPLES = int(os.environ.get("COMPCORE_FUZZ_EXAMPLES", "80"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
TRIED: Counter[str] = Counter()
CLEAN: Counter[str] = Counter()

numbers = st.one_of(st.integers(), st.integers(min_value=10**20, max_value=10**400), st.floats(allow_nan=True),
                    st.sampled_from([0, -1, 1e308, -1e308, 1e-308, 2**63, 10**30, 1e12, 1e12 + 1]))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=40),
                    st.sampled_from(["0.6", "1e400", "NaN", "![x](http://h/x.png)", "=1+1", "\r\n", "\x00"]))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)


def _time_box(_signum: int, _frame: Any) -> None:
    raise TimeoutError(f"no answer within {TIME_BOX} s")


def outcome(kind: str, call: Callable[[], Any], allowed: tuple[type[BaseException], ...] = (PlanError,)) -> Any:
    """Run one probe under the time box; a value or an allowed error is clean, anything else fails the test."""
    TRIED[kind] += 1
    old = signal.signal(signal.SIGALRM, _time_box)
    signal.alarm(TIME_BOX)
    try:
        value = call()
    except allowed:
        value = None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    CLEAN[kind] += 1
    return value


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    rows = [f"{k}: {TRIED[k]} tried, {CLEAN[k]} handled cleanly" for k in sorted(TRIED)]
    Path(os.environ.get("COMPCORE_FUZZ_REPORT", "/dev/null")).write_text("\n".join(rows) + "\n")


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(doc)
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return doc


@st.composite
def mutated(draw: Any, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with one to three fields (at any depth) replaced by arbitrary JSON values."""
    doc = base
    paths = _paths(base)
    for _ in range(draw(st.integers(1, 3))):
        doc = _replace(doc, draw(st.sampled_from(paths)), draw(json_values))
        paths = _paths(doc) or paths
    return doc


SCENARIO = sample_scenario()
PLAN = SCENARIO["plan"]


@FUZZ
@given(mutated(PLAN))
def test_any_plan_is_a_plan_or_a_plan_error(doc: dict[str, Any]) -> None:
    plan = outcome("plans (dict)", lambda: compcore.load_plan(doc))
    if plan is not None:
        outcome("plans (payout of a loaded plan)", lambda: compcore.payout(plan, {m.id: 1.0 for m in plan.metrics}),
                (PlanError, ValueError))


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300),
                 mutated(PLAN).map(lambda d: json.dumps(d, allow_nan=True))))
def test_any_plan_text_or_bytes_is_a_plan_or_a_plan_error(raw: str | bytes) -> None:
    outcome("plans (JSON text / bytes)", lambda: compcore.load_plan(raw if isinstance(raw, bytes) else "{" + raw
                                                                    if not raw.startswith("{") else raw))


@FUZZ
@given(mutated(SCENARIO))
def test_any_scenario_is_a_scenario_or_a_plan_error_and_simulates(doc: dict[str, Any]) -> None:
    scn = outcome("scenarios (dict)", lambda: compcore.load_scenario(doc))
    if scn is not None:
        sim = outcome("scenarios (simulate 50 trials)", lambda: compcore.simulate(scn, trials=50, seed=1))
        assert sim is None or len(sim.cost) == 50


@FUZZ
@given(json_values, json_values)
def test_any_trials_and_seed_are_a_simulation_or_a_plan_error(trials: Any, seed: Any) -> None:
    scn = compcore.load_scenario(SCENARIO)
    small = trials if not isinstance(trials, int) or isinstance(trials, bool) or trials < 1 else 1 + trials % 500
    outcome("simulate trials/seed", lambda: compcore.simulate(scn, trials=small, seed=seed))


def _token_mutations(draw: Any) -> str:
    token = compcore.encode_scenario(SCENARIO)
    kind = draw(st.sampled_from(["flip", "cut", "append", "text", "bomb", "json"]))
    if kind == "flip":
        i = draw(st.integers(3, len(token) - 1))
        return token[:i] + draw(st.sampled_from("A_-z09=+/.")) + token[i + 1:]
    if kind == "cut":
        return token[: draw(st.integers(0, len(token)))]
    if kind == "append":
        return token + draw(st.text(max_size=20))
    if kind == "bomb":
        return "v1." + base64.urlsafe_b64encode(zlib.compress(b"[" * draw(st.integers(1, 10**6)))).decode()
    if kind == "json":
        raw = json.dumps(draw(mutated(SCENARIO)), allow_nan=True).encode()
        return "v1." + base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")
    return draw(st.text(max_size=200))


@FUZZ
@given(st.data())
def test_any_share_token_is_a_scenario_or_a_plan_error(data: Any) -> None:
    token = _token_mutations(data.draw)
    outcome("share links (?s= tokens)", lambda: compcore.decode_scenario(token))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ScenarioStore:
    s = ScenarioStore(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 's.db'}")
    s.share_token(s.save("A", SCENARIO).id)
    return s


@FUZZ
@given(st.one_of(st.text(max_size=80), st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
                 st.none(), st.integers()))
def test_any_hr_token_opens_nothing_or_not_found(store: ScenarioStore, token: Any) -> None:
    outcome("HR link tokens (?hr=)", lambda: store.open_token(token), (ScenarioNotFoundError,))


@FUZZ
@given(st.one_of(st.binary(max_size=400), mutated(SCENARIO).map(lambda d: json.dumps(d, allow_nan=True).encode()),
                 mutated(PLAN).map(lambda d: json.dumps(d, allow_nan=True))))
def test_any_uploaded_json_is_imported_or_a_plan_error(content: bytes | str) -> None:
    outcome("uploads (plan/scenario JSON)", lambda: import_json(content, "upload.json"))


roster_cells = st.one_of(st.text(max_size=12), st.sampled_from(["1e400", "nan", "-1", "1" * 5000, "true", "1_000",
                                                                 "12.0", "=1+1", "\r", "100001"]))


@FUZZ
@given(st.lists(st.tuples(roster_cells, roster_cells, roster_cells, roster_cells), min_size=0, max_size=5),
       st.sampled_from(["\n", "\r", "\r\n"]))
def test_any_roster_csv_is_rows_or_a_plan_error(rows: list[tuple[str, ...]], newline: str) -> None:
    text = newline.join(["team,role,headcount,base_salary", *(",".join(r) for r in rows)]) + newline
    outcome("uploads (roster CSV)", lambda: roster_from_csv(text))


CLIENTS = pd.read_csv(ROOT / "sample_data" / "clients.csv", dtype=str, keep_default_na=False).head(12)
USAGE = pd.read_csv(ROOT / "sample_data" / "usage_weekly.csv", dtype=str, keep_default_na=False).head(60)
cs_cells = st.one_of(st.text(max_size=16), st.sampled_from(
    ["2300-01-01", "1677-09-21", "2025-02-30", "2025-01-06T00:00:00+02:00", "2025-01-06Z", "1e400", "inf", "-5",
     "1,000", "", "  ", "9" * 400, "2030-06-30", "\x00", "=HYPERLINK(1)"]))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(list(CLIENTS.columns)), st.integers(0, len(CLIENTS) - 1), cs_cells),
                min_size=1, max_size=6),
       st.lists(st.tuples(st.sampled_from(list(USAGE.columns)), st.integers(0, len(USAGE) - 1), cs_cells), max_size=3))
def test_any_cs_records_are_data_or_a_plan_error(client_edits: list[Any], usage_edits: list[Any]) -> None:
    clients, usage = CLIENTS.copy(), USAGE.copy()
    for col, row, value in client_edits:
        clients.loc[row, col] = value
    for col, row, value in usage_edits:
        usage.loc[row, col] = value
    data = outcome("CS records (clients/usage CSVs)", lambda: load_cs_data({"clients": clients, "usage": usage}))
    if data is not None:
        outcome("CS records (as-of date)", data.as_of)
