"""Presentation mode for board meetings: one theme per screen, large type, no editing.

Every number, status and chart on these screens is a published figure (``ctx.figures``) and
its published SPC chart (:func:`csa.publish.spc_chart`): nothing is computed here, so a
screen shows exactly what the scorecard and the board pack show, and the public sees no
hidden figure. Each screen fits a 1920x1080 display without scrolling: the summary in two
columns (tiles and themes; the SPC summary), a theme as a grid of indicator cards with SPC
charts of a fixed height and one key to the charts; a theme with more than six indicators
is split over screens ("Violence (1 of 2)").
"""

import html
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st

from csa import demo_labels, publish
from csa.areas import PAN_LANCASHIRE
from ui import charts, chrome, context, data, filters, plan_views, scorecard
from ui.format import badge, unit_label

ctx = context.current()
if not ctx.presenting:  # opened from the navigation: show it as the board sees it
    chrome.enter_presentation()
indicators = ctx.indicators
indicators = indicators[indicators["theme_kind"].isin(["key_issue", "contributory_factor"])]
titles = dict(zip(indicators["code"], indicators["title"], strict=True))
areas = data.areas()
names = data.area_names()
quarters = data.periods_with_figures("quarterly")
period = st.query_params.get("period", quarters[-1] if quarters else None)
if period not in quarters:
    period = quarters[-1]
area = st.query_params.get("area", PAN_LANCASHIRE)
if area not in names:
    area = PAN_LANCASHIRE

themes = list(dict.fromkeys(indicators["theme_name"]))
try:
    slide = max(int(st.query_params.get("slide", "0")), 0)
except ValueError:
    slide = 0

# the quarter's figures for this area: quarterly indicators by the quarter's own label, a
# monthly indicator by its latest month within the quarter (published figures only)
per = data.periods().set_index("label")
q_start, q_end = (pd.Timestamp(per.loc[period, c]).date() for c in ("start_date", "end_date"))
history = ctx.figures(indicators=list(indicators["code"]), areas=[area])
history = history[pd.to_datetime(history["period_start"]).dt.date <= q_end]
in_quarter = history[pd.to_datetime(history["period_start"]).dt.date >= q_start]
figures = in_quarter.sort_values("period_start").drop_duplicates("indicator_code", keep="last")
by_code = figures.set_index("indicator_code")


# plan in place, for signed-in viewers who may see plans (plans are not public)
plans = plan_views.plan_status(period, ctx)

#: The Making Data Count summary: variation (rows) x assurance (columns).
VARIATION_ROWS = {
    "improvement": "Improvement (special cause)",
    "common": "Common cause",
    "concern": "Concern (special cause)",
}
ASSURANCE_COLUMNS = {
    "pass": "Consistently passing",
    "hit_or_miss": "Hit and miss",
    "fail": "Consistently failing",
    "none": "No target",
}


def variation_group(code) -> str | None:
    """improvement / common / concern; "neither" for an unusual change with no better or
    worse judged; None for no SPC (too few figures, or withheld)."""
    if code is None or (isinstance(code, float) and pd.isna(code)) or code == "":
        return None
    if code == "common_cause":
        return "common"
    for group in ("improvement", "concern"):
        if f"_{group}_" in code:
            return group
    return "neither"


def spc_matrix(figures: pd.DataFrame) -> tuple[dict, list[dict]]:
    """Each figure placed by its published variation and assurance: {(row, column): [figure
    rows]} and the figures that cannot be placed (no SPC, or no direction judged)."""
    cells: dict[tuple[str, str], list[dict]] = {}
    unplaced = []
    for fig in figures.to_dict("records"):
        group = variation_group(fig["variation"])
        assurance = fig["assurance"]
        column = (
            assurance if isinstance(assurance, str) and assurance in ASSURANCE_COLUMNS else "none"
        )
        if group in VARIATION_ROWS:
            cells.setdefault((group, column), []).append(fig)
        else:
            unplaced.append(fig)
    return cells, unplaced


def indicator_link(fig: dict) -> str:
    query = urlencode(
        {"indicator": fig["indicator_code"], "area": area, "period": fig["period_label"]}
    )
    return (
        f'<a href="indicator?{html.escape(query)}" target="_self">'
        f"{html.escape(titles.get(fig['indicator_code'], fig['indicator_code']))}</a>"
    )


