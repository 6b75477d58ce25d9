"""Property: whatever bytes arrive, the result is a preview or a clear rejection, and a
rejected file leaves the database exactly as it was (also when 'confirmed')."""

import shutil
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csa.db import Database
from csa.returns import (
    Preview,
    ReturnRejected,
    WarningsNotAcknowledged,
    commit_return,
    prepare_return,
)
from tests.returns_workbooks import ANALYST, TODAY, edit, prefilled
from tests.returns_workbooks import settings as app_settings

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Shared(tuple):
    """(database, return bytes), with a short repr for Hypothesis' failure reports."""

    def __repr__(self) -> str:
        return "<seeded database and a filled police return>"


@pytest.fixture(scope="module")
def shared(sqlite_template, tmp_path_factory):
    """One seeded SQLite database for the module: nothing may be written to it anyway.

    The bytes damaged are a police return with the held figures typed in: the template's
    input cells start empty (csa-return-2), and an empty return is rejected whatever else is
    wrong with it, so only a filled one reaches the preview when its damage is harmless."""
    path = tmp_path_factory.mktemp("prop") / "csa.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield Shared((db, prefilled(db)))
    db.dispose()


def state(db):
    return (db.scalar_count_revisions(), len(db.uploads()), db.data_version())


def check(db, content: bytes) -> None:
    cfg = app_settings()
    try:
        result = prepare_return(db, ANALYST, content, "mangled.xlsx", today=TODAY, settings=cfg)
    except ReturnRejected as exc:
        assert exc.problems, "a rejection must say why"
        for p in exc.problems:
            assert p.where and p.what and p.expected
            assert "Traceback" not in str(p)
        before = state(db)
        with pytest.raises(ReturnRejected):
            commit_return(db, ANALYST, content, "mangled.xlsx", today=TODAY, settings=cfg)
        assert state(db) == before
    else:
        assert isinstance(result, Preview)
        assert sum(result.counts.values()) == len(result.rows) > 0


def test_the_undamaged_return_previews(shared):
    db, good = shared
    before = state(db)
    preview = prepare_return(db, ANALYST, good, "good.xlsx", today=TODAY, settings=app_settings())
    # every held figure sent back: 42 rows, each demo -> real
    assert preview.counts == {"new": 0, "changed": 42, "unchanged": 0}
    assert state(db) == before


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=3000).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=600).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),
        st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    )
)
def test_random_bytes_are_rejected_clearly(shared, content):
    db, _ = shared
    before = state(db)
    with pytest.raises(ReturnRejected) as info:
        prepare_return(db, ANALYST, content, "random.xlsx", today=TODAY, settings=app_settings())
    assert info.value.problems and str(info.value.problems[0]).startswith("file: ")
    assert state(db) == before


@SETTINGS
@given(data=st.data())
def test_damaged_bytes_of_a_real_template(shared, data):
    db, good = shared
    how = data.draw(st.sampled_from(["truncate", "flip", "splice"]))
    if how == "truncate":
        content = good[: data.draw(st.integers(0, len(good) - 1))]
    elif how == "flip":
        buf = bytearray(good)
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(buf) - 1))
            buf[i] = data.draw(st.integers(0, 255))
        content = bytes(buf)
    else:
        i = data.draw(st.integers(0, len(good)))
        content = good[:i] + data.draw(st.binary(min_size=1, max_size=64)) + good[i:]
    check(db, content)


CELL_VALUES = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**7),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=30),
    st.sampled_from(
        [
            "=1+1",
            "=SUM(A1:A3)",
            "#DIV/0!",
            "DA-01",
            "PA-EAST",
            "E07000117",
            "2026-27 Q2",
            "2026-27 Q1",
            "2025-26 Q1",
            "final",
            "provisional",
            " 12 ",
            "1e400",
            "UNASSIGNED",
        ]
    ),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
)
CELLS = st.tuples(st.integers(1, 60), st.integers(1, 14))


@SETTINGS
@given(
    changes=st.lists(st.tuples(CELLS, CELL_VALUES), min_size=1, max_size=12),
    sheet_op=st.sampled_from([None, "add", "rename", "drop_meta", "merge", "delete_rows"]),
)
def test_mangled_cells_and_sheets(shared, changes, sheet_op):
    db, good = shared
    from openpyxl.utils import get_column_letter

    def mangle(wb):
        ws = wb["Return"]
        for (r, c), value in changes:
            if isinstance(value, str):
                value = "".join(ch for ch in value if ch.isprintable())
            ws[f"{get_column_letter(c)}{r}"] = value
        if sheet_op == "add":
            wb.create_sheet("Sheet2")
        elif sheet_op == "rename":
            ws.title = "Data"
        elif sheet_op == "drop_meta":
            wb.remove(wb["_template"])
        elif sheet_op == "merge":
            ws.merge_cells("I3:J4")
        elif sheet_op == "delete_rows":
            ws.delete_rows(2, 30)

    try:
        content = edit(good, fn=mangle)
    except (ValueError, TypeError):  # openpyxl itself refuses some values: not our input
        return
    try:
        check(db, content)
    except WarningsNotAcknowledged:  # pragma: no cover - check() does not commit valid files
        raise
