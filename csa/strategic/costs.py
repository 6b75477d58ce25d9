"""Estimated economic and social cost of the crimes the police recorded, per area.

Method
------
1. **Unit costs.** Home Office, *The economic and social costs of crime*, second edition
   (Heeks, Reed, Tafsiri and Prince, Research Report 99, July 2018), Table 1: the average
   cost of one crime in 2015/16 prices, adding costs in anticipation of crime (e.g. security
   spending), as a consequence (property, physical and emotional harm, lost output, health
   and victim services) and in response (police and criminal justice). The figures we use
   bundled in ``data/unit_costs_of_crime_2015_16.csv`` are only those we could read in a
   stored public source (see ``data/PROVENANCE.md``); the seed loads them into the
   ``unit_costs`` table, where an analyst can add a missing category's figure from the
   report, naming the source (:func:`set_unit_cost`, audited). A group whose unit cost is
   not held is **not costed**: it is shown as such, never guessed.
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
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from csa.access import require
from csa.catalogue import INDICATOR_PARTS, RECORDED_CRIME_GROUPS
from csa.db.core import utcnow
from csa.strategic.scoring import AssessmentError

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

#: The report's Table 1 categories for crimes against individuals that a group below is
#: costed with, or that a note refers to. An analyst may enter or correct the unit cost of
#: any of them (:func:`set_unit_cost`); the bundled figures cover those we could read.
REPORT_CATEGORIES = (
    "Homicide",
    "Violence with injury",
    "Violence without injury",
    "Rape",
    "Other sexual offences",
    "Robbery",
    "Domestic burglary",
    "Theft of vehicle",
    "Theft from vehicle",
    "Theft from the person",
    "Criminal damage - arson",
    "Criminal damage - other",
    "Cyber crime",
)

#: How each recorded-crime group is costed: code -> (unit-cost category or None, basis,
#: note). Bases: "unit cost" (the category's unit cost), "lower bound" (the lowest unit
#: cost of the categories the group mixes), "approximation", "not costed", "sum" (a parent
#: group: the sum of its costed parts). A group whose category has no unit cost held is
#: "not costed" until an analyst enters it. ``{Category}`` in a note is replaced by the
#: unit cost held (2015/16 prices).
COST_MAPPING: dict[str, tuple[str | None, str, str]] = {
    "REC-TOTAL": (None, "sum", "The sum of the costed groups below; the rest is not costed."),
    "REC-VAP": (None, "sum", "The sum of its costed parts below."),
    "REC-HOM": ("Homicide", "unit cost", ""),
    "REC-DSIUD": (
        None,
        "not costed",
        "No unit cost for death or serious injury by unlawful driving in the report's categories.",
    ),
    "REC-VWI": ("Violence with injury", "unit cost", ""),
    "REC-VWOI": ("Violence without injury", "unit cost", ""),
    "REC-STALK": (None, "not costed", "No unit cost available to us for stalking and harassment."),
    "REC-SEX": (
        "Other sexual offences",
        "lower bound",
        "The CSP table does not separate rape (unit cost {Rape}) from other sexual "
        "offences ({Other sexual offences}); all are costed at the lower, so this is "
        "a lower bound.",
    ),
    "REC-ROB": (
        "Robbery",
        "unit cost",
        "The report's robbery cost is for robbery of individuals; the few business "
        "robberies in the recorded figures are costed the same.",
    ),
    "REC-THEFT": (None, "sum", "The sum of its costed parts below."),
    "REC-BURG": (None, "sum", "The sum of its costed parts below."),
    "REC-RBURG": ("Domestic burglary", "unit cost", ""),
    "REC-NRBURG": (
        None,
        "not costed",
        "The report's commercial burglary costs are by business sector; not available to us.",
    ),
    "REC-VEH": (
        "Theft from vehicle",
        "approximation",
        "Vehicle offences mix theft of a vehicle ({Theft of vehicle}), theft from a "
        "vehicle ({Theft from vehicle}) and interference; the table does not split "
        "them, so all are costed at the theft-from-a-vehicle unit cost, the lower.",
    ),
    "REC-TFTP": ("Theft from the person", "unit cost", ""),
    "REC-BIKE": (None, "not costed", "No unit cost available to us for bicycle theft."),
    "REC-SHOP": (
        None,
        "not costed",
        "The report's shoplifting cost (a crime against business) was not available to us.",
    ),
    "REC-OTHTHEFT": (None, "not costed", "No unit cost available to us for other theft."),
    "REC-CDA": (
        "Criminal damage - other",
        "lower bound",
        "Arson ({Criminal damage - arson}) is not separated from other criminal "
        "damage ({Criminal damage - other}) in the table; all are costed at the "
        "lower, so this is a lower bound.",
    ),
    "REC-DRUG": (None, "not costed", "A crime against society: outside the report's scope."),
    "REC-WEAP": (None, "not costed", "A crime against society: outside the report's scope."),
    "REC-PUBORD": (None, "not costed", "A crime against society: outside the report's scope."),
    "REC-MISC": (None, "not costed", "A crime against society: outside the report's scope."),
}
NOT_HELD_NOTE = (
    "The report has a unit cost for {category}, but it was not in any source available to "
    "us, so the group is not costed rather than guessed. An analyst can enter it from the "
    "report's Table 1 (Cost of crime page, or `python -m csa strategic unit-cost`)."
)

#: Parent groups and the groups they are the sum of: the offence hierarchy defined with
#: the indicators (:data:`csa.catalogue.INDICATOR_PARTS`).
PARENTS = INDICATOR_PARTS
LEAVES = tuple(code for _c, code, _t in RECORDED_CRIME_GROUPS if code not in PARENTS)


@dataclass(frozen=True)
class Uprating:
    """The deflator values used and the factor they give."""

    base_index: float
    target_index: float
    factor: float
    description: str


def load_unit_costs(data_dir: Path) -> pd.DataFrame:
    """The bundled unit-cost file: ho_category, unit_cost_gbp (2015/16 prices), precision,
    source. The seed loads it into the database; the costs are computed from the database
    (:func:`held_unit_costs`), where analysts may add figures."""
    path = Path(data_dir) / UNIT_COST_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: unit-cost table is missing (see data/PROVENANCE.md)")
    df = pd.read_csv(path)
    missing = {"ho_category", "unit_cost_gbp", "price_year"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
    if (df["price_year"].astype(str) != BASE_PRICE_YEAR).any():
        raise ValueError(f"{path}: every unit cost must be in {BASE_PRICE_YEAR} prices")
    unknown = sorted(set(df["ho_category"]) - set(REPORT_CATEGORIES))
    if unknown:
        raise ValueError(f"{path}: unknown unit-cost categories {', '.join(unknown)}")
    return df


def bundled_unit_cost_rows(
    data_dir: Path, *, entered_by: str, entered_at: datetime
) -> pd.DataFrame:
    """The bundled unit costs as rows of the ``unit_costs`` table, for the seed."""
    df = load_unit_costs(data_dir)
    return pd.DataFrame(
        {
            "category": df["ho_category"],
            "unit_cost_gbp": df["unit_cost_gbp"].astype(float),
            "price_year": df["price_year"].astype(str),
            "precision": df.get("precision", pd.Series("as published", index=df.index)).fillna(
                "as published"
            ),
            "source": df.get("source", pd.Series("", index=df.index))
            .fillna("")
            .map(lambda s: f"{s} (bundled: data/{UNIT_COST_FILE}; see data/PROVENANCE.md)"),
            "entered_by": entered_by,
            "entered_at": entered_at,
        }
    )


def held_unit_costs(db) -> pd.DataFrame:
    """The unit costs in the database (bundled and analyst-entered), with the column names
    :func:`mapping_table` and :func:`cost_of_crime` use (``ho_category``)."""
    return db.unit_costs().rename(columns={"category": "ho_category"})


MAX_UNIT_COST = 10_000_000.0  # above the report's highest (homicide, about £3.2m)


def set_unit_cost(
    db, actor, category: str, unit_cost, source: str, precision: str = "as published"
) -> str:
    """Enter or correct the 2015/16 unit cost of one of :data:`REPORT_CATEGORIES`.

    Analysts and admins only (``edit_assessment``; a refusal is audited). The figure must be
    a number above 0 and at most £10m, and ``source`` must say where it was read (at least
    10 characters, e.g. "Heeks et al. (2018), Table 1, p.15"). Written with an audit entry
    holding the old and new figure, or nothing is written and
    :class:`~csa.strategic.scoring.AssessmentError` lists every problem. Returns "added",
    "changed" or "unchanged".
    """
    category = (category or "").strip()
    require(actor, "edit_assessment", db=db, target=f"unit cost {category}")
    problems = []
    if category not in REPORT_CATEGORIES:
        problems.append(
            f"category {category!r} is not one of the report's categories used "
            f"here: {', '.join(REPORT_CATEGORIES)}"
        )
    try:
        value = float(unit_cost)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value) or value <= 0 or value > MAX_UNIT_COST:
        problems.append(
            f"unit cost {unit_cost!r} must be a number of pounds above 0 and at "
            f"most £{MAX_UNIT_COST:,.0f} (2015/16 prices)"
        )
    source = (source or "").strip()
    if len(source) < 10:
        problems.append(
            "source must say where the figure was read, e.g. 'Heeks et al. "
            "(2018), Table 1, p.15' (at least 10 characters)"
        )
    precision = (precision or "").strip() or "as published"
    if len(precision) > 200:
        problems.append(f"precision is {len(precision)} characters; at most 200")
    if problems:
        raise AssessmentError(
            f"The unit cost for {category or '(no category)'} was not saved.", problems
        )
    with db.transaction() as conn:
        held = db.unit_costs(conn)
        old = held[held["category"] == category]
        before = None if old.empty else old.iloc[0]
        if (
            before is not None
            and float(before["unit_cost_gbp"]) == value
            and before["source"] == source
            and before["precision"] == precision
        ):
            return "unchanged"
        db.upsert_unit_cost(
            conn,
            {
                "category": category,
                "unit_cost_gbp": value,
                "price_year": BASE_PRICE_YEAR,
                "precision": precision,
                "source": source,
                "entered_by": actor.email,
                "entered_at": utcnow(),
            },
        )
        db.audit(
            conn,
            actor.email,
            "unit_cost_set",
            f"unit cost {category}",
            detail={
                "old": None if before is None else float(before["unit_cost_gbp"]),
                "new": value,
                "price_year": BASE_PRICE_YEAR,
                "source": source,
                "precision": precision,
            },
        )
    return "added" if before is None else "changed"


def uprating(data_dir: Path) -> Uprating:
    """Factor from 2015/16 to 2024 prices from the bundled GDP deflator (see module doc)."""
    path = Path(data_dir) / DEFLATOR_FILE
    defl = pd.read_csv(path).set_index("calendar_year")["gdp_deflator_2024_100"]
    return uprating_from(float(defl[2015]), float(defl[2016]), float(defl[TARGET_PRICE_YEAR]))


def uprating_from(index_2015: float, index_2016: float, index_target: float) -> Uprating:
    """2015/16 index = 3/4 of calendar 2015 + 1/4 of calendar 2016; factor = target / base."""
    base = 0.75 * index_2015 + 0.25 * index_2016
    factor = index_target / base
    return Uprating(
        base,
        index_target,
        factor,
        f"GDP deflator (HM Treasury, Dec 2025, 2024 = 100): 2015/16 = 0.75 x "
        f"{index_2015:g} + 0.25 x {index_2016:g} = {base:.4f}; 2024 = "
        f"{index_target:g}; factor {factor:.5f}",
    )


def mapping_table(unit_costs: pd.DataFrame) -> pd.DataFrame:
    """The mapping as a table: code, title, category, unit cost (2015/16), basis, note.

    A group whose category has no unit cost in ``unit_costs`` is "not costed", and its note
    says how to add the figure."""
    costs = unit_costs.set_index("ho_category")["unit_cost_gbp"]
    amounts = _Amounts({str(c): f"£{float(v):,.0f}" for c, v in costs.items()})
    rows = []
    for _col, code, title in RECORDED_CRIME_GROUPS:
        category, basis, note = COST_MAPPING[code]
        unit = np.nan
        if category is not None and category in costs.index:
            unit = float(costs[category])
        elif category is not None:
            basis, note = "not costed", NOT_HELD_NOTE.format(category=category.lower())
        rows.append(
            {
                "indicator_code": code,
                "offence_group": title,
                "ho_category": category or "",
                "unit_cost_2015_16": unit,
                "basis": basis,
                "note": note.format_map(amounts),
            }
        )
    return pd.DataFrame(rows)


class _Amounts(dict):
    """Unit costs for a note's ``{Category}`` fields; a category not held reads so."""

    def __missing__(self, key: str) -> str:
        return "not held"


