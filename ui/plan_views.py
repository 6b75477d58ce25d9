"""Streamlit-side helpers for the recovery-plan and board-pack pages: state badges, cached
register and board pack, and the chart with the recovery trajectory running past the latest
figure."""

from __future__ import annotations

import html
from datetime import date

import pandas as pd
import streamlit as st

from csa.plans import tracking
from csa.plans.workflow import NONE_YET, STATE_WORDS
from ui import data
from ui.format import md

#: plan state -> (background, text colour, icon). Words always accompany the colour;
#: contrast at least 4.5:1 (white on these backgrounds, dark text on amber).
STATE_STYLE = {
    NONE_YET: ("#B10E1E", "#FFFFFF", "⚠"),
    "draft": ("#505A5F", "#FFFFFF", "✎"),
    "submitted": ("#1D70B8", "#FFFFFF", "➤"),
    "returned": ("#FFBF47", "#0B0C0C", "↩"),
    "approved": ("#00703C", "#FFFFFF", "✔"),
    "monitoring": ("#4C2C92", "#FFFFFF", "◉"),
    "closed": ("#0B0C0C", "#FFFFFF", "■"),
}


def state_badge(state: str) -> str:
    """HTML badge for a plan state: icon and words on an accessible background."""
    bg, fg, icon = STATE_STYLE.get(state, STATE_STYLE["draft"])
    words = STATE_WORDS.get(state, state)
    return (
        f'<span role="img" aria-label="Plan: {html.escape(words)}" style="background:{bg};'
        f"color:{fg};padding:0.1em 0.55em;border-radius:0.4em;font-weight:600;"
        f'font-size:0.85rem;white-space:nowrap">{icon} {html.escape(words)}</span>'
    )


def flag_lines(flags) -> str:
    """Markdown for the register's flags (each already starts with an icon)."""
    return "  \n".join(f"**{html.escape(f)}**" for f in flags)


@st.cache_data(show_spinner="Building the register…", max_entries=16)
def _register(
    period: str, today: date, role: str, org: str | None, email: str, version: tuple[str, int]
) -> pd.DataFrame:
    from csa import publish
    from csa.access import Actor

    db = data.database()
    key = publish.ensure(db, data.settings())
    plans = db.plans()
    contents = db.latest_plan_contents(plans["id"]) if not plans.empty else {}
    return tracking.register(
        publish.read(db, key, "signed_in", periods=[period]),
        plans,
        contents,
        tracking.plan_figures(db, key, plans),
        data.indicators(),
        data.areas(),
        period,
        today=today,
        actor=Actor(email, role, org),
    )


def register(period: str, viewer, today: date | None = None) -> pd.DataFrame:
    """The recovery-plan register for ``period`` as this viewer may see it (cached on the
    data version, which every plan change moves on)."""
    return _register(
        period, today or date.today(), viewer.role, viewer.org_code, viewer.email, data.version()
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _plan_status(period: str, today: date, version: tuple[str, int]) -> dict[str, dict]:
    from csa.plans import status

    return status.status_for_period(data.database(), period, settings=data.settings(), today=today)


def plan_status(period: str | None, ctx, today: date | None = None) -> dict[str, dict]:
    """{indicator code: plan status} (:func:`csa.plans.status.plan_status`) for a viewer
    who may see plans, only for the indicators they may see; {} for anyone else (the public
    never sees plan details)."""
    if period is None or ctx.audience != "signed_in" or not ctx.may("view_plans"):
        return {}
    visible = set(ctx.indicators["code"])
    found = _plan_status(period, today or date.today(), data.version())
    return {code: s for code, s in found.items() if code in visible}


def plan_line(status: dict) -> str:
    """ "Plan in place: Approved, <owner>; review date ..." as Markdown (escaped)."""
    from csa.plans.status import words

    return md(words(status))


@st.cache_data(show_spinner="Building the board pack…", max_entries=8)
def _board_pack(period: str, audience: str, today: date, version: tuple[str, int]):
    from csa.reports import board_pack

    return board_pack.build(
        data.database(),
        period,
        audience,
        settings=data.settings(),
        today=today,
        inputs=data.inputs(),
    )


def board_pack(period: str, audience: str, today: date | None = None):
    """:func:`csa.reports.board_pack.build` cached on the data version."""
    return _board_pack(period, audience, today or date.today(), data.version())


@st.cache_data(show_spinner="Writing the Word document…", max_entries=8)
def board_pack_docx(period: str, audience: str, today: date, version: tuple[str, int]) -> bytes:
    from csa.reports.docx_export import board_pack_docx as build_docx

    return build_docx(_board_pack(period, audience, today, version))


@st.cache_data(show_spinner=False, max_entries=8)
def board_pack_xlsx(period: str, audience: str, today: date, version: tuple[str, int]) -> bytes:
    from csa.reports.xlsx_export import board_pack_xlsx as build_xlsx

    return build_xlsx(_board_pack(period, audience, today, version))


@st.cache_data(show_spinner="Writing the Word document…", max_entries=16)
def plan_docx(plan_id: int, today: date, version: tuple[str, int]) -> bytes:
    from csa.reports.docx_export import plan_document

    return plan_document(
        data.database(), plan_id, settings=data.settings(), today=today, inputs=data.inputs()
    )
