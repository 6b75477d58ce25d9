"""AppTest of the Returns and Upload history pages: template, upload, preview, warnings,
confirm, stale previews, rejections shown as errors (never tracebacks), and rollback."""

import datetime
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
    prefilled,
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


def unusual(at) -> list[str]:
    """The plausibility warnings' texts (not the 'returns overdue' warning above them)."""
    return [plain(w.value) for w in at.warning if "look unusual" in w.value]


def test_officer_template_upload_preview_confirm(app):
    at = app(OFFICER_VIEWER)
    assert at.selectbox(key="return_org").options == ["Lancashire Constabulary"]
    assert at.selectbox(key="return_period").options == ["2026-27 Q2", "2026-27 Q1"]
    # 2026-27 Q2 ended 30 September 2026; its return was due by 30 October 2026
    assert "Overdue by 22 days" in at.markdown[0].value
    assert at.get("download_button")[0].proto.label == "Download the template (.xlsx)"

    db = app.db
    police = prefilled(db)  # the held figures typed in (the template's inputs start empty)
    r = 18  # DA-02 (a percentage), third area: 100% is far outside its history
    content = edit(police, {"I4": cell(police, "I4") + 5, f"I{r}": cell(police, f"J{r}")})
    upload(at, "police.xlsx", content)
    # two new numbers, and the other 40 demo figures sent back as they are: every figure
    # sent is real, so all 42 change (demo -> real)
    assert metrics(at) == {
        "New figures": "0",
        "Changed figures": "42",
        "Unchanged": "0",
        "Warnings": "1",
    }
    assert any(
        c.value.startswith("42 of the changed figures replace demo figures") for c in at.caption
    )
    [warning] = unusual(at)
    assert f"- Return!I{r}: DA-02" in warning
    confirm = at.button(key="confirm_return")
    assert confirm.disabled  # the warning must be acknowledged first
    at.checkbox[0].check().run()
    at.button(key="confirm_return").click().run()
    assert not at.exception
    assert plain(at.success[0].value) == (
        "Imported police.xlsx as upload #2: 0 new, 42 changed, 0 unchanged."
    )
    latest = db.uploads(kinds=["return"]).iloc[0]
    assert (latest["user_email"], latest["rows_changed"]) == (OFFICER_VIEWER.email, 42)
    assert db.upload_content(int(latest["id"])) == content


def test_the_return_status_table_says_which_returns_are_overdue(app, monkeypatch):
    at = app(OFFICER_VIEWER)
    assert [h.value for h in at.subheader][0] == "Your returns"
    # on 21 November 2026: Q1 (ended 30 June) was due by 30 July, Q2 (ended 30 September)
    # by 30 October; neither is received (the held figures are bundled demo data)
    assert at.dataframe[0].value.to_dict("list") == {
        "Organisation": ["Lancashire Constabulary", "Lancashire Constabulary"],
        "Period": ["2026-27 Q1", "2026-27 Q2"],
        "Status": ["overdue by 114 days", "overdue by 22 days"],
    }
    assert at.warning[0].value == "2 returns are overdue."

    # the Q2 return arrives on 3 November 2026, 4 days after its due date
    monkeypatch.setattr("csa.db.observations.utcnow", lambda: datetime.datetime(2026, 11, 3, 9, 30))
    commit_return(
        app.db,
        ANALYST,
        prefilled(app.db),
        "police.xlsx",
        today=TODAY,
        settings=settings(),
        acknowledge_warnings=True,
    )
    at = app(OFFICER_VIEWER)
    assert at.dataframe[0].value.to_dict("list") == {
        "Organisation": ["Lancashire Constabulary", "Lancashire Constabulary"],
        "Period": ["2026-27 Q1", "2026-27 Q2"],
        "Status": ["overdue by 114 days", "received 3 November 2026, 4 days late"],
    }
    assert at.warning[0].value == "1 return is overdue."


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
    police = prefilled(db)
    mine = edit(police, {"I4": cell(police, "I4") + 5})
    at = upload(app(OFFICER_VIEWER), "mine.xlsx", mine)
    assert metrics(at)["Changed figures"] == "42"  # every demo figure sent: demo -> real
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
    # the fresh preview, against their figures (all real now): the two they moved
    assert metrics(at)["Changed figures"] == "2"
    assert len(db.uploads(kinds=["return"])) == 1
    at.button(key="confirm_return").click().run()
    assert plain(at.success[0].value).startswith(
        "Imported mine.xlsx as upload #3: 0 new, 2 changed"
    )


def test_the_same_file_again_cannot_be_confirmed(app):
    police = prefilled(app.db)
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
    police = prefilled(db)
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
    # the upload wrote all 42 figures (one new number, 41 demo -> real): each has its
    # revision from this upload over the bundled one
    assert len(history[["Indicator", "Area", "Period"]].drop_duplicates()) == 42
    assert list(history["Revision"]) == [2, 1] * 42
    assert list(history["From"]) == ["this upload", "#1 bundled data (data/) (committed)"] * 42
    assert list(history["Kind"]) == ["real", "demo"] * 42
    assert at.button(key="rollback_button").disabled
    at.checkbox(key=f"rollback_sure_{result.upload_id}").check().run()
    at.button(key="rollback_button").click().run()
    assert not at.exception
    # the upload moved all 42 figures (41 demo -> real): all are restored
    assert at.success[0].value.startswith(f"Rolled back upload #{result.upload_id}: 42 figure")
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
    police = prefilled(db)
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
