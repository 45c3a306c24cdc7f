"""A seeded random walk in Chromium (issue 19): click any visible widget, in any order; no page ever breaks.

Against ``streamlit run app.py`` on the app's own default (the seed-001 org),
each step picks one visible, enabled control of the page - a select box and one
of its options, a radio option, a number or text box with a plausible value, a
slider moved by arrow keys, a toggle, a button, a tab, a popover, a file
uploader, a cell of a table (typed into when it is editable), a page link in
the sidebar - acts on it, waits for the app to settle
and reads the page for an exception box or "This app has encountered an
error". About one step in ten does not wait (a person clicking on while the
app still runs). A failure prints the seed and the steps so far (replay with
``COMPCORE_BROWSER_WALK_SEEDS=<seed>``) and the server's traceback.

``COMPCORE_BROWSER_WALK_SEEDS`` (comma separated) and ``COMPCORE_BROWSER_WALK_STEPS``
(per seed) make it longer; ``COMPCORE_WALK_VERBOSE`` prints each step.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser fixture fails (CI) or skips without playwright
    PlaywrightError = Exception  # noqa: N816

from tests.e2e.conftest import ROOT, running_app, settle

pytestmark = pytest.mark.e2e
SEEDS = [int(s) for s in os.environ.get("COMPCORE_BROWSER_WALK_SEEDS", "19,23").split(",") if s.strip()]
STEPS = int(os.environ.get("COMPCORE_BROWSER_WALK_STEPS", "40"))
VERBOSE = bool(os.environ.get("COMPCORE_WALK_VERBOSE"))
ERROR_TEXT = "This app has encountered an error"
NUMBERS = ["0", "1", "5", "30", "50", "85", "90", "100", "120", "150", "1000", "125000", ""]
TEXTS = ["Go-lives", "Adoption", "", "<b>x</b> **y**", "Plan B", "FY27 base"]
#: files by what an uploader accepts (its ``accept`` attribute)
FILES = {".json": ["sample_data/scenarios/cs_org_teams.json", "sample_data/plans/accelerators.json"],
         ".csv": ["sample_data/roster.csv", "sample_data/clients.csv"],
         ".xlsx": ["sample_data/vendor_export/crm_export.xlsx"]}

#: every control a person can use, as (kind, CSS selector); each match is one candidate
CONTROLS = [
    ("link", "[data-testid='stSidebarNav'] a"),
    ("selectbox", "[data-testid='stSelectbox'] input[role='combobox']"),
    ("multiselect", "[data-testid='stMultiSelect'] input[role='combobox']"),
    ("radio", "[data-testid='stRadio'] [role='radiogroup'] label"),
    ("check", "[data-testid='stCheckbox'] label"),
    ("number", "[data-testid='stNumberInput'] input"),
    ("text", "[data-testid='stTextInput'] input:not([type='password'])"),
    ("slider", "[data-testid='stSlider'] input[type='range']"),
    ("button", "[data-testid='stMain'] [data-testid='stButton'] button, "
               "[data-testid='stSidebar'] [data-testid='stButton'] button, [data-testid='stPopover'] button, "
               "[data-testid='stPopoverBody'] [data-testid='stButton'] button"),
    ("tab", "[data-testid='stMain'] [role='tab']"),
    ("upload", "[data-testid='stFileUploader'] input[type='file']"),
    ("grid", "[data-testid='stMain'] [data-testid='stDataFrame']"),
]

# visible, enabled, with the widget key (st-key-<key>) of the nearest keyed ancestor and a short label
_LIST = """(controls) => {
  const out = [];
  const keyOf = el => {
    const k = el.closest('[class*="st-key-"]');
    const c = k ? [...k.classList].find(c => c.startsWith('st-key-')) : null;
    return c ? c.slice(7) : null;
  };
  for (const [kind, sel] of controls) {
    document.querySelectorAll(sel).forEach((el, i) => {
      const r = el.getBoundingClientRect();
      const hidden = kind !== 'upload' && (r.width === 0 || r.height === 0);
      const off = el.disabled || el.getAttribute('aria-disabled') === 'true'
        || el.closest('[disabled], [aria-disabled="true"]');
      if (hidden || off) return;
      const label = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 50);
      out.push({kind, sel, i, key: keyOf(el), label, accept: el.getAttribute('accept') || ''});
    });
  }
  return out;
}"""


def _errors(page: Any) -> list[str]:
    boxes = page.locator("[data-testid='stException']").all_inner_texts()
    body = page.inner_text("body")
    return boxes + ([ERROR_TEXT] if ERROR_TEXT in body and not boxes else [])


def _settle(page: Any) -> None:
    page.wait_for_timeout(400)  # a rerun starts a moment after the input
    settle(page, timeout=120_000)


class Walk:
    """One seeded walk: ``steps`` holds what was done, for the failure message."""

    def __init__(self, page: Any, seed: int, log: Path) -> None:
        self.page, self.seed, self.rng, self.log = page, seed, random.Random(seed), log
        self.steps: list[dict[str, Any]] = []

    def report(self) -> str:
        tail = self.log.read_text(errors="replace").splitlines()[-40:] if self.log.exists() else []
        return (f"seed {self.seed}: replay with COMPCORE_BROWSER_WALK_SEEDS={self.seed} "
                f"COMPCORE_BROWSER_WALK_STEPS={len(self.steps)}\n"
                + "\n".join(json.dumps(s) for s in self.steps)
                + "\n--- server log (last lines) ---\n" + "\n".join(tail))

    def step(self) -> None:
        page, rng = self.page, self.rng
        candidates = page.evaluate(_LIST, CONTROLS)
        if not candidates:
            raise AssertionError("nothing to click on the page\n" + self.report())
        # six page links are always there: without this a third of the steps would switch page
        others = [c for c in candidates if c["kind"] != "link"]
        pool = others if others and rng.random() > 0.15 else candidates
        c = pool[rng.randrange(len(pool))]
        fast = rng.random() < 0.1
        entry = {"n": len(self.steps) + 1, "kind": c["kind"], "key": c["key"], "label": c["label"], "fast": fast}
        self.steps.append(entry)
        el = page.locator(c["sel"]).nth(c["i"])
        try:
            entry["value"] = self.act(c, el)
        except PlaywrightError as e:  # the control moved or vanished under the pointer (a rerun): not the app's fault
            entry["skipped"] = str(e).splitlines()[0][:100]
            page.keyboard.press("Escape")
        if VERBOSE:
            print(json.dumps(entry))
        if fast:
            page.wait_for_timeout(50)
            return
        _settle(page)
        errors = _errors(page)
        if errors:
            raise AssertionError("the page broke:\n" + "\n".join(errors) + "\n\n" + self.report())

    def act(self, c: dict[str, Any], el: Any) -> Any:
        page, rng, kind = self.page, self.rng, c["kind"]
        if kind in ("link", "radio", "check", "button", "tab"):
            el.click(timeout=10_000)
            return None
        if kind in ("selectbox", "multiselect"):
            el.click(timeout=10_000)
            options = page.locator("[role='option']")
            try:
                options.first.wait_for(timeout=3_000)
            except PlaywrightError:  # not open yet: the keyboard opens it
                try:
                    el.press("ArrowDown")
                    options.first.wait_for(timeout=3_000)
                except PlaywrightError:  # an empty list: nothing to choose
                    page.keyboard.press("Escape")
                    return "(no options)"
            n = options.count()
            pick = options.nth(rng.randrange(n))
            text = pick.inner_text().strip()[:50]
            pick.click(timeout=10_000)
            if kind == "multiselect":
                page.keyboard.press("Escape")
            return text
        if kind in ("number", "text"):
            value = rng.choice(NUMBERS if kind == "number" else TEXTS)
            el.fill(value, timeout=10_000)
            el.press("Enter")
            return value
        if kind == "slider":
            el.focus()
            n = rng.randint(1, 5)
            keys = rng.choice([["Home"], ["End"], ["ArrowRight"] * n, ["ArrowLeft"] * n])
            for k in keys:
                el.press(k)
            return keys[0] + f" x{len(keys)}"
        if kind == "grid":  # a cell of a table: an editable one opens its editor on a double click
            box = el.bounding_box()
            if not box or box["height"] < 80:
                return None
            x = box["width"] * rng.uniform(0.1, 0.95)
            y = 35 + (box["height"] - 40) * rng.uniform(0.05, 0.95)
            el.dblclick(position={"x": x, "y": y}, timeout=10_000)
            cell = page.locator("#portal textarea, #portal input").first
            try:
                cell.wait_for(state="visible", timeout=1_500)
            except PlaywrightError:  # a read-only table, or a select cell: nothing typed
                page.keyboard.press("Escape")
                return f"({x:.0f}, {y:.0f}) no editor"
            if not cell.is_editable():  # a read-only table shows the cell in a read-only box
                page.keyboard.press("Escape")
                return f"({x:.0f}, {y:.0f}) read-only"
            value = rng.choice(NUMBERS[:-1] + ["abc"])
            cell.fill(value, timeout=5_000)
            cell.press("Enter")
            return f"({x:.0f}, {y:.0f}) {value}"
        if kind == "upload":
            files = [f for ext, fs in FILES.items() if ext in c["accept"] or not c["accept"] for f in fs]
            if not files:
                return None
            chosen = rng.choice(files)
            el.set_input_files(str(ROOT / chosen))
            return chosen
        raise ValueError(kind)


@pytest.fixture(scope="module")
def walk_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """(base URL, server log) of a fresh app on its own default (the org) with an empty store."""
    folder = tmp_path_factory.mktemp("browser_walk")
    log = folder / "server.log"
    with running_app(f"sqlite:///{folder / 'store.db'}", None, log=log) as base:
        yield base, log


@pytest.mark.parametrize("seed", SEEDS)
def test_random_clicks_never_break_a_page(browser, walk_app, seed: int) -> None:
    base, log = walk_app
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    walk = Walk(page, seed, log)
    start = time.perf_counter()
    try:
        page.goto(base)
        page.get_by_role("heading").first.wait_for(timeout=60_000)
        _settle(page)
        for _ in range(STEPS):
            walk.step()
        _settle(page)  # the last step may have been a fast one
        errors = _errors(page)
        assert not errors, "the page broke:\n" + "\n".join(errors) + "\n\n" + walk.report()
    except AssertionError:
        raise
    except Exception as e:  # a control that vanished under the click, a timeout: say where the walk was
        raise AssertionError(f"{type(e).__name__}: {e}\n\n{walk.report()}") from e
    finally:
        ctx.close()
    print(f"browser walk seed {seed}: {len(walk.steps)} steps in {time.perf_counter() - start:.0f} s, no exception")
