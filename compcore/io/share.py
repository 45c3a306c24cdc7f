"""Share links: a scenario as ``v1.<base64url(zlib(json))>`` and back, bounded and validated.

A link is untrusted input. Decoding therefore

- refuses a token longer than :data:`MAX_TOKEN_CHARS` before doing any work,
- decompresses with a hard output limit (:data:`MAX_JSON_BYTES`), so a zip bomb
  cannot blow memory,
- parses JSON only (never pickle or eval), rejects NaN/Infinity, and
- validates the result with the scenario schema (``compcore.simulation.scenario``), and
  refuses ``plan_file``: a link must carry its plan inline, never make the
  server read a path.

Every failure raises :class:`~compcore.errors.PlanError` with a message a
person can act on; no other exception escapes.

Privacy: roster rows are *groups* (team, role, headcount, base salary, optional
target incentive), not people. Before a scenario goes into a link every
person-identifying field is removed from roster rows (any key naming a name,
e-mail, employee or person id). The group's base salary stays, because the
cost simulation needs it and a link must reproduce the same numbers; for a
link that carries no data at all, save the scenario and share ``?scenario=<id>``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from typing import Any

from compcore.errors import PlanError
from compcore.io.reading import check_plain
from compcore.simulation.scenario import dump_scenario, load_scenario

__all__ = [
    "MAX_JSON_BYTES",
    "MAX_TOKEN_CHARS",
    "SCENARIO_SCHEMA",
    "TOKEN_PREFIX",
    "decode_scenario",
    "encode_scenario",
    "inline_plan",
    "link_number",
    "strip_identities",
]

TOKEN_PREFIX = "v1."
SCENARIO_SCHEMA = "compcore.scenario/v1"
#: longest token accepted (characters), checked before base64 decoding
MAX_TOKEN_CHARS = 8 * 1024
#: largest JSON accepted after decompression (bytes)
MAX_JSON_BYTES = 256 * 1024

#: roster keys that identify a person and never go into a link
_IDENTIFYING = re.compile(r"name|e_?mail|employee|person|people|staff_id|^id$|_id$|login|user", re.IGNORECASE)

_BAD_LINK = "This share link is damaged or incomplete; ask for a fresh link"


def strip_identities(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a scenario dict without person-identifying roster fields.

    Keeps ``team``, ``role``, ``headcount``, ``base_salary``, ``target_incentive``
    and any other non-identifying field; drops e.g. ``name``, ``employee_id``,
    ``email``.

    Examples
    --------
    >>> strip_identities({"roster": [{"team": "CS", "name": "Ada", "headcount": 1}]})["roster"]
    [{'team': 'CS', 'headcount': 1}]
    """
    if not isinstance(data, dict):
        return data
    out = dict(data)
    roster = data.get("roster")
    if isinstance(roster, list):
        out["roster"] = [
            {k: v for k, v in row.items() if not _IDENTIFYING.search(str(k))} if isinstance(row, dict) else row
            for row in roster
        ]
    return out


def inline_plan(data: dict[str, Any]) -> dict[str, Any]:
    """A scenario dict whose plan is inline, not a ``plan_file`` (links and the store never refer to a file)."""
    if "plan" in data:
        return {k: v for k, v in data.items() if k != "plan_file"}
    if "plan_file" not in data:
        return data
    return dump_scenario(load_scenario(data))


