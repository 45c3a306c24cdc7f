"""Saved column mappings: by name, replaced on save, offered for an export with the same headers."""

from __future__ import annotations

import pytest

from compcore.data.mapped import guess_mapping
from compcore.errors import PlanError
from compcore.io.mapping_store import MappingNotFoundError, MappingStore, same_headers
from compcore.io.store import ScenarioStore
from compcore.io.tables import read_table

ACCOUNTS = b"Account ID,CSM,Team,Start Date,Licenses,ARR\nC1,Ann,PMO,01/31/2025,10,100\n"


@pytest.fixture
def maps(tmp_path) -> MappingStore:
    return MappingStore(ScenarioStore(f"sqlite:///{tmp_path / 'store.db'}"))


def test_save_get_list_replace_delete(maps):
    m = guess_mapping([read_table("accounts.csv", ACCOUNTS)])
    saved = maps.save("  Salesforce   export ", m, author="Ana")
    assert saved.name == "Salesforce export" and saved.mapping.name == "Salesforce export"
    assert maps.get("Salesforce export").tables["clients"].columns == m.tables["clients"].columns
    other = m.model_copy(deep=True)
    other.tables["clients"].columns["team"] = "CSM"
    maps.save("Salesforce export", other)
    assert maps.get("Salesforce export").tables["clients"].columns["team"] == "CSM"
    assert [s.name for s in maps.list()] == ["Salesforce export"]
    maps.delete("Salesforce export")
    with pytest.raises(MappingNotFoundError, match=r"no saved mapping 'Salesforce export'; saved: none yet"):
        maps.get("Salesforce export")
    with pytest.raises(PlanError, match=r"mapping name: give a name"):
        maps.save("   ", m)


def test_offered_for_the_same_headers_in_any_order_only(maps):
    first = read_table("accounts.csv", ACCOUNTS)
    maps.save("CRM", guess_mapping([first]))
    reordered = read_table("accounts_nov.csv", b"CSM,Account ID,Team,Start Date,Licenses,ARR\nAnn,C2,PMO,x,1,1\n")
    changed = read_table("accounts.csv", b"Account ID,CSM,Team,Start Date,Licenses,ARR,Region\nC1,A,P,x,1,1,EU\n")
    assert [m.name for m in maps.matching([reordered])] == ["CRM"]
    assert maps.matching([changed]) == []
    assert same_headers(maps.get("CRM"), [reordered]) and not same_headers(maps.get("CRM"), [changed])


def test_the_scenario_tables_are_untouched(tmp_path):
    store = ScenarioStore(f"sqlite:///{tmp_path / 's.db'}")
    MappingStore(store).save("CRM", guess_mapping([read_table("a.csv", ACCOUNTS)]))
    assert store.list() == []
