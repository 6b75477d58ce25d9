"""Serve the dashboard with Streamlit's ASGI App under uvicorn: ``make run``, i.e.

    python -m csa init && uvicorn serve:app --host 127.0.0.1 --port 8501

Streamlit's own options (XSRF protection, the upload limit, theme) still come from
``.streamlit/config.toml`` (or ``STREAMLIT_*`` environment variables); uvicorn's
``--host``/``--port`` replace ``server.address``/``server.port``. ``streamlit run app.py``
keeps working for development, without these routes (local sign-in then lasts only as long
as the browser tab).

Added to Streamlit's routes:

* ``POST /auth/sign-in`` and ``POST /auth/sign-out``: local accounts get a server-side
  session and a signed, HttpOnly, SameSite=Lax cookie (Secure over HTTPS): :mod:`csa.sessions`.
  The forms posting here are plain HTML forms on the Sign in and Your account pages.
* ``GET /api/v1/indicators`` and ``GET /api/v1/figures``: the open-data API, public
  published figures only (:mod:`csa.open_data`).

And middleware, outermost first:

* :class:`SecurityHeaders`: ``Content-Security-Policy: frame-ancestors <frame_ancestors>``,
  ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: strict-origin-when-cross-origin``
  on every HTTP response.
* :class:`ProxyIdentityGuard`: when ``server.trustedUserHeaders`` is set, identity headers
  are honoured only from the proxy: with ``trusted_proxy_secret`` set, only on requests that
  carry it in ``X-CSA-Proxy-Secret``; without it, only on connections to a loopback address
  (and the server refuses to start on any other address, :func:`check_listen`).
"""

from __future__ import annotations

import gc
import hmac
import ipaddress
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode, urlparse

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from csa import accounts, open_data, sessions
from csa import config as csa_config
from csa.access import Actor
from csa.db import Database

PROXY_SECRET_HEADER = "x-csa-proxy-secret"
SIGN_IN_PAGE = "/sign-in"
MAX_FORM_BYTES = 16 * 1024


class ProxyConfigError(RuntimeError):
    """Trusted identity headers are configured in a way that lets clients spoof them."""


