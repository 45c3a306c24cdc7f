"""Hostile ``?s=`` links (issue 23, item 2): no page shows an exception; a bad link is one plain notice + the sample."""

from __future__ import annotations

import base64
import copy
import json
import zlib
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from compcore.io.share import encode_scenario
from compcore.simulation.scenario import dump_scenario, load_scenario
from tests.app.conftest import ROOT, SINGLE_PLAN_SAMPLE, page, run_ok

PAGES = ["plan_designer", "cost_simulation", "payout_curves", "plan_document"]
SAMPLE_PLAN_NAME = "CS org quarterly bonus"


def _scenario() -> dict[str, Any]:
    return dump_scenario(load_scenario(ROOT / "sample_data" / "scenarios" / "accelerators.json"))


def _raw_token(data: Any, tail: bytes = b"") -> str:
    """A token made by hand (not through encode_scenario, which validates): what an attacker can send."""
    raw = json.dumps(data).encode("utf-8")
    return "v1." + base64.urlsafe_b64encode(zlib.compress(raw) + tail).decode("ascii").rstrip("=")


def _with(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_scenario())
    change(data)
    return data


BAD_LINKS = {
    "surrogate in a correlation id": _raw_token(_with(
        lambda d: d["correlations"][0].__setitem__("between", ["nrr\ud800", "gross_churn"]))),
    "surrogate in an assumption key": _raw_token(_with(
        lambda d: d["assumptions"].__setitem__("x\udfff", {"dist": "normal", "mean": 1, "sd": 1}))),
    "lognormal drawing NaN": _raw_token(_with(
        lambda d: d["assumptions"].__setitem__("nrr", {"dist": "lognormal", "mean": 5e-324, "sd": 1}))),
    "trailing bytes after the zlib stream": _raw_token(_scenario(), tail=b"garbage"),
    "a 500 KB link": "v1." + "A" * 500_000,
    "not base64": "v1.%%%",
}
BAD_NUMBERS = {"circled digit": "①", "superscript": "²", "1,000 digits": "9" * 1000, "negative": "-1"}


def _open(name: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(page(name), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return run_ok(at, 120)


@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize("case", list(BAD_LINKS))
def test_a_bad_link_is_one_plain_notice_and_the_sample(page_name: str, case: str) -> None:
    # before: "This app has encountered an error" for the surrogates and the NaN lognormal; the zlib tail
    # was accepted; a 1 MB link was refused without a notice
    at = _open(page_name, {"s": BAD_LINKS[case]})
    notices = [e.value for e in at.error if "could not be opened" in e.value]
    assert len(notices) == 1 and "sample scenario is shown instead" in notices[0], [e.value for e in at.error]
    assert at.session_state["scenario_valid"].plan.name == SAMPLE_PLAN_NAME
    run_ok(at, 120)  # shown once; the page keeps working
    assert not [e for e in at.error if "could not be opened" in e.value]


@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize(("param", "case"), [(p, c) for p in ("seed", "trials") for c in BAD_NUMBERS])
def test_a_bad_seed_or_trials_is_ignored_with_a_notice(page_name: str, param: str, case: str) -> None:
    # before: "①" and "²" pass str.isdigit and crash int(); the 1,000-digit seed was parsed
    good = encode_scenario(_scenario())
    at = _open(page_name, {"s": good, param: BAD_NUMBERS[case]})
    assert at.session_state["scenario_valid"].name == _scenario()["name"]  # the scenario itself opened
    notes = [e.value for e in at.error if "link was ignored" in e.value]
    assert len(notes) == 1 and f"the {param} in the link was ignored" in notes[0]


@pytest.mark.parametrize("page_name", PAGES)
def test_a_1_mb_link_opens_the_sample(page_name: str) -> None:
    # Streamlit drops a query string over 512 Ki characters before the script runs (it logs a warning), so
    # the app never sees this link: it opens the sample like a plain address (no notice can be shown)
    at = _open(page_name, {"s": "v1." + "A" * 1_000_000})
    assert at.session_state["scenario_valid"].plan.name == SAMPLE_PLAN_NAME


def test_a_good_seed_still_applies() -> None:
    at = _open("payout_curves", {"s": encode_scenario(_scenario()), "seed": "4294967295", "trials": "1000"})
    assert at.session_state["ui"]["seed"] == 4294967295 and at.session_state["ui"]["trials"] == 1000
    assert SINGLE_PLAN_SAMPLE  # the sample the bad links fall back to
