"""The page picker of a long list (:mod:`csa.paging`), held in the address bar (``?page=``)
so a page of the list is a shareable link like the rest of the view."""

from __future__ import annotations

import streamlit as st

from csa import paging
from ui import filters


def pick(ctx, total: int, what: str = "indicators", container=st) -> paging.Page:
    """The page of ``total`` rows to show, ``rows_per_page`` (a setting) to a page: a picker
    when there is more than one page, else the one page holding them all."""
    size = int(ctx.settings["rows_per_page"])
    if total <= size:
        return paging.Page(1, size, total)
    options = [str(n) for n in range(1, paging.count(total, size) + 1)]
    chosen = filters.select(
        "Show",
        "page",
        options,
        format_func=lambda n: paging.words(int(n), size, total, what),
        default="1",
        container=container,
        help=f"{total:,} {what}, {size} at a time; the counts above are of them all.",
    )
    return paging.Page(int(chosen), size, total)


def caption(page: paging.Page, what: str = "indicators") -> None:
    """Under the list: which rows were shown, and where the others are."""
    if page.pages > 1:
        st.caption(
            f"{page.words(what)}. Choose others with **Show** above "
            f"(page {page.number} of {page.pages})."
        )
