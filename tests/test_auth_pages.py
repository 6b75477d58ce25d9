"""Who reaches which page (AppTest): per role, in the embed, on the public-only entry; the
local sign-in form, OIDC through `at.user`, trusted proxy headers; pages re-check the role;
sign-in and sign-out are audited; the users and audit pages work for those allowed."""

import json

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from csa import accounts
from csa.access import SYSTEM
from tests.conftest import ROOT, app_test, open_page, reachable
from ui.navigation import PAGES
from ui.session import Viewer

GOOD = "correct horse battery"
SIGN_IN, ACCOUNT, USERS, AUDIT = (
    "pages/account/sign_in.py",
    "pages/account/account.py",
    "pages/admin/users.py",
    "pages/admin/audit.py",
)
MINE = (SIGN_IN, ACCOUNT, USERS, AUDIT)
#: Written out by hand: which of the access pages each role reaches (outside the embed).
EXPECTED = {
    "public": {SIGN_IN},
    "officer": {ACCOUNT},
    "analyst": {ACCOUNT, USERS},
    "board": {ACCOUNT},
    "admin": {ACCOUNT, USERS, AUDIT},
}
VIEWERS = {
    "public": None,
    "officer": Viewer("jo@police.uk", "officer", "LANCS-POLICE", "Jo"),
    "analyst": Viewer("ana@example.org", "analyst", None, "Ana"),
    "board": Viewer("chair@example.org", "board", None, "Chair"),
    "admin": Viewer("ann@example.org", "admin", None, "Ann"),
}
OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-only-not-a-secret",
        "client_id": "test-client",
        "client_secret": "test-only",
        "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration",
        "label": "the council account",
    }
}
HEADERS = {"server.trustedUserHeaders": {"X-Forwarded-Email": "email", "X-Forwarded-User": "name"}}


@pytest.fixture(autouse=True)
def light_home_page(monkeypatch):
    """Land on "About the data" instead of the scorecard overview: the overview assesses
    every indicator on a cold cache (tens of seconds per new database), which these tests
    of who reaches which page do not need. The set of pages and their roles is unchanged."""
    from dataclasses import replace

    from ui import navigation

    home = "pages/scorecard/about.py"
    assert any(p.path == home for p in navigation.PAGES)
    monkeypatch.setattr(
        navigation, "PAGES", tuple(replace(p, default=p.path == home) for p in navigation.PAGES)
    )


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    monkeypatch.setattr(accounts, "_dummy_hash", None)


def reach_now(at: AppTest) -> set[str]:
    """The access pages app.py's navigation now offers this session's identity.

    AppTest looks for a ``pages/`` folder afresh on every run, so after the first run its
    page registry can be Streamlit's legacy list of every file (see ui.auth.guard_page); a
    new AppTest with the same identity always starts at app.py and its navigation."""
    viewer = at.session_state["viewer"] if "viewer" in at.session_state else None
    fresh = app_test(viewer, user=dict(at.user), secrets=dict(at.secrets) or None)
    return {p for p in MINE if reachable(fresh, p)}


def by_label(elements, label):
    return next(e for e in elements if e.label == label)


def existing_pages():
    return [p for p in PAGES if (ROOT / p.path).exists()]


# -- each role sees exactly its pages -------------------------------------------------------
@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_reaches_exactly_its_access_pages(app_env, role):
    at = app_test(VIEWERS[role])
    assert {p for p in MINE if reachable(at, p)} == EXPECTED[role]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_reaches_exactly_the_pages_registered_for_it(app_env, role):
    at = app_test(VIEWERS[role])
    expected = {p.path for p in existing_pages() if role in p.roles}
    assert {p.path for p in existing_pages() if reachable(at, p.path)} == expected


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_embed_is_public_and_reaches_only_embeddable_pages_whoever_is_signed_in(app_env, role):
    at = app_test(VIEWERS[role], embedded=True)
    reached = {p.path for p in existing_pages() if reachable(at, p.path)}
    assert reached == {p.path for p in existing_pages() if p.embeddable}
    assert not reached & set(MINE)


