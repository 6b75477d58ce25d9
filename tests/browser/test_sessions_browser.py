"""Local accounts keep their sign-in across a reload and a direct link when the app is
served as ``make run`` serves it (``uvicorn serve:app``): the sign-in form posts to
``/auth/sign-in``, which sets a session cookie that every run reads; sign-out ends it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from csa import accounts
from csa.access import SYSTEM
from csa.db import Database
from tests.browser.conftest import free_port
from tests.browser.helpers import LOGS, ROOT, open_page, screenshot, wait_for_app

EMAIL = "analyst@lancashire.gov.uk"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def served(app_database_url, chromium_path):
    db = Database(app_database_url)
    accounts.add_user(db, SYSTEM, EMAIL, "analyst", password=PASSWORD)
    db.dispose()
    port = free_port()
    LOGS.mkdir(parents=True, exist_ok=True)
    log = (LOGS / "sessions-uvicorn.log").open("w", encoding="utf-8")
    env = {**os.environ, "CSA_DATABASE_URL": app_database_url, "CSA_SESSION_SECRET": "x" * 48}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "serve:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"uvicorn serve:app did not start; see {log.name}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def signed_in_as(page) -> bool:
    return page.get_by_text(f"Signed in as {EMAIL}").count() > 0


def test_sign_in_survives_a_reload_and_a_direct_link_then_sign_out_ends_it(page, served):
    open_page(page, served, "sign-in")
    page.locator("#csa-email").fill(EMAIL)
    page.locator("#csa-password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")
    wait_for_app(page)
    assert signed_in_as(page)
    cookie = next(c for c in page.context.cookies() if c["httpOnly"])
    assert cookie["sameSite"] == "Lax" and not cookie["secure"]  # http on loopback
    page.reload()
    wait_for_app(page)
    assert signed_in_as(page)  # a reload keeps the sign-in
    open_page(page, served, "uploads")  # a direct link to an analyst's page
    assert "Upload history" in {h.inner_text().strip() for h in page.query_selector_all("h1")}
    screenshot(page, "sessions-direct-link-signed-in", full_page=False)
    open_page(page, served, "account")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("domcontentloaded")
    wait_for_app(page)
    open_page(page, served, "uploads")
    assert not signed_in_as(page)
    assert page.get_by_text("needs you to sign in").count() >= 1


def test_wrong_password_gets_the_generic_message_and_no_cookie(page, served):
    open_page(page, served, "sign-in")
    page.locator("#csa-email").fill(EMAIL)
    page.locator("#csa-password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")
    wait_for_app(page)
    assert not signed_in_as(page)
    assert not [c for c in page.context.cookies() if c["httpOnly"]]
