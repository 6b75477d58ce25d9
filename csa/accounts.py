"""User accounts: adding users, roles, passwords, sign-in with lock-out, and the sign-in audit.

Who may manage accounts is decided by :mod:`csa.access` (``manage_users``; making or changing
an admin needs ``grant_admin``). Every change here takes the acting :class:`~csa.access.Actor`,
checks permission first, and writes an audit entry in the same transaction as the change.

Passwords
---------
Local passwords are hashed with Argon2id (memory-hard; argon2-cffi's defaults, the RFC 9106
"low memory" profile: 64 MiB, 3 passes, 4 lanes, 16-byte salt). Only the hash is stored;
a password is never written to the audit log, printed or returned. A password must be at
least :data:`MIN_PASSWORD_LENGTH` characters and may not contain the account's email name.
There is no default password: an account created without one can only sign in through the
identity provider or the trusted proxy headers.

Lock-out
--------
After ``login_max_failures`` wrong passwords in a row (csa/config.py) a local account is
locked for ``login_lockout_minutes``; a correct password while locked is refused too. A
successful sign-in, an administrator's ``enable`` or a password reset clears the count.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from csa import config as csa_config
from csa.access import ROLES, Actor, PermissionDenied, allowed, require
from csa.db.core import utcnow

#: The hasher used for new hashes. Verification reads the parameters stored in each hash,
#: so tests may swap in a cheaper hasher without affecting what production writes.
HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
SIGN_IN_FAILED = "Email or password not recognised."
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KEEP = object()
_dummy_hash: str | None = None


class AccountError(ValueError):
    """An account change was rejected (bad email, role, organisation or password)."""


class UnknownUser(PermissionDenied):
    """No user with this email is registered."""


class DisabledUser(PermissionDenied):
    """The user exists but their account is disabled."""


class SignInRefused(PermissionDenied):
    """A sign-in was refused; ``reason`` is one of ``bad_credentials``, ``locked``,
    ``disabled`` or ``unknown`` (the message shown never says which email exists)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


# -- checks on input ---------------------------------------------------------------------
def normalise_email(email: str) -> str:
    """Lower-case, trimmed email; :class:`AccountError` when it does not look like one."""
    text = (email or "").strip().lower()
    if len(text) > 254 or not _EMAIL.match(text):
        raise AccountError(f"{email!r} is not an email address (like name@example.org).")
    return text


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}.")
    return role