def cost_of_crime(
    counts: pd.DataFrame, populations: pd.Series, unit_costs: pd.DataFrame, up: Uprating
) -> pd.DataFrame:
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
    data = counts.pivot_table(
        index="area_code", columns="indicator_code", values="count", aggfunc="sum"
    )
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
            rows.append(
                {
                    "area_code": area,
                    "indicator_code": code,
                    "offence_group": title,
                    "count": float(row.get(code, np.nan)),
                    "basis": m["basis"],
                    "ho_category": m["ho_category"],
                    "unit_cost_2015_16": unit,
                    "unit_cost_2024": unit * up.factor if not np.isnan(unit) else np.nan,
                    "cost_2024": cost,
                    "costed_count": costed[code],
                    "population": pop,
                    "cost_per_1000": cost / pop * 1000 if pop and not np.isnan(cost) else np.nan,
                    "note": m["note"],
                }
            )
    return pd.DataFrame(rows)


def recorded_counts(observations: pd.DataFrame) -> pd.DataFrame:
    """area_code, indicator_code, count from current REC-* observations (numerators)."""
    rec = observations[observations["indicator_code"].astype(str).str.startswith("REC-")]
    return rec.rename(columns={"numerator": "count"})[
        ["area_code", "indicator_code", "count"]
    ].reset_index(drop=True)


