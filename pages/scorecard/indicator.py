"""Indicator: the SPC trend, the areas compared with 95% intervals, the data and its source."""

import pandas as pd
import streamlit as st

from csa import demo_labels, spc
from csa.areas import PAN_LANCASHIRE
from csa.assess import IMPROVEMENT
from csa.exports import csv_bytes, excel_bytes
from ui import charts, context, data, filters, plan_views, scorecard
from ui.format import COMPARISON_WORDS, badge, number, unit_label

ctx = context.current()
viewer = ctx.viewer
settings = data.settings()
threshold = int(settings["suppression_threshold"]) if viewer.role == "public" else 0
indicators = data.visible_indicators(viewer)
areas = data.areas()
names = dict(zip(areas["code"], areas["name"], strict=True))
titles = dict(zip(indicators["code"], indicators["title"], strict=True))

left, right = st.columns(2)
code = filters.select(
    "Indicator",
    "indicator",
    list(indicators["code"]),
    format_func=lambda c: f"{c}: {titles[c]}",
    container=left,
)
area = filters.area_select(areas, container=right)
ind = indicators.set_index("code").loc[code].to_dict() | {"code": code}
unit_title = f"{ind['title']} ({unit_label(ind['unit'], int(ind['multiplier']))})"

st.title(ind["title"])
series = data.series(code)
here = series[series["area_code"] == area].reset_index(drop=True)
# what the figures shown are: each point's own data_kind (a real return for a normally-demo
# indicator is real), so the banner names the demo periods of a mixed series
point_kinds = demo_labels.series_kinds(here, ind["data_kind"])
demo_words = (
    demo_labels.describe_series(here["period_label"].tolist(), point_kinds)
    if not here.empty
    else None
)
if demo_words:
    st.markdown(f"{scorecard.DEMO_TAG} {demo_words}", unsafe_allow_html=True)
st.markdown(ind["definition"])

if here.empty:
    st.warning(f"No figures for {names.get(area, area)} yet for this indicator.")
    st.stop()
latest = here["period_label"].iloc[-1]
verdict = data.verdicts(latest)
verdict = verdict[(verdict["indicator_code"] == code) & (verdict["area_code"] == area)]
suppressed = (
    threshold > 0 and here["numerator"].between(1, threshold - 1).any() and ind["unit"] == "count"
)

c1, c2, c3 = st.columns([1.2, 1.2, 3])
if not verdict.empty:
    v = verdict.iloc[0]
    small = scorecard.is_suppressed(v.to_dict(), viewer, threshold or 5) if threshold else False
    latest_demo = demo_labels.is_demo(v["data_kind"], ind["data_kind"])
    c1.metric(
        f"{names.get(area, area)}, {latest}" + (" (demo data)" if latest_demo else ""),
        number(v["value"], ind["unit"], small, threshold),
    )
    c2.metric("Target", number(v["target"], ind["unit"]) if v["target"] is not None else "None")
    with c3:
        st.markdown(
            badge(v["rag"], v["label"] + (" · CRITICAL" if v["critical"] else ""), large=True),
            unsafe_allow_html=True,
        )
        for reason in v["reasons"]:
            st.markdown(f"- {reason}")

st.subheader("Trend and statistical process control")
values = here["value"].tolist()
if suppressed:
    st.info(
        f"Some figures for {names.get(area, area)} are below {threshold}, so the trend is "
        "not shown to the public. Choose a larger area."
    )
elif here["value"].isna().any():
    st.warning(
        "Some periods have no figure for this area (a member area is missing), so SPC "
        "cannot be drawn for it."
    )
else:
    periods = here["period_label"].tolist()
    rephase = [
        periods.index(p)
        for p in str(ind.get("spc_rephase") or "").split(",")
        if p.strip() in periods and periods.index(p.strip()) > 0
    ]
    target = (
        None
        if verdict.empty or pd.isna(verdict.iloc[0]["target"])
        else float(verdict.iloc[0]["target"])
    )
    result = spc.xmr(
        values,
        IMPROVEMENT[ind["polarity"]],
        target=target,
        run_length=int(settings["spc_run_length"]),
        rephase_at=tuple(rephase),
    )
    trajectory = data.plan_trajectory(code, area)
    frame = plan_views.with_trajectory(
        charts.spc_frame(periods, result, target, trajectory, data_kinds=point_kinds), trajectory
    )
    st.altair_chart(
        charts.spc_chart(
            frame,
            f"{ind['title']}: {names.get(area, area)}",
            unit_title,
            show_limits=result.enough_points,
        ),
        use_container_width=True,
    )
    notes = [result.message] if not result.enough_points else []
    if rephase:
        notes.append(
            f"Limits re-calculated from {', '.join(periods[i] for i in rephase)}: "
            + ind["notes"].split("re-phased at", 1)[-1].split(":", 1)[-1].strip()
        )
    for note in notes:
        st.caption(note)
    st.caption(
        "Grey line: figures. Black: mean. Dashed grey: process limits (3 sigma). "
        "Green dashed: target. Orange: recovery-plan trajectory. Points: circle common "
        "cause, triangle improvement, diamond concern, square special cause with no "
        "judgement"
        + ("; hollow points are synthetic demo figures, solid points real." if demo_words else ".")
    )

