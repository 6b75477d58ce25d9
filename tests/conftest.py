"""Shared fixtures: throwaway databases, seeded from the bundled data.

``db`` is a fresh, migrated and seeded gateway for each test. On SQLite it is a copy of a
template file seeded once per session. When ``CSA_TEST_POSTGRES_URL`` is set (``.ci/run`` and
``make test`` start a local server), ``db`` also runs every test on PostgreSQL, on a new
database cloned from a seeded template database.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from csa import config as csa_config
from csa import publish
from csa.db import Database
from csa.seed import seed

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("CSA_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return csa_config.data_dir()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory, data_dir) -> Path:
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    db = Database(f"sqlite:///{path}")
    seed(db, data_dir)
    publish.ensure(db, csa_config.load())  # as `init` does: copies start published
    db.dispose()
    return path


def _pg_admin_engine():
    url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    return create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT"), url


@pytest.fixture(scope="session")
def postgres_template(data_dir):
    if not PG_URL:
        pytest.skip("CSA_TEST_POSTGRES_URL is not set")
    admin, url = _pg_admin_engine()
    name = f"csa_template_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(url.set(database=name).render_as_string(hide_password=False))
    seed(db, data_dir)
    publish.ensure(db, csa_config.load())
    db.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh(backend: str, request, tmp_path: Path) -> Database:
    if backend == "sqlite":
        path = tmp_path / "csa.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return Database(f"sqlite:///{path}")
    template = request.getfixturevalue("postgres_template")
    admin, url = _pg_admin_engine()
    name = f"csa_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    db = Database(url.set(database=name).render_as_string(hide_password=False))

    def drop():
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return db


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path) -> Database:
    """A fresh seeded database (SQLite, and PostgreSQL when configured)."""
    database = _fresh(request.param, request, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(request, tmp_path) -> Database:
    """A fresh seeded SQLite database (for tests that only need one backend, e.g. AppTest)."""
    database = _fresh("sqlite", request, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def app_env(sqlite_db, monkeypatch):
    """Point the app (AppTest) at a fresh seeded database; returns the gateway."""
    monkeypatch.setenv("CSA_DATABASE_URL", sqlite_db.url)
    return sqlite_db


# -- AppTest helpers -----------------------------------------------------------------------
def app_test(
    viewer=None,
    *,
    script: str = "app.py",
    query: dict | None = None,
    embedded: bool = False,
    user: dict | None = None,
    secrets: dict | None = None,
    timeout: float = 90,
    run: bool = True,
) -> AppTest:
    """An AppTest of ``script`` (app.py, or a page file run on its own), by absolute path.

    ``viewer`` goes into session state, ``query`` into the query parameters, ``embedded``
    sets ``st.context.is_embedded``, ``user`` and ``secrets`` set ``st.user`` and
    ``st.secrets``. Run once unless ``run`` is false (e.g. to switch page first).
    """
    at = AppTest.from_file(str(ROOT / script), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if viewer is not None:
        at.session_state["viewer"] = viewer
    if embedded:
        at.context["is_embedded"] = True
    if user is not None:
        at.user = user
    if secrets is not None:
        at.secrets = secrets
    return at.run() if run else at


def open_page(at: AppTest, path: str) -> AppTest:
    """Switch to ``path`` (a page app.py's navigation registered), run it, check nothing
    raised."""
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def reachable(at: AppTest, path: str) -> bool:
    """True when the navigation built for this session registered ``path``."""
    try:
        at.switch_page(path)
    except ValueError as exc:
        assert "Could not find a navigation page" in str(exc)
        return False
    return True


@pytest.fixture(autouse=True)
def _remove_test_databases(tmp_path):
    """Delete each test's database copies when it ends (a published database is tens of
    megabytes, and pytest keeps every test's tmp_path until the session ends)."""
    yield
    for path in tmp_path.rglob("*.db*"):
        try:
            path.unlink()
        except OSError:  # still open on a platform that forbids it: left for pytest
            pass


def run_async(coro):
    """Run a coroutine to completion in a thread of its own: the browser tests' Playwright
    (sync API) keeps an event loop running in the main thread for the whole session, where
    ``asyncio.run`` refuses to start another."""
    import asyncio
    import threading

    box: dict = {}

    def work():
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


_ROW = re.compile(r'^<div class="csa-row">(.*)</div>$', re.S)
_CELL = re.compile(r"<div>(.*?)</div>", re.S)


def scorecard_rows(at: AppTest) -> list[list[str]]:
    """The overview's scorecard rows (ui.scorecard.indicator_row), each as its five cells'
    HTML: title and tags, figure, target, sparkline, status."""
    rows = []
    for m in at.markdown:
        found = _ROW.match(m.value)
        if found:
            rows.append(_CELL.findall(found.group(1)))
    return rows


def row_title(cells: list[str]) -> str:
    """A scorecard row's indicator title, as shown (HTML entities undone)."""
    return html.unescape(re.match(r"<strong>(.*?)</strong>", cells[0]).group(1))
