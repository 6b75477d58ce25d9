"""More data for the scale benchmarks, written through the database gateway: each indicator
cloned ``factor - 1`` times under new codes (with its targets and every figure), so pages,
the publication and the queries meet ``factor`` times the indicators
(:func:`multiply_indicators`); and every quarterly and monthly series given ``factor`` times
its history (:func:`extend_history`)."""

from __future__ import annotations

import functools

from sqlalchemy import insert, select

from csa import periods
from csa.db import Database
from csa.models import Indicator, Observation, Period, Target

_CHUNK = 2000


def _rows(conn, model) -> list[dict]:
    cols = [c.name for c in model.__table__.columns]
    return [dict(zip(cols, r, strict=True)) for r in conn.execute(select(*model.__table__.c))]


def multiply_indicators(db: Database, factor: int) -> int:
    """Clone every indicator ``factor - 1`` times (codes ``<code>-X<n>``); returns how many
    figures were written. One transaction, audited, so the data version moves."""
    if factor < 2:
        return 0
    written = 0
    with db.transaction() as conn:
        indicators = _rows(conn, Indicator)
        targets = _rows(conn, Target)
        observations = _rows(conn, Observation)
        for n in range(1, factor):

            def code(c: str, n: int = n) -> str:
                return f"{c}-X{n}"

            conn.execute(
                insert(Indicator),
                [
                    r
                    | {
                        "code": code(r["code"]),
                        "title": f"{r['title']} (copy {n})",
                        "sort_order": r["sort_order"] + 1000 * n,
                    }
                    for r in indicators
                ],  # fmt: skip
            )
            conn.execute(
                insert(Target),
                [
                    {k: v for k, v in r.items() if k != "id"}
                    | {"indicator_code": code(r["indicator_code"])}
                    for r in targets
                ],  # fmt: skip
            )
            copies = [
                {k: v for k, v in r.items() if k != "id"}
                | {"indicator_code": code(r["indicator_code"])}
                for r in observations
            ]
            for start in range(0, len(copies), _CHUNK):
                conn.execute(insert(Observation), copies[start : start + _CHUNK])
            written += len(copies)
        db.audit(conn, "bench@localhost", "bench_scale", f"x{factor}", detail={"figures": written})
    return written


@functools.cache
def _shift(label: str, frequency: str, years: int) -> dict:
    """The period record ``years`` years before ``label`` (quarterly or monthly), made as the
    app makes periods (:mod:`csa.periods`). Shared: do not change it."""
    if frequency == "quarterly":
        fy, q = periods.parse_quarter(label)
        return periods.quarters((fy - years, q), (fy - years, q))[0]
    y, m = periods.parse_month(label)
    return periods.months((y - years, m), (y - years, m))[0]


def extend_history(db: Database, factor: int) -> int:
    """Give every quarterly and monthly series ``factor`` times its history: each figure is
    repeated in the ``factor - 1`` spans of whole years before the first period held, so
    pages, the publication and the queries meet ``factor`` times the periods (the figures
    repeat: this is load, not data). Annual series are left as they are. One transaction,
    audited; returns how many figures were written."""
    if factor < 2:
        return 0
    with db.transaction() as conn:
        frequency = {p["label"]: p["frequency"] for p in _rows(conn, Period)}
        observations = [
            o
            for o in _rows(conn, Observation)
            if frequency.get(o["period_label"]) in ("quarterly", "monthly")
        ]
        years = {}  # frequency -> whole years held
        for freq in ("quarterly", "monthly"):
            starts = [
                _shift(o["period_label"], freq, 0)["start_date"].year
                for o in observations
                if frequency[o["period_label"]] == freq
            ]
            years[freq] = max(starts) - min(starts) + 1 if starts else 0
        made, copies = {}, []
        for obs in observations:
            freq = frequency[obs["period_label"]]
            for n in range(1, factor):
                period = _shift(obs["period_label"], freq, years[freq] * n)
                made.setdefault(period["label"], period)
                copies.append(
                    {k: v for k, v in obs.items() if k != "id"} | {"period_label": period["label"]}
                )
        new = [p for label, p in made.items() if label not in frequency]
        if new:
            conn.execute(insert(Period), new)
        for start in range(0, len(copies), _CHUNK):
            conn.execute(insert(Observation), copies[start : start + _CHUNK])
        db.audit(conn, "bench@localhost", "bench_scale", f"history x{factor}",
                 detail={"figures": len(copies), "periods": len(new)})  # fmt: skip
    return len(copies)
