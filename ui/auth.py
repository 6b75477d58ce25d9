"""Signing in and out, three ways, each mapped to a user and role in our database.

1. **Identity provider (OIDC)** when ``[auth]`` is in ``.streamlit/secrets.toml``:
   ``st.login`` sends the person to the provider; ``st.user`` then holds their verified
   email, which we look up in the users table.
2. **Trusted reverse-proxy headers** when ``server.trustedUserHeaders`` is set in
   ``.streamlit/config.toml`` (mapping a header to ``email``): the council's proxy signs the
   person in and passes their email; Streamlit copies it into ``st.user``. The proxy must
   strip any copy of that header sent by the client (docs/access.md).
3. **Local accounts** with neither: an email and password checked by
   :func:`csa.accounts.authenticate` (Argon2id hashes, lock-out after repeated failures).
   Served by ``serve.py`` (``make run``), the form is a plain HTML form posting to
   ``/auth/sign-in``, which sets a signed session cookie backed by the ``sessions`` table
   (:mod:`csa.sessions`); every run reads it through ``st.context.cookies``, so a reload or
   a direct link stays signed in, and sign-out posts to ``/auth/sign-out``. Under
   ``streamlit run app.py`` (development) there are no such routes: a Streamlit form signs
   the browser tab in for as long as its session lasts.

Whatever the route, an email that is not a registered, enabled user stays public, and
every sign-in (success or failure) is audited by :mod:`csa.accounts`.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import replace
from functools import cache

import streamlit as st
from streamlit import config as st_config

from csa import accounts, sessions
from csa.accounts import SignInRefused
from ui import data
from ui.session import ANONYMOUS, Viewer

NOTICE = "auth_notice"  # session key: a message for the sign-in page (e.g. not registered)
_REFUSED = "_auth_refused"  # session key: (via, email) already refused and audited
_PROVIDER_KEYS = {"client_id", "client_secret", "server_metadata_url"}
ROUTES_ENV = "CSA_SESSION_ROUTES"  # "1" while serve.py serves the session routes
#: What the sign-in page says after ``/auth/sign-in`` sent the browser back (``?refused=``).
REFUSED = {
    "failed": accounts.SIGN_IN_FAILED,
    "locked": (
        "Too many failed sign-ins: this account is locked for a while. Try again later, "
        "or ask an administrator."
    ),
    "disabled": "This account is disabled; ask an administrator to enable it.",
    "expired": "The sign-in form had expired. Please try again.",
}
SESSION_ENDED = (
    "Your session has ended (signed out elsewhere, expired, or your account was changed). "
    "Sign in again to continue."
)


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
    if mode == "local" and session_routes():
        return _from_session_cookie(viewer)
    if not isinstance(viewer, Viewer):
        return ANONYMOUS
    if viewer.via == "password":
        return _recheck(viewer)
    return viewer


# -- the session cookie (served by serve.py) ------------------------------------------------
def session_routes() -> bool:
    """True when ``serve.py`` serves ``/auth/sign-in`` and ``/auth/sign-out``."""
    return os.environ.get(ROUTES_ENV) == "1"


@cache
def _secret() -> bytes:
    return sessions.load_secret()


def session_cookie() -> str | None:
    """The session cookie the browser sent when it opened this session (or None)."""
    try:
        value = st.context.cookies.get(sessions.COOKIE_NAME)
    except Exception:  # no request behind this run (e.g. AppTest)
        return None
    return value if isinstance(value, str) else None


def _from_session_cookie(held) -> Viewer:
    """The viewer of the browser's session cookie, looked up on every run: a revoked,
    expired or forged cookie, or a disabled account, gives the public view."""
    state = st.session_state
    found = sessions.lookup(data.database(), session_cookie(), secret=_secret())
    if found is None:
        if isinstance(held, Viewer) and held.via == "password":
            _clear_session()  # the session ended while this tab was open
            state[NOTICE] = SESSION_ENDED
            return ANONYMOUS
        if isinstance(held, Viewer) and held.via == "":
            return held  # set directly in session state (tests)
        return ANONYMOUS
    if isinstance(held, Viewer) and held.signed_in and held.email != found.email:
        _clear_session()  # another person now: nothing of the last one carries over
    viewer = Viewer(found.email, found.role, found.org_code, found.name or found.email, "password")
    state["viewer"] = viewer
    state.pop(NOTICE, None)
    return viewer


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{name}" value="{html.escape(value, quote=True)}">'


_FORM_STYLE = """<style>
.csa-form {display: flex; flex-direction: column; gap: 0.4rem; max-width: 28rem;}
.csa-form input[type=email], .csa-form input[type=password] {
  padding: 0.5rem; border: 1px solid #8a8f98; border-radius: 0.4rem; font: inherit;}
.csa-form button {align-self: flex-start; margin-top: 0.6rem; padding: 0.45rem 1.1rem;
  border: 0; border-radius: 0.4rem; background: #00539F; color: #fff; font: inherit;
  cursor: pointer;}
.csa-form button:focus-visible, .csa-form input:focus-visible {outline: 3px solid #FFBF47;}
</style>"""


def sign_in_form_html(next_path: str = "/") -> str:
    """The local sign-in form: plain HTML posting to ``/auth/sign-in`` (no JavaScript),
    with a signed form token; shown with ``st.html``."""
    token = sessions.issue_form_token(_secret(), "sign-in")
    return (
        _FORM_STYLE + '<form class="csa-form" method="post" action="/auth/sign-in">'
        '<label for="csa-email">Email</label>'
        '<input id="csa-email" name="email" type="email" autocomplete="username" '
        'maxlength="254" required>'
        '<label for="csa-password">Password</label>'
        '<input id="csa-password" name="password" type="password" '
        'autocomplete="current-password" maxlength="1024" required>'
        + _hidden("csrf_token", token)
        + _hidden("next", next_path)
        + '<button type="submit">Sign in</button></form>'
    )


def sign_out_form_html() -> str | None:
    """A plain HTML form posting to ``/auth/sign-out``, its token bound to this browser's
    session (None without a valid session cookie)."""
    token = sessions.unsign(session_cookie(), _secret())
    if token is None:
        return None
    form_token = sessions.issue_form_token(_secret(), f"sign-out:{sessions.id_hash(token)}")
    return (
        _FORM_STYLE
        + '<form class="csa-form" method="post" action="/auth/sign-out">'
        + _hidden("csrf_token", form_token)
        + '<button type="submit">Sign out</button></form>'
    )


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
