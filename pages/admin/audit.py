"""Audit log (admins): sign-ins, uploads, rollbacks, plan decisions, role changes, refusals."""

from datetime import date, datetime, time, timedelta

import streamlit as st

from csa import accounts
from csa.access import allowed
from csa.exports import csv_bytes, safe_frame
from ui import context, data

ctx = context.guard(__file__)  # a page checks for itself, too
viewer = ctx.viewer
st.title("Audit log")
if not allowed(viewer.actor, "view_audit"):
    st.error("Only administrators can read the audit log.")
    st.stop()

db = data.database()
st.caption(
    "Every sign-in (successful or not), upload, rollback, plan decision, user and role "
    "change, and every refused action. Times are UTC. Newest first."
)

OUTCOMES = ["ok", "failed", "refused"]
top = st.columns([2, 2, 1])
actions = top[0].multiselect("Actions", db.audit_actions(), placeholder="All actions")
outcomes = top[1].multiselect("Outcomes", OUTCOMES, placeholder="All outcomes")
limit = top[2].number_input("Show at most", min_value=10, max_value=10000, value=500, step=100)
bottom = st.columns([2, 2, 2])
user = bottom[0].text_input("User email contains", max_chars=254)
text = bottom[1].text_input("Target or detail contains", max_chars=200)
today = date.today()
span = bottom[2].date_input(
    "Dates", value=(today - timedelta(days=30), today), max_value=today + timedelta(days=1)
)

since = until = None
if isinstance(span, tuple) and len(span) == 2:
    since = datetime.combine(span[0], time.min)
    until = datetime.combine(span[1] + timedelta(days=1), time.min)

log = accounts.audit_log(
    db,
    viewer.actor,
    actions=actions or None,
    outcomes=outcomes or None,
    user_email=user or None,
    text=text or None,
    since=since,
    until=until,
    limit=int(limit),
)
st.caption(f"{len(log)} entries shown.")
if log.empty:
    st.info("No audit entries match these filters.")
else:
    shown = log.rename(
        columns={
            "at": "When (UTC)",
            "user_email": "User",
            "action": "Action",
            "target": "Target",
            "outcome": "Outcome",
            "detail": "Detail",
        }
    ).drop(columns=["id"])
    st.dataframe(safe_frame(shown), hide_index=True, width="stretch")
    st.download_button(
        "Download these entries (CSV)", csv_bytes(shown), file_name="audit_log.csv", mime="text/csv"
    )
