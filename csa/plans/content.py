"""What a recovery plan holds, and checking it.

A plan's content is a plain JSON-able dict, stored whole in every version:

``evidence``
    What the data said when the plan was drafted (:func:`csa.plans.evidence.build_evidence`):
    read-only, never edited by hand.
``root_causes``, ``risks``
    Lists of short statements, one per line as typed.
``actions``
    Rows with ``description``, ``owner_org`` (the owner organisation: a partner code such as
    ``LVRN`` or a name), ``owner`` (a person or post), ``due_date`` (ISO ``YYYY-MM-DD``) and
    ``status`` (one of :data:`ACTION_STATUSES`).
``trajectory``
    The expected recovery, ``{period label: value}``, in the indicator's unit, for each
    period after the plan was raised until the indicator is back on track.
``resources``
    Free text: money, people and time committed.
``review_date``
    ISO date when the strategy group reviews progress.
``progress_note``
    Free text updated while the plan is monitored.

A draft may be incomplete, but whatever is there must be well formed (a date is a date, a
status is a known status). Submission needs the whole plan: see :func:`problems`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

import pandas as pd

ACTION_STATUSES = ("not started", "in progress", "complete", "dropped")
#: Statuses that end an action: a finished action is never overdue.
DONE_STATUSES = frozenset({"complete", "dropped"})
ACTION_FIELDS = ("description", "owner_org", "owner", "due_date", "status")
#: Fields the lead may change once the strategy group has approved the plan (progress).
PROGRESS_FIELDS = frozenset({"progress_note", "review_date"})
EDITABLE_FIELDS = (
    "root_causes",
    "actions",
    "trajectory",
    "risks",
    "resources",
    "review_date",
    "progress_note",
)
SCHEMA = 1
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


class PlanContentError(ValueError):
    """The plan content is not acceptable; ``problems`` lists every reason in plain words."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def new_content(evidence: Mapping) -> dict:
    """An empty plan around the evidence (the pre-filled first draft)."""
    return {
        "schema": SCHEMA,
        "evidence": dict(evidence),
        "root_causes": [],
        "actions": [],
        "trajectory": {},
        "risks": [],
        "resources": "",
        "review_date": None,
        "progress_note": "",
    }


# -- parsing what people typed -----------------------------------------------------------
def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value) is True:
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def parse_date(value, what: str) -> str | None:
    """An ISO date string from a date, a datetime, a Timestamp or ``YYYY-MM-DD`` text.

    Raises ValueError naming ``what`` for anything else; blank gives None."""
    if _blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return date.fromisoformat(
            text[:10] if len(text) > 10 and text[10] in "T " else text
        ).isoformat()
    except ValueError:
        raise ValueError(
            f"{what} {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31"
        ) from None


def lines(text: str | Iterable[str] | None) -> list[str]:
    """Non-blank lines, stripped (a list passes through, cleaned the same way)."""
    if text is None:
        return []
    items = text.splitlines() if isinstance(text, str) else list(text)
    return [str(s).strip().lstrip("-•* ").strip() for s in items if str(s).strip()]


def parse_actions(rows: pd.DataFrame | Iterable[Mapping]) -> list[dict]:
    """Actions from an edited table (a DataFrame or a list of dicts).

    Blank rows are dropped. Raises :class:`PlanContentError` listing every malformed cell
    (row numbers count from 1, as the table shows them)."""
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    out, problems = [], []
    for i, rec in enumerate(records, start=1):
        if all(_blank(rec.get(f)) for f in ACTION_FIELDS):
            continue
        action = {
            f: ("" if _blank(rec.get(f)) else str(rec.get(f)).strip())
            for f in ("description", "owner_org", "owner")
        }
        try:
            action["due_date"] = parse_date(rec.get("due_date"), f"Action {i}: due date")
        except ValueError as exc:
            problems.append(str(exc))
            action["due_date"] = None
        status = "not started" if _blank(rec.get("status")) else str(rec["status"]).strip()
        if status.lower() not in ACTION_STATUSES:
            problems.append(
                f"Action {i}: status {status!r} is not one of {', '.join(ACTION_STATUSES)}."
            )
        action["status"] = status.lower()
        out.append(action)
    if problems:
        raise PlanContentError(problems)
    return out


