"""Running a strategic assessment round: every write, checked and audited.

Each function takes the acting :class:`~csa.access.Actor`, checks the ``edit_assessment``
permission first (analysts and admins), validates the whole input, and writes in one
transaction with an audit entry, or writes nothing and raises
:class:`~csa.strategic.scoring.AssessmentError` listing every problem.

A round is ``open`` while scores are being entered and ``agreed`` once the partnerships
have agreed their priorities; an agreed round is locked until it is reopened.
"""

from __future__ import annotations

import hashlib

import pandas as pd
from sqlalchemy import insert

from csa.access import Actor, require
from csa.db.core import utcnow
from csa.models import Upload
from csa.strategic.model import default_criteria, default_issues
from csa.strategic.scoring import CODE_PATTERN, AssessmentError, check_score, validate_criteria

ACTION = "edit_assessment"
STATUSES = ("open", "agreed")
SOURCES = ("entered", "suggested", "uploaded")
MAX_PRIORITIES = 10


def partnership_codes(db) -> list[str]:
    """The 14 partnership areas (districts and unitaries), in display order."""
    areas = db.areas()
    return list(areas[areas["kind"].isin(["district", "unitary"])]["code"])


def get_round(db, name: str, conn=None) -> dict:
    """The round called ``name``; raises AssessmentError naming the rounds there are."""
    found = db.assessment_round(name, conn)
    if found is None:
        names = ", ".join(repr(n) for n in db.assessment_rounds()["name"]) or "none yet"
        raise AssessmentError(f"There is no assessment round {name!r}.", [f"rounds: {names}"])
    return found


def _open_round(db, name: str, conn=None) -> dict:
    rnd = get_round(db, name, conn)
    if rnd["status"] != "open":
        raise AssessmentError(
            f"{name} is {rnd['status']}: its scores and priorities are locked.",
            ["reopen the round to change them"],
        )
    return rnd


def create_round(
    db, actor: Actor, name: str, year: int, *, copy_from: str | None = None, data_kind: str = "real"
) -> int:
    """A new open round with the model of ``copy_from`` (criteria and issues, no scores) or
    the default model. Returns its id."""
    name = (name or "").strip()
    require(actor, ACTION, db=db, target=f"assessment round {name}")
    problems = []
    if not name:
        problems.append("the round needs a name, e.g. 'Strategic assessment 2027'")
    elif len(name) > 120:
        problems.append("the name is longer than 120 characters")
    elif db.assessment_round(name) is not None:
        problems.append(f"a round called {name!r} already exists")
    try:
        year = int(year)
        if not 2000 <= year <= 2100:
            problems.append(f"year {year} is not between 2000 and 2100")
    except (TypeError, ValueError):
        problems.append(f"year {year!r} is not a whole number")
    if data_kind not in ("real", "demo"):
        problems.append(f"data kind {data_kind!r} must be 'real' or 'demo'")
    if problems:
        raise AssessmentError("The round was not created:", problems)
    if copy_from:
        source = get_round(db, copy_from)
        criteria = db.assessment_criteria(source["id"])
        issues = db.assessment_issues(source["id"])
    else:
        criteria, issues = default_criteria(), default_issues()
    validate_criteria(criteria)
    with db.transaction() as conn:
        round_id = db.insert_round(
            conn,
            name=name,
            year=year,
            status="open",
            data_kind=data_kind,
            created_by=actor.email,
            created_at=utcnow(),
        )
        db.replace_criteria(conn, round_id, criteria)
        db.upsert_issues(conn, round_id, issues)
        db.audit(
            conn,
            actor.email,
            "create_assessment_round",
            name,
            detail={"year": year, "copy_from": copy_from, "data_kind": data_kind},
        )
    return round_id


