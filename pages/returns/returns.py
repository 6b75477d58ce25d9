"""Returns (lead officers, analysts, admins): download a template, upload it, preview, confirm.

The page is thin: every check and every write is in ``csa.returns`` (prepare_return and
commit_return, which also hold the permission check). Errors are shown in plain words with
their cells, never as a traceback.
"""

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from csa.access import Actor, PermissionDenied, allowed
from csa.exports import safe_frame
from csa.returns import (
    ReturnError,
    ReturnRejected,
    StaleReturn,
    TemplateError,
    build_template,
    commit_return,
    prepare_return,
)
from csa.returns.preview import sha256_of
from csa.returns.reference import load_reference
from csa.returns.report import changes_table
from csa.returns.window import return_statuses
from ui import context, data, session
from ui.format import md

PREVIEW = "_return_preview"  # session key: {"sha": ..., "preview": Preview}
ROUND = "_return_round"  # session key: bumped after an import to reset the uploader
FLASH = "_return_flash"  # session key: the message of the last import
STALE = "_return_stale"  # session key: why the last confirm was refused (figures moved)
SEQ = "_return_seq"  # session key: numbers each preview (resets the warnings checkbox)


def problem_list(problems) -> str:
    return "\n".join(
        f"- **{md(p.where)}**: {md(p.what)}, expected {md(p.expected)}" for p in problems
    )


ctx = context.guard(__file__)  # a page checks for itself, too
viewer = ctx.viewer
actor = Actor(viewer.email, viewer.role, viewer.org_code)
st.title("Returns")
if session.is_embedded() or not allowed(actor, "upload_return"):
    st.error("Only signed-in lead officers, analysts and administrators can send returns.")
    st.stop()

db = data.database()
settings = data.settings()
ref = load_reference(db, settings)

flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(md(flash))


@st.cache_data(show_spinner="Preparing the template…", max_entries=16)
def template_bytes(org: str, period: str, version: tuple[str, int], by: str) -> bytes:
    return build_template(data.database(), org, period, settings=data.settings(), generated_by=by)


quarterly = ref.indicators[ref.indicators["frequency"] == "quarterly"]
leading = sorted(set(quarterly["lead_org_code"]))
if actor.role == "officer":
    orgs = [actor.org_code] if actor.org_code in leading else []
else:
    orgs = leading
statuses = return_statuses(db, ref, orgs)

# -- 0. where each return stands -----------------------------------------------------------
if not statuses.empty:
    st.subheader("Returns for the open periods" if len(orgs) > 1 else "Your returns")
    late = int((statuses["days_overdue"] > 0).sum())
    if late:
        st.warning(f"{late} return{'s are' if late != 1 else ' is'} overdue.")
    st.dataframe(
        safe_frame(
            pd.DataFrame(
                {
                    "Organisation": statuses["organisation_name"],
                    "Period": statuses["period"],
                    "Status": statuses["status"],
                }
            )
        ),
        hide_index=True,
        width="stretch",
    )

# -- 1. template --------------------------------------------------------------------------
st.subheader("1. Download the template")
if not ref.open_periods:
    st.info("No period is open for returns at the moment.")
else:
    names = db.organisations().set_index("code")["name"].to_dict()
    cols = st.columns([3, 2, 3])
    org = cols[0].selectbox(
        "Organisation",
        orgs,
        format_func=lambda c: f"{names.get(c, c)}",
        disabled=len(orgs) <= 1,
        key="return_org",
    )
    period = cols[1].selectbox("Period", list(reversed(ref.open_periods)), key="return_period")
    if org is None:
        st.info("Your organisation leads no quarterly indicators, so it has no return to send.")
    else:
        mine = statuses[(statuses["organisation"] == org) & (statuses["period"] == period)]
        status = mine["status"].iat[0] if not mine.empty else ""
        cols[2].markdown(
            f"**{status[:1].upper() + status[1:]}**  \nOpen periods: {', '.join(ref.open_periods)}"
        )
        try:
            content = template_bytes(org, period, data.version(), viewer.email)
        except TemplateError as exc:
            st.error(str(exc))
        else:
            st.download_button(
                "Download the template (.xlsx)",
                content,
                file_name=f"CSA return {org} {period}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/download:",
                key="download_template",
            )
            st.caption(
                "Fill the yellow cells with your own figures (they start empty; the grey "
                "'Previous figure' column is for reference and is never imported), keep the "
                "sheets and columns as they are, and upload it below. Rows left empty are "
                "skipped."
            )

# -- 2. upload and preview ----------------------------------------------------------------
st.subheader("2. Upload it and check the changes")
round_no = st.session_state.get(ROUND, 0)
uploaded = st.file_uploader(
    "Your completed return",
    type=["xlsx"],
    max_upload_size=int(settings["upload_max_mb"]),
    key=f"return_file_{round_no}",
)
if uploaded is None:
    st.session_state.pop(PREVIEW, None)
    st.stop()

