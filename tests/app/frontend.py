"""AppTest driven like a browser: every widget's last state is sent again on every rerun.

AppTest re-serialises each widget from the server's session state before a run,
so a value the server no longer accepts (a label of another plan's options, a
stale number) is never sent back. A browser does the opposite: it keeps the
last state of every widget it shows and sends all of them with each rerun,
until the server pushes a new value for that widget (``set_value``). When a
click lands before the previous run finished, the states of widgets of that
earlier screen (another page, another plan) go along too.

:class:`Frontend` keeps that memory and sends it:

- ``front``: the state the browser holds for each widget on screen; after a run
  it keeps its own value unless the server pushed one (``proto.set_value``);
  a widget it mounts without a value from the server starts at its own default
  (a select box's first option, a slider's minimum), as in a browser;
- ``screens``: what the browser held on the last few screens; a *stale* action
  (a click before the runs of those screens finished) re-sends all of it, on
  screen or not, as a browser whose runs were cut short does.

Every user action is an :class:`Action` (JSON-able, printed on failure), so a
failing walk can be replayed with :func:`replay` without hypothesis.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("plan_designer", "payout_curves", "cost_simulation", "scenarios", "plan_document", "targets_from_data")
VERBOSE = bool(os.environ.get("COMPCORE_WALK_VERBOSE"))  # print each action and its time
ERROR_TEXT = "This app has encountered an error"
#: how many screens back a fast click's stale widget states reach (the runs a quick person cuts short)
STALE_SCREENS = 3
#: widgets whose state the browser never re-sends: a click is a one-off trigger; files AppTest registers itself
ONE_OFF = ("button", "download_button", "file_uploader")
MIME = {".json": "application/json", ".csv": "text/csv",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class Action:
    """One thing a person does: ``kind`` is page | set | click | edit | upload.

    ``key`` is the widget key (a page name for ``page``); ``value`` is what the
    browser sends: an option's label, a number, text, a bool, a data editor's
    delta, or file paths (relative to the repo) for an upload. ``stale``: the
    click came before the last run finished (every earlier widget state goes along).
    """

    kind: str
    key: str
    value: Any = None
    stale: bool = False

    def __str__(self) -> str:
        return json.dumps(asdict(self), default=str)


@dataclass
class Frontend:
    """An app under AppTest plus the browser's widget memory; :meth:`do` performs an :class:`Action`."""

    at: AppTest
    page: str = "plan_designer"
    front: dict[str, WidgetState] = field(default_factory=dict)
    screens: list[dict[str, WidgetState]] = field(default_factory=list)
    walk: list[Action] = field(default_factory=list)
    timeout: float = 120

    @classmethod
    def open(cls, timeout: float = 120) -> Frontend:
        """``app.py`` opened fresh (the default page), run once."""
        self = cls(AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout), timeout=timeout)
        with patch_config_options({"client.showErrorDetails": "full"}):
            self.at.run(timeout=timeout)
        self._remember(pushed_only=False)
        self.check("open the app")
        return self

    # ------------------------------------------------------------ reading the screen

    def widgets(self) -> dict[str, Any]:
        """Every widget (and data editor) on screen with a key, by key, enabled or not."""
        out = {}
        for node in self.at._tree:
            key = getattr(node, "key", None)
            if key and getattr(node, "id", None) and (hasattr(node, "_widget_state") or node.type == "dataframe"):
                if node.type == "dataframe" and getattr(node, "editing_mode", "read_only") == "read_only":
                    continue
                out[key] = node
        return out

    def errors_on_screen(self) -> list[str]:
        """Exception boxes and the 'This app has encountered an error' text, if any."""
        found = [f"{e.value}\n" + "\n".join(getattr(e, "stack_trace", []) or []) for e in self.at.exception]
        for kind in ("markdown", "error", "text", "caption"):
            found += [el.value for el in getattr(self.at, kind) if ERROR_TEXT in str(el.value)]
        return found

    def check(self, what: str) -> None:
        errors = self.errors_on_screen()
        if errors:
            raise AssertionError(f"{what} broke the page:\n" + "\n".join(errors) + "\n\n" + self.report())

    def report(self) -> str:
        """The walk so far, one JSON action a line (replay it with ``tests.app.frontend.replay``)."""
        scenario = os.environ.get("COMPCORE_DEFAULT_SCENARIO", "")
        return (f"walk of {len(self.walk)} actions on page {self.page!r} (COMPCORE_DEFAULT_SCENARIO={scenario}):\n"
                + "\n".join(str(a) for a in self.walk))

    # ------------------------------------------------------------ acting

    def do(self, action: Action) -> None:
        """Perform ``action`` as a browser would, run the app, and fail with the walk if the page broke."""
        self.walk.append(action)
        start = time.perf_counter()
        try:
            self._do(action)
        except AssertionError:
            raise
        except Exception as e:  # an AppTest run that raised (a timeout, a crash before any element)
            raise AssertionError(f"{action} raised {type(e).__name__}: {e}\n\n{self.report()}") from e
        self.check(str(action))
        if VERBOSE:
            print(f"{time.perf_counter() - start:6.2f}s {self.page:18} {action}")

    def _do(self, action: Action) -> None:
        changes: dict[str, WidgetState] = {}
        if action.kind == "page":
            self.at.switch_page(f"pages/{action.key}.py")
            self.page = action.key
        else:
            node = self.widgets()[action.key]
            changes[node.id] = self._state(node, action)
        sent = {}
        if action.stale:
            for screen in self.screens:  # oldest first: the newest state of a widget wins
                sent.update(screen)
        sent.update(self.front)
        for node in self.widgets().values():  # clicks and files as AppTest keeps them
            if node.type in ONE_OFF:
                ws = node._widget_state
                sent[node.id] = ws
        sent.update(changes)
        for wid, ws in changes.items():
            if ws.WhichOneof("value") not in ("trigger_value", "file_uploader_state_value"):
                self.front[wid] = ws  # the browser holds it (an editor's edits too, until its key changes)
        states = WidgetStates()
        states.widgets.extend(sent.values())
        with patch_config_options({"client.showErrorDetails": "full"}):  # the traceback in the exception box
            self.at._run(states, timeout=self.timeout)  # AppTest's own run, with the browser's states
        self._remember(pushed_only=True)

    def _state(self, node: Any, action: Action) -> WidgetState:
        ws = WidgetState(id=node.id)
        v = action.value
        if action.kind == "click":
            ws.trigger_value = True
        elif action.kind == "edit":
            ws.string_value = json.dumps(v)  # what a data editor sends: its edits as JSON text
        elif action.kind == "upload":
            files = [_file(p) for p in v]
            node.set_value(files if node.accept_multiple_files else files[0])
            ws = node._widget_state
        elif node.type in ("selectbox", "radio"):
            ws.string_value = v
        elif node.type == "multiselect":
            ws.string_array_value.data[:] = list(v)
        elif node.type in ("checkbox", "toggle"):
            ws.bool_value = bool(v)
        elif node.type == "text_input" or node.type == "text_area":
            ws.string_value = v
        elif node.type == "number_input":
            if v is not None:
                if node.proto.data_type == node.proto.INT:
                    ws.int_value = int(v)
                else:
                    ws.double_value = float(v)
        elif node.type == "slider":
            ws.double_array_value.data[:] = list(v) if isinstance(v, list | tuple) else [v]
        else:
            raise ValueError(f"no way to set a {node.type} ({node.key})")
        return ws

    def _remember(self, *, pushed_only: bool) -> None:
        """After a run: what the browser now holds for each widget on screen."""
        front = {}
        for node in self.widgets().values():
            if node.type in ONE_OFF or node.type == "dataframe":
                if node.type == "dataframe" and node.id in self.front:
                    front[node.id] = self.front[node.id]  # an editor's pending edits stay while it shows
                continue
            pushed = bool(getattr(node.proto, "set_value", False))
            if pushed_only and not pushed and node.id in self.front:
                front[node.id] = self.front[node.id]
                continue
            mounted = None if pushed or node.id in self.front else mounted_state(node)
            try:
                front[node.id] = mounted or node._widget_state
            except Exception:  # noqa: BLE001 - a value AppTest cannot serialise: the browser shows no choice
                continue
        self.front = front
        self.screens = [*self.screens, front][-STALE_SCREENS:]


