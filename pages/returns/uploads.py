"""Upload history (analysts and admins): every imported file, each figure's revisions, rollback.

Rolling back goes through csa.returns.rollback_upload, which checks the permission again,
appends restoring revisions (nothing is deleted) and audits it.
"""

import re

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from csa.access import Actor, PermissionDenied, allowed
from csa.db.core import ReadOnlyDatabase
from csa.exports import safe_frame
from csa.returns import RollbackRefused, rollback_upload
from ui import context, data, session
from ui.format import md

FLASH = "_uploads_flash"


KINDS = ["return", "rollback", "seed"]

ctx = context.guard(__file__)  # a page checks for itself, too
viewer = ctx.viewer
actor = Actor(viewer.email, viewer.role, viewer.org_code)
st.title("Upload history")
if session.is_embedded() or not allowed(actor, "rollback_upload"):
    st.error("Only analysts and administrators can see the upload history.")
    st.stop()

db = data.database()
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash)

kinds = st.multiselect("Kinds of upload", KINDS, default=["return", "rollback"], key="upload_kinds")
uploads = db.uploads(kinds=kinds or KINDS)
if uploads.empty:
    st.info("No uploads of these kinds yet.")
    st.stop()

shown = uploads.rename(
    columns={
        "id": "Upload",
        "kind": "Kind",
        "file_name": "File",
        "user_email": "By",
        "created_at": "When (UTC)",
        "outcome": "Outcome",
        "rows_new": "New",
        "rows_changed": "Changed",
        "rows_unchanged": "Unchanged",
        "rolled_back_by": "Rolled back by",
        "rolled_back_at": "Rolled back at (UTC)",
        "message": "Note",
    }
)
st.dataframe(
    safe_frame(
        shown[
            [
                "Upload",
                "When (UTC)",
                "By",
                "Kind",
                "File",
                "Outcome",
                "New",
                "Changed",
                "Unchanged",
                "Rolled back by",
                "Rolled back at (UTC)",
                "Note",
            ]
        ]
    ),
    hide_index=True,
    width="stretch",
)

labels = {
    int(r.id): f"#{int(r.id)} {r.file_name} ({r.outcome}, {r.user_email})"
    for r in uploads.itertuples(index=False)
}
chosen = st.selectbox("Upload", list(labels), format_func=labels.get, key="upload_id")
upload = db.upload(chosen)
if upload is None:  # removed between reads: cannot happen (append-only), but never crash
    st.stop()

st.subheader(f"Upload #{chosen}: {md(upload['file_name'])}")
st.caption(
    f"{upload['kind']} by {md(upload['user_email'])} on "
    f"{pd.Timestamp(upload['created_at']):%d %B %Y %H:%M} UTC; outcome "
    f"{upload['outcome']}; SHA-256 {upload['sha256']}"
)
if upload["kind"] == "return":
    original = db.upload_content(chosen)
    if original:
        safe_name = re.sub(r"[^A-Za-z0-9._ -]+", "_", str(upload["file_name"]))[:120]
        st.download_button(
            "Download the original file",
            original,
            file_name=f"upload-{chosen}-{safe_name}",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="download_original",
        )

revisions = db.revisions_of_upload_figures(chosen)
if revisions.empty:
    st.info("This upload wrote no figures (every row matched the figures already held).")
else:
    revisions = revisions.assign(
        From=[
            ("this upload" if u == chosen else f"#{int(u)} {f} ({o})") if pd.notna(u) else ""
            for u, f, o in zip(
                revisions["upload_id"],
                revisions["file_name"],
                revisions["upload_outcome"],
                strict=True,
            )
        ]
    )
    table = revisions.rename(
        columns={
            "indicator_code": "Indicator",
            "area_code": "Area",
            "period_label": "Period",
            "revision": "Revision",
            "numerator": "Numerator",
            "denominator": "Denominator",
            "value": "Value",
            "status": "Status",
            "withdrawn": "Withdrawn",
            "data_kind": "Kind",
            "created_by": "By",
            "created_at": "When (UTC)",
            "note": "Note",
        }
    )
    n_figures = len(revisions[["indicator_code", "area_code", "period_label"]].drop_duplicates())
    st.markdown(
        f"**Every revision of the {n_figures} figures this upload wrote** "
        "(newest first; the current figure is the top revision of each)"
    )
    st.dataframe(
        safe_frame(
            table[
                [
                    "Indicator",
                    "Area",
                    "Period",
                    "Revision",
                    "Value",
                    "Numerator",
                    "Denominator",
                    "Status",
                    "Withdrawn",
                    "Kind",
                    "From",
                    "By",
                    "When (UTC)",
                    "Note",
                ]
            ]
        ),
        hide_index=True,
        width="stretch",
    )

if upload["kind"] == "rollback" and pd.notna(upload.get("reverts_upload_id")):
    st.caption(f"This rollback undid upload #{int(upload['reverts_upload_id'])}.")
if upload["outcome"] == "rolled_back" and upload.get("message"):
    st.caption(md(str(upload["message"])))
if upload["kind"] in ("return", "rollback") and upload["outcome"] == "committed":
    st.subheader("Roll this upload back")
    if upload["kind"] == "rollback":
        st.caption(
            "Rolling a rollback back applies again the values it undid, as new revisions. "
            "Nothing is deleted, and it is audited."
        )
    else:
        st.caption(
            "Each figure it changed gets a new revision restoring the previous value; each "
            "figure it created is withdrawn. Nothing is deleted, and the rollback is "
            "audited."
        )
    reason = st.text_input("Reason", max_chars=500, key="rollback_reason")
    sure = st.checkbox(f"Yes, roll upload #{chosen} back", key=f"rollback_sure_{chosen}")
    if st.button("Roll back", type="primary", disabled=not sure, key="rollback_button"):
        try:
            result = rollback_upload(db, actor, chosen, reason=reason)
        except (RollbackRefused, PermissionDenied, ReadOnlyDatabase) as exc:
            st.error(str(exc))
        except SQLAlchemyError:
            st.error("The database could not roll the upload back; nothing was changed.")
        else:
            st.session_state[FLASH] = result.message
            st.rerun()
