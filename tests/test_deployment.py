"""Several app servers behind nginx on one PostgreSQL database, as deploy/ documents it.

Starts, on loopback only, and stops again: a fresh PostgreSQL database (cloned from the
seeded template, then ``python -m csa init`` as a deployment would), the roles of
``deploy/postgres-roles.sql`` (with names of their own), two ``uvicorn serve:app`` servers
connecting as the officer entry's role and sharing ``CSA_SESSION_SECRET``, and Debian's
nginx with ``deploy/nginx.conf``. Then, like a browser (plain HTTP for the forms,
Streamlit's own websocket protocol for the pages, through ``bench.driver.Session``), it
proves that:

* nginx gives a browser its route cookie once, and keeps it on one server: a download file
  made by that server's page is served through the proxy every time, and only that server
  has it (sticky sessions are needed, and work, websocket included);
* the app's security headers come through nginx; a client's ``X-Forwarded-Proto`` is
  replaced by nginx's own (the session cookie is not marked Secure over plain HTTP);
  nginx's upload limit lets a body of ``server.maxUploadSize`` through and refuses a larger
  one;
* signing in through the proxy works with the sign-in page's own form token and a
  browser's ``Origin`` (nginx passes ``Host`` with its port);
* the grants of ``postgres-roles.sql`` are enough for the officer entry: sign-in sessions,
  publishing the figures of a new data version, reading them;
* a return imported with the command line (a third process on the database) shows on the
  next rerun of an open page on each server, and in each server's open-data API;
* when the browser's server stops, nginx sends its next requests (and its reconnecting
  websocket) to the other server at once, where it is still signed in (the session lives in
  the database) and sees the same figures.

Only documented (deploy/README.md): TLS and ``Secure`` cookies behind it, the one-day
websocket timeout, more than two servers, the public-only entry and its read-only role,
``hash $remote_addr`` as the fallback, and the container files (``compose.yaml``,
``Dockerfile``), which are not run here.

Needs ``CSA_TEST_POSTGRES_URL`` (``make test`` starts a throwaway cluster, as superuser:
the test creates roles) and nginx (``apt-get install nginx``): skipped without them, except
that with ``CI`` set a missing nginx fails the test.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import websockets
from google.protobuf.descriptor import FieldDescriptor
from sqlalchemy import create_engine, text
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.driver import FINISHED, RunFailed, Session
from csa.cli import main as csa_cli
from csa.db import Database
from csa.returns import window
from tests.conftest import _pg_admin_engine, run_async
from tests.returns_workbooks import TODAY, edit, fill_in

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
ROLES_SQL = ROOT / "deploy" / "postgres-roles.sql"
SECRET = "deployment-test-secret-" + "x" * 20
EMAIL = "analyst@lancashire.gov.uk"
PASSWORD = "correct horse battery staple"
SIGNED_IN = f"Signed in as {EMAIL} (analyst)"  # the sidebar, on every page
START_TIMEOUT_S = 60
PAGE_TIMEOUT_S = 60
# The figure the return changes: DA-01 (public) for Burnley in 2026-27 Q2, whose numerator
# is row 4 of the LANCS-POLICE template. 937 / 95,553 per 1,000 = 9.806 ("9.8") becomes
# 1,234 / 95,553 per 1,000 = 12.914 ("12.9").
INDICATOR, AREA, PERIOD, ROW = "DA-01", "E07000117", "2026-27 Q2", 4
BEFORE, AFTER = ("9.8", "937"), ("12.9", "1,234")
FIGURE_QUERY = urlencode({"indicator": INDICATOR, "area": AREA, "period": PERIOD})
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


_CLOCK = [time.monotonic()]


def step(name: str) -> None:
    """Print how long the test has run (shown when it fails)."""
    print(f"{time.monotonic() - _CLOCK[0]:6.1f} s  {name}")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if found is None:
        message = (
            "nginx is not installed: the deployment test needs Debian's nginx package "
            "(apt-get install nginx; .ci/run and make test install it)."
        )
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_nginx(prefix: Path, listen: int, apps: list[int]) -> str:
    """deploy/nginx.conf with its placeholders filled (as deploy/README.md says)."""
    conf = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for name, value in {
        "@PREFIX@": str(prefix),
        "@LISTEN@": f"127.0.0.1:{listen}",
        "@APP1@": f"127.0.0.1:{apps[0]}",
        "@APP2@": f"127.0.0.1:{apps[1]}",
    }.items():
        assert name in conf, f"deploy/nginx.conf has no {name} placeholder"
        conf = conf.replace(name, value)
    assert "@" not in re.sub(r"#.*", "", conf), "a placeholder was left unfilled"
    return conf


# -- processes --------------------------------------------------------------------------------
class Process:
    """A child process with its output in a log file; ``stop`` always ends it."""

    def __init__(self, name: str, argv: list[str], log: Path, env: dict | None = None):
        self.name, self.argv, self.log = name, argv, log
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc: subprocess.Popen | None = None

    def start(self) -> Process:
        with self.log.open("w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 30) -> str:
        try:
            text_ = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return f"--- {self.name} ---\n" + "\n".join(text_.splitlines()[-lines:])

    def stop(self) -> None:
        if not self.alive():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def wait_until_healthy(processes: list[Process], ports: list[int]) -> None:
    """Every ``/_stcore/health`` answers ``ok`` within START_TIMEOUT_S (else fail with logs)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    waiting = dict(zip(ports, processes, strict=True))
    while waiting:
        for port, process in list(waiting.items()):
            if not process.alive():
                pytest.fail(f"{process.name} exited before it was ready:\n{process.tail()}")
            try:
                status, _, body = request(port, "GET", "/_stcore/health", timeout=2)
            except OSError:
                continue
            if status == 200 and body == b"ok":
                del waiting[port]
        if waiting and time.monotonic() > deadline:
            logs = "\n".join(p.tail() for p in waiting.values())
            pytest.fail(f"not healthy within {START_TIMEOUT_S} s:\n{logs}")
        if waiting:
            time.sleep(0.3)


