"""A recovery plan in a real browser: the lead of violence with injury (LVRN) drafts the plan
for Burnley from the register, completes and submits it, and the strategy group approves it.
"""

from __future__ import annotations

import pytest
from docx import Document

from csa import accounts
from csa.access import SYSTEM
from csa.db import Database
from tests.browser.helpers import exceptions, open_page, screenshot, wait_for_app

PASSWORD = "correct horse battery"
LEAD = "lead@lvrn.org.uk"
CHAIR = "chair@lancashire.gov.uk"
SLOW = 300_000  # the first visit assesses every indicator; CI machines can be slow


@pytest.fixture(scope="module")
def db(app_database_url):
    database = Database(app_database_url)
    accounts.add_user(database, SYSTEM, LEAD, "officer", org_code="LVRN", password=PASSWORD)
    accounts.add_user(database, SYSTEM, CHAIR, "board", password=PASSWORD)
    yield database
    database.dispose()


def sign_in(page, app_url: str, email: str) -> None:
    open_page(page, app_url, timeout=SLOW)
    page.get_by_role("link", name="Sign in").click()
    wait_for_app(page, timeout=SLOW)
    page.get_by_label("Email").fill(email)
    page.locator("input[type=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page, timeout=SLOW)


def alerts(page, expect: str | None = None) -> list[str]:
    """The alerts on the page; with ``expect``, first wait for one containing it (a workflow
    move shows its news after a rerun, which can start just after the page looked idle)."""
    if expect is not None:
        page.locator("[data-testid=stAlertContainer]", has_text=expect).first.wait_for(timeout=SLOW)
    return [e.inner_text() for e in page.query_selector_all("[data-testid=stAlertContainer]")]


def test_draft_submit_and_approve_a_recovery_plan(app_url, db, browser):
    lead = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = lead.new_page()
    sign_in(page, app_url, LEAD)
    page.get_by_role("link", name="Recovery plans").click()
    wait_for_app(page, timeout=SLOW)
    assert "Recovery plans" in page.locator("h1").first.inner_text()
    screenshot(page, "plans_register_lead", full_page=False)

    # Draft from the evidence: the editor opens on the pre-filled plan
    page.locator(".st-key-draft_VIO-01 button").first.click()  # one plan for the county
    # the click reruns the script, which then switches page: wait for the switch itself,
    # not just an idle app (the old page can look finished before the rerun starts)
    page.wait_for_function(
        r"() => location.pathname.replace(/\/$/, '').endsWith('/plan')", timeout=SLOW
    )
    wait_for_app(page, timeout=SLOW)
    assert "/plan" in page.url
    assert any(
        a.startswith("Drafted from the evidence")
        for a in alerts(page, expect="Drafted from the evidence")
    )
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "Recovery plan: Violence with injury, Pan-Lancashire (14 areas) (2026-27 Q2)" in body
    assert "Violence with injury in Pan-Lancashire (14 areas) was" in body
    screenshot(page, "plans_editor_evidence")
    plans = db.plans()
    assert plans[["indicator_code", "area_code", "state"]].values.tolist() == [
        ["VIO-01", "E23000003", "draft"]
    ]
    plan_id = int(plans["id"].iloc[0])

    # Complete the plan (the trajectory is pre-filled) and submit it
    page.get_by_role("tab", name="The plan").click()
    wait_for_app(page)
    page.get_by_role("textbox", name="Root causes (one per line)").fill(
        "Night-time economy violence in the town centre\nFewer door staff"
    )
    page.get_by_role("textbox", name="What will be done").fill(
        "Extra patrols on Friday and Saturday nights"
    )
    page.get_by_role("textbox", name="Owner organisation").fill("LANCS-POLICE")
    page.get_by_role("textbox", name="Owner", exact=True).fill("Chief Inspector, Burnley")
    page.get_by_role("spinbutton", name="year, Due").click()
    page.keyboard.type("20261231", delay=50)
    page.get_by_role("textbox", name="Risks (one per line)").fill("Patrol funding ends in March")
    page.get_by_role("textbox", name="Resources").fill("Two officers, half an analyst")
    page.get_by_role("spinbutton", name="year, Review date").click()
    page.keyboard.type("20270131", delay=50)
    screenshot(page, "plans_editor_completed")
    page.get_by_role("button", name="Submit to the strategy group").click()
    wait_for_app(page, timeout=SLOW)
    assert "Submitted to the strategy group for approval." in alerts(
        page, "Submitted to the strategy group"
    )
    assert not exceptions(page)
    plan = db.plan(plan_id)
    assert plan["state"] == "submitted"
    assert plan["content"]["actions"] == [
        {
            "description": "Extra patrols on Friday and Saturday nights",
            "owner_org": "LANCS-POLICE",
            "owner": "Chief Inspector, Burnley",
            "due_date": "2026-12-31",
            "status": "not started",
        }
    ]
    assert plan["content"]["review_date"] == "2027-01-31"
    assert len(plan["content"]["trajectory"]) == 4
    lead.close()

    # The strategy group approves it
    board = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = board.new_page()
    sign_in(page, app_url, CHAIR)
    page.get_by_role("link", name="Plan editor").click()  # a typed URL is a new session
    wait_for_app(page, timeout=SLOW)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert "Recovery plan: Violence with injury, Pan-Lancashire (14 areas) (2026-27 Q2)" in main
    assert "Submitted for approval" in main
    page.get_by_role("tab", name="Decisions and progress").click()
    wait_for_app(page)
    page.get_by_role("textbox", name="Comments (needed to return the plan)").fill(
        "Agreed at the strategy group"
    )
    page.get_by_role("button", name="Approve").click()
    wait_for_app(page, timeout=SLOW)
    assert "Approved. The lead can now start monitoring it." in alerts(page, "Approved.")
    assert not exceptions(page)
    screenshot(page, "plans_editor_approved", full_page=False)
    assert db.plan(plan_id)["state"] == "approved"
    assert db.plan_versions(plan_id)["saved_by"].tolist() == [LEAD, LEAD, CHAIR]
    assert db.current_trajectory("VIO-01", "E23000003") == plan["content"]["trajectory"]

    # and the board pack lists it
    page.get_by_role("link", name="Board pack").click()
    wait_for_app(page, timeout=SLOW)
    assert not exceptions(page)
    assert (
        "Performance and Priorities Update: 2026-27 Q2"
        in page.locator("[data-testid=stMain]").inner_text()
    )
    screenshot(page, "board_pack_page", full_page=False)
    with page.expect_download(timeout=SLOW) as download:  # written when clicked
        page.get_by_role("button", name="Download Word document").click()
    assert download.value.suggested_filename == "performance_and_priorities_update_2026-27_Q2.docx"
    doc = Document(download.value.path())
    assert doc.paragraphs[0].text == "Performance and Priorities Update: 2026-27 Q2"
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "Approved" in cells  # the plan's state in the recovery plans table
    assert len(doc.inline_shapes) >= 2
    board.close()
