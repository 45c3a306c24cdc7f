"""``simulate`` says how long a long run takes and shows its progress on standard error (issue 23, item 9).

The time per trial is replaced by a fixed number here (the real one is timed on the machine), so every
expected text below is computed by hand.
"""

from __future__ import annotations

import io

import pytest

from compcore.cli import simulate as simulate_cli
from compcore.cli.progress import Progress, long_run_message
from tests.compcore.cli.test_simulate import SCENARIO, run_cli


@pytest.fixture
def one_ms_per_trial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulate_cli, "seconds_per_trial", lambda scn, seed=0, run=None: 0.001)


def test_a_run_over_a_minute_says_how_long_and_asks_for_yes(one_ms_per_trial: None,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    # before: `simulate --trials 10000000` ran past 30 s with nothing shown
    assert run_cli("simulate", SCENARIO, "--trials", "100000") == 2
    out, err = capsys.readouterr()
    # 100,000 trials x 0.001 s = 100 s = 1 min 40 s; a minute holds 60 / 0.001 = 60,000 trials
    assert out == ""
    assert err == ("simulate: 100,000 trials of this scenario (50 people) would take about 1 min 40 s here; "
                   "run again with --yes to go ahead, or use --trials 60,000 (about a minute)\n")


def test_with_yes_a_long_run_goes_ahead_and_shows_its_progress(one_ms_per_trial: None,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # 5,000 trials x 0.001 s = 5 s > 3 s: progress on stderr, a line per tenth (not a terminal), ending at 100%
    assert run_cli("simulate", SCENARIO, "--trials", "5000", "--yes") == 0
    out, err = capsys.readouterr()
    assert "5,000 simulated" in out and "simulating" not in out
    lines = err.splitlines()
    assert lines and all(line.startswith("simulating 5,000 trials: ") for line in lines)
    assert lines[-1] == "simulating 5,000 trials: 100%"


def test_a_short_run_is_not_timed_and_prints_nothing_on_stderr(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    def never(*_: object) -> float:
        raise AssertionError("a short run needs no timing run")

    monkeypatch.setattr(simulate_cli, "seconds_per_trial", never)
    assert run_cli("simulate", SCENARIO, "--trials", "1000") == 0
    assert capsys.readouterr().err == ""


def test_progress_says_the_share_done_and_the_time_left() -> None:
    now = [100.0]
    stream = io.StringIO()
    progress = Progress(1_000_000, stream=stream, clock=lambda: now[0])
    now[0] = 130.0  # 30 s for the first quarter: 30 x 3 = 90 s left
    progress(0.25)
    progress(0.25)  # the same tenth again: no new line
    now[0] = 220.0
    progress(1.0)
    assert stream.getvalue() == ("simulating 1,000,000 trials: 25%, about 1 min 30 s left\n"
                                 "simulating 1,000,000 trials: 100%\n")


def test_no_message_for_a_run_within_a_minute() -> None:
    assert long_run_message(120, 0.5, 50) is None  # 120 x 0.5 s = 60 s exactly; 122 x 0.5 s = 61 s
    assert long_run_message(122, 0.5, 50) == ("simulate: 122 trials of this scenario (50 people) would take about "
                                              "1 min 1 s here; run again with --yes to go ahead, or use --trials "
                                              "120 (about a minute)")


def test_a_long_year_run_asks_for_yes_too(one_ms_per_trial: None, capsys: pytest.CaptureFixture[str]) -> None:
    # --year is timed on a small year run (here replaced by 0.001 s a year): 100,000 years = 1 min 40 s
    assert run_cli("simulate", SCENARIO, "--year", "--trials", "100000") == 2
    assert "would take about 1 min 40 s here; run again with --yes" in capsys.readouterr().err