# -- where the server listens ------------------------------------------------------------
def is_loopback(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (and a Unix socket, given as "unix")."""
    if host in ("localhost", "unix"):
        return True
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return False


def listen_host(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> str:
    """The address uvicorn (or gunicorn) was told to listen on, read from its command line
    (``--host``, ``--uds``, ``--bind``/``-b``) or ``UVICORN_HOST``; uvicorn's default
    127.0.0.1 otherwise."""
    argv = list(sys.argv if argv is None else argv)
    env = os.environ if env is None else env
    for i, arg in enumerate(argv):
        name, eq, value = arg.partition("=")
        if not eq and i + 1 < len(argv):
            value = argv[i + 1]
        if name in ("--uds", "--fd"):
            return "unix"
        if name == "--host":
            return value
        if name in ("--bind", "-b"):
            if value.startswith("unix:"):
                return "unix"
            host = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
            return host.strip("[]") or "0.0.0.0"
    return env.get("UVICORN_HOST", "127.0.0.1")


def check_listen(host: str, identity_headers: Iterable[str], proxy_secret: str) -> None:
    """Refuse (:class:`ProxyConfigError`) trusted identity headers on a server reachable
    beyond loopback without the proxy secret: anyone reaching it could send the header."""
    names = sorted(identity_headers)
    if names and not proxy_secret and not is_loopback(host):
        raise ProxyConfigError(
            f"Refusing to start: server.trustedUserHeaders ({', '.join(names)}) is set in "
            f".streamlit/config.toml and the server listens on {host!r}, beyond loopback, so "
            f"any client reaching it could send those headers and sign in as anyone. Listen "
            f"on 127.0.0.1 behind the proxy, or set CSA_TRUSTED_PROXY_SECRET (setting "
            f"trusted_proxy_secret) and make the proxy send it as X-CSA-Proxy-Secret. "
            f"See docs/access.md."
        )


def trusted_header_names() -> set[str]:
    """Lower-case names of the headers in ``server.trustedUserHeaders`` (may be empty)."""
    from streamlit import config as st_config

    mapping = st_config.get_option("server.trustedUserHeaders")
    return {str(k).lower() for k in mapping} if isinstance(mapping, Mapping) else set()


# -- middleware ------------------------------------------------------------------------------
class SecurityHeaders:
    """Add the security headers to every HTTP response (pure ASGI: websockets untouched)."""

    def __init__(self, app: ASGIApp, frame_ancestors: str):
        self.app = app
        self.headers = [
            (b"content-security-policy", f"frame-ancestors {frame_ancestors}".encode("latin-1")),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ProxyIdentityGuard:
    """Strip the trusted identity headers from requests that did not come from the proxy.

    ``names`` is a callable returning the header names (read lazily: Streamlit's config is
    loaded once the App exists). With ``secret``, a request keeps them only when it carries
    ``X-CSA-Proxy-Secret: <secret>``; without, only on a connection to a loopback address.
    The secret header itself never reaches the app."""

    def __init__(self, app: ASGIApp, names: Callable[[], Iterable[str]], secret: str = ""):
        self.app = app
        self._names = names
        self._resolved: frozenset[bytes] | None = None
        self.secret = secret.encode("utf-8")

    def names(self) -> frozenset[bytes]:
        if self._resolved is None:
            self._resolved = frozenset(n.lower().encode("latin-1") for n in self._names())
        return self._resolved

    def trusted(self, scope: Scope, presented: bytes | None) -> bool:
        if self.secret:
            return presented is not None and hmac.compare_digest(presented, self.secret)
        server = scope.get("server")
        return server is None or is_loopback(server[0])  # None: a Unix socket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            names = self.names()
            headers = scope.get("headers", [])
            presented = next((v for k, v in headers if k.lower() == b"x-csa-proxy-secret"), None)
            keep_identity = not names or self.trusted(scope, presented)
            cleaned = [
                (k, v)
                for k, v in headers
                if k.lower() != b"x-csa-proxy-secret" and (keep_identity or k.lower() not in names)
            ]
            if len(cleaned) != len(headers):
                scope = {**scope, "headers": cleaned}
        await self.app(scope, receive, send)


# -- what the routes need ---------------------------------------------------------------------
@dataclass
class Services:
    settings: dict
    db: Database
    secret: bytes
    #: True when local passwords are the sign-in (no identity provider, no proxy headers)
    local_sign_in: Callable[[], bool]


def _local_sign_in() -> bool:
    from ui import auth

    return auth.auth_mode() == "local"


@cache
def services() -> Services:
    settings = csa_config.load()
    return Services(
        settings=settings,
        db=Database(settings["database_url"]),
        secret=sessions.load_secret(),
        local_sign_in=_local_sign_in,
    )


# -- sign-in and sign-out -----------------------------------------------------------------
def same_origin(request: Request) -> bool:
    """False for a request another site made the browser send: ``Sec-Fetch-Site`` says
    cross-site, or ``Origin`` names another host than this one."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser, or an old one: the form token still applies
    return urlparse(origin).netloc == request.headers.get("host", "")


async def _form(request: Request) -> dict[str, str] | None:
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return None
    try:
        form = await request.form(max_files=0, max_fields=10)
    except Exception:  # malformed body
        return None
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _is_https(request: Request) -> bool:
    # uvicorn sets the scheme from X-Forwarded-Proto only for its trusted proxies
    # (--forwarded-allow-ips, default 127.0.0.1)
    return request.url.scheme == "https"


def _back_to_sign_in(code: str, target: str = "/") -> RedirectResponse:
    query = {"refused": code}
    if target != "/":
        query["next"] = target
    return _redirect(f"{SIGN_IN_PAGE}?{urlencode(query)}")


def _redirect(url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def make_routes(get: Callable[[], Services] = services) -> list[Route]:
    """The routes added to Streamlit's (``get`` gives the settings, database and secret)."""

    async def sign_in(request: Request) -> Response:
        svc = get()
        if svc.settings["public_only"] or not svc.local_sign_in():
            return JSONResponse({"error": "Local sign-in is not offered here."}, 404)
        form = await _form(request)
        if form is None:
            return JSONResponse({"error": "The sign-in form could not be read."}, 400)
        target = sessions.safe_next(form.get("next"))
        if not same_origin(request) or not sessions.check_form_token(
            form.get("csrf_token"), svc.secret, "sign-in"
        ):
            return _back_to_sign_in("expired", target)
        try:
            actor = await run_in_threadpool(
                accounts.authenticate,
                svc.db,
                form.get("email", "")[:254],
                form.get("password", "")[: accounts.MAX_PASSWORD_LENGTH],
                settings=svc.settings,
            )
        except accounts.SignInRefused as exc:
            code = exc.reason if exc.reason in ("locked", "disabled") else "failed"
            return _back_to_sign_in(code, target)
        cookie, expires = await run_in_threadpool(
            sessions.start,
            svc.db,
            actor.email,
            secret=svc.secret,
            hours=float(svc.settings["session_hours"]),
            replacing=request.cookies.get(sessions.COOKIE_NAME),
        )
        response = _redirect(target)
        response.set_cookie(
            value=cookie, **sessions.cookie_options(https=_is_https(request), expires=expires)
        )
        return response

    async def sign_in_page(request: Request) -> Response:
        return _redirect(SIGN_IN_PAGE)

    async def sign_out(request: Request) -> Response:
        svc = get()
        form = await _form(request) or {}
        cookie = request.cookies.get(sessions.COOKIE_NAME)
        token = sessions.unsign(cookie, svc.secret)
        if token is not None:
            purpose = f"sign-out:{sessions.id_hash(token)}"
            if not same_origin(request) or not sessions.check_form_token(
                form.get("csrf_token"), svc.secret, purpose
            ):
                return JSONResponse(
                    {"error": "The sign-out form has expired: reload the page and try again."},
                    403,
                )
            email = await run_in_threadpool(sessions.end, svc.db, cookie, secret=svc.secret)
            if email:
                user = await run_in_threadpool(accounts.lookup, svc.db, email)
                if user is not None:
                    await run_in_threadpool(
                        accounts.record_sign_out, svc.db, Actor(user.email, user.role), "password"
                    )
        response = _redirect("/")
        response.delete_cookie(
            sessions.COOKIE_NAME,
            path="/",
            httponly=True,
            samesite="lax",
            secure=_is_https(request),
        )
        return response

    # -- the open-data API ---------------------------------------------------------------
    def _api_headers() -> dict[str, str]:
        return {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}

    async def api_indicators(request: Request) -> Response:
        df = await run_in_threadpool(open_data.indicators, get().db)
        body = open_data.as_json(df)
        return Response(body, media_type="application/json", headers=_api_headers())

    async def api_figures(request: Request) -> Response:
        svc = get()
        params = request.query_params
        unknown = sorted(set(params) - {"indicator", "area", "period", "format"})
        try:
            if unknown:
                raise open_data.OpenDataError(
                    f"Unknown parameter {unknown[0][:40]!r}: use indicator, area, period "
                    f"and format."
                )
            fmt = open_data.check_format(params.get("format"))
            df = await run_in_threadpool(
                open_data.figures,
                svc.db,
                svc.settings,
                indicator=params.get("indicator"),
                area=params.get("area"),
                period=params.get("period"),
            )
        except open_data.OpenDataError as exc:
            return JSONResponse({"error": str(exc)}, 400, headers=_api_headers())
        if fmt == "csv":
            headers = {
                **_api_headers(),
                "Content-Disposition": 'attachment; filename="csa-figures.csv"',
            }
            return Response(
                open_data.as_csv(df), media_type="text/csv; charset=utf-8", headers=headers
            )
        body = open_data.as_json(df, publisher=svc.settings["organisation"])
        return Response(body, media_type="application/json", headers=_api_headers())

    return [
        Route("/auth/sign-in", sign_in, methods=["POST"]),
        Route("/auth/sign-in", sign_in_page, methods=["GET"]),
        Route("/auth/sign-out", sign_out, methods=["POST"]),
        Route("/api/v1/indicators", api_indicators, methods=["GET"]),
        Route("/api/v1/figures", api_figures, methods=["GET"]),
    ]


def make_middleware(settings: dict, names: Callable[[], Iterable[str]]) -> list[Middleware]:
    return [
        Middleware(SecurityHeaders, frame_ancestors=settings["frame_ancestors"]),
        Middleware(ProxyIdentityGuard, names=names, secret=settings["trusted_proxy_secret"]),
    ]


@asynccontextmanager
async def lifespan(_app):
    """At start-up: refuse a spoofable proxy set-up, load the session secret, tell the
    pages that the session routes are served, and make what every first session needs
    (:mod:`ui.warm`)."""
    settings = services().settings
    check_listen(listen_host(), trusted_header_names(), settings["trusted_proxy_secret"])
    from ui import auth

    os.environ[auth.ROUTES_ENV] = "1"
    legacy_pages_off()
    from ui import warm  # before uvicorn listens: a proxy sends nothing until it is ready

    warm.warm(settings)
    settle_heap()
    yield


def settle_heap() -> None:
    """Keep what start-up loaded (libraries, the database's reference tables, the Home
    Office tables) out of Python's cycle collector from now on: collect once, then freeze
    (``gc.freeze``). Those objects live as long as the server, yet every full collection
    walked them all again, on whichever viewer's rerun set it off; frozen, a server spends
    about a tenth less CPU under 100 viewers (``bench/``). They are still freed as usual
    when nothing refers to them."""
    gc.collect()
    gc.freeze()


def legacy_pages_off() -> None:
    """Tell Streamlit this app routes with ``st.navigation`` from its first session.

    Streamlit decides at start-up that an app with a ``pages/`` folder is a legacy
    multipage app, until some session calls ``st.navigation``: so the very first session
    after a start ran the legacy router, which knows no ``/overview`` and showed "Page not
    found" before app.py's navigation served the page. Our pages live in
    ``pages/<section>/`` (the legacy glob of ``pages/*.py`` finds none), so the legacy router
    has nothing to offer: switch it off before the first session.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def build_app():
    from streamlit.starlette import App

    settings = csa_config.load()
    return App(
        Path(__file__).resolve().parent / "app.py",
        routes=make_routes(),
        middleware=make_middleware(settings, trusted_header_names),
        lifespan=lifespan,
    )


app = build_app()
