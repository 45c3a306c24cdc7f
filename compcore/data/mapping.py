"""Column mappings: which column of a person's export is which field compcore reads.

A :class:`DataMapping` holds, for each kind of record (``clients``, ``usage_weekly``,
``activities``, ``people``; the fields of :data:`compcore.data.records.SCHEMAS`), a
:class:`TableMapping`: the file and sheet it comes from, the header of the column
for each field, the date format of each date field and, for activities, which
activity type of the export counts as which kind. It is plain JSON
(:func:`dump_mapping` / :func:`load_mapping`), so the CLI, the app and the store
share one format (schema ``compcore.mapping/v1``).

:func:`guess_mapping` makes the first guess from headers alone: it compares
normalised headers (case, spaces, punctuation, camelCase, Salesforce ``__c``
suffixes) with each field's name and the synonyms CRM and CS platforms use
(Salesforce, Gainsight, ChurnZero, Totango, Vitally; see :mod:`compcore.data.synonyms`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from compcore.data.dates import DateFormat
from compcore.data.records import ACTIVITY_KINDS, SCHEMAS
from compcore.data.synonyms import FIELD_LABELS, KIND_SYNONYMS, SYNONYMS, TABLE_HINTS
from compcore.errors import PlanError, validation_error
from compcore.io.reading import read_bounded

__all__ = [
    "MAPPING_SCHEMA",
    "TABLES",
    "DataMapping",
    "TableMapping",
    "dump_mapping",
    "field_label",
    "guess_columns",
    "guess_kinds",
    "guess_table",
    "table_scores",
    "load_mapping",
    "normalise",
    "required_fields",
]

MAPPING_SCHEMA = "compcore.mapping/v1"
TableName = Literal["clients", "usage_weekly", "activities", "people"]
TABLES: tuple[str, ...] = tuple(SCHEMAS)
#: score a header needs to be guessed for a field (an exact synonym scores 1.0)
GUESS_THRESHOLD = 0.6


class TableMapping(BaseModel):
    """Where one kind of record comes from and which column is which field.

    Attributes
    ----------
    file : name of the file it was made on (matched first; a file with the same
        headers is used when no file has this name)
    sheet : the sheet of a workbook; None for a CSV
    columns : field -> header of the column holding it (fields left out: not in the export)
    date_formats : date field -> ``iso``, ``us``, ``european`` or ``excel_serial``
    kinds : activities only: activity type as written in the export -> ``touchpoint``,
        ``ebr``, ``cross_sell_lead``, or None (rows of that type are not counted)
    headers : every header of the source it was made on (to offer it again for the same headers)
    """

    model_config = ConfigDict(extra="forbid")

    file: str = ""
    sheet: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    date_formats: dict[str, DateFormat] = Field(default_factory=dict)
    kinds: dict[str, str | None] = Field(default_factory=dict)
    headers: list[str] = Field(default_factory=list)

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, v: dict[str, str | None]) -> dict[str, str | None]:
        for value, kind in v.items():
            if kind is not None and kind not in ACTIVITY_KINDS:
                raise ValueError(f"{value!r}: kind must be one of {', '.join(ACTIVITY_KINDS)} or null, not {kind!r}")
        return v


class DataMapping(BaseModel):
    """How to read a CS team's exports: one :class:`TableMapping` per kind of record (``clients`` required).

    Examples
    --------
    >>> m = load_mapping({"tables": {"clients": {"file": "accounts.csv",
    ...     "columns": {"client_id": "Account ID", "actual_go_live": "Go Live Date"},
    ...     "date_formats": {"actual_go_live": "us"}}}})
    >>> m.tables["clients"].columns["client_id"], load_mapping(dump_mapping(m)) == m
    ('Account ID', True)
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["compcore.mapping/v1"] = Field(MAPPING_SCHEMA, alias="schema")
    name: str = Field("", max_length=200)
    tables: dict[TableName, TableMapping]

    @model_validator(mode="after")
    def _fields_known(self) -> DataMapping:
        if "clients" not in self.tables:
            raise ValueError("tables.clients: required (the client records every metric starts from)")
        for table, tm in self.tables.items():
            for key in (*tm.columns, *tm.date_formats):
                if key not in SCHEMAS[table]:
                    raise ValueError(f"tables.{table}: {key!r} is not a field; fields: {', '.join(SCHEMAS[table])}")
            for key in tm.date_formats:
                if SCHEMAS[table][key][0] != "date":
                    raise ValueError(f"tables.{table}.date_formats.{key}: not a date field")
        return self


def load_mapping(source: Mapping[str, Any] | str | Path | DataMapping) -> DataMapping:
    """A mapping from a dict, JSON text or a path to a ``.json`` file; PlanError naming the field otherwise."""
    if isinstance(source, DataMapping):
        return source
    data: Any = source
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("{")):
        path = Path(source)
        try:
            data = read_bounded(path, 1_000_000, "mapping").decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise PlanError(f"{path.name}: cannot read the mapping file ({e})") from None
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except (json.JSONDecodeError, RecursionError) as e:
            raise PlanError(f"mapping: not JSON ({e})") from None
    if not isinstance(data, Mapping):
        raise PlanError("mapping: expected a JSON object with \"tables\"")
    try:
        return DataMapping.model_validate(dict(data))
    except ValidationError as e:
        raise validation_error(e, prefix="mapping") from None


