"""Sign-in sessions for local accounts: the signed cookie and its server-side record.

When the app is served by ``serve.py`` (uvicorn), a local sign-in posts to
``/auth/sign-in``; on success the browser receives a cookie ``csa_session`` holding a random
session id and an HMAC-SHA256 signature of it. The database keeps only the SHA-256 of the
id (table ``sessions``), with the user, the expiry and when and why it was revoked, so
every app server agrees on who is signed in. The app reads the cookie on every run
(``st.context.cookies``) and looks the session up: a reload or a direct link stays signed
in; a forged, expired or revoked cookie counts for nothing.

The id is new at every sign-in (the old one, if the browser sent one, is revoked: no
session fixation) and is revoked at sign-out, when the account is disabled, when its role
changes and when an administrator resets its password (:mod:`csa.accounts`).

The signing secret comes from ``CSA_SESSION_SECRET`` or, failing that, from the git-ignored
file ``.streamlit/session_secret``, generated on first use. Several app servers must share
it (set ``CSA_SESSION_SECRET`` on each).

Forms that post to these routes carry a token from :func:`issue_form_token`: signed, with
its purpose and time, and for sign-out bound to the session, so another site cannot post
them (the routes also require a same-origin ``Origin``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from csa.db.core import utcnow

COOKIE_NAME = "csa_session"
SECRET_ENV = "CSA_SESSION_SECRET"
SECRET_FILE = Path(__file__).resolve().parent.parent / ".streamlit" / "session_secret"
FORM_TOKEN_SECONDS = 2 * 3600
#: Expired sessions are kept this long as a record, then deleted at a later sign-in.
KEEP_EXPIRED = timedelta(days=30)


@dataclass(frozen=True)
class SessionUser:
    """The user behind a live session cookie."""

    id_hash: str
    email: str
    role: str
    org_code: str | None
    name: str
    expires_at: datetime


# -- the secret ----------------------------------------------------------------------------
def load_secret(env: dict[str, str] | None = None, path: Path | None = None) -> bytes:
    """The signing secret: ``CSA_SESSION_SECRET`` (at least 32 characters), else the
    contents of ``path`` (created with a random secret, readable only by its owner)."""
    env = os.environ if env is None else env
    value = env.get(SECRET_ENV, "").strip()
    if value:
        if len(value) < 32:
            raise ValueError(f"{SECRET_ENV} is too short: use at least 32 random characters.")
        return value.encode("utf-8")
    path = path or SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(secrets.token_hex(32) + "\n")
    value = path.read_text(encoding="utf-8").strip()
    if len(value) < 32:
        raise ValueError(f"{path} holds no usable secret: delete it to make a new one.")
    return value.encode("utf-8")


# -- signing -------------------------------------------------------------------------------
def _mac(secret: bytes, message: str) -> str:
    digest = hmac.new(secret, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign(token: str, secret: bytes) -> str:
    """``token.signature`` (the cookie value)."""
    return f"{token}.{_mac(secret, 'session|' + token)}"


def unsign(value: str | None, secret: bytes) -> str | None:
    """The token of a correctly signed cookie value, else None (never raises)."""
    if not value or not isinstance(value, str) or len(value) > 200 or value.count(".") != 1:
        return None
    token, mac = value.split(".")
    if not token or not hmac.compare_digest(mac, _mac(secret, "session|" + token)):
        return None
    return token


def id_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


# -- sessions ------------------------------------------------------------------------------
def start(
    db,
    email: str,
    *,
    secret: bytes,
    hours: float,
    replacing: str | None = None,
    now: datetime | None = None,
) -> tuple[str, datetime]:
    """Open a session for ``email`` (already authenticated); returns the cookie value and
    the expiry. A session the browser already held (``replacing``, its cookie value) is
    revoked: the id always changes at sign-in."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=hours)
    old = unsign(replacing, secret)
    with db.transaction() as conn:
        if old is not None:
            db.revoke_session(conn, id_hash(old), "replaced", now)
        db.purge_sessions(conn, now - KEEP_EXPIRED)
        db.insert_session(
            conn, id_hash=id_hash(token), email=email, created_at=now, expires_at=expires
        )
    return sign(token, secret), expires


def lookup(db, cookie: str | None, *, secret: bytes, now: datetime | None = None):
    """The :class:`SessionUser` of a live session cookie, or None when the cookie is
    missing, forged, expired or revoked, or the account is disabled."""
    token = unsign(cookie, secret)
    if token is None:
        return None
    row = db.live_session(id_hash(token), now or utcnow())
    if row is None:
        return None
    return SessionUser(
        id_hash=row["id_hash"],
        email=row["email"],
        role=row["role"],
        org_code=row["org_code"],
        name=row["name"] or "",
        expires_at=row["expires_at"],
    )


def end(db, cookie: str | None, *, secret: bytes, now: datetime | None = None) -> str | None:
    """Revoke the session of this cookie (sign-out); returns its user's email or None."""
    token = unsign(cookie, secret)
    if token is None:
        return None
    with db.transaction() as conn:
        return db.revoke_session(conn, id_hash(token), "sign_out", now or utcnow())


def cookie_options(*, https: bool, expires: datetime, now: datetime | None = None) -> dict:
    """Keyword arguments for Starlette's ``Response.set_cookie``: HttpOnly, SameSite=Lax,
    Secure only over HTTPS, path /, expiring with the session."""
    now = now or utcnow()
    return {
        "key": COOKIE_NAME,
        "max_age": max(0, round((expires - now).total_seconds())),
        "path": "/",
        "httponly": True,
        "secure": https,
        "samesite": "lax",
    }


def safe_next(target: str | None) -> str:
    """A same-site path to return to after sign-in (anything else: the home page)."""
    target = (target or "").strip()
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or len(target) > 300
        or any(ord(c) < 32 for c in target)
    ):
        return "/"
    return target


# -- tokens for the forms that post to the session routes --------------------------------
def issue_form_token(secret: bytes, purpose: str, *, now: float | None = None) -> str:
    """A token for a form posting to a session route. ``purpose`` is ``"sign-in"`` or
    ``"sign-out:<session id hash>"`` (a sign-out token works only for its own session)."""
    issued = str(int(now if now is not None else time.time()))
    nonce = secrets.token_urlsafe(12)
    return f"{issued}.{nonce}.{_mac(secret, f'form|{purpose}|{issued}|{nonce}')}"


def check_form_token(
    token: str | None,
    secret: bytes,
    purpose: str,
    *,
    now: float | None = None,
    max_age: int = FORM_TOKEN_SECONDS,
) -> bool:
    """True when ``token`` was issued by :func:`issue_form_token` for ``purpose`` within
    ``max_age`` seconds."""
    if not token or not isinstance(token, str) or len(token) > 200 or token.count(".") != 2:
        return False
    issued, nonce, mac = token.split(".")
    if not issued.isdigit():
        return False
    if not hmac.compare_digest(mac, _mac(secret, f"form|{purpose}|{issued}|{nonce}")):
        return False
    age = (now if now is not None else time.time()) - int(issued)
    return -60 <= age <= max_age
