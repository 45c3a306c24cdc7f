"""The ``metrics`` subcommand through a small argparse harness (as compcore.cli.main calls it)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from compcore.cli.metrics import register

SAMPLE = str(Path(__file__).resolve().parents[3] / "sample_data")


def cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="compcore")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_adoption_within_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("metrics", "--data", SAMPLE, "--metric", "adoption_within", "--days", "90",
               "--by", "team", "--period", "year", "--percentile", "50", "--fit", "auto") == 0
    out = capsys.readouterr().out
    assert "adoption_within by team per year (>= 40% of licensed seats active in a week)" in out
    assert "Implementation" in out and "%" in out
    assert "target at P50" in out and '"dist": "binomial"' in out


def test_json_and_csv_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("metrics", "--data", SAMPLE, "--metric", "grr", "--by", "company", "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["metric"] == "grr" and payload["rows"][0]["period"] == "2025-Q1"
    assert payload["rows"][0]["period_start"] == "2025-01-01"
    assert cli("metrics", "--data", SAMPLE, "--metric", "activities", "--kind", "ebr",
               "--by", "team", "--csv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("period,period_start,period_end,complete,team,kind,count")
    assert all(",ebr," in line for line in lines[1:])


@pytest.mark.parametrize("metric", ["on_time_go_live", "continued_adoption", "nrr", "activities"])
def test_every_metric_runs(metric: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("metrics", "--data", SAMPLE, "--metric", metric, "--min-active-users", "3",
               "--grace-days", "7") == 0
    assert metric in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["--data", "/no/such/folder", "--metric", "grr"], "not a folder"),
    (["--data", SAMPLE, "--metric", "adoption_within", "--min-seat-share", "2"], "min_seat_share"),
    (["--data", SAMPLE, "--metric", "grr", "--percentile", "120"], "percentile"),
    (["--data", SAMPLE, "--metric", "grr", "--from", "later"], "not a date"),
])
def test_bad_input_exits_2_with_one_line(argv: list[str], message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("metrics", *argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_csv_reports_file_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (Path(SAMPLE) / "clients.csv").read_text().splitlines()
    text[3] = text[3].replace(text[3].split(",")[6], "soon")
    (tmp_path / "clients.csv").write_text("\n".join(text) + "\n")
    assert cli("metrics", "--data", str(tmp_path), "--metric", "on_time_go_live") == 2
    assert 'clients.csv: column planned_go_live: not a date (YYYY-MM-DD) in row 3 ("soon")' in \
        capsys.readouterr().err
