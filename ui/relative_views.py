"""Lancashire's place in England and Wales, drawn: one area's rate per 1,000 on every offence
group against England and Wales, England and the North West (:func:`csa.national.area_position`),
and the area's alcohol context (:mod:`csa.alcohol`). Home Office and Fingertips figures are
already published, so no disclosure control applies; numbers go through
:mod:`csa.formatting`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from csa import alcohol, formatting, national
from ui import data, tables

SHORT = {"K04000001": "England and Wales", "E92000001": "England", "E12000002": "North West"}
MARKS = {"better": "▲ Lower", "worse": "▼ Higher", "similar": "● Similar"}


def _rank(row, level: str) -> str:
    if pd.isna(row["rank"]):
        return "not ranked"
    what = "forces" if level == "force" else "partnerships"
    return f"{int(row['rank'])} of {int(row['of'])} {what}"


def position_table(pos: pd.DataFrame, withheld: tuple = ()) -> pd.DataFrame:
    """The table shown: one row per offence group, every number formatted; a withheld group
    ((title, why) pairs) shows why instead of its count, rate, interval, rank and comparisons."""
    level = pos["level"].iloc[0]
    out = pd.DataFrame(
        {
            "Offence group": pos["title"],
            "Recorded crimes": pos["count"].map(formatting.count),
            "Rate per 1,000": pos["rate"].map(lambda v: formatting.figure(v, "rate")),
            "95% CI": [
                formatting.interval(lo, hi, "rate")
                for lo, hi in zip(pos["lower"], pos["upper"], strict=True)
            ],
        }
    )
    if level != "aggregate":
        out["Rank (1 = lowest rate)"] = [_rank(r, level) for r in pos.to_dict("records")]
    for code, short in SHORT.items():
        out[f"vs {short}"] = [
            MARKS.get(v, "Not compared")
            + (f" ({formatting.figure(b, 'rate')})" if v in MARKS else "")
            for v, b in zip(pos[f"vs_{code}"], pos[f"bench_{code}"], strict=True)
        ]
    why = dict(withheld)
    hide = out["Offence group"].isin(set(why))
    for col in out.columns[1:]:
        out.loc[hide, col] = out.loc[hide, "Offence group"].map(why)
    return out


def sentence(pos: pd.DataFrame, name: str, offence: str = national.TOTAL) -> str:
    """The headline in words, e.g. "Preston's rate of total recorded crime, 101.9 per
    1,000, is significantly higher than England and Wales (86.9), ..."."""
    row = pos.set_index("offence").loc[offence]
    if pd.isna(row["rate"]):
        return f"{name} has no rate for {national.OFFENCE_GROUPS[offence].lower()}."
    parts = [
        f"{national.VERDICT_WORDS[row[f'vs_{c}']]} {'the ' * (c == national.NORTH_WEST)}{s} "
        f"({formatting.figure(row[f'bench_{c}'], 'rate')})"
        for c, s in SHORT.items()
    ]
    text = (
        f"{name}'s rate of {national.OFFENCE_GROUPS[offence].lower()}, "
        f"{formatting.figure(row['rate'], 'rate')} per 1,000, is {parts[0]}, {parts[1]} "
        f"and {parts[2]}"
    )
    if pd.notna(row["rank"]):
        text += f"; it ranks {_rank(row, row['level'])} (1 = the lowest rate)"
    return text + "."


def _position(rates: pd.DataFrame, level: str, codes: list[str]) -> tuple[pd.DataFrame, dict]:
    """The area's position (:func:`csa.national.area_position`) and how many forces and
    partnerships the tables hold."""
    pos = national.area_position(rates, codes, level)
    total = rates[rates["offence"] == national.TOTAL]["level"].value_counts()
    return pos, total.to_dict()


