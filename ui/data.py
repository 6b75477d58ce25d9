"""Cached reads through the one gateway, keyed on the data version.

Every cached read takes ``version`` (the highest audit id, which grows with every write),
so new figures show on the next rerun, on every server, without clearing caches by hand.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from csa import config as csa_config
from csa import publish
from csa.db import Database
from csa.seed import seed
from ui.shared_results import SharedResults


def settings() -> dict:
    """The app's settings: this run's (read once by :func:`ui.context.build`), or, before or
    outside a run, as they are now (:func:`ui.context.settings_now`)."""
    ctx = _context()
    if ctx is not None:
        return ctx.settings
    from ui import context  # context imports this module

    return context.settings_now()


def _context():
    from ui import context  # context imports this module

    ctx = context._CURRENT.get()
    return ctx if ctx is not None and context._same_run(ctx) else None


#: The gateway per database url and data directory
_DATABASES = SharedResults(max_entries=8)


def database(s: dict | None = None) -> Database:
    """The gateway on the configured database, created, migrated and seeded if new (once per
    process and database)."""
    s = s or settings()
    key = (s["database_url"], str(csa_config.data_dir(s)))
    make = functools.partial(_database, *key)
    if key in _DATABASES or get_script_run_ctx() is None:  # no spinner outside a page run
        return _DATABASES.get(key, make)
    with st.spinner("Preparing the database…"):
        return _DATABASES.get(key, make)


def _database(url: str, data_dir: str) -> Database:
    db = Database(url)
    seed(db, Path(data_dir))
    return db


def version() -> tuple[str, int]:
    """Cache key of the data: the database URL and its data version (this run's)."""
    ctx = _context()
    if ctx is not None:
        return ctx.version_key
    db = database()
    return db.url, db.data_version()


#: (database url, publication key) pairs this process has seen ready (so a run checks none
#: again)
_PUBLISHED: set = set()


def publication(db: Database, s: dict, data_version: int) -> str:
    """The key of the published figures for this data version, publishing them first if no
    server has yet (:func:`csa.publish.ensure`)."""
    key = publish.publication_key(data_version, s)
    if (db.url, key) in _PUBLISHED:
        return key
    with st.spinner("Publishing the latest figures…"):
        key = publish.ensure(db, s)
    _PUBLISHED.add((db.url, key))
    return key


#: Reference tables, one copy per process and data version (not unpickled on each hit, as
#: an ``st.cache_data`` hit of the whole observations table was)
_TABLES = SharedResults(max_entries=64)
#: Results made once per kind and key and shared by every session (:func:`shared`)
_SHARED = SharedResults(max_entries=512)


def _table(name: str, version: tuple[str, int]) -> pd.DataFrame:
    table = _TABLES.get((name, version), lambda: getattr(database(), name)())
    # a shallow copy: with pandas' copy-on-write a caller's change never reaches the cache
    return table.copy(deep=False)


def shared(what: str, key: tuple, make):
    """``make()``, made once per ``what`` (the kind of result, e.g. "indicator csv") and
    ``key`` (everything it is made from, e.g. :attr:`ui.context.Context.scope` and the
    slice: hashable values), and shared by every session of this server
    (:class:`ui.shared_results.SharedResults`). Never change it."""
    return _SHARED.get((what, key), make)


def reference_table(name: str) -> pd.DataFrame:
    """A table the gateway reads whole (``Database.<name>()``), once per data version."""
    return _table(name, version())


def areas() -> pd.DataFrame:
    return _table("areas", version())


def area_names() -> dict[str, str]:
    """{area code: name}, once per data version (shared: never change it)."""

    def make() -> dict[str, str]:
        table = areas()
        return dict(zip(table["code"], table["name"], strict=True))

    return shared("area names", version(), make)


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


# -- assessment -------------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=8)
def _inputs(version: tuple[str, int]):
    from csa.assess import Inputs

    return Inputs.from_db(database())


def inputs():
    """Everything the assessment reads (cached on the data version)."""
    return _inputs(version())


def visible_indicators(viewer) -> pd.DataFrame:
    """The indicators this viewer may see (restricted ones only for those allowed)."""
    from csa.access import Actor, can_see_indicator

    actor = Actor(viewer.email, viewer.role, viewer.org_code)
    ind = indicators()
    keep = [
        can_see_indicator(actor, p, o)
        for p, o in zip(ind["public"], ind["lead_org_code"], strict=True)
    ]
    return ind[keep]


def periods_with_figures(frequency: str = "quarterly") -> list[str]:
    """Period labels of ``frequency`` that have any figure, oldest first."""
    return list(
        shared("periods with figures", (frequency, version()), lambda: _with_figures(frequency))
    )


def _with_figures(frequency: str) -> tuple[str, ...]:
    per = periods()
    labels = set(series_kinds()["period_label"])
    per = per[(per["frequency"] == frequency) & per["label"].isin(labels)]
    return tuple(per.sort_values("start_date")["label"])


def series_kinds() -> pd.DataFrame:
    """Each (indicator_code, period_label, data_kind) holding a current figure
    (:meth:`csa.db.observations.ObservationGateway.series_kinds`): one DISTINCT query per
    data version, from which the periods held and each series' span are both worked out
    (at 100 times the indicators it is seconds: start-up makes it, :mod:`ui.warm`). Shared:
    never change it."""
    return series_kinds_of(version())


def series_kinds_of(version: tuple[str, int]) -> pd.DataFrame:
    """:func:`series_kinds` by data version (``(database url, data version)``)."""
    return shared("series kinds", version, lambda: database().series_kinds())


def next_periods(label: str, n: int = 1) -> list[str]:
    """The ``n`` periods of the same frequency after ``label`` (e.g. the quarter now due)."""
    return list(shared("next periods", (label, n, version()), lambda: _next(label, n)))


def _next(label: str, n: int) -> tuple[str, ...]:
    per = periods()
    freq = per.loc[per["label"] == label, "frequency"]
    if freq.empty:
        return ()
    same = per[per["frequency"] == freq.iloc[0]].sort_values("start_date")["label"].tolist()
    i = same.index(label)
    return tuple(same[i + 1 : i + 1 + n])


def plan_trajectory(indicator_code: str, area_code: str) -> dict[str, float] | None:
    """The expected recovery trajectory of the current plan for this indicator and area."""
    db = database()
    if not hasattr(db, "current_trajectory"):
        return None
    return _trajectory(indicator_code, area_code, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _trajectory(indicator_code: str, area_code: str, version: tuple[str, int]):
    return database().current_trajectory(indicator_code, area_code)


def today() -> date:
    """Today's date, for due dates and out-of-date flags."""
    return date.today()


@st.cache_resource(show_spinner="Reading the Home Office tables…")
def national_rates(data_dir: str) -> pd.DataFrame:
    """Every partnership, force and benchmark on every offence group (Home Office, year
    ending June 2025; :func:`csa.national.offence_rates`), computed once per data directory
    (shared: do not modify the frame)."""
    from csa import national

    return national.offence_rates(Path(data_dir))
