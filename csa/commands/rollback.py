"""``rollback``: undo an imported return (or a rollback) by appending revisions; the same
entry point as the Upload history page (csa.returns.rollback_upload)."""

from __future__ import annotations

from csa.access import PermissionDenied
from csa.cli import EXIT_REFUSED, EXIT_REJECTED, CommandError
from csa.commands import open_database
from csa.commands.import_return import actor_for
from csa.returns import RollbackRefused, rollback_upload


def register(sub) -> None:
    p = sub.add_parser(
        "rollback",
        help="roll an imported return (or a rollback) back",
        description="Roll a committed return upload back: each figure it "
        "changed gets a new revision restoring the previous value, "
        "each figure it created is withdrawn. A rollback can be rolled back "
        "too (its undone values are applied again). When later uploads "
        "changed the same figures, the refusal names the uploads to roll "
        "back first, in order. Analysts and admins only. Exit 0 done, 2 "
        "cannot be rolled back, 3 refused.",
    )
    p.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    p.add_argument("--user", required=True, metavar="EMAIL", help="the analyst or admin")
    p.add_argument("--reason", default="", help="why (kept with the upload and in the audit)")
    p.set_defaults(func=run)


def run(args) -> int:
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("the database is empty: run `python -m csa init` first")
    actor = actor_for(db, args.user, "rollback_upload", f"upload #{args.upload_id}")
    try:
        result = rollback_upload(db, actor, args.upload_id, reason=args.reason)
    except PermissionDenied as exc:
        raise CommandError(str(exc), EXIT_REFUSED) from None
    except RollbackRefused as exc:
        raise CommandError(exc.summary, EXIT_REJECTED) from None
    print(result.message)
    return 0
