"""The ranking matrix in Excel: export (matrix, ranks, aggregation) and upload of scores.

Export
------
:func:`export_workbook` writes one workbook: the **Scores** sheet (one row per partnership
and issue, one column per criterion code: the sheet to fill in and upload), the ranked
lists per partnership and policing area, the county aggregation, the agreed priorities,
the criteria, the issues and the method. Demo rounds say "DEMO DATA" at the top of every
sheet. Every text cell goes through :func:`csa.exports.neutralise`, so text that starts
with ``= + - @`` can never run as a formula.

Upload
------
:func:`read_scores` checks an uploaded workbook to the same standard as a return:

* the file itself first (:func:`csa.returns.safe_open.check_container`: size, a real .xlsx,
  not encrypted, no zip bomb by total uncompressed size or ratio, no macros, no DTDs), then
  opened with ``read_only=True, data_only=True``;
* then every cell, collecting **every** problem as ``sheet!cell: what is wrong, expected
  what`` (e.g. ``Scores!G7: 'high' is not a number, expected a whole number from 1 to 5
  (Severity of harm)``).

Empty score cells leave the stored score as it is. :func:`import_scores` writes nothing
unless there are no problems at all, and then writes every score in one transaction with
the file archived (upload kind ``ranking``) and audited.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from csa.access import Actor, require
from csa.exports import neutralise
from csa.returns.problems import Problem, cell_ref
from csa.returns.safe_open import Limits, check_container, open_workbook
from csa.strategic import rounds
from csa.strategic.results import RoundResults, priorities_with_links
from csa.strategic.scoring import AssessmentError, check_score

SCORES_SHEET = "Scores"
HEADER_SEARCH_ROWS = 20
MAX_ROWS = 5000
FIXED_COLUMNS = ("area_code", "area", "issue_code", "issue")
DEMO_NOTE = "DEMO DATA: synthetic scores for demonstration, not a real strategic assessment."
METHOD_LINES = [
    "Weighted score = 100 x sum of weight x (score - scale minimum) / (scale maximum - "
    "scale minimum) over the criteria; weights sum to 1; 0 = lowest on every criterion, "
    "100 = highest.",
    "An issue with any criterion unscored is incomplete and not ranked (it is listed with "
    "the missing criteria).",
    "Ranks: highest weighted score first; equal scores share a rank and the next rank is "
    "skipped (1, 2, 2, 4). Top five = ranks 1 to 5 (more than five issues on a tie).",
    "Policing areas: population-weighted mean of their partnerships' weighted scores, then "
    "ranked the same way.",
    "County aggregation: for each issue, how many of the 14 partnerships rank it in their "
    "top five, and the share of Lancashire's residents living in those partnerships (ONS "
    "mid-year estimates); county rank by that population share.",
    "Suggested volume score: percentile of the partnership's rate among the 14 on the "
    "issue's linked indicators, mapped onto the scale. Suggested trend score: change of the "
    "latest four quarters against the four before, in five bands from 10% or more down "
    "(lowest score) to 10% or more up (highest).",
    "Changes are against the previous round (the latest round of an earlier year).",
]


# -- export ------------------------------------------------------------------------------
def _write_table(ws, df: pd.DataFrame, start_row: int, widths: bool = True) -> None:
    for j, col in enumerate(df.columns, start=1):
        ws.cell(row=start_row, column=j, value=neutralise(str(col))).font = Font(bold=True)
    for i, row in enumerate(df.itertuples(index=False), start=start_row + 1):
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=_cell(value))
    if widths:
        for j, col in enumerate(df.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[get_column_letter(j)].width = min(width, 60)
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)


def _cell(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return neutralise(value)


def _notes(ws, lines: list[str]) -> int:
    """Write note lines from row 1; returns the row after a blank line."""
    for i, line in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=neutralise(line)).font = Font(bold=(i == 1))
    return len(lines) + 2


def score_matrix(res: RoundResults, partnership_codes) -> pd.DataFrame:
    """Wide table: one row per partnership and issue, one column per criterion code."""
    crit_codes = list(res.criteria["code"])
    cells = {
        (r.area_code, r.issue_code, r.criterion_code): r.score
        for r in res.scores.itertuples(index=False)
    }
    rows = []
    for area in partnership_codes:
        for issue in res.issues.to_dict("records"):
            row = {
                "area_code": area,
                "area": res.area_names.get(area, area),
                "issue_code": issue["code"],
                "issue": issue["name"],
            }
            for code in crit_codes:
                value = cells.get((area, issue["code"], code))
                row[code] = int(value) if value is not None else None
            rows.append(row)
    return pd.DataFrame(rows, columns=[*FIXED_COLUMNS, *crit_codes])


def ranked_table(ranked: pd.DataFrame, res: RoundResults) -> pd.DataFrame:
    df = ranked.copy()
    df.insert(1, "area", df["area_code"].map(lambda c: res.area_names.get(c, c)))
    keep = [
        "area_code",
        "area",
        "rank",
        "issue_code",
        "issue_name",
        "weighted_score",
        "top_five",
        "change",
        "previous_rank",
        "missing",
    ]
    return df[[c for c in keep if c in df.columns]]


def export_workbook(res: RoundResults, partnership_codes, indicators: pd.DataFrame) -> bytes:
    """The round as an .xlsx (see the module doc)."""
    wb = Workbook()
    wb.remove(wb.active)
    head = [f"{res.round['name']} ({res.round['status']})"]
    if res.is_demo:
        head.append(DEMO_NOTE)

    ws = wb.create_sheet(SCORES_SHEET)
    start = _notes(
        ws,
        [
            *head,
            "Enter a whole number on each criterion's scale (see the "
            "Criteria sheet). An empty cell keeps the stored score. Do "
            "not change the area_code and issue_code columns or the "
            "column headings.",
        ],
    )
    matrix = score_matrix(res, partnership_codes)
    _write_table(ws, matrix, start)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for j in range(len(FIXED_COLUMNS) + 1, matrix.shape[1] + 1):
        for i in range(start + 1, start + 1 + len(matrix)):
            ws.cell(row=i, column=j).fill = fill

    prev = f" Changes against {res.previous['name']}." if res.previous else ""
    tables = [
        (
            "Ranked by partnership",
            ranked_table(res.area_ranked, res),
            "Issues ranked within each partnership." + prev,
        ),
        (
            "Ranked by policing area",
            ranked_table(res.pa_ranked, res),
            "Population-weighted mean of the partnerships' weighted scores." + prev,
        ),
        (
            "County aggregation",
            _county_table(res.county),
            "How many partnerships rank each issue in their top five, weighted by population "
            "(matrix ranks)." + prev,
        ),
        (
            "County from priorities",
            _county_table(res.county_priorities),
            "The same roll-up from the partnerships' agreed priorities.",
        ),
        (
            "Agreed priorities",
            priorities_with_links(res, indicators),
            "Each partnership's agreed priorities with their CSA theme and indicators.",
        ),
        ("Criteria", res.criteria.drop(columns=["id", "round_id"]), "The scoring model."),
        ("Issues", res.issues.drop(columns=["id", "round_id"]), "The issues ranked."),
    ]
    for title, df, note in tables:
        ws = wb.create_sheet(title[:31])
        _write_table(ws, df, _notes(ws, [*head, note]))
    ws = wb.create_sheet("Method")
    _notes(ws, [*head, *METHOD_LINES])
    ws.column_dimensions["A"].width = 120
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _county_table(county: pd.DataFrame) -> pd.DataFrame:
    keep = [
        "county_rank",
        "issue_code",
        "partnerships_top5",
        "population_top5",
        "population_share",
        "county_top_five",
        "change",
        "previous_rank",
        "partnerships",
    ]
    return county[[c for c in keep if c in county.columns]]


# -- upload ------------------------------------------------------------------------------
@dataclass
class ParsedScores:
    """Scores read from an upload: ``rows`` (area_code, issue_code, criterion_code, score,
    cell) and every problem found; ``blank`` counts empty score cells (kept as stored)."""

    rows: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    blank: int = 0

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


class ScoresRejected(AssessmentError):
    """The uploaded workbook has problems: nothing was written."""

    def __init__(self, file_name: str, problems: list[Problem]):
        n = len(problems)
        super().__init__(
            f"{file_name} was rejected: {n} problem{'s' if n != 1 else ''} to "
            "fix; nothing was written.",
            [str(p) for p in problems],
        )
        self.file_name = file_name
        self.problem_list = problems


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_scores(
    content: bytes,
    criteria: pd.DataFrame,
    issue_codes,
    partnership_codes,
    limits: Limits,
    area_names: dict[str, str] | None = None,
) -> ParsedScores:
    """Check and read the Scores sheet of an uploaded workbook (see the module doc)."""
    empty = pd.DataFrame(columns=["area_code", "issue_code", "criterion_code", "score", "cell"])
    problems = check_container(content, limits)
    if problems:
        return ParsedScores(empty, problems)
    try:
        with open_workbook(content) as wb:
            if SCORES_SHEET not in wb.sheetnames:
                sheets = ", ".join(repr(s) for s in wb.sheetnames)
                return ParsedScores(
                    empty,
                    [
                        Problem(
                            "workbook",
                            f"there is no sheet named '{SCORES_SHEET}' (sheets: {sheets})",
                            f"the '{SCORES_SHEET}' sheet of a matrix exported from the dashboard",
                        )
                    ],
                )
            values = []
            for i, row in enumerate(wb[SCORES_SHEET].iter_rows(values_only=True), start=1):
                if i > MAX_ROWS + HEADER_SEARCH_ROWS:
                    return ParsedScores(
                        empty,
                        [
                            Problem(
                                SCORES_SHEET,
                                f"the sheet has more than {MAX_ROWS} rows",
                                f"at most {MAX_ROWS} rows (14 partnerships x the round's issues)",
                            )
                        ],
                    )
                values.append(tuple(row))
    except Exception as exc:  # openpyxl's own failures on a malformed workbook
        return ParsedScores(
            empty,
            [
                Problem(
                    "file",
                    f"the workbook could not be read ({type(exc).__name__})",
                    "an .xlsx saved by Excel that opens without errors",
                )
            ],
        )
    return _parse_rows(
        values, criteria, list(issue_codes), list(partnership_codes), area_names or {}
    )


def _parse_rows(values, criteria, issue_codes, partnerships, area_names) -> ParsedScores:
    problems: list[Problem] = []
    crit = criteria.set_index(criteria["code"].astype(str))
    header_row = next(
        (
            i
            for i, row in enumerate(values[:HEADER_SEARCH_ROWS], start=1)
            if row and _text(row[0]).lower() == "area_code"
        ),
        None,
    )
    empty = pd.DataFrame(columns=["area_code", "issue_code", "criterion_code", "score", "cell"])
    if header_row is None:
        return ParsedScores(
            empty,
            [
                Problem(
                    f"{SCORES_SHEET}!A1:A{HEADER_SEARCH_ROWS}",
                    "no header row with 'area_code' in column A",
                    "the header row of the exported matrix: area_code, area, issue_code, issue, "
                    "then one column per criterion code",
                )
            ],
        )
    header = values[header_row - 1]
    columns: dict[str, int] = {}
    crit_cols: dict[int, str] = {}
    for j, raw in enumerate(header):
        name = _text(raw)
        if not name:
            continue
        ref = cell_ref(SCORES_SHEET, get_column_letter(j + 1), header_row)
        lower = name.lower()
        if lower in FIXED_COLUMNS:
            columns.setdefault(lower, j)
            continue
        code = name.upper()
        if code in crit.index:
            if code in crit_cols.values():
                problems.append(
                    Problem(ref, f"criterion {code} has a second column", "each criterion once")
                )
            else:
                crit_cols[j] = code
            continue
        problems.append(
            Problem(
                ref,
                f"column heading {name!r} is not a criterion of this round",
                f"one of {', '.join(crit.index)} (or area_code, area, issue_code, issue)",
            )
        )
    for required in ("area_code", "issue_code"):
        if required not in columns:
            problems.append(
                Problem(
                    cell_ref(SCORES_SHEET, "A", header_row),
                    f"there is no '{required}' column",
                    "the columns of the exported matrix",
                )
            )
    if not crit_cols:
        problems.append(
            Problem(
                cell_ref(SCORES_SHEET, "E", header_row),
                "there is no criterion column",
                f"columns headed with criterion codes ({', '.join(crit.index)})",
            )
        )
    if problems:
        return ParsedScores(empty, problems)
    rows, blank, seen = [], 0, {}
    partner_set, issue_set = set(partnerships), set(issue_codes)
    a_col, i_col = columns["area_code"], columns["issue_code"]
    for r, row in enumerate(values[header_row:], start=header_row + 1):
        cells = list(row) + [None] * (len(header) - len(row))
        if all(_text(v) == "" for v in cells):
            continue
        area, issue = _text(cells[a_col]), _text(cells[i_col]).upper()
        a_ref = cell_ref(SCORES_SHEET, get_column_letter(a_col + 1), r)
        i_ref = cell_ref(SCORES_SHEET, get_column_letter(i_col + 1), r)
        ok = True
        if area not in partner_set:
            problems.append(
                Problem(
                    a_ref,
                    f"{area!r} is not a partnership area code"
                    if area
                    else "the area code is empty",
                    "one of the 14 codes, e.g. E07000117 (Burnley)",
                )
            )
            ok = False
        if issue not in issue_set:
            problems.append(
                Problem(
                    i_ref,
                    f"{issue!r} is not an issue of this round"
                    if issue
                    else "the issue code is empty",
                    f"one of {', '.join(issue_codes)}",
                )
            )
            ok = False
        if ok and (area, issue) in seen:
            problems.append(
                Problem(
                    a_ref,
                    f"{area_names.get(area, area)} / {issue} is "
                    f"already on row {seen[(area, issue)]}",
                    "each partnership and issue on one row only",
                )
            )
            ok = False
        if ok:
            seen[(area, issue)] = r
        for j, code in crit_cols.items():
            value = cells[j] if j < len(cells) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                blank += 1
                continue
            lo, hi = int(crit.loc[code, "scale_min"]), int(crit.loc[code, "scale_max"])
            ref = cell_ref(SCORES_SHEET, get_column_letter(j + 1), r)
            why = check_score(value.strip() if isinstance(value, str) else value, lo, hi)
            if why:
                problems.append(
                    Problem(
                        ref, why, f"a whole number from {lo} to {hi} ({crit.loc[code, 'name']})"
                    )
                )
                continue
            if ok:
                rows.append(
                    {
                        "area_code": area,
                        "issue_code": issue,
                        "criterion_code": code,
                        "score": int(float(value)),
                        "cell": ref,
                    }
                )
    if not rows and not problems:
        problems.append(
            Problem(SCORES_SHEET, "no scores were found below the header row", "at least one score")
        )
    return ParsedScores(pd.DataFrame(rows, columns=empty.columns), problems, blank)


def preview(db, round_name: str, parsed: ParsedScores) -> pd.DataFrame:
    """The parsed scores with the stored score and whether each is new, changed or the same."""
    rnd = rounds.get_round(db, round_name)
    current = db.assessment_scores(rnd["id"])
    cur = {
        (a, i, c): s
        for a, i, c, s in current[
            ["area_code", "issue_code", "criterion_code", "score"]
        ].itertuples(index=False)
    }
    df = parsed.rows.copy()
    df["stored"] = [
        cur.get((a, i, c))
        for a, i, c in df[["area_code", "issue_code", "criterion_code"]].itertuples(index=False)
    ]
    df["change"] = [
        "new" if s is None else ("unchanged" if float(s) == float(v) else "changed")
        for s, v in zip(df["stored"], df["score"], strict=True)
    ]
    return df


def import_scores(
    db, actor: Actor, round_name: str, content: bytes, file_name: str, settings: dict
) -> dict[str, int]:
    """Check the upload and write every score, or nothing (raises :class:`ScoresRejected`)."""
    require(actor, rounds.ACTION, db=db, target=f"assessment round {round_name}")
    rnd = rounds.get_round(db, round_name)
    areas = db.areas()
    parsed = read_scores(
        content,
        db.assessment_criteria(rnd["id"]),
        db.assessment_issues(rnd["id"])["code"],
        rounds.partnership_codes(db),
        Limits.from_settings(settings),
        dict(zip(areas["code"], areas["name"], strict=True)),
    )
    if not parsed.ok:
        db.record_audit(
            actor.email,
            "edit_assessment_scores",
            round_name,
            outcome="failed",
            detail={"file_name": file_name, "problems": len(parsed.problems)},
        )
        raise ScoresRejected(file_name, parsed.problems)
    scores = parsed.rows.drop(columns="cell")
    return rounds.save_scores(
        db, actor, round_name, scores, source="uploaded", upload=(file_name, content)
    )