def with_groupings(
    costs: pd.DataFrame, members: pd.DataFrame, populations: pd.Series
) -> pd.DataFrame:
    """Add policing areas, Lancashire-12 and pan-Lancashire by summing members' costs and
    counts (Unassigned crimes count toward pan-Lancashire only, as for the rates)."""
    out = [costs]
    for group, grp in members.groupby("group_code"):
        part = costs[costs["area_code"].isin(set(grp["member_code"]))]
        if part.empty:
            continue
        summed = (
            part.groupby("indicator_code", sort=False)
            .agg(
                count=("count", "sum"),
                cost_2024=("cost_2024", lambda s: s.sum(min_count=1)),
                costed_count=("costed_count", "sum"),
            )
            .reset_index()
        )
        first = part.drop_duplicates("indicator_code").set_index("indicator_code")
        for col in (
            "offence_group",
            "basis",
            "ho_category",
            "unit_cost_2015_16",
            "unit_cost_2024",
            "note",
        ):
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
    table = cost_of_crime(recorded_counts(obs), pops, held_unit_costs(db), uprating(data_dir))
    table = with_groupings(table, members, pops)
    areas = db.areas()
    table.insert(
        1, "area", table["area_code"].map(dict(zip(areas["code"], areas["name"], strict=True)))
    )
    return table


