"""Accounts: Argon2id hashing, password rules, sign-in with lock-out, disable/enable, the
last-admin guard, who may manage whom, audit entries, and the `user` command's exit codes."""

import io
import json
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type
from argon2.exceptions import VerifyMismatchError

from csa import accounts, cli
from csa.access import SYSTEM, Actor, PermissionDenied
from csa.accounts import AccountError, SignInRefused

GOOD = "correct horse battery"
OTHER_GOOD = "purple elephant staple 9"
SETTINGS = {"login_max_failures": 3, "login_lockout_minutes": 15}
T0 = datetime(2025, 6, 1, 9, 0)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Low-cost Argon2id for speed; production parameters are tested separately below."""
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    monkeypatch.setattr(accounts, "_dummy_hash", None)


def entries(db, action=None):
    return db.audit_entries(actions=[action] if action else None, limit=100)


def add(db, email, role="officer", org="LANCS-POLICE", password=GOOD, name=""):
    return accounts.add_user(
        db,
        SYSTEM,
        email,
        role,
        org_code=org if role == "officer" else org,
        name=name,
        password=password,
    )


# -- hashing -------------------------------------------------------------------------------
def test_production_hasher_is_argon2id_with_at_least_the_rfc9106_low_memory_profile(monkeypatch):
    monkeypatch.undo()  # drop the cheap test hasher: this is what production uses
    h = accounts.HASHER
    assert h.type is Type.ID
    assert h.memory_cost >= 65536 and h.time_cost >= 3 and h.parallelism >= 1
    assert h.salt_len >= 16
    assert accounts.hash_password(GOOD).startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_hash_is_salted_verifies_and_never_contains_the_password():
    first, second = accounts.hash_password(GOOD), accounts.hash_password(GOOD)
    assert first != second  # a fresh salt each time
    assert first.startswith("$argon2id$")
    assert GOOD not in first
    assert accounts.verify_password(first, GOOD)
    assert not accounts.verify_password(first, GOOD.upper())
    assert not accounts.verify_password("not a hash", GOOD)
    assert not accounts.verify_password(None, GOOD)
    with pytest.raises(VerifyMismatchError):
        accounts.HASHER.verify(first, "wrong")


@pytest.mark.parametrize(
    ("password", "email", "message"),
    [
        ("short pass", "", "too short: it needs at least 12 characters"),
        ("", "", "too short"),
        (" leading spaces x", "", "may not start or end with spaces"),
        ("aaaaaaaaaaaaaaab", "", "too few different characters"),
        ("jo.bloggs-rules-2025", "Jo.Bloggs@police.uk", "may not contain the account's email name"),
        ("x" * 1025 + "abcde", "", "too long"),
    ],
)
def test_weak_passwords_are_rejected_with_the_reason(password, email, message):
    with pytest.raises(AccountError, match=message):
        accounts.check_password_strength(password, email)


@pytest.mark.parametrize("password", [GOOD, OTHER_GOOD, "Tr0ub4dor&3-and-more"])
def test_strong_passwords_pass(password):
    accounts.check_password_strength(password, "jo@police.uk")


# -- adding and changing users ---------------------------------------------------------------
def test_add_user_stores_a_hash_normalises_the_email_and_audits_without_the_password(db):
    actor = accounts.add_user(
        db,
        SYSTEM,
        "  Jo.Bloggs@Police.UK ",
        "officer",
        org_code="lancs-police",
        name="Jo Bloggs",
        password=GOOD,
    )
    assert actor == Actor("jo.bloggs@police.uk", "officer", "LANCS-POLICE")
    record = db.user_record("jo.bloggs@police.uk")
    assert record["password_hash"].startswith("$argon2id$")
    assert accounts.verify_password(record["password_hash"], GOOD)
    assert (record["name"], record["failed_logins"], record["disabled"]) == ("Jo Bloggs", 0, False)
    entry = entries(db, "user_add").iloc[0]
    assert (entry["user_email"], entry["target"], entry["outcome"]) == (
        "system",
        "jo.bloggs@police.uk",
        "ok",
    )
    assert json.loads(entry["detail"]) == {
        "role": "officer",
        "org_code": "LANCS-POLICE",
        "name": "Jo Bloggs",
        "password": "set",
    }
    assert GOOD not in db.audit_entries(limit=10_000)["detail"].str.cat()
    listed = db.users()
    assert "password_hash" not in listed.columns
    assert listed.set_index("email").loc["jo.bloggs@police.uk", "has_password"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": "not-an-email", "role": "board"}, "not an email address"),
        ({"email": "a@example.org", "role": "superuser"}, "role must be one of"),
        ({"email": "a@example.org", "role": "officer"}, "An officer needs an organisation"),
        (
            {"email": "a@example.org", "role": "officer", "org_code": "NOPE"},
            "Unknown organisation 'NOPE'; known: CSAP, LANCS-POLICE",
        ),
        ({"email": "a@example.org", "role": "board", "password": "short"}, "too short"),
    ],
)
def test_add_user_rejects_bad_input_and_writes_nothing(db, kwargs, message):
    before = len(db.users())
    with pytest.raises(AccountError, match=message):
        accounts.add_user(db, SYSTEM, **kwargs)
    assert len(db.users()) == before
    assert entries(db, "user_add").empty


def test_a_user_cannot_be_added_twice(db):
    add(db, "jo@police.uk")
    with pytest.raises(AccountError, match="already a user"):
        add(db, "JO@police.uk", role="board", org=None)


def test_set_role_keeps_or_changes_the_organisation_and_audits_from_and_to(db):
    add(db, "jo@police.uk")
    assert accounts.set_role(db, SYSTEM, "jo@police.uk", "analyst") == Actor(
        "jo@police.uk", "analyst", "LANCS-POLICE"
    )
    assert (
        accounts.set_role(db, SYSTEM, "jo@police.uk", "officer", org_code="LVRN").org_code == "LVRN"
    )
    assert accounts.set_role(db, SYSTEM, "jo@police.uk", "board", org_code=None).org_code is None
    with pytest.raises(AccountError, match="An officer needs an organisation"):
        accounts.set_role(db, SYSTEM, "jo@police.uk", "officer")
    details = [json.loads(d) for d in entries(db, "user_set_role")["detail"]]
    assert details[-1] == {
        "from": {"role": "officer", "org_code": "LANCS-POLICE"},
        "to": {"role": "analyst", "org_code": "LANCS-POLICE"},
    }
    assert details[0]["to"] == {"role": "board", "org_code": None}
    with pytest.raises(AccountError, match="There is no user nobody@example.org"):
        accounts.set_role(db, SYSTEM, "nobody@example.org", "board")


def test_the_last_enabled_admin_cannot_be_removed(db):
    add(db, "ann@example.org", role="admin", org=None)
    ann = Actor("ann@example.org", "admin")
    with pytest.raises(AccountError, match="only enabled admin"):
        accounts.set_role(db, SYSTEM, "ann@example.org", "board")
    with pytest.raises(AccountError, match="only enabled admin"):
        accounts.disable_user(db, SYSTEM, "ann@example.org")
    with pytest.raises(AccountError, match="cannot disable your own account"):
        accounts.disable_user(db, ann, "ann@example.org")
    add(db, "bob@example.org", role="admin", org=None)
    accounts.set_role(db, ann, "bob@example.org", "board")  # ann remains
    accounts.set_role(db, SYSTEM, "bob@example.org", "admin")
    accounts.disable_user(db, SYSTEM, "ann@example.org")
    assert db.count_enabled_admins() == 1


@pytest.mark.parametrize("role", ["public", "officer", "board"])
def test_only_analysts_and_admins_manage_users_and_refusals_are_audited(db, role):
    actor = Actor(f"{role}@example.org", role, "LANCS-POLICE" if role == "officer" else None)
    add(db, "target@example.org", role="board", org=None)
    attempts = [
        lambda: accounts.add_user(db, actor, "new@example.org", "board"),
        lambda: accounts.set_role(db, actor, "target@example.org", "admin"),
        lambda: accounts.disable_user(db, actor, "target@example.org"),
        lambda: accounts.enable_user(db, actor, "target@example.org"),
        lambda: accounts.set_password(db, actor, "target@example.org", OTHER_GOOD),
        lambda: accounts.list_users(db, actor),
    ]
    for attempt in attempts:
        with pytest.raises(
            PermissionDenied, match=f"{role}@example.org \\({role}\\) may not manage users"
        ):
            attempt()
    refused = db.audit_entries(outcomes=["refused"])
    assert len(refused) == len(attempts)
    assert set(refused["action"]) == {"manage_users"}
    assert set(refused["user_email"]) == {actor.email}
    assert db.user_record("new@example.org") is None
    assert db.user_record("target@example.org")["role"] == "board"


def test_an_analyst_manages_users_but_cannot_make_or_change_admins(db):
    analyst = Actor("ana@example.org", "analyst")
    add(db, "ann@example.org", role="admin", org=None)
    accounts.add_user(db, analyst, "jo@police.uk", "officer", org_code="LANCS-POLICE")
    accounts.set_role(db, analyst, "jo@police.uk", "board")
    accounts.disable_user(db, analyst, "jo@police.uk")
    for attempt in (
        lambda: accounts.add_user(db, analyst, "x@example.org", "admin"),
        lambda: accounts.set_role(db, analyst, "jo@police.uk", "admin"),
        lambda: accounts.set_role(db, analyst, "ann@example.org", "board"),
        lambda: accounts.disable_user(db, analyst, "ann@example.org"),
        lambda: accounts.set_password(db, analyst, "ann@example.org", OTHER_GOOD),
    ):
        with pytest.raises(PermissionDenied, match="may not grant admin"):
            attempt()
    assert list(db.audit_entries(outcomes=["refused"])["action"]) == ["grant_admin"] * 5
    assert accounts.allowed_roles_to_grant(analyst) == ["public", "officer", "analyst", "board"]
    assert "admin" in accounts.allowed_roles_to_grant(SYSTEM)
    assert accounts.allowed_roles_to_grant(Actor("b@example.org", "board")) == []


# -- signing in ------------------------------------------------------------------------------
def test_sign_in_with_the_right_password(db):
    add(db, "jo@police.uk", name="Jo")
    actor = accounts.authenticate(db, " JO@police.uk", GOOD, settings=SETTINGS, now=T0)
    assert actor == Actor("jo@police.uk", "officer", "LANCS-POLICE")
    assert db.user_record("jo@police.uk")["last_login_at"] == T0
    entry = entries(db, "sign_in").iloc[0]
    assert (entry["user_email"], entry["outcome"], json.loads(entry["detail"])) == (
        "jo@police.uk",
        "ok",
        {"via": "password"},
    )


def test_wrong_password_unknown_email_and_no_password_answer_alike(db):
    add(db, "jo@police.uk")
    add(db, "sso@police.uk", password=None)
    messages = set()
    for email, password, reason in (
        ("jo@police.uk", "wrong password!!", "bad_credentials"),
        ("who@police.uk", GOOD, "unknown"),
        ("sso@police.uk", GOOD, "bad_credentials"),
        ("=HYPERLINK(1)", GOOD, "unknown"),
    ):
        with pytest.raises(SignInRefused) as refused:
            accounts.authenticate(db, email, password, settings=SETTINGS, now=T0)
        assert refused.value.reason == reason
        messages.add(str(refused.value))
    assert messages == {"Email or password not recognised."}
    log = entries(db, "sign_in")
    assert list(log["outcome"]) == ["failed"] * 4
    reasons = [json.loads(d)["reason"] for d in log["detail"]][::-1]
    assert reasons == ["wrong password", "unknown account", "no local password", "unknown account"]
    assert db.user_record("jo@police.uk")["failed_logins"] == 1


def test_lock_out_after_repeated_failures_then_unlock_when_it_expires(db):
    add(db, "jo@police.uk")
    for n in (1, 2):
        with pytest.raises(SignInRefused, match="not recognised"):
            accounts.authenticate(
                db,
                "jo@police.uk",
                f"wrong password {n}",
                settings=SETTINGS,
                now=T0 + timedelta(minutes=n),
            )
    with pytest.raises(SignInRefused, match="locked until 09:18 UTC on 01 Jun 2025") as third:
        accounts.authenticate(
            db, "jo@police.uk", "wrong password 3", settings=SETTINGS, now=T0 + timedelta(minutes=3)
        )
    assert third.value.reason == "locked"
    record = db.user_record("jo@police.uk")
    assert (record["failed_logins"], record["locked_until"]) == (3, datetime(2025, 6, 1, 9, 18))
    # Locked: even the right password is refused, without counting.
    with pytest.raises(SignInRefused, match="locked until 09:18"):
        accounts.authenticate(
            db, "jo@police.uk", GOOD, settings=SETTINGS, now=T0 + timedelta(minutes=17)
        )
    # After the lock runs out, one wrong password does not lock again at once ...
    with pytest.raises(SignInRefused, match="not recognised"):
        accounts.authenticate(
            db, "jo@police.uk", "wrong again", settings=SETTINGS, now=T0 + timedelta(minutes=19)
        )
    assert db.user_record("jo@police.uk")["failed_logins"] == 1
    # ... and the right password works and clears the count.
    accounts.authenticate(
        db, "jo@police.uk", GOOD, settings=SETTINGS, now=T0 + timedelta(minutes=20)
    )
    record = db.user_record("jo@police.uk")
    assert (record["failed_logins"], record["locked_until"]) == (0, None)
    log = entries(db, "sign_in")
    assert list(log["outcome"])[::-1] == ["failed", "failed", "failed", "refused", "failed", "ok"]
    assert json.loads(log.iloc[3]["detail"])["locked_until"] == "2025-06-01T09:18"


def test_enable_and_password_reset_lift_a_lock_out(db):
    add(db, "jo@police.uk")
    for _ in range(3):
        with pytest.raises(SignInRefused):
            accounts.authenticate(db, "jo@police.uk", "nope nope nope", settings=SETTINGS, now=T0)
    accounts.enable_user(db, SYSTEM, "jo@police.uk")
    assert json.loads(entries(db, "user_enable").iloc[0]["detail"]) == {
        "was_disabled": False,
        "was_locked": True,
    }
    accounts.authenticate(db, "jo@police.uk", GOOD, settings=SETTINGS, now=T0)
    for _ in range(3):
        with pytest.raises(SignInRefused):
            accounts.authenticate(db, "jo@police.uk", "nope nope nope", settings=SETTINGS, now=T0)
    accounts.set_password(db, SYSTEM, "jo@police.uk", OTHER_GOOD)
    assert accounts.authenticate(db, "jo@police.uk", OTHER_GOOD, settings=SETTINGS, now=T0)


def test_lock_out_uses_the_configured_settings(db):
    add(db, "jo@police.uk")
    for _ in range(4):
        with pytest.raises(SignInRefused, match="not recognised"):
            accounts.authenticate(
                db,
                "jo@police.uk",
                "nope nope nope",
                settings={"login_max_failures": 5, "login_lockout_minutes": 60},
                now=T0,
            )
    with pytest.raises(SignInRefused, match="locked until 10:00 UTC"):
        accounts.authenticate(
            db,
            "jo@police.uk",
            "nope nope nope",
            settings={"login_max_failures": 5, "login_lockout_minutes": 60},
            now=T0,
        )


def test_a_disabled_account_cannot_sign_in_or_act(db):
    add(db, "jo@police.uk")
    accounts.disable_user(db, SYSTEM, "jo@police.uk")
    with pytest.raises(SignInRefused, match="disabled") as refused:
        accounts.authenticate(db, "jo@police.uk", GOOD, settings=SETTINGS, now=T0)
    assert refused.value.reason == "disabled"
    with pytest.raises(SignInRefused, match="not recognised"):  # wrong password: no hint
        accounts.authenticate(db, "jo@police.uk", "wrong password", settings=SETTINGS, now=T0)
    with pytest.raises(accounts.DisabledUser, match="jo@police.uk's account is disabled"):
        accounts.get_actor(db, "jo@police.uk", action="upload_return", target="r.xlsx")
    with pytest.raises(AccountError, match="already disabled"):
        accounts.disable_user(db, SYSTEM, "jo@police.uk")
    accounts.enable_user(db, SYSTEM, "jo@police.uk")
    assert accounts.get_actor(db, "jo@police.uk") == Actor(
        "jo@police.uk", "officer", "LANCS-POLICE"
    )


def test_get_actor_refuses_unknown_users_clearly_and_audits_it(db):
    with pytest.raises(PermissionDenied, match="'ghost@example.org' is not a registered user"):
        accounts.get_actor(db, "ghost@example.org", action="upload_return", target="q2.xlsx")
    entry = db.audit_entries(outcomes=["refused"]).iloc[0]
    assert (entry["user_email"], entry["action"], entry["target"]) == (
        "ghost@example.org",
        "upload_return",
        "q2.xlsx",
    )
    assert issubclass(accounts.UnknownUser, PermissionDenied)


def test_change_own_password_needs_the_current_one(db):
    add(db, "jo@police.uk")
    jo = Actor("jo@police.uk", "officer", "LANCS-POLICE")
    with pytest.raises(AccountError, match="current password is wrong"):
        accounts.change_own_password(db, jo, "not it at all", OTHER_GOOD)
    with pytest.raises(AccountError, match="too short"):
        accounts.change_own_password(db, jo, GOOD, "short")
    accounts.change_own_password(db, jo, GOOD, OTHER_GOOD)
    assert accounts.authenticate(db, "jo@police.uk", OTHER_GOOD, settings=SETTINGS, now=T0)
    assert list(entries(db, "user_password")["outcome"]) == ["ok", "failed"]


def test_a_stronger_hasher_rehashes_on_the_next_sign_in(db, monkeypatch):
    add(db, "jo@police.uk")
    old = db.user_record("jo@police.uk")["password_hash"]
    assert "m=1024,t=1,p=1" in old
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    )
    accounts.authenticate(db, "jo@police.uk", GOOD, settings=SETTINGS, now=T0)
    new = db.user_record("jo@police.uk")["password_hash"]
    assert "m=2048,t=2,p=1" in new and accounts.verify_password(new, GOOD)


def test_external_sign_in_maps_a_registered_email_and_refuses_others(db):
    add(db, "jo@police.uk", password=None)
    assert accounts.external_sign_in(db, "Jo@Police.uk", "oidc", now=T0) == Actor(
        "jo@police.uk", "officer", "LANCS-POLICE"
    )
    with pytest.raises(SignInRefused, match="not a user of this dashboard"):
        accounts.external_sign_in(db, "stranger@gmail.com", "headers")
    log = entries(db, "sign_in")
    assert list(zip(log["user_email"], log["outcome"], strict=True)) == [
        ("stranger@gmail.com", "refused"),
        ("jo@police.uk", "ok"),
    ]
    assert json.loads(log.iloc[1]["detail"]) == {"via": "oidc"}


# -- first run -------------------------------------------------------------------------------
def test_first_run_hints_until_there_is_an_enabled_admin(db):
    hints = "\n".join(accounts.first_run_hints(db))
    assert "No administrator account exists yet" in hints
    assert "python -m csa user add you@example.org --role admin" in hints
    assert "no default password" in hints
    add(db, "ann@example.org", role="admin", org=None)
    assert accounts.first_run_hints(db) == []


# -- the audit log reader --------------------------------------------------------------------
def test_audit_entries_filters(db):
    db.record_audit(
        "a@example.org",
        "sign_in",
        "a@example.org",
        outcome="failed",
        detail={"reason": "wrong password"},
    )
    db.record_audit("b@example.org", "user_add", "c@example.org")
    assert list(db.audit_entries(user_email="A@EXAMPLE")["action"]) == ["sign_in"]
    assert list(db.audit_entries(outcomes=["failed"])["user_email"]) == ["a@example.org"]
    assert list(db.audit_entries(text="c@example")["action"]) == ["user_add"]
    assert list(db.audit_entries(text="WRONG PASS")["action"]) == ["sign_in"]
    assert db.audit_entries(text="100%_").empty  # LIKE wildcards are escaped
    assert db.audit_entries(since=datetime(2999, 1, 1)).empty
    assert len(db.audit_entries(actions=["sign_in", "user_add"])) == 2
    with pytest.raises(PermissionDenied):
        accounts.audit_log(db, Actor("ana@example.org", "analyst"))
    assert len(accounts.audit_log(db, SYSTEM, actions=["user_add"])) == 1


# -- the command line ------------------------------------------------------------------------
class TTY(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def run_cli(db, monkeypatch, capsys):
    """Run `python -m csa ...` in this process against the test database."""
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("init", "user"))

    def run(*args, stdin=""):
        monkeypatch.setattr(
            "sys.stdin", stdin if isinstance(stdin, io.StringIO) else io.StringIO(stdin)
        )
        code = cli.main(["--database-url", db.url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_cli_user_add_with_password_stdin_and_list(db, run_cli):
    code, out, _ = run_cli(
        "user",
        "add",
        "Ann@Example.org",
        "--role",
        "admin",
        "--name",
        "Ann Admin",
        "--password-stdin",
        stdin=GOOD + "\n",
    )
    assert (code, out) == (0, "Added ann@example.org as admin.\n")
    assert accounts.verify_password(db.user_record("ann@example.org")["password_hash"], GOOD)
    code, out, _ = run_cli(
        "user", "add", "jo@police.uk", "--role", "officer", "--org", "LANCS-POLICE"
    )
    assert code == 0
    assert "Added jo@police.uk as officer of LANCS-POLICE." in out
    assert "No local password was set" in out  # no terminal, no --password-stdin
    assert db.user_record("jo@police.uk")["password_hash"] is None
    code, out, _ = run_cli("user", "list")
    assert code == 0 and "$argon2" not in out and GOOD not in out
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["ann@example.org", "admin", "-", "active", "password:"]
    assert lines[1].split()[:4] == ["jo@police.uk", "officer", "LANCS-POLICE", "active"]
    code, out, _ = run_cli("user", "list", "--json")
    users = {u["email"]: u for u in json.loads(out)}
    assert users["jo@police.uk"]["has_password"] is False
    assert users["ann@example.org"]["org_code"] is None
    assert entries(db, "user_add")["user_email"].str.startswith("cli:").all()


def test_cli_user_add_prompts_on_a_terminal(db, run_cli, monkeypatch):
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = run_cli("user", "add", "b@example.org", "--role", "board", stdin=TTY(""))
    assert code == 0, err
    assert accounts.verify_password(db.user_record("b@example.org")["password_hash"], GOOD)
    answers = iter([GOOD, GOOD + "x"])
    code, _, err = run_cli("user", "add", "c@example.org", "--role", "board", stdin=TTY(""))
    assert (code, err) == (2, "error: The two passwords differ; nothing was changed.\n")
    assert db.user_record("c@example.org") is None


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["user", "add", "x@example.org", "--role", "officer"],
            "",
            "An officer needs an organisation",
        ),
        (
            ["user", "add", "x@example.org", "--role", "board", "--password-stdin"],
            "short\n",
            "too short",
        ),
        (
            ["user", "add", "x@example.org", "--role", "board", "--password-stdin"],
            "",
            "standard input held no password",
        ),
        (
            ["user", "add", "x@example.org", "--role", "officer", "--org", "NOPE"],
            "",
            "Unknown organisation 'NOPE'",
        ),
        (["user", "add", "not-an-email", "--role", "board"], "", "not an email address"),
        (["user", "disable", "ghost@example.org"], "", "There is no user ghost@example.org"),
        (["user", "set-role", "ghost@example.org", "board"], "", "There is no user"),
        (["user", "password", "ann@example.org"], "", "use --password-stdin"),
    ],
)
def test_cli_rejected_input_exits_2_and_writes_nothing(db, run_cli, args, stdin, message):
    run_cli("user", "add", "ann@example.org", "--role", "admin", "--password-stdin", stdin=GOOD)
    before = (len(db.users()), db.data_version())
    code, _, err = run_cli(*args, stdin=stdin)
    assert code == 2
    assert message in err and err.startswith("error: ") and "Traceback" not in err
    assert (len(db.users()), db.data_version()) == before


def test_cli_last_admin_guard_and_set_role_disable_enable(db, run_cli):
    run_cli("user", "add", "ann@example.org", "--role", "admin", "--password-stdin", stdin=GOOD)
    code, _, err = run_cli("user", "set-role", "ann@example.org", "board")
    assert code == 2 and "only enabled admin" in err
    run_cli("user", "add", "jo@police.uk", "--role", "officer", "--org", "LANCS-POLICE")
    assert run_cli("user", "set-role", "jo@police.uk", "analyst", "--no-org")[:2] == (
        0,
        "jo@police.uk is now analyst.\n",
    )
    assert run_cli("user", "disable", "jo@police.uk")[:2] == (0, "Disabled jo@police.uk.\n")
    assert db.user_record("jo@police.uk")["disabled"]
    assert run_cli("user", "enable", "jo@police.uk")[0] == 0
    assert not db.user_record("jo@police.uk")["disabled"]
    assert run_cli("user", "password", "jo@police.uk", "--password-stdin", stdin=OTHER_GOOD)[0] == 0
    assert accounts.verify_password(db.user_record("jo@police.uk")["password_hash"], OTHER_GOOD)
    assert run_cli("user", "password", "jo@police.uk", "--remove")[0] == 0
    assert db.user_record("jo@police.uk")["password_hash"] is None


def test_cli_init_prints_how_to_create_the_first_admin(db, run_cli):
    code, out, _ = run_cli("init")
    assert code == 0
    assert "python -m csa user add you@example.org --role admin" in out
    run_cli("user", "add", "ann@example.org", "--role", "admin", "--password-stdin", stdin=GOOD)
    code, out, _ = run_cli("init")
    assert code == 0 and "No administrator" not in out


# -- lock-out under concurrency ----------------------------------------------------------------
def _race(db, email, passwords, monkeypatch, settings):
    """Send every password at once from its own thread; returns (outcomes, hashes verified)."""
    import threading
    import time

    verified = []
    real_verify = accounts.verify_password

    def slow_verify(password_hash, password):
        verified.append((password_hash, password))
        time.sleep(0.05)  # a real Argon2 verification takes this long or longer
        return real_verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", slow_verify)
    barrier = threading.Barrier(len(passwords))
    outcomes = [None] * len(passwords)

    def attempt(i, password):
        barrier.wait()
        try:
            accounts.authenticate(db, email, password, settings=settings, now=T0)
            outcomes[i] = "ok"
        except SignInRefused as refused:
            outcomes[i] = str(refused)

    threads = [threading.Thread(target=attempt, args=p) for p in enumerate(passwords)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, verified


def test_concurrent_wrong_passwords_never_check_more_than_the_limit(db, monkeypatch):
    add(db, "jo@police.uk")
    settings = {"login_max_failures": 5, "login_lockout_minutes": 15}
    passwords = [f"wrong password {n}" for n in range(20)]
    outcomes, verified = _race(db, "jo@police.uk", passwords, monkeypatch, settings)
    assert len(verified) == 5  # no verification is spent on a locked account
    assert sum("locked until 09:15 UTC" in o for o in outcomes) == 16
    record = db.user_record("jo@police.uk")
    assert (record["failed_logins"], record["locked_until"]) == (5, T0 + timedelta(minutes=15))
    with pytest.raises(SignInRefused, match="locked until 09:15"):
        accounts.authenticate(db, "jo@police.uk", GOOD, settings=settings, now=T0)


def test_the_right_password_among_concurrent_guesses_is_not_accepted_past_the_limit(
    db, monkeypatch
):
    add(db, "jo@police.uk")
    settings = {"login_max_failures": 5, "login_lockout_minutes": 15}
    passwords = [f"wrong password {n}" for n in range(20)] + [GOOD]
    outcomes, verified = _race(db, "jo@police.uk", passwords, monkeypatch, settings)
    checked = [password for _, password in verified]
    if outcomes[-1] == "ok":  # it took one of the 5 checks; a success starts the count afresh
        assert checked.index(GOOD) <= 4
    else:
        assert "locked until" in outcomes[-1]
        assert GOOD not in checked and len(checked) == 5


def test_an_unknown_email_locks_out_like_a_known_one(db, monkeypatch):
    add(db, "jo@police.uk")
    answers = {}
    for email in ("jo@police.uk", "nobody@police.uk"):
        answers[email] = []
        for n in range(5):
            with pytest.raises(SignInRefused) as refused:
                accounts.authenticate(db, email, f"wrong {n} password", settings=SETTINGS, now=T0)
            answers[email].append(str(refused.value))
    assert answers["jo@police.uk"] == answers["nobody@police.uk"]
    assert "locked until 09:15 UTC" in answers["nobody@police.uk"][-1]
    # After the window, an unknown email answers "not recognised" again, like a known one.
    later = T0 + timedelta(minutes=16)
    for email in ("jo@police.uk", "nobody@police.uk"):
        with pytest.raises(SignInRefused, match="not recognised"):
            accounts.authenticate(db, email, "wrong again!!", settings=SETTINGS, now=later)


def test_concurrent_guesses_at_an_unknown_email_lock_it_out_too(db, monkeypatch):
    settings = {"login_max_failures": 5, "login_lockout_minutes": 15}
    passwords = [f"wrong password {n}" for n in range(12)]
    outcomes, verified = _race(db, "nobody@police.uk", passwords, monkeypatch, settings)
    assert len(verified) == 5
    assert sum("locked until" in o for o in outcomes) == 8
