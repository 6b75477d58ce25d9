"""Sign in: the identity provider's button, the proxy's note, or the local account form.

Only in the top-level app (never in the website embed), and only for people not signed in.
"""

import streamlit as st

from csa import sessions
from csa.accounts import SignInRefused
from ui import auth, context

ctx = context.guard(__file__)  # a page checks for itself, too
viewer = ctx.viewer
st.title("Sign in")

if viewer.signed_in:
    st.success(f"You are signed in as {viewer.email} ({viewer.role}).")
    st.stop()

notice = st.session_state.get(auth.NOTICE)
if notice:
    st.warning(notice)

st.write(
    "The public dashboard needs no sign-in. Lead officers, analysts, board members and "
    "administrators sign in here to see restricted indicators, upload returns and work "
    "on recovery plans."
)

mode = auth.auth_mode()
if mode == "oidc":
    if auth.provider_signed_in():
        st.info(
            "Your identity provider has signed you in, but that account has no access to "
            "this dashboard. Sign out and choose another account, or ask an administrator "
            "to add you."
        )
        if st.button("Sign out of the identity provider", key="provider_sign_out"):
            auth.sign_out(viewer)
    else:
        for label, provider in auth.oidc_providers():
            if st.button(
                f"Sign in with {label}", key=f"login_{provider or 'default'}", type="primary"
            ):
                if provider:
                    st.login(provider)
                else:
                    st.login()
elif mode == "headers":
    st.info(
        "Sign-in is handled by your organisation's network: open this dashboard through "
        "the council's sign-in portal. If you came that way and still see this page, your "
        "email is not registered here; ask an administrator to add you."
    )
elif auth.session_routes():
    # served by serve.py: a plain HTML form posting to /auth/sign-in, which sets the
    # session cookie and comes back here with ?refused=<why> when it refuses
    refused = auth.REFUSED.get(st.query_params.get("refused", ""))
    if refused:
        st.error(refused)
    st.html(auth.sign_in_form_html(sessions.safe_next(st.query_params.get("next"))))
    st.caption("Forgotten your password, or locked out? An administrator can reset it.")
else:
    with st.form("sign_in", clear_on_submit=True, enter_to_submit=True):
        email = st.text_input("Email", autocomplete="username", max_chars=254)
        password = st.text_input(
            "Password", type="password", max_chars=1024, autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            auth.sign_in_local(email, password)
        except SignInRefused as exc:
            st.error(str(exc))
        else:
            st.rerun()
    st.caption("Forgotten your password, or locked out? An administrator can reset it.")
