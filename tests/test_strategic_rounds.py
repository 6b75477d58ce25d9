"""Running a round: permissions first, all-or-nothing writes, locking, audit, demo seed."""

import pandas as pd
import pytest
from sqlalchemy import text

from csa.access import Actor, PermissionDenied
from csa.strategic import rounds
from csa.strategic.demo import seed_demo_rounds
from csa.strategic.model import default_criteria
from csa.strategic.scoring import AssessmentError

ANALYST = Actor("ana@example.org", "analyst")
OPEN = "Strategic assessment 2026"
AGREED = "Strategic assessment 2025"
BURNLEY = "E07000117"


def scores(*rows):
    return pd.DataFrame(rows, columns=["area_code", "issue_code", "criterion_code", "score"])


def stored(db, name):
    rnd = db.assessment_round(name)
    return db.assessment_scores(rnd["id"]).set_index(["area_code", "issue_code", "criterion_code"])[
        "score"
    ]


@pytest.mark.parametrize(
    "actor",
    [
        Actor("b@example.org", "board"),
        Actor("o@example.org", "officer", "LANCS-POLICE"),
        Actor("anonymous", "public"),
        Actor("x@example.org", "analyst", disabled=True),
    ],
)
def test_only_analysts_and_admins_may_edit_and_refusals_are_audited(db, actor):
    before = stored(db, OPEN).copy()
    with pytest.raises(PermissionDenied, match="edit assessment"):
        rounds.save_scores(db, actor, OPEN, scores((BURNLEY, "DA", "HARM", 1)))
    assert stored(db, OPEN).equals(before)
    log = db.audit_log(action="edit_assessment")
    assert log.iloc[0]["outcome"] == "refused" and log.iloc[0]["user_email"] == actor.email


def test_scores_are_written_and_audited(db):
    old = stored(db, OPEN)[(BURNLEY, "DA", "HARM")]
    new = 1 if old != 1 else 2
    counts = rounds.save_scores(
        db, ANALYST, OPEN, scores((BURNLEY, "DA", "HARM", new), (BURNLEY, "DA", "VULN", 5))
    )
    assert counts["changed"] + counts["unchanged"] == 2
    assert stored(db, OPEN)[(BURNLEY, "DA", "HARM")] == new
    entry = db.audit_log(action="edit_assessment_scores").iloc[0]
    assert entry["user_email"] == ANALYST.email and entry["target"] == OPEN


@pytest.mark.parametrize(
    "row, message",
    [
        ((BURNLEY, "DA", "HARM", 6), "6 is outside the scale, expected a whole number from 1 to 5"),
        ((BURNLEY, "DA", "HARM", "high"), "'high' is not a number"),
        ((BURNLEY, "DA", "HARM", 2.5), "2.5 is not a whole number"),
        (("E99999999", "DA", "HARM", 3), "is not one of the 14 partnership areas"),
        (("E23000003", "DA", "HARM", 3), "is not one of the 14 partnership areas"),
        ((BURNLEY, "NOPE", "HARM", 3), "'NOPE' is not an issue of"),
        ((BURNLEY, "DA", "NOPE", 3), "'NOPE' is not a criterion of"),
    ],
)
def test_one_bad_score_writes_nothing(db, row, message):
    before = stored(db, OPEN).copy()
    good = (BURNLEY, "VIOLENCE", "HARM", 1 if before[(BURNLEY, "VIOLENCE", "HARM")] != 1 else 2)
    with pytest.raises(AssessmentError, match="No scores were saved") as err:
        rounds.save_scores(db, ANALYST, OPEN, scores(good, row))
    assert any(message in p for p in err.value.problems)
    assert stored(db, OPEN).equals(before)


def test_the_same_cell_twice_is_rejected(db):
    with pytest.raises(AssessmentError) as err:
        rounds.save_scores(
            db, ANALYST, OPEN, scores((BURNLEY, "DA", "HARM", 3), (BURNLEY, "DA", "HARM", 4))
        )
    assert any("scored twice" in p for p in err.value.problems)


def test_an_agreed_round_is_locked_until_reopened(db):
    with pytest.raises(AssessmentError, match="is agreed"):
        rounds.save_scores(db, ANALYST, AGREED, scores((BURNLEY, "DA", "HARM", 3)))
    rounds.set_status(db, ANALYST, AGREED, "open")
    rounds.save_scores(db, ANALYST, AGREED, scores((BURNLEY, "DA", "HARM", 3)))
    assert stored(db, AGREED)[(BURNLEY, "DA", "HARM")] == 3


def test_criteria_weights_must_sum_to_one(db):
    crit = default_criteria()
    crit.loc[crit["code"] == "HARM", "weight"] = 0.5  # sum 1.25
    with pytest.raises(AssessmentError, match="add up to 1.25, not 1"):
        rounds.save_criteria(db, ANALYST, OPEN, crit)
    crit.loc[crit["code"] == "HARM", "weight"] = 0.15
    crit.loc[crit["code"] == "VULN", "weight"] = 0.30
    rounds.save_criteria(db, ANALYST, OPEN, crit)
    got = db.assessment_criteria(db.assessment_round(OPEN)["id"]).set_index("code")["weight"]
    assert got["HARM"] == pytest.approx(0.15) and got["VULN"] == pytest.approx(0.30)


