"""Column mapping: guesses from the headers of real tools' exports, JSON form, problems named in place."""

from __future__ import annotations

import json

import pytest

from compcore.data.mapped import guess_mapping, read_records, records_data
from compcore.data.mapping import DataMapping, dump_mapping, guess_columns, guess_kinds, guess_table, load_mapping
from compcore.errors import PlanError
from compcore.io.tables import read_table

# headers as each tool's standard account / company export or report writes them
TOOLS = {
    "salesforce report": (["Account ID", "Account Name", "Account Owner", "Type", "Contract Start Date",
                           "Go_Live_Date__c", "Target_Go_Live_Date__c", "Licenses__c", "ARR__c", "Renewal Date"],
                          {"client_id": "Account ID", "name": "Account Name", "owner": "Account Owner",
                           "segment": "Type", "contract_start": "Contract Start Date",
                           "actual_go_live": "Go_Live_Date__c", "planned_go_live": "Target_Go_Live_Date__c",
                           "licensed_seats": "Licenses__c", "arr_start": "ARR__c", "renewal_date": "Renewal Date"}),
    "gainsight company": (["GSID", "Company Name", "CSM", "Original Contract Date", "Go Live Date", "Licensed Users",
                           "ARR", "Renewal Date", "Churn Date", "Tier"],
                          {"client_id": "GSID", "name": "Company Name", "owner": "CSM",
                           "contract_start": "Original Contract Date", "actual_go_live": "Go Live Date",
                           "licensed_seats": "Licensed Users", "arr_start": "ARR", "renewal_date": "Renewal Date",
                           "churn_date": "Churn Date", "segment": "Tier"}),
    "churnzero accounts": (["Account External ID", "Account Name", "Account Owner", "Start Date", "Go-Live Date",
                            "License Count", "Total Contract Amount", "Next Renewal Date", "Cancellation Date"],
                           {"client_id": "Account External ID", "name": "Account Name", "owner": "Account Owner",
                            "contract_start": "Start Date", "actual_go_live": "Go-Live Date",
                            "licensed_seats": "License Count", "renewal_date": "Next Renewal Date",
                            "churn_date": "Cancellation Date"}),
    "totango accounts": (["Account ID", "Display Name", "Success Manager", "Contract Start Date",
                          "Onboarding Go Live Date", "Licenses", "Contract Value", "Contract Renewal Date"],
                         {"client_id": "Account ID", "owner": "Success Manager",
                          "contract_start": "Contract Start Date", "actual_go_live": "Onboarding Go Live Date",
                          "licensed_seats": "Licenses", "arr_start": "Contract Value",
                          "renewal_date": "Contract Renewal Date"}),
    "vitally accounts": (["externalId", "name", "csm", "goLiveDate", "seats", "arr", "renewalDate", "churnedAt",
                          "segment", "team"],
                         {"client_id": "externalId", "name": "name", "owner": "csm", "actual_go_live": "goLiveDate",
                          "licensed_seats": "seats", "arr_start": "arr", "renewal_date": "renewalDate",
                          "churn_date": "churnedAt", "segment": "segment", "team": "team"}),
    "spreadsheet": (["Customer ID", "Customer", "Owner", "Team", "Signed", "Planned go-live", "Go-live",
                     "# Licences", "ARR (EUR)"],
                    {"client_id": "Customer ID", "name": "Customer", "owner": "Owner", "team": "Team",
                     "planned_go_live": "Planned go-live", "actual_go_live": "Go-live"}),
}


@pytest.mark.parametrize("tool", list(TOOLS))
def test_client_headers_of_each_tool_are_guessed(tool):
    headers, expected = TOOLS[tool]
    guess = guess_columns("clients", headers)
    assert {f: guess.get(f) for f in expected} == expected


@pytest.mark.parametrize(("table", "headers", "expected"), [
    ("usage_weekly", ["Account ID", "Week Of", "Weekly Active Users"],
     {"client_id": "Account ID", "week_start": "Week Of", "active_users": "Weekly Active Users"}),
    ("usage_weekly", ["Company ID", "Week Starting", "WAU"],
     {"client_id": "Company ID", "week_start": "Week Starting", "active_users": "WAU"}),
    ("activities", ["Task ID", "Completed Date", "Assigned To", "Department", "Account ID", "Task Type"],
     {"activity_id": "Task ID", "date": "Completed Date", "owner": "Assigned To", "team": "Department",
      "client_id": "Account ID", "kind": "Task Type"}),
    ("activities", ["Timeline ID", "Activity Date", "Activity Owner", "Team", "Company", "Activity Type"],
     {"activity_id": "Timeline ID", "date": "Activity Date", "owner": "Activity Owner", "team": "Team",
      "client_id": "Company", "kind": "Activity Type"}),
    ("people", ["Full Name", "Team", "Job Title", "Annual Salary"],
     {"owner": "Full Name", "team": "Team", "role": "Job Title", "base_salary": "Annual Salary"}),
])
def test_other_records_are_guessed(table, headers, expected):
    assert guess_columns(table, headers) == expected


def test_a_target_date_is_not_taken_for_the_actual_go_live():
    guess = guess_columns("clients", ["Account ID", "Go Live Target Date", "Go Live Date"])
    assert guess["planned_go_live"] == "Go Live Target Date" and guess["actual_go_live"] == "Go Live Date"


def test_a_generic_word_does_not_claim_a_longer_header():
    assert "name" not in guess_columns("clients", ["Account Status"])


def test_duplicate_headers_are_never_guessed():
    assert "client_id" not in guess_columns("clients", ["Account ID", "Account ID", "CSM"])