def dump_mapping(mapping: DataMapping) -> dict[str, Any]:
    """The mapping as a JSON-ready dict (``load_mapping`` of it gives the same mapping)."""
    return mapping.model_dump(by_alias=True, mode="json")


def field_label(field: str) -> str:
    """The field in words, e.g. ``actual go-live`` for ``actual_go_live``."""
    return FIELD_LABELS.get(field, field.replace("_", " "))


def required_fields(table: str) -> list[str]:
    """Fields a table cannot do without; the rest may be left unmapped (read as blank: a metric that needs
    one then says so, e.g. on-time go-live without planned go-live dates)."""
    return [f for f, (_k, req) in SCHEMAS[table].items() if req]


#: words a header may add to a one-word synonym and still mean it (units, filler)
_NOISE = frozenset({"usd", "eur", "gbp", "chf", "cad", "aud", "in", "of", "the", "total", "amount", "value",
                    "count", "number", "no", "num", "date", "current", "c"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@functools.lru_cache(maxsize=4096)
def normalise(header: str) -> str:
    """A header reduced to lowercase words (how headers and synonyms are compared).

    >>> normalise("Go_Live_Date__c"), normalise("AccountID"), normalise(" Go-Live  (Actual) ")
    ('go live date', 'account id', 'go live actual')
    """
    text = re.sub(r"__c$", "", str(header).strip())
    text = _CAMEL.sub(" ", text).replace("ID", " id ")
    text = re.sub(r"[^0-9a-z]+", " ", text.lower())
    return " ".join(text.split())


def _score(header: str, names: Sequence[str]) -> float:
    """1.0 for an exact synonym, less for the same words in another order or a near match."""
    h = normalise(header)
    if not h:
        return 0.0
    words = set(h.split())
    best = 0.0
    for name in names:
        n = normalise(name)
        if h == n or h.replace(" ", "") == n.replace(" ", ""):
            return 1.0
        nw = set(n.split())
        if words == nw:
            best = max(best, 0.9)
        elif nw and nw <= words and (len(nw) > 1 or words - nw <= _NOISE):
            # the header adds words ("Licensed Seats (purchased)"); a one-word synonym only with
            # units or filler ("ARR EUR"), so that "Account" never claims "Account Status"
            best = max(best, 0.6 + 0.3 * len(nw) / len(words))
    return best


def guess_columns(table: str, headers: Sequence[str]) -> dict[str, str]:
    """Best guess of the header for each field of ``table`` (fields with no likely header are left out).

    Each header is used once; the best-scoring (field, header) pairs are taken first.
    Headers appearing twice are never guessed (which one would be meant is unknown).

    Examples
    --------
    >>> guess_columns("clients", ["Account ID", "Account Name", "CSM", "Go Live Date", "Licenses"])
    {'client_id': 'Account ID', 'name': 'Account Name', 'owner': 'CSM', 'actual_go_live': 'Go Live Date', \
'licensed_seats': 'Licenses'}
    """
    unique = [h for h in dict.fromkeys(headers) if list(headers).count(h) == 1]
    pairs = []
    for field in SCHEMAS[table]:
        names = [field, *SYNONYMS.get((table, field), ())]
        for i, h in enumerate(unique):
            s = _score(h, names)
            if s >= GUESS_THRESHOLD:
                pairs.append((-s, list(SCHEMAS[table]).index(field), i, field, h))
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for _s, _f, _i, field, h in sorted(pairs):
        if field not in chosen and h not in used:
            chosen[field] = h
            used.add(h)
    return {f: chosen[f] for f in SCHEMAS[table] if f in chosen}


def guess_kinds(values: Sequence[str]) -> dict[str, str | None]:
    """Activity type as written -> kind compcore counts (None: not counted).

    >>> guess_kinds(["Call", "Executive Business Review", "Upsell Lead", "Note"])
    {'Call': 'touchpoint', 'Executive Business Review': 'ebr', 'Upsell Lead': 'cross_sell_lead', 'Note': None}
    """
    out: dict[str, str | None] = {}
    for v in values:
        n = normalise(v)
        out[v] = next((k for k, names in KIND_SYNONYMS.items() if n in {normalise(x) for x in names}), None)
    return out


def table_scores(name: str, headers: Sequence[str]) -> dict[str, float]:
    """How much a source looks like each kind of record: share of its required fields guessed, +0.2 when
    its file or sheet name says so (``Accounts``, ``Usage``, ``Tasks``, ``Users``...)."""
    words = set(normalise(name).split())
    out = {}
    for table in TABLES:
        need = required_fields(table)
        found = guess_columns(table, headers)
        out[table] = round(sum(f in found for f in need) / len(need) + (0.2 if words & TABLE_HINTS[table] else 0), 6)
    return out


def guess_table(name: str, headers: Sequence[str]) -> tuple[str, float]:
    """Which kind of record a source most likely holds, and its score (:func:`table_scores`).

    >>> guess_table("Product Usage", ["Account ID", "Week Of", "Weekly Active Users"])
    ('usage_weekly', 1.2)
    """
    scores = table_scores(name, headers)
    best = max(scores, key=scores.__getitem__)
    return best, scores[best]
