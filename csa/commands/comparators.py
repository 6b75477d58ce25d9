"""``comparators``: list, import and delete comparator groups.

    python -m csa comparators list
    python -m csa comparators import groups.csv --user analyst@example.org
    python -m csa comparators delete "Most similar forces" --user analyst@example.org

The file has the layout of ``data/comparator_groups.csv`` (group, level, member_code,
source, vintage). It is checked whole first; nothing is written when anything is wrong.

Exit codes: 0 done, 1 failure, 2 rejected input (nothing written), 3 refused.
"""

from __future__ import annotations

from pathlib import Path

from csa import comparators
from csa import config as csa_config
from csa.access import PermissionDenied
from csa.cli import EXIT_REFUSED, EXIT_REJECTED, CommandError
from csa.commands import open_database

ACTION = "manage_indicators"


def register(sub) -> None:
    p = sub.add_parser(
        "comparators",
        help="comparator groups: list, import (analysts) and delete",
        description="Comparator groups rank Lancashire among named forces or partnerships. "
        "Bundled groups come with the app; analysts may import more from a CSV "
        "(group, level, member_code, source, vintage).",
    )
    cmds = p.add_subparsers(dest="comparators_command", metavar="ACTION", required=True)

    ls = cmds.add_parser("list", help="list the bundled and uploaded groups")
    ls.set_defaults(func=run_list)

    imp = cmds.add_parser("import", help="add or replace groups from a CSV (all or nothing)")
    imp.add_argument("file", help="the CSV: group, level, member_code, source, vintage")
    imp.add_argument("--user", required=True, help="email of the analyst importing")
    imp.set_defaults(func=run_import)

    rm = cmds.add_parser("delete", help="delete an uploaded group")
    rm.add_argument("name", help="the group's name")
    rm.add_argument("--user", required=True, help="email of the analyst")
    rm.set_defaults(func=run_delete)


def _open(args):
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("the database is empty: run `python -m csa init` first")
    return db


def _guard(action):
    try:
        return action()
    except PermissionDenied as exc:
        raise CommandError(str(exc), EXIT_REFUSED) from exc
    except comparators.GroupFileError as exc:
        raise CommandError(str(exc), EXIT_REJECTED) from exc


def _actor(db, email: str, target: str):
    from csa import accounts

    return _guard(lambda: accounts.get_actor(db, email, action=ACTION, target=target))


def run_list(args) -> int:
    db = _open(args)
    for g in comparators.all_groups(db, csa_config.data_dir()):
        members = "every " + g.level if g.everyone else f"{len(g.members)} {g.level}s"
        held = (
            f"uploaded by {g.uploaded_by}, {g.uploaded_at:%d %b %Y %H:%M}"
            if g.uploaded
            else "bundled"
        )
        print(f"{g.name}: {members}; {g.source}, {g.vintage}; {held}")
    return 0


def run_import(args) -> int:
    db = _open(args)
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"{path}: no such file", EXIT_REJECTED)
    actor = _actor(db, args.user, f"comparator groups {path.name}")
    outcome = _guard(
        lambda: comparators.save_uploaded(
            db, actor, path.read_bytes(), path.name, csa_config.data_dir()
        )
    )
    for name, what in outcome.items():
        print(f"{name}: {what}.")
    return 0


def run_delete(args) -> int:
    db = _open(args)
    actor = _actor(db, args.user, f"comparator group {args.name}")
    _guard(lambda: comparators.delete_uploaded(db, actor, args.name, csa_config.data_dir()))
    print(f"{args.name}: deleted.")
    return 0