def relative_position(
    data_dir: str, level: str, codes: list[str], name: str, withheld=None
) -> None:
    """The "Compared with England and Wales" section for one of our areas, from the Home
    Office tables in ``data_dir`` (:func:`ui.data.national_rates`); ``withheld`` ({offence
    group title: why}) the groups whose published figure this viewer may not see. What is
    drawn is worked out once per process, data directory, area and what is withheld."""
    st.header("Compared with England and Wales")
    if level is None:
        st.info(f"{name} has no row in the Home Office tables, so it is not compared.")
        return
    hidden = tuple(sorted(dict(withheld or {}).items()))
    view = data.shared(
        "national position",
        (data_dir, level, tuple(codes), name, hidden),
        lambda: _position_view(data.national_rates(data_dir), level, list(codes), name, hidden),
    )
    if view.sentence:
        st.markdown(view.sentence)
    st.dataframe(
        view.table,
        hide_index=True,
        width="stretch",
        height=view.height,  # every offence group, no inner scroll
        column_config={"Offence group": st.column_config.TextColumn(pinned=True)},
    )
    st.caption(view.caption)


@dataclass(frozen=True)
class PositionView:
    """What :func:`relative_position` draws, made once (shared: never change it)."""

    sentence: str  # the headline sentence ("" when the total is withheld from this viewer)
    table: pa.Table  # :func:`position_table`, ready to draw
    height: int  # of the table, in pixels: every offence group, no inner scroll
    caption: str  # where the figures come from and how the area is ranked