def test_which_sheet_is_which_record():
    assert guess_table("Accounts", ["Account ID", "CSM", "Team", "Contract Start Date", "Licenses", "ARR"])[0] \
        == "clients"
    assert guess_table("Tasks", ["Task ID", "Date", "Assigned To", "Team", "Type"])[0] == "activities"
    assert guess_table("Users", ["Full Name", "Team", "Title"])[0] == "people"


def test_activity_types_to_kinds():
    assert guess_kinds(["QBR", "Log a Call", "Expansion Lead", "Internal"]) == {
        "QBR": "ebr", "Log a Call": "touchpoint", "Expansion Lead": "cross_sell_lead", "Internal": None}


def test_mapping_json_round_trip_and_errors(tmp_path):
    m = load_mapping({"name": "Salesforce", "tables": {"clients": {"file": "a.csv", "columns": {"client_id": "Id"},
                                                                   "date_formats": {"contract_start": "us"}}}})
    p = tmp_path / "m.json"
    p.write_text(json.dumps(dump_mapping(m)))
    assert load_mapping(p) == m and load_mapping(str(p)) == m
    assert dump_mapping(m)["schema"] == "compcore.mapping/v1"
    with pytest.raises(PlanError, match=r"mapping.tables.clients.date_formats.contract_start"):
        load_mapping({"tables": {"clients": {"date_formats": {"contract_start": "chinese"}}}})
    with pytest.raises(PlanError, match=r"'seats' is not a field"):
        load_mapping({"tables": {"clients": {"columns": {"seats": "Licenses"}}}})
    with pytest.raises(PlanError, match=r"tables.clients: required"):
        load_mapping({"tables": {"people": {}}})
    with pytest.raises(PlanError, match=r"not JSON"):
        load_mapping("{nope")
    with pytest.raises(PlanError, match=r"cannot read mapping file '.*missing\.json': No such file"):
        load_mapping(tmp_path / "missing.json")


ACCOUNTS = (b"Account ID,CSM,CS Team,Contract Start Date,Go Live Date,Licenses,ARR\n"
            b"C1,Ann,PMO,01/31/2025,03/15/2025,10,\"$1,200\"\n"
            b"C2,Bo,PMO,02/01/2025,soon,ten,900\n"
            b"C1,Bo,PMO,02/03/2025,,12,-5\n")


def test_every_problem_is_named_with_file_column_rows_and_values():
    t = read_table("accounts.csv", ACCOUNTS)
    rec = read_records([t], guess_mapping([t]))
    text = [str(p) for p in rec.problems]
    assert "accounts.csv, column 'Account ID' (client id): the same id again in row 4 (\"C1\")" in text
    assert ("accounts.csv, column 'Go Live Date' (actual go-live): not a date in the US (03/15/2025) format "
            "in row 3 (\"soon\")") in text
    assert "accounts.csv, column 'Licenses' (licensed seats): not a whole number >= 0 in row 3 (\"ten\")" in text
    assert "accounts.csv, column 'ARR' (ARR at start): not an amount >= 0 in row 4 (\"-5\")" in text
    assert rec.frames["clients"].loc[2, "arr_start"] == 1200.0  # "$1,200" is 1,200
    assert rec.problems_for("clients", "licensed_seats")[0].rows == (3,)
    with pytest.raises(PlanError, match=r"the same id again in row 4") as e:
        records_data(rec)
    assert len(e.value.problems) == 4


def test_a_required_field_without_a_column_and_a_mapping_naming_an_unknown_header():
    t = read_table("accounts.csv", b"Account ID,Team\nC1,PMO\n")
    m = DataMapping(tables={"clients": {"file": "accounts.csv", "columns": {"client_id": "Account ID",
                                                                            "team": "Squad"}}})
    text = [str(p) for p in read_records([t], m).problems]
    assert "accounts.csv (owner (person)): no column chosen; this field is required" in text
    assert any(s.startswith("accounts.csv, column 'Squad' (team): no column 'Squad'") for s in text)


def test_a_new_export_with_another_file_name_is_found_by_its_headers():
    t = read_table("accounts.csv", ACCOUNTS)
    m = guess_mapping([t])
    renamed = read_table("accounts_october.csv", ACCOUNTS)
    assert read_records([renamed], m).sources["clients"].file == "accounts_october.csv"
    other = read_table("other.csv", b"X,Y\n1,2\n")
    with pytest.raises(PlanError, match=r"mapping clients: no file or sheet like accounts.csv"):
        read_records([other], m)


def test_unmapped_and_uncounted_activity_types():
    clients = read_table("c.csv", b"Account ID,CSM,Team,Start Date,Licenses,ARR\nC1,Ann,PMO,2025-01-06,10,100\n")
    acts = read_table("tasks.csv", b"Task ID,Date,Assigned To,Team,Account ID,Type\n"
                                   b"T1,2025-02-03,Ann,PMO,C1,Call\nT2,2025-02-04,Ann,PMO,C1,Note\n"
                                   b"T3,2025-02-05,Ann,PMO,C9,EBR\n")
    m = guess_mapping([clients, acts])
    assert m.tables["activities"].kinds == {"Call": "touchpoint", "EBR": "ebr", "Note": None}
    rec = read_records([clients, acts], m)
    assert [str(p) for p in rec.problems] == [
        "tasks.csv, column 'Account ID' (client id): client not in the client records in row 4 (\"C9\")"]
    assert any("1 rows of activity type(s) Note are not counted" in n for n in rec.notes)
    m.tables["activities"].kinds.pop("Call")
    assert "activity type not mapped" in str(read_records([clients, acts], m).problems[0])
