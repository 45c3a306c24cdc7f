"""Share links: round trip, and every way a crafted or damaged link is refused with PlanError."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from compcore.errors import PlanError
from compcore.io.share import (
    MAX_JSON_BYTES,
    MAX_TOKEN_CHARS,
    decode_scenario,
    encode_scenario,
    link_number,
    strip_identities,
)
from tests.compcore.scenario_data import sample_scenario


def _token(raw: bytes, prefix: str = "v1.") -> str:
    return prefix + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def test_round_trip_is_exact():
    scn = sample_scenario()
    token = encode_scenario(scn)
    assert token.startswith("v1.")
    assert set(token[3:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode_scenario(token) == scn


def test_token_is_deterministic_and_short():
    scn = sample_scenario()
    assert encode_scenario(scn) == encode_scenario(json.loads(json.dumps(scn)))
    assert len(encode_scenario(scn)) < 2000  # fits comfortably in a URL


def test_no_names_leak_into_the_link():
    scn = sample_scenario()
    scn["roster"][0].update(name="Ada Lovelace", employee_id="E123", email="ada@example.com")
    scn["roster"][1]["full_name"] = "Grace Hopper"
    token = encode_scenario(scn)
    raw = zlib.decompress(base64.urlsafe_b64decode(token[3:] + "==")).decode()
    for secret in ("Ada", "Lovelace", "E123", "ada@example.com", "Grace", "Hopper"):
        assert secret not in raw
    decoded = decode_scenario(token)
    assert decoded["roster"][0] == {"team": "CS Ops", "role": "Analyst", "headcount": 3, "base_salary": 80000}
    assert decoded["name"] == scn["name"]  # the scenario's own name is not a person's


def test_names_are_stripped_on_decode_too():
    scn = sample_scenario()
    scn["roster"][0]["name"] = "Ada Lovelace"
    decoded = decode_scenario(_token(json.dumps(scn).encode()))
    assert "name" not in decoded["roster"][0]


def test_strip_identities_keeps_group_fields():
    row = {"team": "CS", "role": "CSM", "headcount": 4, "base_salary": 1, "target_incentive": {"amount": 2},
           "person_name": "x", "employee": "y", "id": 3}
    assert strip_identities({"roster": [row]})["roster"] == [
        {"team": "CS", "role": "CSM", "headcount": 4, "base_salary": 1, "target_incentive": {"amount": 2}}]


@pytest.mark.parametrize("token", ["v1.!!!!", "v1.", "v1.abc def", "v1.A", "v1." + "A" * 5])
def test_bad_base64(token):
    with pytest.raises(PlanError, match="damaged|incomplete"):
        decode_scenario(token)


def test_bad_zlib():
    token = "v1." + base64.urlsafe_b64encode(b"this is not zlib data at all").decode().rstrip("=")
    with pytest.raises(PlanError, match="compression"):
        decode_scenario(token)


def test_truncated_zlib():
    full = zlib.compress(json.dumps(sample_scenario()).encode())
    token = "v1." + base64.urlsafe_b64encode(full[: len(full) // 2]).decode().rstrip("=")
    with pytest.raises(PlanError, match="truncated|damaged"):
        decode_scenario(token)


def test_tampered_token():
    token = encode_scenario(sample_scenario())
    mid = len(token) // 2
    tampered = token[:mid] + ("A" if token[mid] != "A" else "B") + token[mid + 1:]
    with pytest.raises(PlanError):
        decode_scenario(tampered)


def test_oversized_token_refused_before_decoding():
    with pytest.raises(PlanError, match="too long"):
        decode_scenario("v1." + "A" * MAX_TOKEN_CHARS)


def test_zip_bomb_refused():
    bomb = b'{"a": "' + b"0" * (10 * 1024 * 1024) + b'"}'  # 10 MiB of JSON
    compressed = zlib.compress(bomb, 9)
    token = "v1." + base64.urlsafe_b64encode(compressed).decode().rstrip("=")
    if len(token) > MAX_TOKEN_CHARS:  # refused before decompression, which is fine too
        with pytest.raises(PlanError, match="too long"):
            decode_scenario(token)
    small_bomb = b'{"a": "' + b"0" * (MAX_JSON_BYTES * 4) + b'"}'
    token = _token(small_bomb)
    assert len(token) < MAX_TOKEN_CHARS
    with pytest.raises(PlanError, match="KiB"):
        decode_scenario(token)


@pytest.mark.parametrize("token", ["v2.eJyrVgpKLS7NKVGyUlAqSi0uTVGqBQA5Ygal", "eJyrVgpKLS7NKVGyUlAqSi0uTVGqBQA5Ygal",
                                   "https://example.com/?s=v1.x", ""])
def test_wrong_version_prefix(token):
    with pytest.raises(PlanError, match="not a compcore scenario link"):
        decode_scenario(token)


def test_not_a_string():
    with pytest.raises(PlanError):
        decode_scenario(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2, 3]", b'"text"', b'{"a": NaN}', b"[" * 200_000,
                                 b"\xff\xfe"])
def test_not_json_or_not_an_object(raw):
    with pytest.raises(PlanError):
        decode_scenario(_token(raw))


def test_valid_json_but_invalid_scenario():
    scn = sample_scenario()
    scn["plan"]["components"][0]["weight"] = 0.9  # weights no longer sum to 1
    with pytest.raises(PlanError, match="invalid") as info:
        decode_scenario(_token(json.dumps(scn).encode()))
    assert "weights must sum to 1" in str(info.value)


def test_other_schema_refused():
    with pytest.raises(PlanError, match="not a scenario"):
        decode_scenario(_token(json.dumps({"schema": "compcore.plan/v1"}).encode()))


def test_plan_file_in_a_link_is_refused():
    scn = sample_scenario()
    del scn["plan"]
    scn["plan_file"] = "/etc/passwd"
    with pytest.raises(PlanError, match="plan_file"):
        decode_scenario(_token(json.dumps(scn).encode()))


def test_encode_refuses_invalid_scenario():
    scn = sample_scenario()
    scn["plan"]["cap"] = -1
    with pytest.raises(PlanError):
        encode_scenario(scn)


def test_encode_refuses_too_large_scenario():
    import random

    scn = sample_scenario()
    rng = random.Random(0)
    scn["assumptions"]["team_okr"] = {"dist": "empirical", "values": [rng.random() for _ in range(20_000)]}
    with pytest.raises(PlanError, match="too large"):
        encode_scenario(scn)


def test_trailing_bytes_after_the_zlib_stream_are_refused() -> None:
    # issue 23, item 8: before, bytes after the end of the compressed data were ignored
    raw = zlib.compress(b'{"schema": "compcore.scenario/v1"}') + b"tail"
    with pytest.raises(PlanError, match="unexpected data after its end"):
        decode_scenario("v1." + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="))


@pytest.mark.parametrize("raw", ["①", "²", "9" * 1000, "-1", "", " 1", "1.5", "4294967296"])
def test_link_numbers_refuse_what_int_refuses_or_what_is_out_of_range(raw: str) -> None:
    assert link_number(raw, "seed", 0, 2**32 - 1) == (
        None, "the seed in the link was ignored (give a whole number from 0 to 4,294,967,295)")