@pytest.mark.parametrize("path", [ACCOUNT, USERS, AUDIT])
def test_the_public_cannot_switch_to_signed_in_pages(app_env, path):
    at = app_test()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(path)


@pytest.mark.parametrize(
    ("role", "path", "title"),
    [
        ("public", SIGN_IN, "Sign in"),
        ("officer", ACCOUNT, "Your account"),
        ("analyst", USERS, "Users and roles"),
        ("admin", USERS, "Users and roles"),
        ("admin", AUDIT, "Audit log"),
    ],
)
def test_access_pages_render_for_their_roles(app_env, role, path, title):
    at = open_page(app_test(VIEWERS[role]), path)
    assert at.title[0].value == title
    assert not at.error


def test_losing_the_role_mid_session_leaves_the_admin_page_at_once(app_env):
    at = open_page(app_test(VIEWERS["admin"]), AUDIT)
    assert at.title[0].value == "Audit log"
    at.session_state["viewer"] = Viewer()
    at.run()
    assert all(t.value != "Audit log" for t in at.title)
    # whatever public page the navigation falls back to, no audit rows are on it
    audit_columns = {"action", "outcome", "user_email", "detail"}
    assert all(not audit_columns & set(map(str, d.value.columns)) for d in at.dataframe)
    assert at.session_state["viewer"] == Viewer()


NOT_AVAILABLE = "This page is not available. Open the dashboard's home page"
SIGN_IN_HINT = NOT_AVAILABLE + " and sign in if you have an account."


@pytest.mark.parametrize(
    ("path", "viewer", "message"),
    [
        (USERS, Viewer(), SIGN_IN_HINT),
        (USERS, VIEWERS["board"], NOT_AVAILABLE + "."),
        (AUDIT, VIEWERS["analyst"], NOT_AVAILABLE + "."),
        (ACCOUNT, Viewer(), SIGN_IN_HINT),
        (SIGN_IN, VIEWERS["officer"], NOT_AVAILABLE + "."),
    ],
)
def test_pages_check_the_role_again_when_run_directly(app_env, path, viewer, message):
    """Run without app.py (as Streamlit does on a fresh server while pages/ exists, see
    ui.auth.guard_page), each page still refuses those its navigation would not offer."""
    at = app_test(viewer, script=path, timeout=60)
    assert not at.exception
    assert [e.value for e in at.error] == [message]
    assert not at.dataframe and not at.text_input and not at.title


NOT_FOR_PUBLIC = [p.path for p in PAGES if "public" not in p.roles]


@pytest.mark.parametrize("path", NOT_FOR_PUBLIC)
@pytest.mark.parametrize("embedded", [False, True], ids=["top", "embed"])
def test_every_page_not_for_the_public_refuses_it_when_run_directly(app_env, path, embedded):
    """What a first visitor of a fresh server gets by typing the page's address: the page
    file runs without app.py (ui.auth.guard_page). It must refuse and show nothing else."""
    if not (ROOT / path).exists():
        pytest.skip(f"{path} is not written yet")
    at = app_test(script=path, embedded=embedded)
    assert not at.exception, [e.value for e in at.exception]
    assert at.error, f"{path} shows no refusal to the public"
    assert not (
        at.dataframe
        or at.get("file_uploader")
        or at.text_input
        or at.text_area
        or at.get("download_button")
        or at.button
    ), f"{path} offers more than a refusal"


def test_public_only_entry_offers_no_sign_in_and_ignores_any_session(app_env, monkeypatch):
    monkeypatch.setenv("CSA_PUBLIC_ONLY", "true")
    at = app_test(VIEWERS["admin"])
    assert not any(reachable(at, p) for p in MINE)
    assert {p.path for p in existing_pages() if reachable(at, p.path)} == {
        p.path for p in existing_pages() if "public" in p.roles and p.section != "Account"
    }


