"""Sub-commands of ``python -m csa``; each module has ``register(subparsers)``."""

from __future__ import annotations

import getpass
import os

from csa import config as csa_config
from csa.db import Database


def os_login() -> str:
    """The operating-system login running the command (its uid in a bare container)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def open_database(args) -> Database:
    """The database named on the command line, else the configured one."""
    url = getattr(args, "database_url", None)
    db = Database(
        csa_config.resolve_database_url(url) if url else csa_config.load()["database_url"]
    )
    # Audit entries name the operating-system login too: ``cli:deploy as jo@example.org``
    # for ``--user jo@example.org`` (the command line's own administrator is ``cli:deploy``).
    db.acting_via = f"cli:{os_login()}"
    return db
