"""Command line: ``python -m compcore payout|describe|simulate|solve|compare|metrics ...``.

Bad arguments or an invalid plan print one clear line on stderr and exit with
code 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from compcore.cli import compare, describe, metrics, payout, simulate, solve
from compcore.errors import PlanError

# one module per command, each with register(subparsers)
_COMMANDS = (payout, describe, simulate, solve, compare, metrics)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and one line, as for every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m compcore", description="Variable-pay plans for Customer Success.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in _COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (PlanError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _reader_left()


# what a shell reports for a Unix tool killed by SIGPIPE: 128 + 13
READER_LEFT = 141


def _reader_left() -> int:
    """The reader of our output went away (``simulate | head``): stop quietly, as a Unix tool does.

    Standard output is pointed at /dev/null so the interpreter's final flush cannot raise again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass
    return READER_LEFT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