# -- local accounts ---------------------------------------------------------------------------
def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.switch_page(SIGN_IN).run()
    by_label(at.text_input, "Email").input(email)
    by_label(at.text_input, "Password").input(password)
    by_label(at.button, "Sign in").click().run()
    return at


def test_local_sign_in_success_then_sign_out_are_audited(app_env):
    db = app_env
    accounts.add_user(
        db,
        SYSTEM,
        "jo@police.uk",
        "officer",
        org_code="LANCS-POLICE",
        name="Jo Bloggs",
        password=GOOD,
    )
    at = sign_in(app_test(), "Jo@Police.uk", GOOD)
    viewer = at.session_state["viewer"]
    assert viewer == Viewer("jo@police.uk", "officer", "LANCS-POLICE", "Jo Bloggs", "password")
    assert reach_now(at) == {ACCOUNT}
    open_page(at, ACCOUNT)
    assert (
        "Signed in as **Jo Bloggs** (jo@police.uk), role **officer** of **LANCS-POLICE**"
        in at.markdown[0].value
    )
    by_label(at.button, "Sign out").click().run()
    assert "viewer" not in at.session_state
    assert reach_now(at) == {SIGN_IN}
    log = db.audit_entries(actions=["sign_in", "sign_out"])
    assert list(zip(log["action"], log["outcome"], strict=True)) == [
        ("sign_out", "ok"),
        ("sign_in", "ok"),
    ]
    assert json.loads(log.iloc[0]["detail"]) == {"via": "password"}


def test_wrong_password_shows_one_plain_message_and_is_audited(app_env):
    db = app_env
    accounts.add_user(db, SYSTEM, "jo@police.uk", "officer", org_code="LANCS-POLICE", password=GOOD)
    at = sign_in(app_test(), "jo@police.uk", "not the password")
    assert [e.value for e in at.error] == ["Email or password not recognised."]
    assert not at.exception
    assert "viewer" not in at.session_state
    entry = db.audit_entries(actions=["sign_in"]).iloc[0]
    assert (entry["user_email"], entry["outcome"]) == ("jo@police.uk", "failed")


def test_lock_out_shows_in_the_form(app_env, monkeypatch):
    monkeypatch.setenv("CSA_LOGIN_MAX_FAILURES", "2")
    db = app_env
    accounts.add_user(db, SYSTEM, "jo@police.uk", "officer", org_code="LANCS-POLICE", password=GOOD)
    at = sign_in(app_test(), "jo@police.uk", "wrong one here")
    at = sign_in(at, "jo@police.uk", "wrong two here")
    assert "Too many failed sign-ins: this account is locked until" in at.error[0].value
    at = sign_in(at, "jo@police.uk", GOOD)
    assert "locked until" in at.error[0].value
    assert "viewer" not in at.session_state


def test_disabling_a_signed_in_user_signs_them_out_on_the_next_run(app_env):
    db = app_env
    accounts.add_user(db, SYSTEM, "jo@police.uk", "officer", org_code="LANCS-POLICE", password=GOOD)
    at = sign_in(app_test(), "jo@police.uk", GOOD)
    assert reach_now(at) == {ACCOUNT}
    accounts.disable_user(db, SYSTEM, "jo@police.uk")
    at.run()
    assert reach_now(at) == {SIGN_IN}
    open_page(at, SIGN_IN)
    assert "Your account has been disabled" in at.warning[0].value


def test_a_role_change_takes_effect_on_the_next_run(app_env):
    db = app_env
    accounts.add_user(db, SYSTEM, "jo@police.uk", "officer", org_code="LANCS-POLICE", password=GOOD)
    at = sign_in(app_test(), "jo@police.uk", GOOD)
    assert reach_now(at) == {ACCOUNT}
    accounts.set_role(db, SYSTEM, "jo@police.uk", "analyst")
    at.run()
    assert reach_now(at) == {ACCOUNT, USERS}
    assert at.session_state["viewer"].role == "analyst"


