"""``publish``: compute and store the published figures for the current data version."""

from __future__ import annotations

import time

from csa import config as csa_config
from csa import publish
from csa.commands import open_database


def register(sub) -> None:
    p = sub.add_parser(
        "publish",
        help="publish the figures every surface draws (done by init and every import)",
        description="Compute the published figures for the current data version once (both "
        "audiences, with disclosure control, SPC and formatting) and store them; nothing "
        "happens when they are already published.",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    db = open_database(args)
    if not db.is_migrated():
        print("The database is empty: run `python -m csa init` first.")
        return 1
    settings = csa_config.load()
    started = time.perf_counter()
    key = publish.ensure(db, settings)
    row = db.publication(key) or {}
    print(
        f"Published figures {key}: {int(row.get('figures') or 0):,} figures for figures version "
        f"{db.figures_version()} ({time.perf_counter() - started:.1f} s)."
    )
    return 0