# -- a browser's HTTP, without following redirects ----------------------------------------
def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30,
) -> tuple[int, list[tuple[str, str]], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


def set_cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    """name -> the whole Set-Cookie line, for each cookie set by this response."""
    lines = [v for k, v in headers if k.lower() == "set-cookie"]
    return {line.split("=", 1)[0].strip(): line for line in lines}


class Browser:
    """A cookie jar for one origin (host:port), sending what a browser sends."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def send(self, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
        status, got, content = request(
            self.port, method, path, headers={**self.cookie_header(), **(headers or {})}, body=body
        )
        for name, line in set_cookies(got).items():
            value = line.split("=", 1)[1].split(";", 1)[0]
            if "max-age=0" in line.lower().replace(" ", "") or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return status, got, content

    def page(self, page: str, query: str = "") -> Viewer:
        return Viewer(
            self.origin, page, query, headers={"Origin": self.origin, **self.cookie_header()}
        )


# -- a Streamlit page over the websocket ------------------------------------------------------
def strings(message, out: list[str]) -> list[str]:
    """Every string field in a protobuf message (the texts of an element), recursively."""
    for field, value in message.ListFields():
        for item in value if field.is_repeated else [value]:
            if field.type == FieldDescriptor.TYPE_STRING:
                out.append(item)
            elif field.type == FieldDescriptor.TYPE_MESSAGE:
                strings(item, out)
    return out


class Viewer(Session):
    """bench.driver's Session, sending the browser's cookies and Origin with the websocket
    and keeping the texts the page drew on its last run."""

    def __init__(self, base_url: str, page: str, query: str, headers: dict[str, str]):
        super().__init__(base_url, page, query, timeout=PAGE_TIMEOUT_S)
        self.headers = headers
        self.texts: list[str] = []

    async def open(self) -> float:
        self._ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            additional_headers=self.headers,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,  # the test's loop sleeps between steps: no keepalive pings
        )
        return await self.rerun()

    async def rerun(self) -> float:
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_name = self.page  # by its address, as a reload does
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        self.texts, self.errors = [], []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self._ws.recv(), timeout=self.timeout))
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "exception":
                    self.errors.append(element.exception.message)
                strings(fwd.delta, self.texts)
            elif kind == "script_finished":
                if fwd.script_finished not in FINISHED or self.errors:
                    raise RunFailed(f"{self.page}: {fwd.script_finished} {self.errors[:1]}")
                return time.perf_counter() - started

    def shows(self, value: str) -> bool:
        return value in self.texts


def run(coro):
    return run_async(asyncio.wait_for(coro, timeout=2 * PAGE_TIMEOUT_S))


async def visit(viewer: Viewer) -> Viewer:
    """Open the page once and close the websocket (a page view)."""
    try:
        await viewer.open()
    finally:
        await viewer.close()
    return viewer


def api_figure(port: int) -> dict:
    import json

    status, headers, body = request(port, "GET", f"/api/v1/figures?{FIGURE_QUERY}")
    assert status == 200, body[:300]
    rows = json.loads(body)["data"]
    assert len(rows) == 1, rows
    return rows[0]


# -- the test -------------------------------------------------------------------------------
def roles_sql(owner: str, database: str, app: str, public: str) -> list[str]:
    """deploy/postgres-roles.sql's statements, with this test's names."""
    sql = re.sub(r"--[^\n]*", "", ROLES_SQL.read_text(encoding="utf-8"))
    for name, value in {
        r"\bcsa_owner\b": owner,
        r"\bDATABASE csa\b": f'DATABASE "{database}"',
        r"\bcsa_app\b": app,
        r"\bcsa_public\b": public,
    }.items():
        assert re.search(name, sql), f"deploy/postgres-roles.sql does not mention {name}"
        sql = re.sub(name, value, sql)
    return [s.strip() for s in sql.split(";") if s.strip()]


@pytest.fixture
def deployment_db(postgres_template):
    """A new database cloned from the seeded template, with the roles of
    deploy/postgres-roles.sql (under names of its own); all dropped afterwards.
    Gives (the owner's URL, the officer entry's URL)."""
    admin, url = _pg_admin_engine()
    suffix = uuid.uuid4().hex[:10]
    name, app, public = f"csa_deploy_{suffix}", f"csa_app_{suffix}", f"csa_public_{suffix}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"'))
    owner_url = url.set(database=name)
    engine = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in roles_sql(url.username, name, app, public):
                conn.exec_driver_sql(statement)
        engine.dispose()
        plain = owner_url.set(drivername="postgresql")
        yield (
            plain.render_as_string(hide_password=False),
            plain.set(username=app, password=None).render_as_string(hide_password=False),
        )
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for role in (app, public):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def test_two_servers_behind_nginx_share_sign_in_and_figures(deployment_db, tmp_path, monkeypatch):
    nginx = nginx_binary()
    _CLOCK[0] = time.monotonic()
    owner_url, app_url = deployment_db
    # the command line runs as the owner (migrations, users, imports); the servers as the
    # officer entry's role
    cli_env = {**os.environ, "CSA_DATABASE_URL": owner_url, "CSA_SESSION_SECRET": SECRET}
    app_env = {"CSA_DATABASE_URL": app_url, "CSA_SESSION_SECRET": SECRET}

    step("deploy: python -m csa init")
    init = subprocess.run(
        [sys.executable, "-m", "csa", "init"],
        cwd=ROOT,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert init.returncode == 0, init.stderr

    ports = [free_port(), free_port()]
    proxy_port = free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "nginx.conf").write_text(render_nginx(prefix, proxy_port, ports), encoding="utf-8")
    # run as root (CI), the workers would otherwise switch to a user who cannot reach the
    # temporary files' directory
    globals_ = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    nginx_argv = [nginx, "-p", str(prefix), "-e", str(prefix / "error.log")]
    nginx_argv += ["-c", str(prefix / "nginx.conf")]
    checked = subprocess.run([*nginx_argv, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr

    servers = [
        Process(
            f"app{i + 1}",
            [sys.executable, "-m", "uvicorn", "serve:app", "--host", "127.0.0.1"]
            + ["--port", str(port)],
            tmp_path / f"app{i + 1}.log",
            app_env,
        )
        for i, port in enumerate(ports)
    ]
    proxy = Process("nginx", [*nginx_argv, "-g", globals_], tmp_path / "nginx.log")
    everything = [*servers, proxy]
    try:
        for process in everything:
            process.start()
        step("servers starting; python -m csa user add")
        add = subprocess.run(
            [sys.executable, "-m", "csa", "user", "add", EMAIL, "--role", "analyst"]
            + ["--password-stdin"],
            cwd=ROOT,
            env=cli_env,
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert add.returncode == 0, add.stderr
        wait_until_healthy(servers, ports)
        wait_until_healthy([proxy], [proxy_port])
        step("two app servers and nginx healthy")
        check_deployment(servers, ports, proxy_port, owner_url, tmp_path, monkeypatch)
    except BaseException:
        print("\n".join(p.tail() for p in everything))
        raise
    finally:
        for process in everything:
            process.stop()
    assert all(not p.alive() for p in everything)


def check_deployment(servers, ports, proxy_port, database_url, tmp_path, monkeypatch):
    browser = Browser(proxy_port)

    step("the proxy: route cookie, security headers")
    # -- the proxy: a route cookie once, the app's security headers passed on ------------
    status, headers, _ = browser.send("GET", "/")
    assert status == 200
    route = set_cookies(headers)["csa_route"]
    assert "HttpOnly" in route and "SameSite=Lax" in route and "Secure" not in route
    assert set(browser.cookies) >= {"csa_route"}
    for name in SECURITY_HEADERS:
        assert header(headers, name), f"{name} did not come through the proxy"
    status, headers, body = browser.send("GET", "/_stcore/health")
    assert (status, body) == (200, b"ok")
    assert "csa_route" not in set_cookies(headers)  # a browser keeps the one route

    step("sign in through the proxy")
    # -- sign in through the proxy, like the browser: the form and its token from the page
    sign_in = run(visit(browser.page("sign-in")))
    form = next(t for t in sign_in.texts if 'action="/auth/sign-in"' in t)
    step("sign-in page drawn")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    fields = {"email": EMAIL, "password": PASSWORD, "csrf_token": token, "next": "/account"}
    status, headers, _ = browser.send(
        "POST",
        "/auth/sign-in",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": browser.origin,  # same origin only because nginx passes Host:port
            "Sec-Fetch-Site": "same-origin",
            "X-Forwarded-Proto": "https",  # a client's claim: nginx replaces it with http
        },
        body=urlencode(fields).encode(),
    )
    step("signed in")
    assert (status, header(headers, "location")) == (303, "/account")
    session_cookie = set_cookies(headers)["csa_session"]
    assert "HttpOnly" in session_cookie and "Secure" not in session_cookie
    for name in SECURITY_HEADERS:
        assert header(headers, name)

    step("sticky sessions")
    # -- sticky: the page's download file lives in one process only, the browser's --------
    figure_page = run(visit(browser.page("indicator", FIGURE_QUERY)))
    assert figure_page.shows(BEFORE[0]), figure_page.texts
    media = next(t for t in figure_page.texts if t.startswith("/media/") and t.endswith(".csv"))
    found = [request(port, "GET", media)[0] for port in ports]
    assert sorted(found) == [200, 404], found
    home = found.index(200)
    other = 1 - home
    for _ in range(8):  # every request of this browser reaches its server (not by luck)
        assert browser.send("GET", media)[0] == 200

    step("upload limit")
    # -- the upload limit is nginx's, in step with Streamlit's server.maxUploadSize --------
    streamlit_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"][
        "maxUploadSize"
    ]
    limit = re.search(r"client_max_body_size\s+(\d+)m;", NGINX_TEMPLATE.read_text())
    assert streamlit_mb < int(limit.group(1)) <= streamlit_mb + 1
    form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
    big = b"x" * (streamlit_mb * 1024 * 1024)  # as large as Streamlit accepts: passes nginx
    assert browser.send("POST", "/auth/sign-in", form_headers, big)[0] == 400  # the app's
    too_big = b"x" * ((int(limit.group(1)) + 1) * 1024 * 1024)
    assert browser.send("POST", "/auth/sign-in", form_headers, too_big)[0] == 413  # nginx's

    step("a viewer on each server")

    # -- a viewer on each server, signed in, before the import -----------------------------
    async def before_import():
        through_proxy = browser.page("indicator", FIGURE_QUERY)  # on the browser's server
        direct = Browser(ports[other])
        direct.cookies = {"csa_session": browser.cookies["csa_session"]}
        on_other = direct.page("indicator", FIGURE_QUERY)
        await through_proxy.open()
        await on_other.open()
        return through_proxy, on_other

    async def rerun_both(viewers):
        for viewer in viewers:
            await viewer.rerun()
        return viewers

    async def close_all(viewers):
        await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)

    # the websockets stay open across the steps, on one event loop of their own in a thread
    # (Playwright's sync API holds an event loop in this thread when browser tests ran first)
    loop = asyncio.new_event_loop()
    loop_thread = threading.Thread(target=loop.run_forever, daemon=True)
    loop_thread.start()

    def on_loop(coro, timeout=2 * PAGE_TIMEOUT_S):
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)

    viewers: tuple[Viewer, Viewer] | tuple = ()
    try:
        viewers = on_loop(asyncio.wait_for(before_import(), PAGE_TIMEOUT_S))
        for viewer in viewers:
            assert viewer.shows(BEFORE[0]) and viewer.shows(SIGNED_IN), viewer.texts
        for port in ports:
            figure = api_figure(port)
            assert (figure["value_text"], figure["numerator_text"]) == BEFORE

        step("import a return (command line)")
        # -- import a return with the command line (a third process on the database) -----
        monkeypatch.setattr(window, "today", lambda: TODAY)  # 2026-27 Q2 is open
        workbook = tmp_path / "police.xlsx"
        cli = ["--database-url", database_url]
        assert csa_cli([*cli, "template", "--org", "LANCS-POLICE", "--period", PERIOD,
                        "-o", str(workbook)]) == 0  # fmt: skip
        # the template's inputs start empty: type in the figures held, then change one
        holder = Database(database_url)
        try:
            filled = fill_in(holder, workbook.read_bytes(), PERIOD)
        finally:
            holder.dispose()
        workbook.write_bytes(edit(filled, {f"I{ROW}": 1234}))
        assert csa_cli([*cli, "import-return", str(workbook), "--user", EMAIL,
                        "--accept-warnings"]) == 0  # fmt: skip

        step("imported: reruns and the API")
        # -- each server's page shows it on its next rerun, and each server's API ---------
        on_loop(asyncio.wait_for(rerun_both(viewers), PAGE_TIMEOUT_S))
        for viewer in viewers:
            assert viewer.shows(AFTER[0]) and not viewer.shows(BEFORE[0]), viewer.texts
        for port in ports:
            figure = api_figure(port)
            assert (figure["value_text"], figure["numerator_text"]) == AFTER
    finally:
        on_loop(close_all(viewers))
        loop.call_soon_threadsafe(loop.stop)
        loop_thread.join(timeout=10)
        loop.close()

    step("failover")
    # -- the browser's server stops: the proxy sends it to the other, still signed in -----
    servers[home].stop()
    status, _, body = browser.send("GET", "/_stcore/health")
    assert (status, body) == (200, b"ok")  # nginx moved on to the other server at once
    account = run(visit(browser.page("account")))
    assert any(f"({EMAIL}), role **analyst**" in t for t in account.texts), account.texts
    assert any('action="/auth/sign-out"' in t for t in account.texts)
    figure_page = run(visit(browser.page("indicator", FIGURE_QUERY)))
    assert figure_page.shows(AFTER[0]), figure_page.texts
    assert figure_page.shows(SIGNED_IN)
    assert api_figure(proxy_port)["value_text"] == AFTER[0]
    assert servers[other].alive()
    step("done")


@pytest.mark.parametrize(
    "ci, outcome",
    [("true", pytest.fail.Exception), ("", pytest.skip.Exception), ("0", pytest.skip.Exception)],
)
def test_without_nginx_the_test_fails_in_ci_and_is_skipped_elsewhere(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(outcome, match="nginx is not installed"):
        nginx_binary()


def test_the_nginx_template_has_every_placeholder_filled(tmp_path):
    conf = render_nginx(tmp_path, 8080, [8501, 8502])
    assert "listen 127.0.0.1:8080;" in conf
    assert "server 127.0.0.1:8501 max_fails=1" in conf
    assert "server 127.0.0.1:8502 max_fails=1" in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf
