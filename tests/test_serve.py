"""serve.py: the routes and middleware added to Streamlit's ASGI App (Starlette TestClient
on the same pieces serve.py passes to App), the refusal of spoofable proxy headers, the
pages in session-cookie mode (AppTest), and one real `uvicorn serve:app` over HTTP."""

import os
import shutil
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie

import httpx
import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.testclient import TestClient

import serve
from csa import accounts, publish, sessions
from csa import config as csa_config
from csa.access import SYSTEM
from csa.db import Database
from tests.conftest import ROOT, app_test, run_async
from ui import auth

SECRET = b"k" * 40
GOOD = "correct horse battery"
FRAME = "'self' https://www.saferlancashire.co.uk"
SECURITY_HEADERS = {
    "content-security-policy": f"frame-ancestors {FRAME}",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    monkeypatch.setattr(accounts, "_dummy_hash", None)


@pytest.fixture(scope="module")
def published_path(sqlite_template, tmp_path_factory):
    """A seeded, published database file (published once for the module; copied per test)."""
    path = tmp_path_factory.mktemp("serve") / "published.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    publish.ensure(db, csa_config.load(env={}))
    db.dispose()
    return path


@pytest.fixture
def env(published_path, tmp_path):
    path = tmp_path / "csa.db"
    shutil.copy(published_path, path)
    db = Database(f"sqlite:///{path}")
    accounts.add_user(db, SYSTEM, "jo@police.uk", "officer", org_code="LANCS-POLICE", password=GOOD)
    settings = csa_config.load(env={})
    svc = serve.Services(settings=settings, db=db, secret=SECRET, local_sign_in=lambda: True)
    yield svc
    db.dispose()


def client(svc, *, https=False, names=(), secret=""):
    app = Starlette(
        routes=serve.make_routes(lambda: svc),
        middleware=serve.make_middleware(
            {**svc.settings, "trusted_proxy_secret": secret}, lambda: names
        ),
    )
    base = "https://dash.example.org" if https else "http://dash.example.org"
    return TestClient(app, base_url=base, follow_redirects=False)


def sign_in(c, email="jo@police.uk", password=GOOD, token=None, next_path="/scorecard", **kw):
    token = token if token is not None else sessions.issue_form_token(SECRET, "sign-in")
    data = {"email": email, "password": password, "csrf_token": token, "next": next_path}
    return c.post("/auth/sign-in", data=data, **kw)


def set_cookie(response) -> SimpleCookie:
    jar = SimpleCookie()
    for raw in response.headers.get_list("set-cookie"):
        jar.load(raw)
    return jar


# -- sign-in ----------------------------------------------------------------------------------
@pytest.mark.parametrize("https", [False, True])
def test_sign_in_sets_an_httponly_lax_cookie_secure_only_over_https(env, https):
    r = sign_in(client(env, https=https))
    assert (r.status_code, r.headers["location"]) == (303, "/scorecard")
    raw = r.headers["set-cookie"]
    morsel = set_cookie(r)["csa_session"]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    assert morsel["path"] == "/"
    assert morsel["max-age"] == str(8 * 3600)
    assert ("secure" in raw.lower().split("; ")) is https
    found = sessions.lookup(env.db, morsel.value, secret=SECRET)
    assert (found.email, found.role) == ("jo@police.uk", "officer")


def test_sign_in_rotates_the_session_id_and_revokes_the_old_one(env):
    c = client(env)
    first = set_cookie(sign_in(c))["csa_session"].value
    c.cookies.set("csa_session", first)
    second = set_cookie(sign_in(c))["csa_session"].value
    assert second != first
    assert sessions.lookup(env.db, first, secret=SECRET) is None
    assert sessions.lookup(env.db, second, secret=SECRET) is not None


@pytest.mark.parametrize(
    "email, password",
    [("jo@police.uk", "wrong password here"), ("nobody@example.org", GOOD)],
)
def test_wrong_password_and_unknown_email_get_the_same_generic_answer(env, email, password):
    r = sign_in(client(env), email=email, password=password)
    assert r.status_code == 303
    assert r.headers["location"] == "/sign-in?refused=failed&next=%2Fscorecard"
    assert "set-cookie" not in r.headers
    assert auth.REFUSED["failed"] == accounts.SIGN_IN_FAILED == "Email or password not recognised."


def test_a_locked_account_is_told_so(env):
    c = client(env)
    for _ in range(env.settings["login_max_failures"]):
        sign_in(c, password="wrong password here")
    r = sign_in(c)  # right password, but locked
    assert r.headers["location"].startswith("/sign-in?refused=locked")
    assert "set-cookie" not in r.headers


@pytest.mark.parametrize(
    "token, headers",
    [
        ("", {}),  # no form token
        ("1.2.3", {}),  # forged
        (None, {"origin": "https://evil.example"}),  # posted from another site
        (None, {"sec-fetch-site": "cross-site"}),
    ],
)
def test_sign_in_without_a_valid_token_or_from_another_site_is_refused(env, token, headers):
    r = sign_in(client(env), token=token, headers=headers)
    assert r.headers["location"].startswith("/sign-in?refused=expired")
    assert "set-cookie" not in r.headers
    assert env.db.audit_entries(actions=["sign_in"]).empty  # the password was never checked


def test_an_expired_sign_in_form_is_refused(env):
    old = sessions.issue_form_token(SECRET, "sign-in", now=time.time() - 3 * 3600)
    assert (
        sign_in(client(env), token=old).headers["location"].startswith("/sign-in?refused=expired")
    )


def test_same_origin_post_is_accepted(env):
    r = sign_in(client(env), headers={"origin": "http://dash.example.org"})
    assert "csa_session" in set_cookie(r)


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example"])
def test_sign_in_never_redirects_off_site(env, target):
    assert sign_in(client(env), next_path=target).headers["location"] == "/"


def test_no_local_sign_in_on_the_public_only_entry(env):
    env.settings = {**env.settings, "public_only": True}
    assert sign_in(client(env)).status_code == 404


# -- sign-out ---------------------------------------------------------------------------------
def test_sign_out_revokes_the_session_clears_the_cookie_and_is_audited(env):
    c = client(env)
    cookie = set_cookie(sign_in(c))["csa_session"].value
    c.cookies.set("csa_session", cookie)
    token = sessions.issue_form_token(
        SECRET, f"sign-out:{sessions.id_hash(sessions.unsign(cookie, SECRET))}"
    )
    r = c.post("/auth/sign-out", data={"csrf_token": token})
    assert (r.status_code, r.headers["location"]) == (303, "/")
    morsel = set_cookie(r)["csa_session"]
    assert morsel.value == "" and morsel["max-age"] == "0"
    assert sessions.lookup(env.db, cookie, secret=SECRET) is None
    assert env.db.audit_entries(actions=["sign_out"])["user_email"].tolist() == ["jo@police.uk"]


def test_sign_out_with_another_sessions_token_is_refused(env):
    c = client(env)
    cookie = set_cookie(sign_in(c))["csa_session"].value
    c.cookies.set("csa_session", cookie)
    wrong = sessions.issue_form_token(SECRET, "sign-out:" + "0" * 64)
    assert c.post("/auth/sign-out", data={"csrf_token": wrong}).status_code == 403
    assert sessions.lookup(env.db, cookie, secret=SECRET) is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda db: accounts.disable_user(db, SYSTEM, "jo@police.uk"),
        lambda db: accounts.set_role(db, SYSTEM, "jo@police.uk", "analyst"),
    ],
)
def test_disable_or_role_change_ends_a_cookie_session(env, change):
    cookie = set_cookie(sign_in(client(env)))["csa_session"].value
    change(env.db)
    assert sessions.lookup(env.db, cookie, secret=SECRET) is None


