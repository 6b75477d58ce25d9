"""``import-return``: check and import an Excel return from the command line.

Prints the same report the Returns page shows (every problem with its cell, or the changes
and warnings). Exit codes: 0 imported (or already imported: nothing changed; or a clean dry
run), 2 the file was rejected or needs its warnings acknowledged (nothing written), 3 the
user may not upload it (nothing written), 1 any other failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

from csa.access import Actor, PermissionDenied
from csa.cli import EXIT_REFUSED, EXIT_REJECTED, CommandError
from csa.commands import open_database
from csa.returns import (
    ReturnRejected,
    StaleReturn,
    WarningsNotAcknowledged,
    commit_return,
    prepare_return,
)
from csa.returns.report import preview_lines


def register(sub) -> None:
    p = sub.add_parser(
        "import-return",
        help="check and import an Excel return",
        description="Check an Excel return made from the template and import "
        "it: all figures in one transaction or none. Exit 0 "
        "imported, 2 rejected (nothing written), 3 refused, 1 other "
        "failure.",
    )
    p.add_argument("file", help="the .xlsx return")
    p.add_argument(
        "--user",
        required=True,
        metavar="EMAIL",
        help="the registered user sending the return (their role and organisation "
        "decide what they may upload)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="check and show what would change, write nothing"
    )
    p.add_argument(
        "--accept-warnings",
        action="store_true",
        help="import even though some values look implausible (you checked them)",
    )
    p.set_defaults(func=run)


def actor_for(db, email: str, action: str, target: str = "") -> Actor:
    """The registered user for ``email`` (via csa.accounts when present), else refuse (3)."""
    try:
        from csa.accounts import get_actor
    except ImportError:
        get_actor = None
    try:
        if get_actor is not None:
            return get_actor(db, email, action=action, target=target)
    except PermissionDenied as exc:
        raise CommandError(str(exc), EXIT_REFUSED) from None
    row = db.user_by_email(email)
    if row is None:
        raise CommandError(f"{email!r} is not a registered user.", EXIT_REFUSED)
    return Actor(row["email"], row["role"], row["org_code"], bool(row["disabled"]))


def run(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: no such file", EXIT_REJECTED)
    content = path.read_bytes()
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("the database is empty: run `python -m csa init` first")
    actor = actor_for(db, args.user, "upload_return", path.name)
    try:
        if args.dry_run:
            preview = prepare_return(db, actor, content, path.name)
            print("\n".join(preview_lines(preview)))
            print("Dry run: nothing was written.")
            return 0
        result = commit_return(
            db, actor, content, path.name, acknowledge_warnings=args.accept_warnings
        )
    except PermissionDenied as exc:
        raise CommandError(str(exc), EXIT_REFUSED) from None
    except ReturnRejected as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_REJECTED
    except WarningsNotAcknowledged as exc:
        print(exc.message, file=sys.stderr)
        print("Check these values; rerun with --accept-warnings to import them.", file=sys.stderr)
        return EXIT_REJECTED
    except StaleReturn as exc:
        raise CommandError(exc.summary) from None
    print(result.message)
    return 0