def _number(value) -> float:
    """A number from a cell: ``1,234.5`` (thousands separators) is fine, ``2,9`` is not."""
    if isinstance(value, str):
        text = value.strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        return float(text)
    return float(value)


def parse_trajectory(rows: pd.DataFrame | Mapping | Iterable[Mapping]) -> dict[str, float]:
    """``{period: value}`` from a table with columns period_label and value (or a mapping).

    Rows with no value are dropped (quarters left blank); raises :class:`PlanContentError` for a value that is not a
    number or a period given twice."""
    if isinstance(rows, Mapping):
        records = [{"period_label": k, "value": v} for k, v in rows.items()]
    elif isinstance(rows, pd.DataFrame):
        records = rows.to_dict("records")
    else:
        records = list(rows)
    out: dict[str, float] = {}
    problems = []
    for i, rec in enumerate(records, start=1):
        period, value = rec.get("period_label"), rec.get("value")
        if _blank(value):
            continue  # a quarter left blank: past the recovery, or no expectation
        if _blank(period):
            problems.append(f"Trajectory row {i}: the period is missing.")
            continue
        period = str(period).strip()
        try:
            number = _number(value)
        except (TypeError, ValueError):
            problems.append(f"Trajectory {period}: {value!r} is not a number.")
            continue
        if not math.isfinite(number):
            problems.append(f"Trajectory {period}: {value!r} is not a number.")
            continue
        if period in out:
            problems.append(f"Trajectory {period}: the period is given twice.")
            continue
        out[period] = number
    if problems:
        raise PlanContentError(problems)
    return out


# -- checking a whole plan -----------------------------------------------------------------
def _worse(value: float, target: float, polarity: str) -> bool:
    if polarity == "low_is_good":
        return value > target
    if polarity == "high_is_good":
        return value < target
    return False


def problems(content: Mapping, *, periods: list[str], for_submit: bool = False) -> list[str]:
    """Every reason the plan is not acceptable, in plain words (empty: acceptable).

    Parameters
    ----------
    content : mapping
        The plan content (see the module docstring).
    periods : list of str
        Period labels the trajectory may use, in order (those after the plan's period).
    for_submit : bool
        Submission needs root causes, actions with every field, a trajectory that reaches
        the target, and a review date; a draft only needs what is there to be well formed.
    """
    out: list[str] = []
    evidence = content.get("evidence") or {}
    unit = evidence.get("unit", "count")
    polarity = evidence.get("polarity", "no_judgement")
    target = (evidence.get("figures") or {}).get("target")

    # actions: well formed always, complete when submitting
    for i, action in enumerate(content.get("actions") or [], start=1):
        status = action.get("status")
        if status not in ACTION_STATUSES:
            out.append(f"Action {i}: status {status!r} is not one of {', '.join(ACTION_STATUSES)}.")
        if action.get("due_date"):
            try:
                parse_date(action["due_date"], f"Action {i}: due date")
            except ValueError as exc:
                out.append(str(exc))
        if for_submit:
            missing = [
                name
                for name, key in (
                    ("what will be done", "description"),
                    ("owner organisation", "owner_org"),
                    ("owner", "owner"),
                    ("due date", "due_date"),
                )
                if _blank(action.get(key))
            ]
            if missing:
                out.append(f"Action {i}: give the {', the '.join(missing)}.")

    # trajectory: known periods after the plan's, sensible values
    trajectory = content.get("trajectory") or {}
    allowed = list(periods)
    for period, value in trajectory.items():
        if period not in allowed:
            first = f" (from {allowed[0]})" if allowed else ""
            out.append(f"Trajectory {period}: not a period after the plan was raised{first}.")
            continue
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            out.append(f"Trajectory {period}: {value!r} is not a number.")
        elif value < 0:
            out.append(f"Trajectory {period}: {value:g} is negative; figures cannot be.")
        elif unit == "percentage" and value > 100:
            out.append(f"Trajectory {period}: {value:g}% is more than 100%.")

    review = content.get("review_date")
    if review:
        try:
            parse_date(review, "Review date")
        except ValueError as exc:
            out.append(str(exc))

    if for_submit:
        if not lines(content.get("root_causes")):
            out.append(
                "Root causes: give at least one (what the partners think is driving the figures)."
            )
        if not content.get("actions"):
            out.append(
                "Actions: give at least one, with its owner organisation, owner and due date."
            )
        if not trajectory:
            out.append(
                "Trajectory: give the expected value for each period until the "
                "indicator is back on track."
            )
        elif target is not None and polarity in ("low_is_good", "high_is_good"):
            ordered = [p for p in allowed if p in trajectory]
            if ordered and _worse(trajectory[ordered[-1]], float(target), polarity):
                out.append(
                    f"Trajectory: the last expected value ({trajectory[ordered[-1]]:g} "
                    f"in {ordered[-1]}) does not reach the target ({target:g}); "
                    f"continue it until the indicator is back on track."
                )
        if not review:
            out.append("Review date: set the date the strategy group will review progress.")
    return out


