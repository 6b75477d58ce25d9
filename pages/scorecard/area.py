"""Area profile: every indicator for one area against Lancashire, on one screen.

A spine chart shows where the area sits among the 14 for each indicator; the tables below
give the figures, the comparison and the status, with the reasons on demand.
"""

import html

import pandas as pd
import streamlit as st

from csa import demo_labels
from csa.areas import PAN_LANCASHIRE
from ui import charts, context, data, filters, scorecard, suppression
from ui import format as fmt

ctx = context.current()
viewer = ctx.viewer
settings = data.settings()
threshold = int(settings["suppression_threshold"])

areas = data.areas()
names = dict(zip(areas["code"], areas["name"], strict=True))
base_codes = list(areas.loc[areas["kind"].isin(["district", "unitary"]), "code"])

st.title("Area profile")
left, right = st.columns(2)
area = filters.area_select(
    areas, container=left, default=base_codes[0] if base_codes else PAN_LANCASHIRE
)
quarters = data.periods_with_figures("quarterly")
due = data.next_periods(quarters[-1], 1) if quarters else []  # the quarter now being returned
period = filters.period_select(
    quarters + due, container=right, default=quarters[-1] if quarters else None
)
annual = data.periods_with_figures("annual")
annual_period = annual[-1] if annual else None
name = names.get(area, area)

indicators = data.visible_indicators(viewer).sort_values(["theme_order", "sort_order"])

frames = []
for label, freq in ((period, "quarterly"), (annual_period, "annual")):
    if label is None or (freq == "quarterly" and label not in quarters):
        continue
    v = data.verdicts(label)
    codes = indicators.loc[indicators["frequency"] == freq, "code"]
    frames.append(v[v["indicator_code"].isin(codes)])
verdicts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
if period is None or period not in quarters:
    scorecard.empty_state(period or "this quarter")
if verdicts.empty or verdicts[verdicts["area_code"] == area]["value"].isna().all():
    st.info(f"There are no figures for {name} to show yet.")
    st.stop()

scorecard.demo_notice(verdicts["data_kind"])
hidden3 = suppression.hidden_cells(verdicts, data.area_members(), viewer.role, threshold)
hidden = {(c, a) for (c, a, _p) in hidden3}
mine = verdicts[verdicts["area_code"] == area].set_index("indicator_code")

# -- at a glance ----------------------------------------------------------------------------
st.subheader(f"How {name} compares with Lancashire")
shown = mine[[(c, area) not in hidden for c in mine.index]]
if area == PAN_LANCASHIRE:
    st.caption(
        "Pan-Lancashire is the benchmark itself, so nothing is compared with it here; "
        "the spine chart shows where it sits among the 14 areas."
    )
compared = shown[shown["comparison"].isin(["better", "similar", "worse", "higher", "lower"])]
counts = compared["comparison"].value_counts()
m = st.columns(5)
m[0].metric("▼ Worse than Lancashire", int(counts.get("worse", 0)))
m[1].metric("● Similar to Lancashire", int(counts.get("similar", 0)))
m[2].metric("▲ Better than Lancashire", int(counts.get("better", 0)))
m[3].metric("✖ Off track against a target", int((shown["target_status"] == "off track").sum()))
m[4].metric("⚠ Critical: plan required", int(shown["critical"].sum()))
st.caption(
    f"{name}, "
    + (
        f"{period} for the quarterly CSA indicators"
        if period in quarters
        else f"no quarterly figures for {period} yet"
    )
    + (f" and {annual_period} for police recorded crime" if annual_period else "")
    + f". Compared: {len(compared)} of {len(shown)} indicators (counts are not "
    "compared: a district's count and Lancashire's total are not like for like)."
)

SECTIONS = (
    ("quarterly", f"CSA priorities, {period}"),
    ("annual", f"Police recorded crime, {annual_period} (real figures)"),
)
for freq, heading in SECTIONS:
    inds = indicators[indicators["frequency"] == freq]
    frame = charts.spine_frame(verdicts, inds, area, base_codes, hidden)
    if frame.empty:
        continue
    # the figures this chart draws: every area's, for these indicators (not their defaults)
    drawn = verdicts[verdicts["indicator_code"].isin(frame["indicator_code"])]
    kind = demo_labels.summary(drawn["data_kind"])
    title = heading + {demo_labels.DEMO: " · DEMO DATA", "mixed": " · includes DEMO DATA"}.get(
        kind, ""
    )
    st.altair_chart(
        charts.spine_chart(frame, title, name, n_areas=len(base_codes)), width="stretch"
    )


