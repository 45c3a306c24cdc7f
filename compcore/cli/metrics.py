"""``python -m compcore metrics``: compute a CS metric from a folder of CSVs or a team's own exports.

Examples::

    python -m compcore metrics --data sample_data/ --metric adoption_within --days 90 \\
        --by team --period quarter --min-seat-share 0.4
    python -m compcore metrics --data export.xlsx --mapping mapping.json --metric adoption_within
    python -m compcore metrics --data export.xlsx --mapping "Salesforce export" --metric grr
    python -m compcore metrics --data export.xlsx --print-mapping > mapping.json

``--data`` takes files (CSV, ``.xlsx``) or folders. A folder of the native CSVs
(``clients.csv``...) is read as is; anything else is read through ``--mapping``
(a JSON file, or the name of a mapping saved in the app's store), or without one
through the best guess of the column mapping (``--print-mapping`` shows it).

:func:`register` adds the subcommand to the main CLI's subparsers; :func:`run`
prints a readable table (or ``--csv`` / ``--json``) and returns an exit code: 0 on
success, 2 with a one-line message on bad input (no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from compcore.data.fit import fit_assumption, target_from_history
from compcore.data.mapped import guess_mapping, read_records, records_data
from compcore.data.mapping import DataMapping, dump_mapping, load_mapping
from compcore.data.metrics import METRICS, AdoptionRule, compute_metric
from compcore.data.periods import BY, PERIODS
from compcore.data.records import ACTIVITY_KINDS, CSData
from compcore.errors import PlanError
from compcore.io.mapping_store import MappingStore
from compcore.io.spreadsheet import safe_csv
from compcore.io.store import ScenarioStore
from compcore.io.tables import RawTable, read_paths

__all__ = ["register", "run"]

_RULE_METRICS = ("adoption_within", "continued_adoption")


def register(subparsers: Any) -> None:
    """Add the ``metrics`` subcommand to an argparse ``subparsers`` object."""
    p = subparsers.add_parser(
        "metrics", help="compute a CS metric (adoption, go-live, activities, GRR/NRR) from CSVs",
        description="Compute a CS metric per period and team/owner from a folder of CSVs "
                    "(clients.csv, usage_weekly.csv, activities.csv, people.csv).")
    p.add_argument("--data", required=True, nargs="+", metavar="PATH",
                   help="folder of the native CSVs, or export files (CSV, .xlsx) or folders of them")
    p.add_argument("--mapping", default=None, metavar="FILE.json|NAME",
                   help="column mapping: a JSON file or the name of a mapping saved in the store "
                        "(default: the best guess from the headers)")
    p.add_argument("--print-mapping", action="store_true",
                   help="print the column mapping used (JSON, editable) and exit")
    p.add_argument("--metric", choices=list(METRICS), help="the metric (required unless --print-mapping)")
    p.add_argument("--period", default="quarter", choices=list(PERIODS))
    p.add_argument("--by", default=None, choices=list(BY),
                   help="breakdown (default: owner for activities, team otherwise)")
    p.add_argument("--days", type=int, default=90, help="adoption_within: window in days")
    p.add_argument("--min-active-users", type=int, default=None,
                   help="adoption rule: active users in a week")
    p.add_argument("--min-seat-share", type=float, default=None,
                   help="adoption rule: share of licensed seats active in a week (default 0.4 "
                        "when no rule is given)")
    p.add_argument("--require", choices=["all", "any"], default="all",
                   help="adoption rule with both thresholds: all or any")
    p.add_argument("--grace-days", type=int, default=0, help="on_time_go_live: grace days")
    p.add_argument("--last-weeks", type=int, default=4, help="continued_adoption: weeks")
    p.add_argument("--min-days-live", type=int, default=90,
                   help="continued_adoption: days live before a client counts as existing")
    p.add_argument("--kind", choices=list(ACTIVITY_KINDS), action="append",
                   help="activities: kind to count (repeatable; default all)")
    p.add_argument("--as-of", default=None, help="date the data is as of (default: its last)")
    p.add_argument("--from", dest="start", default=None, help="first period (a date in it)")
    p.add_argument("--to", dest="end", default=None, help="last period (a date in it)")
    p.add_argument("--percentile", type=float, default=None,
                   help="also print a target at this percentile (0-100) of complete periods")
    p.add_argument("--fit", choices=["auto", "binomial", "poisson", "empirical", "normal"],
                   default=None, help="also print a fitted scenario assumption (JSON)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON records")
    out.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(func=run)


def _options(args: argparse.Namespace) -> dict[str, Any]:
    opts: dict[str, Any] = {"period": args.period, "as_of": args.as_of,
                            "start": args.start, "end": args.end}
    opts["by"] = args.by or ("owner" if args.metric == "activities" else "team")
    if args.metric in _RULE_METRICS:
        if args.min_active_users is None and args.min_seat_share is None:
            opts["rule"] = AdoptionRule(min_seat_share=0.4)
        else:
            opts["rule"] = AdoptionRule(args.min_active_users, args.min_seat_share, args.require)
    if args.metric == "adoption_within":
        opts["days"] = args.days
    if args.metric == "on_time_go_live":
        opts["grace_days"] = args.grace_days
    if args.metric == "continued_adoption":
        opts["last_weeks"], opts["min_days_live"] = args.last_weeks, args.min_days_live
    if args.metric == "activities" and args.kind:
        opts["kinds"] = args.kind
    return opts


def _native_folder(paths: list[str]) -> bool:
    """One folder holding ``clients.csv``: the native layout, read without a mapping."""
    return len(paths) == 1 and (Path(paths[0]) / "clients.csv").is_file()


def _mapping(arg: str | None, tables: list[RawTable]) -> DataMapping:
    if arg is None:
        return guess_mapping(tables)
    if arg.lower().endswith(".json") or Path(arg).is_file():
        return load_mapping(Path(arg))
    return MappingStore(ScenarioStore()).get(arg)


def load_data(args: argparse.Namespace) -> tuple[str | CSData, DataMapping | None]:
    """The records ``--data`` and ``--mapping`` name: a native folder as is, anything else through a mapping."""
    if args.mapping is None and not args.print_mapping and _native_folder(args.data):
        return args.data[0], None
    tables = read_paths(args.data)
    mapping = _mapping(args.mapping, tables)
    if args.print_mapping:
        return "", mapping
    if args.mapping is None:
        print("note: no --mapping given; using the best guess from the headers (see it with --print-mapping)",
              file=sys.stderr)
    return records_data(read_records(tables, mapping)), mapping


def _table(df: pd.DataFrame) -> str:
    show = df.drop(columns=["period_start", "period_end"])
    if "value" in show.columns and "count" not in show.columns:
        ratio = show["value"]
        show = show.drop(columns=["value"])
        show.insert(show.columns.get_loc("excluded"), "value",
                    ratio.map(lambda v: "n/a" if pd.isna(v) else f"{v:.1%}"))
    elif "per_person" in show.columns:
        show = show.drop(columns=["value"])
        show["per_person"] = show["per_person"].map(lambda v: "n/a" if pd.isna(v) else f"{v:.2f}")
    for col in ("numerator", "denominator"):
        if col in show.columns and (show[col] == show[col].round()).all():
            show[col] = show[col].astype("int64")
    show["complete"] = show["complete"].map({True: "yes", False: "no"})
    return show.to_string(index=False)


def run(args: argparse.Namespace) -> int:
    """Compute and print the metric; 0 on success, 2 on bad input or data."""
    try:
        data, mapping = load_data(args)
        if args.print_mapping and mapping is not None:
            print(json.dumps(dump_mapping(mapping), indent=2))
            return 0
        if args.metric is None:
            raise PlanError("--metric: required; one of " + ", ".join(METRICS))
        opts = _options(args)
        df = compute_metric(data, args.metric, **opts)
        extra: dict[str, Any] = {}
        if args.percentile is not None:
            extra["target"] = target_from_history(df, args.percentile)
        if args.fit is not None:
            extra["assumption"] = fit_assumption(df, args.fit)
    except PlanError as exc:
        lines = [m for _p, m in exc.problems] if len(exc.problems) > 1 else [str(exc)]
        print("error: " + "\n  ".join(lines), file=sys.stderr)
        return 2
    except (ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    excluded = df.attrs.get("excluded", {})
    if args.json:
        flat = df.assign(period_start=df["period_start"].dt.strftime("%Y-%m-%d"),
                         period_end=df["period_end"].dt.strftime("%Y-%m-%d"))
        records = json.loads(flat.to_json(orient="records"))
        print(json.dumps({"metric": args.metric, "rows": records, "excluded": excluded,
                          **extra}, indent=2))
        return 0
    if args.csv:
        sys.stdout.write(safe_csv(df, date_format="%Y-%m-%d"))  # the one neutraliser: names may start with =
        return 0
    print(f"{args.metric} by {opts['by']} per {args.period}"
          + (f" ({opts['rule'].describe()})" if "rule" in opts else ""))
    print(_table(df) if len(df) else "(no periods to report)")
    if excluded:
        print("not placed in any period: " + ", ".join(f"{k}={v}" for k, v in excluded.items()))
    if "target" in extra:
        print(f"target at P{args.percentile:g} of complete periods: {extra['target']:.4g}")
    if "assumption" in extra:
        print("assumption: " + json.dumps(extra["assumption"]))
    return 0