def _file(spec: str) -> tuple[str, bytes, str]:
    """(name, bytes, type) of a file to upload: a path in the repo, or ``inline:<name>:<text>``."""
    if spec.startswith("inline:"):
        _, name, text = spec.split(":", 2)
        data = text.encode()
    else:
        name, data = Path(spec).name, (ROOT / spec).read_bytes()
    return name, data, MIME.get(Path(name).suffix, "application/octet-stream")


def _has(proto: Any, name: str) -> bool:
    try:
        return proto.HasField(name)
    except ValueError:  # not an optional field: always there
        return True


def mounted_state(node: Any) -> WidgetState | None:
    """What a browser sends for a widget it mounts with no value from the server (no ``set_value``): the
    widget's own default (a select box's first option, a slider's minimum), whatever the server holds.

    None for a kind not modelled here (its server value is used).
    """
    p, ws, t = node.proto, WidgetState(id=node.id), node.type
    if t in ("selectbox", "radio"):
        if _has(p, "default") and 0 <= p.default < len(node.options):
            ws.string_value = node.options[p.default]
    elif t == "multiselect":
        ws.string_array_value.data[:] = [node.options[i] for i in p.default if 0 <= i < len(node.options)]
    elif t == "number_input":
        if _has(p, "default"):
            if p.data_type == p.INT:
                ws.int_value = int(p.default)
            else:
                ws.double_value = p.default
    elif t == "slider":
        ws.double_array_value.data[:] = list(p.default)
    elif t == "text_input":
        if _has(p, "default"):
            ws.string_value = p.default
    elif t in ("checkbox", "toggle"):
        ws.bool_value = p.default
    else:
        return None
    return ws


def replay(actions: list[dict[str, Any]] | str, scenario: str = "cs_org_teams") -> Frontend:
    """Replay a printed walk (the JSON lines of :meth:`Frontend.report`, or their dicts) from a fresh app."""
    if isinstance(actions, str):
        actions = [json.loads(line) for line in actions.splitlines() if line.startswith("{")]
    os.environ["COMPCORE_DEFAULT_SCENARIO"] = scenario
    fe = Frontend.open()
    for a in actions:
        fe.do(Action(**a))
    return fe
