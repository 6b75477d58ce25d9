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
from csa.areas import aggregate
from csa.plans.content import DONE_STATUSES
from csa.plans.workflow import NONE_YET, STATE_WORDS

#: Columns of :func:`register` (and :func:`flags_for_period`).
REGISTER_COLUMNS = [
    "indicator_code",
    "indicator_title",
    "area_code",
    "area_name",
    "lead_org_code",
    "critical",
    "rag",
    "label",
    "value",
    "target",
    "plan_id",
    "plan_state",
    "state_words",
    "review_date",
    "plan_overdue",
    "overdue_actions",
    "missed_trajectory",
    "missed_periods",
    "flags",
]
FLAG_COLUMNS = [
    "indicator_code",
    "area_code",
    "plan_id",
    "plan_state",
    "critical",
    "plan_overdue",
    "overdue_actions",
    "missed_trajectory",
    "flags",
]


def _today(today: date | None) -> date:
    return today or date.today()


def _as_date(value) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
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
        due = _as_date(action.get("due_date"))
        if due is not None and due < today and action.get("status") not in DONE_STATUSES:
            out.append(dict(action) | {"number": i, "days_overdue": (today - due).days})
    return out


def plan_overdue(state: str, review_date, today: date | None = None) -> bool:
    """True when a plan that is not closed has passed its review date."""
    due = _as_date(review_date)
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


