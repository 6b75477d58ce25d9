"""Work a server does once at start-up, before it takes its first session.

Every new process pays once for things no viewer should wait for: importing the chart and
map libraries, creating (or migrating and seeding) the database, publishing the figures of
its data version if no server has yet, reading the Home Office tables, and finding each
indicator's periods (which a page opens on). Done lazily, the
first visitor after a start or a deploy paid for all of it (an area profile took 2.3 s, the
budget is 2 s). ``serve.py`` calls :func:`warm` in its start-up, before uvicorn listens, so
a reverse proxy sends a restarting server nothing until it is ready (``deploy/``).

The results go into the same process-wide stores the pages read (:func:`ui.data.shared`,
``st.cache_resource``), so the first session finds them made. A failure here is logged, not
fatal: the page that needs the thing says what went wrong, in words, as it always did.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


def warm(settings: dict) -> dict[str, float]:
    """Make what every first session needs; returns how long each step took (seconds)."""
    took: dict[str, float] = {}

    def step(name: str, work) -> None:
        start = time.perf_counter()
        try:
            work()
        except Exception:  # the page that needs it reports it to the viewer, in words
            log.warning("warm-up step %r failed; the first page to need it will say why", name,
                        exc_info=True)  # fmt: skip
        took[name] = time.perf_counter() - start

    def libraries() -> None:
        import altair  # noqa: F401
        import pydeck  # noqa: F401

        from ui import chart_specs, charts, maps  # noqa: F401

    from csa import config as csa_config
    from ui import data

    db, versions = None, None

    def database() -> None:
        nonlocal db, versions
        db = data.database(settings)
        versions = db.versions()  # (data, figures), read once as ui.context.build does

    def periods_held() -> None:  # each indicator's periods, and its latest real one
        from ui import sources

        if db is not None:
            sources.spans_of((db.url, versions[0]))

    def publication() -> None:
        if db is not None:
            data.publication(db, settings, versions[1])

    # outside a session Streamlit warns that there is no script run; none is needed here
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        step("libraries", libraries)
        step("database", database)
        step("publication", publication)
        step("national tables", lambda: data.national_rates(str(csa_config.data_dir(settings))))
        step("periods held", periods_held)
    finally:
        quiet.setLevel(level)
    log.info("warmed in %s", ", ".join(f"{k} {v:.2f} s" for k, v in took.items()))
    return took
