"""Recovery plan workflow: allowed and refused moves, versions, audit, stale saves."""

from __future__ import annotations

import json

import pytest

from csa.access import Actor, PermissionDenied
from csa.plans import workflow as wf
from csa.plans.content import PlanContentError

LEAD = Actor("officer@lancashire.police.uk", "officer", "LVRN")  # LVRN leads VIO-01
OTHER_OFFICER = Actor("officer@lancashire.gov.uk", "officer", "LCC")
ANALYST = Actor("analyst@lancashire.gov.uk", "analyst")
BOARD = Actor("board@lancashire.gov.uk", "board")
ADMIN = Actor("admin@lancashire.gov.uk", "admin")
PUBLIC = Actor("anonymous", "public")

EVIDENCE = {
    "indicator_code": "VIO-01",
    "area_name": "Burnley",
    "unit": "rate",
    "polarity": "low_is_good",
    "figures": {"target": 2.5},
}
COMPLETE = {
    "root_causes": ["Night-time economy violence in Burnley town centre"],
    "actions": [
        {
            "description": "Extra patrols Friday and Saturday nights",
            "owner_org": "LANCS-POLICE",
            "owner": "Chief Inspector, Burnley",
            "due_date": "2026-12-31",
            "status": "in progress",
        }
    ],
    "trajectory": {"2026-27 Q3": 2.9, "2026-27 Q4": 2.6, "2027-28 Q1": 2.4},
    "risks": ["Funding for the patrols ends in March"],
    "resources": "Two officers, 0.5 analyst",
    "review_date": "2027-01-31",
}


def new_plan(db, actor=LEAD) -> int:
    return wf.create_plan(
        db,
        actor,
        indicator_code="VIO-01",
        area_code="E07000117",
        period_label="2026-27 Q2",
        evidence=EVIDENCE,
    )


def plan_in(db, state: str) -> int:
    """A VIO-01 Burnley plan walked to ``state`` by the right people."""
    pid = new_plan(db)
    if state == "draft":
        return pid
    wf.submit_plan(db, LEAD, pid, COMPLETE)
    if state == "submitted":
        return pid
    if state == "returned":
        wf.return_plan(db, BOARD, pid, "Add the licensing actions")
        return pid
    wf.approve_plan(db, BOARD, pid)
    if state == "approved":
        return pid
    wf.start_monitoring(db, BOARD, pid)
    if state == "monitoring":
        return pid
    wf.close_plan(db, BOARD, pid, "Back below target for two quarters")
    assert state == "closed"
    return pid


def do(db, move: str, actor: Actor, pid: int):
    if move == "save":
        return wf.save_plan(db, actor, pid, COMPLETE)
    if move == "submit":
        return wf.submit_plan(db, actor, pid, COMPLETE)
    if move == "approve":
        return wf.approve_plan(db, actor, pid, "Agreed")
    if move == "return":
        return wf.return_plan(db, actor, pid, "More detail on the actions, please")
    if move == "monitor":
        return wf.start_monitoring(db, actor, pid)
    if move == "update":
        return wf.update_progress(db, actor, pid, {"progress_note": "Patrols started"})
    if move == "close":
        return wf.close_plan(db, actor, pid, "Recovered")
    raise AssertionError(move)


ALLOWED = [
    # (state, move, actor, new state)
    ("draft", "save", LEAD, "draft"),
    ("draft", "save", ANALYST, "draft"),
    ("draft", "submit", LEAD, "submitted"),
    ("draft", "submit", ADMIN, "submitted"),
    ("returned", "save", LEAD, "draft"),
    ("returned", "submit", LEAD, "submitted"),
    ("submitted", "approve", BOARD, "approved"),
    ("submitted", "approve", ADMIN, "approved"),
    ("submitted", "return", BOARD, "returned"),
    ("approved", "monitor", LEAD, "monitoring"),
    ("approved", "monitor", BOARD, "monitoring"),
    ("approved", "update", LEAD, "approved"),
    ("monitoring", "update", LEAD, "monitoring"),
    ("monitoring", "close", BOARD, "closed"),
    ("monitoring", "close", ANALYST, "closed"),
    ("draft", "close", BOARD, "closed"),
]


