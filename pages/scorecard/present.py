"""Presentation mode for board meetings: one theme per screen, large type, no editing.

Every number, status and chart on these screens is a published figure (``ctx.figures``) and
its published SPC chart (:func:`csa.publish.spc_chart`): nothing is computed here, so a
screen shows exactly what the scorecard and the board pack show, and the public sees no
hidden figure. Each screen is laid out to fit a 1920x1080 display: summary tiles, a compact
table and charts about 300 px tall.
"""

import html

import pandas as pd
import streamlit as st

from csa import demo_labels, publish
from csa.areas import PAN_LANCASHIRE
from ui import charts, context, data, filters, scorecard
from ui.format import badge, unit_label

CHART_HEIGHT = 300

ctx = context.current()
indicators = ctx.indicators
indicators = indicators[indicators["theme_kind"].isin(["key_issue", "contributory_factor"])]
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


def go(to: int) -> None:
    st.query_params["slide"] = str(to)


def count_badge(rag: str, n: int, words: str) -> str:
    """A status count; a zero count is neutral grey, never coloured."""
    return badge(rag if n else "grey", f"{n} {words}", large=True)


def spc_frame(figure: dict) -> pd.DataFrame:
    """The published SPC chart of a figure as the frame :func:`ui.charts.spc_chart` draws
    (empty when the figure carries none)."""
    chart = publish.spc_chart(figure)
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
                + (" · CRITICAL" if by_code.loc[ind["code"], "critical"] else ""),
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