file_bytes = uploaded.getvalue()
file_name = uploaded.name
held = st.session_state.get(PREVIEW)
sha = sha256_of(file_bytes)
stale = st.session_state.pop(STALE, None)
if stale:
    st.error(md(stale))
if not held or held["sha"] != sha:
    try:
        with st.spinner("Checking the file…"):
            held = {
                "sha": sha,
                "n": st.session_state.get(SEQ, 0) + 1,
                "preview": prepare_return(db, actor, file_bytes, file_name, settings=settings),
            }
        st.session_state[SEQ] = held["n"]
        st.session_state[PREVIEW] = held
    except PermissionDenied as exc:
        st.session_state.pop(PREVIEW, None)
        st.error(f"You may not upload this return: {exc}")
        st.stop()
    except ReturnRejected as exc:
        st.session_state.pop(PREVIEW, None)
        st.error(md(exc.summary) + "\n\n" + problem_list(exc.problems))
        if exc.warnings:
            st.warning(
                "These values are valid but look unusual: check them too while you fix the "
                "errors (you confirm them once the file has no errors).\n\n"
                + problem_list(exc.warnings)
            )
        st.stop()
    except SQLAlchemyError:
        st.session_state.pop(PREVIEW, None)
        st.error(
            "The database could not be read to check this file; nothing was written. "
            "Try again, and tell an administrator if it keeps failing."
        )
        st.stop()
preview = held["preview"]

counts = preview.counts
m = st.columns(4)
m[0].metric("New figures", counts["new"])
m[1].metric("Changed figures", counts["changed"])
m[2].metric("Unchanged", counts["unchanged"])
m[3].metric("Warnings", len(preview.warnings))
st.caption(
    f"{md(preview.file_name)}: periods {', '.join(preview.periods)}; "
    f"organisations {', '.join(preview.org_codes)}"
    + (f"; {len(preview.skipped_rows)} empty rows skipped" if preview.skipped_rows else "")
)
if preview.demo_to_real:
    st.caption(
        f"{preview.demo_to_real} of the changed figures replace demo figures: yours are real "
        "from the moment they are imported, even where the numbers are the same "
        "(Data: demo → real)."
    )
if preview.duplicate_of is not None:
    d = preview.duplicate_of
    st.info(
        f"This exact file was already imported as upload #{d['id']} by {md(d['user_email'])} "
        f"on {pd.Timestamp(d['created_at']):%d %B %Y %H:%M} UTC. Importing it again "
        "changes nothing."
    )

table = changes_table(preview)
if table.empty:
    st.info("No figure would change: every row matches the current figures.")
else:
    st.markdown("**What will change**")
    st.dataframe(safe_frame(table), hide_index=True, width="stretch")
if counts["unchanged"]:
    with st.expander(f"{counts['unchanged']} unchanged figures"):
        same = changes_table(preview, include_unchanged=True)
        st.dataframe(
            safe_frame(same[same["Change"] == "unchanged"]), hide_index=True, width="stretch"
        )

acknowledged = True
if preview.warnings:
    st.warning(
        "Some values are valid but look unusual. Check each one; correct the file "
        "and upload it again, or confirm that they are right.\n\n" + problem_list(preview.warnings)
    )
    acknowledged = st.checkbox(
        "I have checked these values and they are right", key=f"ack_warnings_{held['n']}"
    )

# -- 3. confirm ---------------------------------------------------------------------------
can_confirm = (
    preview.duplicate_of is None
    and acknowledged
    and (counts["new"] + counts["changed"] + counts["unchanged"] > 0)
)
if st.button("Confirm and import", type="primary", disabled=not can_confirm, key="confirm_return"):
    try:
        result = commit_return(
            db,
            actor,
            file_bytes,
            file_name,
            basis=preview.basis,
            acknowledge_warnings=acknowledged,
            settings=settings,
        )
    except StaleReturn as exc:
        st.session_state.pop(PREVIEW, None)
        if exc.preview is not None:
            n = st.session_state.get(SEQ, 0) + 1
            st.session_state[SEQ] = n
            st.session_state[PREVIEW] = {"sha": sha, "n": n, "preview": exc.preview}
        st.session_state[STALE] = exc.summary
        st.rerun()
    except PermissionDenied as exc:
        st.error(f"You may not upload this return: {exc}")
    except ReturnError as exc:
        st.error(md(exc.summary) + "\n\n" + problem_list(exc.problems))
    except SQLAlchemyError:
        st.error(
            "The database could not save the return; nothing was written. Try again, "
            "and tell an administrator if it keeps failing."
        )
    else:
        st.session_state.pop(PREVIEW, None)
        st.session_state[ROUND] = round_no + 1
        st.session_state[FLASH] = result.message
        st.rerun()