st.subheader("Areas compared")
level = filters.select(
    "Compare",
    "level",
    ["district", "policing"],
    format_func=lambda x: {"district": "The 14 areas", "policing": "Policing areas"}[x],
)
period_options = list(dict.fromkeys(series.sort_values("_start")["period_label"]))
period = filters.period_select(period_options, default=latest)
kinds = {"district": ["district", "unitary"], "policing": ["policing_area"]}[level]
codes = set(areas.loc[areas["kind"].isin(kinds), "code"])
cmp_verdicts = data.verdicts(period)
cmp_verdicts = cmp_verdicts[
    (cmp_verdicts["indicator_code"] == code) & cmp_verdicts["area_code"].isin(codes)
].copy()
if cmp_verdicts.empty:
    st.info(f"No figures for {period}.")
else:
    cmp_verdicts["name"] = cmp_verdicts["area_code"].map(names)
    cmp_verdicts["comparison_words"] = cmp_verdicts["comparison"].map(COMPARISON_WORDS)
    cmp_verdicts["data"] = [
        demo_labels.word(demo_labels.kind_of(k, ind["data_kind"]))
        for k in cmp_verdicts["data_kind"]
    ]
    if threshold:
        small = cmp_verdicts["numerator"].between(1, threshold - 1)
        cmp_verdicts.loc[small, ["value", "lower", "upper"]] = None
    pan = data.verdicts(period)
    pan = pan[(pan["indicator_code"] == code) & (pan["area_code"] == PAN_LANCASHIRE)]
    bench = None if pan.empty else pan["value"].iloc[0]
    st.altair_chart(
        charts.comparison_chart(
            cmp_verdicts.dropna(subset=["value"]),
            bench,
            f"{ind['title']}, {period}: areas with 95% confidence intervals",
            unit_title,
        ),
        use_container_width=True,
    )
    st.caption(
        "Bars show 95% confidence intervals; the red dashed line is Lancashire as a "
        "whole (pan-Lancashire). Marker shape says better, similar or worse."
    )
    cmp_kinds = demo_labels.summary(cmp_verdicts["data"].str.lower())
    if cmp_kinds == demo_labels.DEMO:
        st.caption(f"DEMO DATA: the figures for {period} are synthetic.")
    elif cmp_kinds == "mixed":
        demo_areas = list(cmp_verdicts.loc[cmp_verdicts["data"] == "Demo", "name"])
        real_areas = list(cmp_verdicts.loc[cmp_verdicts["data"] == "Real", "name"])
        st.caption(
            f"DEMO DATA for {period}: "
            + (
                f"{', '.join(demo_areas)}; the other areas' figures are real returns."
                if len(demo_areas) <= len(real_areas)
                else f"every area except {', '.join(real_areas)} (real returns) is synthetic."
            )
        )

st.subheader("The figures")
table = here[
    ["period_label", "numerator", "denominator", "value", "lower", "upper", "status"]
].rename(
    columns={
        "period_label": "period",
        "value": unit_title,
        "lower": "95% CI lower",
        "upper": "95% CI upper",
    }
)
table["data_kind"] = [k or "" for k in point_kinds]
if threshold:
    small = table["numerator"].between(1, threshold - 1)
    hide = ["numerator", unit_title, "95% CI lower", "95% CI upper"]
    table = table.astype({c: object for c in hide})
    table.loc[small, hide] = f"<{threshold}"
st.dataframe(table, hide_index=True, use_container_width=True)
stem = f"{code}_{names.get(area, area).replace(' ', '_')}"
d1, d2 = st.columns(2)
d1.download_button("Download CSV", csv_bytes(table), f"{stem}.csv", "text/csv")
note = f"DEMO DATA: {demo_words}" if demo_words else f"Source: {ind['source']}"
d2.download_button(
    "Download Excel",
    excel_bytes({"Figures": table}, notes={"Figures": note}),
    f"{stem}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

st.subheader("About this indicator")
polarity = {
    "low_is_good": "Lower is better",
    "high_is_good": "Higher is better",
    "no_judgement": "No direction is judged better",
}[ind["polarity"]]
st.markdown(
    f"- **Code:** {code}\n- **Theme:** {ind['theme_name']}\n"
    f"- **Unit:** {unit_label(ind['unit'], int(ind['multiplier']))} ({ind['frequency']})\n"
    f"- **Polarity:** {polarity}\n- **Lead:** {ind['lead_organisation']} "
    f"({ind['lead_role']})\n- **Source:** {ind['source']}\n- **Notes:** {ind['notes']}"
)
