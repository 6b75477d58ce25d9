"""``python -m csa``: the command line, a thin layer over the csa modules.

Each command lives in ``csa/commands/<name>.py`` with ``register(subparsers)`` adding its
parser (and ``func``). Exit codes: 0 success, 1 failure, 2 rejected input (nothing written),
3 permission refused. Errors are one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sqlalchemy.exc import SQLAlchemyError

from csa.access import PermissionDenied
from csa.config import ConfigError

#: Command modules under csa.commands, in the order --help lists them.
COMMAND_MODULES = (
    "init",
    "info",
    "demo",
    "assess",
    "publish",
    "template",
    "import_return",
    "rollback",
    "strategic",
    "comparators",
    "user",
    "plans",
    "board_pack",
)

EXIT_OK, EXIT_FAILURE, EXIT_REJECTED, EXIT_REFUSED = 0, 1, 2, 3


class CommandError(Exception):
    """A command failed with a message for the user and an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m csa",
        description="Lancashire Community Safety Agreement dashboard: data and reports.",
    )
    parser.add_argument(
        "--database-url", help="override the database (else config.toml or CSA_DATABASE_URL)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"csa.commands.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except PermissionDenied as exc:
        print(f"error: refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except (ConfigError, ValueError, PermissionError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except SQLAlchemyError as exc:
        print(f"error: database: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except Exception as exc:  # the user gets one line, never a traceback
        print(f"error: unexpected failure ({type(exc).__name__}): {exc}", file=sys.stderr)
        return EXIT_FAILURE
