"""Header synonyms: what CRM and CS platforms call the fields compcore reads.

Collected from the export and report column names of Salesforce (standard fields
and ``Custom_Field__c`` API names), Gainsight (Company object), ChurnZero,
Totango, Vitally, HubSpot and plain spreadsheets. Comparison is on normalised
words (:func:`compcore.data.mapping.normalise`), so ``Go-Live Date``,
``go_live_date`` and ``GoLiveDate`` all match ``go live date``. A synonym is
listed under the one record kind where it means that field (``Name`` is the
client's name in ``clients`` and the person in ``people``).
"""

from __future__ import annotations

__all__ = ["FIELD_LABELS", "KIND_SYNONYMS", "SYNONYMS", "TABLE_HINTS"]

_CLIENT_ID = ("account id", "customer id", "client id", "company id", "account external id", "external id",
              "gsid", "account number", "customer number", "sfdc account id", "salesforce account id",
              "company external id", "account key", "customer key")
_LINK = (*_CLIENT_ID, "account", "customer", "client", "company")
_OWNER = ("owner", "account owner", "csm", "customer success manager", "assigned csm", "csm name",
          "success manager", "owner name", "account manager", "assigned to", "assignee", "user", "rep",
          "activity owner", "created by", "owner full name", "primary csm")
_TEAM = ("team", "cs team", "owner team", "department", "pod", "group", "owner role", "team name", "squad",
         "segment team", "csm team", "division")

SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("clients", "client_id"): _CLIENT_ID,
    ("clients", "name"): ("account name", "customer name", "client name", "company name", "company", "customer",
                          "client", "name", "account", "organization", "organisation"),
    ("clients", "segment"): ("segment", "customer segment", "account segment", "tier", "customer tier",
                             "account tier", "type", "account type", "size", "market segment"),
    ("clients", "owner"): _OWNER,
    ("clients", "team"): _TEAM,
    ("clients", "contract_start"): ("contract start", "contract start date", "start date", "signed date", "signed",
                                    "close date", "original contract date", "contract date", "customer since",
                                    "subscription start date", "contract effective date", "sign date",
                                    "closed won date", "first contract date", "start"),
    ("clients", "planned_go_live"): ("planned go live", "planned go live date", "target go live",
                                     "target go live date", "go live target", "go live target date",
                                     "expected go live", "expected go live date", "scheduled go live",
                                     "scheduled go live date", "projected go live", "go live planned",
                                     "onboarding target date", "planned launch date", "target launch date",
                                     "estimated go live date"),
    ("clients", "actual_go_live"): ("actual go live", "actual go live date", "go live date", "go live", "golive",
                                    "go live actual", "launch date", "live date", "went live", "went live on",
                                    "onboarding go live date", "onboarding completed date", "launched at",
                                    "go live at", "implementation complete date", "onboarding end date"),
    ("clients", "licensed_seats"): ("licenses", "licences", "licensed seats", "seats", "license count",
                                    "licence count", "licensed users", "number of licenses", "seat count",
                                    "purchased seats", "contracted seats", "licenses purchased", "user licenses",
                                    "total licenses", "paid seats", "contracted users", "no of licenses"),
    ("clients", "arr_start"): ("arr", "arr start", "starting arr", "current arr", "annual recurring revenue",
                               "contract value", "annual contract value", "acv", "arr usd", "total arr",
                               "contract arr", "initial arr", "arr at start", "subscription value"),
    ("clients", "arr_renewal"): ("arr renewal", "renewal arr", "renewed arr", "arr at renewal", "renewal amount",
                                 "renewal value", "renewal acv", "renewed amount", "renewal opportunity amount"),
    ("clients", "renewal_date"): ("renewal date", "renewal", "contract renewal date", "next renewal date",
                                  "contract end date", "end date", "subscription end date", "renews on",
                                  "renewal due date"),
    ("clients", "churn_date"): ("churn date", "churned", "churned at", "churned on", "churned date",
                                "cancellation date", "cancelled date", "canceled date", "termination date",
                                "lost date", "inactive date", "churn"),
    ("usage_weekly", "client_id"): _LINK,
    ("usage_weekly", "week_start"): ("week start", "week", "week of", "week starting", "week start date",
                                     "week beginning", "week commencing", "date", "period start",
                                     "snapshot week", "usage week", "activity week", "start of week"),
    ("usage_weekly", "active_users"): ("active users", "weekly active users", "wau", "active users count",
                                       "unique users", "unique active users", "users active", "active licenses",
                                       "active seats", "logged in users", "users", "distinct users",
                                       "active user count", "number of active users"),
    ("activities", "activity_id"): ("activity id", "task id", "event id", "timeline id", "id", "activity",
                                    "record id", "touchpoint id", "interaction id", "cta id"),
    ("activities", "date"): ("date", "activity date", "completed date", "due date", "created date",
                             "completed on", "activity date time", "event date", "meeting date",
                             "date completed", "occurred at", "timestamp"),
    ("activities", "owner"): _OWNER,
    ("activities", "team"): _TEAM,
    ("activities", "client_id"): _LINK,
    ("activities", "kind"): ("kind", "type", "activity type", "task type", "subtype", "activity subtype",
                             "category", "meeting type", "touchpoint type", "event type", "interaction type",
                             "timeline type"),
    ("people", "owner"): ("owner", "name", "full name", "employee", "employee name", "user", "user name",
                          "person", "csm", "csm name", "team member", "member"),
    ("people", "team"): _TEAM,
    ("people", "role"): ("role", "title", "job title", "position", "job role", "user role", "profile"),
    ("people", "base_salary"): ("base salary", "salary", "annual salary", "base", "base pay", "annual base",
                                "base salary usd", "yearly salary"),
}