# -- security headers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/api/v1/indicators", 200),
        ("GET", "/api/v1/figures?indicator=NOPE", 400),
        ("GET", "/auth/sign-in", 303),
        ("GET", "/nowhere", 404),
        ("POST", "/auth/sign-out", 303),
    ],
)
def test_every_response_carries_the_security_headers(env, method, path, status):
    r = client(env).request(method, path)
    assert r.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert r.headers[name] == value


# -- trusted proxy headers --------------------------------------------------------------------
def echo_app(names, secret=""):
    async def echo(request):
        return JSONResponse({k: v for k, v in request.headers.items() if k.startswith("x-")})

    from starlette.routing import Route

    return Starlette(
        routes=[Route("/", echo)],
        middleware=serve.make_middleware(
            {"frame_ancestors": "'self'", "trusted_proxy_secret": secret}, lambda: names
        ),
    )


def call(app, headers, server=("10.0.0.5", 8501)):
    """One HTTP request straight through the ASGI app, arriving on ``server``."""

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": "/",
        "raw_path": b"/",
        "root_path": "",
        "scheme": "http",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("10.0.0.9", 50000),
        "server": server,
    }
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    run_async(app(scope, receive, send))
    import json

    return json.loads(b"".join(m.get("body", b"") for m in sent if "body" in m))


NAMES = {"x-forwarded-email"}