@pytest.mark.parametrize(
    "state,move,actor,after", ALLOWED, ids=[f"{s}-{m}-{a.role}" for s, m, a, _ in ALLOWED]
)
def test_allowed_moves(db, state, move, actor, after):
    pid = plan_in(db, state)
    before = db.plan(pid)["version"]
    version = do(db, move, actor, pid)
    plan = db.plan(pid)
    assert plan["state"] == after
    assert version == before + 1 == plan["version"]
    log = db.audit_log(action=f"plan_{move}")
    assert (log["target"] == f"plan {pid}").any()
    assert json.loads(log.iloc[0]["detail"])["to"] == after
    assert wf.can(actor, move, state, "LVRN")


REFUSED_ROLE = [
    # (state, move, actor): the role (or organisation) may not make this move
    ("draft", "save", BOARD),
    ("draft", "save", OTHER_OFFICER),
    ("draft", "submit", OTHER_OFFICER),
    ("draft", "submit", BOARD),
    ("submitted", "approve", LEAD),
    ("submitted", "approve", ANALYST),
    ("submitted", "return", LEAD),
    ("approved", "update", OTHER_OFFICER),
    ("monitoring", "close", LEAD),
    ("draft", "save", PUBLIC),
]


@pytest.mark.parametrize(
    "state,move,actor",
    REFUSED_ROLE,
    ids=[f"{s}-{m}-{a.role}-{a.org_code}" for s, m, a in REFUSED_ROLE],
)
def test_refused_by_role_is_audited_and_changes_nothing(db, state, move, actor):
    pid = plan_in(db, state)
    before = db.plan(pid)
    with pytest.raises(PermissionDenied, match=actor.email):
        do(db, move, actor, pid)
    after = db.plan(pid)
    assert (after["state"], after["version"]) == (before["state"], before["version"])
    refused = db.audit_log(action=wf.MOVES[move].permission)
    assert (refused["outcome"] == "refused").any()
    assert not wf.can(actor, move, state, "LVRN")


REFUSED_STATE = [
    ("draft", "approve", BOARD),
    ("draft", "return", BOARD),
    ("draft", "monitor", BOARD),
    ("draft", "update", LEAD),
    ("submitted", "save", LEAD),
    ("submitted", "submit", LEAD),
    ("approved", "approve", BOARD),
    ("approved", "save", LEAD),
    ("returned", "approve", BOARD),
    ("closed", "close", BOARD),
    ("closed", "save", LEAD),
    ("closed", "monitor", BOARD),
]


@pytest.mark.parametrize(
    "state,move,actor", REFUSED_STATE, ids=[f"{s}-{m}" for s, m, _ in REFUSED_STATE]
)
def test_refused_in_the_wrong_state(db, state, move, actor):
    pid = plan_in(db, state)
    version = db.plan(pid)["version"]
    with pytest.raises(wf.WorkflowError, match=f"Plan {pid} is"):
        do(db, move, actor, pid)
    assert db.plan(pid)["version"] == version
    assert not wf.can(actor, move, state, "LVRN")


def test_the_full_life_keeps_every_version(db):
    pid = plan_in(db, "closed")
    versions = db.plan_versions(pid)
    assert versions["state"].tolist() == ["draft", "submitted", "approved", "monitoring", "closed"]
    assert versions["version"].tolist() == [1, 2, 3, 4, 5]
    assert versions["saved_by"].tolist() == [
        LEAD.email,
        LEAD.email,
        BOARD.email,
        BOARD.email,
        BOARD.email,
    ]
    assert versions["comment"].iloc[-1] == "Back below target for two quarters"
    plan = db.plan(pid)
    assert plan["outcome"] == "Back below target for two quarters"
    assert str(plan["review_date"]) == "2027-01-31"
    # the evidence is kept, never edited by hand
    assert json.loads(versions["content"].iloc[-1])["evidence"] == EVIDENCE
    actions = set(db.audit_log(limit=50)["action"])
    assert {"plan_create", "plan_submit", "plan_approve", "plan_monitor", "plan_close"} <= actions