def area_series(inputs, indicator_code: str, area_codes, periods=None) -> pd.DataFrame:
    """One indicator's figures for just the areas asked for (groupings aggregated from their
    members by :func:`csa.areas.aggregate`, never averaged), optionally only some periods.

    Returns area_code, period_label, numerator, denominator, value (not sorted)."""
    cols = ["area_code", "period_label", "numerator", "denominator", "value"]
    inds = inputs.indicators.set_index("code")
    if indicator_code not in inds.index:
        return pd.DataFrame(columns=cols)
    obs = inputs.observations[inputs.observations["indicator_code"] == indicator_code]
    if periods is not None:
        obs = obs[obs["period_label"].isin(set(periods))]
    wanted = set(area_codes)
    groups = wanted & set(inputs.area_members["group_code"])
    parts = [obs.loc[obs["area_code"].isin(wanted - groups), cols]]
    if groups and not obs.empty:
        agg = aggregate(
            obs,
            inputs.area_members,
            inds.loc[indicator_code, "unit"],
            float(inds.loc[indicator_code, "multiplier"]),
            group_codes=groups,
        )
        parts.append(agg[cols])
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def figures_for(inputs, pairs) -> dict[tuple[str, str], dict[str, float]]:
    """{(indicator, area): {period: value}} for the pairs asked for, groupings aggregated
    from their members as everywhere else (:func:`csa.areas.aggregate`)."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    wanted = {(str(i), str(a)) for i, a in pairs}
    for code in sorted({i for i, _a in wanted}):
        areas = {a for i, a in wanted if i == code}
        full = area_series(inputs, code, areas)
        for area in areas:
            here = full[full["area_code"] == area]
            out[(code, area)] = dict(
                zip(here["period_label"], pd.to_numeric(here["value"]).astype(float), strict=True)
            )
    return out


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


def register(
    verdicts: pd.DataFrame,
    plans: pd.DataFrame,
    contents: Mapping[int, Mapping],
    figures: Mapping[tuple[str, str], Mapping[str, float]],
    indicators: pd.DataFrame,
    areas: pd.DataFrame,
    period_label: str,
    today: date | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """The recovery-plan register for a period.

    One row for every indicator x area flagged critical in ``period_label`` (with its plan,
    or "none yet"), plus every open plan whose indicator is not critical there now (a plan
    keeps being tracked until it is closed).

    Parameters
    ----------
    verdicts : DataFrame
        :func:`csa.assess.to_frame` for the period (other periods are ignored).
    plans : DataFrame
        :meth:`csa.db.plans.PlanGateway.plans`.
    contents : mapping
        plan id -> latest content (:meth:`~csa.db.plans.PlanGateway.latest_plan_contents`).
    figures : mapping
        (indicator, area) -> {period: value} (:func:`figures_for`).
    indicators, areas : DataFrame
        The reference tables (titles, polarity, public flag, names).
    today : date, optional
        For overdue checks; defaults to the current date.
    actor : Actor, optional
        Restricted indicators are left out unless the actor may see them.
    """
    today = _today(today)
    inds = indicators.set_index("code")
    names = dict(zip(areas["code"], areas["name"], strict=True))
    v = verdicts[verdicts["period_label"] == period_label]
    critical = v[v["critical"].astype(bool)]
    keyed = {(r.indicator_code, r.area_code): r for r in v.itertuples(index=False)}

    chosen: dict[tuple[str, str], dict | None] = {}
    plan_rows = plans.sort_values("id", ascending=False).to_dict("records")
    for key in zip(critical["indicator_code"], critical["area_code"], strict=True):
        chosen[key] = None
    for p in plan_rows:  # newest first: the first open plan per pair wins
        key = (p["indicator_code"], p["area_code"])
        current = chosen.get(key)
        if p["state"] != "closed":
            if current is None or current["state"] == "closed":
                chosen[key] = p
        elif key in chosen and current is None and p["period_label"] == period_label:
            chosen[key] = p  # closed during this period: shown as closed

    rows = []
    for (code, area), plan in chosen.items():
        if code not in inds.index:
            continue
        ind = inds.loc[code]
        if actor is not None and not can_see_indicator(
            actor, bool(ind["public"]), ind["lead_org_code"]
        ):
            continue
        verdict = keyed.get((code, area))
        content = contents.get(int(plan["id"]), {}) if plan else {}
        state = plan["state"] if plan else NONE_YET
        overdue = overdue_actions(content, today) if state != "closed" else []
        missed = (
            missed_trajectory(
                content.get("trajectory"), figures.get((code, area), {}), ind["polarity"]
            )
            if plan and state != "closed"
            else []
        )
        review = _as_date(plan["review_date"]) if plan else None
        row = {
            "indicator_code": code,
            "indicator_title": ind["title"],
            "area_code": area,
            "area_name": names.get(area, area),
            "lead_org_code": ind["lead_org_code"],
            "critical": bool(verdict.critical) if verdict is not None else False,
            "rag": verdict.rag if verdict is not None else "grey",
            "label": verdict.label if verdict is not None else "No figure",
            "value": verdict.value if verdict is not None else None,
            "target": verdict.target if verdict is not None else None,
            "plan_id": int(plan["id"]) if plan else None,
            "plan_state": state,
            "state_words": STATE_WORDS[state],
            "review_date": review.isoformat() if review else None,
            "plan_overdue": plan_overdue(state, review, today) if plan else False,
            "overdue_actions": len(overdue),
            "missed_trajectory": len(missed),
            "missed_periods": ", ".join(m["period_label"] for m in missed),
        }
        row["flags"] = _flag_words(row)
        rows.append(row)
    out = pd.DataFrame(rows, columns=REGISTER_COLUMNS)
    if out.empty:
        return out
    order = {
        "none yet": 0,
        "returned": 1,
        "draft": 2,
        "submitted": 3,
        "approved": 4,
        "monitoring": 5,
        "closed": 6,
    }
    out["_o"] = out["plan_state"].map(order)
    out["_n"] = -(
        out["overdue_actions"] + out["missed_trajectory"] + out["plan_overdue"].astype(int)
    )
    out = out.sort_values(["_n", "_o", "indicator_code", "area_name"])
    return out.drop(columns=["_o", "_n"]).reset_index(drop=True)


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
    """:func:`register` read from the database (pass ``verdicts``/``inputs`` when the caller
    has them cached, as the pages do)."""
    from csa import config as csa_config
    from csa.assess import Inputs, assess, to_frame

    inputs = inputs if inputs is not None else Inputs.from_db(db)
    if verdicts is None:
        verdicts = to_frame(
            assess(inputs, settings or csa_config.load(), period_labels=[period_label])
        )
    plans = db.plans()
    contents = db.latest_plan_contents(plans["id"]) if not plans.empty else {}
    pairs = set(zip(plans["indicator_code"], plans["area_code"], strict=True))
    figures = figures_for(inputs, pairs)
    return register(
        verdicts,
        plans,
        contents,
        figures,
        inputs.indicators,
        inputs.areas,
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
    """Per indicator x area, what the overview should flag: plan state, overdue plan,
    overdue actions (count), missed trajectory (count) and the flag words.

    Columns: :data:`FLAG_COLUMNS`. Only rows with a critical verdict or an open plan appear.
    """
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
