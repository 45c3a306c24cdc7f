"""Nothing a user typed or a URL carried is rendered as markdown or HTML, on any page (HR view included).

A scenario full of hostile names (plan, metric, component, team, role,
scenario) arrives by a ``?s=`` link (a URL parameter), every page runs, and
the markdown source of every element that renders markdown (bodies, labels,
help, options of radios) is checked: no image, link, autolink or HTML from data.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from compcore.io.share import encode_scenario
from compcore.io.store import ScenarioStore
from tests.app.conftest import ROOT, page, run_ok
from ui.text import md

IMAGE = "![p](http://evil.example/x.png)"
LINK = "[Your session expired - sign in again](http://evil.example/login)"
HTML = "<img src=http://evil.example/y.png>"
AUTOLINK = "see www.evil.example/z or http://evil.example/q"
PAGES = ["plan_designer", "payout_curves", "cost_simulation", "scenarios", "plan_document", "targets_from_data"]
#: proto fields whose text Streamlit renders as markdown (options only of radios and pills: a selectbox's are text)
MARKDOWN_FIELDS = {"body", "label", "help", "caption", "tooltip"}
MARKDOWN_OPTIONS = ("Radio", "ButtonGroup")
PLAIN_ELEMENTS = ("Text", "Code")  # st.text and st.code show their characters as they are
_UNESCAPED = [
    re.compile(r"(?<!\\)!(?<!\\)\[[^\]]*(?<!\\)\]\("),      # image
    re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\("),               # link
    re.compile(r"(?<!\\)<\s*(img|a|script|iframe)\b", re.I),  # HTML
    # a bare address becomes a link after escapes are read (GFM autolink literals): look at the text unescaped
    re.compile(r"(?i)https?://|\bwww\.|[\w.+-]@[\w-]+\."),
]


def hostile_scenario() -> dict[str, Any]:
    data = json.loads((ROOT / "sample_data/scenarios/cs_ops_enablement.json").read_text())
    plan = data.get("plan") or json.loads((ROOT / "sample_data/scenarios" / data.pop("plan_file")).read_text())
    plan = copy.deepcopy(plan)
    plan["name"] = IMAGE
    for i, m in enumerate(plan["metrics"]):
        m["name"] = [IMAGE, LINK, HTML][i % 3]
        m["unit"] = HTML
    for i, c in enumerate(plan["components"]):
        c["name"] = [LINK, IMAGE][i % 2]
    data["plan"] = plan
    data["name"] = LINK
    for r in data["roster"]:
        r["team"], r["role"] = IMAGE, LINK
    return data


def hostile_org() -> dict[str, Any]:
    """The seed-001 org with every plan, metric, component, team, role and the scenario named with markup."""
    data = json.loads((ROOT / "sample_data/scenarios/cs_org_teams.json").read_text())
    names = [IMAGE, LINK, HTML, AUTOLINK]
    teams = {t: f"{names[i % 4]} {i}" for i, t in enumerate(dict.fromkeys(r["team"] for r in data["roster"]))}
    for i, plan in enumerate(data["plans"].values()):
        plan["name"] = f"{names[i % 4]} plan {i}"
        for j, m in enumerate(plan["metrics"]):
            m["name"] = f"{names[(i + j) % 4]} metric {m['id']}"
        for j, c in enumerate(plan["components"]):
            c["name"] = f"{names[(i + j + 1) % 4]} part {j}"
    for r in data["roster"]:
        r["team"], r["role"] = teams[r["team"]], LINK
    for a in data["assumptions"].values():
        if a.get("by_team"):
            a["by_team"] = {teams[t]: d for t, d in a["by_team"].items()}
    data["name"] = IMAGE + " org"
    return data


def _texts(msg: Message, where: str = "") -> Iterator[str]:
    """Every string of a markdown-rendering field in a proto message, recursively (as 'where: text')."""
    for field, value in msg.ListFields():
        values = value if isinstance(value, Sequence) and not isinstance(value, str | bytes) else [value]
        for v in values:
            if isinstance(v, Message):
                yield from _texts(v, f"{where}.{field.name}")
            elif isinstance(v, str) and (field.name in MARKDOWN_FIELDS
                                         or (field.name == "options" and where.startswith(MARKDOWN_OPTIONS))):
                yield f"{where}.{field.name}: {v}"


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def rendered_markdown(at: AppTest) -> list[str]:
    out = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message) and type(proto).__name__ not in PLAIN_ELEMENTS:
            out.extend(_texts(proto, type(proto).__name__))
    return out


def table_cells(at: AppTest) -> list[str]:
    """Every header and text cell of the static tables (``st.table`` renders Markdown in them)."""
    out = []
    for t in at.table:
        df = t.value
        out += [f"Table header: {c}" for c in df.columns]
        out += [f"Table cell: {v}" for col in df.columns for v in df[col] if isinstance(v, str)]
    return out


def assert_plain(at: AppTest) -> None:
    texts = rendered_markdown(at) + table_cells(at)
    assert texts, "nothing rendered"
    for text in texts:
        for pattern in _UNESCAPED:
            found = pattern.search(text) or (pattern is _UNESCAPED[-1] and pattern.search(text.replace("\\", "")))
            assert not found, f"markup from data rendered: {text[:200]!r}"


def test_the_checker_finds_unescaped_markup_and_accepts_escaped() -> None:
    for bad in (IMAGE, LINK, HTML, "see http://evil.example/z", "www.evil.example", "ana@evil.example"):
        assert any(p.search(bad) for p in _UNESCAPED)
        assert not any(p.search(md(bad)) for p in _UNESCAPED)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", url)
    return url


@pytest.mark.parametrize("name", PAGES)
def test_hostile_names_render_as_text_on_every_page(name: str, db: str) -> None:
    ScenarioStore(db).save(LINK, hostile_scenario(), author=IMAGE)
    at = AppTest.from_file(page(name), default_timeout=120)
    at.query_params["s"] = encode_scenario(hostile_scenario())
    run_ok(at, 120)
    assert at.session_state["scenario_valid"].plan.name == IMAGE  # the link was applied
    assert_plain(at)


def test_hostile_url_parameters_are_echoed_as_text(db: str) -> None:
    at = AppTest.from_file(page("plan_designer"), default_timeout=120)
    at.query_params["scenario"] = IMAGE
    at.query_params["s"] = "v1." + LINK
    run_ok(at, 120)
    assert at.error, "the bad links are reported"
    assert_plain(at)


def test_the_hr_view_of_a_hostile_scenario_renders_text(db: str) -> None:
    store = ScenarioStore(db)
    rec = store.save("HR", hostile_scenario(), author=LINK)
    token = store.share_token(rec.id, author=IMAGE)
    at = AppTest.from_file(page("plan_document"), default_timeout=120)
    at.query_params["hr"] = token
    run_ok(at, 120)
    assert at.session_state["scenario_valid"].plan.name == IMAGE
    assert_plain(at)
    bad = AppTest.from_file(page("plan_document"), default_timeout=120)
    bad.query_params["hr"] = IMAGE
    run_ok(bad, 120)
    assert bad.error
    assert_plain(bad)


def test_the_checker_reads_static_table_cells_and_headers() -> None:
    raw = AppTest.from_string(f"import streamlit as st\nst.table({{'Team': [{IMAGE!r}]}})")
    run_ok(raw)
    with pytest.raises(AssertionError, match="markup from data rendered"):
        assert_plain(raw)
    escaped = AppTest.from_string(
        "import pandas as pd\nfrom ui.tables import static_table\n"
        f"static_table(pd.DataFrame({{{LINK!r}: [{IMAGE!r}, {AUTOLINK!r}, 3]}}))")
    run_ok(escaped)
    assert_plain(escaped)


@pytest.mark.parametrize("name", PAGES)
def test_a_hostile_org_renders_as_text_on_every_page(name: str, db: str) -> None:
    at = AppTest.from_file(page(name), default_timeout=120)
    at.query_params["s"] = encode_scenario(hostile_org())
    run_ok(at, 120)
    assert at.session_state["scenario_valid"].name == IMAGE + " org"
    assert_plain(at)


def test_every_document_of_a_hostile_org_in_the_editor_renders_as_text(db: str) -> None:
    at = AppTest.from_file(page("plan_document"), default_timeout=120)
    at.query_params["s"] = encode_scenario(hostile_org())
    run_ok(at, 120)
    for choice in at.selectbox(key="doc_pick").options:
        at.selectbox(key="doc_pick").set_value(at.selectbox(key="doc_pick").options[0])  # reset the pick first
        at.selectbox(key="doc_pick").select(choice)
        run_ok(at, 120)
        assert at.table, f"no table for {choice}"
        assert_plain(at)


@pytest.mark.parametrize("doc", [None, "org", "pmo", "implementation", "customer_success", "change_enablement",
                                 IMAGE])
def test_every_hr_form_of_a_hostile_org_renders_as_text(doc: str | None, db: str) -> None:
    store = ScenarioStore(db)
    token = store.share_token(store.save(LINK, hostile_org(), author=IMAGE).id, author=HTML)
    at = AppTest.from_file(page("plan_document"), default_timeout=120)
    at.query_params["hr"] = token
    if doc is not None:
        at.query_params["doc"] = doc
    run_ok(at, 120)
    assert at.table and at.title
    org_summary = doc in (None, "org", IMAGE)  # no doc, or one that names nothing: the org summary
    assert at.title[0].value.endswith(": org summary") is org_summary
    assert_plain(at)


def test_what_changes_and_the_worked_year_of_a_hostile_org_render_as_text(db: str) -> None:
    store = ScenarioStore(db)
    before = hostile_org()
    after = copy.deepcopy(before)
    after["plans"]["pmo"]["target_incentive"] = {"percent_of_base": 0.2}
    store.save(LINK, before)
    token = store.share_token(store.save(LINK, after).id)
    for doc in (None, "pmo"):
        at = AppTest.from_file(page("plan_document"), default_timeout=120)
        at.query_params["hr"] = token
        if doc:
            at.query_params["doc"] = doc
        run_ok(at, 120)
        subheaders = [s.value for s in at.subheader]
        assert "What changes for you" in subheaders
        assert doc is None or "How you are paid over the year" in subheaders
        assert_plain(at)
