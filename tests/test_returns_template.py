"""The return template: rows, empty inputs beside the previous figure, protection, validation,
hidden version."""

import io
from datetime import date
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from csa.returns import TemplateError, build_template, layout
from csa.returns.window import due_date, open_periods
from tests.returns_workbooks import NEXT_QUARTER_DAY, TODAY, settings, template

PERIODS = pd.DataFrame(
    [
        {"label": "2026-27 Q1", "end_date": date(2026, 6, 30), "frequency": "quarterly"},
        {"label": "2026-27 Q2", "end_date": date(2026, 9, 30), "frequency": "quarterly"},
        {"label": "2026-27 Q3", "end_date": date(2026, 12, 31), "frequency": "quarterly"},
        {"label": "2026-27 Q4", "end_date": date(2027, 3, 31), "frequency": "quarterly"},
        {"label": "YE Jun 2026", "end_date": date(2026, 6, 30), "frequency": "annual"},
    ]
)


@pytest.mark.parametrize(
    "today, count, expected",
    [
        (date(2026, 11, 21), 2, ["2026-27 Q1", "2026-27 Q2"]),  # Q3 in progress: not open
        (date(2026, 11, 21), 1, ["2026-27 Q2"]),
        (date(2026, 9, 30), 2, ["2026-27 Q1", "2026-27 Q2"]),  # a quarter opens on its last day
        (date(2026, 9, 29), 2, ["2026-27 Q1"]),
        (date(2027, 1, 15), 2, ["2026-27 Q2", "2026-27 Q3"]),
        (date(2026, 11, 21), 0, []),
    ],
)
def test_open_window_is_the_latest_ended_quarters(today, count, expected):
    assert open_periods(PERIODS, count, today) == expected


def test_due_date_is_days_after_the_period_ends():
    assert due_date(date(2026, 9, 30), 30) == date(2026, 10, 30)


@pytest.mark.parametrize(
    "period, today, figure_period",
    [
        ("2026-27 Q2", TODAY, "2026-27 Q2"),  # a figure is held for the period: that one
        ("2026-27 Q3", NEXT_QUARTER_DAY, "2026-27 Q2"),  # none yet: the latest earlier one
    ],
)
def test_police_template_rows_start_empty_beside_the_previous_figure(
    db, period, today, figure_period
):
    content = template(db, "LANCS-POLICE", period, today=today)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Return", "Instructions", "_template"]
    ws = wb["Return"]
    header = [c.value for c in ws[1]]
    assert header == [c.heading for c in layout.COLUMNS]
    assert header[6:8] == [
        "Previous figure's period",
        "Previous figure (for reference, not imported)",
    ]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    # the police lead 3 quarterly indicators (DA-01, DA-02, SOC-01) x 14 areas; ASB-01 is
    # monthly and real (police.uk), so it has no place in a quarterly return
    assert len(rows) == 42
    assert sorted({r[0] for r in rows}) == ["DA-01", "DA-02", "SOC-01"]
    assert {r[5] for r in rows} == {period} and {r[6] for r in rows} == {figure_period}
    # every input cell (numerator, denominator, status, note) starts empty
    assert {r[8:12] for r in rows} == {(None, None, None, None)}
    burnley = next(r for r in rows if r[0] == "DA-01" and r[3] == "E07000117")
    held = db.observations(
        indicator_codes=["DA-01"], area_codes=["E07000117"], period_labels=[figure_period]
    ).iloc[0]
    assert burnley[4] == "Burnley" and burnley[2] == "rate per 1,000"
    assert burnley[7] == pytest.approx(held["value"])
    assert ws["H2"].protection.locked and not ws["I2"].protection.locked


class _Gateway:
    """Just enough of the database for ``_previous_figures``."""

    def __init__(self, rows):
        self.frame = pd.DataFrame(
            rows, columns=["indicator_code", "area_code", "period_label", "value"]
        )

    def observations(self, indicator_codes=None):
        starts = PERIODS.set_index("label")
        df = self.frame[self.frame["indicator_code"].isin(indicator_codes)].copy()
        df["period_start"] = [pd.Timestamp(starts.at[p, "end_date"]) for p in df["period_label"]]
        df["period_frequency"] = [starts.at[p, "frequency"] for p in df["period_label"]]
        return df


@pytest.mark.parametrize(
    "held, expected",
    [
        # the figure held now for the period wins over earlier ones
        ([("2026-27 Q1", 5.0), ("2026-27 Q2", 7.0)], ("2026-27 Q2", 7.0)),
        # none for the period: the latest earlier period's, across a gap
        ([("2026-27 Q1", 5.0)], ("2026-27 Q1", 5.0)),
        # a later period or another frequency is never shown
        ([("2026-27 Q3", 9.0), ("YE Jun 2026", 4.0)], None),
        ([], None),
    ],
)
def test_the_previous_figure_is_the_one_held_else_the_latest_earlier(held, expected):
    from csa.returns.template import _previous_figures

    ref = SimpleNamespace(
        periods=PERIODS.assign(start_date=PERIODS["end_date"]).set_index("label", drop=False)
    )
    rows = [("SOC-01", "E07000117", p, v) for p, v in held]
    got = _previous_figures(_Gateway(rows), ["SOC-01"], "2026-27 Q2", ref)
    fig = got.get(("SOC-01", "E07000117"))
    assert (None if fig is None else (fig["period_label"], fig["value"])) == expected


