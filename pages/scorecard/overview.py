"""Overview: the CSA key issues, each indicator's latest published figure, target, SPC and
verdict, for one area and period. Draws published figures only (ui.context)."""

import streamlit as st

from csa.areas import PAN_LANCASHIRE
from ui import context, data, filters, plan_views, scorecard

ctx = context.current()
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
where = f"**{names.get(area, area)}**, **{period}**"
st.caption(
    f"Showing {where}: each indicator's latest figure up to then, at its own frequency."
    + ("" if ctx.embedded else " The address bar holds this view, to share it.")
)
if period is None or period not in quarters:
    scorecard.empty_state(period or "this period")
    st.stop()

indicators = ctx.indicators
view = scorecard.overview_view(ctx, area, period)
latest, stale = view.latest, view.stale
key = indicators[indicators["theme_kind"] != "context"]["code"]
shown = latest[latest["indicator_code"].isin(key)]
scorecard.demo_notice(shown["data_kind"])
scorecard.summary_metrics(shown)


# plan in place, for signed-in viewers who may see plans (plans are not public)
plans = plan_views.plan_status(period, ctx)


def rows(group) -> None:
    for ind in group.to_dict("records"):
        code = ind["code"]
        if code not in view.figure:
            st.caption(f"{ind['title']}: no figure for {names.get(area, area)} up to {period}.")
            continue
        scorecard.indicator_row(
            ind,
            view.figure[code],
            view.spark.get(code, []),
            area_name=names.get(area, area),
            selected=period,
            stale=stale.get(code, False),
            plan=plans[code] | {"state": plans[code]["state_words"]} if code in plans else None,
            show_plan_links=ctx.may("view_plans"),
        )


for kind, heading in (("key_issue", "Key issues"), ("contributory_factor", "Contributory factors")):
    themed = indicators[indicators["theme_kind"] == kind]
    if themed.empty:
        continue
    st.header(heading)
    for theme, group in themed.groupby("theme_name", sort=False):
        st.subheader(theme)
        rows(group)

context_inds = indicators[indicators["theme_kind"] == "context"]
if not context_inds.empty:
    st.header("Context: real police figures")
    for theme, group in context_inds.groupby("theme_name", sort=False):
        with st.expander(f"{theme} ({len(group)} indicators)"):
            st.table(scorecard.context_table(group, view.figure, names.get(area, area), stale))
