"""A server's start-up work (ui.warm): it makes the caches its first session would have made,
and a step that fails is logged, never fatal."""

import logging
import shutil

from csa import config as csa_config
from csa import publish
from ui import data, warm


def test_start_up_makes_what_the_first_session_needs(app_env):
    settings = csa_config.load()
    took = warm.warm(settings)
    assert list(took) == ["libraries", "database", "publication", "national tables", "periods held"]
    db = data.database(settings)
    assert db.url == app_env.url  # the very gateway the pages will be handed (cached)
    key = publish.publication_key(db.figures_version(), settings)
    assert (db.url, key) in data._PUBLISHED  # no page publishes it again
    assert publish.ensure(db, settings) == key
    rates = data.national_rates(str(csa_config.data_dir(settings)))
    assert {"partnership", "force", "benchmark"} <= set(rates["level"])


def test_a_step_that_fails_is_logged_and_the_others_still_run(
    app_env, tmp_path, monkeypatch, caplog
):
    broken = tmp_path / "data"
    shutil.copytree(csa_config.data_dir(), broken)
    (broken / "prc_csp_ye_jun2025_tableC2.csv").unlink()  # a national table gone missing
    monkeypatch.setenv("CSA_DATA_DIR", str(broken))
    settings = csa_config.load()
    with caplog.at_level(logging.WARNING, logger="ui.warm"):
        took = warm.warm(settings)
    assert set(took) == {"libraries", "database", "publication", "national tables", "periods held"}
    failed = [r for r in caplog.records if r.name == "ui.warm"]
    assert [r.getMessage() for r in failed] == [
        "warm-up step 'national tables' failed; the first page to need it will say why"
    ]
    assert "bundled national file is missing" in str(failed[0].exc_info[1])


def test_start_up_finds_each_indicators_periods_for_the_pages(app_env, monkeypatch):
    from csa import inventory
    from ui import sources

    settings = csa_config.load()
    warm.warm(settings)
    db = data.database(settings)
    worked_out = []
    real = inventory.series_periods
    monkeypatch.setattr(inventory, "series_periods", lambda *a: worked_out.append(a) or real(*a))
    spans = sources.spans_of((db.url, db.data_version()))
    assert worked_out == []  # made at start-up: the first page does not work them out
    assert spans["VIO-01"]["first"] and spans["VIO-01"]["kind"] in ("demo", "real", "mixed")


def test_a_server_freezes_what_start_up_loaded_after_the_warm_up(app_env, monkeypatch):
    """What start-up loads lives as long as the server: after the warm-up it is kept out of
    the cycle collector (serve.settle_heap), so no viewer's rerun walks it again."""
    import gc

    from streamlit.runtime.pages_manager import PagesManager

    import serve
    from tests.conftest import run_async
    from ui import auth

    # what the start-up also changes, put back afterwards (monkeypatch.undo)
    monkeypatch.delenv(auth.ROUTES_ENV, raising=False)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)
    order = []
    monkeypatch.setattr(warm, "warm", lambda settings: order.append("warm") or {})
    monkeypatch.setattr(serve, "settle_heap", lambda: order.append("settle"))

    async def start():
        async with serve.lifespan(None):
            order.append("serving")

    run_async(start())
    assert order == ["warm", "settle", "serving"]
    monkeypatch.undo()
    try:
        serve.settle_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
