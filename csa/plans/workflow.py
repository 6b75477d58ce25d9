"""The life of a recovery plan: states, the moves between them, and who may make each.

::

    (none yet) --create--> draft --submit--> submitted --approve--> approved --monitor-->
    monitoring --close--> closed
                  ^  |                 |
                  |  save              return (with comments)
                  |  v                 v
                  draft <--save---- returned --submit--> submitted

* ``create``, ``save`` (draft or returned, back to draft): ``edit_plan``, the lead
  organisation's officers, analysts and admins.
* ``submit`` (draft or returned): ``submit_plan``, the same people; the plan must be
  complete (:func:`csa.plans.content.problems` with ``for_submit``).
* ``approve`` and ``return`` (submitted): ``approve_plan`` / ``return_plan``, the strategy
  group (board) and admins. Returning needs comments.
* ``monitor`` (approved) and ``update`` (approved or monitoring: progress on the actions, the
  progress note, the review date, new actions): ``monitor_plan``.
* ``close`` (any state but closed) with an outcome: ``close_plan``.

Every move takes the acting :class:`csa.access.Actor`, calls :func:`csa.access.require`
with the indicator's lead organisation first (a refusal is audited), and then, in one
transaction, appends a plan version holding the whole content and an audit entry. Nothing
is ever deleted. Passing ``base_version`` (the version the person started from) refuses a
save that would silently overwrite someone else's newer version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csa.access import Actor, allowed, require
from csa.areas import PAN_LANCASHIRE
from csa.models import PLAN_STATES
from csa.periods import parse_quarter, quarter_label
from csa.plans import content as plan_content

NONE_YET = "none yet"
#: The states of a plan that is still open (not closed).
OPEN_STATES = tuple(s for s in PLAN_STATES if s != "closed")
STATE_WORDS = {
    NONE_YET: "No plan yet",
    "draft": "Draft",
    "submitted": "Submitted for approval",
    "approved": "Approved",
    "returned": "Returned with comments",
    "monitoring": "Monitoring",
    "closed": "Closed",
}


@dataclass(frozen=True)
class Move:
    """One allowed move: from which states, to which (None: stays), under which permission."""

    name: str
    label: str
    from_states: frozenset
    to_state: str | None
    permission: str


MOVES: dict[str, Move] = {
    m.name: m
    for m in (
        Move("create", "Draft a recovery plan", frozenset({None}), "draft", "edit_plan"),
        Move("save", "Save a version", frozenset({"draft", "returned"}), "draft", "edit_plan"),
        Move(
            "submit",
            "Submit to the strategy group",
            frozenset({"draft", "returned"}),
            "submitted",
            "submit_plan",
        ),
        Move("approve", "Approve", frozenset({"submitted"}), "approved", "approve_plan"),
        Move("return", "Return with comments", frozenset({"submitted"}), "returned", "return_plan"),
        Move("monitor", "Start monitoring", frozenset({"approved"}), "monitoring", "monitor_plan"),
        Move(
            "update", "Record progress", frozenset({"approved", "monitoring"}), None, "monitor_plan"
        ),
        Move(
            "close",
            "Close with an outcome",
            frozenset(set(PLAN_STATES) - {"closed"}),
            "closed",
            "close_plan",
        ),
    )
}


class WorkflowError(ValueError):
    """The move is not possible in the plan's state, or its input is missing."""


class StaleVersionError(WorkflowError):
    """Someone saved a newer version since this person opened the plan."""


def can(actor: Actor, move: str, state: str | None, lead_org_code: str | None) -> bool:
    """True when ``actor`` may make ``move`` on a plan in ``state`` (None: no plan yet)."""
    m = MOVES[move]
    return state in m.from_states and allowed(actor, m.permission, _orgs(lead_org_code))


def available_moves(actor: Actor, state: str | None, lead_org_code: str | None) -> list[str]:
    """The moves ``actor`` may make now, in :data:`MOVES` order (for the editor's buttons)."""
    return [name for name in MOVES if can(actor, name, state, lead_org_code)]


def _orgs(lead_org_code: str | None) -> set[str]:
    return {lead_org_code} if lead_org_code else set()


def _check_state(move: Move, plan: dict) -> None:
    if plan["state"] not in move.from_states:
        froms = sorted(s for s in move.from_states if s)
        raise WorkflowError(
            f"Plan {plan['id']} is {STATE_WORDS.get(plan['state'], plan['state']).lower()}; "
            f"'{move.label.lower()}' is possible only when it is "
            f"{' or '.join(STATE_WORDS[s].lower() for s in froms)}."
        )