def _leaves(code: str) -> list[str]:
    """The offence groups with no parts that ``code`` adds up (itself for a leaf)."""
    if code not in PARENTS:
        return [code]
    return [leaf for part in PARENTS[code] for leaf in _leaves(part)]


def excluding_words(titles: list[str]) -> str:
    """ "excluding homicide and violence with injury: hidden to protect a small number"."""
    names = [t[:1].lower() + t[1:] for t in titles]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"excluding {listed}: hidden to protect a small number"


def shown_costs(table: pd.DataFrame, hidden: pd.Series) -> pd.DataFrame:
    """The costs an audience may see: a hidden group's own figures are left out, and a
    parent group (and the total) adds up only its shown costed parts, saying which it leaves
    out.

    The cost of a shown group is its count times a published unit cost, so a sum of shown
    parts reveals nothing the parts do not; a hidden part's count (and so its cost) stays
    hidden, and the parent says so instead of hiding its own cost.

    Parameters
    ----------
    table : DataFrame
        :func:`cost_table` (or :func:`cost_of_crime`) rows: area_code, indicator_code,
        offence_group, cost_2024, costed_count, population.
    hidden : Series of str
        Aligned with ``table``: why each row's count is hidden from this audience ("" shown),
        the published figures' ``hidden``.

    Returns
    -------
    DataFrame
        A copy of ``table`` whose cost_2024, costed_count and cost_per_1000 are NaN for a
        hidden row and, for a parent, the sum over its shown costed leaf groups only; and
        ``excluding``: "" or e.g. "excluding homicide: hidden to protect a small number".
    """
    out = table.copy()
    out["hidden"] = hidden.reindex(table.index).fillna("").to_numpy()
    out["excluding"] = ""
    hidden_rows = out["hidden"] != ""
    out.loc[hidden_rows, ["cost_2024", "costed_count", "cost_per_1000"]] = np.nan
    titles = dict(zip(out["indicator_code"], out["offence_group"], strict=False))
    for _area, idx in out.groupby("area_code", sort=False).groups.items():
        rows = out.loc[idx].set_index("indicator_code")
        given = table.loc[idx].set_index("indicator_code")["cost_2024"]
        for parent in PARENTS:
            if parent not in rows.index or rows.loc[parent, "hidden"]:
                continue
            leaves = [c for c in _leaves(parent) if c in rows.index]
            costed = [c for c in leaves if pd.notna(given[c])]
            dropped = [c for c in costed if rows.loc[c, "hidden"]]
            if not dropped:
                continue
            kept = [c for c in costed if c not in dropped]
            cost = float(rows.loc[kept, "cost_2024"].sum()) if kept else np.nan
            pop = rows.loc[parent, "population"]
            at = idx[list(out.loc[idx, "indicator_code"]).index(parent)]
            out.loc[at, "cost_2024"] = cost
            out.loc[at, "costed_count"] = float(rows.loc[kept, "costed_count"].sum())
            out.loc[at, "cost_per_1000"] = (
                cost / pop * 1000 if pop and not pd.isna(pop) and not np.isnan(cost) else np.nan
            )
            out.loc[at, "excluding"] = excluding_words([titles[c] for c in dropped])
    return out


