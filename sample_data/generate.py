"""Generate the fictional CS org CSVs in ``sample_data/`` (seeded, reproducible).

Run ``python sample_data/generate.py`` from the repository root. It writes:

- ``people.csv``        owner, team, role, base_salary (50 fictional people, 5 teams)
- ``clients.csv``       300 clients: 80 already live before 2025, 220 signed 2025-01..2026-09
- ``usage_weekly.csv``  client_id, week_start (Mondays), active_users, from go-live on
- ``activities.csv``    touchpoints, EBRs and cross-sell leads with owner, team and date

Then ``python sample_data/vendor_export.py`` writes the same records in a CRM export's shape
(``vendor_export/``: other headers, US dates, one ``.xlsx``) for the column mapping.

Data runs from 2025-01-01 to ``AS_OF`` (2026-09-30). Everything is drawn from one
``numpy.random.Generator`` with a fixed seed, so the files are identical on every run.
The names are invented (common first names with made-up surnames): no real people.

Behaviour built in, so the metrics have something to find: lognormal-skewed ARR by
segment; about a third of go-lives late (some very late, a few stalled); about 10% of
clients that never adopt; some adopters that decline; churn at renewal that is much
likelier for clients that never adopted; expansion at renewal for healthy clients.
Each client has one renewal date, its first contract anniversary on or after 2025-01-01.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20250101
START = pd.Timestamp("2025-01-01")
AS_OF = pd.Timestamp("2026-09-30")
OUT = Path(__file__).resolve().parent

TEAMS = {  # team: (headcount, role, median base salary, share of clients owned)
    "PMO": (8, "Project Manager", 105_000, 0.20),
    "Implementation": (12, "Implementation Consultant", 95_000, 0.30),
    "Customer Success": (16, "Customer Success Manager", 90_000, 0.33),
    "Change & Enablement": (8, "Enablement Specialist", 85_000, 0.12),
    "CS Ops": (6, "CS Operations Analyst", 80_000, 0.05),
}
FIRST = [
    "Avery", "Blake", "Casey", "Dana", "Emery", "Finley", "Gray", "Harper", "Indra", "Jules",
    "Kai", "Lane", "Morgan", "Nico", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Tatum",
    "Uma", "Vale", "Wren", "Xan", "Yael", "Zuri", "Arden", "Briar", "Cove", "Dale",
]
LAST = [
    "Ashgrove", "Bramblecott", "Cindervale", "Dunmarrow", "Elderwick", "Fenhollow",
    "Glimmerby", "Hartsfeld", "Ivyreach", "Juniperra", "Kestrow", "Larkmoor", "Mistwater",
    "Northwillow", "Oakenfurt", "Pebbleton", "Quillfeather", "Rookhaven", "Stonemere",
    "Thistlecombe", "Umberlee", "Vexmoor", "Wintercress", "Yarrowby", "Zephyrine",
]
COMPANY_A = ["Blue", "North", "Silver", "Bright", "Cedar", "Iron", "Lumen", "Harbor", "Nova",
             "Granite", "Maple", "Orbit", "Pine", "Quartz", "River", "Summit", "Tidal", "Vista"]
COMPANY_B = ["Logistics", "Health", "Foods", "Analytics", "Retail", "Energy", "Labs",
             "Capital", "Freight", "Media", "Systems", "Works", "Partners", "Mobility"]
COMPANY_C = ["Inc", "Ltd", "Group", "Co", "GmbH", "LLC"]
SEGMENTS = {  # segment: (share, median ARR, ARR sigma, price per seat, go-live days)
    "Enterprise": (0.15, 180_000, 0.55, 450, 150),
    "Mid-Market": (0.40, 50_000, 0.50, 400, 90),
    "SMB": (0.45, 12_000, 0.55, 350, 45),
}


def make_people(rng: np.random.Generator) -> pd.DataFrame:
    """Fifty fictional people; the first of each team is its lead."""
    names = [f"{f} {s}" for f in FIRST for s in LAST]
    pick = rng.choice(len(names), size=sum(t[0] for t in TEAMS.values()), replace=False)
    rows, i = [], 0
    for team, (count, role, salary, _) in TEAMS.items():
        for k in range(count):
            lead = k == 0
            base = salary * (1.25 if lead else 1.0) * rng.lognormal(0.0, 0.08)
            rows.append({"owner": names[pick[i]], "team": team,
                         "role": f"{team} Lead" if lead else role,
                         "base_salary": int(round(base / 500.0) * 500)})
            i += 1
    return pd.DataFrame(rows)


def make_clients(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    """Clients with contract, go-live, ARR, renewal and churn; hidden adoption traits."""
    n_old, n_new = 80, 220
    n = n_old + n_new
    seg_names = list(SEGMENTS)
    segment = rng.choice(seg_names, size=n, p=[SEGMENTS[s][0] for s in seg_names])
    seg = np.array([SEGMENTS[s] for s in segment], dtype=object)
    median_arr = seg[:, 1].astype(float)
    arr = np.round(median_arr * rng.lognormal(0.0, seg[:, 2].astype(float)), -2)
    seats = np.maximum(3, np.round(arr / (seg[:, 3].astype(float) * rng.uniform(0.8, 1.2, n))))

    old_start = START - pd.to_timedelta(rng.integers(60, 730, n_old), unit="D")
    # new business grows a little over time: draw days with a rising density
    span = (pd.Timestamp("2026-09-15") - START).days
    new_start = START + pd.to_timedelta(np.floor(span * rng.beta(1.2, 1.0, n_new)), unit="D")
    contract_start = pd.DatetimeIndex(np.concatenate([old_start.values, new_start.values]))
    plan_days = seg[:, 4].astype(float) * rng.uniform(0.8, 1.2, n)
    planned = contract_start + pd.to_timedelta(np.round(plan_days), unit="D")

    u = rng.uniform(size=n)
    delay = np.where(u < 0.60, -rng.integers(0, 15, n),                    # on time or early
             np.where(u < 0.88, rng.exponential(25.0, n) + 1,              # late
             np.where(u < 0.96, rng.uniform(60, 180, n), np.inf)))         # very late / stalled
    delay[:n_old] = np.minimum(delay[:n_old], 60)                          # old base went live
    actual = planned + pd.to_timedelta(np.where(np.isfinite(delay), np.round(delay), 0), unit="D")
    actual = actual.where(np.isfinite(delay) & (actual <= AS_OF))

    # hidden adoption traits used by make_usage: 10% never adopt, 12% adopt then decline
    trait = rng.choice(["adopter", "never", "decliner"], size=n, p=[0.78, 0.10, 0.12])
    saturation = np.where(trait == "never", rng.uniform(0.03, 0.2, n), rng.beta(7, 3, n))
    ramp_days = rng.uniform(15, 70, n)

    first_anniv = contract_start + pd.DateOffset(years=1)
    renewal = first_anniv.where(first_anniv >= START, contract_start + pd.DateOffset(years=2))
    decided = renewal <= AS_OF
    p_churn = np.where(trait == "never", 0.45, np.where(trait == "decliner", 0.30, 0.05))
    p_churn = np.where(actual.isna(), 0.5, p_churn)
    churned = decided & (rng.uniform(size=n) < p_churn)
    notice = pd.to_timedelta(rng.integers(0, 45, n), unit="D")
    churn_date = (renewal - notice).where(renewal - notice >= START, renewal).where(churned)
    growth = np.where(trait == "adopter", rng.lognormal(0.07, 0.10, n), rng.lognormal(-0.05, 0.1, n))
    arr_renewal = np.where(churned, 0.0, np.round(arr * growth, -2))
    arr_renewal = np.where(decided, arr_renewal, np.nan)

    team_names = list(TEAMS)
    team = rng.choice(team_names, size=n, p=[TEAMS[t][3] for t in team_names])
    owner = np.empty(n, dtype=object)
    for t in team_names:
        members = people.loc[people["team"] == t, "owner"].to_numpy()
        idx = np.flatnonzero(team == t)
        owner[idx] = rng.choice(members, size=idx.size)

    names = {f"{a} {b} {c}" for a in COMPANY_A for b in COMPANY_B for c in COMPANY_C}
    names = sorted(names)
    client_names = [names[i] for i in rng.choice(len(names), size=n, replace=False)]
    order = np.argsort(contract_start.values, kind="stable")
    df = pd.DataFrame({
        "name": client_names, "segment": segment, "owner": owner, "team": team,
        "contract_start": contract_start, "planned_go_live": planned, "actual_go_live": actual,
        "licensed_seats": seats.astype(int), "arr_start": arr.astype(int),
        "arr_renewal": arr_renewal, "renewal_date": renewal, "churn_date": churn_date,
        "_trait": trait, "_saturation": saturation, "_ramp": ramp_days,
    }).iloc[order].reset_index(drop=True)
    df.insert(0, "client_id", [f"C{i:04d}" for i in range(1, n + 1)])
    return df


def make_usage(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """Weekly active users from the go-live week until churn or AS_OF."""
    weeks = pd.date_range("2025-01-06", AS_OF - pd.Timedelta(days=6), freq="7D")
    live = clients[clients["actual_go_live"].notna()]
    c = np.repeat(np.arange(len(live)), len(weeks))
    w = np.tile(weeks.values, len(live))
    go = live["actual_go_live"].to_numpy()[c]
    end = live["churn_date"].fillna(AS_OF).to_numpy()[c]
    keep = (w + np.timedelta64(6, "D") >= go) & (w <= end)
    c, w, go = c[keep], w[keep], go[keep]
    age = (w - go) / np.timedelta64(1, "D") + 3.5
    sat = live["_saturation"].to_numpy()[c]
    ramp = 1 - np.exp(-np.maximum(age, 0) / live["_ramp"].to_numpy()[c])
    decline = np.where(live["_trait"].to_numpy()[c] == "decliner",
                       np.exp(-np.maximum(age - 150, 0) / 120), 1.0)
    seats = live["licensed_seats"].to_numpy()[c]
    share = np.clip(sat * ramp * decline * rng.normal(1.0, 0.08, c.size), 0, 1)
    holiday = rng.uniform(size=c.size) < 0.03
    active = rng.binomial(seats, np.where(holiday, share * 0.4, share))
    return pd.DataFrame({"client_id": live["client_id"].to_numpy()[c],
                         "week_start": pd.DatetimeIndex(w), "active_users": active})


def make_activities(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    """Touchpoints (monthly), EBRs (quarterly) and cross-sell leads per client."""
    months = pd.date_range(START, AS_OF, freq="MS")
    n, m = len(clients), len(months)
    c = np.repeat(np.arange(n), m)
    ms = np.tile(months.values, n)
    active = (clients["contract_start"].to_numpy()[c] <= ms) & (
        clients["churn_date"].fillna(AS_OF + pd.Timedelta(days=1)).to_numpy()[c] > ms)
    seg = clients["segment"].to_numpy()[c]
    live = clients["actual_go_live"].fillna(AS_OF + pd.Timedelta(days=1)).to_numpy()[c] <= ms
    tp_rate = np.select([seg == "Enterprise", seg == "Mid-Market"], [3.0, 1.5], 0.6)
    ebr_rate = np.where(live, np.select([seg == "Enterprise", seg == "Mid-Market"],
                                        [0.30, 0.13], 0.02), 0.0)
    lead_rate = np.where(live, np.select([seg == "Enterprise", seg == "Mid-Market"],
                                         [0.07, 0.03], 0.01), 0.0)
    frames = []
    for kind, rate in (("touchpoint", tp_rate), ("ebr", ebr_rate), ("cross_sell_lead", lead_rate)):
        k = rng.poisson(np.where(active, rate, 0.0))
        idx = np.repeat(np.arange(c.size), k)
        day = rng.integers(0, 28, idx.size)
        date = ms[idx] + day.astype("timedelta64[D]")
        ci = c[idx]
        frames.append(pd.DataFrame({
            "date": pd.DatetimeIndex(date), "owner": clients["owner"].to_numpy()[ci],
            "team": clients["team"].to_numpy()[ci], "client_id": clients["client_id"].to_numpy()[ci],
            "kind": kind}))
    df = pd.concat(frames).sort_values(["date", "client_id", "kind"], kind="stable")
    df = df[df["date"] <= AS_OF].reset_index(drop=True)
    df.insert(0, "activity_id", [f"A{i:06d}" for i in range(1, len(df) + 1)])
    return df


def main() -> None:
    """Write the four CSVs next to this script."""
    rng = np.random.default_rng(SEED)
    people = make_people(rng)
    clients = make_clients(rng, people)
    usage = make_usage(rng, clients)
    activities = make_activities(rng, clients)
    date_fmt = "%Y-%m-%d"
    people.to_csv(OUT / "people.csv", index=False)
    public = clients.drop(columns=[c for c in clients.columns if c.startswith("_")])
    public["arr_renewal"] = public["arr_renewal"].astype("Int64")
    public.to_csv(OUT / "clients.csv", index=False, date_format=date_fmt)
    usage.to_csv(OUT / "usage_weekly.csv", index=False, date_format=date_fmt)
    activities.to_csv(OUT / "activities.csv", index=False, date_format=date_fmt)


if __name__ == "__main__":
    main()
