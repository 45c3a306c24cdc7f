"""Every session-state key the app uses, in one place (the ``K_*`` constants).

No other module writes a string key into ``st.session_state``: pages and ui
modules use these names (a test in ``tests/structure/`` checks it). Widget
keys that only identify a widget (``key="cap"``) are not session state the
app reads, and stay beside their widget.
"""

from __future__ import annotations

K_SCENARIO = "scenario"  # dict: the scenario as typed (may be invalid)
K_VALID = "scenario_valid"  # Scenario: the last valid one, used by every chart
K_PROBLEMS = "problems"  # list[(path, message)] of the draft, paths relative to the scenario
K_UI = "ui"  # dict: view settings that are not part of the scenario (trials, seed, held values...)
K_NOTICE = "notice"  # (kind, message) | None: a message to show once (e.g. a bad share link)
K_LINK = "link_token"  # str | None: the share token already applied or created in this session
K_VERSIONS = "editor_versions"  # {editor name: int}: bumps reset a data editor after an edit
K_DRAWN = "keys_drawn"  # {"last": set, "now": set}: keys bound in the last run and in this one (ui/binding.py)
K_SHOWN = "problems_shown"  # set of problem paths shown next to a field in this run
# saved scenarios and ?scenario= links (ui/saved.py)
K_SAVED = "saved_ref"  # dict | None: id, version, label, data of the saved scenario last loaded or saved
K_SAVED_LINK = "saved_link"  # str | None: the ?scenario=<id> already applied in this session
# widget and page keys of the Scenarios page (ui/saved.py)
K_SAVE_NAME = "save_name"  # str: the name a scenario is saved under
K_SAVE_NAME_FOR = "save_name_for"  # str: the scenario name K_SAVE_NAME was proposed for
K_SAVE_AUTHOR = "save_author"  # str: who saves (optional)
K_FLASH = "scenarios_flash"  # (kind, message) | None: result of the last store action, shown once
# the designer's target-incentive widgets (ui/plan_editing.py)
K_TI_KIND = "ti_kind"  # "% of base salary" | "Fixed amount a year"
K_TI_VALUE = "ti_value"  # float: percent of base or amount

# lost work (issue 14): undo, the plan as loaded, the address kept in step (ui/history.py, ui/share_link.py)
K_HISTORY = "undo_stack"  # list[dict]: earlier drafts of the scenario, newest last
K_HISTORY_SEEN = "undo_seen"  # dict | None: the draft as it was at the end of the last run
K_HISTORY_ID = "undo_id"  # str: this session's undo history id on the server (the address's &u=)
K_BASELINE = "plan_baseline"  # dict | None: the plan as last loaded (sample, link, file): "changed" means != this
K_LINK_FOR = "link_for"  # (Scenario, str) | None: the last valid scenario and its ?s= token (encode once)
K_CONFIRM = "confirm_replace"  # str | None: the sample / "Blank plan" waiting for "replace my changed plan?"

# the optional shared password (ui/gate.py)
K_GATE = "gate_ok"  # bool: this session typed the shared password
K_GATE_PASSWORD = "gate_password"  # str: the password box (emptied after every check)
K_GATE_FAILED = "gate_failed"  # bool: the last password typed was wrong

# "Solve for a budget" on the Cost simulation page (ui/solve_state.py)
K_SOLVE = "solve_result"  # dict: key (what was solved), solution, frontier, view, error; flash, applied (last Apply)

# the Targets page's "your own export" source (ui/data_import.py)
K_EXPORT_UPLOAD = "tfd_export_upload"  # list[UploadedFile]: the export files uploader
K_MAP_NAME = "tfd_map_name"  # str: the name a column mapping is saved under
K_MAP_SAVED = "tfd_map_saved"  # str: "best guess" or the name of the saved mapping in use
# read-only HR links (ui/hr_links.py)
K_HR_OPENED = "hr_opened"  # dict | None: token, scenario id, version, label of the HR link this session shows
K_HR_FLASH = "hr_flash"  # (kind, message) | None: result of the last HR link made or revoked, shown once
# sign-in (ui/gate.py)
K_GATE_FAILURES = "gate_failures"  # int: wrong passwords typed in this session (each one waits longer)
K_HR_VERSION = "hr_version"  # int: the version a new HR link opens (Scenarios page)
K_HR_DAYS = "hr_days"  # int: days until a new HR link expires (0: never)
