"""The per-run context: built once by ``app.py`` at the start of every run, read by pages.

Who the viewer is (one lookup), what they may do, the settings (one read of config.toml),
the data version (one primary-key read) and the key of the published figures for it: the
datasette idea of resolving the actor once per request and answering "what may this actor
see" in one place. Pages draw published figures through :meth:`Context.figures`; they never
compute a value, a suppression, an SPC class or a formatted string themselves, and never
call the database gateway for figures.

A page run on its own (as AppTest does with ``AppTest.from_file``) builds the context on
first use.
"""

from __future__ import annotations

import functools
import hashlib
import os
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from csa import access, publish
from csa import config as csa_config
from csa.access import Actor
from csa.db import Database
from csa.models import PublishedFigure
from ui import auth, data, navigation, session
from ui.session import Viewer

#: Every published column but the SPC chart: what lists and tables read.
LIST_COLUMNS = tuple(
    c.name for c in PublishedFigure.__table__.columns if c.name not in ("spc", "publication_key")
)

_CURRENT: ContextVar[Context | None] = ContextVar("csa_context", default=None)


@dataclass(frozen=True)
class Context:
    viewer: Viewer
    settings: dict
    db: Database
    data_version: int
    publication: str
    embedded: bool = False
    presenting: bool = False
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    # -- who -------------------------------------------------------------------------------
    @property
    def actor(self) -> Actor:
        return self.viewer.actor

    @property
    def role(self) -> str:
        return "public" if self.embedded else self.viewer.role

    def may(self, permission: str) -> bool:
        """Whether the viewer holds ``permission`` (:data:`csa.access.PERMISSIONS`)."""
        return access.allowed(self.actor, permission)

    @property
    def audience(self) -> str:
        """Which published figures this viewer sees: ``public`` or ``signed_in``."""
        return publish.audience_for(self.role)

    @property
    def threshold(self) -> int:
        return int(self.settings["suppression_threshold"])

    @property
    def pages(self) -> dict:
        """This run's navigation pages by file (``st.Page``; filled by
        :func:`ui.navigation.build`), for links that need not resolve the file each time."""
        return self._memo.setdefault("pages", {})

    # -- reference tables (shared, read-only, one copy per data version) -------------------
    @property
    def version_key(self) -> tuple[str, int]:
        return self.db.url, self.data_version

    @cached_property
    def _seen(self) -> SeenIndicators:
        # what the viewer may see depends on their kind (access.seeing_key) and audience,
        # not on who they are: worked out once per data version for each such kind
        key = (self.version_key, access.seeing_key(self.actor), self.audience)
        return data.shared("viewer's indicators", key, lambda: _seen_indicators(self))

    @property
    def indicators(self) -> pd.DataFrame:
        """The indicators this viewer may see (restricted ones only for those allowed)."""
        # a shallow copy: with pandas' copy-on-write a page's change never reaches the cache
        return self._seen.frame.copy(deep=False)

    @property
    def indicator_codes(self) -> frozenset:
        """The codes of :attr:`indicators`."""
        return self._seen.codes

    def indicator(self, code: str) -> dict:
        """One of :attr:`indicators` as a record (KeyError when the viewer may not see it)."""
        return self._seen.by_code[code]

    @property
    def indicators_by_code(self) -> dict:
        """:attr:`indicators` as records by code, in their order (shared: never change it)."""
        return self._seen.by_code

    @cached_property
    def scope(self) -> tuple:
        """What a result worked out from this viewer's published figures depends on: the
        data version, the publication, the audience and the indicators they may see (a
        digest). The key of results shared between sessions (:func:`ui.data.shared`), so a
        viewer allowed a restricted indicator never shares one with a viewer who is not."""
        return (self.version_key, self.publication, self.audience, self._seen.digest)

    # -- published figures -------------------------------------------------------------------
    def figures(self, *, indicators=None, areas=None, periods=None, columns=None) -> pd.DataFrame:
        """The viewer's published figures (their audience, indicators they may see): the
        slice asked for, by bound SQL on the stored publication (``columns`` to read fewer,
        e.g. without the SPC chart: :data:`LIST_COLUMNS`)."""
        key = ("figures", key_of(indicators), key_of(areas), key_of(periods), key_of(columns))
        if key not in self._memo:
            wanted = set(self.indicator_codes)
            if indicators is not None:
                wanted &= set(indicators)
            self._memo[key] = publish.read(
                self.db,
                self.publication,
                self.audience,
                indicators=sorted(wanted),
                areas=areas,
                periods=periods,
                columns=columns,
            )
        return self._memo[key]


