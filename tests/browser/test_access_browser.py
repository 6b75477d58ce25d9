"""Access in a real browser: typed URLs, the embed, local sign-in, and an officer of one
organisation trying to upload another organisation's return.

The first test must stay first: it is the first visitor of a freshly started server, the
moment when Streamlit still treats the ``pages/`` folder as a legacy multipage app and runs a
typed page file directly, without app.py's navigation (see ui.auth.guard_page).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from csa import accounts
from csa.access import SYSTEM
from csa.db import Database
from tests.browser.helpers import exceptions, open_page, screenshot, wait_for_app

PASSWORD = "correct horse battery"
LVRN_OFFICER = "officer@lvrn.org.uk"
POLICE_OFFICER = "officer@lancashire.police.uk"
ADMIN = "admin@lancashire.gov.uk"
#: Titles of the access pages the public must never see (st.title of each page).
PROTECTED_TITLES = {"Audit log", "Users and roles", "Your account"}
#: Addresses of pages not for the public: file names (how Streamlit's legacy mode names
#: them) first, then the url paths of the navigation.
TYPED_PATHS = [
    "audit",
    "admin_users",
    "account",
    "returns",
    "uploads",
    "strategic",
    "users",
    "audit",
    "account",
    "returns",
    "uploads",
    "strategic",
]


@pytest.fixture(scope="module")
def db(app_database_url):
    database = Database(app_database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def users(db):
    for email, role, org in (
        (LVRN_OFFICER, "officer", "LVRN"),
        (POLICE_OFFICER, "officer", "LANCS-POLICE"),
        (ADMIN, "admin", None),
    ):
        accounts.add_user(db, SYSTEM, email, role, org_code=org, password=PASSWORD)
    return db


def titles(page) -> set[str]:
    return {h.inner_text().strip() for h in page.query_selector_all("h1")}


def nav_links(page) -> set[str]:
    """Titles of the sidebar's page links (without the icon's ligature text)."""
    return {
        a.inner_text().strip().splitlines()[-1]
        for a in page.query_selector_all("[data-testid=stSidebarNav] a")
    }


def assert_nothing_protected(page, where: str) -> None:
    """No access page, no uploader, no password field; and when the typed page itself ran
    (legacy mode), it showed only its refusal."""
    assert not titles(page) & PROTECTED_TITLES, where
    assert not page.query_selector_all("[data-testid=stFileUploader]"), where
    assert not page.query_selector_all("input[type=password]"), where
    if where and urlparse(page.url).path.strip("/") == where:
        assert not exceptions(page), where
        refusal = " ".join(
            a.inner_text()
            for a in page.query_selector_all(
                "[data-testid=stAlertContentError], [data-testid=stAlertContentWarning], "
                "[data-testid=stAlertContentInfo]"
            )
        )
        # the navigation's plain-words refusal (sign in / not in the embed), or the page's
        # own guard when a legacy run reached the file: never "Page not found", never content
        assert re.search(
            r"needs you to sign in|not part of the public dashboard|This page is not available",
            refusal,
        ), (where, refusal)
        assert not page.query_selector_all("[data-testid=stDataFrame]"), where
    public_pages = {"Overview", "Indicator", "Area profile", "Map", "Presentation",
                    "About the data", "Accessibility", "Cost of crime", "Sign in"}  # fmt: skip
    assert nav_links(page) <= public_pages, (where, nav_links(page) - public_pages)


def test_fresh_server_typed_urls_never_open_a_page_the_public_may_not_see(app_url, users, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        for path in TYPED_PATHS:  # each a new visitor (a new session)
            page = context.new_page()
            open_page(page, app_url, path)
            assert_nothing_protected(page, path)
            if path == "audit":
                screenshot(page, "access_public_typed_audit")
            page.close()
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    ["", "sign_in", "sign-in", "returns", "uploads", "audit", "admin_users", "users", "account"],
)
def test_the_embed_reaches_no_sign_in_upload_or_admin_page(app_url, page, path):
    open_page(page, app_url, f"{path}?embed=true")
    assert_nothing_protected(page, path)
    assert "Sign in" not in titles(page)
    assert not page.query_selector_all("[data-testid=stSidebarNav]")


def sign_in(page, app_url: str, email: str) -> None:
    open_page(page, app_url)
    page.get_by_role("link", name="Sign in").click()
    wait_for_app(page)
    page.get_by_label("Email").fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    try:
        page.get_by_text(f"Signed in as {email}").wait_for(timeout=60_000)  # after the rerun
    except Exception:
        screenshot(page, f"access_sign_in_failed_{email.split('@')[0]}")
        raise
    wait_for_app(page)
    expand_nav(page)


def expand_nav(page) -> None:
    """Streamlit folds a long sidebar menu behind "View N more": unfold it."""
    more = page.locator("[data-testid=stSidebarNav]").get_by_text(re.compile(r"^View \d+ more$"))
    if more.count():
        more.first.click()
        page.get_by_text(re.compile(r"^View less$")).wait_for(timeout=10_000)


def test_public_navigation_offers_sign_in_and_no_protected_page(app_url, page):
    open_page(page, app_url)
    links = nav_links(page)
    assert "Sign in" in links
    assert not links & {"Your account", "Users and roles", "Audit log", "Returns", "Upload history"}


def test_an_officer_signs_in_and_sees_exactly_the_officer_pages(app_url, page, users):
    sign_in(page, app_url, POLICE_OFFICER)
    links = nav_links(page)
    assert {"Your account", "Returns"} <= links
    assert not links & {"Sign in", "Users and roles", "Audit log", "Upload history"}
    entry = users.audit_entries(actions=["sign_in"], user_email=POLICE_OFFICER).iloc[0]
    assert entry["outcome"] == "ok"
    screenshot(page, "access_officer_signed_in")


def test_an_admin_sees_the_admin_pages(app_url, page, users):
    sign_in(page, app_url, ADMIN)
    assert {"Users and roles", "Audit log", "Your account"} <= nav_links(page)
    page.get_by_role("link", name="Audit log").click()
    wait_for_app(page)
    assert "Audit log" in titles(page)
    assert not exceptions(page)
    screenshot(page, "access_admin_audit_log")


def test_an_officer_cannot_upload_another_organisations_return(app_url, page, users):
    from csa import config as csa_config
    from csa.returns import build_template
    from csa.returns.reference import load_reference
    from tests.returns_workbooks import fill_in

    settings = csa_config.load()
    period = load_reference(users, settings).open_periods[-1]
    # the template's input cells start empty: send it with the police figures typed in
    police_return = fill_in(
        users, build_template(users, "LANCS-POLICE", period, settings=settings), period
    )
    figures_before = len(users.observations())
    sign_in(page, app_url, LVRN_OFFICER)
    page.get_by_role("link", name="Returns").click()
    wait_for_app(page)
    page.set_input_files(
        "[data-testid=stFileUploaderDropzoneInput]",
        files=[
            {
                "name": "police return.xlsx",
                "buffer": police_return,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ],
    )
    page.get_by_text("You may not upload this return").wait_for(timeout=60_000)
    wait_for_app(page)
    assert "LANCS-POLICE" in page.get_by_text("You may not upload this return").inner_text()
    assert not page.get_by_role("button", name="Confirm and import").count()
    screenshot(page, "access_officer_refused_other_org")
    refused = users.audit_entries(actions=["upload_return"], outcomes=["refused"])
    assert list(refused["user_email"]) == [LVRN_OFFICER]
    assert len(users.observations()) == figures_before
