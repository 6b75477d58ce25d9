"""Helpers for the browser tests (see conftest.py for the fixtures)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
LOGS = OUTPUT / "logs"
APP_TIMEOUT_MS = 60_000
CONNECTED = "[data-testid=stApp][data-test-connection-state=CONNECTED]"
FINISHED = "[data-testid=stApp][data-test-script-state=notRunning]"


def wait_for_app(page, timeout: int = APP_TIMEOUT_MS, settle_ms: int = 250) -> None:
    """Wait until the app is connected and its script has finished running (and no element
    is left stale from the previous run)."""
    page.wait_for_selector(CONNECTED, timeout=timeout)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(FINISHED, timeout=timeout)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=timeout
    )


def open_page(page, base_url: str, path: str = "", timeout: int = APP_TIMEOUT_MS) -> None:
    """Go to ``base_url/path`` (path may carry a query string) and wait for the app."""
    page.goto(f"{base_url}/{path.lstrip('/')}", wait_until="domcontentloaded")
    wait_for_app(page, timeout=timeout)


def content_height(page) -> int:
    """Height of the app's content: Streamlit scrolls inside its main container, so the
    document itself is only as tall as the window."""
    return int(
        page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer],'
            + ' [data-testid=stMainBlockContainer]')].map(e => e.scrollHeight))""")
    )


def screenshot(page, name: str, full_page: bool = True, max_height: int = 6000) -> Path:
    """Save a PNG under test-output/screenshots/ for a person to look at. With ``full_page``
    the window is made as tall as the content first (up to ``max_height``), then restored."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    if full_page and size:
        height = min(max(content_height(page), size["height"]), max_height)
        if height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": height})
            page.wait_for_timeout(500)
        try:
            page.screenshot(path=str(path))
        finally:
            page.set_viewport_size(size)
    else:
        page.screenshot(path=str(path))
    return path


def exceptions(page) -> list[str]:
    """Texts of any exception elements on the page (should be empty)."""
    return [e.inner_text() for e in page.query_selector_all("[data-testid=stException]")]