def test_submitting_an_incomplete_plan_lists_what_is_missing(db):
    pid = new_plan(db)
    with pytest.raises(PlanContentError) as info:
        wf.submit_plan(
            db, LEAD, pid, {"actions": [{"description": "Patrols", "status": "not started"}]}
        )
    problems = info.value.problems
    assert "Action 1: give the owner organisation, the owner, the due date." in problems
    assert any(p.startswith("Root causes: give at least one") for p in problems)
    assert any(p.startswith("Trajectory: give the expected value") for p in problems)
    assert any(p.startswith("Review date:") for p in problems)
    assert db.plan(pid)["state"] == "draft"


def test_a_trajectory_must_reach_the_target(db):
    pid = new_plan(db)
    body = COMPLETE | {"trajectory": {"2026-27 Q3": 2.9, "2026-27 Q4": 2.7}}
    with pytest.raises(
        PlanContentError,
        match=r"last expected value \(2.7 in 2026-27 Q4\) "
        r"does not reach the target \(2.5\)",
    ):
        wf.submit_plan(db, LEAD, pid, body)


def test_a_trajectory_before_the_plan_period_is_refused(db):
    pid = new_plan(db)
    with pytest.raises(PlanContentError, match="Trajectory 2025-26 Q1: not a period after"):
        wf.save_plan(db, LEAD, pid, {"trajectory": {"2025-26 Q1": 2.0}})


def test_returning_needs_comments(db):
    pid = plan_in(db, "submitted")
    with pytest.raises(wf.WorkflowError, match="Say why the plan is returned"):
        wf.return_plan(db, BOARD, pid, "  ")
    assert db.plan(pid)["state"] == "submitted"


def test_closing_needs_an_outcome(db):
    pid = plan_in(db, "monitoring")
    with pytest.raises(wf.WorkflowError, match="Give the outcome"):
        wf.close_plan(db, BOARD, pid, "")


def test_a_stale_save_is_refused(db):
    pid = new_plan(db)
    opened = db.plan(pid)["version"]
    wf.save_plan(db, ANALYST, pid, {"resources": "One analyst"}, base_version=opened)
    with pytest.raises(wf.StaleVersionError, match=r"newer version \(2\).*from \(1\)"):
        wf.save_plan(db, LEAD, pid, {"resources": "Two officers"}, base_version=opened)
    assert db.plan(pid)["content"]["resources"] == "One analyst"


def test_only_one_open_plan_per_indicator_for_any_area(db):
    pid = new_plan(db)  # an older plan raised for Burnley
    for area in ("E07000117", "E23000003", "PA-EAST"):
        with pytest.raises(
            wf.WorkflowError,
            match=f"already has an open recovery plan \\(plan {pid}, draft\\) for Burnley",
        ):
            wf.create_plan(
                db,
                LEAD,
                indicator_code="VIO-01",
                area_code=area,
                period_label="2026-27 Q2",
                evidence=EVIDENCE,
            )
    wf.close_plan(db, BOARD, pid, "Superseded")
    assert new_plan(db) != pid


def test_a_new_plan_is_for_the_county_and_names_the_areas_it_targets(db):
    pid = wf.create_plan(
        db,
        LEAD,
        indicator_code="VIO-01",
        period_label="2026-27 Q2",
        evidence=EVIDENCE | {"area_name": "Pan-Lancashire (14 areas)"},
        target_areas=["E07000117", "PA-EAST", "E07000117"],
    )
    plan = db.plan(pid)
    assert plan["area_code"] == "E23000003"
    assert plan["content"]["target_areas"] == ["E07000117", "PA-EAST"]
    # the target areas stay through later moves (they are not edited by hand)
    wf.save_plan(db, LEAD, pid, {"resources": "Two officers", "target_areas": ["X"]})
    assert db.plan(pid)["content"]["target_areas"] == ["E07000117", "PA-EAST"]