@dataclass(frozen=True)
class SeenIndicators:
    """The indicators a kind of viewer may see: made once per data version (shared)."""

    frame: pd.DataFrame
    codes: frozenset
    digest: str  # of the sorted codes: a short stand-in for them in cache keys
    by_code: dict  # code -> the indicator as a record


def _seen_indicators(ctx: Context) -> SeenIndicators:
    ind = data.indicators()
    keep = [
        access.can_see_indicator(ctx.actor, p, o) and (p or ctx.audience != "public")
        for p, o in zip(ind["public"], ind["lead_org_code"], strict=True)
    ]
    frame = ind[keep]
    codes = frame["code"].tolist()
    return SeenIndicators(
        frame=frame,
        codes=frozenset(codes),
        digest=digest(sorted(codes)),
        by_code=dict(zip(codes, frame.to_dict("records"), strict=True)),
    )


def key_of(values) -> tuple | None:
    """``values`` as part of a cache key: sorted, or None for "all"."""
    return None if values is None else tuple(sorted(values))


def digest(values) -> str:
    """A short stand-in for a long list of codes in a cache key (a key is hashed on every
    call: a digest, not hundreds of codes)."""
    return hashlib.sha256("\x1f".join(map(str, values)).encode()).hexdigest()


def settings_now() -> dict:
    """The settings (:func:`csa.config.load`), read again only when the settings file or a
    ``CSA_`` environment variable changed: a run does not parse the file each time."""
    path = csa_config.config_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("CSA_")))
    return dict(_settings(str(path), stamp, env))


@functools.lru_cache(maxsize=4)  # (not st.cache_resource: it hashed the key on every run)
def _settings(path: str, stamp, env: tuple) -> dict:
    return csa_config.load(Path(path), dict(env))


def build() -> Context:
    """Resolve everything once for this run (called by ``app.py``)."""
    settings = settings_now()
    db = data.database(settings)
    embedded = session.is_embedded()
    viewer = session.ANONYMOUS if embedded else auth.resolve_viewer()
    version, figures_version = db.versions()  # one read of both counters
    key = data.publication(db, settings, figures_version)
    ctx = Context(
        viewer=viewer,
        settings=settings,
        db=db,
        data_version=version,
        publication=key,
        embedded=embedded,
        presenting=session.is_presenting(),
    )
    ctx._memo["run"] = _run_id()
    _CURRENT.set(ctx)
    return ctx


def current() -> Context:
    """This run's context (built on first use when a page runs without ``app.py``)."""
    ctx = _CURRENT.get()
    if ctx is None or not _same_run(ctx):
        ctx = build()
    return ctx


def _same_run(ctx: Context) -> bool:
    """A context is per run: the script-run id tells a stale one from this run's."""
    return ctx._memo.get("run") == _run_id()


def _run_id():
    try:
        return id(st.runtime.scriptrunner.get_script_run_ctx())
    except Exception:  # pragma: no cover - outside a Streamlit run
        return None


ROOT = Path(__file__).resolve().parent.parent


def guard(page_file: str) -> Context:
    """Stop this page unless the navigation built for this viewer includes it; return this
    run's context. Call it first in every page that is not public:
    ``ctx = context.guard(__file__)``.

    Why (defence in depth): a page file directly in ``pages/`` would make Streamlit treat
    the app as a legacy multipage app until some session called ``st.navigation``, and on a
    freshly started server ``/audit`` would run the page file directly, without the
    role-aware navigation. Page files therefore live only in ``pages/<section>/`` subfolders
    (which the legacy glob of ``pages/*.py`` never finds; a test checks), and this check
    makes each page safe on its own as well (docs/access.md).
    """
    path = Path(page_file).resolve()
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else page_file
    ctx = current()
    permitted = {
        p.path for p in navigation.pages_for(ctx.viewer, ctx.embedded, ctx.settings["public_only"])
    }
    if rel not in permitted:
        st.error(
            "This page is not available. Open the dashboard's home page"
            + ("." if ctx.viewer.signed_in else " and sign in if you have an account.")
        )
        st.stop()
    return ctx