@pytest.mark.parametrize(
    "secret, headers, server, kept",
    [
        ("s3cret-proxy", {"X-Forwarded-Email": "ann@example.org"}, ("10.0.0.5", 80), False),
        (
            "s3cret-proxy",
            {"X-Forwarded-Email": "ann@example.org", "X-CSA-Proxy-Secret": "wrong"},
            ("10.0.0.5", 80),
            False,
        ),
        (
            "s3cret-proxy",
            {"X-Forwarded-Email": "ann@example.org", "X-CSA-Proxy-Secret": "s3cret-proxy"},
            ("10.0.0.5", 80),
            True,
        ),
        ("", {"X-Forwarded-Email": "ann@example.org"}, ("10.0.0.5", 80), False),
        ("", {"X-Forwarded-Email": "ann@example.org"}, ("127.0.0.1", 8501), True),
        ("", {"X-Forwarded-Email": "ann@example.org"}, ("::1", 8501), True),
    ],
)
def test_identity_headers_only_from_the_proxy(secret, headers, server, kept):
    seen = call(echo_app(NAMES, secret), {**headers, "X-Other": "1"}, server)
    assert ("x-forwarded-email" in seen) is kept
    assert seen["x-other"] == "1"
    assert "x-csa-proxy-secret" not in seen  # never passed on to the app


@pytest.mark.parametrize(
    "host, names, secret, refused",
    [
        ("0.0.0.0", NAMES, "", True),
        ("::", NAMES, "", True),
        ("10.1.2.3", NAMES, "", True),
        ("0.0.0.0", NAMES, "s3cret", False),
        ("127.0.0.1", NAMES, "", False),
        ("localhost", NAMES, "", False),
        ("unix", NAMES, "", False),
        ("0.0.0.0", set(), "", False),
    ],
)
def test_trusted_headers_beyond_loopback_without_a_secret_refuse_to_start(
    host, names, secret, refused
):
    if refused:
        with pytest.raises(serve.ProxyConfigError, match="Refusing to start"):
            serve.check_listen(host, names, secret)
    else:
        serve.check_listen(host, names, secret)


@pytest.mark.parametrize(
    "argv, env, host",
    [
        (["uvicorn", "serve:app", "--host", "0.0.0.0"], {}, "0.0.0.0"),
        (["uvicorn", "serve:app", "--host=::"], {}, "::"),
        (["uvicorn", "serve:app"], {}, "127.0.0.1"),
        (["uvicorn", "serve:app"], {"UVICORN_HOST": "0.0.0.0"}, "0.0.0.0"),
        (["uvicorn", "serve:app", "--uds", "/run/csa.sock"], {}, "unix"),
        (["gunicorn", "-b", "0.0.0.0:8000", "serve:app"], {}, "0.0.0.0"),
        (["gunicorn", "--bind=127.0.0.1:8000", "serve:app"], {}, "127.0.0.1"),
    ],
)
def test_listen_host_reads_the_server_command_line(argv, env, host):
    assert serve.listen_host(argv, env) == host


