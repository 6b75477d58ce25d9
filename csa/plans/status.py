"""Plan in place: for a period, which indicators have a recovery plan, and how it stands.

One recovery plan per indicator (for the county, :mod:`csa.plans.workflow`): the scorecard,
the indicator page and the presentation say "plan in place" with its owner, state and next
review instead of "a recovery plan is required". Plans are not public: the pages ask only for
signed-in viewers who may ``view_plans``.

Which plan counts for a period
    The indicator's open (not closed) plans raised for a period that starts no later than the
    period asked about, a plan for the county first, then the newest (as the register,
    :func:`csa.plans.tracking.choose_plans`).
In place
    A plan that has been submitted to the strategy group (submitted, returned with comments,
    approved or monitoring). A draft is a plan "being drafted": a plan is still required.
Trajectory
    ``"missed"`` when the latest trajectory period up to the period asked about that has a
    published figure is worse than expected, ``"met"`` when it is not, ``"not yet"`` when no
    trajectory period up to then has a figure, ``"none"`` when the plan sets no trajectory.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from csa.plans import tracking
from csa.plans.content import DONE_STATUSES
from csa.plans.workflow import STATE_WORDS

#: States in which a plan was submitted (a plan is in place; no longer "required").
IN_PLACE_STATES = ("submitted", "returned", "approved", "monitoring")
TRAJECTORY_WORDS = {
    "met": "trajectory met",
    "missed": "trajectory missed",
    "not yet": "no trajectory figure yet",
    "none": "no trajectory set",
}


def _starts(periods: pd.DataFrame | None) -> dict[str, pd.Timestamp]:
    if periods is None or periods.empty:
        return {}
    return dict(zip(periods["label"], pd.to_datetime(periods["start_date"]), strict=True))


def trajectory_check(
    trajectory: Mapping[str, float] | None,
    figures: Mapping[str, float],
    polarity: str,
    period_label: str,
    starts: Mapping[str, pd.Timestamp] | None = None,
) -> tuple[str, list[str]]:
    """("met" | "missed" | "not yet" | "none", the missed periods up to ``period_label``).

    Only trajectory periods up to ``period_label`` count (by start date when ``starts`` is
    given, else by label order, which is chronological for quarter and month labels)."""
    if not trajectory:
        return "none", []

    def upto(p: str) -> bool:
        if starts and p in starts and period_label in starts:
            return starts[p] <= starts[period_label]
        return p <= period_label

    due = {p: v for p, v in trajectory.items() if upto(p)}
    missed = [m["period_label"] for m in tracking.missed_trajectory(due, figures, polarity)]
    seen = [p for p in due if p in figures and not pd.isna(figures[p])]
    if not seen:
        return "not yet", missed
    return ("missed" if seen[-1] in missed else "met"), missed


def plan_status(
    plans: pd.DataFrame,
    contents: Mapping[int, Mapping],
    figures: Mapping[tuple[str, str], Mapping[str, float]],
    indicators: pd.DataFrame,
    areas: pd.DataFrame,
    period_label: str,
    *,
    periods: pd.DataFrame | None = None,
    today: date | None = None,
) -> dict[str, dict]:
    """{indicator code: its plan's status} for the indicators with an open plan.

    Each status: plan_id, area_code, area_name, state, state_words, in_place (bool),
    owner (the lead organisation's name), next_review (ISO date or None), review_text,
    actions_open (not complete or dropped), actions_overdue, actions_due (words),
    trajectory ("met", "missed", "not yet", "none"), missed_periods, trajectory_text.
    """
    today = today or date.today()
    if plans.empty:
        return {}
    starts = _starts(periods)
    inds = indicators.set_index("code")
    names = dict(zip(areas["code"], areas["name"], strict=True))
    here = plans[plans["state"] != "closed"]
    if starts and period_label in starts:
        raised = here["period_label"].map(starts)
        here = here[raised.isna() | (raised <= starts[period_label])]
    out = {}
    for code, (plan, _others) in tracking.choose_plans(here, period_label).items():
        if code not in inds.index:
            continue
        ind = inds.loc[code]
        content = contents.get(int(plan["id"]), {})
        actions = content.get("actions") or []
        open_ = [a for a in actions if a.get("status") not in DONE_STATUSES]
        overdue = tracking.overdue_actions(content, today)
        trajectory, missed = trajectory_check(
            content.get("trajectory"),
            figures.get((code, plan["area_code"]), {}),
            ind["polarity"],
            period_label,
            starts,
        )
        review = tracking.as_date(plan["review_date"])
        due_words = f"{len(open_)} action{'s' if len(open_) != 1 else ''} open"
        if overdue:
            due_words += f", {len(overdue)} overdue"
        owner = ind.get("lead_organisation") if hasattr(ind, "get") else None
        out[code] = {
            "plan_id": int(plan["id"]),
            "area_code": plan["area_code"],
            "area_name": names.get(plan["area_code"], plan["area_code"]),
            "state": plan["state"],
            "state_words": STATE_WORDS[plan["state"]],
            "in_place": plan["state"] in IN_PLACE_STATES,
            "owner": owner if isinstance(owner, str) and owner else plan["lead_org_code"] or "",
            "next_review": review.isoformat() if review else None,
            "review_text": tracking.review_text(review),
            "actions_open": len(open_),
            "actions_overdue": len(overdue),
            "actions_due": due_words,
            "trajectory": trajectory,
            "missed_periods": missed,
            "trajectory_text": TRAJECTORY_WORDS[trajectory]
            + (f" ({', '.join(missed)})" if missed else ""),
        }
    return out


def words(status: Mapping) -> str:
    """One line for a plan's status: "Plan in place: Approved, <owner>; review date ...;
    2 actions open; trajectory met" (or "Plan being drafted: ..." for a draft)."""
    head = "Plan in place" if status["in_place"] else "Plan being drafted"
    return (
        f"{head}: {status['state_words']}, {status['owner']}; {status['review_text']}; "
        f"{status['actions_due']}; {status['trajectory_text']}"
    )


def status_for_period(
    db, period_label: str, *, settings: dict | None = None, today: date | None = None
) -> dict[str, dict]:
    """:func:`plan_status` read from the database (figures: the published signed-in ones)."""
    from csa import config as csa_config
    from csa import publish

    plans = db.plans()
    if plans.empty:
        return {}
    key = publish.ensure(db, settings or csa_config.load())
    contents = db.latest_plan_contents(plans["id"])
    return plan_status(
        plans,
        contents,
        tracking.plan_figures(db, key, plans),
        db.indicators(),
        db.areas(),
        period_label,
        periods=db.periods(),
        today=today,
    )
