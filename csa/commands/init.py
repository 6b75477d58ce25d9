"""``init``: create or upgrade the database and load the bundled data (idempotent)."""

from __future__ import annotations

from csa import config as csa_config
from csa import publish
from csa.commands import open_database
from csa.seed import seed


def register(sub) -> None:
    p = sub.add_parser(
        "init",
        help="create/upgrade the database and load the bundled data",
        description="Create or migrate the database and load the bundled data. "
        "Running it again changes nothing.",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    db = open_database(args)
    settings = csa_config.load()
    result = seed(db, csa_config.data_dir(settings))
    obs = result["observations"]
    if result["changed"]:
        print(f"Database ready at {db.url}: {obs['new']} figures loaded, {obs['changed']} revised.")
    else:
        print(f"Database at {db.url} is up to date; nothing changed.")
    publish.ensure(db, settings)
    for line in first_run_hints(db):
        print(line)
    return 0


def first_run_hints(db) -> list[str]:
    """Lines that tell a newcomer what to do next (e.g. how to create the first admin)."""
    from csa.accounts import first_run_hints as account_hints

    return account_hints(db)