def save_criteria(db, actor: Actor, round_name: str, criteria: pd.DataFrame) -> None:
    """Replace the round's criteria and weights (the weights must sum to 1)."""
    require(actor, ACTION, db=db, target=f"assessment round {round_name}")
    rnd = _open_round(db, round_name)
    criteria = criteria.copy()
    criteria["code"] = criteria["code"].astype(str).str.strip()
    validate_criteria(criteria)
    with db.transaction() as conn:
        db.replace_criteria(conn, rnd["id"], criteria)
        db.audit(
            conn,
            actor.email,
            "edit_assessment_criteria",
            round_name,
            detail={c: float(w) for c, w in zip(criteria["code"], criteria["weight"], strict=True)},
        )


def save_issues(db, actor: Actor, round_name: str, issues: pd.DataFrame) -> dict[str, int]:
    """Add issues to the round, or change the name, theme and indicators of existing ones."""
    require(actor, ACTION, db=db, target=f"assessment round {round_name}")
    rnd = _open_round(db, round_name)
    themes = set(db.themes()["code"])
    indicators = set(db.indicators()["code"])
    problems, rows = [], []
    codes = [str(c).strip() for c in issues["code"]]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"issue code {code!r} is used more than once")
    for rec in issues.to_dict("records"):
        code = str(rec.get("code") or "").strip()
        if not CODE_PATTERN.match(code):
            problems.append(
                f"issue code {code!r} must start with a capital letter and use "
                "only capitals, digits, '_' or '-' (at most 24 characters)"
            )
        name = str(rec.get("name") or "").strip()
        if not name:
            problems.append(f"issue {code}: the name is empty")
        theme = rec.get("theme_code")
        theme = (
            None
            if theme is None or pd.isna(theme) or str(theme).strip() == ""
            else str(theme).strip()
        )
        if theme is not None and theme not in themes:
            problems.append(
                f"issue {code}: theme {theme!r} is not a CSA theme "
                f"(themes: {', '.join(sorted(themes))})"
            )
        linked = [c.strip() for c in str(rec.get("indicator_codes") or "").split(",") if c.strip()]
        unknown = [c for c in linked if c not in indicators]
        if unknown:
            problems.append(f"issue {code}: unknown indicator code(s) {', '.join(unknown)}")
        rows.append(
            {"code": code, "name": name, "theme_code": theme, "indicator_codes": ",".join(linked)}
        )
    if problems:
        raise AssessmentError("The issues were not saved:", problems)
    with db.transaction() as conn:
        counts = db.upsert_issues(conn, rnd["id"], pd.DataFrame(rows))
        db.audit(conn, actor.email, "edit_assessment_issues", round_name, detail=counts)
    return counts


def check_scores(db, rnd: dict, scores: pd.DataFrame) -> list[str]:
    """Every problem with ``scores`` (area_code, issue_code, criterion_code, score) for the
    round; an empty list when all can be written."""
    areas = db.areas()
    names = dict(zip(areas["code"], areas["name"], strict=True))
    partnerships = set(partnership_codes(db))
    issues = set(db.assessment_issues(rnd["id"])["code"])
    criteria = db.assessment_criteria(rnd["id"]).set_index("code")
    problems = []
    seen = set()
    for rec in scores.to_dict("records"):
        area, issue, crit = (
            str(rec.get("area_code")),
            str(rec.get("issue_code")),
            str(rec.get("criterion_code")),
        )
        where = f"{names.get(area, area)} / {issue} / {crit}"
        if area not in partnerships:
            problems.append(f"{where}: {area!r} is not one of the 14 partnership areas")
            continue
        if issue not in issues:
            problems.append(f"{where}: {issue!r} is not an issue of {rnd['name']}")
            continue
        if crit not in criteria.index:
            problems.append(f"{where}: {crit!r} is not a criterion of {rnd['name']}")
            continue
        if (area, issue, crit) in seen:
            problems.append(f"{where}: scored twice")
            continue
        seen.add((area, issue, crit))
        lo, hi = int(criteria.loc[crit, "scale_min"]), int(criteria.loc[crit, "scale_max"])
        why = check_score(rec.get("score"), lo, hi)
        if why:
            problems.append(f"{where}: {why}, expected a whole number from {lo} to {hi}")
    return problems