def check_password_strength(password: str, email: str = "") -> None:
    """Raise :class:`AccountError` with the reason when a password is too weak."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"The password is too short: it needs at least {MIN_PASSWORD_LENGTH} characters."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password is too long (over {MAX_PASSWORD_LENGTH} characters).")
    if password.strip() != password or not password.strip():
        raise AccountError("The password may not start or end with spaces.")
    if len(set(password)) < 5:
        raise AccountError("The password repeats too few different characters.")
    local = email.split("@", 1)[0].lower() if email else ""
    if len(local) >= 4 and local in password.lower():
        raise AccountError("The password may not contain the account's email name.")


# -- hashing -----------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """Argon2id hash of ``password`` (with a fresh random salt)."""
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises for a bad hash."""
    if not password_hash or not isinstance(password, str):
        return False
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _waste_a_verification(password: str) -> None:
    """Spend the time of one verification, so an unknown email answers as slowly as a
    known one (no account enumeration by timing)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = HASHER.hash("not a password of anybody's")
    verify_password(_dummy_hash, password or "")


# -- looking users up --------------------------------------------------------------------
def _actor(record: dict[str, Any]) -> Actor:
    return Actor(
        email=record["email"],
        role=record["role"],
        org_code=record["org_code"],
        disabled=bool(record["disabled"]),
    )


def lookup(db, email: str) -> Actor | None:
    """The registered user for ``email`` (disabled ones included), or None. No audit."""
    try:
        email = normalise_email(email)
    except AccountError:
        return None
    record = db.user_record(email)
    return _actor(record) if record else None


def display_name(db, email: str) -> str:
    record = db.user_record((email or "").strip().lower())
    return (record or {}).get("name") or ""


def get_actor(db, email: str, *, action: str = "act_as", target: str = "") -> Actor:
    """The :class:`Actor` for a registered, enabled user.

    Raises :class:`UnknownUser` or :class:`DisabledUser` (both :class:`PermissionDenied`)
    with a plain message otherwise, and audits the refusal under ``action`` (pass the action
    being attempted, e.g. ``"upload_return"``, so the audit log says what was refused).
    """
    actor = lookup(db, email)
    if actor is None:
        message = (
            f"{email!r} is not a registered user; an administrator can add them with "
            f"`python -m csa user add EMAIL --role ROLE`."
        )
        db.record_audit(_clip(email), action, _clip(target), outcome="refused", detail=message)
        raise UnknownUser(message)
    if actor.disabled:
        message = f"{actor.email}'s account is disabled; ask an administrator to enable it."
        db.record_audit(actor.email, action, _clip(target), outcome="refused", detail=message)
        raise DisabledUser(message)
    return actor


def _existing(db, conn, email: str) -> dict[str, Any]:
    record = db.user_record(email, conn)
    if record is None:
        raise AccountError(f"There is no user {email}.")
    return record


def _clip(text: str, size: int = 254) -> str:
    text = str(text or "")
    return text if len(text) <= size else text[: size - 1] + "…"


# -- managing accounts -------------------------------------------------------------------
def _check_org(db, role: str, org_code: str | None) -> str | None:
    org_code = (org_code or "").strip().upper() or None
    if org_code is not None and org_code not in db.organisation_codes():
        raise AccountError(
            f"Unknown organisation {org_code!r}; known: {', '.join(db.organisation_codes())}."
        )
    if role == "officer" and org_code is None:
        raise AccountError(
            "An officer needs an organisation (--org CODE): officers upload "
            "and plan only for the indicators their organisation leads."
        )
    return org_code


def _require_manage(db, actor: Actor, target: str, *, touches_admin: bool) -> None:
    require(actor, "manage_users", db=db, target=target)
    if touches_admin:
        require(actor, "grant_admin", db=db, target=target)


def add_user(
    db,
    actor: Actor,
    email: str,
    role: str,
    *,
    org_code: str | None = None,
    name: str = "",
    password: str | None = None,
) -> Actor:
    """Register a user. Without ``password`` the account can sign in only through the
    identity provider or the trusted proxy headers."""
    email, role = normalise_email(email), check_role(role)
    _require_manage(db, actor, email, touches_admin=role == "admin")
    org_code = _check_org(db, role, org_code)
    if password is not None:
        check_password_strength(password, email)
    name = (name or "").strip()[:160]
    with db.transaction() as conn:
        if db.user_record(email, conn) is not None:
            raise AccountError(
                f"{email} is already a user; use `user set-role` to change their role."
            )
        db.insert_user(
            conn,
            email=email,
            name=name,
            role=role,
            org_code=org_code,
            password_hash=hash_password(password) if password else None,
            created_at=utcnow(),
        )
        db.audit(
            conn,
            actor.email,
            "user_add",
            email,
            detail={
                "role": role,
                "org_code": org_code,
                "name": name,
                "password": "set" if password else "none",
            },
        )
    return Actor(email, role, org_code)


def set_role(db, actor: Actor, email: str, role: str, *, org_code: Any = _KEEP) -> Actor:
    """Change a user's role (and organisation, when given; None clears it). A change
    revokes the user's sign-in sessions: they sign in again under the new role."""
    email, role = normalise_email(email), check_role(role)
    with db.transaction() as conn:
        record = _existing(db, conn, email)
        _require_manage(db, actor, email, touches_admin="admin" in (role, record["role"]))
        new_org = _check_org(db, role, record["org_code"] if org_code is _KEEP else org_code)
        if record["role"] == "admin" and role != "admin" and not record["disabled"]:
            _keep_one_admin(db, conn, email)
        db.update_user(conn, email, role=role, org_code=new_org)
        if (role, new_org) != (record["role"], record["org_code"]):
            db.revoke_user_sessions(conn, email, "role_changed", utcnow())
        db.audit(
            conn,
            actor.email,
            "user_set_role",
            email,
            detail={
                "from": {"role": record["role"], "org_code": record["org_code"]},
                "to": {"role": role, "org_code": new_org},
            },
        )
    return Actor(email, role, new_org, bool(record["disabled"]))


def _keep_one_admin(db, conn, email: str) -> None:
    if db.count_enabled_admins(conn) <= 1:
        raise AccountError(
            f"{email} is the only enabled admin; add another admin first, "
            f"or nobody could manage users."
        )