# -- the open-data API over HTTP (TestClient) ---------------------------------------------
def test_api_indicators_and_figures(env):
    c = client(env)
    ind = c.get("/api/v1/indicators").json()
    codes = [d["code"] for d in ind["data"]]
    assert "SOC-01" not in codes and "ASB-01" in codes
    r = c.get("/api/v1/figures", params={"indicator": "ASB-01", "area": "E23000003"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    rows = r.json()["data"]
    assert rows and not [d for d in rows if d["hidden"]]  # the force total is never small
    assert {d["licence"] for d in rows} == {"Open Government Licence v3.0"}
    r = c.get("/api/v1/figures", params={"indicator": "VIO-02", "area": "E07000124"})
    hidden = [d for d in r.json()["data"] if d["hidden"]]
    assert hidden and all(d["value"] is None and d["numerator"] is None for d in hidden)


def test_api_figures_as_csv(env):
    r = client(env).get("/api/v1/figures?indicator=DA-01&area=E07000117&format=csv")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    head = r.content.decode("utf-8-sig").splitlines()[0]
    assert head.startswith("indicator_code,area_code,period_label")


@pytest.mark.parametrize(
    "query, message",
    [
        ("indicator=NOPE", "Unknown indicator 'NOPE'"),
        ("indicator=SOC-01", "Unknown indicator 'SOC-01'"),
        ("area=X1", "Unknown area 'X1'"),
        ("period=2099-01", "Unknown period '2099-01'"),
        ("format=xml", "Unknown format 'xml'"),
        ("indicator=ASB-01&sort=value", "Unknown parameter 'sort'"),
        ("indicator=ASB-01'%20OR%201=1--", "Unknown indicator"),
    ],
)
def test_api_answers_400_with_a_clear_json_error(env, query, message):
    r = client(env).get(f"/api/v1/figures?{query}")
    assert r.status_code == 400
    assert message in r.json()["error"]


# -- the pages read the cookie (AppTest) ------------------------------------------------
@pytest.fixture
def cookie_mode(monkeypatch, env):
    monkeypatch.setenv("CSA_DATABASE_URL", env.db.url)
    monkeypatch.setenv(auth.ROUTES_ENV, "1")
    monkeypatch.setattr(auth, "_secret", lambda: SECRET)
    return env


def test_the_sign_in_page_shows_a_plain_html_form_posting_to_the_route(cookie_mode):
    at = app_test(script="pages/account/sign_in.py", query={"refused": "failed"})
    assert not at.exception
    assert [e.value for e in at.error] == [accounts.SIGN_IN_FAILED]
    (form,) = [e.proto.body for e in at.get("html")]
    assert '<form class="csa-form" method="post" action="/auth/sign-in">' in form
    assert 'name="csrf_token"' in form and 'type="password"' in form
    assert not at.text_input  # no Streamlit password widget in this mode


def test_a_valid_cookie_signs_the_run_in_and_a_revoked_one_does_not(cookie_mode, monkeypatch):
    cookie, _ = sessions.start(cookie_mode.db, "jo@police.uk", secret=SECRET, hours=8)
    monkeypatch.setattr(auth, "session_cookie", lambda: cookie)
    at = app_test(script="pages/account/account.py")
    assert not at.exception
    assert "jo@police.uk" in at.markdown[0].value
    (form,) = [e.proto.body for e in at.get("html")]
    assert 'action="/auth/sign-out"' in form
    sessions.end(cookie_mode.db, cookie, secret=SECRET)
    at.run()
    assert at.error and "not available" in at.error[0].value
    monkeypatch.setattr(auth, "session_cookie", lambda: cookie.split(".")[0] + ".forged")
    assert app_test(script="pages/account/account.py").error


# -- a real server --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_uvicorn(env_vars, host="127.0.0.1"):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "serve:app", "--host", host, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env_vars},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return proc, port


def _first_session(base: str, page: str, reruns: int = 0) -> str:
    """Run ``page`` as one websocket session with the bench's driver (Streamlit's own
    protocol); "" when it ran to the end, else why not ("page 'overview' was not found",
    a failed finish or the exception the page raised)."""
    import asyncio
    import threading

    from bench.driver import RunFailed, open_and_rerun

    outcome = ["the session did not finish in 150 s"]

    def run():
        try:
            asyncio.run(open_and_rerun(base, page, "", reruns))
            outcome[0] = ""
        except RunFailed as exc:
            outcome[0] = str(exc)

    # in a thread of its own, whatever event loop this thread holds
    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=150)
    return outcome[0]


def test_uvicorn_serves_streamlit_with_headers_and_the_api(published_path, tmp_path):
    path = tmp_path / "csa.db"
    shutil.copy(published_path, path)
    proc, port = start_uvicorn(
        {"CSA_DATABASE_URL": f"sqlite:///{path}", "CSA_SESSION_SECRET": "x" * 40}
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/_stcore/health", timeout=2)
                if health.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the server did not answer in 60 s"
            time.sleep(0.5)
        assert health.text == "ok"
        # the very first session after the start goes straight to /overview: no legacy
        # "Page not found" (serve.legacy_pages_off), the page runs to the end
        assert _first_session(base, "overview") == ""
        # a rerun runs the same page again (the driver checks the page each run resolved
        # to: sending new_session's hash back once made every bench rerun the overview)
        assert _first_session(base, "about", reruns=2) == ""
        for r in (health, httpx.get(f"{base}/"), httpx.get(f"{base}/api/v1/indicators")):
            for name, value in SECURITY_HEADERS.items():
                assert r.headers[name] == value
        assert "SOC-01" not in {
            d["code"] for d in httpx.get(f"{base}/api/v1/indicators").json()["data"]
        }
        bad = httpx.get(f"{base}/api/v1/figures?format=xml")
        assert bad.status_code == 400 and "Unknown format" in bad.json()["error"]
        r = httpx.post(f"{base}/auth/sign-in", data={"email": "a@b.org", "password": "x"})
        assert r.status_code == 303 and "refused=expired" in r.headers["location"]
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_uvicorn_refuses_trusted_headers_on_all_interfaces(tmp_path):
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "config.toml").write_text(
        '[server]\ntrustedUserHeaders = { "X-Forwarded-Email" = "email" }\n'
    )
    proc, _ = start_uvicorn(
        {"HOME": str(home), "CSA_SESSION_SECRET": "x" * 40, "CSA_TRUSTED_PROXY_SECRET": ""},
        host="0.0.0.0",
    )
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the server started with spoofable trusted headers on 0.0.0.0")
    assert proc.returncode != 0
    assert "Refusing to start: server.trustedUserHeaders (x-forwarded-email)" in out.decode()