def save_scores(
    db,
    actor: Actor,
    round_name: str,
    scores: pd.DataFrame,
    *,
    source: str = "entered",
    upload: tuple[str, bytes] | None = None,
) -> dict[str, int]:
    """Write scores; all or nothing. ``upload`` = (file name, bytes) archives the file.

    Returns counts of new, changed and unchanged scores.
    """
    require(actor, ACTION, db=db, target=f"assessment round {round_name}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}")
    rnd = _open_round(db, round_name)
    problems = check_scores(db, rnd, scores)
    if problems:
        raise AssessmentError(
            f"No scores were saved: {len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''} to fix.",
            problems,
        )
    now = utcnow()
    with db.transaction() as conn:
        counts = db.upsert_scores(
            conn, rnd["id"], scores, source=source, user_email=actor.email, at=now
        )
        detail = {"source": source, **counts}
        if upload is not None:
            file_name, content = upload
            upload_id = conn.execute(
                insert(Upload)
                .values(
                    kind="ranking",
                    file_name=str(file_name)[:255],
                    sha256=hashlib.sha256(content).hexdigest(),
                    content=content,
                    user_email=actor.email,
                    created_at=now,
                    outcome="committed",
                    rows_total=len(scores),
                    rows_new=counts["new"],
                    rows_changed=counts["changed"],
                    rows_unchanged=counts["unchanged"],
                    message=f"Strategic assessment scores for {round_name}",
                )
                .returning(Upload.id)
            ).scalar_one()
            detail |= {"upload_id": int(upload_id), "file_name": str(file_name)}
        db.audit(conn, actor.email, "edit_assessment_scores", round_name, detail=detail)
    return counts


def agree_priorities(
    db, actor: Actor, round_name: str, area_code: str, issue_codes: list[str]
) -> None:
    """Record a partnership's agreed local priorities, first priority first."""
    require(actor, ACTION, db=db, target=f"assessment round {round_name}")
    rnd = _open_round(db, round_name)
    problems = []
    if area_code not in set(partnership_codes(db)):
        problems.append(f"{area_code!r} is not one of the 14 partnership areas")
    issues = set(db.assessment_issues(rnd["id"])["code"])
    codes = [str(c) for c in issue_codes]
    unknown = [c for c in codes if c not in issues]
    if unknown:
        problems.append(f"not issues of {round_name}: {', '.join(unknown)}")
    if len(set(codes)) != len(codes):
        problems.append("an issue is listed more than once")
    if not codes:
        problems.append("choose at least one priority")
    if len(codes) > MAX_PRIORITIES:
        problems.append(f"{len(codes)} priorities chosen; at most {MAX_PRIORITIES}")
    if problems:
        raise AssessmentError("The priorities were not saved:", problems)
    with db.transaction() as conn:
        db.replace_priorities(
            conn, rnd["id"], area_code, codes, user_email=actor.email, at=utcnow()
        )
        db.audit(
            conn,
            actor.email,
            "agree_assessment_priorities",
            f"{round_name} / {area_code}",
            detail={"priorities": codes},
        )


def set_status(db, actor: Actor, round_name: str, status: str) -> None:
    """Mark the round agreed (locking it) or open it again."""
    require(actor, ACTION, db=db, target=f"assessment round {round_name}")
    if status not in STATUSES:
        raise AssessmentError(f"Status {status!r} is not one of {', '.join(STATUSES)}.")
    rnd = get_round(db, round_name)
    with db.transaction() as conn:
        db.set_round_status_row(conn, rnd["id"], status)
        db.audit(
            conn,
            actor.email,
            "set_assessment_status",
            round_name,
            detail={"from": rnd["status"], "to": status},
        )
