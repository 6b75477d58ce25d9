"""Presentation mode for board meetings: one theme per screen, large type, no editing."""

import streamlit as st

from csa import demo_labels, spc
from csa.areas import PAN_LANCASHIRE
from csa.assess import IMPROVEMENT
from ui import charts, context, data, filters, scorecard
from ui.format import badge, number, unit_label

ctx = context.current()
viewer = ctx.viewer
threshold = int(data.settings()["suppression_threshold"]) if viewer.role == "public" else 0
indicators = data.visible_indicators(viewer)
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

verdicts = data.verdicts(period)
verdicts = verdicts[
    (verdicts["area_code"] == area) & verdicts["indicator_code"].isin(indicators["code"])
]
by_code = verdicts.set_index("indicator_code")


def go(to: int) -> None:
    st.query_params["slide"] = str(to)


nav = st.columns([1, 6, 1])
nav[0].button(
    "◀ Previous", on_click=go, args=(slide - 1,), disabled=slide == 0, use_container_width=True
)
nav[1].markdown(
    f"<div style='text-align:center'>Screen {slide + 1} of {len(screens)} · "
    f"{names[area]} · {period}</div>",
    unsafe_allow_html=True,
)
nav[2].button(
    "Next ▶",
    on_click=go,
    args=(slide + 1,),
    disabled=slide == len(screens) - 1,
    use_container_width=True,
)

if slide == 0:
    st.title(f"Community Safety Agreement: {period}")
    st.subheader(names[area])
    scorecard.summary_metrics(verdicts)
    scorecard.demo_notice(verdicts["data_kind"])
    for theme in themes:
        codes = indicators.loc[indicators["theme_name"] == theme, "code"]
        row = by_code.loc[by_code.index.intersection(codes)]
        red = int((row["rag"] == "red").sum())
        crit = int(row["critical"].sum())
        words = f"{red} off track" + (f", {crit} critical" if crit else "")
        rag = "red" if red else ("amber" if (row["rag"] == "amber").any() else "green")
        st.markdown(f"### {theme} &nbsp; {badge(rag, words, large=True)}", unsafe_allow_html=True)
else:
    theme = screens[slide]
    st.title(theme)
    for ind in indicators[indicators["theme_name"] == theme].to_dict("records"):
        if ind["code"] not in by_code.index:
            continue
        v = by_code.loc[ind["code"]]
        unit = unit_label(ind["unit"], int(ind["multiplier"]))
        small = scorecard.is_suppressed(v.to_dict(), viewer, threshold) if threshold else False
        left, right = st.columns([2, 3])
        with left:
            demo = scorecard.demo_tag(v, ind)
            st.markdown(f"## {ind['title']}{demo}", unsafe_allow_html=True)
            st.metric(f"{period} ({unit})", number(v["value"], ind["unit"], small, threshold))
            st.markdown(
                badge(v["rag"], v["label"] + (" · CRITICAL" if v["critical"] else ""), large=True),
                unsafe_allow_html=True,
            )
            for reason in v["reasons"][:4]:
                st.markdown(f"- {reason}")
        with right:
            s = data.series(ind["code"])
            s = s[s["area_code"] == area]
            s = (
                s.iloc[: list(s["period_label"]).index(period) + 1]
                if period in set(s["period_label"])
                else s
            )
            if len(s) >= 2 and not s["value"].isna().any() and not small:
                result = spc.xmr(
                    s["value"].tolist(), IMPROVEMENT[ind["polarity"]], target=v["target"]
                )
                kinds = demo_labels.series_kinds(s, ind["data_kind"])
                frame = charts.spc_frame(
                    s["period_label"].tolist(), result, v["target"], data_kinds=kinds
                )
                st.altair_chart(
                    charts.spc_chart(frame, ind["title"], unit, show_limits=result.enough_points),
                    use_container_width=True,
                )
        st.divider()

with st.expander("Change the area or period"):
    filters.area_select(areas)
    filters.period_select(quarters)
