"""Signing in and out, three ways, each mapped to a user and role in our database.

1. **Identity provider (OIDC)** when ``[auth]`` is in ``.streamlit/secrets.toml``:
   ``st.login`` sends the person to the provider; ``st.user`` then holds their verified
   email, which we look up in the users table.
2. **Trusted reverse-proxy headers** when ``server.trustedUserHeaders`` is set in
   ``.streamlit/config.toml`` (mapping a header to ``email``): the council's proxy signs the
   person in and passes their email; Streamlit copies it into ``st.user``. The proxy must
   strip any copy of that header sent by the client (docs/access.md).
3. **Local accounts** with neither: an email and password form checked by
   :func:`csa.accounts.authenticate` (Argon2id hashes, lock-out after repeated failures).

Whatever the route, an email that is not a registered, enabled user stays public, and
every sign-in (success or failure) is audited by :mod:`csa.accounts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import streamlit as st
from streamlit import config as st_config

from csa import accounts
from csa.accounts import SignInRefused
from ui import data
from ui.session import ANONYMOUS, Viewer

NOTICE = "auth_notice"  # session key: a message for the sign-in page (e.g. not registered)
_REFUSED = "_auth_refused"  # session key: (via, email) already refused and audited
_PROVIDER_KEYS = {"client_id", "client_secret", "server_metadata_url"}


# -- which sign-in is configured ---------------------------------------------------------
def oidc_configured() -> bool:
    """True when ``[auth]`` is in the secrets (``st.login`` can be used)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except Exception:  # an unreadable secrets file means: not configured
        return False


def header_mapping() -> dict[str, str]:
    """``server.trustedUserHeaders``: header name -> ``st.user`` key ({} when unset)."""
    mapping = st_config.get_option("server.trustedUserHeaders")
    return dict(mapping) if isinstance(mapping, Mapping) else {}


def auth_mode() -> str:
    """``"oidc"``, ``"headers"`` or ``"local"``."""
    if oidc_configured():
        return "oidc"
    if header_mapping():
        return "headers"
    return "local"


def oidc_providers() -> list[tuple[str, str | None]]:
    """(label, provider) for each configured provider; provider None means ``st.login()``
    with the single provider configured directly under ``[auth]``."""
    section = st.secrets["auth"]
    named = [
        (str(v.get("label", k)).strip() or k, k)
        for k, v in section.items()
        if isinstance(v, Mapping) and _PROVIDER_KEYS & set(v)
    ]
    if "client_id" in section or not named:
        return [(str(section.get("label", "your organisation's account")), None)] + named
    return named


# -- the identity Streamlit holds ----------------------------------------------------------
def _user_value(key: str) -> str:
    value = st.user.get(key)
    return value.strip() if isinstance(value, str) else ""


def provider_signed_in() -> bool:
    """True when the identity provider has signed this browser in (registered or not)."""
    return bool(st.user.get("is_logged_in"))


def external_identity(mode: str) -> tuple[str, str] | None:
    """(email, name) proven by the identity provider or the proxy, else None."""
    if mode == "oidc":
        if not provider_signed_in():
            return None
        if st.user.get("email_verified") is False:
            st.session_state[NOTICE] = (
                "Your identity provider says this email address is "
                "not verified, so it cannot be used to sign in."
            )
            return None
        email = _user_value("email") or _user_value("preferred_username")
        return (email, _user_value("name")) if "@" in email else None
    if mode == "headers":
        email = _user_value("email")
        return (email, _user_value("name")) if email else None
    return None


# -- the viewer of this run ----------------------------------------------------------------
def resolve_viewer() -> Viewer:
    """The viewer for this run (built once per run by :func:`ui.context.build`)."""
    if data.settings()["public_only"]:
        return ANONYMOUS  # the public entry: nobody signs in, nothing is written
    state = st.session_state
    mode = auth_mode()
    if mode != "local":
        identity = external_identity(mode)
        if identity is not None:
            return _viewer_from_identity(*identity, via=mode)
        held = state.get("viewer")
        if isinstance(held, Viewer) and held.via in ("oidc", "headers"):
            del state["viewer"]  # signed out at the provider or the proxy
    viewer = state.get("viewer")
    if not isinstance(viewer, Viewer):
        return ANONYMOUS
    if viewer.via == "password":
        return _recheck(viewer)
    return viewer


def _viewer_from_identity(email: str, name: str, *, via: str) -> Viewer:
    state = st.session_state
    db = data.database()
    actor = accounts.lookup(db, email)
    if actor is None or actor.disabled:
        if isinstance(state.get("viewer"), Viewer) and state["viewer"].signed_in:
            _clear_session()  # the identity changed or lost its access: start afresh
        key = (via, email.lower())
        if state.get(_REFUSED) != key:  # audit a refusal once per session, not every run
            try:
                accounts.external_sign_in(db, email, via)
            except SignInRefused as exc:
                state[NOTICE] = str(exc)
            state[_REFUSED] = key
        state.pop("viewer", None)
        return ANONYMOUS
    held = state.get("viewer")
    if isinstance(held, Viewer) and held.email == actor.email and held.via == via:
        shown_name = held.name
    else:
        if isinstance(held, Viewer) and held.signed_in:
            _clear_session()  # another person now: nothing of the last one carries over
        accounts.external_sign_in(db, actor.email, via)  # audited once per session
        state.pop(NOTICE, None)
        state.pop(_REFUSED, None)
        shown_name = accounts.display_name(db, actor.email) or name or actor.email
    viewer = Viewer(actor.email, actor.role, actor.org_code, shown_name, via)
    state["viewer"] = viewer
    return viewer


def _recheck(viewer: Viewer) -> Viewer:
    """A local sign-in, checked again against the users table on every run."""
    actor = accounts.lookup(data.database(), viewer.email)
    if actor is None or actor.disabled:
        _clear_session()
        st.session_state[NOTICE] = (
            "Your account has been disabled, so you were signed out. "
            "Ask an administrator if this is unexpected."
        )
        return ANONYMOUS
    if (actor.role, actor.org_code) != (viewer.role, viewer.org_code):
        viewer = replace(viewer, role=actor.role, org_code=actor.org_code)
        st.session_state["viewer"] = viewer
    return viewer


# -- signing in and out --------------------------------------------------------------------
def sign_in_local(email: str, password: str) -> Viewer:
    """Check a local account's password; on success the session is signed in.

    Raises :class:`csa.accounts.SignInRefused` with a message fit to show."""
    db = data.database()
    actor = accounts.authenticate(db, email, password, settings=data.settings())
    _clear_session()  # nothing from the anonymous session carries into the signed-in one
    viewer = Viewer(
        actor.email,
        actor.role,
        actor.org_code,
        accounts.display_name(db, actor.email) or actor.email,
        "password",
    )
    st.session_state["viewer"] = viewer
    return viewer


def sign_out(viewer: Viewer) -> None:
    """Sign out: audit it, forget everything in this session, and for the identity provider
    also clear its cookie (``st.logout``, which reruns the app)."""
    if viewer.signed_in:
        accounts.record_sign_out(data.database(), viewer.actor, viewer.via or "session")
    _clear_session()
    if auth_mode() == "oidc" and provider_signed_in():
        st.logout()


def _clear_session() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
