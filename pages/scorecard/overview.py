"""Overview: the CSA key issues, each indicator's latest published figure, target, SPC and
verdict, for one area and period. Draws published figures only (ui.context)."""

import streamlit as st

from csa.areas import PAN_LANCASHIRE
from ui import context, data, filters, plan_views, scorecard

ctx = context.current()
st.title("Community Safety Agreement scorecard")
areas = data.areas()
names = dict(zip(areas["code"], areas["name"], strict=True))
periods = data.periods()
ends = dict(zip(periods["label"], periods["end_date"], strict=True))
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
figures = ctx.figures(areas=[area], columns=context.LIST_COLUMNS)
latest = scorecard.latest_figures(figures, ends[period], ends)
by_code = latest.set_index("indicator_code")
histories = {code: part for code, part in figures.groupby("indicator_code", sort=False)}
today = data.today()
due_days = int(ctx.settings["return_due_days"])
newest = figures.sort_values("period_start").groupby("indicator_code").tail(1)
newest = dict(zip(newest["indicator_code"], newest["period_label"], strict=True))
frequency = dict(zip(indicators["code"], indicators["frequency"], strict=True))
# out of date: the indicator's newest figure is shown and a newer one is overdue by today
stale = {
    code: label == newest.get(code)
    and scorecard.is_stale(ends.get(label), frequency.get(code, ""), today, due_days)
    for code, label in zip(latest["indicator_code"], latest["period_label"], strict=True)
}
key = indicators[indicators["theme_kind"] != "context"]["code"]
shown = latest[latest["indicator_code"].isin(key)]
scorecard.demo_notice(shown["data_kind"])
scorecard.summary_metrics(shown)


# plan in place, for signed-in viewers who may see plans (plans are not public)
plans = plan_views.plan_status(period, ctx)


def rows(group) -> None:
    for ind in group.to_dict("records"):
        code = ind["code"]
        if code not in by_code.index:
            st.caption(f"{ind['title']}: no figure for {names.get(area, area)} up to {period}.")
            continue
        fig = by_code.loc[code].to_dict() | {"indicator_code": code}
        history = histories[code]
        history = history[history["period_start"] <= fig["period_start"]].tail(12)
        scorecard.indicator_row(
            ind,
            fig,
            history,
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
            st.table(scorecard.context_table(group, by_code, names.get(area, area), stale))