def disable_user(db, actor: Actor, email: str) -> None:
    """Disable an account: it can no longer sign in or act, its sign-in sessions are
    revoked, and open sessions lose access on their next rerun."""
    email = normalise_email(email)
    with db.transaction() as conn:
        record = _existing(db, conn, email)
        _require_manage(db, actor, email, touches_admin=record["role"] == "admin")
        if email == actor.email:
            raise AccountError("You cannot disable your own account.")
        if record["disabled"]:
            raise AccountError(f"{email} is already disabled.")
        if record["role"] == "admin":
            _keep_one_admin(db, conn, email)
        db.update_user(conn, email, disabled=True)
        db.revoke_user_sessions(conn, email, "disabled", utcnow())
        db.audit(conn, actor.email, "user_disable", email)


def enable_user(db, actor: Actor, email: str) -> None:
    """Enable an account again; also lifts a lock-out."""
    email = normalise_email(email)
    with db.transaction() as conn:
        record = _existing(db, conn, email)
        _require_manage(db, actor, email, touches_admin=record["role"] == "admin")
        db.update_user(conn, email, disabled=False, failed_logins=0, locked_until=None)
        db.audit(
            conn,
            actor.email,
            "user_enable",
            email,
            detail={
                "was_disabled": bool(record["disabled"]),
                "was_locked": record["locked_until"] is not None,
            },
        )


def set_password(db, actor: Actor, email: str, password: str | None) -> None:
    """Set or reset a user's local password (None removes it) and lift any lock-out."""
    email = normalise_email(email)
    if password is not None:
        check_password_strength(password, email)
    with db.transaction() as conn:
        record = _existing(db, conn, email)
        if actor.email != email or actor.disabled:
            _require_manage(db, actor, email, touches_admin=record["role"] == "admin")
        db.update_user(
            conn,
            email,
            password_hash=hash_password(password) if password else None,
            failed_logins=0,
            locked_until=None,
        )
        if actor.email != email:  # a reset by an administrator ends the user's sessions
            db.revoke_user_sessions(conn, email, "password_reset", utcnow())
        db.audit(
            conn,
            actor.email,
            "user_password",
            email,
            detail={"password": "set" if password else "removed"},
        )


def change_own_password(db, actor: Actor, current: str, new: str) -> None:
    """A signed-in user changes their own password, giving the current one."""
    record = db.user_record(actor.email)
    if record is None or record["disabled"]:
        raise AccountError("Your account is not active.")
    if not verify_password(record["password_hash"], current):
        db.record_audit(
            actor.email,
            "user_password",
            actor.email,
            outcome="failed",
            detail="current password wrong",
        )
        raise AccountError("The current password is wrong.")
    if current == new:
        raise AccountError("The new password must differ from the current one.")
    set_password(db, actor, actor.email, new)


def list_users(db, actor: Actor) -> pd.DataFrame:
    """Every user (no password hashes), for those who may manage users."""
    require(actor, "manage_users", db=db, target="users")
    return db.users()


def audit_log(db, actor: Actor, **filters) -> pd.DataFrame:
    """The audit log, filtered (see ``Database.audit_entries``), for admins only."""
    require(actor, "view_audit", db=db, target="audit_log")
    return db.audit_entries(**filters)