def test_without_sso_configured_st_user_is_not_trusted(app_env):
    """AppTest's default st.user is test@example.com: registered as admin, it must still not
    sign anyone in unless OIDC or trusted headers are configured."""
    accounts.add_user(app_env, SYSTEM, "test@example.com", "admin")
    at = app_test()
    assert at.user == {"email": "test@example.com"}
    assert reachable(at, SIGN_IN) and not reachable(at, AUDIT)


# -- OIDC (st.login / st.user) ------------------------------------------------------------------
def test_oidc_user_is_mapped_to_their_role_and_the_sign_in_audited_once(app_env):
    db = app_env
    accounts.add_user(db, SYSTEM, "ana@example.org", "analyst", name="Ana Lyst")
    at = app_test(
        user={"is_logged_in": True, "email": "Ana@Example.org", "name": "A. L."},
        secrets=OIDC_SECRETS,
    )
    assert at.session_state["viewer"] == Viewer(
        "ana@example.org", "analyst", None, "Ana Lyst", "oidc"
    )
    assert reachable(at, USERS) and not reachable(at, AUDIT) and not reachable(at, SIGN_IN)
    open_page(at, ACCOUNT)
    log = db.audit_entries(actions=["sign_in"])
    assert len(log) == 1 and json.loads(log.iloc[0]["detail"]) == {"via": "oidc"}
    by_label(at.button, "Sign out").click().run()  # st.logout in AppTest
    assert at.user == {"is_logged_in": False}
    assert reach_now(at) == {SIGN_IN}
    assert list(db.audit_entries(actions=["sign_out"])["user_email"]) == ["ana@example.org"]


@pytest.mark.parametrize(
    ("email", "disabled", "notice"),
    [
        ("stranger@gmail.com", False, "stranger@gmail.com signed in, but is not a user"),
        ("jo@police.uk", True, "jo@police.uk's account is disabled"),
    ],
)
def test_oidc_user_not_registered_or_disabled_stays_public(app_env, email, disabled, notice):
    db = app_env
    accounts.add_user(db, SYSTEM, "jo@police.uk", "officer", org_code="LANCS-POLICE")
    if disabled:
        accounts.disable_user(db, SYSTEM, "jo@police.uk")
    at = app_test(user={"is_logged_in": True, "email": email}, secrets=OIDC_SECRETS)
    assert reachable(at, SIGN_IN) and not reachable(at, ACCOUNT)
    open_page(at, SIGN_IN)
    assert notice in at.warning[0].value
    assert by_label(at.button, "Sign out of the identity provider")
    refused = db.audit_entries(actions=["sign_in"], outcomes=["refused"])
    assert list(refused["user_email"]) == [email]  # audited once, not on every rerun


def test_oidc_sign_in_page_offers_the_provider_button(app_env):
    at = app_test(user={"is_logged_in": False}, secrets=OIDC_SECRETS)
    open_page(at, SIGN_IN)
    assert [b.label for b in at.button] == ["Sign in with the council account"]
    assert not at.text_input  # no password form when an identity provider is configured


def test_oidc_unverified_email_is_refused(app_env):
    accounts.add_user(app_env, SYSTEM, "ana@example.org", "analyst")
    at = app_test(
        user={"is_logged_in": True, "email": "ana@example.org", "email_verified": False},
        secrets=OIDC_SECRETS,
    )
    assert not reachable(at, USERS)
    open_page(at, SIGN_IN)
    assert "not verified" in at.warning[0].value


