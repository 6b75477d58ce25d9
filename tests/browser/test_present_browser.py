"""The board's presentation in a real browser: every screen, the summary and each theme,
fits a 1920x1080 display with nothing to scroll, down or across (the board meets around a
wall screen; nobody scrolls a slide)."""

from __future__ import annotations

import re

from tests.browser.helpers import exceptions, open_page, screenshot

SLOW = 300_000  # the first visit publishes the figures; CI machines can be slow
QUARTER = "2026-27 Q2"
#: What scrolls: the document, and Streamlit's main container (it scrolls inside itself).
MEASURE = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const doc = document.scrollingElement;
  return {main_down: main.scrollHeight - main.clientHeight,
          doc_down: doc.scrollHeight - innerHeight,
          across: document.documentElement.scrollWidth - innerWidth,
          title: document.querySelector('h1').innerText};
}"""


def test_every_presentation_screen_fits_1920_by_1080_without_scrolling(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, app_url, f"?mode=present&period={QUARTER}", timeout=SLOW)
    where = page.get_by_text(re.compile(r"Screen 1 of \d+")).first.inner_text()
    screens = int(re.search(r"Screen 1 of (\d+)", where).group(1))
    assert screens == 9  # the summary and one screen per public theme
    seen = {}
    for slide in range(screens):
        open_page(page, app_url, f"?mode=present&period={QUARTER}&slide={slide}", timeout=SLOW)
        page.wait_for_timeout(1000)  # the charts draw after the script ends
        got = page.evaluate(MEASURE)
        screenshot(page, f"present-{slide}-1920x1080", full_page=False)
        assert exceptions(page) == [], slide
        assert page.get_by_text(f"Screen {slide + 1} of {screens}").count() == 1
        seen[got.pop("title")] = got
        assert got == {"main_down": 0, "doc_down": 0, "across": 0}, (slide, got)
    assert len(seen) == screens  # each screen its own title
    assert page.locator("[data-testid=stSidebar]").is_hidden()