@pytest.mark.parametrize("area,targets", [("NOWHERE", []), ("E23000003", ["E07000117", "NOWHERE"])])
def test_a_plan_for_an_unknown_area_is_refused(db, area, targets):
    with pytest.raises(wf.WorkflowError, match="unknown area 'NOWHERE'"):
        wf.create_plan(
            db,
            LEAD,
            indicator_code="VIO-01",
            area_code=area,
            period_label="2026-27 Q2",
            evidence=EVIDENCE,
            target_areas=targets,
        )
    assert db.plans().empty


def test_officer_of_another_organisation_cannot_draft(db):
    with pytest.raises(
        PermissionDenied,
        match="only edit plan for indicators their organisation leads, not those led by LVRN",
    ):
        new_plan(db, OTHER_OFFICER)
    assert db.plans().empty
    refused = db.audit_log(action="edit_plan")
    assert refused.iloc[0]["outcome"] == "refused"
    assert refused.iloc[0]["target"] == "plan new VIO-01 E07000117"


def test_progress_cannot_rewrite_the_approved_plan(db):
    pid = plan_in(db, "monitoring")
    with pytest.raises(PlanContentError, match="Trajectory were approved"):
        wf.update_progress(db, LEAD, pid, {"trajectory": {"2026-27 Q3": 3.5}})
    moved = [dict(COMPLETE["actions"][0], due_date="2027-06-30")]
    with pytest.raises(PlanContentError, match="Action 1: only its status can change"):
        wf.update_progress(db, LEAD, pid, {"actions": moved})
    done = [
        dict(COMPLETE["actions"][0], status="complete"),
        {
            "description": "Licensing review",
            "owner_org": "Burnley Borough Council",
            "owner": "Licensing manager",
            "due_date": "2027-03-31",
            "status": "not started",
        },
    ]
    wf.update_progress(db, LEAD, pid, {"actions": done, "progress_note": "Patrols done"})
    content = db.plan(pid)["content"]
    assert [a["status"] for a in content["actions"]] == ["complete", "not started"]
    assert content["progress_note"] == "Patrols done"


def test_current_trajectory_follows_the_open_plan(db):
    assert db.current_trajectory("VIO-01", "E07000117") is None
    pid = plan_in(db, "approved")
    assert db.current_trajectory("VIO-01", "E07000117") == COMPLETE["trajectory"]
    assert db.current_trajectory("VIO-01", "PA-EAST") is None
    wf.close_plan(db, BOARD, pid, "Recovered")
    assert db.current_trajectory("VIO-01", "E07000117") is None


@pytest.mark.parametrize(
    "actor,state,moves",
    [
        (LEAD, None, ["create"]),
        (LEAD, "draft", ["save", "submit"]),
        (BOARD, "draft", ["close"]),
        (BOARD, "submitted", ["approve", "return", "close"]),
        (LEAD, "submitted", []),
        (LEAD, "approved", ["monitor", "update"]),
        (ANALYST, "monitoring", ["update", "close"]),
        (OTHER_OFFICER, "draft", []),
        (LEAD, "closed", []),
    ],
)
def test_available_moves(actor, state, moves):
    assert wf.available_moves(actor, state, "LVRN") == moves


@pytest.mark.parametrize("period", ["1999-00 Q9", "", "2026-27"])
def test_a_plan_needs_a_known_period(db, period):
    before = len(db.audit_log(action="plan_create"))
    with pytest.raises(wf.WorkflowError, match=f"unknown period {period!r}: a plan is raised"):
        wf.create_plan(
            db,
            LEAD,
            indicator_code="VIO-01",
            area_code="E07000117",
            period_label=period,
            evidence=EVIDENCE,
        )
    assert db.current_plan("VIO-01", "E07000117") is None
    assert len(db.audit_log(action="plan_create")) == before
