"""Overview: the CSA key issues, each indicator's latest published figure, target, SPC and
verdict, for one area and period. Draws published figures only (ui.context), each row built
once per publication (ui.scorecard.overview_page) and drawn as one element."""

import streamlit as st

from csa.areas import PAN_LANCASHIRE
from ui import context, data, filters, paging, plan_views, scorecard

ctx = context.current()
st.title("Community Safety Agreement scorecard")
areas = data.areas()
names = data.area_names()
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

page = scorecard.overview_page(ctx, area, period, names.get(area, area))
scorecard.demo_notice(page.kinds)
scorecard.summary_metrics(page.counts)

# a page of the indicators when there are more than a screen of them (the counts are of all)
shown = paging.pick(ctx, page.total)
# plan in place, for signed-in viewers who may see plans (plans are not public)
plans = plan_views.plan_status(period, ctx)
for heading, themes in page.sections(shown.rows):
    st.header(heading)
    for theme, rows in themes:
        st.subheader(theme)
        for row in rows:
            if isinstance(row, str):  # an indicator with no figure here up to this period
                st.caption(row)
                continue
            if row.code in plans:
                row = page.row(
                    row.code, plans[row.code] | {"state": plans[row.code]["state_words"]}
                )
            scorecard.draw_row(row, ctx)
paging.caption(shown)

if page.context:
    st.header("Context: real police figures")
    for label, table, length in page.context_tables(shown.size):
        with st.expander(label):
            # a long theme shows its first rows: the area profile lists every one, a page at a time
            st.table(table, hide_index=False)  # the index is the indicator's name
            if length > shown.size:
                st.caption(
                    f"The first {shown.size} of {length:,}: the area profile lists every "
                    f"one, {shown.size} at a time."
                )
