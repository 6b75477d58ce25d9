"""Presentation mode for board meetings: one theme per screen, large type, no editing.

Every number, status and chart on these screens is a published figure (``ctx.figures``) and
its published SPC chart (:func:`csa.publish.spc_chart`): nothing is computed here, so a
screen shows exactly what the scorecard and the board pack show, and the public sees no
hidden figure. Each screen is laid out to fit a 1920x1080 display: summary tiles, a compact
table and charts about 300 px tall.
"""

import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from csa import demo_labels, publish
from csa.areas import PAN_LANCASHIRE
from ui import charts, context, data, filters, plan_views, scorecard
from ui.format import badge, unit_label

CHART_HEIGHT = 300

ctx = context.current()
indicators = ctx.indicators
indicators = indicators[indicators["theme_kind"].isin(["key_issue", "contributory_factor"])]
titles = dict(zip(indicators["code"], indicators["title"], strict=True))
areas = data.areas()
names = dict(zip(areas["code"], areas["name"], strict=True))
quarters = data.periods_with_figures("quarterly")
period = st.query_params.get("period", quarters[-1] if quarters else None)
if period not in quarters:
    period = quarters[-1]
area = st.query_params.get("area", PAN_LANCASHIRE)
if area not in names:
    area = PAN_LANCASHIRE

