"""``template``: write the Excel return template for an organisation and period."""

from __future__ import annotations

from pathlib import Path

from csa.cli import EXIT_REJECTED, CommandError
from csa.commands import open_database
from csa.returns import TemplateError, build_template


def register(sub) -> None:
    p = sub.add_parser(
        "template",
        help="write the Excel return template",
        description="Write the .xlsx return template for the indicators an "
        "organisation leads, for one open period, with codes, names, "
        "units and previous values filled in.",
    )
    p.add_argument("--org", required=True, help="lead organisation code, e.g. LANCS-POLICE")
    p.add_argument("--period", required=True, help="an open period, e.g. '2026-27 Q2'")
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE.xlsx", help="where to write the template"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise CommandError(
            f"{out}: the template is an .xlsx file; name it FILE.xlsx", EXIT_REJECTED
        )
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("the database is empty: run `python -m csa init` first")
    try:
        content = build_template(db, args.org, args.period, generated_by="command line")
    except TemplateError as exc:
        raise CommandError(str(exc), EXIT_REJECTED) from None
    out.write_bytes(content)
    print(f"Wrote the {args.org} return template for {args.period} to {out}")
    return 0
