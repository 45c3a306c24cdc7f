"""The one error type that loading and validating plans and scenarios raises."""

from __future__ import annotations


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