def matrix_html(cells: dict) -> str:
    head = "".join(f"<th scope='col'>{html.escape(w)}</th>" for w in ASSURANCE_COLUMNS.values())
    body = []
    for row, words in VARIATION_ROWS.items():
        tds = []
        for col in ASSURANCE_COLUMNS:
            entries = cells.get((row, col), [])
            items = "".join(f"<li>{indicator_link(f)}</li>" for f in entries)
            tds.append("<td>" + (f"<ul>{items}</ul>" if items else "–") + "</td>")
        body.append(f"<tr><th scope='row'>{html.escape(words)}</th>{''.join(tds)}</tr>")
    return (
        "<table aria-label='SPC summary: variation by assurance' class='csa-present-matrix'>"
        f"<thead><tr><th scope='col'>Variation by assurance</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def go(to: int) -> None:
    st.query_params["slide"] = str(to)


def count_badge(rag: str, n: int, words: str) -> str:
    """A status count; a zero count is neutral grey, never coloured."""
    return badge(rag if n else "grey", f"{n} {words}", large=True)


def header(title: str, note: str = "") -> None:
    """The screen's one header row: its title, where it is in the deck and for what, and the
    Previous and Next buttons (which the arrow keys and a clicker press)."""
    row = st.columns([6.4, 1.4, 1.2, 1.2], vertical_alignment="center")
    with row[0]:
        st.title(title, anchor=False)
        st.markdown(
            f"<div class='csa-present-where'>Screen {slide + 1} of {len(screens)} · "
            f"{html.escape(names[area])} · {html.escape(period)}{note}</div>",
            unsafe_allow_html=True,
        )
    with row[1].popover("Area or period", width="stretch"):
        filters.area_select(areas)
        filters.period_select(quarters)
    row[2].button(
        "◀ Previous", on_click=go, args=(slide - 1,), disabled=slide == 0, width="stretch"
    )
    row[3].button(
        "Next ▶", on_click=go, args=(slide + 1,), disabled=slide == len(screens) - 1,
        width="stretch",
    )  # fmt: skip


def legend(demo: bool, trajectory: bool) -> str:
    """The SPC charts' key, once per screen (the charts draw none of their own)."""

    def shape(path: str, colour: str, fill: bool = True) -> str:
        return (
            "<svg aria-hidden='true' width='18' height='18' viewBox='0 0 18 18'>"
            f"<path d='{path}' fill='{colour if fill else 'white'}' stroke='{colour}' "
            "stroke-width='2'/></svg>"
        )

    def line(colour: str, dash: str = "") -> str:
        return (
            "<svg aria-hidden='true' width='30' height='10' viewBox='0 0 30 10'>"
            f"<line x1='0' y1='5' x2='30' y2='5' stroke='{colour}' stroke-width='2' "
            f"stroke-dasharray='{dash}'/></svg>"
        )

    circle, triangle = "M9 3a6 6 0 1 0 0.01 0Z", "M9 2L16 15H2Z"
    diamond, square = "M9 1L17 9L9 17L1 9Z", "M3 3H15V15H3Z"
    items = [
        (shape(circle, "#505A5F"), "no unusual change"),
        (shape(triangle, "#1D70B8"), "unusual: improvement"),
        (shape(diamond, "#D4351C"), "unusual: concern"),
        (shape(square, "#6F3C97"), "unusual: no judgement"),
        (line("#0B0C0C"), "mean"),
        (line("#6F777B", "6 4"), "process limits"),
        (line("#00703C", "10 4"), "target"),
    ]
    if trajectory:
        items.append((line("#F47738", "3 3"), "recovery trajectory"))
    if demo:
        items.append((shape(circle, "#505A5F", fill=False), "hollow: demo figure"))
    return (
        "<div class='csa-present-legend'><b>Key to the charts:</b> "
        + " ".join(f"<span>{mark} {html.escape(words)}</span>" for mark, words in items)
        + "</div>"
    )


def card(ind: dict, chart_height: int) -> None:
    """One indicator: its published figure, status, variation, plan and SPC chart."""
    fig = by_code.loc[ind["code"]].to_dict() | {"indicator_code": ind["code"]}
    unit = unit_label(ind["unit"], int(ind["multiplier"]))
    label = fig["status_text"] + (" · CRITICAL" if fig["critical"] else "")
    plan = plans.get(ind["code"])
    if plan and plan["in_place"]:
        label += " · plan in place"
    target_text = fig["target_text"] or ""
    target_words = (
        ""
        if target_text in ("", "–")
        else f" · {html.escape(target_text)}"
        if target_text == "no target"
        else f" · target {html.escape(target_text)}"
    )
    with st.container(border=True):
        st.markdown(
            f"<div class='csa-present-card'><b>{html.escape(ind['title'])}</b>"
            f"{scorecard.demo_tag(fig, ind)} {badge(fig['rag'], label)}</div>"
            f"<div class='csa-present-figure'><b>{html.escape(fig['value_text'])}</b> "
            f"{html.escape(unit)} · {html.escape(str(fig['period_label']))}{target_words}"
            f"<br/>{html.escape(fig['variation_text'])}</div>",
            unsafe_allow_html=True,
        )
        if plan:
            st.caption(plan_views.plan_line(plan))
        elif fig["critical"] and ctx.audience == "signed_in" and ctx.may("view_plans"):
            st.caption("Critical: no recovery plan yet.")
        series = history[history["indicator_code"] == ind["code"]]
        spc = publish.spc_chart(fig, series)
        if spc.empty:
            reason = next(
                (r for r in fig["reasons"] if "SPC" in r),
                "No chart: this figure is withheld to protect small numbers."
                if fig["hidden"]
                else "No chart: not enough published figures for this series.",
            )
            st.caption(reason)
            st.container(height=chart_height, border=False)  # keeps the cards level
        else:
            target = fig.get("target")
            options = dict(
                unit=ind["unit"],
                target=None if target is None or pd.isna(target) else float(target),
                trajectory=trajectories.get(ind["code"]),
                periods=calendar.get(ind["frequency"]),
            )
            kinds = dict(zip(series["period_label"], series["data_kind"], strict=True))
            chart = charts.spc_chart(spc, ind["title"], unit, data_kinds=kinds, **options)
            chart.title = alt.Undefined  # the card's heading says it
            for layer in chart.layer:  # the screen's key says what the marks are
                for channel in ("color", "shape", "stroke"):
                    encoding = getattr(layer, "encoding", alt.Undefined)
                    value = getattr(encoding, channel, alt.Undefined) if encoding else None
                    if value is not alt.Undefined and hasattr(value, "legend"):
                        value.legend = None
            st.altair_chart(  # no title or key here: the card's fixed height holds it all
                chart.properties(
                    height=chart_height,
                    autosize=alt.AutoSizeParams(type="fit", contains="padding"),
                ),
                width="stretch",
                alt=charts.spc_summary(spc, f"{ind['title']} in {names[area]}", **options),
            )
        if fig["reasons"]:
            st.caption(fig["reasons"][0])


CARDS_PER_SCREEN = 6  # three columns, two rows at most
theme_screens = scorecard.present_screens(
    [
        (
            t,
            [
                c
                for c in indicators.loc[indicators["theme_name"] == t, "code"]
                if c in by_code.index
            ],
        )
        for t in themes
    ],
    CARDS_PER_SCREEN,
)
screens = ["Summary", *[t for t, _ in theme_screens]]
slide = min(slide, len(screens) - 1)
trajectories = (
    {c: data.plan_trajectory(c, area) for c in by_code.index} if ctx.audience == "signed_in" else {}
)
calendar = {
    f: list(g.sort_values("start_date")["label"]) for f, g in data.periods().groupby("frequency")
}
kinds = figures["data_kind"]
demo = demo_labels.summary(kinds) in (demo_labels.DEMO, "mixed")

if slide == 0:
    header(f"Community Safety Agreement: {period}")
    if figures.empty:
        scorecard.empty_state(period)
    left, right = st.columns([4, 6], gap="large")
    with left:
        scorecard.summary_metrics(scorecard.summary_counts(figures))
        if plans:
            in_place = sum(1 for c in by_code.index if c in plans and plans[c]["in_place"])
            st.caption(f"Recovery plans in place for {in_place} of these indicators.")
        if demo:
            st.caption(
                "Figures tagged DEMO DATA are synthetic, for demonstration only; untagged "
                "figures are real."
            )
    with right:
        rows = []
        for theme in themes:
            codes = indicators.loc[indicators["theme_name"] == theme, "code"]
            here = by_code.loc[by_code.index.intersection(codes)]
            n = {rag: int((here["rag"] == rag).sum()) for rag in ("red", "amber", "green")}
            crit = int(here["critical"].sum())
            cells = [
                count_badge("red", n["red"], "off track"),
                count_badge("amber", n["amber"], "at risk"),
                count_badge("green", n["green"], "on track"),
                badge("red", f"⚠ {crit} critical", large=True) if crit else "",
            ]
            rows.append(
                f"<tr><th scope='row'>{html.escape(theme)}</th>"
                + "".join(f"<td>{c}</td>" for c in cells)
                + "</tr>"
            )
        st.markdown(
            "<table class='csa-present-themes' aria-label='Indicators by theme'>"
            + "".join(rows)
            + "</table>",
            unsafe_allow_html=True,
        )
    st.subheader("SPC summary: variation and assurance", anchor=False)
    cells, unplaced = spc_matrix(figures)
    st.markdown(matrix_html(cells), unsafe_allow_html=True)
    if unplaced:
        st.caption(
            "Not placed (no SPC: too few figures, or an unusual change with no better or "
            "worse judged): "
            + ", ".join(titles.get(f["indicator_code"], f["indicator_code"]) for f in unplaced)
            + "."
        )
else:
    title, codes = theme_screens[slide - 1]
    shown = [ind for ind in indicators.to_dict("records") if ind["code"] in codes]
    header(title)
    st.markdown(legend(demo, any(trajectories.get(c) for c in codes)), unsafe_allow_html=True)
    columns = min(len(shown), 3) if len(shown) != 4 else 2
    rows = -(-len(shown) // columns)
    height = 430 if rows == 1 else 200
    for r in range(rows):
        cols = st.columns(columns, gap="medium")
        for i, ind in enumerate(shown[r * columns : (r + 1) * columns]):
            with cols[i]:
                card(ind, height)
    if demo:
        st.caption("Figures tagged DEMO DATA are synthetic, for demonstration only.")
