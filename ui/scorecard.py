"""Rendering of the scorecard rows shared by the overview and presentation pages."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from csa import demo_labels
from csa.access import Actor, allowed
from ui import charts, data
from ui.format import COMPARISON_WORDS, assurance_text, badge, number, unit_label, variation_text

DEMO_TAG = (
    '<span style="border:1px solid #505A5F;color:#0B0C0C;padding:0 0.4em;'
    'border-radius:0.3em;font-size:0.75rem;font-weight:700">DEMO DATA</span>'
)


def demo_notice(kinds) -> None:
    """Explain the DEMO DATA tag when any figure shown is demo.

    ``kinds``: the ``data_kind`` of each figure on the screen (e.g. a verdict frame's column),
    not the indicators' defaults: a real return for a normally-demo indicator is real.
    """
    if demo_labels.summary(kinds) in (demo_labels.DEMO, "mixed"):
        st.info(
            "**Demo data.** Figures tagged DEMO DATA are synthetic, generated to demonstrate "
            "the dashboard until partners' quarterly returns are loaded; they are not real "
            "Lancashire statistics. Figures without the tag are real: partners' uploaded "
            "returns, police recorded crime (year ending June 2025), populations, deprivation "
            "and the ONS context indicators.",
            icon=":material/science:",
        )


def demo_tag(figure, ind: dict | None = None) -> str:
    """The DEMO DATA tag (with a leading space) when the figure shown is demo, else "".

    ``figure``: a verdict or observation (dict or row) with its own ``data_kind``; the
    indicator's default is used only when the figure has none.
    """
    default = (ind or {}).get("data_kind")
    return f" {DEMO_TAG}" if demo_labels.is_demo(figure.get("data_kind"), default) else ""


def is_suppressed(row, viewer, threshold: int) -> bool:
    """Public viewers do not see small counts (or the rates that would reveal them)."""
    if viewer.role != "public" or threshold <= 0:
        return False
    n = row.get("numerator")
    return n is not None and not pd.isna(n) and 0 < n < threshold


def due_date(period_label: str) -> str:
    per = data.periods().set_index("label")
    if period_label not in per.index:
        return "the due date"
    end = pd.Timestamp(per.loc[period_label, "end_date"])
    due = end + timedelta(days=int(data.settings()["return_due_days"]))
    return f"{due:%-d %B %Y}"


def empty_state(period_label: str) -> None:
    st.warning(
        f"No figures for {period_label} yet: the lead organisations' returns are due on "
        f"{due_date(period_label)}. Choose an earlier period to see the latest "
        "assessment.",
        icon=":material/hourglass_empty:",
    )


def sparkline_frame(code: str, area: str, upto: str | None = None, n: int = 12) -> pd.DataFrame:
    s = data.series(code)
    s = s[s["area_code"] == area]
    if upto is not None and upto in set(s["period_label"]):
        s = s.iloc[: list(s["period_label"]).index(upto) + 1]
    return s[["period_label", "value"]].tail(n)


def indicator_row(ind: dict, verdict: dict, viewer, threshold: int, area: str) -> None:
    """One indicator on the scorecard: figures, icons, badge, reasons on demand."""
    unit = unit_label(ind["unit"], int(ind["multiplier"]))
    suppressed = is_suppressed(verdict, viewer, threshold)
    cols = st.columns([3.2, 1.3, 1.2, 1.6, 2.4, 1.8])
    with cols[0]:
        tag = demo_tag(verdict, ind)
        st.markdown(f"**{ind['title']}**{tag}", unsafe_allow_html=True)
        st.caption(f"{ind['code']} · {unit} · lead: {ind['lead_organisation']}")
    with cols[1]:
        st.markdown(f"**{number(verdict['value'], ind['unit'], suppressed, threshold)}**")
        st.caption(
            verdict["period_label"]
            + (" (provisional)" if verdict["figure_status"] == "provisional" else "")
        )
    with cols[2]:
        target = verdict["target"]
        st.markdown("Target" if target is not None else "&nbsp;")
        st.caption(number(target, ind["unit"]) if target is not None else "No target")
    with cols[3]:
        spark = sparkline_frame(ind["code"], area, verdict["period_label"])
        if len(spark) >= 2 and not suppressed:
            st.altair_chart(charts.sparkline(spark), use_container_width=False)
    with cols[4]:
        st.caption(variation_text(verdict["variation"]))
        st.caption(assurance_text(verdict["assurance"]))
        st.caption(COMPARISON_WORDS.get(verdict["comparison"], verdict["comparison"]))
    with cols[5]:
        label = verdict["label"] + (" · CRITICAL" if verdict["critical"] else "")
        st.markdown(badge(verdict["rag"], label), unsafe_allow_html=True)
        with st.expander("Why?"):
            for reason in verdict["reasons"]:
                st.markdown(f"- {reason}")
            if suppressed:
                st.caption(f"Counts below {threshold} are not shown to the public.")
            st.page_link(
                "pages/scorecard/indicator.py",
                label="Open the indicator",
                icon=":material/show_chart:",
                query_params={"indicator": ind["code"], "area": area},
            )
            if (
                verdict["critical"]
                and viewer.role != "public"
                and allowed(Actor(viewer.email, viewer.role, viewer.org_code), "view_plans")
            ):
                st.page_link(
                    "pages/plans/plans.py",
                    label="Recovery plans register",
                    icon=":material/assignment_late:",
                    query_params={"period": verdict["period_label"]},
                )


def summary_metrics(verdicts: pd.DataFrame) -> None:
    judged = verdicts[verdicts["rag"] != "grey"]
    c = st.columns(4)
    c[0].metric("✖ Off track", int((judged["rag"] == "red").sum()))
    c[1].metric("⚠ Critical: recovery plan required", int(verdicts["critical"].sum()))
    c[2].metric("▲ At risk", int((judged["rag"] == "amber").sum()))
    c[3].metric("✔ On track", int((judged["rag"] == "green").sum()))
