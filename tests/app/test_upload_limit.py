"""The upload limit a person reads is the one that applies (issue 19: the text said 25 MB, the uploader 20MB)."""

from __future__ import annotations

import tomllib

from compcore.io.tables import MAX_FILE_BYTES
from tests.app.conftest import ROOT, open_page, run_ok


def _max_upload_mb() -> int:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]


def test_the_uploaders_limit_is_compcores_limit_in_the_same_number() -> None:
    mb = _max_upload_mb()
    assert mb == MAX_FILE_BYTES // 1_000_000 == 25  # the uploader shows "25MB per file"
    assert mb * 2**20 >= MAX_FILE_BYTES  # Streamlit's MB is 2**20 bytes: every file compcore takes gets through


def test_the_targets_page_states_the_same_limit() -> None:
    at = open_page("targets_from_data", timeout=120)
    source = next(r for r in at.radio if any("Your own export" in o for o in r.options))
    source.set_value("export")
    run_ok(at, 120)
    labels = [u.proto.label for u in at.get("file_uploader")]
    assert any(f"up to {_max_upload_mb()} MB" in label for label in labels), labels
