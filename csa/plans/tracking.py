"""Tracking recovery plans: missed trajectories, overdue actions and plans, and the register.

Definitions
-----------
Missed trajectory
    A period with both a figure and an expected trajectory value, where the figure is worse
    than expected (higher for a low-is-good indicator, lower for a high-is-good one). No
    direction is judged for a no-judgement indicator, so it never misses.
Overdue action
    An action whose due date is before ``today`` and whose status is not complete or dropped.
Overdue plan
    A plan that is not closed whose review date is before ``today``, or a critical indicator
    with no plan yet (a plan is required and has not been started).

``today`` is always a parameter (defaulting to the current date) so tests and reports for a
past date give the same answer every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from csa.access import Actor, can_see_indicator
from csa.areas import PAN_LANCASHIRE
from csa.plans.content import DONE_STATUSES
from csa.plans.workflow import NONE_YET, STATE_WORDS

#: Columns of :func:`register` (and :func:`flags_for_period`).
REGISTER_COLUMNS = [
    "indicator_code",
    "indicator_title",
    "area_code",
    "area_name",
    "critical_area_codes",
    "critical_areas",
    "lead_org_code",
    "critical",
    "rag",
    "label",
    "status_text",
    "value_text",
    "target_text",
    "value",
    "target",
    "plan_id",
    "plan_area_code",
    "plan_area_name",
    "target_areas",
    "plan_state",
    "state_words",
    "review_date",
    "review_text",
    "plan_overdue",
    "overdue_actions",
    "missed_trajectory",
    "missed_periods",
    "other_open_plans",
    "flags",
]
FLAG_COLUMNS = [
    "indicator_code",
    "area_code",
    "critical_area_codes",
    "plan_id",
    "plan_area_code",
    "plan_state",
    "critical",
    "plan_overdue",
    "overdue_actions",
    "missed_trajectory",
    "flags",
]
#: The level a recovery plan is raised at: one plan per indicator, for the county, its
#: evidence showing each area's contribution (the agreement's critical-indicator rule).
PLAN_AREA = PAN_LANCASHIRE
#: Where a critical area is listed: the county first, then policing areas, then the rest.
_KIND_ORDER = {"pan": 0, "county": 1, "policing_area": 2}
NO_REVIEW_DATE = "no review date set"


def _today(today: date | None) -> date:
    return today or date.today()


def as_date(value) -> date | None:
    """A date from a date, Timestamp or ISO text; None for a missing one (None, NaN, NaT)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def overdue_actions(content: Mapping, today: date | None = None) -> list[dict]:
    """Actions past their due date and not complete or dropped, each with ``number`` (its
    row, from 1) and ``days_overdue``."""
    today = _today(today)
    out = []
    for i, action in enumerate(content.get("actions") or [], start=1):
        due = as_date(action.get("due_date"))
        if due is not None and due < today and action.get("status") not in DONE_STATUSES:
            out.append(dict(action) | {"number": i, "days_overdue": (today - due).days})
    return out


def plan_overdue(state: str, review_date, today: date | None = None) -> bool:
    """True when a plan that is not closed has passed its review date."""
    due = as_date(review_date)
    return state != "closed" and due is not None and due < _today(today)


def missed_trajectory(
    trajectory: Mapping[str, float] | None, figures: Mapping[str, float], polarity: str
) -> list[dict]:
    """Periods where the figure is worse than the trajectory expected.

    Parameters
    ----------
    trajectory : mapping
        {period label: expected value}.
    figures : mapping
        {period label: actual value} (missing or NaN figures are skipped).
    polarity : {"low_is_good", "high_is_good", "no_judgement"}

    Returns
    -------
    list of dict
        period_label, expected, actual, gap (actual - expected), in trajectory order.
    """
    out = []
    if polarity not in ("low_is_good", "high_is_good"):
        return out
    for period, expected in (trajectory or {}).items():
        actual = figures.get(period)
        if actual is None or pd.isna(actual) or expected is None:
            continue
        worse = actual > expected if polarity == "low_is_good" else actual < expected
        if worse:
            out.append(
                {
                    "period_label": period,
                    "expected": float(expected),
                    "actual": float(actual),
                    "gap": float(actual) - float(expected),
                }
            )
    return out


