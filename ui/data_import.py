"""The "your own export" source of the Targets from data page: upload, column mapping step, saved mappings.

Settings live under ``ui["tfd"]``: "export_files" ({file name: bytes} of the last upload),
"export_mapping" (the mapping in use, JSON ``compcore.mapping/v1``), "export_for" (hash of
the files that mapping was made or chosen for: new files get a new guess, or the saved
mapping made on the same headers) and "export_note" (a message shown once, e.g. after a
save). Reading the files and applying a mapping are cached on (files, mapping) in one
small LRU shared by the sessions (ui/lru.py), so a rerun that changes neither costs
nothing. Every text from the files is shown as plain text (escaped markdown or a
dataframe), never rendered.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Hashable
from typing import Any

import streamlit as st

from compcore.data.dates import DATE_FORMAT_LABELS, DATE_FORMATS, detect_date_format
from compcore.data.mapped import Records, guess_mapping, guess_table_mapping, kind_values, read_records, records_data
from compcore.data.mapping import TABLES, DataMapping, dump_mapping, field_label, guess_kinds, load_mapping
from compcore.data.records import ACTIVITY_KINDS, SCHEMAS, CSData
from compcore.errors import PlanError
from compcore.io.mapping_store import MappingStore
from compcore.io.tables import MAX_FILE_BYTES, MAX_ROWS, RawTable, read_files
from ui import saved
from ui.lru import Lru
from ui.session import K_EXPORT_UPLOAD, K_MAP_NAME, K_MAP_SAVED, K_UI
from ui.state import set_value_at, value_at

__all__ = ["export_data", "export_section", "export_token"]

NONE = "(not in the export)"
NO_SOURCE = "(none uploaded)"
KIND_LABELS = {"clients": "Clients", "usage_weekly": "Weekly usage", "activities": "Activities", "people": "People"}
_KIND_CHOICES = [*ACTIVITY_KINDS, ""]
_KIND_NAMES = {"touchpoint": "touchpoint", "ebr": "executive business review", "cross_sell_lead": "cross-sell lead",
               "": "not counted"}
_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def plain(text: str) -> str:
    """Text from a file made safe for a markdown-rendering element (st.error, labels): every mark escaped."""
    return _MD.sub(r"\\\1", str(text)).replace("\n", " ")


def _path(*parts: Hashable) -> tuple[Hashable, ...]:
    return (K_UI, "tfd", *parts)


def _files() -> dict[str, bytes] | None:
    return value_at(_path("export_files"))


def _hash(files: dict[str, bytes]) -> str:
    hit = _hashes().get(f"hash:{id(files)}")
    if hit is not None and hit[0] is files:  # hashed once per upload, not on every call of a rerun
        return hit[1]
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name] + b"\0")
    cache_hit = (files, h.hexdigest())  # the files are kept with their hash, so their id is not reused
    _hashes().put(f"hash:{id(files)}", cache_hit)
    return cache_hit[1]


@st.cache_resource(show_spinner=False)
def _cache() -> Lru:
    # read tables, applied mappings and their CSData (3 per upload in use: a few uploads' worth), apart from
    # the simulation and back-test caches so that an upload never evicts a priced simulation
    return Lru(9)


@st.cache_resource(show_spinner=False)
def _hashes() -> Lru:
    return Lru(4)  # the last uploads' hashes (each entry keeps its files alive: a few only)


@st.cache_resource(show_spinner=False)
def _notes() -> Lru:
    return Lru(256)  # "detected: US, reads 300 of 300": small texts


def _cached(key: str, make: Any, cache: Lru | None = None) -> Any:
    cache = cache or _cache()
    hit = cache.get(key)
    if hit is None:
        try:
            hit = ("ok", make())
        except PlanError as e:
            hit = ("error", e)  # a bad file is read once, not on every rerun
        cache.put(key, hit)
    if hit[0] == "error":
        raise hit[1]
    return hit[1]


def _tables() -> list[RawTable]:
    files = _files() or {}
    return _cached("tables:" + _hash(files), lambda: read_files(files))


def _mapping() -> DataMapping:
    """The mapping in use; for new files the saved mapping made on the same headers, else the best guess."""
    files = _files() or {}
    token = _hash(files)
    if value_at(_path("export_for")) != token or value_at(_path("export_mapping")) is None:
        tables = _tables()
        offer = _saved_matching(tables)
        mapping = offer[0].mapping if offer else guess_mapping(tables)
        set_value_at(_path("export_mapping"), dump_mapping(mapping))
        set_value_at(_path("export_for"), token)
        if offer:
            set_value_at(_path("export_note"), f"Using the saved mapping “{offer[0].name}”: these files have the "
                                               "headers it was made on.")
    return load_mapping(value_at(_path("export_mapping")))


def export_token() -> str:
    """Hash of the uploaded files and the mapping in use (what the page's caches key on)."""
    raw = json.dumps(value_at(_path("export_mapping")), sort_keys=True)
    return "export:" + _hash(_files() or {}) + ":" + hashlib.sha256(raw.encode()).hexdigest()


def _records() -> Records:
    tables, mapping = _tables(), _mapping()
    return _cached("records:" + export_token(), lambda: read_records(tables, mapping))


def export_data() -> CSData:
    """The uploaded export read through the mapping in use; PlanError listing every problem otherwise."""
    return _cached("data:" + export_token(), lambda: records_data(_records()))


# ---------------------------------------------------------------- saved mappings


@st.cache_resource(show_spinner=False)
def _mapping_store(url: str | None) -> MappingStore:
    return MappingStore(saved.store())


def _saved_matching(tables: list[RawTable]) -> list[Any]:
    try:
        return _mapping_store(saved.db_url()).matching(tables)
    except PlanError:
        return []  # no store (down, locked): the guess is used; saving says what is wrong


def _on_save() -> None:
    name = str(st.session_state.get(K_MAP_NAME) or "").strip()
    try:
        if not name:
            raise PlanError("give the mapping a name to save it under")
        _mapping_store(saved.db_url()).save(name, _mapping())
        set_value_at(_path("export_note"), f"Saved the mapping as “{' '.join(name.split())}”; it is offered "
                                           "again for files with these headers.")
    except PlanError as e:
        set_value_at(_path("export_note"), f"Not saved: {e}")


def _on_pick_saved() -> None:
    choice = st.session_state.get(K_MAP_SAVED)
    mapping = guess_mapping(_tables()) if choice == "best guess" else _mapping_store(saved.db_url()).get(choice)
    set_value_at(_path("export_mapping"), dump_mapping(mapping))


# ---------------------------------------------------------------- widget callbacks (write the mapping in use)


def _edit(change: Any) -> None:
    data = dump_mapping(_mapping())
    change(data["tables"])
    set_value_at(_path("export_mapping"), dump_mapping(load_mapping(data)))


def _on_upload() -> None:
    uploads = st.session_state.get(K_EXPORT_UPLOAD) or []
    set_value_at(_path("export_files"), {u.name: u.getvalue() for u in uploads} or None)


def _on_source(kind: str, labels: dict[str, RawTable]) -> None:
    choice = st.session_state.get(f"tfd_src_{kind}")

    def change(tables: dict[str, Any]) -> None:
        if choice == NO_SOURCE:
            tables.pop(kind, None)
        elif choice in labels:  # a choice re-sent after another upload names a file that is gone: nothing
            tables[kind] = guess_table_mapping(kind, labels[choice]).model_dump(mode="json")
    _edit(change)


def _on_column(kind: str, name: str, src: RawTable) -> None:
    header = st.session_state.get(f"tfd_col_{kind}_{name}")

    def change(tables: dict[str, Any]) -> None:
        tm = tables.get(kind)
        if tm is None or header is None:
            return  # a select box re-sent after its table left the mapping (another upload): nothing to change
        tm["columns"].pop(name, None)
        tm["date_formats"].pop(name, None)
        if header != NONE:
            tm["columns"][name] = header
            if SCHEMAS[kind][name][0] == "date" and header in src.headers:
                tm["date_formats"][name] = detect_date_format(src.column(header)).format
            if name == "kind" and header in src.headers:
                tm["kinds"] = guess_kinds(kind_values(src, header))
    _edit(change)


def _on_format(kind: str, name: str) -> None:
    fmt = st.session_state.get(f"tfd_fmt_{kind}_{name}")

    def change(tables: dict[str, Any]) -> None:
        if kind in tables and fmt in DATE_FORMATS:  # a stale select box of a table no longer mapped: nothing
            tables[kind]["date_formats"][name] = fmt
    _edit(change)


def kind_key(value: str) -> str:
    """The widget key of an activity type's kind: it names the type (a short hash of its text), not a position."""
    return "tfd_kindval_" + hashlib.sha256(value.encode()).hexdigest()[:12]


def _on_kind(value: str) -> None:
    kind = st.session_state.get(kind_key(value)) or None

    def change(tables: dict[str, Any]) -> None:
        if value in (tables.get("activities") or {}).get("kinds", {}):  # the type is still in the export
            tables["activities"]["kinds"][value] = kind
    _edit(change)


# ---------------------------------------------------------------- drawing


def _seed(key: str, value: Any) -> str:
    st.session_state[key] = value
    return key


def _date_note(src: RawTable, header: str, fmt: str) -> str:
    key = f"note:{_hash(_files() or {})}:{src.label}:{header}:{fmt}"
    return _cached(key, lambda: _describe_dates(src, header, fmt), _notes())


def _describe_dates(src: RawTable, header: str, fmt: str) -> str:
    g = detect_date_format(src.column(header), prefer=fmt if fmt in ("us", "european") else "us")
    if g.total == 0:
        return "column is empty"
    if g.native == g.total:
        return "Excel date cells: dates whatever the format"
    text = f"detected: {DATE_FORMAT_LABELS[g.format].split(' (')[0]}, reads {g.read:,} of {g.total:,}"
    if g.ambiguous:
        text += "; could also be " + ", ".join(DATE_FORMAT_LABELS[a].split(" (")[0] for a in g.ambiguous)
    return text


def _field(col: Any, kind: str, name: str, src: RawTable, rec: Records, tm: Any) -> None:
    required = SCHEMAS[kind][name][1]
    header = tm.columns.get(name)
    options = [NONE, *dict.fromkeys(src.headers)]
    if header and header not in options:
        options.append(header)  # a saved mapping's header this file lacks: shown, with its problem below
    key = _seed(f"tfd_col_{kind}_{name}", header or NONE)
    col.selectbox(plain(field_label(name) + (" (required)" if required else "")), options, key=key,
                  on_change=_on_column, args=(kind, name, src))
    if SCHEMAS[kind][name][0] == "date" and header:
        fmt = tm.date_formats.get(name) or "iso"
        fkey = _seed(f"tfd_fmt_{kind}_{name}", fmt)
        col.selectbox("Date format", DATE_FORMATS, key=fkey, format_func=DATE_FORMAT_LABELS.get,
                      on_change=_on_format, args=(kind, name))
        if header in src.headers and src.headers.count(header) == 1:
            col.caption(plain(_date_note(src, header, fmt)))
    for p in rec.problems_for(kind, name):
        col.error(plain(p.detail), icon=":material/error:")


def _kinds(tm: Any) -> None:
    values = list(tm.kinds)
    if not values:
        return
    st.markdown("**Activity types → kinds**")
    for i, value in enumerate(values):
        if i % 3 == 0:
            cols = st.columns(3)
        key = _seed(kind_key(value), tm.kinds[value] or "")
        cols[i % 3].selectbox(plain(value), _KIND_CHOICES, key=key, format_func=_KIND_NAMES.get,
                              on_change=_on_kind, args=(value,))


def _table_tab(kind: str, tables: list[RawTable], mapping: DataMapping, rec: Records) -> None:
    labels = {t.label: t for t in tables}
    tm = mapping.tables.get(kind)
    src = rec.sources.get(kind)
    options = list(labels) if kind == "clients" else [NO_SOURCE, *labels]
    current = src.label if src is not None else NO_SOURCE
    key = _seed(f"tfd_src_{kind}", current if current in options else options[0])
    st.selectbox("Read from", options, key=key, on_change=_on_source, args=(kind, labels),
                 help="The file (and sheet) holding these records.")
    if tm is None or src is None:
        st.caption("Not used: metrics that need these records say so." if kind != "clients" else "")
        return
    st.caption(plain(f"Headers on row {src.header_row}; {len(src.frame):,} data rows. Pick the column for each "
                     "field (pre-filled by a guess from the headers)."))
    fields = list(SCHEMAS[kind])
    for start in range(0, len(fields), 3):  # a row of columns per 3 fields: a phone stacks them in field order
        cols = st.columns(3)
        for col, name in zip(cols, fields[start:start + 3], strict=False):
            _field(col, kind, name, src, rec, tm)
    if kind == "activities" and tm.columns.get("kind"):
        _kinds(tm)
    for p in rec.problems_for(kind):
        if p.field is None:
            st.error(plain(str(p)), icon=":material/error:")
    st.dataframe(rec.preview(kind, 5), hide_index=True, width="stretch", key=f"tfd_preview_{kind}")
    st.caption("The first rows as compcore reads them (row = the row in the file).")


def export_section() -> None:
    """Upload, mapping step and saved mappings; stops the page until the records can be used."""
    st.file_uploader(f"Your exports: CSV or Excel (.xlsx), any column names; up to {MAX_FILE_BYTES // 1_000_000} MB "
                     f"and {MAX_ROWS:,} rows per file or sheet", type=["csv", "xlsx", "xlsm"],
                     accept_multiple_files=True, key=K_EXPORT_UPLOAD, on_change=_on_upload)
    if not _files():
        st.info("Upload the client records at least (e.g. an accounts report), and weekly usage for adoption. "
                "You then say which column is which; the choice can be saved for next time.",
                icon=":material/upload:")
        st.stop()
    try:
        tables = _tables()
        mapping = _mapping()
        rec = _records()
    except PlanError as e:
        st.error(plain(f"These files cannot be read. {e}"), icon=":material/error:")
        st.stop()
    note = value_at(_path("export_note"))
    if note:
        st.info(plain(note), icon=":material/bookmark:")
        set_value_at(_path("export_note"), None)
    with st.expander("Column mapping", expanded=bool(rec.problems), key="tfd_mapping_step"):
        _saved_picker(tables)
        tabs = st.tabs([KIND_LABELS[k] + (f" ({len(rec.problems_for(k))})" if rec.problems_for(k) else "")
                        for k in TABLES])
        for tab, kind in zip(tabs, TABLES, strict=True):
            with tab:
                _table_tab(kind, tables, mapping, rec)
        c = st.columns([3, 1], vertical_alignment="bottom")
        c[0].text_input("Save this mapping as", key=K_MAP_NAME, placeholder="e.g. Salesforce accounts export")
        c[1].button("Save mapping", key="tfd_map_save", on_click=_on_save)
    for n in rec.notes:
        st.caption(plain(n))
    if rec.problems:
        st.error(plain(f"{len(rec.problems)} problem(s) to fix in the column mapping above before the metrics can "
                       "use these records; each is shown under its field."), icon=":material/error:")
        st.stop()


def _saved_picker(tables: list[RawTable]) -> None:
    offers = [m.name for m in _saved_matching(tables)]
    if not offers:
        return
    current = value_at(_path("export_mapping"), {}).get("name") or "best guess"
    options = ["best guess", *offers]
    key = _seed(K_MAP_SAVED, current if current in options else "best guess")
    st.selectbox("Mapping", options, key=key, on_change=_on_pick_saved,
                 format_func=lambda o: "Best guess from the headers" if o == "best guess" else f"Saved: {o}",
                 help="Saved mappings made on files with these same headers.")
