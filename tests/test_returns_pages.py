"""AppTest of the Returns and Upload history pages: template, upload, preview, warnings,
confirm, stale previews, rejections shown as errors (never tracebacks), and rollback."""

import re

import pytest

from csa.returns import commit_return, window
from tests.conftest import app_test, open_page
from tests.returns_workbooks import (
    ANALYST,
    TODAY,
    XLSX_MIME,
    cell,
    edit,
    settings,
    template,
)
from ui.session import Viewer

OFFICER_VIEWER = Viewer(
    email="officer@lancashire.police.uk", role="officer", org_code="LANCS-POLICE"
)
ANALYST_VIEWER = Viewer(email="analyst@lancashire.gov.uk", role="analyst", name="Analyst")


@pytest.fixture
def app(app_env, monkeypatch):
    monkeypatch.setattr(window, "today", lambda: TODAY)

    def open_as(viewer, page="pages/returns/returns.py"):
        return open_page(app_test(viewer, timeout=60, run=False), page)

    open_as.db = app_env
    return open_as


def upload(at, name, content):
    at.file_uploader(key="return_file_0").upload(name, content, XLSX_MIME)
    at.run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    """What the reader sees: Markdown escapes and bold markers removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("**", "")


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_officer_template_upload_preview_confirm(app):
    at = app(OFFICER_VIEWER)
    assert at.selectbox(key="return_org").options == ["Lancashire Constabulary"]
    assert at.selectbox(key="return_period").options == ["2026-27 Q2", "2026-27 Q1"]
    assert "Due by 30 October 2026" in at.markdown[0].value
    assert at.get("download_button")[0].proto.label == "Download the template (.xlsx)"

    db = app.db
    police = template(db)
    r = 18  # DA-02 (a percentage), third area: 100% is far outside its history
    content = edit(police, {"I4": cell(police, "I4") + 5, f"I{r}": cell(police, f"J{r}")})
    upload(at, "police.xlsx", content)
    assert metrics(at) == {
        "New figures": "0",
        "Changed figures": "2",
        "Unchanged": "54",
        "Warnings": "1",
    }
    assert f"- Return!I{r}: DA-02" in plain(at.warning[0].value)
    confirm = at.button(key="confirm_return")
    assert confirm.disabled  # the warning must be acknowledged first
    at.checkbox[0].check().run()
    at.button(key="confirm_return").click().run()
    assert not at.exception
    assert plain(at.success[0].value) == (
        "Imported police.xlsx as upload #2: 0 new, 2 changed, 54 unchanged."
    )
    latest = db.uploads(kinds=["return"]).iloc[0]
    assert (latest["user_email"], latest["rows_changed"]) == (OFFICER_VIEWER.email, 2)
    assert db.upload_content(int(latest["id"])) == content


def test_a_bad_file_is_an_error_message_not_a_traceback(app):
    at = upload(app(OFFICER_VIEWER), "figures.xlsx", b"indicator,area,value\nDA-01,X,5\n")
    assert len(at.error) == 1
    text = plain(at.error[0].value)
    assert "figures.xlsx was rejected: 1 problem to fix; nothing was written." in text
    assert "- file: this is a CSV or text file renamed to .xlsx" in text
    assert not at.metric and not at.exception


def test_every_cell_problem_is_listed(app):
    police = template(app.db)
    at = upload(app(OFFICER_VIEWER), "r.xlsx", edit(police, {"I3": "abc", "F5": "2020-21 Q1"}))
    text = plain(at.error[0].value)
    assert "- Return!I3: 'abc' is not a number" in text
    assert "- Return!F5: the period 2020-21 Q1 is closed for returns" in text


def test_markdown_in_a_cell_is_shown_as_text(app):
    police = template(app.db)
    at = upload(app(OFFICER_VIEWER), "r.xlsx", edit(police, {"I3": "[click](http://evil.example)"}))
    assert "\\[click\\]\\(http://evil\\.example\\)" in at.error[0].value
    assert "'[click](http://evil.example)' is not a number" in plain(at.error[0].value)


def test_an_officer_cannot_send_another_organisations_return(app):
    lvrn = template(app.db, "LVRN")
    at = upload(app(OFFICER_VIEWER), "lvrn.xlsx", lvrn)
    assert at.error[0].value.startswith("You may not upload this return:")
    assert "not those led by LVRN" in at.error[0].value


def test_confirm_after_another_upload_is_refused_with_a_fresh_preview(app):
    db = app.db
    police = template(db)
    mine = edit(police, {"I4": cell(police, "I4") + 5})
    at = upload(app(OFFICER_VIEWER), "mine.xlsx", mine)
    assert metrics(at)["Changed figures"] == "1"
    # meanwhile an analyst imports a return changing that figure and another
    commit_return(
        db,
        ANALYST,
        edit(police, {"I4": cell(police, "I4") + 1, "I5": cell(police, "I5") + 1}),
        "theirs.xlsx",
        today=TODAY,
        settings=settings(),
        acknowledge_warnings=True,
    )
    at.button(key="confirm_return").click().run()
    assert not at.exception
    assert "The figures changed since your preview of mine.xlsx" in plain(at.error[0].value)
    assert "Nothing was written" in plain(at.error[0].value)
    assert metrics(at)["Changed figures"] == "2"  # the fresh preview, against the new figures
    assert len(db.uploads(kinds=["return"])) == 1
    at.button(key="confirm_return").click().run()
    assert plain(at.success[0].value).startswith(
        "Imported mine.xlsx as upload #3: 0 new, 2 changed"
    )


def test_the_same_file_again_cannot_be_confirmed(app):
    police = template(app.db)
    content = edit(police, {"I4": cell(police, "I4") + 5})
    commit_return(app.db, ANALYST, content, "first.xlsx", today=TODAY, settings=settings())
    at = upload(app(OFFICER_VIEWER), "again.xlsx", content)
    assert "already imported as upload #2" in at.info[0].value
    assert at.button(key="confirm_return").disabled


@pytest.mark.parametrize(
    "viewer, expected",
    [
        (Viewer(), set()),
        (Viewer(email="b@x.org", role="board"), set()),
        (OFFICER_VIEWER, {"pages/returns/returns.py"}),
        (ANALYST_VIEWER, {"pages/returns/returns.py", "pages/returns/uploads.py"}),
        (
            Viewer(email="a@x.org", role="admin"),
            {"pages/returns/returns.py", "pages/returns/uploads.py"},
        ),
    ],
)
def test_who_is_offered_the_returns_pages(viewer, expected):
    from ui.navigation import pages_for

    mine = {"pages/returns/returns.py", "pages/returns/uploads.py"}
    assert {p.path for p in pages_for(viewer, embedded=False)} & mine == expected
    assert not {p.path for p in pages_for(viewer, embedded=True)} & mine  # never embedded


def test_upload_history_shows_revisions_and_rolls_back(app):
    db = app.db
    police = template(db)
    result = commit_return(
        db,
        ANALYST,
        edit(police, {"I4": cell(police, "I4") + 5}),
        "police.xlsx",
        today=TODAY,
        settings=settings(),
    )
    at = app(ANALYST_VIEWER, "pages/returns/uploads.py")
    assert at.selectbox(key="upload_id").value == result.upload_id
    tables = [df.value for df in at.dataframe]
    history = tables[1]
    assert list(history["Revision"]) == [2, 1]
    assert list(history["From"]) == ["this upload", "#1 bundled data (data/) (committed)"]
    assert at.button(key="rollback_button").disabled
    at.checkbox(key=f"rollback_sure_{result.upload_id}").check().run()
    at.button(key="rollback_button").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"Rolled back upload #{result.upload_id}: 1 figure")
    assert db.upload(result.upload_id)["outcome"] == "rolled_back"


NOT_AVAILABLE = "This page is not available. Open the dashboard's home page"


@pytest.mark.parametrize(
    "page, viewer, message",
    [
        ("pages/returns/returns.py", Viewer(email="b@x.org", role="board"), NOT_AVAILABLE + "."),
        (
            "pages/returns/returns.py",
            Viewer(),
            NOT_AVAILABLE + " and sign in if you have an account.",
        ),
        ("pages/returns/uploads.py", OFFICER_VIEWER, NOT_AVAILABLE + "."),
    ],
)
def test_each_page_checks_the_role_again(app_env, page, viewer, message):
    """Reached some other way (e.g. a stale navigation), a page still refuses by itself."""
    at = app_test(viewer, script=page, timeout=60)
    assert not at.exception
    assert [e.value for e in at.error] == [message]
    assert not at.get("file_uploader") and not at.get("button")


def test_upload_history_neutralises_partner_text_that_looks_like_a_formula(app):
    db = app.db
    police = template(db)
    hostile = '=HYPERLINK("http://evil.example/x","Click for details")'

    def note_as_text(wb):
        ws = wb["Return"]
        ws["L2"] = hostile
        ws["L2"].data_type = "s"  # typed text, as a partner's file holds it
        ws["I2"] = ws["I2"].value + 5

    result = commit_return(
        db,
        ANALYST,
        edit(police, fn=note_as_text),
        "police.xlsx",
        today=TODAY,
        settings=settings(),
    )
    at = app(ANALYST_VIEWER, "pages/returns/uploads.py")
    assert at.selectbox(key="upload_id").value == result.upload_id
    notes = [str(v) for df in at.dataframe for v in df.value.get("Note", [])]
    assert "'" + hostile in notes
    assert hostile not in notes