# -- the figures, theme by theme -----------------------------------------------------------
def _value(row, unit: str, suppressed: bool) -> str:
    if suppressed:
        return f"<{threshold}"
    text = fmt.number(row["value"], unit)
    if pd.notna(row["lower"]) and pd.notna(row["upper"]):
        text += (
            f" <span style='color:#505A5F'>({fmt.number(row['lower'], unit)} to "
            f"{fmt.number(row['upper'], unit)})</span>"
        )
    return text


def _theme_table(group: pd.DataFrame) -> str:
    head = (
        "<tr><th scope='col'>Indicator</th><th scope='col'>Period</th>"
        f"<th scope='col'>{html.escape(name)} (95% CI)</th><th scope='col'>Lancashire</th>"
        "<th scope='col'>Compared with Lancashire</th><th scope='col'>Status</th></tr>"
    )
    body = []
    for ind in group.to_dict("records"):
        code = ind["code"]
        if code not in mine.index:
            continue
        row = mine.loc[code]
        sup = (code, area) in hidden
        unit = ind["unit"]
        tag = scorecard.demo_tag(row, ind)
        lanc = fmt.number(row["benchmark_value"], unit) if pd.notna(row["benchmark_value"]) else "–"
        if (code, PAN_LANCASHIRE) in hidden:
            lanc = f"<{threshold}"
        elif unit == "count" and lanc != "–":
            lanc += " (total)"
        comparison = (
            "Not shown" if sup else fmt.COMPARISON_WORDS.get(row["comparison"], row["comparison"])
        )
        status = (
            fmt.badge("grey", f"Not shown: fewer than {threshold}")
            if sup
            else fmt.badge(row["rag"], row["label"] + (" · CRITICAL" if row["critical"] else ""))
        )
        body.append(
            f"<tr><td><b>{html.escape(ind['title'])}</b>{tag}<br/><span style='color:#505A5F;"
            f"font-size:0.8rem'>{code} · {fmt.unit_label(unit, int(ind['multiplier']))}"
            f"</span></td><td>{html.escape(row['period_label'])}</td>"
            f"<td>{_value(row, unit, sup)}</td><td>{lanc}</td>"
            f"<td>{html.escape(comparison)}</td><td>{status}</td></tr>"
        )
    return (
        "<table style='width:100%;border-collapse:collapse' class='csa-profile'>"
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )


st.markdown(
    """<style>
table.csa-profile {table-layout:fixed}
table.csa-profile th, table.csa-profile td {border-bottom:1px solid #DDE3E8;padding:0.35rem;
 text-align:left;vertical-align:top;font-size:0.9rem}
table.csa-profile th:nth-child(1) {width:34%} table.csa-profile th:nth-child(2) {width:9%}
table.csa-profile th:nth-child(3) {width:17%} table.csa-profile th:nth-child(4) {width:10%}
table.csa-profile th:nth-child(5) {width:15%} table.csa-profile td:nth-child(2) {white-space:nowrap}
</style>""",
    unsafe_allow_html=True,
)
st.subheader(f"{name}: the figures")
for theme, group in indicators.groupby("theme_name", sort=False):
    if not group["code"].isin(mine.index).any():
        continue
    st.markdown(f"#### {html.escape(theme)}")
    st.markdown(_theme_table(group), unsafe_allow_html=True)
    for ind in group.to_dict("records"):
        if ind["code"] not in mine.index:
            continue
        row = mine.loc[ind["code"]]
        sup = (ind["code"], area) in hidden
        label = "Not shown" if sup else row["label"]
        with st.expander(f"Why? {ind['code']} {ind['title']}: {label}"):
            if sup:
                st.markdown(
                    f"Figures below {threshold} are not shown publicly, nor any figure "
                    "that would let one be worked out."
                )
            else:
                for reason in row["reasons"]:
                    st.markdown(f"- {reason}")
            st.page_link(
                "pages/scorecard/indicator.py",
                label="Open the indicator",
                icon=":material/show_chart:",
                query_params={"indicator": ind["code"], "area": area},
            )