def published_series(published: pd.DataFrame) -> dict[tuple[str, str], dict[str, float]]:
    """{(indicator, area): {period: value}} from published figures (hidden or missing values
    left out), the figures a plan's trajectory is tracked against."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    if published.empty:
        return out
    values = pd.to_numeric(published["value"], errors="coerce")
    for code, area, period, value in zip(
        published["indicator_code"],
        published["area_code"],
        published["period_label"],
        values,
        strict=True,
    ):
        series = out.setdefault((str(code), str(area)), {})
        if not pd.isna(value):
            series[str(period)] = float(value)
    return out


def review_text(review_date) -> str:
    """ "Review date 2026-12-31", or "no review date set" (never "nan" or "NaT")."""
    due = as_date(review_date)
    return f"Review date {due.isoformat()}" if due else NO_REVIEW_DATE


def _flag_words(row: dict) -> list[str]:
    words = []
    if row["critical"] and row["plan_state"] == NONE_YET:
        words.append("⚠ Critical: no recovery plan yet")
    if row["plan_overdue"]:
        words.append(f"◷ Review overdue (due {row['review_date']})")
    if row["overdue_actions"]:
        n = row["overdue_actions"]
        words.append(f"◷ {n} action{'s' if n != 1 else ''} overdue")
    if row["missed_trajectory"]:
        words.append(f"✖ Missed trajectory in {row['missed_periods']}")
    return words


def choose_plans(plans: pd.DataFrame, period_label: str) -> dict[str, tuple[dict, list[dict]]]:
    """Per indicator, the plan the register shows and the indicator's other open plans.

    Plans of any area stay attached to their indicator (older plans were raised for a
    district or policing area). The newest open plan is shown, a plan for the county first;
    with no open plan, one closed during ``period_label`` is shown as closed."""
    out: dict[str, tuple[dict, list[dict]]] = {}
    if plans.empty:
        return out
    for code, part in plans.groupby("indicator_code", sort=False):
        rows = part.sort_values("id", ascending=False).to_dict("records")
        open_ = [p for p in rows if p["state"] != "closed"]
        open_.sort(key=lambda p: p["area_code"] != PLAN_AREA)  # stable: newest within each
        if open_:
            out[str(code)] = (open_[0], open_[1:])
            continue
        closed_now = [p for p in rows if p["period_label"] == period_label]
        if closed_now:
            out[str(code)] = (closed_now[0], [])
    return out


def _area_order(areas: pd.DataFrame) -> dict[str, tuple]:
    kinds = dict(zip(areas["code"], areas["kind"], strict=True))
    names = dict(zip(areas["code"], areas["name"], strict=True))
    return {c: (_KIND_ORDER.get(kinds[c], 3), names[c]) for c in kinds}


def register(
    published: pd.DataFrame,
    plans: pd.DataFrame,
    contents: Mapping[int, Mapping],
    figures: Mapping[tuple[str, str], Mapping[str, float]],
    indicators: pd.DataFrame,
    areas: pd.DataFrame,
    period_label: str,
    today: date | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The recovery-plan register for a period: one row per indicator.

    A row for every indicator critical in ``period_label`` anywhere (for the county or in
    any area; ``critical_areas`` names them, the county first, then policing areas, then
    districts), with its plan or "none yet": one recovery plan per indicator, for the
    county, whose evidence shows each area's contribution; the district and policing-area
    criticals sit inside it. Plus a row for every indicator with an open plan that is not
    critical now (a plan is tracked until it is closed). Plans of any area belong to their
    indicator (:func:`choose_plans`); an indicator's other open plans are listed in
    ``other_open_plans``.

    Parameters
    ----------
    published : DataFrame
        The published signed-in figures for the period (:func:`csa.publish.read`; other
        periods are ignored). The row's status and texts are the county's figure.
    plans : DataFrame
        :meth:`csa.db.plans.PlanGateway.plans`.
    contents : mapping
        plan id -> latest content (:meth:`~csa.db.plans.PlanGateway.latest_plan_contents`).
    figures : mapping
        (indicator, area) -> {period: value} for the plans' areas (:func:`published_series`).
    indicators, areas : DataFrame
        The reference tables (titles, polarity, public flag, names, kinds).
    today : date, optional
        For overdue checks; defaults to the current date.
    actor : Actor, optional
        Restricted indicators are left out unless the actor may see them.
    """
    today = _today(today)
    inds = indicators.set_index("code")
    names = dict(zip(areas["code"], areas["name"], strict=True))
    order = _area_order(areas)
    v = published[published["period_label"] == period_label]
    critical = v[v["critical"].astype(bool)]
    where: dict[str, list[str]] = {}
    for code, area in zip(critical["indicator_code"], critical["area_code"], strict=True):
        where.setdefault(str(code), []).append(str(area))
    county = {r["indicator_code"]: r for r in v[v["area_code"] == PLAN_AREA].to_dict("records")}
    chosen = choose_plans(plans, period_label)
    codes = list(where) + [
        c for c, (p, _o) in chosen.items() if c not in where and p["state"] != "closed"
    ]

    rows = []
    for code in codes:
        if code not in inds.index:
            continue
        ind = inds.loc[code]
        if actor is not None and not can_see_indicator(
            actor, bool(ind["public"]), ind["lead_org_code"]
        ):
            continue
        plan, others = chosen.get(code, (None, []))
        fig = county.get(code)
        crit_codes = sorted(where.get(code, []), key=lambda a: order.get(a, (4, a)))
        content = contents.get(int(plan["id"]), {}) if plan else {}
        state = plan["state"] if plan else NONE_YET
        overdue = overdue_actions(content, today) if state != "closed" else []
        missed = (
            missed_trajectory(
                content.get("trajectory"),
                figures.get((code, plan["area_code"]), {}),
                ind["polarity"],
            )
            if plan and state != "closed"
            else []
        )
        review = as_date(plan["review_date"]) if plan else None
        row = {
            "indicator_code": code,
            "indicator_title": ind["title"],
            "area_code": PLAN_AREA,
            "area_name": names.get(PLAN_AREA, PLAN_AREA),
            "critical_area_codes": crit_codes,
            "critical_areas": [names.get(a, a) for a in crit_codes],
            "lead_org_code": ind["lead_org_code"],
            "critical": bool(crit_codes),
            "rag": fig["rag"] if fig else "grey",
            "label": fig["label"] if fig else "No figure",
            "status_text": fig["status_text"] if fig else "No figure for the county",
            "value_text": fig["value_text"] if fig else "no figure",
            "target_text": fig["target_text"] if fig else "no target",
            "value": fig["value"] if fig else None,
            "target": fig["target"] if fig else None,
            "plan_id": int(plan["id"]) if plan else None,
            "plan_area_code": plan["area_code"] if plan else None,
            "plan_area_name": names.get(plan["area_code"], plan["area_code"]) if plan else None,
            "target_areas": [names.get(a, a) for a in content.get("target_areas") or []],
            "plan_state": state,
            "state_words": STATE_WORDS[state],
            "review_date": review.isoformat() if review else None,
            "review_text": review_text(review) if plan else "",
            "plan_overdue": plan_overdue(state, review, today) if plan else False,
            "overdue_actions": len(overdue),
            "missed_trajectory": len(missed),
            "missed_periods": ", ".join(m["period_label"] for m in missed),
            "other_open_plans": [
                f"plan {int(o['id'])} ({names.get(o['area_code'], o['area_code'])}, "
                f"{STATE_WORDS[o['state']].lower()})"
                for o in others
            ],
        }
        row["flags"] = _flag_words(row)
        rows.append(row)
    out = pd.DataFrame(rows, columns=REGISTER_COLUMNS)
    if out.empty:
        return out
    # None stays None, never NaN (pandas makes a text column with a None a NaN one)
    for col in ("plan_id", "plan_area_code", "plan_area_name", "review_date", "value", "target"):
        out[col] = pd.Series(
            [None if r[col] is None or pd.isna(r[col]) else r[col] for r in rows], dtype=object
        )
    rank = {
        "none yet": 0,
        "returned": 1,
        "draft": 2,
        "submitted": 3,
        "approved": 4,
        "monitoring": 5,
        "closed": 6,
    }
    out["_o"] = out["plan_state"].map(rank)
    out["_n"] = -(
        out["overdue_actions"] + out["missed_trajectory"] + out["plan_overdue"].astype(int)
    )
    out = out.sort_values(["_n", "_o", "indicator_code"])
    return out.drop(columns=["_o", "_n"]).reset_index(drop=True)


