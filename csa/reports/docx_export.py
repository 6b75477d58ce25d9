"""Word documents (python-docx): a recovery plan, and the quarterly board pack.

Both are written to be circulated as they are: a title page block, numbered sections,
tables with a header row that repeats across pages, charts as PNG images
(:mod:`csa.reports.charts`), the status in words and icon as well as colour, page numbers
in the footer, and a demo-data warning wherever synthetic figures appear.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from csa import formatting
from csa.plans.contributions import describe
from csa.plans.workflow import NONE_YET, STATE_WORDS
from csa.reports import charts
from csa.reports.board_pack import RAG_WORDS, BoardPack, Item, Section, plan_summary

RAG_COLOURS = {"red": "B10E1E", "amber": "8A5A00", "green": "00703C", "grey": "505A5F"}
DEMO_WARNING = (
    "DEMO DATA: some figures in this document are synthetic, generated to "
    "demonstrate the dashboard. They are not real Lancashire statistics."
)
#: A4 portrait with 2 cm margins: 17 cm of text width for tables and charts.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_CM = 2.0
TEXT_WIDTH_CM = 21.0 - 2 * MARGIN_CM
IMAGE_WIDTH = Cm(16.5)
#: Rough width of a bold Arial character per point of font size, and a cell's side padding
#: (Word's default 0.19 cm each side), to size columns so that no header word is split.
CHAR_CM_PER_PT = 0.0215
CELL_PADDING_CM = 0.45


def fmt(value, unit: str = "count") -> str:
    """A number as :mod:`csa.formatting` writes it (the one formatter)."""
    return formatting.figure(value, unit)


# -- document furniture --------------------------------------------------------------------
def _page_number(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _new_document(title: str, header_text: str) -> Document:
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = header_text
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    for section in doc.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
        head = section.header.paragraphs[0]
        head.text = header_text
        head.runs[0].font.size = Pt(8.5)
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run(f"{title} · page ").font.size = Pt(8.5)
        _page_number(foot)
    return doc


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    props.append(el)


def _cell_text(value, unit: str | None = None) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return formatting.figure(value, unit or "count")
    return str(value)


def column_widths(
    frame: pd.DataFrame, widths_cm: list[float] | None, font_size: float
) -> list[float]:
    """Column widths (cm) that fit the text width and are never narrower than the longest
    word of the header (bold) or of a short cell, so that Word never breaks a word across
    lines ("Indicato/rs"). ``widths_cm`` gives the proportions (default: equal)."""
    n = len(frame.columns)
    weights = list(widths_cm or [1.0] * n)[:n] + [1.0] * max(0, n - len(widths_cm or []))
    char = CHAR_CM_PER_PT * font_size

    def longest_word(text) -> int:
        return max((len(w) for w in str(text).split()), default=0)

    minimum = []
    for col in frame.columns:
        words = [longest_word(col)] + [
            longest_word(v) for v in frame[col].head(200) if len(str(v)) <= 16
        ]
        minimum.append(max(words) * char + CELL_PADDING_CM)
    total = min(sum(weights) if widths_cm else TEXT_WIDTH_CM, TEXT_WIDTH_CM)
    spare = max(total - sum(minimum), 0.0)
    extra = [max(w / sum(weights) * total - m, 0.0) for w, m in zip(weights, minimum, strict=True)]
    scale = spare / sum(extra) if sum(extra) > 0 else 0.0
    return [m + e * scale for m, e in zip(minimum, extra, strict=True)]


def _fixed_layout(table) -> None:
    props = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)


def add_table(
    doc, frame: pd.DataFrame, widths_cm: list[float] | None = None, font_size: float = 9
) -> None:
    """A table of ``frame`` (a bold header row repeated on every page)."""
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for cell, name in zip(header.cells, frame.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(name))
        run.bold = True
        run.font.size = Pt(font_size)
    for values in frame.itertuples(index=False):
        row = table.add_row()
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(_cell_text(value))
            run.font.size = Pt(font_size)
    widths = column_widths(frame, widths_cm, font_size)
    table.autofit = False
    _fixed_layout(table)
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)
    doc.add_paragraph()


def _status(doc, rag: str, words: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(words)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(RAG_COLOURS.get(rag, "505A5F"))


def _bullets(doc, items, empty: str = "None recorded.") -> None:
    items = [i for i in items if str(i).strip()]
    if not items:
        doc.add_paragraph().add_run(empty).italic = True
        return
    for text in items:
        doc.add_paragraph(str(text), style="List Bullet")


def _picture(doc, png: bytes, caption: str) -> None:
    doc.add_picture(io.BytesIO(png), width=IMAGE_WIDTH)
    cap = doc.add_paragraph(caption)
    cap.runs[0].italic = True
    cap.runs[0].font.size = Pt(8.5)


def _demo_warning(doc) -> None:
    p = doc.add_paragraph()
    run = p.add_run("⚠ " + DEMO_WARNING)
    run.bold = True


def _save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _unit_title(unit: str, multiplier: int) -> str:
    return {"rate": f"per {int(multiplier):,}", "percentage": "%"}.get(unit, "count")


def trend_png(
    chart: pd.DataFrame,
    title: str,
    unit_title: str,
    target: float | None,
    trajectory: dict[str, float] | None,
) -> bytes | None:
    """A published SPC chart (:func:`csa.publish.spc_chart`) with the target and the
    trajectory as PNG; None without two figures."""
    if chart is None or chart.empty or pd.to_numeric(chart["value"]).notna().sum() < 2:
        return None
    frame = charts.trend_frame(chart, target, trajectory)
    return charts.png(charts.trend_chart(frame, title, unit_title))


# -- a recovery plan -----------------------------------------------------------------------
def plan_docx(
    plan: dict,
    versions: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    organisation: str = "",
    today: date | None = None,
) -> bytes:
    """A recovery plan as a Word document.

    Parameters
    ----------
    plan : dict
        :meth:`csa.db.plans.PlanGateway.plan` (the row with its latest ``content``).
    versions : DataFrame, optional
        :meth:`~csa.db.plans.PlanGateway.plan_versions`, for the history table.
    series : DataFrame, optional
        period_label, value: the figures now, for the chart (default: those in the
        evidence, i.e. as they were when the plan was drafted).
    """
    from csa.plans.tracking import missed_trajectory, overdue_actions

    today = today or date.today()
    content = plan.get("content") or {}
    ev = content.get("evidence") or {}
    unit = ev.get("unit", "count")
    unit_title = _unit_title(unit, ev.get("multiplier", 1))
    f = ev.get("figures") or {}
    doc = _new_document(plan["title"], organisation or "Community Safety Partnership")
    doc.add_heading(plan["title"], level=0)
    state = STATE_WORDS.get(plan["state"], plan["state"])
    doc.add_paragraph(
        f"Status: {state} (version {plan.get('version', '')}) · Lead: "
        f"{ev.get('lead_organisation', plan.get('lead_org_code') or '')} · Raised for "
        f"{plan['period_label']} · Review date: {plan.get('review_date') or 'not set'} · "
        f"Printed {today:%-d %B %Y}"
    )
    if ev.get("data_kind") == "demo":
        _demo_warning(doc)
    if plan["state"] == "closed" and plan.get("outcome"):
        doc.add_paragraph().add_run(f"Closed. Outcome: {plan['outcome']}").bold = True

    doc.add_heading("1. What the data says", level=1)
    verdict = ev.get("verdict") or {}
    if verdict:
        _status(
            doc,
            verdict.get("rag", "grey"),
            f"{RAG_WORDS.get(verdict.get('rag'), '')} · "
            f"{'CRITICAL' if verdict.get('critical') else verdict.get('label', '')}",
        )
    _bullets(doc, ev.get("summary") or [])
    figures = pd.DataFrame(
        [
            (
                "Latest figure",
                f"{f.get('value_text') or fmt(f.get('value'), unit)}"
                f"{' ' + unit_title if unit == 'rate' else ''} ({ev.get('period_label')})",
            ),
            (
                "95% confidence interval",
                f.get("interval_text") or formatting.interval(f.get("lower"), f.get("upper"), unit),
            ),
            (
                "Target",
                (f.get("target_text") or fmt(f.get("target"), unit))
                if f.get("target") is not None
                else "No target",
            ),
            ("Target status", f.get("target_status") or "–"),
            (
                "Lancashire as a whole",
                fmt(f.get("benchmark_value"), unit)
                if f.get("benchmark_value") is not None
                else "–",
            ),
            (
                "A year earlier",
                f"{fmt(f.get('year_earlier_value'), unit)} ({f.get('year_earlier_period') or '–'})",
            ),
            ("SPC", (ev.get("spc") or {}).get("message") or "–"),
            (
                "Recent trend",
                f"{(ev.get('trend') or {}).get('direction', '–')} "
                f"({(ev.get('trend') or {}).get('judgement', '–')})",
            ),
        ],
        columns=["Measure", "Value"],
    )
    add_table(doc, figures, [5, 11.5])
    doc.add_paragraph("Why the assessment says so:").runs[0].bold = True
    _bullets(doc, verdict.get("reasons") or [])

    chart_series = (
        series
        if series is not None
        else pd.DataFrame(ev.get("series") or [], columns=["period_label", "value"])
    )
    trajectory = content.get("trajectory") or {}
    png = trend_png(
        chart_series,
        f"{ev.get('indicator_title', '')}: {ev.get('area_name', '')}",
        unit_title,
        f.get("target"),
        trajectory,
    )
    if png:
        _picture(
            doc,
            png,
            "Figures with the published SPC mean and process limits (where there are enough "
            "figures), the target (green dashes) and the expected recovery trajectory "
            "(orange dots).",
        )

    for block in ev.get("contributions") or []:
        for basis, heading in (
            ("change", "change since a year earlier"),
            ("shortfall", "gap from the target"),
        ):
            part = block.get(basis)
            if not part or not part.get("rows"):
                continue
            doc.add_heading(f"Which areas drive {block['group_name']}'s {heading}", level=2)
            gap = formatting.difference(part["to_value"], part["from_value"], unit)
            way = "higher" if part["total"] > 0 else "lower" if part["total"] < 0 else "the same"
            doc.add_paragraph(
                f"{block['group_name']}: {fmt(part['from_value'], unit)} "
                f"({'target' if basis == 'shortfall' else part['from_period']}) to "
                f"{fmt(part['to_value'], unit)} ({part['to_period']}): "
                + (f"{gap} {way}. " if way != "the same" else "no change. ")
                + part["method_words"]
            )
            rows = pd.DataFrame(part["rows"])
            for line in describe(rows, unit, block["group_name"]):
                doc.add_paragraph(line)
            mark = {block.get("focus"): " (this plan)"}
            table = pd.DataFrame(
                {"Area": rows["area_name"] + rows["area_code"].map(mark).fillna("")}
            )
            if basis == "change":
                table[part["from_period"]] = rows["from_value"].map(lambda x: fmt(x, unit))
            table[part["to_period"]] = rows["to_value"].map(lambda x: fmt(x, unit))
            table["Contribution"] = [
                ("+" if c > 0 else "−" if c < 0 else "") + formatting.difference(abs(c), 0, unit)
                for c in rows["contribution"]
            ]
            shares = rows["share"] if "share" in rows else rows["share_of_total"]
            directions = rows["direction"] if "direction" in rows else ["" for _ in shares]
            table["Share"] = [
                "–"
                if x is None or pd.isna(x)
                else f"{formatting.share(x, 1)} of the {'rise' if d == 'rise' else 'fall'}"
                for x, d in zip(shares, directions, strict=True)
            ]
            add_table(doc, table, [5, 2.5, 2.5, 3, 4] if basis == "change" else [5.5, 3, 3.5, 5])
            if basis == "change":
                chart = charts.contribution_chart(
                    rows,
                    f"Contributions to {block['group_name']}'s {heading}",
                    unit_title,
                    focus=block.get("focus"),
                )
                _picture(
                    doc,
                    charts.png(chart),
                    "Each area's contribution; the bars add up to the grouping's change.",
                )

    doc.add_heading("2. Root causes", level=1)
    _bullets(doc, content.get("root_causes") or [])

    doc.add_heading("3. Actions", level=1)
    actions = content.get("actions") or []
    overdue = {a["number"] for a in overdue_actions(content, today)}
    if actions:
        add_table(
            doc,
            pd.DataFrame(
                [
                    {
                        "#": i,
                        "Action": a.get("description", ""),
                        "Owner organisation": a.get("owner_org", ""),
                        "Owner": a.get("owner", ""),
                        "Due": a.get("due_date") or "–",
                        "Status": a.get("status", "") + (" · ⚠ OVERDUE" if i in overdue else ""),
                    }
                    for i, a in enumerate(actions, start=1)
                ]
            ),
            [0.8, 5.6, 3, 2.7, 2.3, 2.6],
        )
    else:
        doc.add_paragraph("No actions recorded yet.")

    doc.add_heading("4. Expected recovery trajectory", level=1)
    if trajectory:
        actual = dict(
            zip(chart_series.get("period_label", []), chart_series.get("value", []), strict=False)
        )
        missed = {
            m["period_label"] for m in missed_trajectory(trajectory, actual, ev.get("polarity", ""))
        }
        add_table(
            doc,
            pd.DataFrame(
                [
                    {
                        "Period": p,
                        f"Expected ({unit_title})": fmt(v, unit),
                        "Actual": fmt(actual.get(p), unit) if p in actual else "not yet",
                        "On trajectory?": ("✖ missed" if p in missed else "✔ yes")
                        if p in actual
                        else "–",
                    }
                    for p, v in trajectory.items()
                ]
            ),
            [3.5, 4.5, 4, 4.5],
        )
    else:
        doc.add_paragraph("No trajectory set yet.")

    doc.add_heading("5. Risks", level=1)
    _bullets(doc, content.get("risks") or [])
    doc.add_heading("6. Resources", level=1)
    doc.add_paragraph(content.get("resources") or "None recorded.")
    doc.add_heading("7. Review and progress", level=1)
    doc.add_paragraph(f"Review date: {content.get('review_date') or 'not set'}")
    if content.get("progress_note"):
        doc.add_paragraph(f"Progress: {content['progress_note']}")

    if versions is not None and not versions.empty:
        doc.add_heading("Version history", level=1)
        add_table(
            doc,
            pd.DataFrame(
                {
                    "Version": versions["version"],
                    "State": versions["state"].map(lambda s: STATE_WORDS.get(s, s)),
                    "By": versions["saved_by"],
                    "When": pd.to_datetime(versions["saved_at"]).dt.strftime("%-d %b %Y %H:%M"),
                    "Comment": versions["comment"],
                }
            ),
            [1.6, 3, 4.5, 3.2, 4.2],
            font_size=8.5,
        )
    return _save(doc)


# -- the board pack ------------------------------------------------------------------------
def _chart_item(doc, item: Item) -> None:
    png = trend_png(
        item.series,
        f"{item.indicator_title}: {item.area_name}",
        item.unit_words or _unit_title(item.unit, 1),
        item.target,
        item.trajectory,
    )
    if png:
        _picture(
            doc,
            png,
            f"{item.area_name}: figures with the SPC mean and process limits, "
            "the target" + (" and the recovery trajectory." if item.trajectory else "."),
        )
    elif item.suppressed or (item.series.empty and item.spc_message == ""):
        doc.add_paragraph().add_run(
            f"{item.area_name}: no chart is published for this series, as it includes "
            "figures hidden to protect small numbers."
            if item.suppressed or item.hidden
            else f"{item.area_name}: no chart is published for this series."
        ).italic = True


def _section(doc, section: Section, number: str) -> None:
    doc.add_heading(f"{number} {section.indicator_title}", level=2)
    head = section.headline
    if section.data_kind == "demo":
        doc.add_paragraph().add_run("Demo data: synthetic figures.").italic = True
    if head is not None:
        _status(doc, head.rag, f"{head.area_name}: {head.status_words}")
        doc.add_paragraph(head.headline + ".")
        _bullets(doc, head.reasons[:6])
    doc.add_paragraph().add_run("Areas off track or critical:").bold = True
    add_table(doc, section.table(), [4.2, 2, 2, 3.8, 2, 2.6], font_size=8.5)
    for item in section.charts:
        _chart_item(doc, item)


def board_pack_docx(pack: BoardPack) -> bytes:
    """The Performance and Priorities Update as a Word document."""
    audience = (
        "for the board (includes restricted indicators)"
        if pack.audience == "board"
        else "for publication (restricted indicators left out)"
    )
    doc = _new_document(pack.title, pack.organisation)
    doc.add_heading(pack.title, level=0)
    doc.add_paragraph(
        f"{pack.organisation}. Prepared {pack.prepared_on:%-d %B %Y}, "
        f"{audience}. Figures for {pack.headline_area} unless stated."
    )
    if pack.demo_data:
        _demo_warning(doc)
    c = pack.counts()
    doc.add_paragraph(
        f"In {pack.period}, {c['off_track']} indicators are off track for Lancashire as a "
        f"whole, {c['at_risk']} at risk and {c['on_track']} on track; {c['critical']} "
        f"indicator and area combinations are critical (a recovery plan is required). "
        f"{c['plans_open']} recovery plans are open and {c['actions_overdue']} of their "
        f"actions are overdue."
    )

    doc.add_heading("1. Summary by key issue", level=1)
    add_table(doc, pack.summary, [4.6, 2.6, 1.7, 1.6, 1.5, 1.6, 1.6, 1.8])

    doc.add_heading("2. Off-track and critical indicators", level=1)
    if not pack.sections:
        doc.add_paragraph("No indicator is off track or critical in this quarter.")
    else:
        doc.add_paragraph(
            "For each indicator: Lancashire as a whole, then every area that is "
            "off track (Lancashire and the policing areas) or critical (any "
            "area)."
        )
    for i, section in enumerate(pack.sections, start=1):
        _section(doc, section, f"2.{i}")

    doc.add_heading("3. Recovery plans", level=1)
    if pack.plans.empty:
        doc.add_paragraph("No indicator is critical and no recovery plan is open.")
    else:
        doc.add_paragraph(
            "Per indicator: the areas critical now and where their recovery plans stand "
            "(being prepared: drafted, submitted or returned; in place: approved or "
            "monitored)."
        )
        add_table(doc, plan_summary(pack.plans), [4.4, 1.6, 1.6, 1.8, 1.5, 1.4, 1.6, 1.6, 1.8])
        plans = pack.plans[pack.plans["plan_state"] != NONE_YET]
        if not plans.empty:
            doc.add_paragraph().add_run("Plans raised:").bold = True
            add_table(
                doc,
                pd.DataFrame(
                    {
                        "Indicator": plans["indicator_title"],
                        "Area": plans["area_name"],
                        "Critical now": plans["critical"].map(lambda b: "⚠ yes" if b else "no"),
                        "Plan": plans["state_words"],
                        "Review": plans["review_date"].fillna("–"),
                        "Flags": plans["flags"].map(lambda f: "; ".join(f) or "–"),
                    }
                ),
                [4, 3, 2, 2.8, 2.2, 3.5],
            )
    doc.add_heading("Overdue actions", level=2)
    if pack.audience == "public":
        doc.add_paragraph(
            f"{c['actions_overdue']} actions are overdue; their owners are "
            "named in the board's version of this update."
        )
    elif pack.overdue_actions.empty:
        doc.add_paragraph("No action is overdue.")
    else:
        add_table(
            doc,
            pack.overdue_actions.drop(columns=["Plan"]),
            [3, 2.2, 4, 2.2, 2.2, 1.8, 1.3, 1.8],
            font_size=8.5,
        )

    doc.add_heading("4. Changes since last quarter", level=1)
    if pack.changes.empty:
        doc.add_paragraph(
            f"No status changed since {pack.previous_period or 'last quarter'}"
            f" for Lancashire and the policing areas."
        )
    else:
        doc.add_paragraph(
            f"Compared with {pack.previous_period}, for Lancashire and the policing areas:"
        )
        add_table(doc, pack.changes, [4.5, 3, 3.3, 3.3, 2.5])

    if not pack.force_position.empty:
        _relative_position(doc, pack)

    doc.add_heading("About these figures", level=1)
    _bullets(doc, pack.notes)
    return _save(doc)


def _verdict(v: str) -> str:
    marks = {"Significantly lower": "▲ Lower", "Significantly higher": "▼ Higher"}
    return marks.get(v, "● Similar" if v == "Similar" else v)


def _relative_position(doc, pack: BoardPack) -> None:
    """5. Lancashire's relative position: the force on every offence group, then the 14
    partnerships on total recorded crime (Home Office figures, already published)."""
    f, p = pack.force_position, pack.partnership_position
    doc.add_heading("5. Lancashire's relative position", level=1)
    total = f.iloc[0]
    doc.add_paragraph(
        f"Police recorded crime, year ending June 2025, published by the Home Office. "
        f"Lancashire's "
        f"{total['Offence group'].lower()} rate is {formatting.figure(total['Rate per 1,000'], 'rate')} "
        f"per 1,000 residents ({formatting.interval(total['95% CI lower'], total['95% CI upper'], 'rate')}), "
        f"{total['vs England and Wales'].lower()} than England and Wales "
        f"({formatting.figure(total['England and Wales'], 'rate')}); rank {total['Rank']} of "
        f"{total['Of']} forces (1 = the lowest rate).".replace("similar than", "similar to")
    )
    rate = lambda col: col.map(lambda v: formatting.figure(v, "rate"))  # noqa: E731
    ci = [
        formatting.interval(lo, hi, "rate")
        for lo, hi in zip(f["95% CI lower"], f["95% CI upper"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "Offence group": f["Offence group"],
            "Rate per 1,000 (95% CI)": [
                f"{r} ({c})" for r, c in zip(rate(f["Rate per 1,000"]), ci, strict=True)
            ],
            "Rank of forces": [
                f"{r} of {o}" if pd.notna(r) else "–"
                for r, o in zip(f["Rank"], f["Of"], strict=True)
            ],
            "vs England and Wales": [
                f"{_verdict(v)} ({b})"
                for v, b in zip(
                    f["vs England and Wales"], rate(f["England and Wales"]), strict=True
                )
            ],
            "vs England": [
                f"{_verdict(v)} ({b})"
                for v, b in zip(f["vs England"], rate(f["England"]), strict=True)
            ],
            "vs North West": [
                f"{_verdict(v)} ({b})"
                for v, b in zip(f["vs North West"], rate(f["North West"]), strict=True)
            ],
        }
    )
    add_table(doc, table, [4.0, 3.4, 1.8, 2.6, 2.6, 2.6], font_size=8.5)
    doc.add_heading("The 14 partnerships: total recorded crime", level=2)
    ptable = pd.DataFrame(
        {
            "Partnership": p["Partnership"],
            "Recorded crimes": p["Recorded crimes"].map(formatting.count),
            "Rate per 1,000 (95% CI)": [
                f"{formatting.figure(r, 'rate')} ({formatting.interval(lo, hi, 'rate')})"
                for r, lo, hi in zip(
                    p["Rate per 1,000"], p["95% CI lower"], p["95% CI upper"], strict=True
                )
            ],
            "Rank of partnerships": [
                f"{r} of {o}" if pd.notna(r) else "–"
                for r, o in zip(p["Rank"], p["Of"], strict=True)
            ],
            "vs England and Wales": p["vs England and Wales"].map(_verdict),
        }
    )
    add_table(doc, ptable, [4.0, 2.6, 4.0, 3.2, 3.2], font_size=8.5)


def plan_document(
    db, plan_id: int, settings: dict | None = None, today: date | None = None, inputs=None
) -> bytes:
    """:func:`plan_docx` for a stored plan, its chart the published SPC chart of the plan's
    indicator and area as at the latest published figure (signed-in figures)."""
    from csa import config as csa_config
    from csa import publish

    settings = settings or csa_config.load()
    plan = db.plan(plan_id)
    if plan is None:
        raise ValueError(f"there is no recovery plan {plan_id}")
    key = publish.ensure(db, settings)
    figures = publish.read(
        db, key, "signed_in", indicators=[plan["indicator_code"]], areas=[plan["area_code"]]
    )
    figures = figures[figures["value"].notna()]
    series = (
        publish.spc_chart(figures.iloc[-1], figures).tail(16).reset_index(drop=True)
        if not figures.empty
        else None
    )
    return plan_docx(
        plan,
        db.plan_versions(plan_id),
        series,
        organisation=str(settings.get("organisation", "")),
        today=today,
    )
