"""More data for the scale benchmarks, written through the database gateway: each indicator
cloned ``factor - 1`` times under new codes (with its targets and every figure), so pages,
the publication and the queries meet ``factor`` times the indicators."""

from __future__ import annotations

from sqlalchemy import insert, select

from csa.db import Database
from csa.models import Indicator, Observation, Target

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