def test_an_analyst_adds_an_issue_linked_to_a_theme(db):
    new = pd.DataFrame(
        [
            {
                "code": "KNIFE",
                "name": "Knife crime",
                "theme_code": "VIO",
                "indicator_codes": "VIO-02, REC-WEAP",
            }
        ]
    )
    assert rounds.save_issues(db, ANALYST, OPEN, new) == {"added": 1, "updated": 0}
    issues = db.assessment_issues(db.assessment_round(OPEN)["id"]).set_index("code")
    assert issues.loc["KNIFE", "theme_name"] == "Violence"
    assert issues.loc["KNIFE", "indicator_codes"] == "VIO-02,REC-WEAP"


@pytest.mark.parametrize(
    "issue, message",
    [
        ({"code": "knife", "name": "Knife"}, "must start with a capital letter"),
        ({"code": "KNIFE", "name": ""}, "the name is empty"),
        ({"code": "KNIFE", "name": "Knife", "theme_code": "XYZ"}, "'XYZ' is not a CSA theme"),
        (
            {"code": "KNIFE", "name": "Knife", "indicator_codes": "VIO-99"},
            "unknown indicator code(s) VIO-99",
        ),
    ],
)
def test_bad_issues_are_rejected(db, issue, message):
    with pytest.raises(AssessmentError) as err:
        rounds.save_issues(db, ANALYST, OPEN, pd.DataFrame([issue]))
    assert any(message in p for p in err.value.problems)


def test_agreed_priorities_in_order(db):
    rounds.agree_priorities(db, ANALYST, OPEN, BURNLEY, ["DA", "VIOLENCE", "ASB"])
    pr = db.assessment_priorities(db.assessment_round(OPEN)["id"])
    mine = pr[pr["area_code"] == BURNLEY].sort_values("rank")
    assert list(mine["issue_code"]) == ["DA", "VIOLENCE", "ASB"]
    assert list(mine["rank"]) == [1, 2, 3]


@pytest.mark.parametrize(
    "codes, message",
    [
        ([], "choose at least one priority"),
        (["DA", "DA"], "more than once"),
        (["NOPE"], "not issues of"),
        ([f"X{i}" for i in range(11)], "at most 10"),
    ],
)
def test_bad_priorities_are_rejected(db, codes, message):
    with pytest.raises(AssessmentError) as err:
        rounds.agree_priorities(db, ANALYST, OPEN, BURNLEY, codes)
    assert any(message in p for p in err.value.problems)


def test_new_round_copies_the_model_but_not_the_scores(db):
    rid = rounds.create_round(db, ANALYST, "Strategic assessment 2027", 2027, copy_from=OPEN)
    assert len(db.assessment_criteria(rid)) == 6 and len(db.assessment_issues(rid)) == 10
    assert db.assessment_scores(rid).empty
    assert db.assessment_round("Strategic assessment 2027")["data_kind"] == "real"
    with pytest.raises(AssessmentError, match="already exists"):
        rounds.create_round(db, ANALYST, "Strategic assessment 2027", 2027)


def test_unknown_round_names_the_rounds_there_are(db):
    with pytest.raises(AssessmentError, match="no assessment round 'Nope'") as err:
        rounds.get_round(db, "Nope")
    assert OPEN in err.value.problems[0]


def test_seed_demo_rounds_is_idempotent(db):
    before = db.data_version()
    assert seed_demo_rounds(db) == []
    assert db.data_version() == before
    rnd = db.assessment_round(OPEN)
    src = db.assessment_scores(rnd["id"]).groupby("source").size()
    assert src["suggested"] > 0 and src["entered"] > 0


def test_blank_cells_from_the_editor_are_stored_as_empty_not_nan(db):
    crit = default_criteria().astype({"data_driven": object})
    crit.loc[0, "data_driven"] = float("nan")  # a row added in the editor, left blank
    crit.loc[1, "description"] = None
    rounds.save_criteria(db, ANALYST, OPEN, crit)
    got = db.assessment_criteria(db.assessment_round(OPEN)["id"]).set_index("code")
    assert not got.loc["VOLUME", "data_driven"] and got.loc["TREND", "description"] == ""
    new = pd.DataFrame(
        [
            {
                "code": "KNIFE",
                "name": "Knife crime",
                "theme_code": float("nan"),
                "indicator_codes": None,
            }
        ]
    )
    rounds.save_issues(db, ANALYST, OPEN, new)
    issues = db.assessment_issues(db.assessment_round(OPEN)["id"]).set_index("code")
    assert pd.isna(issues.loc["KNIFE", "theme_code"])  # NULL, not the text "nan"
    assert (
        db.scalar(
            text("select count(*) from sa_issues where theme_code is null and code = 'KNIFE'")
        )
        == 1
    )
    assert issues.loc["KNIFE", "indicator_codes"] == ""
