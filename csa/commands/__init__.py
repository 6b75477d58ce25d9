"""Sub-commands of ``python -m csa``; each module has ``register(subparsers)``."""

from __future__ import annotations

from csa import config as csa_config
from csa.db import Database


def open_database(args) -> Database:
    """The database named on the command line, else the configured one."""
    url = getattr(args, "database_url", None)
    return Database(
        csa_config.resolve_database_url(url) if url else csa_config.load()["database_url"]
    )
