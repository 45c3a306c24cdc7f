"""Reading a file a person named, with a byte bound: the one way compcore reads a path.

A size reported by ``stat`` is not trusted: a device (``/dev/zero``,
``/dev/urandom``) reports 0 and never ends, a FIFO blocks until a writer comes,
a ``/proc`` file reports 0 and has content. So :func:`read_bounded`

- refuses anything that is not a regular file (device, FIFO, socket, folder)
  before opening it, and checks again on the opened descriptor (the path may
  have been swapped in between); the open itself never waits (``O_NONBLOCK``);
- reads at most ``limit + 1`` bytes, whatever the size says, and refuses a
  file longer than ``limit``.

Every failure is a :class:`~compcore.errors.PlanError` naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from compcore.errors import PlanError

__all__ = ["MAX_NESTING", "check_plain", "read_bounded"]

_CHUNK = 1 << 16


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bounded(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file at ``path``: at most ``limit`` of them, else a PlanError.

    >>> read_bounded("/dev/zero", 1000, "plan")
    Traceback (most recent call last):
    ...
    compcore.errors.PlanError: cannot read plan file '/dev/zero': it is a device, not a regular file
    """
    shown = str(path) if len(str(path)) <= 200 else str(path)[:197] + "..."
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind is not None:
            raise PlanError(f"cannot read {what} file {shown!r}: it is {kind}, not a regular file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            kind = _kind(os.fstat(fd).st_mode)  # the path may have changed since the stat above
            if kind is not None:
                raise PlanError(f"cannot read {what} file {shown!r}: it is {kind}, not a regular file")
            chunks: list[bytes] = []
            got = 0
            while got <= limit:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
        finally:
            os.close(fd)
    except PlanError:
        raise
    except (OSError, ValueError) as e:  # ValueError: a path with a NUL byte
        raise PlanError(f"cannot read {what} file {shown!r}: {getattr(e, 'strerror', None) or e}") from None
    if got > limit:
        raise PlanError(f"{what} file {shown!r} is larger than {limit:,} bytes; refused")
    return b"".join(chunks)


#: deepest nesting of lists and objects accepted in a plan or scenario (a real one is about 7 deep)
MAX_NESTING = 32


def _where(path: list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


def _bad_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (from "\\ud800" in JSON, or from Python)
        return True
    return False


def check_plain(data: object, what: str = "input") -> None:
    """Refuse data no file could hold: text that is not valid Unicode, or nesting deeper than :data:`MAX_NESTING`.

    Runs before validation, so neither reaches pydantic (which raises
    ``UnicodeEncodeError`` for a lone surrogate in a key) nor ``repr`` (which
    raises ``RecursionError`` for a deep nest inside a name). Walks without
    recursion; the message names the field path.

    >>> check_plain({"metrics": [{"id": "nrr\\ud800"}]}, "plan")
    Traceback (most recent call last):
    ...
    compcore.errors.PlanError: metrics[0].id: not valid Unicode text (a lone surrogate '\\ud800'); retype it
    """
    if _has_problem(data):  # the fast walk finds one; the slow one names where
        _raise_first(data, what)


def _has_problem(data: object) -> bool:
    """True when some text is not valid Unicode or some nesting is too deep (no paths kept: fast)."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and _bad_text(value):
                return True
        elif isinstance(value, dict):
            if depth >= MAX_NESTING:
                return True
            for key, item in value.items():
                if isinstance(key, str) and not key.isascii() and _bad_text(key):
                    return True
                if isinstance(item, dict | list | tuple) or (isinstance(item, str) and not item.isascii()):
                    stack.append((item, depth + 1))
        elif isinstance(value, list | tuple):
            if depth >= MAX_NESTING:
                return True
            stack.extend((item, depth + 1) for item in value
                         if isinstance(item, dict | list | tuple) or (isinstance(item, str) and not item.isascii()))
    return False


def _raise_first(data: object, what: str) -> None:
    """Raise the PlanError of the first problem, naming its field path."""
    stack: list[tuple[object, list[str | int]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if _bad_text(value):
                bad = next(c for c in value if _bad_text(c))
                msg = f"not valid Unicode text (a lone surrogate {bad!r}); retype it"
                raise PlanError(f"{_where(path)}: {msg}", problems=[(_where(path), msg)])
            continue
        if not isinstance(value, dict | list | tuple):
            continue
        if len(path) >= MAX_NESTING:
            msg = f"is nested more than {MAX_NESTING} levels deep; a {what} is never that deep"
            raise PlanError(f"{_where(path)}: {msg}", problems=[(_where(path), msg)])
        if isinstance(value, dict):
            for key, item in value.items():
                name = key if isinstance(key, str) else repr(key)[:40]
                if isinstance(key, str) and _bad_text(key):
                    name = ascii(key)[1:-1]
                    msg = "this field name is not valid Unicode text (a lone surrogate); retype it"
                    raise PlanError(f"{_where([*path, name])}: {msg}", problems=[(_where([*path, name]), msg)])
                stack.append((item, [*path, name]))
        else:
            stack.extend((item, [*path, i]) for i, item in enumerate(value))
