"""Charts, maps and table helpers for the strategic assessment and cost-of-crime pages.

Small functions from DataFrames to altair charts and pydeck decks, testable without a
browser. The maps draw the bundled ONS boundaries with no basemap (``map_provider=None``:
no tiles, no token, no network), colours computed here, every layer with an ``id``. Colour
never carries meaning alone: ranks are written on the heat-map cells and in the map
tooltips, and every chart sits beside a table.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import altair as alt
import pandas as pd
import pydeck as pdk
import streamlit as st

from csa import comparators, formatting, geometry, national
from csa.access import PermissionDenied
from csa.areas import PAN_LANCASHIRE
from csa.catalogue import RECORDED_CRIME_PERIOD
from csa.config import data_dir
from csa.strategic import costs
from csa.strategic.model import default_issues
from csa.strategic.population import population_year_used
from csa.strategic.position import position_from_database
from csa.strategic.rounds import partnership_codes
from csa.strategic.scoring import AssessmentError
from ui import data, maps

MAP_LAYER = "strategic-areas"

#: Rank 1 to 5 (ColorBrewer OrRd, darkest = rank 1), then outside the top five, unranked.
TOP_COLOURS = ["#B30000", "#E34A33", "#FC8D59", "#FDBB84", "#FDD49E"]
OUTSIDE_TOP = "#E8EBED"
UNRANKED = "#FFFFFF"
#: Sequential blues for values (lighter = lower).
BLUES = ["#EFF3FF", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C"]
CHANGE_ICONS = {
    "up": "▲",
    "down": "▼",
    "into top five": "▲",
    "out of top five": "▼",
    "unchanged": "●",
    "new issue": "✚",
    "newly ranked": "✚",
    "not ranked": "–",
    "no previous round": "",
}


def change_text(change: str) -> str:
    """ "up 2" -> "▲ up 2": an icon as well as words, never colour alone."""
    if not isinstance(change, str):
        return ""
    key = change.split(" ")[0] if change.startswith(("up", "down")) else change
    icon = CHANGE_ICONS.get(key, "")
    return f"{icon} {change}".strip()


def rank_colour(rank) -> str:
    if rank is None or pd.isna(rank):
        return UNRANKED
    rank = int(rank)
    return TOP_COLOURS[rank - 1] if 1 <= rank <= len(TOP_COLOURS) else OUTSIDE_TOP


def text_colour(background: str) -> str:
    return "#FFFFFF" if background in TOP_COLOURS[:2] else "#0B0C0C"


def heatmap_chart(frame: pd.DataFrame, title: str) -> alt.LayerChart:
    """Partnership x issue grid: cell colour by rank (top five shaded), rank written in it.

    ``frame`` (from :func:`csa.strategic.aggregation.heatmap_frame`): area_name,
    issue_name, rank, label, weighted_score.
    """
    df = frame.copy()
    df["fill"] = df["rank"].map(rank_colour)
    df["ink"] = df["fill"].map(text_colour)
    df["score_text"] = df["weighted_score"].map(
        lambda v: "incomplete" if pd.isna(v) else f"{v:.1f}"
    )
    issue_order = list(
        df.groupby("issue_name")["rank"]
        .apply(lambda s: (s <= 5).sum())
        .sort_values(ascending=False)
        .index
    )
    base = alt.Chart(df).encode(
        x=alt.X(
            "issue_name:N",
            sort=issue_order,
            title=None,
            axis=alt.Axis(labelAngle=-35, labelLimit=180),
        ),
        y=alt.Y("area_name:N", title=None, sort=sorted(df["area_name"].unique())),
    )
    tooltip = [
        alt.Tooltip("area_name:N", title="Area"),
        alt.Tooltip("issue_name:N", title="Issue"),
        alt.Tooltip("label:N", title="Rank"),
        alt.Tooltip("score_text:N", title="Weighted score"),
    ]
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=1).encode(
        color=alt.Color("fill:N", scale=None, legend=None), tooltip=tooltip
    )
    text = base.mark_text(fontSize=12, fontWeight="bold").encode(
        text="label:N", color=alt.Color("ink:N", scale=None, legend=None), tooltip=tooltip
    )
    return alt.layer(cells, text).properties(
        title=title, height=max(260, 26 * df["area_name"].nunique())
    )


def county_chart(county: pd.DataFrame, issue_names: dict[str, str], title: str) -> alt.Chart:
    """Share of residents living in a partnership that ranks each issue in its top five."""
    df = county.copy()
    df["issue"] = df["issue_code"].map(lambda c: issue_names.get(c, c))
    df["key"] = df["county_top_five"].map(
        {True: "County key issue (top five)", False: "Not in the county top five"}
    )
    order = list(df.sort_values("population_share", ascending=False)["issue"])
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("issue:N", sort=order, title=None),
            x=alt.X(
                "population_share:Q",
                title="% of residents (top five there)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color(
                "key:N",
                title=None,
                scale=alt.Scale(
                    domain=["County key issue (top five)", "Not in the county top five"],
                    range=["#1D70B8", "#B1B4B6"],
                ),
            ),
            tooltip=[
                alt.Tooltip("issue:N", title="Issue"),
                alt.Tooltip("partnerships_top5:Q", title="Partnerships (of 14)"),
                alt.Tooltip("population_share:Q", title="% of residents", format=".1f"),
                alt.Tooltip("county_rank:Q", title="County rank"),
            ],
        )
        .properties(title=title, height=max(200, 28 * len(df)))
    )


def bar_chart(df: pd.DataFrame, value: str, label: str, title: str, fmt: str = ",.0f") -> alt.Chart:
    """Horizontal bars of ``value`` by ``label`` (highest at the top)."""
    order = list(df.sort_values(value, ascending=False)[label])
    return (
        alt.Chart(df)
        .mark_bar(color="#1D70B8")
        .encode(
            y=alt.Y(f"{label}:N", sort=order, title=None),
            x=alt.X(f"{value}:Q", title=title),
            tooltip=[
                alt.Tooltip(f"{label}:N", title="Area"),
                alt.Tooltip(f"{value}:Q", title=title, format=fmt),
            ],
        )
        .properties(height=max(200, 26 * len(df)))
    )


def hex_rgba(colour: str, alpha: int = 235) -> list[int]:
    return maps.hex_to_rgba(colour, alpha)


#: The strategic maps' tooltip: the area's name and one line of text.
TOOLTIP_HTML = "<b>{name}</b><br/>{tip}"


def area_map(
    fills: dict[str, str], tooltips: dict[str, str], height: int = maps.MAP_HEIGHT
) -> pdk.Deck:
    """The 14 areas filled with ``fills`` (LAD code -> #RRGGBB), a tooltip line each: the
    one map builder (:func:`ui.maps.build_map`), no labels, no basemap."""
    boundaries = geometry.drawn_boundaries()
    names = {f["properties"]["LAD23CD"]: f["properties"]["LAD23NM"] for f in boundaries["features"]}
    frame = pd.DataFrame(
        {
            "name": names,
            "fill": {code: fills.get(code, UNRANKED) for code in names},
            "tip": {code: tooltips.get(code, "") for code in names},
        }
    )
    deck, _view = maps.build_map(
        frame,
        TOOLTIP_HTML,
        layer_id=MAP_LAYER,
        outlines=False,
        height=height,
        boundaries=boundaries,
    )
    return deck


def rank_map(
    ranked: pd.DataFrame, issue_code: str, issue_name: str, height: int = maps.MAP_HEIGHT
) -> pdk.Deck:
    """Each partnership coloured by the rank it gives ``issue_code`` (1 darkest)."""
    rows = ranked[ranked["issue_code"] == issue_code]
    fills, tips = {}, {}
    for r in rows.itertuples(index=False):
        fills[r.area_code] = rank_colour(r.rank)
        tips[r.area_code] = (
            f"{issue_name}: rank {int(r.rank)}"
            if pd.notna(r.rank)
            else f"{issue_name}: not ranked (scores incomplete)"
        )
    return area_map(fills, tips, height)


def value_classes(values: pd.Series, n: int = 5) -> pd.Series:
    """Equal-count classes 0..n-1 of the values (ties share a class)."""
    ranks = values.rank(method="min")
    count = values.notna().sum()
    classes = ((ranks - 1) / max(count, 1) * n).clip(upper=n - 1)
    return classes.map(lambda v: pd.NA if pd.isna(v) else int(v)).astype("Int64")


def value_map(values: pd.Series, tips: dict[str, str], height: int = maps.MAP_HEIGHT) -> pdk.Deck:
    """The 14 areas shaded by ``values`` (indexed by LAD code) in five classes; a missing
    value (e.g. hidden) is left white."""
    classes = value_classes(values)
    fills = {code: BLUES[int(c)] for code, c in classes.items() if pd.notna(c)}
    return area_map(fills, tips, height)


def legend(items: list[tuple[str, str]]) -> str:
    """HTML legend: (colour, words) swatches."""
    out = []
    for colour, words in items:
        out.append(
            f'<span style="display:inline-flex;align-items:center;gap:0.3rem;'
            f'margin-right:0.9rem"><span style="display:inline-block;width:1.2rem;'
            f'height:0.9rem;background:{colour};border:1px solid #505A5F"></span>'
            f"{words}</span>"
        )
    return "".join(out)


RANK_LEGEND = [(c, f"rank {i}") for i, c in enumerate(TOP_COLOURS, start=1)] + [
    (OUTSIDE_TOP, "outside the top five"),
    (UNRANKED, "not ranked"),
]


# -- cost of crime: computed once per data version and publication, shared ---------------
@st.cache_resource(show_spinner="Estimating the cost of crime…", max_entries=4)
def cost_table(version: tuple[str, int]) -> pd.DataFrame:
    """Shared per data version (``st.cache_resource``: a hit is not unpickled): do not
    modify it."""
    return costs.cost_table(data.database(), data_dir(data.settings()))


@st.cache_resource(show_spinner=False, max_entries=4)
def issue_position(version: tuple[str, int]) -> pd.DataFrame:
    """Shared per data version: do not modify it."""
    db = data.database()
    rounds = db.assessment_rounds()
    issues = (
        db.assessment_issues(int(rounds.iloc[-1]["id"])) if not rounds.empty else default_issues()
    )
    return position_from_database(db, issues).merge(
        issues[["code", "name", "indicator_codes"]].rename(
            columns={"code": "issue_code", "name": "issue"}
        ),
        on="issue_code",
        how="left",
    )


@st.cache_resource(show_spinner=False, max_entries=4)
def cost_reference(version: tuple[str, int], folder: str) -> SimpleNamespace:
    """What the page reads of a data version besides the figures, once per version (shared:
    do not modify)."""
    db = data.database()
    areas = data.areas()
    held = costs.held_unit_costs(db)
    return SimpleNamespace(
        areas=areas,
        names=dict(zip(areas["code"], areas["name"], strict=True)),
        partnerships=partnership_codes(db),
        up=costs.uprating(Path(folder)),
        pop_year=population_year_used(data.populations()),
        held=held,
        mapping=costs.mapping_table(held),
        groups=tuple(comparators.all_groups(db, Path(folder))),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def national_position(folder: str, offence: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lancashire's place in England and Wales on one offence group, and the benchmarks'
    rates: read once per data directory (shared: do not modify)."""
    return (
        national.lancashire_position(Path(folder), offence),
        national.benchmark_rates(Path(folder), offence),
    )


def money(v, missing: str = "not costed") -> str:
    """A cost in whole pounds, or ``missing``."""
    return missing if pd.isna(v) else f"£{formatting.count(v)}"


def with_excluding(text: str, excluding: str, short: bool = False) -> str:
    """A cost that adds up only the shown parts says which it leaves out."""
    if not excluding:
        return text
    return f"{text} ({excluding.split(':')[0] if short else excluding})"


@st.cache_resource(show_spinner=False, max_entries=8)
def visible_costs(
    version: tuple[str, int], publication: str, audience: str, visible: tuple[str, ...], _ctx
) -> SimpleNamespace:
    """Everything of the costs that does not depend on the area chosen, once per data version
    and publication for each audience (and set of recorded-crime indicators it may see): the
    costs this audience may see, and the 14 partnerships compared. Shared: do not modify."""
    ref = cost_reference(version, str(data_dir(_ctx.settings)))
    table = cost_table(version).copy(deep=False)
    # why each count is hidden from this viewer: the published figures' own flags and labels
    # (disclosure control is applied once, in the publication step)
    published = _ctx.figures(
        indicators=visible,
        periods=[RECORDED_CRIME_PERIOD],
        columns=["indicator_code", "area_code", "hidden", "value_text"],
    ).set_index(["indicator_code", "area_code"])
    keys = pd.MultiIndex.from_frame(table[["indicator_code", "area_code"]])
    unpublished = ~keys.isin(published.index)
    if unpublished.any():  # no published figure, no flag: shown to nobody rather than guessed
        table = table[~unpublished].reset_index(drop=True)
        keys = pd.MultiIndex.from_frame(table[["indicator_code", "area_code"]])
    table["hidden"] = published["hidden"].reindex(keys).to_numpy()
    table["hidden_text"] = [
        text if h else ""
        for h, text in zip(table["hidden"], published["value_text"].reindex(keys), strict=True)
    ]
    # a hidden count's own figures (its cost, per 1,000, crimes costed) would reveal it too; a
    # parent group's cost adds up its shown parts only and says which it leaves out
    table = costs.shown_costs(table, table["hidden"])
    table["cost_text"] = table["hidden_text"]

    base = table[
        (table["indicator_code"] == "REC-TOTAL") & table["area_code"].isin(ref.partnerships)
    ].copy()
    base["area"] = base["area_code"].map(ref.names)
    base.loc[base["hidden_text"] != "", "count"] = None
    # compared like with like: every partnership's total leaves out the same groups (each
    # costed group hidden for any of them), so the ranks compare the same thing
    compared, left_out = costs.common_basis(table, [*base["area_code"], PAN_LANCASHIRE])
    compared = compared.set_index("area_code")
    for col in ("cost_2024", "cost_per_1000", "costed_count"):
        base[col] = base["area_code"].map(compared[col])
    common = costs.excluding_words(left_out) if left_out else ""
    base["excluding"] = common
    base["cost_text"] = ""
    base["rank"] = base["cost_per_1000"].rank(method="min").astype("Int64")
    drawn = base[base["cost_text"] == ""]
    tips = {
        r.area_code: r.cost_text
        or with_excluding(
            f"{money(r.cost_per_1000)} per 1,000 people (rank {r.rank} of {len(drawn)}, "
            "1 = lowest)",
            r.excluding,
            short=True,
        )
        for r in base.itertuples(index=False)
    }
    partnerships = base.sort_values("rank")
    return SimpleNamespace(
        table=table,
        unpublished=int(unpublished.sum()),
        hidden_pairs=frozenset(published.index[published["hidden"] != ""]),
        withheld=national.withheld(published.reset_index(), ref.areas, data.area_members()),
        pan_per_1000=compared.loc[PAN_LANCASHIRE, "cost_per_1000"],
        common=common,
        chart=bar_chart(
            drawn[["area", "cost_per_1000"]],
            "cost_per_1000",
            "area",
            "Estimated £ per 1,000 people (2024 prices)",
        ),
        deck=maps.frozen_deck(
            value_map(base.set_index("area_code")["cost_per_1000"], tips, height=430)
        ),
        partnerships=pd.DataFrame(
            {
                "Rank (1 = lowest)": [
                    "not ranked" if pd.isna(r) else str(int(r)) for r in partnerships["rank"]
                ],
                "Partnership": partnerships["area"],
                "Estimated cost (£)": formatting.counts_or_why(
                    partnerships["cost_text"], partnerships["cost_2024"]
                ),
                "£ per 1,000 people": formatting.counts_or_why(
                    partnerships["cost_text"], partnerships["cost_per_1000"]
                ),
                "Crimes costed": formatting.counts_or_why(
                    partnerships["cost_text"], partnerships["costed_count"]
                ),
                "Recorded crimes": formatting.counts_or_why(
                    partnerships["hidden_text"], partnerships["count"]
                ),
            }
        ),
    )


def act(change, message: str, flash_key: str) -> None:
    """Run one strategic-assessment write; show its problems in plain words, or keep
    ``message`` (``{result}`` is the write's return value) under ``flash_key`` for the page
    to show after the rerun."""
    try:
        result = change()
    except AssessmentError as exc:
        st.error(exc.summary)
        for line in exc.problems:
            st.markdown(f"- {line}")
    except PermissionDenied as exc:
        st.error(str(exc))
    else:
        st.session_state[flash_key] = message.format(result=result)
        st.rerun()
