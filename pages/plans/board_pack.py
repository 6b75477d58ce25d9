"""Board pack: the quarterly Performance and Priorities Update, previewed and downloaded as a
Word document and an Excel workbook of the figures."""

from datetime import date

import streamlit as st

from csa.access import allowed
from csa.exports import safe_frame
from csa.reports.board_pack import AUDIENCES, plan_summary
from csa.reports.charts import trend_chart, trend_frame
from ui import context, data, filters, plan_views, relative_views
from ui.format import badge, unit_label

ctx = context.guard(__file__)
viewer = ctx.viewer
st.title("Board pack: Performance and Priorities Update")
if not allowed(viewer.actor, "view_board_pack"):
    st.error("The board pack is for analysts, the board and administrators.")
    st.stop()

quarters = data.periods_with_figures("quarterly")
if not quarters:
    st.info("No quarterly figures yet.")
    st.stop()
left, right = st.columns(2)
period = filters.period_select(quarters, container=left, default=quarters[-1])
audience = right.radio(
    "Audience",
    AUDIENCES,
    horizontal=True,
    key="pack_audience",
    format_func={
        "board": "The board (all indicators)",
        "public": "Publication (public indicators only)",
    }.get,
    help="The public version uses the published public figures: restricted indicators left "
    "out, figures hidden to protect small numbers show only why, and action owners are "
    "not named.",
)
today = date.today()
try:
    pack = plan_views.board_pack(period, audience, today)
except ValueError as exc:
    st.error(str(exc))
    st.stop()

version = data.version()
stem = f"performance_and_priorities_update_{period.replace(' ', '_')}"
if audience == "public":
    stem += "_public"
d1, d2 = st.columns(2)
d1.download_button(
    "Download Word document",
    lambda: plan_views.board_pack_docx(period, audience, today, version),
    f"{stem}.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    type="primary",
    icon=":material/description:",
    on_click="ignore",
    key="pack_docx",
)
d2.download_button(
    "Download Excel figures",
    lambda: plan_views.board_pack_xlsx(period, audience, today, version),
    f"{stem}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/table_view:",
    on_click="ignore",
    key="pack_xlsx",
)
st.caption(
    "The Word document has the charts as images, ready to circulate; it takes a few "
    "seconds to write."
)

st.header(pack.title)
st.caption(
    f"{pack.organisation} · prepared {pack.prepared_on:%-d %B %Y} · figures for "
    f"{pack.headline_area} unless stated"
)
if pack.demo_data:
    st.info(
        "**Demo data.** Some indicators show synthetic figures generated to demonstrate "
        "the dashboard; they are not real Lancashire statistics.",
        icon=":material/science:",
    )
c = pack.counts()
m = st.columns(5)
m[0].metric("✖ Off track", c["off_track"])
m[1].metric("▲ At risk", c["at_risk"])
m[2].metric("✔ On track", c["on_track"])
m[3].metric("⚠ Critical (any area)", c["critical"])
m[4].metric("◷ Actions overdue", c["actions_overdue"])

st.subheader("1. Summary by key issue")
st.dataframe(safe_frame(pack.summary), hide_index=True, width="stretch")

st.subheader(f"2. Off-track and critical indicators ({len(pack.sections)})")
st.caption(
    "For each indicator: Lancashire as a whole, then every area off track "
    "(Lancashire and the policing areas) or critical (any area)."
)
for section in pack.sections:
    head = section.headline
    title = section.indicator_title + (f" · {head.status_words}" if head else "")
    with st.expander(f"{title} · {len(section.areas)} area(s) listed"):
        if head is not None:
            st.markdown(
                badge(
                    head.rag,
                    f"{head.area_name}: {head.label}" + (" · CRITICAL" if head.critical else ""),
                ),
                unsafe_allow_html=True,
            )
            st.markdown(head.headline + ".")
            for reason in head.reasons[:6]:
                st.markdown(f"- {reason}")
        st.dataframe(safe_frame(section.table()), hide_index=True, width="stretch")
        for item in section.charts:
            if item.series["value"].notna().sum() >= 2 if not item.series.empty else False:
                st.altair_chart(
                    trend_chart(
                        trend_frame(item.series, item.target, item.trajectory),
                        f"{item.indicator_title}: {item.area_name}",
                        item.unit_words or unit_label(item.unit, 1),
                    ),
                    width="stretch",
                )
            elif item.suppressed or item.series.empty:
                st.caption(
                    f"{item.area_name}: no chart is published for this series"
                    + (
                        ", as it includes figures hidden to protect small numbers."
                        if item.suppressed
                        else "."
                    )
                )

st.subheader("3. Recovery plans")
if pack.plans.empty:
    st.caption("No indicator is critical and no plan is open.")
else:
    st.dataframe(safe_frame(plan_summary(pack.plans)), hide_index=True, width="stretch")
    plans = pack.plans[pack.plans["plan_state"] != "none yet"]
    st.dataframe(
        safe_frame(
            plans.assign(flags=plans["flags"].map("; ".join))[
                ["indicator_title", "area_name", "critical", "state_words", "review_date", "flags"]
            ].rename(
                columns={
                    "indicator_title": "Indicator",
                    "area_name": "Area",
                    "critical": "Critical now",
                    "state_words": "Plan",
                    "review_date": "Review",
                    "flags": "Flags",
                }
            )
        ),
        hide_index=True,
        width="stretch",
    )
st.markdown("**Overdue actions**")
if audience == "public":
    st.caption(f"{c['actions_overdue']} actions overdue (owners are named in the board's version).")
elif pack.overdue_actions.empty:
    st.caption("No action is overdue.")
else:
    st.dataframe(safe_frame(pack.overdue_actions), hide_index=True, width="stretch")

st.subheader("4. Changes since last quarter")
if pack.changes.empty:
    st.caption(
        f"No status changed since {pack.previous_period} for Lancashire and the policing areas."
    )
else:
    st.dataframe(safe_frame(pack.changes), hide_index=True, width="stretch")

relative_views.board_pack_section(pack.force_position, pack.partnership_position)

with st.expander("About these figures"):
    for note in pack.notes:
        st.markdown(f"- {note}")
