"""What kind of number a metric is, read from its free-text ``unit``: a share, a ratio or a plain number.

A person types and reads a share in percent ("90% of new clients adopted"),
a count or money as it is ("6 EBRs"). The plan stores every value in the
metric's own units (a share target of 90% is 0.9), so the app converts at the
widget and the descriptions format with :func:`format_value`.

The rule (docs/plans.md, "Units"): a unit whose first word is ``share``,
``percent``, ``percentage``, ``proportion``, ``fraction`` or ``rate``, or that
holds a ``%`` sign, is a **share** (shown in percent, at most 100%); a unit
whose first word is ``ratio`` is a **ratio** (shown in percent, may exceed 100%:
NRR of 105%); anything else (EBRs, clients, dollars, an empty unit) is a
**number**.
"""

from __future__ import annotations

import re
from typing import Literal

from compcore.report.format import pct

__all__ = ["UnitKind", "format_value", "from_typed", "implausible_target", "in_percent", "to_typed", "unit_kind"]

UnitKind = Literal["share", "ratio", "number"]

_SHARE_WORDS = {"share", "percent", "percentage", "proportion", "fraction", "rate", "pct"}
_RATIO_WORDS = {"ratio"}


def unit_kind(unit: str | None) -> UnitKind:
    """The kind of number a metric with this unit is.

    >>> unit_kind("share of new clients"), unit_kind("% of seats"), unit_kind("ratio to plan")
    ('share', 'share', 'ratio')
    >>> unit_kind("EBRs per person per quarter"), unit_kind("")
    ('number', 'number')
    """
    text = (unit or "").strip().lower()
    if "%" in text:
        return "share"
    words = re.findall(r"[a-z]+", text)
    first = words[0] if words else ""
    if first in _SHARE_WORDS:
        return "share"
    if first in _RATIO_WORDS:
        return "ratio"
    return "number"


def in_percent(unit: str | None) -> bool:
    """True when values of this unit are typed and shown in percent (shares and ratios)."""
    return unit_kind(unit) != "number"


def to_typed(value: float | None, unit: str | None) -> float | None:
    """A stored value as a person types it: 0.9 of a share -> 90; a count stays as it is.

    >>> to_typed(0.9, "share of clients"), to_typed(6.0, "EBRs")
    (90.0, 6.0)
    """
    if value is None:
        return None
    return round(float(value) * 100, 6) if in_percent(unit) else float(value)


def from_typed(value: float | None, unit: str | None) -> float | None:
    """What a person typed, stored in the metric's units: 90 (%) of a share -> 0.9.

    >>> from_typed(85, "share of new clients"), from_typed(6, "EBRs")
    (0.85, 6.0)
    """
    if value is None:
        return None
    return round(float(value) / 100, 10) if in_percent(unit) else float(value)


def format_value(value: float, unit: str | None) -> str:
    """A metric value in words: a share as percent with its unit, a number as it is.

    >>> format_value(0.9, "share of new clients"), format_value(6, "EBRs per quarter"), format_value(1.05, "")
    ('90% share of new clients', '6 EBRs per quarter', '1.05')
    """
    shown = pct(value) if in_percent(unit) else f"{value:,.4g}"
    return f"{shown} {unit or ''}".strip()


def implausible_target(target: float | None, unit: str | None) -> str | None:
    """A warning when a target cannot be meant for its unit (a share above 100%), else None.

    >>> implausible_target(85, "share of new clients")
    'a share cannot be above 100%, and this target is 8500%; type 85 for 85%'
    >>> implausible_target(0.85, "share of new clients") is None
    True
    """
    if target is None or unit_kind(unit) != "share" or target <= 1.0 + 1e-9:
        return None
    hint = f"; type {target:g} for {target:g}%" if target <= 100 else ""
    return f"a share cannot be above 100%, and this target is {pct(target)}{hint}"