def _validate(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise PlanError(f"{_BAD_LINK} (it holds {type(data).__name__}, not a scenario)")
    try:
        check_plain(data, "scenario")  # every id and name: valid Unicode, no absurd nesting (as for a file)
    except PlanError as e:
        raise PlanError(f"This share link holds an invalid scenario: {e}", problems=e.problems) from None
    schema = data.get("schema", SCENARIO_SCHEMA)
    if schema != SCENARIO_SCHEMA:
        shown = repr(schema) if isinstance(schema, str) and len(schema) <= 60 else "something else"
        raise PlanError(f"This share link holds {shown}, not a scenario ({SCENARIO_SCHEMA!r})")
    if "plan_file" in data:
        raise PlanError("plan_file: a share link must carry its plan inline, not a file path")
    try:
        load_scenario(data)
    except PlanError as e:
        raise PlanError(f"This share link holds an invalid scenario: {e}", problems=e.problems) from None
    return data


def encode_scenario(data: dict[str, Any]) -> str:
    """Encode a scenario dict as a share token ``v1.<base64url(zlib(json))>``.

    Roster rows lose person-identifying fields (:func:`strip_identities`); a
    ``plan_file`` is replaced by the plan itself.

    Raises
    ------
    PlanError
        if the scenario is invalid or its token would exceed :data:`MAX_TOKEN_CHARS`.

    Examples
    --------
    >>> token = encode_scenario(scn)  # doctest: +SKIP
    >>> token.startswith("v1.")  # doctest: +SKIP
    True
    """
    data = _validate(strip_identities(inline_plan(dict(data))))
    # keys in the leader's order: plans come back in the order they were made (the numbers would not move anyway)
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    raw = text.encode("utf-8")
    if len(raw) > MAX_JSON_BYTES:
        raise PlanError(f"This scenario is too large for a link ({len(raw):,} bytes); save it and share its id")
    token = TOKEN_PREFIX + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")
    if len(token) > MAX_TOKEN_CHARS:
        raise PlanError(f"This scenario is too large for a link ({len(token):,} characters); "
                        "save it and share its id instead")
    return token


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def decode_scenario(token: str) -> dict[str, Any]:
    """Decode a share token into a validated scenario dict.

    Raises
    ------
    PlanError
        for a token that is not a string, has the wrong version prefix, is
        oversized (before or after decompression), is not base64url, zlib or
        JSON, or holds an invalid scenario.

    Examples
    --------
    >>> decode_scenario(encode_scenario(scn)) == strip_identities(scn)  # doctest: +SKIP
    True
    """
    if not isinstance(token, str):
        raise PlanError(f"{_BAD_LINK} (not text)")
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS:
        raise PlanError(f"This share link is too long ({len(token):,} characters; at most {MAX_TOKEN_CHARS:,})")
    if not token.startswith(TOKEN_PREFIX):
        version = token.split(".", 1)[0] if "." in token else ""
        hint = f" (version {version!r}; this app reads {TOKEN_PREFIX[:-1]!r})" if version else ""
        raise PlanError(f"This share link is not a compcore scenario link{hint}")
    body = token[len(TOKEN_PREFIX):]
    if not body or not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", body):
        raise PlanError(f"{_BAD_LINK} (unexpected characters)")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise PlanError(f"{_BAD_LINK} (bad encoding)") from None
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, MAX_JSON_BYTES + 1)
    except zlib.error:
        raise PlanError(f"{_BAD_LINK} (bad compression)") from None
    if len(raw) > MAX_JSON_BYTES or inflater.unconsumed_tail:
        raise PlanError(f"This share link expands to more than {MAX_JSON_BYTES // 1024} KiB; refused")
    if not inflater.eof:
        raise PlanError(f"{_BAD_LINK} (truncated)")
    if inflater.unused_data:  # bytes after the end of the compressed data: not a link this app wrote
        raise PlanError(f"{_BAD_LINK} (unexpected data after its end)")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PlanError(f"{_BAD_LINK} (not valid JSON)") from None
    return _validate(strip_identities(data))


#: longest text read as a number from a link parameter (``seed`` up to 2**32 - 1 has 10 digits)
_MAX_NUMBER_CHARS = 12


def link_number(raw: Any, name: str, low: int, high: int) -> tuple[int | None, str | None]:
    """A link parameter (``seed``, ``trials``) as a whole number in ``[low, high]``: ``(value, None)``.

    Anything else is ``(None, note)``, the note saying what was ignored: digits
    only in ASCII (``str.isdigit`` also accepts ``"①"`` and ``"²"``, which
    ``int`` refuses), at most a dozen of them (a 1,000-digit seed is not
    parsed), within the range.

    >>> link_number("42", "seed", 0, 2**32 - 1)
    (42, None)
    >>> link_number("①", "seed", 0, 10)[1]
    'the seed in the link was ignored (give a whole number from 0 to 10)'
    """
    value = None
    if isinstance(raw, str) and 0 < len(raw) <= _MAX_NUMBER_CHARS and raw.isascii() and raw.isdigit():
        value = int(raw)
    if value is not None and low <= value <= high:
        return value, None
    return None, f"the {name} in the link was ignored (give a whole number from {low:,} to {high:,})"
