"""Recovery plans: the register of critical indicators and their plans, with overdue plans,
overdue actions and missed trajectories flagged, and a "Draft a recovery plan" button."""

from datetime import date

import pandas as pd
import streamlit as st

from csa import formatting
from csa.access import PermissionDenied, allowed
from csa.plans import evidence as plan_evidence
from csa.plans import workflow
from ui import context, data, filters, plan_views
from ui.format import badge

ctx = context.guard(__file__)
viewer = ctx.viewer
actor = viewer.actor
st.title("Recovery plans")
if not allowed(actor, "view_plans"):
    st.error("Recovery plans are for signed-in partners: officers, analysts and the board.")
    st.stop()

opened = st.session_state.pop("_open_plan", None)  # set by "Draft a recovery plan"
if opened is not None:
    st.switch_page("pages/plans/plan_editor.py", query_params={"plan": str(opened)})

flash = st.session_state.pop("_plans_flash", None)
if flash:
    st.error(flash)

quarters = data.periods_with_figures("quarterly")
if not quarters:
    st.info("No quarterly figures yet, so nothing has been assessed.")
    st.stop()
period = filters.period_select(quarters, default=quarters[-1])
today = date.today()
st.caption(
    f"Every indicator and area flagged **critical** in **{period}** (a recovery plan is "
    "required), and every plan still open. Overdue is judged as of "
    f"{today:%-d %B %Y}."
)

reg = plan_views.register(period, viewer, today)
c = st.columns(5)
c[0].metric("⚠ Critical", int(reg["critical"].sum()))
c[1].metric("⚠ No plan yet", int((reg["plan_state"] == workflow.NONE_YET).sum()))
c[2].metric("➤ Awaiting approval", int((reg["plan_state"] == "submitted").sum()))
c[3].metric(
    "◷ Overdue (plans or actions)", int(((reg["overdue_actions"] > 0) | reg["plan_overdue"]).sum())
)
c[4].metric("✖ Below trajectory", int((reg["missed_trajectory"] > 0).sum()))

if reg.empty:
    st.success(f"No indicator is critical in {period} and no recovery plan is open.")
    st.stop()

left, right = st.columns([3, 2])
show = left.radio(
    "Show",
    ["All", "Needs attention", "No plan yet", "Open plans"],
    horizontal=True,
    key="plans_show",
    help="Needs attention: no plan yet, returned, overdue or below its trajectory.",
)
if viewer.role == "officer" and viewer.org_code:
    mine = right.toggle("Only indicators my organisation leads", value=True, key="plans_mine")
    if mine:
        reg = reg[reg["lead_org_code"] == viewer.org_code]
if show == "Needs attention":
    reg = reg[reg["flags"].map(bool) | (reg["plan_state"] == "returned")]
elif show == "No plan yet":
    reg = reg[reg["plan_state"] == workflow.NONE_YET]
elif show == "Open plans":
    reg = reg[reg["plan_state"].isin(["draft", "submitted", "approved", "returned", "monitoring"])]
if reg.empty:
    st.info("Nothing to show with this choice.")


def draft(code: str, area: str) -> None:
    """Create the pre-filled draft and open it in the editor."""
    try:
        ev = plan_evidence.build_evidence(
            data.inputs(),
            ctx.settings,
            code,
            area,
            period,
            figures=ctx.figures(indicators=[code]),
        )
        plan_id = workflow.create_plan(
            data.database(),
            actor,
            indicator_code=code,
            area_code=area,
            period_label=period,
            evidence=ev,
        )
    except (PermissionDenied, ValueError) as exc:
        st.session_state["_plans_flash"] = str(exc)
        return
    st.session_state["_editor_flash"] = (
        "Drafted from the evidence. Add the root causes, "
        "actions and trajectory, then save or submit."
    )
    st.session_state["_open_plan"] = plan_id


indicators = data.indicators().set_index("code")
for row in reg.to_dict("records"):
    ind = indicators.loc[row["indicator_code"]]
    with st.container(border=True):
        left, mid, right = st.columns([3.2, 2.6, 1.6])
        with left:
            st.markdown(f"**{row['indicator_title']}**, {row['area_name']}")
            st.caption(f"{row['indicator_code']} · lead: {ind['lead_organisation']}")
            status = row["label"] + (" · CRITICAL" if row["critical"] else "")
            figure = formatting.figure(row["value"], ind["unit"])
            target = (
                ""
                if row["target"] is None or pd.isna(row["target"])
                else f" · target {formatting.figure(row['target'], ind['unit'])}"
            )
            st.markdown(
                f"{badge(row['rag'], status)} &nbsp; {figure}{target}", unsafe_allow_html=True
            )
        with mid:
            st.markdown(plan_views.state_badge(row["plan_state"]), unsafe_allow_html=True)
            if row["review_date"]:
                st.caption(f"Review date {row['review_date']}")
            if row["flags"]:
                st.markdown(plan_views.flag_lines(row["flags"]))
        with right:
            key = f"{row['indicator_code']}_{row['area_code']}"
            if (
                row["plan_id"] is not None
                and not pd.isna(row["plan_id"])
                and row["plan_state"] != "closed"
            ):
                st.page_link(
                    "pages/plans/plan_editor.py",
                    label="Open the plan",
                    icon=":material/edit_note:",
                    query_params={"plan": str(int(row["plan_id"]))},
                )
            elif workflow.can(actor, "create", None, ind["lead_org_code"]):
                st.button(
                    "Draft a recovery plan",
                    key=f"draft_{key}",
                    type="primary",
                    on_click=draft,
                    args=(row["indicator_code"], row["area_code"]),
                    icon=":material/note_add:",
                )
            else:
                st.caption(f"The lead ({ind['lead_organisation']}) drafts the plan.")
            st.page_link(
                "pages/scorecard/indicator.py",
                label="See the indicator",
                icon=":material/show_chart:",
                query_params={"indicator": row["indicator_code"], "area": row["area_code"]},
            )