# -- trusted reverse-proxy headers -----------------------------------------------------------------
def test_trusted_headers_map_the_proxy_email_to_a_role(app_env):
    db = app_env
    accounts.add_user(db, SYSTEM, "ann@example.org", "admin")
    with patch_config_options(HEADERS):
        at = app_test(user={"email": "ann@example.org", "name": "Ann"})
        assert at.session_state["viewer"].via == "headers"
        assert reachable(at, AUDIT) and not reachable(at, SIGN_IN)
        open_page(at, ACCOUNT)
        assert not any(b.label == "Sign out" for b in at.button)
        assert "sign out there" in at.info[0].value
        at.user = {"email": None, "name": None}  # the proxy sent no identity
        at.run()
        assert "viewer" not in at.session_state
        assert reach_now(at) == {SIGN_IN}
    assert json.loads(db.audit_entries(actions=["sign_in"]).iloc[0]["detail"]) == {"via": "headers"}


def test_trusted_headers_do_not_offer_a_password_form(app_env):
    with patch_config_options(HEADERS):
        at = open_page(app_test(user={"email": None}), SIGN_IN)
    assert not at.text_input
    assert "handled by your organisation's network" in at.info[0].value


# -- the users and audit pages --------------------------------------------------------------------
def test_admin_adds_a_user_on_the_users_page(app_env):
    db = app_env
    at = open_page(app_test(VIEWERS["admin"]), USERS)
    by_label(at.text_input, "Email").input("New.Officer@police.uk")
    by_label(at.text_input, "Name").input('=HYPERLINK("x")')
    by_label(at.selectbox, "Role").select("officer")
    by_label(at.selectbox, "Organisation (officers must have one)").select("LANCS-POLICE")
    by_label(at.button, "Add user").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Added new.officer@police.uk as officer."]
    record = db.user_record("new.officer@police.uk")
    assert (record["role"], record["org_code"], record["password_hash"]) == (
        "officer",
        "LANCS-POLICE",
        None,
    )
    shown = at.dataframe[0].value.set_index("Email")
    assert shown.loc["new.officer@police.uk", "Name"] == '\'=HYPERLINK("x")'  # neutralised
    assert shown.loc["new.officer@police.uk", "Password"] == "none (SSO only)"
    assert db.audit_entries(actions=["user_add"]).iloc[0]["user_email"] == "ann@example.org"


def test_users_page_shows_domain_errors_in_plain_words(app_env):
    at = open_page(app_test(VIEWERS["admin"]), USERS)
    by_label(at.text_input, "Email").input("someone@example.org")
    by_label(at.selectbox, "Role").select("officer")
    by_label(at.button, "Add user").click().run()
    assert not at.exception
    assert "An officer needs an organisation" in at.error[0].value
    assert app_env.user_record("someone@example.org") is None


def test_an_analyst_is_not_offered_the_admin_role(app_env):
    at = open_page(app_test(VIEWERS["analyst"]), USERS)
    assert by_label(at.selectbox, "Role").options == ["public", "officer", "analyst", "board"]


def test_audit_page_lists_and_filters_entries(app_env):
    db = app_env
    db.record_audit(
        "x@example.org",
        "sign_in",
        "x@example.org",
        outcome="failed",
        detail={"reason": "wrong password"},
    )
    db.record_audit("=cmd|' /C calc'!A0", "sign_in", "y", outcome="failed")
    db.record_audit("ann@example.org", "user_add", "z@example.org")
    at = open_page(app_test(VIEWERS["admin"]), AUDIT)
    table = at.dataframe[0].value
    assert list(table["Action"][:3]) == ["user_add", "sign_in", "sign_in"]
    assert "'=cmd|' /C calc'!A0" in set(table["User"])  # formula injection neutralised
    by_label(at.multiselect, "Actions").select("user_add").run()
    assert list(at.dataframe[0].value["Target"]) == ["z@example.org"]
    by_label(at.multiselect, "Actions").unselect("user_add").run()
    by_label(at.multiselect, "Outcomes").select("failed").run()
    assert set(at.dataframe[0].value["Action"]) == {"sign_in"}
    assert len(at.dataframe[0].value) == 2