# -- signing in --------------------------------------------------------------------------
def authenticate(
    db, email: str, password: str, *, settings: dict | None = None, now: datetime | None = None
) -> Actor:
    """Check a local account's password and return its :class:`Actor`.

    Every attempt is audited (``sign_in``: ok, failed or refused). Raises
    :class:`SignInRefused` with a message fit to show: it never says whether the email is
    registered, except that a locked account says it is locked and until when.
    """
    settings = settings or csa_config.load()
    max_failures = int(settings["login_max_failures"])
    lock_minutes = int(settings["login_lockout_minutes"])
    now = now or utcnow()
    typed = _clip((email or "").strip().lower())
    record = db.user_record(typed) if _EMAIL.match(typed) else None
    # Reserve the check before verifying (atomic in the database): concurrent attempts can
    # never check more than ``max_failures`` passwords. An unknown email is counted and
    # locked the same way, so the answers never tell which emails are registered.
    reserved, failures, locked_until = db.reserve_sign_in(
        typed,
        known=record is not None,
        max_failures=max_failures,
        now=now,
        until=now + timedelta(minutes=lock_minutes),
    )
    if not reserved:
        detail = {"via": "password", "reason": "locked"}
        if locked_until is not None:
            detail["locked_until"] = locked_until.isoformat(timespec="minutes")
        if record is None:
            detail["account"] = "unknown"
        db.record_audit(typed, "sign_in", typed, outcome="refused", detail=detail)
        if locked_until is None:  # a right password cleared the lock meanwhile
            raise SignInRefused(SIGN_IN_FAILED, "bad_credentials")
        raise SignInRefused(_locked_message(locked_until), "locked")
    password_hash = record["password_hash"] if record is not None else None
    if password_hash:
        right = verify_password(password_hash, password)
    else:  # an unknown email, or no local password: spend the same time, then refuse
        _waste_a_verification(password)
        right = False
    if not right:
        lock = max_failures > 0 and failures >= max_failures and locked_until is not None
        if record is None:
            reason = "unknown account"
        else:
            reason = "wrong password" if password_hash else "no local password"
        detail = {"via": "password", "reason": reason, "failures": failures}
        if lock:
            detail["locked_until"] = locked_until.isoformat(timespec="minutes")
        db.record_audit(typed, "sign_in", typed, outcome="failed", detail=detail)
        if lock:
            raise SignInRefused(_locked_message(locked_until), "locked")
        raise SignInRefused(SIGN_IN_FAILED, "unknown" if record is None else "bad_credentials")
    if record["disabled"]:
        with db.transaction() as conn:
            db.update_user(conn, typed, failed_logins=0, locked_until=None)
            db.audit(
                conn,
                typed,
                "sign_in",
                typed,
                outcome="refused",
                detail={"via": "password", "reason": "disabled"},
            )
        raise SignInRefused(
            "This account is disabled; ask an administrator to enable it.", "disabled"
        )
    values: dict[str, Any] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if HASHER.check_needs_rehash(record["password_hash"]):
        values["password_hash"] = hash_password(password)
    with db.transaction() as conn:
        db.update_user(conn, typed, **values)
        db.audit(conn, typed, "sign_in", typed, detail={"via": "password"})
    return _actor(record)


def _locked_message(until: datetime) -> str:
    return (
        f"Too many failed sign-ins: this account is locked until "
        f"{until:%H:%M} UTC on {until:%d %b %Y}. Try again then, or ask an administrator."
    )


def external_sign_in(db, email: str, via: str, *, now: datetime | None = None) -> Actor:
    """Record a sign-in made by the identity provider (``via="oidc"``) or the trusted proxy
    (``via="headers"``) and return the user's :class:`Actor`.

    The identity is already proven; this maps it to our users table. An unknown or disabled
    email raises :class:`SignInRefused` (audited as refused)."""
    typed = _clip((email or "").strip().lower())
    actor = lookup(db, typed)
    if actor is None:
        db.record_audit(
            typed,
            "sign_in",
            typed,
            outcome="refused",
            detail={"via": via, "reason": "not a registered user"},
        )
        raise SignInRefused(
            f"{typed} signed in, but is not a user of this dashboard; "
            f"ask an administrator to add them.",
            "unknown",
        )
    if actor.disabled:
        db.record_audit(
            typed, "sign_in", typed, outcome="refused", detail={"via": via, "reason": "disabled"}
        )
        raise SignInRefused(
            f"{typed}'s account is disabled; ask an administrator to enable it.", "disabled"
        )
    with db.transaction() as conn:
        db.update_user(conn, actor.email, last_login_at=now or utcnow())
        db.audit(conn, actor.email, "sign_in", actor.email, detail={"via": via})
    return actor


def record_sign_out(db, actor: Actor, via: str) -> None:
    db.record_audit(actor.email, "sign_out", actor.email, detail={"via": via})


# -- first run ---------------------------------------------------------------------------
def first_run_hints(db) -> list[str]:
    """How to create the first admin, when there is no enabled admin yet (else nothing)."""
    if db.count_enabled_admins() > 0:
        return []
    return [
        "",
        "No administrator account exists yet (the app ships with no default password).",
        "Create the first admin, who can then add everyone else:",
        '    python -m csa user add you@example.org --role admin --name "Your Name"',
        "It asks for a password (at least 12 characters); to pipe one in, add",
        "--password-stdin. With an identity provider or trusted proxy headers, an account",
        "needs no password: see docs/access.md.",
    ]


def allowed_roles_to_grant(actor: Actor) -> list[str]:
    """The roles this actor may give (an analyst may not make admins)."""
    if not allowed(actor, "manage_users"):
        return []
    return [r for r in ROLES if r != "admin" or allowed(actor, "grant_admin")]
