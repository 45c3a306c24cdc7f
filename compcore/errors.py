"""The one error type that loading and validating plans and scenarios raises, and the one
translation of pydantic's validation errors into field paths a person can follow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

__all__ = ["PlanError", "field_path", "friendly_message", "validation_error"]


class PlanError(ValueError):
    """An invalid plan, scenario or data file.

    The message names the field path and what to do, e.g.
    ``components[1].curve.points: x values must strictly increase``.

    Examples
    --------
    >>> raise PlanError("components[0].weight: must be > 0")
    Traceback (most recent call last):
    ...
    compcore.errors.PlanError: components[0].weight: must be > 0
    """

    def __init__(self, message: str, *, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        #: every (field path, message) found, so a UI can show each next to its field
        self.problems: list[tuple[str, str]] = problems or [("", message)]


def field_path(loc: tuple[Any, ...]) -> str:
    """The path a person wrote for a pydantic error location.

    >>> field_path(("components", 1, "curve", "linear", "points"))
    'components[1].curve.points'
    """
    out = ""
    prev: Any = None
    for part in loc:
        tag = prev == "curve" and part in ("linear", "tiers", "steps")
        prev = part
        if isinstance(part, int):
            out += f"[{part}]"
        elif tag or part.startswith(("function-", "literal[")):
            continue  # pydantic's union tag or validator name, not a field the user wrote
        else:
            # a band's "from" is held as ``start`` (a Python keyword); a roster row's start is its own
            band = part == "start" and "bands" in loc
            out += ("." if out else "") + ("from" if band else str(part))
    return out


def friendly_message(err: Any) -> str:
    """What is wrong with one field, in words (a pydantic error dict in)."""
    try:
        return _friendly_text(err)
    except (KeyError, TypeError, ValueError):
        return str(err["msg"]).removeprefix("Value error, ")


def _shown(value: Any) -> str:
    """The value a person gave, short enough for one message line (a 5,000-digit number is cut)."""
    try:
        text = repr(value)
    except ValueError:  # an int over Python's 4,300-digit str limit
        return "a number too long to show"
    except RecursionError:  # a structure nested deeper than repr goes
        return "a value nested too deep to show"
    return text if len(text) <= 40 else text[:37] + "..."


def _friendly_text(err: Any) -> str:
    kind = err["type"]
    if "input" in err:
        err = {**err, "input": _ShownInput(err["input"])}
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a field of this object; check the spelling"
    if kind == "union_tag_invalid":
        return f"unknown curve kind {err['ctx']['tag']!r}; use {err['ctx']['expected_tags']}"
    if kind == "union_tag_not_found":
        return 'needs a "kind": "linear", "tiers" or "steps" ("linear" or "steps" for a modifier)'
    if kind in ("float_parsing", "float_type"):
        return f"must be a number, got {err.get('input')!r}"
    if kind == "greater_than_equal" and err["ctx"]["ge"] != 0:
        return f"must be at least {err['ctx']['ge']:g}, got {err.get('input')!r}"
    if kind in ("greater_than_equal",):
        return f"must not be negative (>= {err['ctx']['ge']}), got {err.get('input')!r}"
    if kind == "greater_than":
        return f"must be greater than {err['ctx']['gt']}, got {err.get('input')!r}"
    if kind == "less_than_equal":
        return f"must be at most {err['ctx']['le']:g}, got {err.get('input')!r}"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"must be a whole number, got {err.get('input')!r}"
    if kind == "too_short":
        return f"needs at least {err['ctx']['min_length']} entries"
    if kind == "too_long":
        return f"has {err['ctx'].get('actual_length', 'too many')} entries; at most {err['ctx']['max_length']}"
    if kind == "string_type":
        return f"must be text, got {err.get('input')!r}"
    if kind == "finite_number":
        return "must be a finite number"
    if kind == "string_pattern_mismatch":
        if "A-Z" in str(err.get("ctx", {}).get("pattern", "")):  # a component id: case kept, - allowed
            return f"{err.get('input')!r} is not a valid id; use letters, digits, _ or -"
        return f"{err.get('input')!r} is not a valid id; use lowercase letters, digits and _"
    msg = err["msg"]
    return msg.removeprefix("Value error, ")


class _ShownInput:
    """An input whose repr is cut to one line (see :func:`_shown`)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return _shown(self.value)


def validation_error(exc: ValidationError, *, prefix: str = "",
                     location: Callable[[tuple[Any, ...]], str] = field_path,
                     message: Callable[[str, Any], str | None] | None = None) -> PlanError:
    """Turn pydantic's error into one PlanError listing each field path and what to do.

    ``location`` maps an error location to a path; ``message`` may give a
    schema-specific message for a (path, error), or None for the generic one.
    """
    problems: list[tuple[str, str]] = []
    for err in exc.errors():
        path = ".".join(x for x in (prefix, location(tuple(err["loc"]))) if x)
        ctx_err = err.get("ctx", {}).get("error")
        if isinstance(ctx_err, PlanError):
            problems.extend((".".join(x for x in (path, p) if x), m) for p, m in ctx_err.problems)
            continue
        special = message(path, err) if message else None
        problems.append((path, special if special is not None else friendly_message(err)))
    text = "; ".join(f"{p}: {m}" if p else m for p, m in problems)
    return PlanError(text, problems=problems)