def trajectory_periods(periods, period_label: str, n: int = 12) -> list[str]:
    """The ``n`` periods of the same frequency after ``period_label`` (a trajectory's range).

    ``periods`` is the periods table (label, start_date, frequency). Financial quarters run
    on past the end of the table (a recovery can take longer than the agreement)."""
    per = periods.sort_values("start_date")
    freq = per.loc[per["label"] == period_label, "frequency"]
    if freq.empty:
        raise WorkflowError(f"unknown period {period_label!r}")
    if freq.iloc[0] == "quarterly":
        fy, q = parse_quarter(period_label)
        out = []
        for _ in range(n):
            fy, q = (fy, q + 1) if q < 4 else (fy + 1, 1)
            out.append(quarter_label(fy, q))
        return out
    same = per.loc[per["frequency"] == freq.iloc[0], "label"].tolist()
    i = same.index(period_label)
    return same[i + 1 : i + 1 + n]


def _load(db, plan_id: int) -> dict:
    plan = db.plan(plan_id)
    if plan is None:
        raise WorkflowError(f"there is no recovery plan {plan_id}")
    return plan


def _review_date(content: dict) -> date | None:
    value = content.get("review_date")
    return date.fromisoformat(value) if value else None


# -- the moves ---------------------------------------------------------------------------
def create_plan(
    db,
    actor: Actor,
    *,
    indicator_code: str,
    area_code: str = PAN_LANCASHIRE,
    period_label: str,
    evidence: dict,
    title: str | None = None,
    target_areas: list[str] | tuple[str, ...] = (),
) -> int:
    """Draft a new plan pre-filled with ``evidence``; returns its id.

    One recovery plan per indicator: the agreement asks the lead organisation for one plan
    for the county (``area_code`` defaults to pan-Lancashire) whose evidence shows each
    area's contribution, with the district and policing-area criticals inside it.
    ``target_areas`` names the areas the plan targets (e.g. where the indicator is
    critical); they are kept in the plan's content.

    Refused when an open (not closed) plan already exists for this indicator, for any
    area, or when an area is unknown."""
    indicators = db.indicators().set_index("code")
    if indicator_code not in indicators.index:
        raise WorkflowError(f"unknown indicator {indicator_code!r}")
    periods = set(db.periods()["label"])
    if period_label not in periods:
        raise WorkflowError(
            f"unknown period {period_label!r}: a plan is raised for a period of the "
            f"dashboard's figures, like {max(periods) if periods else '2026-27 Q2'}."
        )
    lead = indicators.loc[indicator_code, "lead_org_code"]
    target = f"plan new {indicator_code} {area_code}"
    require(actor, "edit_plan", _orgs(lead), db=db, target=target)
    known = set(db.areas()["code"])
    unknown = [a for a in [area_code, *target_areas] if a not in known]
    if unknown:
        raise WorkflowError(f"unknown area {unknown[0]!r}")
    open_plans = db.plans(indicator_code=indicator_code, states=OPEN_STATES)
    if not open_plans.empty:
        existing = open_plans.iloc[0]  # newest first
        raise WorkflowError(
            f"{indicator_code} already has an open recovery plan (plan {existing['id']}, "
            f"{STATE_WORDS[existing['state']].lower()}) for {existing['area_name']}: one "
            "plan per indicator; open that one instead."
        )
    body = plan_content.new_content(evidence)
    body["target_areas"] = list(dict.fromkeys(target_areas))
    title = title or (
        f"Recovery plan: {indicators.loc[indicator_code, 'title']}, "
        f"{evidence.get('area_name', area_code)} ({period_label})"
    )
    with db.transaction() as conn:
        plan_id = db.insert_plan(
            conn,
            indicator_code=indicator_code,
            area_code=area_code,
            period_label=period_label,
            title=title,
            lead_org_code=lead,
            created_by=actor.email,
        )
        version = db.append_version(
            conn,
            plan_id,
            state="draft",
            content=body,
            comment="Drafted from the evidence",
            saved_by=actor.email,
        )
        db.audit(
            conn,
            actor.email,
            "plan_create",
            f"plan {plan_id}",
            detail={
                "indicator": indicator_code,
                "area": area_code,
                "period": period_label,
                "version": version,
            },
        )
    return plan_id


