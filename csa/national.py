"""Lancashire's place in England and Wales: police recorded crime per 1,000 residents for
every Community Safety Partnership and police force, year ending June 2025.

Sources (bundled, read-only; see data/PROVENANCE.md):

* Home Office Table C2 (every CSP in England and Wales, with each force's total and its
  "Unassigned" crimes) and Table P1 (forces, regions, England, Wales, England and Wales);
* ONS mid-2023 population estimates: local authorities, regions and countries, and the
  CSP and force populations derived from them by exact code match (a CSP or force whose
  population cannot be matched exactly has none and is **not ranked**: ranks say "of N").

Method
------
* Rate = recorded crimes / mid-2023 population x 1,000; 95% CI by Byar's method (exact
  Poisson below 10 events), :func:`csa.stats.rate_ci`.
* Significance against England and Wales, England and the North West: Fingertips'
  overlapping-CI method (:func:`csa.benchmark.compare`): similar when the comparator's rate
  lies inside the area's interval, otherwise better or worse (fewer crimes is better).
* Rank: 1 = the lowest rate, equal rates share a rank (``min``), among areas with a
  population.
* England and Wales in Table P1 includes British Transport Police's crimes (which are in
  no force or region), so its rate is a little above the sum of England and Wales.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from csa.benchmark import compare
from csa.stats import rate_ci

C2_FILE = "prc_csp_ye_jun2025_tableC2.csv"
P1_FILE = "prc_pfa_ye_jun2025_tableP1.csv"
CSP_POPULATION_FILE = "csp_population_mid2023.csv"
PFA_POPULATION_FILE = "pfa_population_mid2023_from_las.csv"
HIGHER_POPULATION_FILE = "ons_mye2023_higher_geographies.csv"
PERIOD = "year ending June 2025"
POPULATION_VINTAGE = "ONS mid-2023 population estimates (published July 2024)"
LANCASHIRE_FORCE = "E23000003"
ENGLAND_AND_WALES = "K04000001"
ENGLAND = "E92000001"
NORTH_WEST = "E12000002"
BENCHMARKS = {ENGLAND_AND_WALES: "England and Wales", ENGLAND: "England", NORTH_WEST: "North West"}

#: Offence groups: Table C2 column and title (Table P1 uses the same column names).
OFFENCE_GROUPS = {
    "total_recorded_crime_excluding_fraud": "Total recorded crime (excluding fraud)",
    "violence_against_the_person": "Violence against the person",
    "homicide": "Homicide",
    "death_or_serious_injury_caused_by_illegal_driving": "Death or serious injury caused by "
    "unlawful driving",
    "violence_with_injury": "Violence with injury",
    "violence_without_injury": "Violence without injury",
    "stalking_and_harassment": "Stalking and harassment",
    "sexual_offences": "Sexual offences",
    "robbery": "Robbery",
    "theft_offences": "Theft offences",
    "burglary": "Burglary",
    "residential_burglary": "Residential burglary",
    "non_residential_burglary": "Non-residential burglary",
    "vehicle_offences": "Vehicle offences",
    "theft_from_the_person": "Theft from the person",
    "bicycle_theft": "Bicycle theft",
    "shoplifting": "Shoplifting",
    "all_other_theft_offences": "All other theft offences",
    "criminal_damage_and_arson": "Criminal damage and arson",
    "drug_offences": "Drug offences",
    "possession_of_weapons_offences": "Possession of weapons offences",
    "public_order_offences": "Public order offences",
    "miscellaneous_crimes_against_society": "Miscellaneous crimes against society",
}
TOTAL = "total_recorded_crime_excluding_fraud"


def _read(data_dir: Path, name: str) -> pd.DataFrame:
    path = Path(data_dir) / name
    if not path.exists():
        raise FileNotFoundError(f"{path}: bundled national file is missing (data/PROVENANCE.md)")
    return pd.read_csv(path)


def table_c2(data_dir: Path) -> pd.DataFrame:
    return _read(data_dir, C2_FILE)


def table_p1(data_dir: Path) -> pd.DataFrame:
    return _read(data_dir, P1_FILE)


def c2_reconciliation(c2: pd.DataFrame) -> pd.DataFrame:
    """Per force and offence group: force total, sum of its CSP, Unassigned and other rows.

    Forces with no force-total row (City of London, a single CSP) are left out. Blank
    cells (Surrey's Unassigned row is blank in the source) add nothing.
    """
    totals = c2[c2["row_type"] == "force_total"].set_index("pfa_code")[list(OFFENCE_GROUPS)]
    parts = (
        c2[c2["row_type"].isin(["csp", "unassigned", "other_area"])]
        .groupby("pfa_code")[list(OFFENCE_GROUPS)]
        .sum(min_count=1)
    )
    rows = []
    for pfa, tot in totals.iterrows():
        for col in OFFENCE_GROUPS:
            rows.append(
                {
                    "pfa_code": pfa,
                    "offence": col,
                    "force_total": tot[col],
                    "parts_sum": parts.at[pfa, col] if pfa in parts.index else np.nan,
                }
            )
    out = pd.DataFrame(rows)
    out["reconciles"] = out["force_total"] == out["parts_sum"]
    return out


def _with_rates(df: pd.DataFrame, polarity: str = "low_is_good") -> pd.DataFrame:
    """Add rate, lower, upper (per 1,000) where count and population are known."""
    vals = [
        rate_ci(c, p, 1000) if pd.notna(c) and pd.notna(p) and p > 0 else (np.nan,) * 3
        for c, p in zip(df["count"], df["population"], strict=True)
    ]
    df = df.copy()
    df["rate"] = [v[0] for v in vals]
    df["lower"] = [v[1] for v in vals]
    df["upper"] = [v[2] for v in vals]
    ranked = df["rate"].notna()
    df["rank"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df.loc[ranked, "rank"] = df.loc[ranked, "rate"].rank(method="min").astype("Int64")
    df["of"] = int(ranked.sum())
    return df


def csp_rates(data_dir: Path, offence: str = TOTAL) -> pd.DataFrame:
    """Every CSP in England and Wales: count, mid-2023 population (blank when it cannot be
    matched exactly), rate per 1,000 with 95% CI, and rank among CSPs with a population."""
    _check_offence(offence)
    c2 = table_c2(data_dir)
    pop = _read(data_dir, CSP_POPULATION_FILE)[["csp_code", "population_mid2023"]]
    csp = c2[c2["row_type"] == "csp"][["pfa_code", "pfa_name", "csp_code", "csp_name", offence]]
    df = csp.rename(columns={offence: "count", "csp_code": "area_code", "csp_name": "area_name"})
    df = df.merge(
        pop.rename(columns={"csp_code": "area_code", "population_mid2023": "population"}),
        on="area_code",
        how="left",
    )
    return _with_rates(df).reset_index(drop=True)


def force_rates(data_dir: Path, offence: str = TOTAL) -> pd.DataFrame:
    """The 43 forces (Table P1): count, population (blank unless every CSP resolves), rate
    per 1,000 with 95% CI, rank among forces with a population, and each force's region."""
    _check_offence(offence)
    p1 = table_p1(data_dir)
    region, regions = None, []
    for r in p1.itertuples(index=False):  # forces follow their region in Table P1
        if r.area_type in ("region", "country"):
            region = r.area_code if r.area_type == "region" else None
        regions.append(region)
    p1 = p1.assign(region_code=regions)
    if "Wales" in set(p1["area_name"].str.title()):
        wales = p1.index[p1["area_name"].str.title() == "Wales"][0]
        p1.loc[p1.index > wales, "region_code"] = p1.loc[wales, "area_code"]
    forces = p1[p1["area_type"] == "force"]
    pop = _read(data_dir, PFA_POPULATION_FILE)[["pfa_code", "pfa_population_mid2023"]]
    df = forces[["area_code", "area_name", "region_code", offence]].rename(
        columns={offence: "count"}
    )
    df = df.merge(
        pop.rename(columns={"pfa_code": "area_code", "pfa_population_mid2023": "population"}),
        on="area_code",
        how="left",
    )
    return _with_rates(df).reset_index(drop=True)


def benchmark_rates(data_dir: Path, offence: str = TOTAL) -> pd.DataFrame:
    """England and Wales, England and the North West: count, population, rate and CI."""
    _check_offence(offence)
    p1 = table_p1(data_dir).set_index("area_code")
    pop = _read(data_dir, HIGHER_POPULATION_FILE).set_index("area_code")["population"]
    df = pd.DataFrame(
        {
            "area_code": list(BENCHMARKS),
            "area_name": list(BENCHMARKS.values()),
            "count": [p1.at[c, offence] for c in BENCHMARKS],
            "population": [pop[c] for c in BENCHMARKS],
        }
    )
    return _with_rates(df).drop(columns=["rank", "of"])


def lancashire_position(data_dir: Path, offence: str = TOTAL) -> pd.DataFrame:
    """The force and its 14 CSPs on one offence group, against England and Wales, England
    and the North West, with ranks among all CSPs (or all forces) with a population.

    Returns one row per area: level ("force" or "partnership"), area_code, area_name, count,
    population, rate, lower, upper, rank, of, and for each benchmark ``vs_<code>``
    ("better", "similar", "worse" or "not compared").
    """
    csps = csp_rates(data_dir, offence)
    forces = force_rates(data_dir, offence)
    bench = benchmark_rates(data_dir, offence).set_index("area_code")["rate"]
    mine = pd.concat(
        [
            forces[forces["area_code"] == LANCASHIRE_FORCE].assign(level="force"),
            csps[csps["pfa_code"] == LANCASHIRE_FORCE].assign(level="partnership"),
        ],
        ignore_index=True,
    )
    for code in BENCHMARKS:
        mine[f"vs_{code}"] = [
            compare(v, lo, hi, bench[code], "low_is_good")
            for v, lo, hi in zip(mine["rate"], mine["lower"], mine["upper"], strict=True)
        ]
    mine["offence"] = offence
    cols = [
        "offence",
        "level",
        "area_code",
        "area_name",
        "count",
        "population",
        "rate",
        "lower",
        "upper",
        "rank",
        "of",
        *[f"vs_{c}" for c in BENCHMARKS],
    ]
    return mine[cols]


def all_offences_position(data_dir: Path) -> pd.DataFrame:
    """:func:`lancashire_position` for every offence group, one frame."""
    return pd.concat([lancashire_position(data_dir, o) for o in OFFENCE_GROUPS], ignore_index=True)


def _check_offence(offence: str) -> None:
    if offence not in OFFENCE_GROUPS:
        raise ValueError(f"offence must be a Table C2 column such as {TOTAL!r}, not {offence!r}")


# -- any of our areas: a partnership, the force, or a grouping added up from partnerships --
#: Why an aggregate of partnerships has no rank.
NO_RANK = (
    "not ranked: {name} is neither a partnership nor a force, so nothing in England and "
    "Wales is like it to rank it among"
)
VERDICT_WORDS = {
    "better": "significantly lower than",
    "worse": "significantly higher than",
    "similar": "not significantly different from",
    "not compared": "not compared with",
}


def offence_rates(data_dir: Path) -> pd.DataFrame:
    """Every partnership, force and benchmark for every offence group, one long frame:
    offence, level ("partnership", "force" or "benchmark"), area_code, area_name, pfa_code,
    count, population, rate, lower, upper, rank, of. This is what :func:`area_position`
    reads; the app computes it once per data directory."""
    frames = []
    for o in OFFENCE_GROUPS:
        frames += [
            csp_rates(data_dir, o).assign(level="partnership", offence=o),
            force_rates(data_dir, o).assign(
                level="force", offence=o, pfa_code=lambda d: d["area_code"]
            ),
            benchmark_rates(data_dir, o).assign(level="benchmark", offence=o),
        ]
    cols = ["offence", "level", "area_code", "area_name", "pfa_code", "count", "population"]
    cols += ["rate", "lower", "upper", "rank", "of"]
    return pd.concat(frames, ignore_index=True)[cols]


def members_for(area_code: str, areas: pd.DataFrame, area_members: pd.DataFrame):
    """How one of our areas meets the national tables: ``("force", [code])`` for
    pan-Lancashire, ``("partnership", [csp_code])`` for a district or unitary (its own CSP
    row) and ``("aggregate", [csp codes])`` for a policing area or Lancashire-12 (its member
    districts' and unitaries' CSPs). ``(None, [])`` for an area with no such row."""
    row = areas.set_index("code")
    if area_code not in row.index:
        return None, []
    kind = row.at[area_code, "kind"]
    if area_code == LANCASHIRE_FORCE or kind == "pan":
        return "force", [LANCASHIRE_FORCE]
    if kind in ("district", "unitary"):
        csp = row.at[area_code, "csp_code"]
        return ("partnership", [str(csp)]) if pd.notna(csp) else (None, [])
    members = area_members.loc[area_members["group_code"] == area_code, "member_code"]
    csps = [str(row.at[m, "csp_code"]) for m in members if pd.notna(row.at[m, "csp_code"])]
    if not csps or len(csps) != len(members):
        return None, []
    return "aggregate", sorted(csps)


def withheld(published: pd.DataFrame, areas: pd.DataFrame, area_members: pd.DataFrame) -> dict:
    """Which Home Office counts a viewer may not see, from our published figures' flags.

    The count of one of our partnerships (Table C2) or of the force (Table P1) on an offence
    group is also our published recorded-crime figure (``REC-*``, :data:`RECORDED_CRIME_PERIOD
    <csa.catalogue.RECORDED_CRIME_PERIOD>`) for that district or unitary, or pan-Lancashire.
    Where the publication hides that figure from an audience (a small number, or a count that
    would give a small one away) the national tables must hide it too, as must its rate, rank
    and comparisons.

    Parameters
    ----------
    published : DataFrame
        The audience's published ``REC-*`` figures: indicator_code, area_code, hidden,
        value_text (why it is hidden, e.g. "fewer than 5").
    areas, area_members : DataFrame
        Our areas (code, kind, csp_code) and groupings, to find each area's national row
        (:func:`members_for`).

    Returns
    -------
    dict
        ``{offence (an OFFENCE_GROUPS column): {national area code: why}}`` for the hidden
        figures only.
    """
    from csa.catalogue import RECORDED_CRIME_GROUPS  # the offence groups by title

    offence_of = {title: col for col, title in OFFENCE_GROUPS.items()}
    offences = {code: offence_of[title] for _c, code, title in RECORDED_CRIME_GROUPS}
    out: dict[str, dict[str, str]] = {}
    rows = published[published["hidden"].astype(bool)]
    national_code = {}
    for code, area, why in zip(
        rows["indicator_code"], rows["area_code"], rows["value_text"], strict=True
    ):
        if code not in offences:
            continue
        if area not in national_code:
            level, codes = members_for(area, areas, area_members)
            national_code[area] = codes[0] if level in ("force", "partnership") else None
        if national_code[area] is not None:
            out.setdefault(offences[code], {})[national_code[area]] = why
    return out


def area_position(rates, codes: list[str], level: str = "partnership") -> pd.DataFrame:
    """One area on every offence group against England and Wales, England and the North
    West.

    ``rates`` is :func:`offence_rates` (or a data directory, read now). ``level`` is
    "force" (``codes`` = one force code: its Table P1 row, ranked among forces),
    "partnership" (one CSP code: its Table C2 row, ranked among partnerships) or
    "aggregate" (several CSP codes: their counts and populations **added up**, never their
    rates averaged; not ranked, see :data:`NO_RANK`). A member with no count or no
    population leaves the aggregate without one (not a partial sum).

    Returns one row per offence group (in :data:`OFFENCE_GROUPS` order): offence, title,
    level, count, population, rate, lower, upper, rank, of, members, and ``vs_<code>`` and
    ``bench_<code>`` (the benchmark's rate) for each benchmark.
    """
    if not isinstance(rates, pd.DataFrame):
        rates = offence_rates(rates)
    if level not in ("force", "partnership", "aggregate"):
        raise ValueError(f"level must be force, partnership or aggregate, not {level!r}")
    if level != "aggregate" and len(codes) != 1:
        raise ValueError(f"a {level} is one code, not {len(codes)}")
    table = rates[rates["level"] == ("force" if level == "force" else "partnership")]
    mine = table[table["area_code"].isin(codes)]
    missing = set(codes) - set(mine["area_code"])
    if missing:
        raise ValueError(f"not in the national tables: {', '.join(sorted(missing))}")
    if level == "aggregate":
        n = len(set(codes))
        summed = mine.groupby("offence", sort=False)[["count", "population"]].sum(min_count=n)
        rows = []
        for offence, r in summed.iterrows():
            c, p = r["count"], r["population"]
            ok = pd.notna(c) and pd.notna(p) and p > 0
            rate, lo, hi = rate_ci(c, p, 1000) if ok else (np.nan,) * 3
            rows.append(
                {"offence": offence, "count": c, "population": p, "rate": rate}
                | {"lower": lo, "upper": hi, "rank": pd.NA, "of": pd.NA}
            )
        out = pd.DataFrame(rows)
    else:
        out = mine[["offence", "count", "population", "rate", "lower", "upper", "rank", "of"]]
        out = out.copy()
    out = out.set_index("offence").reindex(list(OFFENCE_GROUPS)).reset_index()
    out.insert(1, "title", out["offence"].map(OFFENCE_GROUPS))
    out.insert(2, "level", level)
    out["members"] = len(set(codes))
    bench = rates[rates["level"] == "benchmark"].set_index(["offence", "area_code"])["rate"]
    for code in BENCHMARKS:
        b = [bench.get((o, code), np.nan) for o in out["offence"]]
        out[f"bench_{code}"] = b
        out[f"vs_{code}"] = [
            compare(v, lo, hi, x, "low_is_good")
            for v, lo, hi, x in zip(out["rate"], out["lower"], out["upper"], b, strict=True)
        ]
    return out
