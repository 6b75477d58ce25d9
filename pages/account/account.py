"""Your account: who you are signed in as, what your role allows, sign out, change password."""

import streamlit as st

from csa import accounts
from csa.access import PERMISSIONS, allowed
from ui import auth, context, data

ctx = context.guard(__file__)  # a page checks for itself, too
viewer = ctx.viewer
st.title("Your account")
if not viewer.signed_in:
    st.error("You are not signed in.")
    st.stop()

HOW = {
    "password": "this dashboard's own account",
    "oidc": "your identity provider",
    "headers": "your organisation's network sign-in",
    "": "this session",
}
org = f" of **{viewer.org_code}**" if viewer.org_code else ""
st.markdown(
    f"Signed in as **{viewer.name or viewer.email}** ({viewer.email}), "
    f"role **{viewer.role}**{org}, through {HOW.get(viewer.via, viewer.via)}."
)

can = sorted(a.replace("_", " ") for a in PERMISSIONS if allowed(viewer.actor, a))
st.caption(
    "Your role may: "
    + "; ".join(can)
    + "."
    + (
        " Uploads and plans are limited to the indicators your organisation leads."
        if viewer.role == "officer"
        else ""
    )
)

if viewer.via == "headers":
    st.info("You were signed in by your organisation's network; sign out there.")
elif viewer.via == "password" and auth.session_routes():
    form = auth.sign_out_form_html()  # posts to /auth/sign-out, which ends the session
    if form:
        st.html(form)
elif st.button("Sign out", type="primary"):
    auth.sign_out(viewer)
    st.rerun()

if viewer.via == "password":
    st.subheader("Change your password")
    with st.form("change_password", clear_on_submit=True):
        current = st.text_input(
            "Current password", type="password", autocomplete="current-password"
        )
        new = st.text_input(
            f"New password (at least {accounts.MIN_PASSWORD_LENGTH} characters)",
            type="password",
            autocomplete="new-password",
        )
        again = st.text_input("New password again", type="password", autocomplete="new-password")
        changed = st.form_submit_button("Change password")
    if changed:
        if new != again:
            st.error("The two new passwords differ; nothing was changed.")
        else:
            try:
                accounts.change_own_password(data.database(), viewer.actor, current, new)
            except accounts.AccountError as exc:
                st.error(str(exc))
            else:
                st.success("Your password has been changed.")
