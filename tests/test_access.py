"""The permission matrix (role x action, allowed and refused), organisation scoping, audited
refusals, the documented matrix, and the read-only public database role of docs/access.md."""

import json
import os
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from csa.access import (
    ORG_SCOPED,
    PERMISSIONS,
    PUBLIC,
    ROLES,
    SYSTEM,
    Actor,
    PermissionDenied,
    allowed,
    can_see_indicator,
    explain,
    require,
    seeing_key,
)
from csa.db import Database
from csa.seed import seed

ROOT = Path(__file__).resolve().parent.parent

# The matrix the issue asks for, written out by hand (not derived from csa.access).
# "org" = an officer only for their own organisation's indicators.
EXPECTED = {
    "view_public": {"public": 1, "officer": 1, "analyst": 1, "board": 1, "admin": 1},
    "view_restricted": {"public": 0, "officer": "org", "analyst": 1, "board": 1, "admin": 1},
    "upload_return": {"public": 0, "officer": "org", "analyst": 1, "board": 0, "admin": 1},
    "rollback_upload": {"public": 0, "officer": 0, "analyst": 1, "board": 0, "admin": 1},
    "edit_plan": {"public": 0, "officer": "org", "analyst": 1, "board": 0, "admin": 1},
    "submit_plan": {"public": 0, "officer": "org", "analyst": 1, "board": 0, "admin": 1},
    "approve_plan": {"public": 0, "officer": 0, "analyst": 0, "board": 1, "admin": 1},
    "return_plan": {"public": 0, "officer": 0, "analyst": 0, "board": 1, "admin": 1},
    "monitor_plan": {"public": 0, "officer": "org", "analyst": 1, "board": 1, "admin": 1},
    "close_plan": {"public": 0, "officer": 0, "analyst": 1, "board": 1, "admin": 1},
    "view_plans": {"public": 0, "officer": 1, "analyst": 1, "board": 1, "admin": 1},
    "view_board_pack": {"public": 0, "officer": 0, "analyst": 1, "board": 1, "admin": 1},
    "manage_indicators": {"public": 0, "officer": 0, "analyst": 1, "board": 0, "admin": 1},
    "edit_assessment": {"public": 0, "officer": 0, "analyst": 1, "board": 0, "admin": 1},
    "manage_users": {"public": 0, "officer": 0, "analyst": 1, "board": 0, "admin": 1},
    "grant_admin": {"public": 0, "officer": 0, "analyst": 0, "board": 0, "admin": 1},
    "view_audit": {"public": 0, "officer": 0, "analyst": 0, "board": 0, "admin": 1},
    "view_strategic": {"public": 0, "officer": 1, "analyst": 1, "board": 1, "admin": 1},
    "sign_in": {"public": 1, "officer": 0, "analyst": 0, "board": 0, "admin": 0},
    "view_account": {"public": 0, "officer": 1, "analyst": 1, "board": 1, "admin": 1},
}
OWN, OTHER = "LANCS-POLICE", "LVRN"
CASES = [(role, action, rule) for action, row in EXPECTED.items() for role, rule in row.items()]


def actor_for(role: str) -> Actor:
    return Actor(f"{role}@example.org", role, OWN if role == "officer" else None)


def test_the_matrix_covers_every_action_and_role():
    assert set(EXPECTED) == set(PERMISSIONS)
    assert ROLES == ("public", "officer", "analyst", "board", "admin")


@pytest.mark.parametrize(("role", "action", "rule"), CASES, ids=[f"{r}-{a}" for r, a, _ in CASES])
def test_permission_matrix(role, action, rule):
    actor = actor_for(role)
    if rule == "org":
        assert allowed(actor, action, [OWN])
        assert allowed(actor, action, OWN)
        assert not allowed(actor, action, [OTHER])
        assert not allowed(actor, action, [OWN, OTHER])  # a return covering another org
        assert action in ORG_SCOPED
    else:
        # Non-officers are never limited by organisation.
        for orgs in (None, [OWN], [OTHER], [OWN, OTHER]):
            assert allowed(actor, action, orgs) is bool(rule)


