"""``board-pack``: the quarterly Performance and Priorities Update as Word or Excel.

``python -m csa board-pack --period "2026-27 Q2" -o update.docx`` (or ``.xlsx`` for the
figures). ``--audience public`` leaves restricted indicators out and suppresses small counts.
The command acts as the command line's administrator, or as ``--user EMAIL`` (who needs
the board-pack permission: analyst, board or admin); every export is audited.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from csa import config as csa_config
from csa.cli import EXIT_REJECTED, CommandError
from csa.commands import open_database
from csa.commands.plans import _require, acting_user

FORMATS = {".docx": "Word document", ".xlsx": "Excel workbook"}


def register(sub) -> None:
    p = sub.add_parser(
        "board-pack",
        help="the quarterly Performance and Priorities Update",
        description="Build the board's quarterly Performance and Priorities "
        "Update: RAG by key issue, off-track and critical "
        "indicators with charts and reasons, recovery plans and "
        "overdue actions, changes since last quarter.",
    )
    p.add_argument("--period", help="quarter, e.g. '2026-27 Q2' (default: the latest with figures)")
    p.add_argument(
        "-o", "--output", required=True, help="FILE.docx (Word) or FILE.xlsx (Excel figures)"
    )
    p.add_argument(
        "--audience",
        choices=("board", "public"),
        default="board",
        help="board (default; includes restricted indicators) or public",
    )
    p.add_argument("--user", help="act as this registered user")
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        help="judge overdue actions as on this date (YYYY-MM-DD; default today)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from csa.assess import Inputs, latest_period
    from csa.reports import board_pack, docx_export, xlsx_export

    out = Path(args.output)
    if out.suffix.lower() not in FORMATS:
        raise CommandError(
            f"-o {out}: the file name must end in .docx (Word) or .xlsx (Excel)", EXIT_REJECTED
        )
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("the database is empty: run `python -m csa init` first")
    actor = acting_user(db, args.user)
    inputs = Inputs.from_db(db)
    quarters = inputs.periods[inputs.periods["frequency"] == "quarterly"]
    period = args.period or latest_period(inputs)
    if period not in set(quarters["label"]):
        raise CommandError(
            f"unknown quarter {period!r}; quarters run from "
            f"{quarters['label'].iloc[0]} to {quarters['label'].iloc[-1]}",
            EXIT_REJECTED,
        )
    target = f"board pack {period} ({args.audience})"
    _require(db, actor, "view_board_pack", target=target)
    try:
        pack = board_pack.build(
            db, period, args.audience, settings=csa_config.load(), today=args.today, inputs=inputs
        )
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_REJECTED) from None
    data = (
        docx_export.board_pack_docx(pack)
        if out.suffix.lower() == ".docx"
        else xlsx_export.board_pack_xlsx(pack)
    )
    out.write_bytes(data)
    db.record_audit(
        actor.email, "board_pack_export", target, detail={"file": out.name, "bytes": len(data)}
    )
    c = pack.counts()
    print(
        f"Wrote {out}: {FORMATS[out.suffix.lower()]}, {pack.title} for the "
        f"{args.audience}; {c['off_track']} off track, {c['critical']} critical, "
        f"{len(pack.items)} indicators detailed ({len(data):,} bytes)."
    )
    return 0
