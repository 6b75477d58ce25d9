"""Recovery plan editor: the evidence (read-only), the plan (root causes, actions, trajectory,
risks, resources, review date), the strategy group's decisions, progress, and history.

The buttons shown follow :func:`csa.plans.workflow.available_moves`; every move goes through
:mod:`csa.plans.workflow`, which checks the permission again and audits the change.
"""

from datetime import date

import pandas as pd
import streamlit as st

from csa import demo_labels, publish
from csa.access import PermissionDenied, allowed, can_see_indicator
from csa.exports import safe_frame
from csa.plans import content as pc
from csa.plans import tracking, workflow
from csa.reports import charts as print_charts
from ui import charts, context, data, plan_views
from ui.format import assurance_text, badge, md, number, unit_label, variation_text

ctx = context.guard(__file__)
viewer = ctx.viewer
actor = viewer.actor
st.title("Recovery plan")
if not allowed(actor, "view_plans"):
    st.error("Recovery plans are for signed-in partners: officers, analysts and the board.")
    st.stop()

db = data.database()
indicators = data.indicators().set_index("code")
today = date.today()

for key, show in (("_editor_flash", st.success), ("_editor_error", st.error)):
    message = st.session_state.pop(key, None)
    if message:
        show(message)

# -- which plan ----------------------------------------------------------------------------
plans = db.plans()
plans = plans[
    [
        can_see_indicator(
            actor, bool(indicators.loc[c, "public"]), indicators.loc[c, "lead_org_code"]
        )
        for c in plans["indicator_code"]
    ]
]
if plans.empty:
    st.info("No recovery plans yet. Draft one from the register of critical indicators.")
    st.page_link("pages/plans/plans.py", label="Open the register", icon=":material/list_alt:")
    st.stop()
labels = {
    str(r.id): f"Plan {r.id}: {r.indicator_title}, {r.area_name}, raised {r.period_label}"
    for r in plans.itertuples(index=False)
}
wanted = st.query_params.get("plan")
if wanted not in labels:
    wanted = next(iter(labels))
plan_key = st.selectbox(
    "Plan",
    list(labels),
    index=list(labels).index(wanted),
    format_func=labels.get,
    key="editor_plan",
)
if st.query_params.get("plan") != plan_key:
    st.query_params["plan"] = plan_key
plan_id = int(plan_key)
plan = db.plan(plan_id)
content = plan["content"]
ev = content.get("evidence") or {}
figs = ev.get("figures") or {}
code, area = plan["indicator_code"], plan["area_code"]
ind = indicators.loc[code]
unit = ind["unit"]
unit_title = unit_label(unit, int(ind["multiplier"]))
lead = plan["lead_org_code"]
moves = workflow.available_moves(actor, plan["state"], lead)
version = int(plan["version"])


def run(move, *args, success: str, **kwargs) -> None:
    """Make a workflow move; show problems in plain words, or rerun with the news."""
    try:
        move(*args, **kwargs)
    except pc.PlanContentError as exc:
        st.error("The plan was not saved:\n\n" + "\n".join(f"- {p}" for p in exc.problems))
    except (PermissionDenied, workflow.WorkflowError, ValueError) as exc:
        st.error(str(exc))
    else:
        st.session_state["_editor_flash"] = success
        st.rerun()


# -- header ----------------------------------------------------------------------------------
st.header(md(plan["title"]))
verdict = ev.get("verdict") or {}
st.markdown(
    plan_views.state_badge(plan["state"])
    + " &nbsp; "
    + badge(
        verdict.get("rag", "grey"),
        (verdict.get("label") or "") + (" · CRITICAL" if verdict.get("critical") else ""),
    ),
    unsafe_allow_html=True,
)
st.caption(
    f"Version {version} · lead: {ind['lead_organisation']} · raised for "
    f"{md(plan['period_label'])} by {md(plan['created_by'])} · review date "
    f"{plan['review_date'] or 'not set'}"
)
if ev.get("data_kind") == "demo":
    st.caption("DEMO DATA: synthetic figures for demonstration, not real statistics.")

