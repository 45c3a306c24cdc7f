"""Every path is read with a byte bound: devices, FIFOs and /proc never hang or fill memory (issue 23, item 5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import compcore
from compcore.errors import PlanError
from compcore.io.reading import MAX_NESTING, check_plain, read_bounded
from compcore.io.tables import file_bytes
from compcore.simulation.roster import roster_from_csv

ROOT = Path(__file__).resolve().parents[3]
DEVICES = [p for p in ("/dev/zero", "/dev/urandom", "/dev/null") if Path(p).exists()]
LOADERS = [compcore.load_plan, compcore.load_scenario, roster_from_csv]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "plan.json"
    os.mkfifo(path)  # nobody writes: a plain open() would wait forever
    return path


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_a_device_is_refused_without_reading_it(loader: Any, device: str) -> None:
    # before: load_plan("/dev/zero") read 2.4 GB until MemoryError (a device reports size 0)
    with pytest.raises(PlanError, match="it is a device, not a regular file"):
        loader(device)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_a_fifo_is_refused_without_waiting_for_a_writer(loader: Any, fifo: Path) -> None:
    with pytest.raises(PlanError, match=r"it is a pipe \(FIFO\)"):
        loader(fifo)


def test_a_folder_and_a_missing_file_are_plan_errors(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="it is a folder"):
        compcore.load_plan(tmp_path)
    with pytest.raises(PlanError, match="No such file"):
        compcore.load_plan(tmp_path / "nothing.json")


def test_a_proc_file_reporting_size_0_is_read_with_the_bound() -> None:
    # /proc/self/status reports st_size 0 and has content: read (bounded), then it is simply not JSON
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(PlanError, match="not valid JSON"):
        compcore.load_plan("/proc/self/status")
    assert read_bounded("/proc/self/status", 100_000).startswith(b"Name:")


def test_the_bound_holds_whatever_the_reported_size(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 1001)
    assert read_bounded(path, 1001) == b" " * 1001
    with pytest.raises(PlanError, match="larger than 1,000 bytes"):
        read_bounded(path, 1000)


def test_tables_refuse_a_device_and_a_fifo(fifo: Path) -> None:
    for path in [*DEVICES, fifo]:
        with pytest.raises(PlanError):
            file_bytes(path)


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo"])
def test_the_cli_does_not_hang_on_a_special_plan_file(target: str, fifo: Path, tmp_path: Path) -> None:
    # before: a plan_file naming a FIFO or /dev/urandom hung `python -m compcore simulate`
    plan_file = str(fifo) if target == "fifo" else target
    scenario = tmp_path / "scn.json"
    scenario.write_text(json.dumps({"schema": "compcore.scenario/v1", "name": "x", "plan_file": plan_file,
                                    "roster": [], "assumptions": {}}), encoding="utf-8")
    for args in (["simulate", str(scenario), "--trials", "10"], ["payout", plan_file, "--actual", "a=1"]):
        done = subprocess.run([sys.executable, "-m", "compcore", *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_check_plain_names_the_path_of_a_lone_surrogate_and_of_a_deep_nest() -> None:
    with pytest.raises(PlanError, match=r"^roster\[1\]\.team: not valid Unicode"):
        check_plain({"roster": [{}, {"team": "CS\udc80"}]})
    deep: Any = "x"
    for _ in range(MAX_NESTING + 1):
        deep = [deep]
    with pytest.raises(PlanError, match=f"nested more than {MAX_NESTING} levels deep"):
        check_plain({"name": deep})
    check_plain({"name": "Ünïcödé ✓ 😀", "x": [[[[1]]]]})  # real text and normal nesting pass
