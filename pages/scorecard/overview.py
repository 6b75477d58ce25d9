"""Overview: the CSA key issues, each indicator's latest figure, target, SPC and verdict."""

import streamlit as st

from csa.areas import PAN_LANCASHIRE
from csa.catalogue import RECORDED_CRIME_PERIOD
from ui import context, data, filters, scorecard

ctx = context.current()
viewer = ctx.viewer
settings = data.settings()
threshold = int(settings["suppression_threshold"]) if viewer.role == "public" else 0

st.title("Community Safety Agreement scorecard")
areas = data.areas()
names = dict(zip(areas["code"], areas["name"], strict=True))
quarters = data.periods_with_figures("quarterly")
open_quarters = data.next_periods(quarters[-1], 1) if quarters else []  # due, not yet in
left, right = st.columns(2)
period = filters.period_select(
    quarters + open_quarters, container=left, default=quarters[-1] if quarters else None
)
area = filters.area_select(areas, container=right, default=PAN_LANCASHIRE)
st.caption(
    f"Showing **{names.get(area, area)}**, **{period}**. Copy the address bar to share this view."
)

indicators = data.visible_indicators(viewer)
if period is None or period not in quarters:
    scorecard.empty_state(period or "this period")
    st.stop()

verdicts = data.verdicts(period)
verdicts = verdicts[
    (verdicts["area_code"] == area) & verdicts["indicator_code"].isin(indicators["code"])
]
scorecard.demo_notice(verdicts["data_kind"])
scorecard.summary_metrics(verdicts)

by_code = verdicts.set_index("indicator_code")
for kind, heading in (("key_issue", "Key issues"), ("contributory_factor", "Contributory factors")):
    themed = indicators[indicators["theme_kind"] == kind]
    if themed.empty:
        continue
    st.header(heading)
    for theme, group in themed.groupby("theme_name", sort=False):
        st.subheader(theme)
        for ind in group.to_dict("records"):
            if ind["code"] not in by_code.index:
                st.caption(f"{ind['title']}: no figure for {names.get(area, area)} in {period}.")
                continue
            verdict = by_code.loc[ind["code"]].to_dict() | {"indicator_code": ind["code"]}
            scorecard.indicator_row(ind, verdict, viewer, threshold, area)

context = indicators[indicators["theme_kind"] == "context"]
if not context.empty:
    with st.expander(
        f"Police recorded crime, {RECORDED_CRIME_PERIOD} (real figures, "
        f"{len(context)} offence groups)"
    ):
        ctx = data.verdicts(RECORDED_CRIME_PERIOD)
        ctx = ctx[(ctx["area_code"] == area)].set_index("indicator_code")
        for ind in context.to_dict("records"):
            if ind["code"] in ctx.index:
                verdict = ctx.loc[ind["code"]].to_dict() | {"indicator_code": ind["code"]}
                scorecard.indicator_row(ind, verdict, viewer, threshold, area)