@pytest.mark.parametrize(("role", "action", "rule"), CASES, ids=[f"{r}-{a}" for r, a, _ in CASES])
def test_require_refuses_exactly_what_the_matrix_refuses(db, role, action, rule):
    actor = actor_for(role)
    orgs = [OTHER] if rule == "org" else [OWN]
    if rule == 1:
        require(actor, action, orgs, db=db, target="T")
        assert db.audit_entries(outcomes=["refused"]).empty
        return
    with pytest.raises(PermissionDenied, match=re.escape(actor.email)):
        require(actor, action, orgs, db=db, target="T-1")
    entries = db.audit_entries(outcomes=["refused"])
    assert len(entries) == 1
    entry = entries.iloc[0]
    assert (entry["user_email"], entry["action"], entry["target"]) == (actor.email, action, "T-1")
    assert entry["detail"] == explain(actor, action, orgs)


def test_permission_denied_is_a_permission_error():
    assert issubclass(PermissionDenied, PermissionError)
    with pytest.raises(PermissionError):
        require(PUBLIC, "upload_return")


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_a_disabled_account_may_do_nothing(action):
    admin = Actor("gone@example.org", "admin", None, disabled=True)
    officer = Actor("gone2@example.org", "officer", OWN, disabled=True)
    assert not allowed(admin, action)
    assert not allowed(officer, action, [OWN])
    assert "disabled" in explain(admin, action)


def test_an_officer_with_no_organisation_may_not_do_org_scoped_things():
    orphan = Actor("orphan@example.org", "officer", None)
    assert not allowed(orphan, "upload_return", [OWN])
    with pytest.raises(PermissionDenied, match="officer with no organisation"):
        require(orphan, "upload_return", [OWN])
    assert allowed(orphan, "view_plans")


def test_refusal_messages_say_why():
    officer = Actor("jo@police.uk", "officer", OWN)
    assert explain(officer, "upload_return", [OWN, OTHER]) == (
        "jo@police.uk is an officer of LANCS-POLICE and may only upload return for "
        "indicators their organisation leads, not those led by LVRN."
    )
    assert explain(PUBLIC, "approve_plan") == (
        "anonymous (public) may not approve plan; it needs the role admin, board."
    )


def test_unknown_actions_and_roles_are_errors():
    with pytest.raises(ValueError, match="unknown action 'delete_everything'"):
        allowed(SYSTEM, "delete_everything")
    with pytest.raises(ValueError, match="role must be one of"):
        Actor("x@example.org", "superuser")


@pytest.mark.parametrize(
    ("role", "org", "public", "lead", "visible"),
    [
        ("public", None, True, OWN, True),
        ("public", None, False, OWN, False),
        ("officer", OWN, False, OWN, True),
        ("officer", OWN, False, OTHER, False),
        ("officer", OWN, False, None, False),  # restricted, no lead: no officer sees it
        ("officer", OWN, True, OTHER, True),
        ("board", None, False, OTHER, True),
        ("board", None, False, None, True),
        ("analyst", None, False, OTHER, True),
        ("admin", None, False, OTHER, True),
    ],
)
def test_restricted_indicators_are_seen_only_by_those_entitled(role, org, public, lead, visible):
    assert can_see_indicator(Actor("a@example.org", role, org), public, lead) is visible


def test_actors_of_one_seeing_key_see_the_same_and_of_two_keys_may_not():
    """What is worked out from what an actor may see is shared by seeing_key: it must hold
    everything can_see_indicator reads (emails differ, keys and sight agree)."""
    orgs = (None, OWN, OTHER)
    actors = [
        Actor(f"{n}@example.org", role, org, disabled)
        for n, (role, org, disabled) in enumerate(
            (r, o, d) for r in ROLES for o in orgs for d in (False, True)
        )
    ]
    twins = [Actor("twin-" + a.email, a.role, a.org_code, a.disabled) for a in actors]
    cases = [(p, lead) for p in (True, False) for lead in orgs]
    for actor, twin in zip(actors, twins, strict=True):
        assert seeing_key(actor) == seeing_key(twin)
        assert [can_see_indicator(actor, p, o) for p, o in cases] == [
            can_see_indicator(twin, p, o) for p, o in cases
        ]
    sights = {}
    for actor in actors:
        sights.setdefault(seeing_key(actor), set()).add(
            tuple(can_see_indicator(actor, p, o) for p, o in cases)
        )
    assert all(len(seen) == 1 for seen in sights.values())
    assert len({next(iter(s)) for s in sights.values()}) > 2  # the keys do tell kinds apart


