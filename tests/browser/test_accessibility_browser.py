"""WCAG 2.2 AA for the public embed: axe-core (from npm) finds no violation on any embeddable
page, inside an iframe on another origin, at a desktop (1000 px) and a phone (390 px) width;
no page scrolls sideways at 320 px, nor shows a sidebar control, and the area profile's spine
charts keep their plot; sparklines take no keyboard stop."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import free_port
from tests.browser.helpers import ROOT, screenshot, wait_for_app

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
QUARTER = "2026-27 Q1"
PAGES = [
    ("", f"area=PA-EAST&period={QUARTER}"),
    ("indicator", f"indicator=VIO-02&area=E07000124&period={QUARTER}"),
    ("area", f"area=E07000124&period={QUARTER}"),
    ("map", f"indicator=VIO-02&period={QUARTER}"),
    ("about", ""),
    ("costs", ""),
    ("accessibility", ""),
]
HOST_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Host site</title></head>
<body style="margin:0"><main><h1 style="font-size:16px;margin:4px">Safer Lancashire</h1>
<iframe id="csa" title="Community Safety Agreement dashboard" style="width:100%;height:1400px;border:0"></iframe>
</main><script>document.getElementById('csa').src = decodeURIComponent(location.hash.slice(1));</script>
</body></html>"""


@pytest.fixture(scope="module")
def host_url(tmp_path_factory):
    """A page on another origin (another port) that frames the app, as the Safer Lancashire
    website does."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm install` (scripts/test-all.sh does)")
    folder: Path = tmp_path_factory.mktemp("host")
    (folder / "index.html").write_text(HOST_PAGE, encoding="utf-8")
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(folder))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def _framed(page, host_url, app_url, path, query, width):
    page.set_viewport_size({"width": width, "height": 1100})
    sep = "&" if query else ""
    page.goto(f"{host_url}#{app_url}/{path}?embed=true{sep}{query}")
    frame = page.frame_locator("#csa")
    frame.locator("[data-testid=stApp]").wait_for(timeout=60_000)
    inner = next(f for f in page.frames if f.url.startswith(app_url))
    wait_for_app(inner, settle_ms=1000)
    return inner


@pytest.mark.parametrize("width", [1000, 390])
@pytest.mark.parametrize(("path", "query"), PAGES, ids=[p or "overview" for p, _ in PAGES])
def test_no_axe_violations_in_the_embed(page, app_url, host_url, path, query, width):
    frame = _framed(page, host_url, app_url, path, query, width)
    frame.evaluate(AXE.read_text(encoding="utf-8"))
    violations = frame.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
            .violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
                v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))""",
        TAGS,
    )
    screenshot(page, f"a11y-embed-{path or 'overview'}-{width}", full_page=False)
    assert violations == []


#: Elements that stick out to the right of the window (bar those that scroll by design).
OVERFLOW = """() => [...document.querySelectorAll('[data-testid=stMain] *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
        && getComputedStyle(e).overflowX !== 'auto' && !e.closest('[style*="overflow"]')
        && !e.closest('[data-testid=stDataFrame], [data-testid=stTable], .stVegaLiteChart,'
            + ' [data-testid=stDeckGlJsonChart], [data-testid=stExpanderDetails]'))
    .slice(0, 5).map(e => e.tagName + ' ' + (e.getAttribute('data-testid') || '')
        + ' ' + e.textContent.slice(0, 40))"""
#: The app's stacked tables as laid out: row display, header height, headers, cell labels.
STACKED = """() => [...document.querySelectorAll('table.csa-stack')].map(t => ({
    rows: getComputedStyle(t.querySelector('tbody tr')).display,
    head: t.querySelector('thead').getBoundingClientRect().height,
    heads: t.querySelectorAll('thead th').length,
    labels: [...t.querySelectorAll('tbody td')].every(td => td.dataset.label
        && getComputedStyle(td, '::before').content.includes(td.dataset.label))}))"""
#: Each spine chart's widest bar as a share of the chart's width.
SPINE_PLOTS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
    .filter(c => c.querySelector('.mark-text text') && c.querySelector('.mark-rect'))
    .map(c => Math.max(0, ...[...c.querySelectorAll('.mark-rect path')]
        .map(p => p.getBoundingClientRect().width)) / c.getBoundingClientRect().width)"""


def _settled(frame, measure: str, ready: str, timeout: int = 20_000):
    """``measure`` (a JS function) once ``ready`` (a JS expression of its result, ``found``)
    holds, or after ``timeout`` ms: the caller asserts on what it returns either way."""
    try:
        frame.wait_for_function(f"() => {{ const found = ({measure})(); return {ready}; }}",
                                timeout=timeout)  # fmt: skip
    except PlaywrightTimeout:
        pass
    return frame.evaluate(measure)


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize(("path", "query"), PAGES, ids=[p or "overview" for p, _ in PAGES])
def test_reflows_to_320_px_without_sideways_scrolling(page, app_url, host_url, path, query, width):
    frame = _framed(page, host_url, app_url, path, query, width)
    # the script has finished, but the browser may still be laying the page out (styles,
    # charts drawn after the run): each check waits for its condition, then asserts it
    overflow = _settled(frame, OVERFLOW, "found.length === 0")
    scroll_width = frame.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width and overflow == []
    # the app's own tables are stacked rows: each row a card, each cell named by its column
    # (its data-label drawn before it), the header row out of sight but still in the page
    stacked = _settled(
        frame,
        STACKED,
        f"found.length >= {5 if path == 'area' else 0} && found.every(t => t.rows === 'block')",
    )
    if path == "area":
        assert len(stacked) >= 5  # a table per theme
    assert all(
        t["rows"] == "block" and t["head"] <= 1 and t["heads"] >= 5 and t["labels"] for t in stacked
    ), stacked
    # no sidebar and no "»" control to open one (Streamlit folds its top menu into a sidebar
    # below 768 px): the embed's own Menu of its pages instead
    sidebar = frame.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stSidebar],'
            + ' [data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapsedControl]')]
            .filter(e => e.getClientRects().length > 0).length"""
    )
    assert sidebar == 0 and frame.get_by_role("button", name="Menu").is_visible()
    if path == "area":  # the spine charts: names above the bars, the plot the chart's width
        plots = _settled(frame, SPINE_PLOTS, "found.length >= 2 && found.every(s => s > 0.75)")
        assert len(plots) >= 2 and all(share > 0.75 for share in plots), plots


def test_sparklines_are_pictures_with_words_and_no_keyboard_stops(page, app_url, host_url):
    frame = _framed(page, host_url, app_url, "", f"area=PA-EAST&period={QUARTER}", 1000)
    sparklines = frame.locator("svg[role=img][aria-label]")
    assert sparklines.count() >= 10
    assert frame.locator("svg[role=img][aria-label] [tabindex]").count() == 0
    label = sparklines.first.get_attribute("aria-label")
    assert "latest" in label and "figures up to" in label