def _move(
    db,
    actor: Actor,
    plan_id: int,
    name: str,
    *,
    content: dict | None = None,
    comment: str = "",
    outcome: str | None = None,
    base_version: int | None = None,
    for_submit: bool = False,
) -> int:
    move = MOVES[name]
    plan = _load(db, plan_id)
    require(actor, move.permission, _orgs(plan["lead_org_code"]), db=db, target=f"plan {plan_id}")
    _check_state(move, plan)
    body = dict(plan["content"])
    if content is not None:
        body.update({k: content[k] for k in plan_content.EDITABLE_FIELDS if k in content})
        body["evidence"] = plan["content"].get("evidence", {})  # never edited by hand
    if name == "update":
        found = plan_content.progress_only_problems(plan["content"], body)
        if found:
            raise plan_content.PlanContentError(found)
    periods = trajectory_periods(db.periods(), plan["period_label"], n=40)
    plan_content.check(body, periods=periods, for_submit=for_submit)
    new_state = move.to_state or plan["state"]
    with db.transaction() as conn:
        locked = db.lock_plan(conn, plan_id)
        if locked is None or locked["state"] != plan["state"]:
            raise StaleVersionError(
                f"Plan {plan_id} changed while you were working on it; reload it and try again."
            )
        latest = db.plan(plan_id, conn)["version"]
        if base_version is not None and int(base_version) != latest:
            raise StaleVersionError(
                f"Plan {plan_id} has a newer version ({latest}) than the one you started "
                f"from ({base_version}); reload it to see the changes, then save again."
            )
        fields = {"state": new_state, "review_date": _review_date(body)}
        if outcome is not None:
            fields["outcome"] = outcome
        db.update_plan(conn, plan_id, **fields)
        version = db.append_version(
            conn, plan_id, state=new_state, content=body, comment=comment, saved_by=actor.email
        )
        db.audit(
            conn,
            actor.email,
            f"plan_{name}",
            f"plan {plan_id}",
            detail={"from": plan["state"], "to": new_state, "version": version, "comment": comment},
        )
    return version


def save_plan(
    db,
    actor: Actor,
    plan_id: int,
    content: dict,
    *,
    comment: str = "",
    base_version: int | None = None,
) -> int:
    """Save a new version of a draft (or returned) plan; returns the version number."""
    return _move(
        db, actor, plan_id, "save", content=content, comment=comment, base_version=base_version
    )


def submit_plan(
    db,
    actor: Actor,
    plan_id: int,
    content: dict | None = None,
    *,
    comment: str = "",
    base_version: int | None = None,
) -> int:
    """Submit the plan (with ``content`` if given) to the strategy group; it must be complete."""
    return _move(
        db,
        actor,
        plan_id,
        "submit",
        content=content,
        comment=comment,
        base_version=base_version,
        for_submit=True,
    )


def approve_plan(db, actor: Actor, plan_id: int, comment: str = "") -> int:
    """The strategy group approves a submitted plan."""
    return _move(db, actor, plan_id, "approve", comment=comment)


def return_plan(db, actor: Actor, plan_id: int, comment: str) -> int:
    """The strategy group returns a submitted plan with comments (required)."""
    if not (comment or "").strip():
        raise WorkflowError("Say why the plan is returned: the comments go to the lead.")
    return _move(db, actor, plan_id, "return", comment=comment.strip())


def start_monitoring(db, actor: Actor, plan_id: int, comment: str = "") -> int:
    """Move an approved plan into monitoring."""
    return _move(db, actor, plan_id, "monitor", comment=comment)


def update_progress(
    db,
    actor: Actor,
    plan_id: int,
    content: dict,
    *,
    comment: str = "",
    base_version: int | None = None,
) -> int:
    """Record progress on an approved or monitored plan (action statuses, the progress note,
    the review date, new actions); the approved substance cannot change."""
    return _move(
        db, actor, plan_id, "update", content=content, comment=comment, base_version=base_version
    )


def close_plan(db, actor: Actor, plan_id: int, outcome: str) -> int:
    """Close the plan with its outcome (required), e.g. 'Back on target for two quarters'."""
    if not (outcome or "").strip():
        raise WorkflowError("Give the outcome: what happened, and why the plan can close.")
    return _move(db, actor, plan_id, "close", comment=outcome.strip(), outcome=outcome.strip())
