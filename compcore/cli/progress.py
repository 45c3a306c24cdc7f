"""How long a ``simulate`` run will take, and its progress on standard error (issue 23, item 9).

Before a long run the CLI times a small run of the same scenario (the same
code path, a few hundred thousand person-draws) and scales it to the trials
asked for. A run expected to pass :data:`CONFIRM_SECONDS` needs ``--yes``
(the message says how long it would take and how many trials fit in a
minute); a run expected to pass :data:`PROGRESS_SECONDS` shows its progress
and the time left on standard error, so standard output stays the report.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from compcore.simulation.scenario import Scenario
from compcore.simulation.simulate import simulate

__all__ = ["CONFIRM_SECONDS", "PROGRESS_SECONDS", "Progress", "duration", "long_run_message", "seconds_per_trial",
           "timing_trials"]

#: a run expected to take longer than this needs --yes
CONFIRM_SECONDS = 60.0
#: a run expected to take longer than this shows its progress on standard error
PROGRESS_SECONDS = 3.0
#: person-draws of the timing run (about a tenth of a second on a laptop)
_CALIBRATION_DRAWS = 200_000


def timing_trials(scn: Scenario) -> int:
    """Trials of the timing run: about 200,000 person-draws, 1 to 2,000 trials."""
    return max(1, min(2_000, _CALIBRATION_DRAWS // max(1, scn.headcount)))


def seconds_per_trial(scn: Scenario, seed: int | None = 0, run: Callable[..., object] = simulate) -> float:
    """Seconds one trial of this scenario takes here, timed on a small run of it (``run``: ``simulate`` or
    ``simulate_year``, whose trials are years)."""
    trials = timing_trials(scn)
    started = time.perf_counter()
    run(scn, trials=trials, seed=seed)
    return (time.perf_counter() - started) / trials


def duration(seconds: float) -> str:
    """'about 45 s', 'about 2 min 30 s', 'about 3 h 20 min'.

    >>> duration(44.6), duration(150), duration(12_000)
    ('about 45 s', 'about 2 min 30 s', 'about 3 h 20 min')
    """
    s = max(1, round(seconds))
    if s < 60:
        return f"about {s} s"
    if s < 3600:
        m, rest = divmod(s, 60)
        return f"about {m} min" + (f" {rest} s" if rest else "")
    h, rest = divmod(s, 3600)
    return f"about {h} h" + (f" {rest // 60} min" if rest // 60 else "")


def long_run_message(trials: int, per_trial: float, people: int) -> str | None:
    """What to say before a run expected to pass :data:`CONFIRM_SECONDS` (None for a shorter one).

    >>> long_run_message(1_000_000, 0.001, 50)
    'simulate: 1,000,000 trials of this scenario (50 people) would take about 16 min 40 s here; \
run again with --yes to go ahead, or use --trials 60,000 (about a minute)'
    """
    expected = trials * per_trial
    if expected <= CONFIRM_SECONDS:
        return None
    fits = int(CONFIRM_SECONDS / per_trial)
    if fits >= 100:  # two significant digits: 61,234 -> 61,000
        unit = 10 ** (len(str(fits)) - 2)
        fits = fits // unit * unit
    return (f"simulate: {trials:,} trials of this scenario ({people:,} people) would take {duration(expected)} "
            f"here; run again with --yes to go ahead, or use --trials {fits:,} (about a minute)")


class Progress:
    """A progress callback for :func:`~compcore.simulation.simulate.simulate` writing to standard error.

    On a terminal one line is rewritten in place; elsewhere (a log) a line is
    written every tenth of the run. Each says the share done and the time left.
    """

    def __init__(self, trials: int, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.trials, self.stream, self.clock = trials, stream or sys.stderr, clock
        self.started = clock()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = -1

    def __call__(self, done: float) -> None:
        done = min(max(done, 0.0), 1.0)
        step = int(done * (100 if self.tty else 10))
        if step == self.shown:
            return
        self.shown = step
        elapsed = self.clock() - self.started
        left = elapsed * (1 - done) / done if done > 0 else None
        tail = "" if done >= 1 else f", {duration(left)} left" if left is not None else ""
        text = f"simulating {self.trials:,} trials: {done:.0%}{tail}"
        if self.tty:
            self.stream.write(f"\r{text:<70}" + ("\n" if done >= 1 else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
