"""Estimated economic and social cost of the crimes the police recorded, per area.

Method
------
1. **Unit costs.** Home Office, *The economic and social costs of crime*, second edition
   (Heeks, Reed, Tafsiri and Prince, Research Report 99, July 2018), Table 1: the average
   cost of one crime in 2015/16 prices, adding costs in anticipation of crime (e.g. security
   spending), as a consequence (property, physical and emotional harm, lost output, health
   and victim services) and in response (police and criminal justice). The figures we use
   are in ``data/unit_costs_of_crime_2015_16.csv``; only figures we could read in a stored
   public source are there (see ``data/PROVENANCE.md``). A group whose unit cost we could
   not find is **not costed**: it is shown as such, never guessed.
2. **Mapping.** Each of the 23 offence groups of the Home Office CSP table is mapped to one
   unit-cost category (:data:`COST_MAPPING`, written out in ``docs/strategic.md``). Where a
   recorded group mixes categories with different unit costs and the table does not split
   them (sexual offences = rape + other; criminal damage and arson; vehicle offences), the
   lower unit cost is applied to the whole group and the figure is marked as a lower bound
   or approximation. Crimes against society (drugs, weapons possession, public order,
   miscellaneous) are outside the report's scope and not costed.
3. **Recorded crimes only.** The report's unit costs are the average over all crimes,
   reported to the police or not, and its totals multiply them by estimated total crime
   (police recorded crime grossed up by multipliers from the Crime Survey). We multiply the
   unit cost by the number of crimes the police *recorded* and do not gross up, so the
   estimate is the cost of recorded crime only; the full cost of crime, including crimes
   never reported, is higher.
4. **Uprating.** 2015/16 prices are uprated to 2024 prices with HM Treasury's GDP deflator
   at market prices (December 2025 Quarterly National Accounts, calendar years,
   2024 = 100; ``data/gdp_deflator_hmt_dec2025.csv``). The financial year 2015/16 is three
   quarters 2015 and one quarter 2016, so its index is 0.75 x 75.1536 + 0.25 x 76.4554 =
   75.4791 and the uprating factor is 100 / 75.4791 = 1.32487.
5. **Per 1,000 people** divides by the area's ONS mid-year population (the latest bundled,
   mid-2022, as for the recorded-crime rates).

The result is an *estimate*, and every screen and export that shows it says so and names
the source.

References
----------
Heeks, M., Reed, S., Tafsiri, M. and Prince, S. (2018) The economic and social costs of
crime, second edition. Home Office Research Report 99.
https://www.gov.uk/government/publications/the-economic-and-social-costs-of-crime
HM Treasury, GDP deflators at market prices, and money GDP (December 2025).
https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from csa.catalogue import RECORDED_CRIME_GROUPS

UNIT_COST_FILE = "unit_costs_of_crime_2015_16.csv"
DEFLATOR_FILE = "gdp_deflator_hmt_dec2025.csv"
BASE_PRICE_YEAR = "2015/16"
TARGET_PRICE_YEAR = 2024

SOURCE = (
    "Home Office, The economic and social costs of crime, second edition (Heeks, Reed, "
    "Tafsiri and Prince, Research Report 99, 2018), Table 1 unit costs in 2015/16 prices, "
    "uprated to 2024 prices with HM Treasury's GDP deflator (December 2025). Applied to "
    "police recorded crime, year ending June 2025 (Home Office CSP table, OGL v3.0)."
)
ESTIMATE_LABEL = (
    "Estimate: the cost of the crimes the police recorded, using national average unit "
    "costs. Crimes never reported to the police are not included, and several offence "
    "groups are not costed, so the full cost of crime is higher."
)

#: How each recorded-crime group is costed: code -> (unit-cost category or None, basis,
#: note). Bases: "unit cost" (the category's unit cost), "lower bound" (the lowest unit
#: cost of the categories the group mixes), "approximation", "not costed", "sum" (a parent
#: group: the sum of its costed parts).
COST_MAPPING: dict[str, tuple[str | None, str, str]] = {
    "REC-TOTAL": (None, "sum", "The sum of the costed groups below; the rest is not costed."),
    "REC-VAP": (None, "sum", "Homicide + violence with injury; the other parts are not "
                             "costed."),
    "REC-HOM": ("Homicide", "unit cost",
                "The unit cost is the published figure rounded to £0.1 million (£3.2m)."),
    "REC-DSIUD": (None, "not costed",
                  "No unit cost for death or serious injury by unlawful driving in the "
                  "report's categories."),
    "REC-VWI": ("Violence with injury", "unit cost", ""),
    "REC-VWOI": (None, "not costed",
                 "The report has a unit cost for violence without injury, but we could not "
                 "read the figure in a stored source, so it is not costed rather than guessed."),
    "REC-STALK": (None, "not costed",
                  "No unit cost available to us for stalking and harassment."),
    "REC-SEX": ("Other sexual offences", "lower bound",
                "The CSP table does not separate rape (unit cost £39,360) from other sexual "
                "offences (£6,520); all are costed at £6,520, so this is a lower bound."),
    "REC-ROB": ("Robbery", "unit cost",
                "The report's robbery cost is for robbery of individuals; the few business "
                "robberies in the recorded figures are costed the same."),
    "REC-THEFT": (None, "sum", "Vehicle offences only; the other theft groups are not "
                               "costed."),
    "REC-BURG": (None, "sum", "Neither burglary group is costed."),
    "REC-RBURG": (None, "not costed",
                  "The report has a unit cost for domestic burglary, but we could not read "
                  "the figure in a stored source."),
    "REC-NRBURG": (None, "not costed",
                   "The report's commercial burglary costs are by business sector; not "
                   "available to us."),
    "REC-VEH": ("Theft from vehicle", "approximation",
                "Vehicle offences mix theft of a vehicle (£10,290), theft from a vehicle "
                "(£870) and interference; the table does not split them, so all are costed "
                "at £870, the lower unit cost."),
    "REC-TFTP": (None, "not costed", "Unit cost for theft from the person not available to "
                                     "us."),
    "REC-BIKE": (None, "not costed", "No unit cost available to us for bicycle theft."),
    "REC-SHOP": (None, "not costed", "The report's shoplifting cost (a crime against "
                                     "business) was not available to us."),
    "REC-OTHTHEFT": (None, "not costed", "No unit cost available to us for other theft."),
    "REC-CDA": ("Criminal damage - other", "lower bound",
                "Arson (£8,420) is not separated from other criminal damage (£1,350) in the "
                "table; all are costed at £1,350, so this is a lower bound."),
    "REC-DRUG": (None, "not costed", "A crime against society: outside the report's scope."),
    "REC-WEAP": (None, "not costed", "A crime against society: outside the report's scope."),
    "REC-PUBORD": (None, "not costed", "A crime against society: outside the report's "
                                       "scope."),
    "REC-MISC": (None, "not costed", "A crime against society: outside the report's scope."),
}

#: Parent groups and the groups they are the sum of (checked against the data in tests).
PARENTS: dict[str, tuple[str, ...]] = {
    "REC-VAP": ("REC-HOM", "REC-DSIUD", "REC-VWI", "REC-VWOI", "REC-STALK"),
    "REC-BURG": ("REC-RBURG", "REC-NRBURG"),
    "REC-THEFT": ("REC-BURG", "REC-VEH", "REC-TFTP", "REC-BIKE", "REC-SHOP",
                  "REC-OTHTHEFT"),
    "REC-TOTAL": ("REC-VAP", "REC-SEX", "REC-ROB", "REC-THEFT", "REC-CDA", "REC-DRUG",
                  "REC-WEAP", "REC-PUBORD", "REC-MISC"),
}
LEAVES = tuple(code for _c, code, _t in RECORDED_CRIME_GROUPS if code not in PARENTS)


@dataclass(frozen=True)
class Uprating:
    """The deflator values used and the factor they give."""

    base_index: float
    target_index: float
    factor: float
    description: str


def load_unit_costs(data_dir: Path) -> pd.DataFrame:
    """The unit-cost table: ho_category, unit_cost_gbp (2015/16 prices), precision, source."""
    path = Path(data_dir) / UNIT_COST_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: unit-cost table is missing (see data/PROVENANCE.md)")
    df = pd.read_csv(path)
    missing = {"ho_category", "unit_cost_gbp", "price_year"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
    if (df["price_year"].astype(str) != BASE_PRICE_YEAR).any():
        raise ValueError(f"{path}: every unit cost must be in {BASE_PRICE_YEAR} prices")
    return df


def uprating(data_dir: Path) -> Uprating:
    """Factor from 2015/16 to 2024 prices from the bundled GDP deflator (see module doc)."""
    path = Path(data_dir) / DEFLATOR_FILE
    defl = pd.read_csv(path).set_index("calendar_year")["gdp_deflator_2024_100"]
    return uprating_from(float(defl[2015]), float(defl[2016]), float(defl[TARGET_PRICE_YEAR]))


def uprating_from(index_2015: float, index_2016: float, index_target: float) -> Uprating:
    """2015/16 index = 3/4 of calendar 2015 + 1/4 of calendar 2016; factor = target / base."""
    base = 0.75 * index_2015 + 0.25 * index_2016
    factor = index_target / base
    return Uprating(base, index_target, factor,
                    f"GDP deflator (HM Treasury, Dec 2025, 2024 = 100): 2015/16 = 0.75 x "
                    f"{index_2015:g} + 0.25 x {index_2016:g} = {base:.4f}; 2024 = "
                    f"{index_target:g}; factor {factor:.5f}")


def mapping_table(unit_costs: pd.DataFrame) -> pd.DataFrame:
    """The mapping as a table: code, title, category, unit cost (2015/16), basis, note."""
    costs = unit_costs.set_index("ho_category")["unit_cost_gbp"]
    rows = []
    for _col, code, title in RECORDED_CRIME_GROUPS:
        category, basis, note = COST_MAPPING[code]
        if category is not None and category not in costs.index:
            raise ValueError(f"{code}: unit-cost category {category!r} is not in "
                             f"{UNIT_COST_FILE}")
        rows.append({"indicator_code": code, "offence_group": title,
                     "ho_category": category or "",
                     "unit_cost_2015_16": float(costs[category]) if category else np.nan,
                     "basis": basis, "note": note})
    return pd.DataFrame(rows)


def cost_of_crime(counts: pd.DataFrame, populations: pd.Series, unit_costs: pd.DataFrame,
                  up: Uprating) -> pd.DataFrame:
    """Estimated cost per area and offence group.

    Parameters
    ----------
    counts : DataFrame
        area_code, indicator_code (REC-*), count (recorded crimes).
    populations : Series
        Population indexed by area_code (areas missing from it get no per-1,000 figure).
    unit_costs : DataFrame
        From :func:`load_unit_costs`.
    up : Uprating
        From :func:`uprating`.

    Returns
    -------
    DataFrame
        area_code, indicator_code, offence_group, count, basis, ho_category,
        unit_cost_2015_16, unit_cost_2024, cost_2024 (NaN when not costed), costed_count,
        population, cost_per_1000, note. Parent groups are the sum of their costed parts
        and carry costed_count, so coverage = costed_count / count.
    """
    mapping = mapping_table(unit_costs).set_index("indicator_code")
    data = counts.pivot_table(index="area_code", columns="indicator_code", values="count",
                              aggfunc="sum")
    rows = []
    for area, row in data.iterrows():
        costs: dict[str, float] = {}
        costed: dict[str, float] = {}
        for code in LEAVES:
            n = float(row.get(code, np.nan))
            unit = mapping.loc[code, "unit_cost_2015_16"]
            if np.isnan(unit) or np.isnan(n):
                costs[code], costed[code] = np.nan, 0.0
            else:
                costs[code], costed[code] = n * unit * up.factor, n
        for parent in ("REC-VAP", "REC-BURG", "REC-THEFT", "REC-TOTAL"):  # bottom-up order
            parts = [costs[c] for c in PARENTS[parent]]
            known = [p for p in parts if not np.isnan(p)]
            costs[parent] = float(sum(known)) if known else np.nan
            costed[parent] = float(sum(costed[c] for c in PARENTS[parent]))
        pop = populations.get(area, np.nan)
        for _col, code, title in RECORDED_CRIME_GROUPS:
            m = mapping.loc[code]
            cost = costs[code]
            unit = m["unit_cost_2015_16"]
            rows.append({
                "area_code": area, "indicator_code": code, "offence_group": title,
                "count": float(row.get(code, np.nan)), "basis": m["basis"],
                "ho_category": m["ho_category"], "unit_cost_2015_16": unit,
                "unit_cost_2024": unit * up.factor if not np.isnan(unit) else np.nan,
                "cost_2024": cost, "costed_count": costed[code], "population": pop,
                "cost_per_1000": cost / pop * 1000 if pop and not np.isnan(cost) else np.nan,
                "note": m["note"],
            })
    return pd.DataFrame(rows)


def recorded_counts(observations: pd.DataFrame) -> pd.DataFrame:
    """area_code, indicator_code, count from current REC-* observations (numerators)."""
    rec = observations[observations["indicator_code"].astype(str).str.startswith("REC-")]
    return (rec.rename(columns={"numerator": "count"})[["area_code", "indicator_code", "count"]]
            .reset_index(drop=True))


def with_groupings(costs: pd.DataFrame, members: pd.DataFrame,
                   populations: pd.Series) -> pd.DataFrame:
    """Add policing areas, Lancashire-12 and pan-Lancashire by summing members' costs and
    counts (Unassigned crimes count toward pan-Lancashire only, as for the rates)."""
    out = [costs]
    for group, grp in members.groupby("group_code"):
        part = costs[costs["area_code"].isin(set(grp["member_code"]))]
        if part.empty:
            continue
        summed = (part.groupby("indicator_code", sort=False)
                  .agg(count=("count", "sum"),
                       cost_2024=("cost_2024", lambda s: s.sum(min_count=1)),
                       costed_count=("costed_count", "sum"))
                  .reset_index())
        first = part.drop_duplicates("indicator_code").set_index("indicator_code")
        for col in ("offence_group", "basis", "ho_category", "unit_cost_2015_16",
                    "unit_cost_2024", "note"):
            summed[col] = summed["indicator_code"].map(first[col])
        pop = populations.get(group, np.nan)
        summed["area_code"] = group
        summed["population"] = pop
        summed["cost_per_1000"] = summed["cost_2024"] / pop * 1000 if pop else np.nan
        out.append(summed[costs.columns])
    return pd.concat(out, ignore_index=True)


def cost_table(db, data_dir: Path) -> pd.DataFrame:
    """The cost of crime per area (partnerships, policing areas, Lancashire-12,
    pan-Lancashire; Unassigned included for the force total) and offence group, with area
    names: :func:`cost_of_crime` then :func:`with_groupings` on the current figures."""
    from csa.strategic.population import area_populations

    rec = [c for c in db.indicators()["code"] if str(c).startswith("REC-")]
    obs = db.observations(indicator_codes=rec)
    members = db.area_members()
    pops = area_populations(db.populations(), members)
    table = cost_of_crime(recorded_counts(obs), pops, load_unit_costs(data_dir),
                          uprating(data_dir))
    table = with_groupings(table, members, pops)
    areas = db.areas()
    table.insert(1, "area", table["area_code"].map(dict(zip(areas["code"], areas["name"],
                                                            strict=True))))
    return table