# the published signed-in figures of this plan's indicator and area (hidden ones left out)
now = ctx.figures(indicators=[code], areas=[area]).sort_values("period_start")
figures_now = tracking.published_series(now).get((code, area), {})
overdue = tracking.overdue_actions(content, today) if plan["state"] != "closed" else []
missed = (
    tracking.missed_trajectory(content.get("trajectory"), figures_now, ind["polarity"])
    if plan["state"] != "closed"
    else []
)
if tracking.plan_overdue(plan["state"], plan["review_date"], today):
    st.warning(
        f"Review overdue: the review date {plan['review_date']} has passed.",
        icon=":material/schedule:",
    )
if overdue:
    st.warning(
        "Overdue actions: "
        + "; ".join(
            f"{a['number']}. {md(a['description'])} (due {md(a['due_date'])}, "
            f"{a['days_overdue']} days ago)"
            for a in overdue
        ),
        icon=":material/schedule:",
    )
if missed:
    st.warning(
        "Below the trajectory: "
        + "; ".join(
            f"{m['period_label']} was {number(m['actual'], unit)} against "
            f"{number(m['expected'], unit)} expected"
            for m in missed
        ),
        icon=":material/error:",
    )
versions = db.plan_versions(plan_id)
if plan["state"] == "returned":
    last = versions.iloc[-1]
    st.warning(
        f"Returned with comments by {md(last['saved_by'])} on "
        f"{pd.Timestamp(last['saved_at']):%-d %B %Y}: {md(last['comment'])}",
        icon=":material/undo:",
    )
if plan["state"] == "closed":
    st.info(f"Closed. Outcome: {md(plan['outcome'])}", icon=":material/task_alt:")

data_version = data.version()
st.download_button(
    "Download the plan (Word)",
    lambda: plan_views.plan_docx(plan_id, today, data_version),
    f"recovery_plan_{plan_id}_{code}_{area}.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    icon=":material/download:",
    key="docx_download",
    on_click="ignore",
    help="The whole plan with its charts, ready to send to the strategy group.",
)

tab_evidence, tab_plan, tab_decide, tab_history = st.tabs(
    ["Evidence", "The plan", "Decisions and progress", "History"]
)

#: The least height of a chart on this page (px).
MIN_CHART_HEIGHT = 260
SHARE_COLUMN = "Share of the total rise or fall"
DIRECTION_WORDS = {"rise": "Pushed it up", "fall": "Pulled it down", "none": "No change"}


