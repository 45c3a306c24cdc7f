"""The only money and percent formatters: every page, document and command line uses these."""

from __future__ import annotations

__all__ = ["money", "pct"]


def money(x: float, currency: str = "") -> str:
    """A sum of money with thousands separators.

    >>> money(12345.6), money(12345.6, "$")
    ('12,346', '$12,346')
    """
    return f"{currency}{x:,.0f}"


def pct(x: float) -> str:
    """A fraction as a percent.

    >>> pct(0.8), pct(1.125)
    ('80%', '112.5%')
    """
    return f"{x * 100:.4g}%"