#: activity type values (as written in an export) -> the kind compcore counts
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "touchpoint": ("touchpoint", "touch point", "touch", "call", "phone call", "email", "meeting", "check in",
                   "check-in", "check in call", "video call", "zoom", "visit", "onsite", "log a call",
                   "conversation", "sync", "customer meeting"),
    "ebr": ("ebr", "executive business review", "qbr", "quarterly business review", "business review",
            "exec review", "executive review", "executive sponsor meeting"),
    "cross_sell_lead": ("cross sell lead", "cross-sell lead", "cross_sell_lead", "cross sell", "cross-sell",
                        "upsell lead", "upsell", "expansion lead", "expansion opportunity", "lead",
                        "referral to sales", "cross sell opportunity"),
}

#: words in a file or sheet name that say which kind of record it holds
TABLE_HINTS: dict[str, frozenset[str]] = {
    "clients": frozenset({"clients", "client", "accounts", "account", "customers", "customer", "companies",
                          "company", "onboarding", "implementations"}),
    "usage_weekly": frozenset({"usage", "weekly", "telemetry", "adoption", "engagement", "logins", "product"}),
    "activities": frozenset({"activities", "activity", "tasks", "timeline", "touchpoints", "events", "meetings",
                             "interactions", "ctas"}),
    "people": frozenset({"people", "users", "team", "employees", "staff", "roster", "members", "csms", "owners"}),
}

#: fields in words (select box labels, messages)
FIELD_LABELS: dict[str, str] = {
    "client_id": "client id", "name": "client name", "segment": "segment", "owner": "owner (person)",
    "team": "team", "contract_start": "contract start", "planned_go_live": "planned go-live",
    "actual_go_live": "actual go-live", "licensed_seats": "licensed seats", "arr_start": "ARR at start",
    "arr_renewal": "ARR at renewal", "renewal_date": "renewal date", "churn_date": "churn date",
    "week_start": "week start", "active_users": "active users", "activity_id": "activity id",
    "date": "date", "kind": "activity kind", "role": "role", "base_salary": "base salary",
}
