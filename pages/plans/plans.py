"""Recovery plans: the register of critical indicators (one row and one plan per indicator,
for the county, naming the areas where it is critical) and their plans, with overdue plans,
overdue actions and missed trajectories flagged, and a "Draft a recovery plan" button. The
figures are the published signed-in ones (their ``*_text`` columns)."""

from datetime import date

import streamlit as st

from csa.access import PermissionDenied, allowed
from csa.plans import evidence as plan_evidence
from csa.plans import tracking, workflow
from ui import context, data, filters, plan_views
from ui.format import badge, md

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
    f"One row for every indicator **critical** in **{period}**, for Lancashire or in any "
    "area: the agreement asks its lead organisation for one recovery plan, for the county, "
    "whose evidence shows each area's contribution (the critical districts and policing "
    "areas sit inside it). Then every plan still open. Overdue is judged as of "
    f"{today:%-d %B %Y}."
)

reg = plan_views.register(period, viewer, today)
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

# the tiles count what the list below shows (they follow the filter)
c = st.columns(5)
c[0].metric("⚠ Critical indicators", int(reg["critical"].sum()))
c[1].metric("⚠ No plan yet", int((reg["plan_state"] == workflow.NONE_YET).sum()))
c[2].metric("➤ Awaiting approval", int((reg["plan_state"] == "submitted").sum()))
c[3].metric(
    "◷ Overdue (plans or actions)", int(((reg["overdue_actions"] > 0) | reg["plan_overdue"]).sum())
)
c[4].metric("✖ Below trajectory", int((reg["missed_trajectory"] > 0).sum()))
if reg.empty:
    st.info("Nothing to show with this choice.")


def draft(code: str, targets: list[str]) -> None:
    """Create the pre-filled draft for the county (naming the areas where the indicator is
    critical) and open it in the editor."""
    try:
        ev = plan_evidence.build_evidence(
            data.inputs(),
            ctx.settings,
            code,
            tracking.PLAN_AREA,
            period,
            figures=ctx.figures(indicators=[code]),
        )
        plan_id = workflow.create_plan(
            data.database(),
            actor,
            indicator_code=code,
            period_label=period,
            evidence=ev,
            target_areas=targets,
        )
    except (PermissionDenied, ValueError) as exc:
        st.session_state["_plans_flash"] = str(exc)
        return
    st.session_state["_editor_flash"] = (
        "Drafted from the evidence. Add the root causes, "
        "actions and trajectory, then save or submit."
    )
    st.session_state["_open_plan"] = plan_id


def critical_words(row: dict) -> str:
    where = row["critical_areas"]
    if not where:
        return "Not critical now; the plan stays open until it is closed."
    return f"Critical in {len(where)} area{'s' if len(where) != 1 else ''}: {', '.join(where)}"


indicators = data.indicators().set_index("code")
for row in reg.to_dict("records"):
    ind = indicators.loc[row["indicator_code"]]
    has_plan = row["plan_id"] is not None
    with st.container(border=True):
        left, mid, right = st.columns([3.2, 2.6, 1.6])
        with left:
            st.markdown(f"**{md(row['indicator_title'])}**")
            st.caption(f"{row['indicator_code']} · lead: {md(ind['lead_organisation'])}")
            st.markdown(f"{'⚠ ' if row['critical'] else ''}{md(critical_words(row))}")
            status = row["status_text"] + (
                " · CRITICAL" if row["area_code"] in row["critical_area_codes"] else ""
            )
            target = "" if row["target_text"] == "no target" else f" · target {row['target_text']}"
            st.markdown(
                f"{badge(row['rag'], status)} &nbsp; {md(row['area_name'])}: "
                f"{md(row['value_text'])}{md(target)}",
                unsafe_allow_html=True,
            )
        with mid:
            st.markdown(plan_views.state_badge(row["plan_state"]), unsafe_allow_html=True)
            if has_plan:
                st.caption(
                    f"Plan {row['plan_id']} for {md(row['plan_area_name'])} · "
                    f"{md(row['review_text'])}"
                )
                if row["target_areas"]:
                    st.caption(f"Targets: {md(', '.join(row['target_areas']))}")
                if row["other_open_plans"]:
                    st.caption(f"Also open: {md('; '.join(row['other_open_plans']))}")
            if row["flags"]:
                st.markdown(plan_views.flag_lines(row["flags"]))
        with right:
            key = row["indicator_code"]
            if has_plan and row["plan_state"] != "closed":
                st.page_link(
                    "pages/plans/plan_editor.py",
                    label="Open the plan",
                    icon=":material/edit_note:",
                    query_params={"plan": str(row["plan_id"])},
                )
            elif workflow.can(actor, "create", None, ind["lead_org_code"]):
                st.button(
                    "Draft a recovery plan",
                    key=f"draft_{key}",
                    type="primary",
                    on_click=draft,
                    args=(row["indicator_code"], list(row["critical_area_codes"])),
                    icon=":material/note_add:",
                    help="One plan for Lancashire, naming the areas where it is critical.",
                )
            else:
                st.caption(f"The lead ({ind['lead_organisation']}) drafts the plan.")
            st.page_link(
                "pages/scorecard/indicator.py",
                label="See the indicator",
                icon=":material/show_chart:",
                query_params={"indicator": row["indicator_code"], "area": row["area_code"]},
            )