def plan_figures(db, key: str, plans: pd.DataFrame) -> dict[tuple[str, str], dict[str, float]]:
    """The published signed-in values of the plans' indicators in the plans' areas."""
    if plans.empty:
        return {}
    from csa import publish

    published = publish.read(
        db,
        key,
        "signed_in",
        indicators=sorted(set(plans["indicator_code"])),
        areas=sorted(set(plans["area_code"])),
        columns=["indicator_code", "area_code", "period_label", "period_start", "value"],
    )
    return published_series(published)


def register_for_period(
    db,
    period_label: str,
    *,
    verdicts: pd.DataFrame | None = None,
    inputs=None,
    settings: dict | None = None,
    today: date | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """:func:`register` read from the database: the published signed-in figures of the
    current data version (published first if need be). ``verdicts``: the period's
    published signed-in figures when the caller has them already."""
    from csa import config as csa_config
    from csa import publish

    key = publish.ensure(db, settings or csa_config.load())
    if verdicts is None:
        verdicts = publish.read(db, key, "signed_in", periods=[period_label])
    plans = db.plans()
    contents = db.latest_plan_contents(plans["id"]) if not plans.empty else {}
    indicators = inputs.indicators if inputs is not None else db.indicators()
    areas = inputs.areas if inputs is not None else db.areas()
    return register(
        verdicts,
        plans,
        contents,
        plan_figures(db, key, plans),
        indicators,
        areas,
        period_label,
        today=today,
        actor=actor,
    )


def flags_for_period(
    db,
    period_label: str,
    today: date | None = None,
    *,
    verdicts: pd.DataFrame | None = None,
    inputs=None,
    settings: dict | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """Per indicator, what the overview should flag: plan state, overdue plan, overdue
    actions (count), missed trajectory (count) and the flag words.

    Columns: :data:`FLAG_COLUMNS`. Only indicators critical somewhere or with an open plan
    appear."""
    reg = register_for_period(
        db,
        period_label,
        verdicts=verdicts,
        inputs=inputs,
        settings=settings,
        today=today,
        actor=actor,
    )
    return reg[FLAG_COLUMNS].reset_index(drop=True)
