"""Cached reads through the one gateway, keyed on the data version.

Every cached read takes ``version`` (the highest audit id, which grows with every write),
so new figures show on the next rerun, on every server, without clearing caches by hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from csa import config as csa_config
from csa.db import Database
from csa.seed import seed


def settings() -> dict:
    """The app's settings (config.toml and the environment), read on each run: cheap."""
    return csa_config.load()


def database() -> Database:
    """The gateway on the configured database, created, migrated and seeded if new."""
    s = settings()
    return _database(s["database_url"], str(csa_config.data_dir(s)))


@st.cache_resource(show_spinner="Preparing the database…")
def _database(url: str, data_dir: str) -> Database:
    db = Database(url)
    seed(db, Path(data_dir))
    return db


def version() -> tuple[str, int]:
    """Cache key of the data: the database URL and its data version."""
    db = database()
    return db.url, db.data_version()


@st.cache_data(show_spinner=False, max_entries=64)
def _table(name: str, version: tuple[str, int]) -> pd.DataFrame:
    return getattr(database(), name)()


def areas() -> pd.DataFrame:
    return _table("areas", version())


def area_members() -> pd.DataFrame:
    return _table("area_members", version())


def indicators() -> pd.DataFrame:
    return _table("indicators", version())


def targets() -> pd.DataFrame:
    return _table("targets", version())


def periods() -> pd.DataFrame:
    return _table("periods", version())


def populations() -> pd.DataFrame:
    return _table("populations", version())


def themes() -> pd.DataFrame:
    return _table("themes", version())


def observations() -> pd.DataFrame:
    return _table("observations", version())