def test_restricted_indicator_in_the_bundled_data_is_hidden_from_the_public(db):
    indicators = db.indicators()
    soc = indicators.set_index("code").loc["SOC-01"]
    assert not bool(soc["public"])
    lead = soc["lead_org_code"]
    assert not can_see_indicator(PUBLIC, soc["public"], lead)
    assert can_see_indicator(Actor("o@example.org", "officer", lead), soc["public"], lead)
    other = next(c for c in db.organisation_codes() if c != lead)
    assert not can_see_indicator(Actor("p@example.org", "officer", other), soc["public"], lead)


# -- the documentation says the same as the code -------------------------------------------
def documented_matrix() -> dict[str, dict[str, str]]:
    lines = (ROOT / "docs/access.md").read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| action |"))
    roles = [c.strip() for c in lines[header].strip("|").split("|")][1:]
    table = {}
    for line in lines[header + 2 :]:
        if not line.startswith("| `"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        table[cells[0].strip("`")] = dict(zip(roles, cells[1:], strict=True))
    return table


def test_docs_matrix_is_the_enforced_matrix():
    words = {1: "yes", 0: "–", "org": "own org"}
    assert documented_matrix() == {
        action: {role: words[rule] for role, rule in row.items()}
        for action, row in EXPECTED.items()
    }


# -- the read-only public database role (PostgreSQL) -----------------------------------------
PG_URL = os.environ.get("CSA_TEST_POSTGRES_URL", "")


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="CSA_TEST_POSTGRES_URL is not set")
def test_documented_grants_give_the_public_entry_a_read_only_role(data_dir):
    """Run the GRANT statements of docs/access.md: the public role reads the figures (and the
    app can start on it), but cannot write, nor read users or the audit details."""
    suffix = uuid.uuid4().hex[:8]
    dbname, public, app = f"csa_grants_{suffix}", f"csa_public_{suffix}", f"csa_app_{suffix}"
    url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    owner = Database(url.set(database=dbname).render_as_string(hide_password=False))
    public_db = app_db = None
    try:
        seed(owner, data_dir)
        owner.record_audit("someone@example.org", "user_add", "x", detail={"secret": "no"})
        doc = (ROOT / "docs/access.md").read_text(encoding="utf-8")
        sql = re.search(r"```sql\n(.*?)```", doc, re.S).group(1)
        sql = (
            re.sub(r"--[^\n]*", "", sql)
            .replace("csa_public", public)
            .replace("csa_app", app)
            .replace("DATABASE csa ", f'DATABASE "{dbname}" ')
        )
        with owner.engine.begin() as conn:
            for statement in filter(str.strip, sql.split(";")):
                conn.execute(text(statement))
        role_url = url.set(database=dbname, username=public, password=None)
        public_db = Database(role_url.render_as_string(hide_password=False))
        assert seed(public_db, data_dir)["changed"] is False  # the entry starts read-only
        assert len(public_db.observations()) == len(owner.observations()) > 4000
        assert public_db.data_version() == owner.data_version()
        for attempt in (
            lambda: public_db.record_audit("x", "sign_in"),
            public_db.users,
            public_db.audit_entries,
        ):
            with pytest.raises(Exception, match="read-only transaction|permission denied"):
                attempt()
        app_db = Database(
            url.set(database=dbname, username=app, password=None).render_as_string(
                hide_password=False
            )
        )
        app_db.record_audit("officer@example.org", "upload_return", "f.xlsx")
        with pytest.raises(Exception, match="permission denied"), app_db.transaction() as c:
            c.execute(text("UPDATE audit_log SET outcome = 'ok'"))
    finally:
        for database in (public_db, app_db, owner):
            if database is not None:
                database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
            for role in (public, app):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def test_audit_detail_is_json_for_structured_entries(db):
    db.record_audit("a@example.org", "user_add", "b@example.org", detail={"role": "board"})
    entry = db.audit_entries(actions=["user_add"]).iloc[0]
    assert json.loads(entry["detail"]) == {"role": "board"}
    assert db.audit_actions() == sorted(set(db.audit_entries(limit=10_000)["action"]))