def contribution_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Each area's contribution, which way it moved the figure, and its share of the total
    rise (if it pushed the figure up) or of the total fall (if it pulled it down), as
    :mod:`csa.plans.contributions` writes them (``direction``, ``share``)."""
    if "direction" in rows:
        direction, share = rows["direction"], rows["share"]
    else:  # a plan drafted before directions were written: work them out the same way
        from csa.plans.contributions import directional_shares

        direction, share = directional_shares(rows["contribution"])
    return pd.DataFrame(
        {
            "Area": rows["area_name"],
            "Before": rows["from_value"],
            "Now": rows["to_value"],
            "Contribution": rows["contribution"],
            "Direction": [DIRECTION_WORDS.get(d, d) for d in direction],
            SHARE_COLUMN: pd.to_numeric(pd.Series(list(share), index=rows.index), errors="coerce"),
        }
    )


# -- evidence (read-only) ---------------------------------------------------------------------
with tab_evidence:
    st.caption(
        f"What the data said when the plan was drafted ({ev.get('period_label')}). "
        "The chart shows the figures now, with the plan's trajectory."
    )
    for line in ev.get("summary") or []:
        st.markdown(f"- {line}")
    m = st.columns(4)
    m[0].metric(f"Latest ({ev.get('period_label')})", number(figs.get("value"), unit))
    m[1].metric(
        "Target", number(figs["target"], unit) if figs.get("target") is not None else "None"
    )
    m[2].metric("Lancashire", number(figs.get("benchmark_value"), unit))
    m[3].metric(
        f"A year earlier ({figs.get('year_earlier_period') or '–'})",
        number(figs.get("year_earlier_value"), unit),
    )
    st.markdown("**Why the assessment says so**")
    for reason in verdict.get("reasons") or []:
        st.markdown(f"- {reason}")
    spc_ev = ev.get("spc") or {}
    st.caption(
        f"{variation_text(spc_ev.get('variation'))} · "
        f"{assurance_text(spc_ev.get('assurance'))} · recent trend: "
        f"{(ev.get('trend') or {}).get('direction', '–')}"
    )

    # the published figure's SPC chart (signed-in audience), as at the latest period
    if not now.empty:
        latest = now.iloc[-1]
        spc = publish.spc_chart(latest, now)
        source = spc if not spc.empty else now[["period_label", "value"]]
        target = None if pd.isna(latest["target"]) else float(latest["target"])  # never NaN
        calendar = data.periods()
        calendar = calendar[calendar["frequency"] == ind["frequency"]]
        options = dict(
            unit=unit,
            target=target,
            trajectory=content.get("trajectory") or None,
            periods=list(calendar.sort_values("start_date")["label"]),
        )
        kinds = dict(
            zip(now["period_label"], demo_labels.series_kinds(now, ind["data_kind"]), strict=True)
        )
        words = charts.spc_summary(source, f"{ind['title']} in {ev.get('area_name')}", **options)
        st.altair_chart(
            charts.spc_chart(
                source,
                f"{ind['title']}: {ev.get('area_name')}",
                unit_title,
                data_kinds=kinds,
                **options,
            ),
            width="stretch",
            alt=words,
        )
        st.caption(words)
        st.caption(
            charts.spc_key(
                source, target=target, trajectory=options["trajectory"], data_kinds=kinds
            )
        )
    for block in ev.get("contributions") or []:
        part = block.get("change") or {}
        if part.get("error"):
            st.caption(f"{block['group_name']}: {part['error']}.")
            continue
        if not part.get("rows"):
            continue
        st.subheader(f"Which areas drive {block['group_name']}'s change")
        rows = pd.DataFrame(part["rows"])
        st.caption(
            f"{block['group_name']}: {number(part['from_value'], unit)} in "
            f"{part['from_period']} to {number(part['to_value'], unit)} in "
            f"{part['to_period']} ({part['total']:+.3f}). {part['method_words']}"
        )
        st.altair_chart(
            print_charts.contribution_chart(
                rows,
                f"Contributions to {block['group_name']}'s change",
                unit_title,
                focus=block.get("focus"),
            ).properties(height=max(MIN_CHART_HEIGHT, 24 * len(rows))),
            width="stretch",
        )
        st.dataframe(
            safe_frame(contribution_table(rows)),
            hide_index=True,
            width="stretch",
            column_config={
                "Contribution": st.column_config.NumberColumn(format="%+.3f"),
                SHARE_COLUMN: st.column_config.NumberColumn(format="percent"),
            },
        )
        short = block.get("shortfall") or {}
        if short.get("rows"):
            srows = pd.DataFrame(short["rows"])
            top = srows.iloc[0]
            st.caption(
                f"Gap from the target ({number(short['from_value'], unit)}): "
                f"{short['total']:+.3f}; the largest part is {top['area_name']} "
                f"({top['contribution']:+.3f}). {short['method_words']}"
            )

# -- the plan ---------------------------------------------------------------------------------
ACTION_COLUMNS = {
    "description": st.column_config.TextColumn("What will be done", width="large"),
    "owner_org": st.column_config.TextColumn(
        "Owner organisation",
        help="A partner code (e.g. LVRN, LANCS-POLICE, LCC) or the organisation's name",
    ),
    "owner": st.column_config.TextColumn("Owner", help="A person or post"),
    "due_date": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
    "status": st.column_config.SelectboxColumn(
        "Status", options=list(pc.ACTION_STATUSES), default="not started"
    ),
}


def new_action_inputs(suffix: str) -> dict:
    """Fields to add one action (easier than typing into the table); blank: no new action."""
    st.markdown("**Add an action**")
    a1, a2, a3 = st.columns([3.2, 2, 2])
    a4, a5, _ = st.columns([1.6, 1.6, 4])
    return {
        "description": a1.text_input("What will be done", key=f"new_desc_{suffix}"),
        "owner_org": a2.text_input(
            "Owner organisation",
            key=f"new_org_{suffix}",
            help="A partner code (e.g. LVRN, LANCS-POLICE, LCC) or the organisation's name",
        ),
        "owner": a3.text_input("Owner", key=f"new_owner_{suffix}", help="A person or post"),
        "due_date": a4.date_input("Due", value=None, key=f"new_due_{suffix}", format="YYYY-MM-DD"),
        "status": a5.selectbox("Status", pc.ACTION_STATUSES, key=f"new_status_{suffix}"),
    }


def with_new_action(actions: list[dict], new: dict) -> list[dict]:
    """``actions`` plus the action typed in the fields, when its description is filled."""
    if not (new.get("description") or "").strip():
        return actions
    return actions + pc.parse_actions([new])


def actions_frame(actions) -> pd.DataFrame:
    df = pd.DataFrame(actions, columns=list(ACTION_COLUMNS))
    df["due_date"] = pd.to_datetime(df["due_date"], errors="coerce")
    return df


def trajectory_frame() -> tuple[pd.DataFrame, bool]:
    horizon = workflow.trajectory_periods(data.periods(), plan["period_label"], n=8)
    current = content.get("trajectory") or {}
    suggested = (
        {}
        if current
        else pc.suggest_trajectory(figs.get("value"), figs.get("target"), horizon, ind["polarity"])
    )
    values = current or suggested
    labels_ = horizon + [p for p in current if p not in horizon]
    return pd.DataFrame({"period_label": labels_, "value": [values.get(p) for p in labels_]}), bool(
        suggested
    )


def show_plan_read_only() -> None:
    st.markdown("**Root causes**")
    for item in content.get("root_causes") or ["None recorded."]:
        st.markdown(f"- {md(item)}")
    st.markdown("**Actions**")
    acts = content.get("actions") or []
    if acts:
        late = {a["number"] for a in overdue}
        df = pd.DataFrame(acts, columns=list(ACTION_COLUMNS))
        df["status"] = [
            s + (" · ◷ overdue" if i in late else "") for i, s in enumerate(df["status"], start=1)
        ]
        st.dataframe(
            safe_frame(
                df.rename(
                    columns={
                        "description": "What will be done",
                        "owner_org": "Owner organisation",
                        "owner": "Owner",
                        "due_date": "Due",
                        "status": "Status",
                    }
                )
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("No actions recorded.")
    st.markdown("**Expected recovery trajectory**")
    traj = content.get("trajectory") or {}
    if traj:
        missed_set = {x["period_label"] for x in missed}
        st.dataframe(
            safe_frame(
                pd.DataFrame(
                    {
                        "Period": list(traj),
                        f"Expected ({unit_title})": list(traj.values()),
                        "Actual": [figures_now.get(p) for p in traj],
                        "On trajectory?": [
                            ("✖ missed" if p in missed_set else "✔ yes")
                            if p in figures_now and not pd.isna(figures_now[p])
                            else "not yet"
                            for p in traj
                        ],
                    }
                )
            ),
            hide_index=True,
        )
    else:
        st.caption("No trajectory set.")
    st.markdown("**Risks**")
    for item in content.get("risks") or ["None recorded."]:
        st.markdown(f"- {md(item)}")
    st.markdown(f"**Resources:** {md(content.get('resources') or 'None recorded.')}")
    st.markdown(f"**Review date:** {md(content.get('review_date') or 'not set')}")
    if content.get("progress_note"):
        st.markdown(f"**Progress:** {md(content['progress_note'])}")


with tab_plan:
    editable = plan["state"] in ("draft", "returned") and ({"save", "submit"} & set(moves))
    progress = plan["state"] in ("approved", "monitoring") and "update" in moves
    suffix = f"{plan_id}_{version}"  # new widgets after each save, holding the saved values
    if editable:
        with st.form(f"plan_form_{suffix}"):
            causes = st.text_area(
                "Root causes (one per line)",
                "\n".join(content.get("root_causes") or []),
                key=f"causes_{suffix}",
                help="What the partners think is driving the figures.",
            )
            st.markdown("**Actions**")
            st.caption(
                "Edit the actions in the table (add or delete rows there too), or add "
                "one with the fields below it."
            )
            edited_actions = st.data_editor(
                actions_frame(content.get("actions") or []),
                column_config=ACTION_COLUMNS,
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                key=f"actions_{suffix}",
            )
            new_action = new_action_inputs(suffix)
            st.markdown(
                f"**Expected recovery trajectory** ({unit_title}), for each quarter "
                "until the indicator is back on track"
            )
            traj_df, suggested = trajectory_frame()
            if suggested:
                st.caption(
                    "Pre-filled with a straight line from the latest figure to the "
                    "target over four quarters: change it to what the partners expect. "
                    "Leave a quarter blank when it is past the recovery."
                )
            edited_traj = st.data_editor(
                traj_df,
                hide_index=True,
                key=f"trajectory_{suffix}",
                disabled=["period_label"],
                column_config={
                    "period_label": st.column_config.TextColumn("Quarter"),
                    "value": st.column_config.NumberColumn(
                        f"Expected ({unit_title})", min_value=0.0, format="%.3f"
                    ),
                },
            )
            risks = st.text_area(
                "Risks (one per line)", "\n".join(content.get("risks") or []), key=f"risks_{suffix}"
            )
            resources = st.text_area(
                "Resources", content.get("resources") or "", key=f"resources_{suffix}"
            )
            review = st.date_input(
                "Review date",
                value=date.fromisoformat(content["review_date"])
                if content.get("review_date")
                else None,
                key=f"review_{suffix}",
                format="YYYY-MM-DD",
            )
            note = st.text_input("Note for this version (optional)", key=f"note_{suffix}")
            b1, b2 = st.columns(2)
            save = b1.form_submit_button(
                "Save version", icon=":material/save:", disabled="save" not in moves
            )
            submit = b2.form_submit_button(
                "Submit to the strategy group",
                type="primary",
                icon=":material/send:",
                disabled="submit" not in moves,
            )
        if save or submit:
            try:
                body = {
                    "root_causes": pc.lines(causes),
                    "actions": with_new_action(pc.parse_actions(edited_actions), new_action),
                    "trajectory": pc.parse_trajectory(edited_traj),
                    "risks": pc.lines(risks),
                    "resources": resources.strip(),
                    "review_date": review.isoformat() if review else None,
                }
            except pc.PlanContentError as exc:
                st.error("The plan was not saved:\n\n" + "\n".join(f"- {p}" for p in exc.problems))
            else:
                if submit:
                    run(
                        workflow.submit_plan,
                        db,
                        actor,
                        plan_id,
                        body,
                        comment=note,
                        base_version=version,
                        success="Submitted to the strategy group for approval.",
                    )
                else:
                    run(
                        workflow.save_plan,
                        db,
                        actor,
                        plan_id,
                        body,
                        comment=note,
                        base_version=version,
                        success=f"Saved as version {version + 1}.",
                    )
    elif progress:
        show_plan_read_only()
        st.subheader("Record progress")
        with st.form(f"progress_form_{suffix}"):
            acts = content.get("actions") or []
            statuses = st.data_editor(
                actions_frame(acts),
                column_config=ACTION_COLUMNS,
                hide_index=True,
                disabled=["description", "owner_org", "owner", "due_date"],
                width="stretch",
                key=f"progress_actions_{suffix}",
            )
            new_action = new_action_inputs(suffix)
            note_text = st.text_area(
                "Progress note", content.get("progress_note") or "", key=f"progress_note_{suffix}"
            )
            review = st.date_input(
                "Review date",
                value=date.fromisoformat(content["review_date"])
                if content.get("review_date")
                else None,
                key=f"progress_review_{suffix}",
                format="YYYY-MM-DD",
            )
            done = st.form_submit_button(
                "Record progress", type="primary", icon=":material/update:"
            )
        if done:
            try:
                updated = with_new_action(pc.parse_actions(statuses), new_action)
            except pc.PlanContentError as exc:
                st.error(
                    "Progress was not recorded:\n\n" + "\n".join(f"- {p}" for p in exc.problems)
                )
            else:
                run(
                    workflow.update_progress,
                    db,
                    actor,
                    plan_id,
                    {
                        "actions": updated,
                        "progress_note": note_text.strip(),
                        "review_date": review.isoformat() if review else None,
                    },
                    base_version=version,
                    success="Progress recorded.",
                )
    else:
        show_plan_read_only()
        if plan["state"] in ("draft", "returned"):
            st.caption(
                f"Only the lead organisation ({ind['lead_organisation']}), analysts and "
                "administrators can edit this plan."
            )

# -- decisions and progress -------------------------------------------------------------------
with tab_decide:
    shown = False
    if {"approve", "return"} & set(moves):
        shown = True
        st.subheader("The strategy group's decision")
        with st.form(f"decision_{suffix}"):
            comments = st.text_area(
                "Comments (needed to return the plan)", key=f"comments_{suffix}"
            )
            d1, d2 = st.columns(2)
            approve = d1.form_submit_button(
                "Approve",
                type="primary",
                icon=":material/check_circle:",
                disabled="approve" not in moves,
            )
            send_back = d2.form_submit_button(
                "Return with comments", icon=":material/undo:", disabled="return" not in moves
            )
        if approve:
            run(
                workflow.approve_plan,
                db,
                actor,
                plan_id,
                comments.strip(),
                success="Approved. The lead can now start monitoring it.",
            )
        if send_back:
            run(
                workflow.return_plan,
                db,
                actor,
                plan_id,
                comments,
                success="Returned to the lead with your comments.",
            )
    if "monitor" in moves:
        shown = True
        st.subheader("Monitoring")
        st.caption(
            "Once the actions are under way, monitor the plan: progress is recorded "
            "against it each quarter until it closes."
        )
        if st.button("Start monitoring", icon=":material/monitoring:", key=f"mon_{suffix}"):
            run(workflow.start_monitoring, db, actor, plan_id, success="Monitoring started.")
    if "close" in moves:
        shown = True
        st.subheader("Close the plan")
        with st.form(f"close_{suffix}"):
            outcome = st.text_area(
                "Outcome",
                key=f"outcome_{suffix}",
                help="What happened, and why the plan can close (e.g. "
                "back on target for two quarters).",
            )
            close = st.form_submit_button("Close the plan", icon=":material/task_alt:")
        if close:
            run(workflow.close_plan, db, actor, plan_id, outcome, success="Plan closed.")
    if not shown:
        waiting = {
            "draft": "The lead is drafting the plan.",
            "returned": "The plan went back to the lead with comments.",
            "submitted": "Waiting for the strategy group (the board) to approve it or return "
            "it with comments.",
            "approved": "Approved: the lead records progress and starts monitoring.",
            "monitoring": "Being monitored: the lead records progress each quarter.",
            "closed": "Closed.",
        }
        st.info(waiting.get(plan["state"], ""))

# -- history ----------------------------------------------------------------------------------
with tab_history:
    st.dataframe(
        safe_frame(
            pd.DataFrame(
                {
                    "Version": versions["version"],
                    "State": versions["state"].map(lambda s: workflow.STATE_WORDS.get(s, s)),
                    "Saved by": versions["saved_by"],
                    "Saved at": versions["saved_at"],
                    "Comment": versions["comment"],
                }
            )
        ),
        hide_index=True,
        width="stretch",
    )
    pick = st.selectbox(
        "Look at version", versions["version"].tolist()[::-1], key=f"history_pick_{plan_id}"
    )
    old = db.plan_version(plan_id, int(pick))
    if old is not None:
        shown_content = {k: v for k, v in old["content"].items() if k != "evidence"}
        st.json(shown_content, expanded=False)
