"""Browser test harness: a real Streamlit server and Debian's Chromium through Playwright.

Fixtures (reusable by every browser test module):

``app_url``
    Base URL (``http://127.0.0.1:<port>``) of ``streamlit run app.py`` started for the
    module on a copy of the seeded template database, stopped afterwards. A module may
    override ``app_server_env`` (a dict) to set extra environment variables for its server,
    e.g. ``{"CSA_PUBLIC_ONLY": "true"}``.
``app_database_url``
    The SQLAlchemy URL of that module's database (to arrange data or check writes).
``page``
    pytest-playwright's page, in Chromium at 1400 x 1000.

Helpers in :mod:`tests.browser.helpers`: ``wait_for_app`` (connected and the script
finished), ``open_page`` (go to a path and wait), ``screenshot`` (a PNG under
``test-output/screenshots`` for a person to look at), ``exceptions``.

When ``/usr/bin/chromium`` is missing the tests fail with a clear message in CI (``CI`` set)
and are skipped elsewhere. Every test collected under ``tests/browser`` is marked
``browser``, so ``pytest -m "not browser"`` runs everything else.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.helpers import LOGS, ROOT

CHROMIUM = Path(os.environ.get("CSA_CHROMIUM", "/usr/bin/chromium"))
STARTUP_TIMEOUT_S = 60
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# -- Chromium through pytest-playwright -------------------------------------------------------
@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; fail in CI and skip locally when it is not installed."""
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"Chromium is not installed at {CHROMIUM}: the browser tests need Debian's "
            "chromium package (apt-get install chromium; .ci/run installs it), or set "
            "CSA_CHROMIUM to another Chromium binary."
        )
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1400, "height": 1000},
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


# -- the app server ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


class AppServer:
    """``streamlit run app.py`` on a free loopback port, with its own environment."""

    def __init__(
        self, database_url: str, env: dict[str, str] | None = None, log_name: str = "app"
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.env = {
            **os.environ,
            "CSA_DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log_path = LOGS / f"{log_name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> AppServer:
        log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {self.process.returncode} "
                    f"before it was ready:\n{self.log_tail()}"
                )
            if _healthy(self.url):
                return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"streamlit was not healthy within {STARTUP_TIMEOUT_S} s on "
            f"{self.url}:\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def app_server_env() -> dict[str, str]:
    """Extra environment for this module's server (override in a test module)."""
    return {}


@pytest.fixture(scope="module")
def app_database_url(request, tmp_path_factory) -> str:
    """A copy of the seeded template database for this module's server."""
    template = request.getfixturevalue("sqlite_template")
    path = tmp_path_factory.mktemp("browser-db") / "csa.db"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def app_server(request, chromium_path, app_database_url, app_server_env):
    name = request.module.__name__.rsplit(".", 1)[-1]
    server = AppServer(app_database_url, app_server_env, log_name=name).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def app_url(app_server) -> str:
    return app_server.url