themes = list(dict.fromkeys(indicators["theme_name"]))
screens = ["Summary", *themes]
try:
    slide = min(max(int(st.query_params.get("slide", "0")), 0), len(screens) - 1)
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
    head = "".join(
        f"<th scope='col' style='padding:0.3em 0.5em'>{html.escape(w)}</th>"
        for w in ASSURANCE_COLUMNS.values()
    )
    body = []
    for row, words in VARIATION_ROWS.items():
        tds = []
        for col in ASSURANCE_COLUMNS:
            entries = cells.get((row, col), [])
            items = "".join(f"<li>{indicator_link(f)}</li>" for f in entries)
            tds.append(
                "<td style='vertical-align:top;padding:0.3em 0.5em;border:1px solid #B1B4B6'>"
                + (f"<ul style='margin:0'>{items}</ul>" if items else "–")
                + "</td>"
            )
        body.append(
            f"<tr><th scope='row' style='text-align:left;padding:0.3em 0.5em'>"
            f"{html.escape(words)}</th>{''.join(tds)}</tr>"
        )
    return (
        "<table aria-label='SPC summary: variation by assurance' "
        "style='width:100%;border-collapse:collapse;font-size:1.1rem'>"
        f"<thead><tr><th scope='col'>Variation by assurance</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def go(to: int) -> None:
    st.query_params["slide"] = str(to)


def count_badge(rag: str, n: int, words: str) -> str:
    """A status count; a zero count is neutral grey, never coloured."""
    return badge(rag if n else "grey", f"{n} {words}", large=True)


def spc_frame(figure: dict) -> pd.DataFrame:
    """The published SPC chart of a figure as the frame :func:`ui.charts.spc_chart` draws
    (empty when the figure carries none)."""
    chart = publish.spc_chart(figure, history)
    if chart.empty:
        return chart
    frame = pd.DataFrame({"period_label": chart["period_label"], "value": chart["value"]})
    for col in ("mean", "upl", "lpl"):
        frame[col] = chart[col] if col in chart else None
    classes = chart["point_class"] if "point_class" in chart else ["common"] * len(chart)
    frame["point_class"] = [
        charts.CLASS_STYLE.get(c, charts.CLASS_STYLE["common"])[0] for c in classes
    ]
    frame["rules"] = ""
    target = figure.get("target")
    frame["target"] = None if target is None or pd.isna(target) else float(target)
    frame["trajectory"] = None
    series = history[history["indicator_code"] == figure["indicator_code"]]
    kinds = dict(zip(series["period_label"], series["data_kind"], strict=True))
    frame["data"] = [
        demo_labels.word(kinds.get(p, figure["data_kind"])) for p in frame["period_label"]
    ]
    for col in ("value", "mean", "upl", "lpl", "target"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    frame.attrs["message"] = chart.attrs.get("message", "")
    return frame


nav = st.columns([1, 6, 1])
nav[0].button("◀ Previous", on_click=go, args=(slide - 1,), disabled=slide == 0, width="stretch")
nav[1].markdown(
    f"<div style='text-align:center'>Screen {slide + 1} of {len(screens)} · "
    f"{html.escape(names[area])} · {html.escape(period)}</div>",
    unsafe_allow_html=True,
)
nav[2].button(
    "Next ▶",
    on_click=go,
    args=(slide + 1,),
    disabled=slide == len(screens) - 1,
    width="stretch",
)

if slide == 0:
    st.title(f"Community Safety Agreement: {period}")
    st.subheader(names[area])
    if figures.empty:
        scorecard.empty_state(period)
    scorecard.summary_metrics(figures)
    scorecard.demo_notice(figures["data_kind"])
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
            f"<tr><th style='text-align:left;font-size:1.5rem;padding:0.3em 0.6em'>"
            f"{html.escape(theme)}</th>"
            + "".join(f"<td style='padding:0.3em 0.4em'>{c}</td>" for c in cells)
            + "</tr>"
        )
    st.markdown(
        "<table style='width:100%;border-collapse:collapse'>" + "".join(rows) + "</table>",
        unsafe_allow_html=True,
    )
    if plans:
        in_place = sum(1 for c in by_code.index if c in plans and plans[c]["in_place"])
        st.caption(f"Recovery plans in place for {in_place} of these indicators.")
    st.subheader("SPC summary: variation and assurance")
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
    theme = screens[slide]
    st.title(theme)
    shown = [
        ind
        for ind in indicators[indicators["theme_name"] == theme].to_dict("records")
        if ind["code"] in by_code.index
    ]
    if not shown:
        st.info(f"No published figures for {theme} in {period} for {names[area]}.")
    table = pd.DataFrame(
        [
            {
                "Indicator": ind["title"]
                + (" [DEMO]" if scorecard.demo_tag(by_code.loc[ind["code"]], ind) else ""),
                "Period": by_code.loc[ind["code"], "period_label"],
                "Figure": by_code.loc[ind["code"], "value_text"],
                "Unit": unit_label(ind["unit"], int(ind["multiplier"])),
                "Target": by_code.loc[ind["code"], "target_text"],
                "Status": by_code.loc[ind["code"], "status_text"]
                + (" · CRITICAL" if by_code.loc[ind["code"], "critical"] else "")
                + (" · plan in place" if plans.get(ind["code"], {}).get("in_place") else ""),
                "Variation": by_code.loc[ind["code"], "variation_text"],
            }
            for ind in shown
        ]
    )
    if not table.empty:
        st.dataframe(table, hide_index=True, width="stretch")
    cols = st.columns(max(1, min(len(shown), 3)))
    for i, ind in enumerate(shown):
        figure = by_code.loc[ind["code"]].to_dict() | {"indicator_code": ind["code"]}
        with cols[i % len(cols)]:
            label = figure["status_text"] + (" · CRITICAL" if figure["critical"] else "")
            st.markdown(
                f"**{html.escape(ind['title'])}** &nbsp; {badge(figure['rag'], label)}",
                unsafe_allow_html=True,
            )
            if ind["code"] in plans:
                plan = plans[ind["code"]]
                st.caption(scorecard.plan_caption(plan | {"state": plan["state_words"]}))
            frame = spc_frame(figure)
            if frame.empty or frame["value"].notna().sum() < 2:
                reason = next(
                    (r for r in figure["reasons"] if "SPC" in r),
                    "No chart: not enough published figures for this series.",
                )
                st.caption(reason)
            else:
                unit = unit_label(ind["unit"], int(ind["multiplier"]))
                chart = charts.spc_chart(
                    frame, ind["title"], unit, show_limits=frame["mean"].notna().any()
                )
                st.altair_chart(
                    chart.properties(height=CHART_HEIGHT).configure_legend(
                        orient="bottom", columns=2, labelLimit=260
                    ),
                    width="stretch",
                )
            for reason in figure["reasons"][:2]:
                st.caption(reason)

with st.expander("Change the area or period"):
    filters.area_select(areas)
    filters.period_select(quarters)
