"""AppTest: read-only HR links made, listed and revoked on the Scenarios page; a broken database shown plainly."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from compcore.io.store import ScenarioNotFoundError, ScenarioStore
from tests.app.conftest import browser_sends, page, run_ok
from tests.compcore.scenario_data import sample_scenario


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COMPCORE_DB_URL", url)
    return url


def test_make_list_and_revoke_a_read_only_link(db: str) -> None:
    store = ScenarioStore(db)
    rec = store.save("FY27 base", sample_scenario())
    store.save("FY27 base", dict(sample_scenario(), budget=1))  # version 2
    at = run_ok(AppTest.from_file(page("scenarios"), default_timeout=120), 120)
    at.selectbox(key=f"saved.{rec.id}.hr_version").set_value(1)
    at.number_input(key="hr_days").set_value(7)
    at.button(key="hr_make").click()
    run_ok(at, 120)
    link = next(c.value for c in at.code if "?hr=" in c.value)
    token = link.split("?hr=", 1)[1]
    opened = store.open_token(token)
    assert (opened.id, opened.version) == (rec.id, 1)
    listed = store.tokens(rec.id)
    assert len(listed) == 1 and listed[0].expires_at is not None
    assert any(t.value.startswith("v1 ·") and token[-6:] in t.value and "active" in t.value for t in at.text)
    revoke = next(b for b in at.button if b.key and b.key.startswith("hr_revoke_"))
    revoke.click()
    run_ok(at, 120)
    with pytest.raises(ScenarioNotFoundError):
        store.open_token(token)
    assert any("revoked" in t.value for t in at.text)
    assert not any(b.key and b.key.startswith("hr_revoke_") for b in at.button)


def test_the_editor_link_is_by_id_and_no_old_view_hr_link_is_offered(db: str) -> None:
    rec = ScenarioStore(db).save("FY27 base", sample_scenario())
    at = run_ok(AppTest.from_file(page("scenarios"), default_timeout=120), 120)
    codes = [c.value for c in at.code]
    assert any(c.endswith(f"?scenario={rec.id}") for c in codes)
    assert not any("view=hr" in c for c in codes + [c.value for c in at.caption])


def test_a_corrupt_database_is_a_plain_message_and_the_other_pages_work(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all " * 500)
    monkeypatch.setenv("COMPCORE_DB_URL", f"sqlite:///{bad}")
    at = run_ok(AppTest.from_file(page("scenarios"), default_timeout=120), 120)
    errors = " ".join(e.value for e in at.error)
    assert "damaged" in errors and "Traceback" not in errors and "sqlalchemy" not in errors.lower()
    at.button(key="save_scenario").click()
    run_ok(at, 120)  # saving says so too, without an exception
    assert any("damaged" in e.value for e in at.error)
    for other in ("plan_designer", "cost_simulation", "plan_document"):
        run_ok(AppTest.from_file(page(other), default_timeout=120), 120)


def test_a_link_carries_the_trials_and_seed_of_the_session_that_made_it(db: str) -> None:
    """HR must see the editor's numbers: the link stores the editor's trials and seed (issue 19 item 3)."""
    store = ScenarioStore(db)
    rec = store.save("FY27 base", sample_scenario())
    at = run_ok(AppTest.from_file(page("scenarios"), default_timeout=120), 120)
    at.session_state["ui"]["trials"] = 50_000  # what the editor set on the Cost simulation page
    at.session_state["ui"]["seed"] = 5
    at.button(key="hr_make").click()
    run_ok(at, 120)
    token = next(c.value for c in at.code if "?hr=" in c.value).split("?hr=", 1)[1]
    opened = store.open_token(token)
    assert (opened.id, opened.trials, opened.seed) == (rec.id, 50_000, 5)


def test_a_stale_version_label_from_the_browser_still_makes_the_link_on_the_first_click(db: str) -> None:
    """Issue 19: a browser sends the *label* a select box showed before its options changed (another scenario
    picked); it was parsed as a version number ("No link was made: invalid literal for int()")."""
    store = ScenarioStore(db)
    a = store.save("A - adoption 90% + accelerator", sample_scenario())
    b = store.save("B", sample_scenario())
    store.save("B", dict(sample_scenario(), budget=1))  # B version 2
    at = run_ok(AppTest.from_file(page("scenarios"), default_timeout=120), 120)
    at.selectbox(key="pick_saved").set_value(b.id)
    run_ok(at, 120)
    next(s for s in at.selectbox if s.label == "Version to share").set_value(1)
    run_ok(at, 120)
    # what a browser sends on the next click: every widget's last state, one of them a label of scenario A
    version_box = next(s for s in at.selectbox if s.label == "Version to share")
    browser_sends(at, version_box, store.history(a.id)[0].label)
    browser_sends(at, at.selectbox(key="pick_saved"), "A - adoption 90% + accelerator")
    at.button(key="hr_make").click()
    run_ok(at, 120)
    assert not [e.value for e in at.error if "No link was made" in e.value]
    link = next(c.value for c in at.code if "?hr=" in c.value)
    opened = store.open_token(link.split("?hr=", 1)[1])
    assert (opened.id, opened.version) == (b.id, 1)  # the version picked before, not a label, not the latest
