"""``user``: add users, change roles, disable and enable accounts, set passwords, list users.

The command line runs on the server, with the database's own credentials, so it acts as an
administrator named after the operating-system account (``cli:<login>`` in the audit log).
A password is never taken as an argument (it would show in the shell history and process
list): it is read from standard input with ``--password-stdin``, or asked for without echo
when a terminal is attached.

Exit codes: 0 done, 1 failure, 2 rejected input (nothing written), 3 refused.
"""

from __future__ import annotations

import getpass
import json
import os
import sys

import pandas as pd

from csa import accounts
from csa.access import ROLES, Actor, PermissionDenied
from csa.cli import EXIT_REFUSED, EXIT_REJECTED, CommandError
from csa.commands import open_database


def register(sub) -> None:
    p = sub.add_parser(
        "user",
        help="manage users, roles and passwords",
        description="Manage the dashboard's users. Roles: " + ", ".join(ROLES) + ".",
    )
    users = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    add = users.add_parser(
        "add",
        help="register a user",
        description="Register a user. Officers need --org (the organisation "
        "whose indicators they report). Without a password the "
        "account signs in only through the identity provider or "
        "trusted proxy headers.",
    )
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--org", help="organisation code, e.g. LANCS-POLICE (needed for officers)")
    add.add_argument("--name", default="", help="the person's name")
    _password_source(add)
    add.set_defaults(func=run_add)

    role = users.add_parser("set-role", help="change a user's role (and organisation)")
    role.add_argument("email")
    role.add_argument("role", choices=ROLES)
    org = role.add_mutually_exclusive_group()
    org.add_argument("--org", help="set the organisation too")
    org.add_argument("--no-org", action="store_true", help="clear the organisation")
    role.set_defaults(func=run_set_role)

    for name, helptext, func in (
        ("disable", "disable an account (it can no longer sign in or act)", run_disable),
        ("enable", "enable an account again (also lifts a lock-out)", run_enable),
    ):
        cmd = users.add_parser(name, help=helptext)
        cmd.add_argument("email")
        cmd.set_defaults(func=func)

    pw = users.add_parser(
        "password",
        help="set, reset or remove a local password",
        description="Set a user's local password (and lift any lock-out).",
    )
    pw.add_argument("email")
    _password_source(pw, allow_none="--remove")
    pw.set_defaults(func=run_password)

    ls = users.add_parser("list", help="list users (never their passwords)")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=run_list)


def _password_source(parser, allow_none: str = "--no-password") -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    group.add_argument(
        allow_none,
        dest="no_password",
        action="store_true",
        help="no local password (sign-in through the identity provider or proxy only)",
    )


def cli_actor() -> Actor:
    """The administrator the command line acts as, named after the OS login."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        login = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return Actor(f"cli:{login}", "admin")


def _read_password(args, email: str) -> str | None:
    """The new password, from stdin or a prompt; None for an account without one."""
    if args.no_password:
        return None
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise CommandError("--password-stdin: standard input held no password.", EXIT_REJECTED)
        return line
    if sys.stdin.isatty():
        first = getpass.getpass(f"Password for {email} (empty: no local password): ")
        if not first:
            return None
        accounts.check_password_strength(first, email)
        if getpass.getpass("The same password again: ") != first:
            raise CommandError("The two passwords differ; nothing was changed.", EXIT_REJECTED)
        return first
    return None


def _open(args):
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("The database is empty: run `python -m csa init` first.")
    return db


def _guarded(action):
    """Run ``action`` turning rejected input into exit 2 and refusals into exit 3."""
    try:
        return action()
    except PermissionDenied as exc:
        raise CommandError(str(exc), EXIT_REFUSED) from None
    except accounts.AccountError as exc:
        raise CommandError(str(exc), EXIT_REJECTED) from None


def run_add(args) -> int:
    db = _open(args)
    email = _guarded(lambda: accounts.normalise_email(args.email))
    password = _guarded(lambda: _read_password(args, email))
    user = _guarded(
        lambda: accounts.add_user(
            db, cli_actor(), email, args.role, org_code=args.org, name=args.name, password=password
        )
    )
    org = f" of {user.org_code}" if user.org_code else ""
    print(f"Added {user.email} as {user.role}{org}.")
    if password is None:
        print(
            "No local password was set: this account can sign in only through the identity "
            "provider or the trusted proxy headers. To give it one: "
            f"python -m csa user password {user.email} --password-stdin"
        )
    return 0


def run_set_role(args) -> int:
    db = _open(args)
    kwargs = {}
    if args.no_org:
        kwargs["org_code"] = None
    elif args.org is not None:
        kwargs["org_code"] = args.org
    user = _guarded(lambda: accounts.set_role(db, cli_actor(), args.email, args.role, **kwargs))
    org = f" of {user.org_code}" if user.org_code else ""
    print(f"{user.email} is now {user.role}{org}.")
    return 0


def run_disable(args) -> int:
    db = _open(args)
    _guarded(lambda: accounts.disable_user(db, cli_actor(), args.email))
    print(f"Disabled {args.email.strip().lower()}.")
    return 0


def run_enable(args) -> int:
    db = _open(args)
    _guarded(lambda: accounts.enable_user(db, cli_actor(), args.email))
    print(f"Enabled {args.email.strip().lower()}.")
    return 0


def run_password(args) -> int:
    db = _open(args)
    email = _guarded(lambda: accounts.normalise_email(args.email))
    if not args.no_password and not args.password_stdin and not sys.stdin.isatty():
        raise CommandError("No password given: use --password-stdin (or --remove).", EXIT_REJECTED)
    password = _guarded(lambda: _read_password(args, email))
    if password is None and not args.no_password:
        raise CommandError("No password given; nothing was changed.", EXIT_REJECTED)
    _guarded(lambda: accounts.set_password(db, cli_actor(), email, password))
    print(f"Password {'set' if password else 'removed'} for {email}; any lock-out is lifted.")
    return 0


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def run_list(args) -> int:
    db = _open(args)
    users = _guarded(lambda: accounts.list_users(db, cli_actor()))
    if args.json:
        records = [
            {k: (None if _missing(v) else v) for k, v in row.items()}
            for row in users.to_dict(orient="records")
        ]
        print(json.dumps(records, indent=2, default=str))
        return 0
    if users.empty:
        print("No users yet.")
        for line in accounts.first_run_hints(db):
            print(line)
        return 0
    for u in users.itertuples():
        state = "disabled" if u.disabled else "active"
        if not _missing(u.locked_until):
            state += f", locked until {u.locked_until:%Y-%m-%d %H:%M} UTC"
        login = "never" if _missing(u.last_login_at) else f"{u.last_login_at:%Y-%m-%d %H:%M}"
        print(
            f"{u.email:<36} {u.role:<8} {u.org_code or '-':<14} {state:<9} "
            f"password: {'yes' if u.has_password else 'no ':<3}  last sign-in: {login}"
            + (f"  ({u.name})" if u.name else "")
        )
    return 0