def common_basis(shown: pd.DataFrame, areas) -> tuple[pd.DataFrame, list[str]]:
    """The partnerships' totals on one basis, for comparing and ranking them.

    Where a costed group is hidden for some partnerships (:func:`shown_costs`), each
    partnership's own total leaves out different groups, and ranking those totals would not
    compare like with like. Here every partnership's total leaves out the same groups: each
    costed group hidden for any of them.

    Parameters
    ----------
    shown : DataFrame
        :func:`shown_costs` rows (area_code, indicator_code, offence_group, unit_cost_2024,
        cost_2024, costed_count, population, hidden).
    areas : iterable of str
        The partnerships compared.

    Returns
    -------
    (DataFrame, list of str)
        One row per partnership: area_code, cost_2024, costed_count, cost_per_1000 on the
        common basis; and the titles of the groups left out for all (empty when none is).
    """
    wanted = set(areas)
    leaves = shown[shown["area_code"].isin(wanted) & shown["indicator_code"].isin(LEAVES)]
    costed = leaves[leaves["unit_cost_2024"].notna()]  # the groups with a unit cost
    dropped_codes = sorted(set(costed.loc[costed["hidden"] != "", "indicator_code"]))
    titles = dict(zip(shown["indicator_code"], shown["offence_group"], strict=False))
    kept = costed[~costed["indicator_code"].isin(dropped_codes) & costed["cost_2024"].notna()]
    sums = kept.groupby("area_code")[["cost_2024", "costed_count"]].sum()
    pop = shown.drop_duplicates("area_code").set_index("area_code")["population"]
    out = pd.DataFrame({"area_code": sorted(wanted)})
    out["cost_2024"] = out["area_code"].map(sums["cost_2024"])
    out["costed_count"] = out["area_code"].map(sums["costed_count"])
    out["cost_per_1000"] = out["cost_2024"] / out["area_code"].map(pop) * 1000
    order = [c for c in LEAVES if c in dropped_codes]
    return out, [titles[c] for c in order]
