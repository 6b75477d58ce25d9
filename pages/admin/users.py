"""Users and roles (analysts and admins): add users, change roles, disable, reset passwords.

The navigation shows this page only to those who may manage users; the page checks again,
and every change goes through csa.accounts, which checks once more and audits it.
"""

import pandas as pd
import streamlit as st

from csa import accounts
from csa.access import PermissionDenied, allowed
from csa.exports import safe_frame
from ui import context, data

ctx = context.guard(__file__)  # a page checks for itself, too
viewer = ctx.viewer
actor = viewer.actor
st.title("Users and roles")
if not allowed(actor, "manage_users"):
    st.error("Only analysts and administrators can manage users.")
    st.stop()

db = data.database()
flash = st.session_state.pop("_users_flash", None)
if flash:
    st.success(flash)


def act(change, message: str) -> None:
    """Run one account change; show its error in plain words, or rerun with the news."""
    try:
        change()
    except (accounts.AccountError, PermissionDenied) as exc:
        st.error(str(exc))
    else:
        st.session_state["_users_flash"] = message
        st.rerun()


users = accounts.list_users(db, actor)
orgs = db.organisations()
org_names = dict(zip(orgs["code"], orgs["name"], strict=True))
roles = accounts.allowed_roles_to_grant(actor)


def status(row) -> str:
    if row["disabled"]:
        return "disabled"
    locked = row["locked_until"]
    if (
        locked is not None
        and not pd.isna(locked)
        and locked > pd.Timestamp.now("UTC").tz_localize(None)
    ):
        return f"locked until {locked:%H:%M} UTC"
    return "active"


if users.empty:
    st.info("No users yet.")
else:
    shown = pd.DataFrame(
        {
            "Email": users["email"],
            "Name": users["name"],
            "Role": users["role"],
            "Organisation": users["organisation"],
            "Status": users.apply(status, axis=1),
            "Password": users["has_password"].map({True: "local", False: "none (SSO only)"}),
            "Last sign-in": users["last_login_at"],
        }
    )
    st.dataframe(safe_frame(shown), hide_index=True, width="stretch")

emails = list(users["email"])
org_choice = {"": "(none)"} | org_names
add_tab, role_tab, state_tab, pw_tab = st.tabs(
    ["Add a user", "Change role", "Disable or enable", "Reset password"]
)

with add_tab, st.form("add_user", clear_on_submit=True):
    email = st.text_input("Email", max_chars=254)
    name = st.text_input("Name", max_chars=160)
    role = st.selectbox("Role", roles, index=roles.index("officer") if "officer" in roles else 0)
    org = st.selectbox(
        "Organisation (officers must have one)", list(org_choice), format_func=org_choice.get
    )
    password = st.text_input(
        f"Initial password (at least {accounts.MIN_PASSWORD_LENGTH} characters; leave empty "
        "for an account that signs in through the identity provider only)",
        type="password",
        autocomplete="new-password",
    )
    if st.form_submit_button("Add user", type="primary"):
        act(
            lambda: accounts.add_user(
                db, actor, email, role, org_code=org or None, name=name, password=password or None
            ),
            f"Added {email.strip().lower()} as {role}.",
        )

with role_tab:
    if emails:
        who = st.selectbox("User", emails, key="role_user")
        current = users.set_index("email").loc[who]
        st.caption(
            f"{who} is {current['role']}"
            + (f" of {current['org_code']}." if current["org_code"] else ".")
        )
        with st.form("set_role"):
            new_role = st.selectbox(
                "New role",
                roles,
                index=roles.index(current["role"]) if current["role"] in roles else 0,
            )
            new_org = st.selectbox(
                "Organisation",
                list(org_choice),
                format_func=org_choice.get,
                index=list(org_choice).index(current["org_code"] or ""),
            )
            if st.form_submit_button("Change role"):
                act(
                    lambda: accounts.set_role(db, actor, who, new_role, org_code=new_org or None),
                    f"{who} is now {new_role}.",
                )

with state_tab:
    if emails:
        who = st.selectbox("User", emails, key="state_user")
        disabled = bool(users.set_index("email").loc[who, "disabled"])
        st.caption(f"{who} is {'disabled' if disabled else 'enabled'}.")
        left, right = st.columns(2)
        if left.button("Disable", disabled=disabled):
            act(lambda: accounts.disable_user(db, actor, who), f"Disabled {who}.")
        if right.button("Enable (and lift any lock-out)"):
            act(lambda: accounts.enable_user(db, actor, who), f"Enabled {who}.")

with pw_tab:
    if emails:
        with st.form("reset_password", clear_on_submit=True):
            who = st.selectbox("User", emails, key="pw_user")
            new_pw = st.text_input("New password", type="password", autocomplete="new-password")
            if st.form_submit_button("Set password and lift lock-out"):
                act(
                    lambda: accounts.set_password(db, actor, who, new_pw or None),
                    f"Password {'set' if new_pw else 'removed'} for {who}.",
                )