def check(content: Mapping, *, periods: list[str], for_submit: bool = False) -> None:
    """Raise :class:`PlanContentError` unless :func:`problems` finds none."""
    found = problems(content, periods=periods, for_submit=for_submit)
    if found:
        raise PlanContentError(found)


def changed_fields(old: Mapping, new: Mapping) -> set[str]:
    """Which editable fields differ between two contents (actions compared field by field)."""
    return {f for f in EDITABLE_FIELDS if (old.get(f) or None) != (new.get(f) or None)}


def progress_only_problems(old: Mapping, new: Mapping) -> list[str]:
    """Once approved, only progress may change: action statuses, the progress note and the
    review date. New actions may be added; approved ones may not be rewritten or removed.

    Returns the reasons a progress update changes more than that (empty: it does not)."""
    out = []
    for name in ("root_causes", "trajectory", "risks", "resources"):
        if (old.get(name) or None) != (new.get(name) or None):
            out.append(
                f"{name.replace('_', ' ').capitalize()} were approved by the strategy "
                f"group and cannot change during monitoring; record the change in the "
                f"progress note, or close this plan and draft a new one."
            )
    old_actions, new_actions = old.get("actions") or [], new.get("actions") or []
    if len(new_actions) < len(old_actions):
        out.append("Approved actions cannot be removed; set their status to 'dropped'.")
    for i, (a, b) in enumerate(zip(old_actions, new_actions, strict=False), start=1):
        fixed = [
            f
            for f in ("description", "owner_org", "owner", "due_date")
            if (a.get(f) or None) != (b.get(f) or None)
        ]
        if fixed:
            out.append(
                f"Action {i}: only its status can change during monitoring (not the "
                f"{', '.join(f.replace('_', ' ') for f in fixed)}); add a new action "
                f"instead."
            )
    return out


def suggest_trajectory(
    latest: float | None, target: float | None, periods: list[str], polarity: str, steps: int = 4
) -> dict[str, float]:
    """A starting point for the lead: a straight line from the latest figure to the target,
    reached after ``steps`` periods (``{}`` when there is no target, no figure, no direction,
    or the figure already meets the target).

    E.g. latest 3.0, target 2.5, four steps: 2.875, 2.75, 2.625, 2.5."""
    if latest is None or target is None or polarity not in ("low_is_good", "high_is_good"):
        return {}
    if not _worse(float(latest), float(target), polarity):
        return {}
    steps = max(1, min(int(steps), len(periods)))
    gap = float(target) - float(latest)
    return {periods[i]: round(float(latest) + gap * (i + 1) / steps, 6) for i in range(steps)}
