"""Sign-in sessions (csa.sessions, csa.db.sessions): signed cookies, server-side records,
rotation at sign-in, revocation at sign-out, disable, role change and password reset,
forged and expired cookies, form tokens, the secret."""

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from csa import accounts, sessions
from csa.access import SYSTEM

SECRET = b"s" * 40
GOOD = "correct horse battery"
T0 = datetime(2026, 3, 1, 9, 0)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def users(db):
    accounts.add_user(db, SYSTEM, "ann@example.org", "admin", name="Ann", password=GOOD)
    accounts.add_user(db, SYSTEM, "jo@police.uk", "officer", org_code="LANCS-POLICE", name="Jo")
    return db


def start(db, email="jo@police.uk", now=T0, hours=8, replacing=None):
    return sessions.start(db, email, secret=SECRET, hours=hours, replacing=replacing, now=now)


def test_a_session_cookie_names_its_user_and_role_until_it_expires(users):
    cookie, expires = start(users)
    assert expires == T0 + timedelta(hours=8)
    found = sessions.lookup(users, cookie, secret=SECRET, now=T0 + timedelta(hours=7, minutes=59))
    assert (found.email, found.role, found.org_code, found.name) == (
        "jo@police.uk",
        "officer",
        "LANCS-POLICE",
        "Jo",
    )
    assert sessions.lookup(users, cookie, secret=SECRET, now=expires) is None


def test_only_the_hash_of_the_session_id_is_stored(users):
    cookie, _ = start(users)
    token = cookie.split(".")[0]
    (row,) = users.sessions_of("jo@police.uk")
    assert row["id_hash"] == sessions.id_hash(token) != token
    assert token not in str(row)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c.split(".")[0] + ".AAAA",  # the signature of another value
        lambda c: "x" + c,  # a changed id with the old signature
        lambda c: c.split(".")[0],  # no signature at all
        lambda c: c + ".extra",
        lambda c: "",
        lambda c: None,
    ],
)
def test_a_forged_cookie_is_ignored(users, tamper):
    cookie, _ = start(users)
    assert sessions.lookup(users, tamper(cookie), secret=SECRET, now=T0) is None


def test_a_cookie_signed_with_another_secret_is_ignored(users):
    cookie, _ = start(users)
    assert sessions.lookup(users, cookie, secret=b"t" * 40, now=T0) is None


def test_signing_in_again_rotates_the_id_and_revokes_the_old_one(users):
    first, _ = start(users)
    second, _ = start(users, replacing=first, now=T0 + timedelta(minutes=5))
    assert second != first
    assert sessions.lookup(users, first, secret=SECRET, now=T0 + timedelta(minutes=6)) is None
    assert sessions.lookup(users, second, secret=SECRET, now=T0 + timedelta(minutes=6))
    reasons = [r["revoked_reason"] for r in users.sessions_of("jo@police.uk")]
    assert reasons == ["", "replaced"]  # newest first


def test_sign_out_revokes_the_session_and_returns_its_user(users):
    cookie, _ = start(users)
    other, _ = start(users)  # a second browser of the same user
    assert sessions.end(users, cookie, secret=SECRET, now=T0) == "jo@police.uk"
    assert sessions.lookup(users, cookie, secret=SECRET, now=T0) is None
    assert sessions.lookup(users, other, secret=SECRET, now=T0) is not None
    assert sessions.end(users, cookie, secret=SECRET, now=T0) is None  # already ended


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda db: accounts.disable_user(db, SYSTEM, "jo@police.uk"), "disabled"),
        (lambda db: accounts.set_role(db, SYSTEM, "jo@police.uk", "analyst"), "role_changed"),
        (
            lambda db: accounts.set_role(db, SYSTEM, "jo@police.uk", "officer", org_code="LCC"),
            "role_changed",
        ),
        (
            lambda db: accounts.set_password(db, SYSTEM, "jo@police.uk", "a new long password"),
            "password_reset",
        ),
    ],
)
def test_disable_role_change_and_password_reset_revoke_every_session(users, change, reason):
    cookies = [start(users, now=datetime.now())[0] for _ in range(2)]
    change(users)
    assert [sessions.lookup(users, c, secret=SECRET) for c in cookies] == [None, None]
    assert {r["revoked_reason"] for r in users.sessions_of("jo@police.uk")} == {reason}


def test_setting_the_same_role_keeps_the_sessions(users):
    cookie, _ = start(users, now=datetime.now())
    accounts.set_role(users, SYSTEM, "jo@police.uk", "officer")
    assert sessions.lookup(users, cookie, secret=SECRET) is not None


def test_enabling_again_does_not_bring_a_revoked_session_back(users):
    cookie, _ = start(users, now=datetime.now())
    accounts.disable_user(users, SYSTEM, "jo@police.uk")
    accounts.enable_user(users, SYSTEM, "jo@police.uk")
    assert sessions.lookup(users, cookie, secret=SECRET) is None


def test_long_expired_sessions_are_purged_at_a_later_sign_in(users):
    start(users, now=T0)
    start(users, now=T0 + timedelta(hours=8) + sessions.KEEP_EXPIRED + timedelta(minutes=1))
    assert len(users.sessions_of("jo@police.uk")) == 1


@pytest.mark.parametrize(
    "https, secure",
    [(True, True), (False, False)],
)
def test_cookie_options_are_httponly_lax_and_secure_only_over_https(https, secure):
    opts = sessions.cookie_options(https=https, expires=T0 + timedelta(hours=8), now=T0)
    assert opts == {
        "key": "csa_session",
        "max_age": 8 * 3600,
        "path": "/",
        "httponly": True,
        "secure": secure,
        "samesite": "lax",
    }


@pytest.mark.parametrize(
    "purpose_checked, age, ok",
    [
        ("sign-in", 0, True),
        ("sign-in", sessions.FORM_TOKEN_SECONDS, True),
        ("sign-in", sessions.FORM_TOKEN_SECONDS + 1, False),  # expired
        ("sign-in", -3600, False),  # from the future
        ("sign-out:abc", 0, False),  # issued for another purpose
    ],
)
def test_form_tokens_check_purpose_and_age(purpose_checked, age, ok):
    token = sessions.issue_form_token(SECRET, "sign-in", now=1_000_000)
    assert sessions.check_form_token(token, SECRET, purpose_checked, now=1_000_000 + age) is ok


@pytest.mark.parametrize("token", [None, "", "1.2", "abc.def.ghi", "1.x." + "A" * 43])
def test_malformed_form_tokens_are_refused(token):
    assert sessions.check_form_token(token, SECRET, "sign-in") is False


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/scorecard", "/scorecard"),
        ("/plan?id=3", "/plan?id=3"),
        (None, "/"),
        ("https://evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/a\r\nSet-Cookie: x", "/"),
    ],
)
def test_safe_next_keeps_only_same_site_paths(target, expected):
    assert sessions.safe_next(target) == expected


def test_the_secret_comes_from_the_environment_or_a_generated_private_file(tmp_path):
    assert sessions.load_secret({"CSA_SESSION_SECRET": "e" * 32}, tmp_path / "x") == b"e" * 32
    with pytest.raises(ValueError, match="too short"):
        sessions.load_secret({"CSA_SESSION_SECRET": "short"}, tmp_path / "x")
    path = tmp_path / ".streamlit" / "session_secret"
    first = sessions.load_secret({}, path)
    assert len(first) == 64 and path.stat().st_mode & 0o777 == 0o600
    assert sessions.load_secret({}, path) == first  # kept, not regenerated