def test_only_input_cells_are_unlocked_and_sheets_protected(db):
    wb = openpyxl.load_workbook(io.BytesIO(template(db, "LVRN", "2026-27 Q2")))
    ws = wb["Return"]
    assert ws.protection.sheet and wb.security.lockStructure
    rate_row = next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == "VIO-01")
    count_row = next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == "VIO-02")
    unlocked = {c.column_letter for c in ws[rate_row] if not c.protection.locked}
    assert unlocked == {"I", "J", "K", "L"}
    # a count takes no denominator: that cell stays locked
    assert {c.column_letter for c in ws[count_row] if not c.protection.locked} == {"I", "K", "L"}
    meta = wb["_template"]
    assert meta.sheet_state == "veryHidden"
    assert (meta["A1"].value, meta["B1"].value) == ("template_version", layout.TEMPLATE_VERSION)
    assert (meta["B2"].value, meta["B3"].value) == ("LVRN", "2026-27 Q2")
    assert "Due by 30 October 2026" in wb["Instructions"]["A2"].value


def test_data_validation_covers_the_input_columns(db):
    wb = openpyxl.load_workbook(io.BytesIO(template(db, "LCC-PH", "2026-27 Q2")))
    ws = wb["Return"]
    dvs = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert dvs["list"].formula1 == '"provisional,final"'
    assert str(dvs["list"].sqref) == "K2:K29"  # ALC-01 and DRG-01, 14 areas each
    assert dvs["whole"].operator == "greaterThanOrEqual" and str(dvs["whole"].sqref) == "I2:I15"
    assert str(dvs["decimal"].sqref) == "J2:J15 J16:J29"
    # DRG-01 is a percentage: numerator no larger than the denominator
    assert "I16<=J16" in dvs["custom"].formula1 and str(dvs["custom"].sqref) == "I16:I29"


@pytest.mark.parametrize(
    "org, period, message",
    [
        ("NOPE", "2026-27 Q2", "organisation 'NOPE' is not known"),
        (
            "LCC",
            "2025-26 Q1",
            "period 2025-26 Q1 is closed for returns; expected one of the open "
            "periods 2026-27 Q1, 2026-27 Q2",
        ),
        ("LCC", "2026-27 Q3", "period 2026-27 Q3 is closed"),
        ("LCC", "1999 Q9", "period '1999 Q9' is not known"),
        ("OPCC", "2026-27 Q2", "OPCC leads no quarterly indicators"),
    ],
)
def test_template_refuses_with_a_clear_reason(db, org, period, message):
    with pytest.raises(TemplateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_template(db, org, period, today=TODAY, settings=settings())


def test_text_that_looks_like_a_formula_stays_text(db, monkeypatch):
    from csa.returns import template as tmpl

    real = tmpl.template_rows

    def evil(*args, **kwargs):
        rows = real(*args, **kwargs)
        rows.loc[0, "area_name"] = '=HYPERLINK("http://x")'
        return rows

    monkeypatch.setattr(tmpl, "template_rows", evil)
    wb = openpyxl.load_workbook(io.BytesIO(template(db)))
    cell = wb["Return"]["E2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize(
    "due, received, on, expected",
    [
        # the brief's example: due by 30 October 2026, still missing on 29 November
        (date(2026, 10, 30), None, date(2026, 11, 29), "overdue by 30 days"),
        (date(2026, 10, 30), None, date(2026, 10, 31), "overdue by 1 day"),
        (date(2026, 10, 30), None, date(2026, 10, 30), "due by 30 October 2026"),  # on the day
        (date(2026, 10, 30), None, date(2026, 10, 1), "due by 30 October 2026"),
        (date(2026, 10, 30), date(2026, 10, 28), date(2026, 11, 29), "received 28 October 2026"),
        (
            date(2026, 10, 30),
            date(2026, 11, 3),
            date(2026, 11, 29),
            "received 3 November 2026, 4 days late",
        ),
    ],
)
def test_return_status_in_words(due, received, on, expected):
    from csa.returns.window import days_overdue, return_status

    assert return_status(due, received, on) == expected
    assert days_overdue(due, received, on) == (
        int(expected.split()[2]) if expected.startswith("overdue") else 0
    )


def test_return_statuses_per_organisation_and_open_period(db):
    from csa.db.core import utcnow
    from csa.returns import commit_return
    from csa.returns.reference import load_reference
    from csa.returns.window import return_statuses
    from tests.returns_workbooks import OFFICER, edit, prefilled

    on = date(2026, 11, 29)
    ref = load_reference(db, settings(), on)
    before = return_statuses(db, ref, ["LANCS-POLICE", "LVRN", "OPCC"], on)
    # OPCC leads no quarterly indicator, so it has no return to send
    assert set(before["organisation"]) == {"LANCS-POLICE", "LVRN"}
    got = {(r.organisation, r.period): r.status for r in before.itertuples(index=False)}
    assert got[("LANCS-POLICE", "2026-27 Q2")] == "overdue by 30 days"  # due 30 October
    assert got[("LANCS-POLICE", "2026-27 Q1")] == "overdue by 122 days"  # due 30 July
    assert list(before["days_overdue"]) == [122, 122, 30, 30]  # most overdue first

    content = edit(prefilled(db), {"L2": "our own figures"})
    commit_return(
        db,
        OFFICER,
        content,
        "police.xlsx",
        today=on,
        settings=settings(),
        acknowledge_warnings=True,
    )
    after = return_statuses(db, ref, ["LANCS-POLICE", "LVRN"], on)
    police = after[(after["organisation"] == "LANCS-POLICE") & (after["period"] == "2026-27 Q2")]
    received = utcnow().date()
    assert police["received"].iat[0] == received
    assert police["days_overdue"].iat[0] == 0
    assert police["status"].iat[0].startswith(f"received {received.day} {received:%B %Y}")
    lvrn = after[(after["organisation"] == "LVRN") & (after["period"] == "2026-27 Q2")]
    assert lvrn["status"].iat[0] == "overdue by 30 days"