def _position_view(
    rates: pd.DataFrame, level: str, codes: list[str], name: str, hidden: tuple
) -> PositionView:
    pos, total = _position(rates, level, codes)
    of = pos["of"].dropna()
    of = int(of.iloc[0]) if not of.empty else 0
    total_title = national.OFFENCE_GROUPS[national.TOTAL]
    table = position_table(pos, hidden)
    how = {
        "force": "Lancashire Constabulary's own row in Table P1, ranked among the "
        f"{of} of {total.get('force', 0)} forces whose population can be matched exactly",
        "partnership": "its own Community Safety Partnership row in Table C2, ranked among "
        f"the {of} of {total.get('partnership', 0)} partnerships in England and Wales whose "
        "population can be matched "
        "exactly",
        "aggregate": f"the counts and populations of its {len(codes)} partnerships added up "
        "(not their rates averaged); " + national.NO_RANK.format(name=name),
    }[level]
    withheld_total = total_title in dict(hidden)
    return PositionView(
        sentence=""
        if withheld_total
        else sentence(pos, "Lancashire" if level == "force" else name),
        table=tables.arrow(table),
        height=(len(table) + 1) * 35 + 3,
        caption=f"Police recorded crime, {national.PERIOD}, published by the Home Office "
        f"(Tables C2 and P1), per 1,000 residents ({national.POPULATION_VINTAGE}); {name}: "
        f"{how}. 95% confidence intervals by Byar's method. ▲ Lower / ▼ Higher: "
        "significantly lower or higher than the comparator (its rate in brackets), "
        "● Similar: the comparator's rate lies inside the interval (Fingertips' method). A "
        "rank or rate is blank where the population cannot be matched exactly.",
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def _alcohol_latest(data_dir: str, which: str) -> pd.DataFrame:
    """Each area's latest period held with a value, England's value and Fingertips'
    significance (read once per data directory; shared, never changed)."""
    table = alcohol.significance_table(alcohol.read(data_dir, which))
    table = table[table["value"].notna()].sort_values("period")
    return table.groupby("area_code", sort=False).tail(1).reset_index(drop=True)


def _alcohol_table(data_dir: str, area_code: str, name: str) -> pa.Table | None:
    """The area's alcohol table as shown, ready to draw (None when none is held)."""
    rows = []
    for which, title in (
        ("admissions", "Alcohol-related hospital admissions (narrow measure)"),
        ("mortality", "Alcohol-related deaths"),
    ):
        table = _alcohol_latest(data_dir, which)
        mine = table[table["area_code"] == area_code]
        if mine.empty:
            continue
        latest = mine.iloc[0]
        rows.append(
            {
                "Measure": title,
                "Period": latest["period"],
                f"{name} per 100,000": formatting.figure(latest["value"], "rate"),
                "England per 100,000": formatting.figure(latest["england"], "rate"),
                "Compared with England (Fingertips)": latest["fingertips"],
            }
        )
    return tables.arrow(pd.DataFrame(rows).set_index("Measure")) if rows else None


def alcohol_context(data_dir, area_code: str, name: str, kind: str) -> None:
    """Alcohol-related admissions and deaths for a district or unitary against England:
    Fingertips' directly standardised rates and Fingertips' own significance."""
    st.header("Context")
    if kind not in ("district", "unitary"):
        st.caption(
            f"Alcohol-related admissions and deaths are shown for districts and unitaries "
            f"only: they are directly age-standardised rates, which cannot be added up into "
            f"{name} without the age-specific counts (not published with them)."
        )
        return
    key = (str(data_dir), area_code, name)  # made once per data directory and area (shared)
    table = data.shared("alcohol table", key, lambda: _alcohol_table(*key))
    if table is None:
        st.caption(f"No alcohol figures are held for {name}.")
        return
    st.table(table, hide_index=False)  # the index is the measure
    st.caption(
        "OHID Fingertips, Local Alcohol Profiles for England: directly age-standardised rates "
        "per 100,000, latest period held, as published (not recomputed), with Fingertips' "
        "own significance against England. Open Government Licence v3.0."
    )


def _verdict(v: str) -> str:
    return {"Significantly lower": "▲ Lower", "Significantly higher": "▼ Higher"}.get(
        v, "● Similar" if v == "Similar" else v
    )


def board_pack_section(force: pd.DataFrame, partnerships: pd.DataFrame) -> None:
    """The board pack page's "5. Lancashire's relative position" (the pack's plain values,
    :func:`csa.reports.board_pack.relative_position`, formatted here)."""
    st.subheader("5. Lancashire's relative position")
    if force.empty:
        st.caption("The Home Office tables are not available, so this section is left out.")
        return

    def rate(v) -> str:
        return formatting.figure(v, "rate")

    def with_ci(r) -> str:
        return f"{rate(r['Rate per 1,000'])} ({formatting.interval(r['95% CI lower'], r['95% CI upper'], 'rate')})"

    def rank(r) -> str:
        return f"{r['Rank']} of {r['Of']}" if pd.notna(r["Rank"]) else "not ranked"

    rows = force.to_dict("records")
    table = pd.DataFrame(
        {
            "Offence group": [r["Offence group"] for r in rows],
            "Rate per 1,000 (95% CI)": [with_ci(r) for r in rows],
            "Rank of forces": [rank(r) for r in rows],
        }
        | {
            f"vs {b}": [f"{_verdict(r[f'vs {b}'])} ({rate(r[b])})" for r in rows]
            for b in national.BENCHMARKS.values()
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"Offence group": st.column_config.TextColumn(pinned=True)},
    )
    st.markdown("**The 14 partnerships: total recorded crime**")
    prow = partnerships.to_dict("records")
    st.dataframe(
        pd.DataFrame(
            {
                "Partnership": [r["Partnership"] for r in prow],
                "Recorded crimes": [formatting.count(r["Recorded crimes"]) for r in prow],
                "Rate per 1,000 (95% CI)": [with_ci(r) for r in prow],
                "Rank of partnerships": [rank(r) for r in prow],
                "vs England and Wales": [_verdict(r["vs England and Wales"]) for r in prow],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={"Partnership": st.column_config.TextColumn(pinned=True)},
    )
    st.caption(
        f"Police recorded crime, {national.PERIOD}, published by the Home Office (Tables C2 "
        f"and P1), per 1,000 residents ({national.POPULATION_VINTAGE}); 95% confidence "
        "intervals by Byar's method; ▲ Lower / ▼ Higher: significantly lower or higher than "
        "the comparator (its rate in brackets), Fingertips' method. Rank 1 = the lowest rate, "
        "among the forces or partnerships whose population can be matched exactly."
    )
