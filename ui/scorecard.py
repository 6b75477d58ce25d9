"""The scorecard rows shared by the overview: each indicator's latest published figure, its
status in words and icon (never colour alone), a sparkline and the reasons on demand.

Everything shown comes from the published figures (:mod:`csa.publish`): this module formats
nothing and computes no status, suppression or SPC class itself.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from csa import demo_labels, publish
from ui import data, navigation, sparkline, tables
from ui.format import badge, md

DEMO_TAG = (
    '<span style="border:1px solid #505A5F;color:#0B0C0C;padding:0 0.4em;'
    'border-radius:0.3em;font-size:0.75rem;font-weight:700">DEMO DATA</span>'
)
STALE_TAG = (
    '<span style="border:1px solid #505A5F;color:#0B0C0C;padding:0 0.4em;'
    'border-radius:0.3em;font-size:0.75rem;font-weight:700">OUT OF DATE</span>'
)
#: How long a figure of each frequency stays current (then its return is due).
FREQUENCY_DAYS = {"monthly": 31, "quarterly": 92, "annual": 366}


def demo_notice(kinds) -> None:
    """Explain the DEMO DATA tag when any figure shown is demo (``kinds``: each figure's own
    ``data_kind``, not the indicators' defaults: a real return is real)."""
    if demo_labels.summary(kinds) in (demo_labels.DEMO, "mixed"):
        st.info(
            "**Demo data.** Figures tagged DEMO DATA are synthetic, generated to demonstrate "
            "the dashboard until partners' quarterly returns are loaded; they are not real "
            "Lancashire statistics. Figures without the tag are real: partners' uploaded "
            "returns, police.uk monthly crime and anti-social behaviour, police recorded "
            "crime (year ending June 2025), populations, deprivation and the ONS context "
            "indicators.",
            icon=":material/science:",
        )


def demo_tag(figure, ind: dict | None = None) -> str:
    """The DEMO DATA tag (with a leading space) when the figure shown is demo, else ""."""
    default = (ind or {}).get("data_kind")
    return f" {DEMO_TAG}" if demo_labels.is_demo(figure.get("data_kind"), default) else ""


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


def period_name(label: str, frequency: str) -> str:
    """``2022-10`` -> ``October 2022``; other labels as they are."""
    if frequency == "monthly":
        try:
            return f"{pd.Timestamp(label + '-01'):%B %Y}"
        except ValueError:
            return label
    return label


def is_stale(period_end, frequency: str, today: date, due_days: int) -> bool:
    """A figure is out of date when the next period's figure should have been in by now."""
    if period_end is None or pd.isna(period_end):
        return False
    days = FREQUENCY_DAYS.get(frequency, 92)
    return pd.Timestamp(period_end) + timedelta(days=days + due_days) < pd.Timestamp(today)


def latest_figures(figures: pd.DataFrame, upto_end, ends: dict) -> pd.DataFrame:
    """For each indicator, its latest published figure whose period ends by ``upto_end``
    (each indicator at its own frequency: a monthly series shows its latest month)."""
    if figures.empty:
        return figures
    f = figures.assign(_end=figures["period_label"].map(ends))
    f = f[f["_end"].notna() & (pd.to_datetime(f["_end"]) <= pd.Timestamp(upto_end))]
    latest = f.sort_values("period_start").groupby("indicator_code", sort=False).tail(1)
    return latest.drop(columns="_end")


@dataclass(frozen=True)
class ScorecardView:
    """What the overview draws for one area and period, worked out in one pass over the
    area's published figures (no per-indicator filtering)."""

    latest: pd.DataFrame  # each indicator's latest figure up to the period (a row each)
    figure: dict  # indicator code -> that figure as a dict
    spark: dict  # indicator code -> its last 12 published values up to that figure
    stale: dict  # indicator code -> the figure shown is out of date today


def scorecard_view(
    figures: pd.DataFrame,
    upto_end,
    ends: dict,
    frequency: dict,
    today: date,
    due_days: int,
    shown: pd.DataFrame | None = None,
) -> ScorecardView:
    """``figures``: the area's published figures (at least :data:`csa.publish.SERIES_COLUMNS`
    when ``shown`` holds every column of the figures shown, each indicator's latest up to
    ``upto_end``; else every column)."""
    latest = latest_figures(figures, upto_end, ends)
    if shown is not None:  # the latest rows in full, in the same order
        latest = latest[["indicator_code", "period_label"]].merge(
            shown, on=["indicator_code", "period_label"], how="left"
        )
    figure = {r["indicator_code"]: r for r in latest.to_dict("records")}
    if figures.empty:
        return ScorecardView(latest, figure, {}, {})
    ordered = figures[["indicator_code", "period_start", "period_label", "value"]].sort_values(
        "period_start", kind="stable"
    )
    upto = ordered["indicator_code"].map(
        dict(zip(latest["indicator_code"], latest["period_start"], strict=True))
    )
    history = ordered[upto.notna() & (ordered["period_start"] <= upto)]
    spark = history.groupby("indicator_code", sort=False).tail(12)
    spark = {c: list(v) for c, v in spark.groupby("indicator_code", sort=False)["value"]}
    newest = ordered.groupby("indicator_code", sort=False)["period_label"].last().to_dict()
    # out of date: the indicator's newest figure is shown and a newer one is overdue by today
    stale = {
        code: fig["period_label"] == newest.get(code)
        and is_stale(ends.get(fig["period_label"]), frequency.get(code, ""), today, due_days)
        for code, fig in figure.items()
    }
    return ScorecardView(latest, figure, spark, stale)


def summary_counts(shown: pd.DataFrame) -> dict[str, int]:
    """Counts of the verdicts shown; each indicator is counted once (critical ones are a
    part of the off-track count, not a second count)."""
    rag = shown["rag"]
    return {
        "off": int((rag == "red").sum()),
        "critical": int(shown["critical"].sum()),
        "at_risk": int((rag == "amber").sum()),
        "on": int((rag == "green").sum()),
    }


def summary_metrics(counts: dict) -> None:
    """The verdicts shown, as :func:`summary_counts` counted them."""
    off, critical = counts["off"], counts["critical"]
    cols = st.columns(3)
    cols[0].metric(
        "✖ Off track",
        off,
        help="Indicators whose latest figure misses its target (or is worse than Lancashire).",
    )
    cols[0].caption(
        f"{critical} of them critical: a recovery plan is required" if critical else "None critical"
    )
    cols[1].metric("▲ At risk", counts["at_risk"])
    cols[2].metric("✔ On track", counts["on"])


def plan_words(plan: dict) -> str:
    """ "Plan in place: Approved, <owner>; review date 2027-01-31" for a submitted plan;
    "Plan being drafted: ..." for a draft (``in_place`` False). Plain words, not escaped."""
    head = "Plan in place" if plan.get("in_place", True) else "Plan being drafted"
    review = f"; {plan['review_text']}" if plan.get("review_text") else ""
    return f"{head}: {plan['state']}, {plan['owner']}{review}"


def plan_caption(plan: dict) -> str:
    """:func:`plan_words` as Markdown (escaped)."""
    return md(plan_words(plan))


@dataclass(frozen=True)
class Row:
    """One indicator's scorecard row as drawn: the row itself (one HTML block), and the
    label and text of its "Why?" (every string escaped here, once)."""

    code: str
    area_code: str
    period_label: str
    critical: bool
    html: str
    why_label: str
    why: str


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _cap(text: str) -> str:
    return f'<span class="csa-cap">{text}</span>'


def indicator_row(
    ind: dict,
    fig: dict,
    values: list,
    *,
    area_name: str,
    selected: str,
    stale: bool,
    plan: dict | None = None,
) -> Row:
    """One indicator on the scorecard, from its published texts: title and tags, figure,
    target, sparkline and status badge as one HTML block (one element, not a row of
    columns of ten), and the reasons for a full-width "Why?" under it."""
    freq = ind["frequency"]
    when = period_name(fig["period_label"], freq)
    tags = demo_tag(fig, ind) + (f" {STALE_TAG}" if stale else "")
    unit = {"percentage": "%", "rate": f"per {int(ind['multiplier']):,}"}.get(ind["unit"], "count")
    note = " (provisional)" if fig["figure_status"] == "provisional" else ""
    latest = f"latest: {when}" if fig["period_label"] != selected else when
    has_target = fig["target_text"] not in ("no target", "–")
    target = _e(fig["target_text"]).capitalize() if fig["target_text"] else ""
    picture = sparkline.svg(
        values,
        f"{ind['title']}, {area_name}: {len([v for v in values if v is not None])} "
        f"figures up to {when}, latest {fig['value_text']}",
    )
    label = fig["status_text"] + (" · CRITICAL" if fig["critical"] else "")
    cells = [
        f"<strong>{_e(ind['title'])}</strong>{tags}"
        + _cap(f"{_e(ind['code'])} · {unit} · {freq} · lead: {_e(ind['lead_organisation'])}"),
        f"<strong>{_e(fig['value_text'])}</strong>" + _cap(_e(latest + note)),
        ("Target" if has_target else '<span class="csa-pad">&nbsp;</span>') + _cap(target),
        picture,
        badge(fig["rag"], label) + (_cap(_e(plan_words(plan))) if plan else ""),
    ]
    row = '<div class="csa-row">' + "".join(f"<div>{c}</div>" for c in cells) + "</div>"
    details = [fig["variation_text"], fig["assurance_text"], fig["comparison_text"]]
    why = "".join(f"- {md(reason)}\n" for reason in fig["reasons"])
    small = [" · ".join(_e(d) for d in details if d)]
    if stale:
        small.append(
            f"Out of date: the latest figure is for {_e(when)}; a newer {freq} figure is "
            "due and has not been published."
        )
    why += "\n" + "".join(f'<div class="csa-cap">{s}</div>' for s in small if s)
    return Row(
        code=ind["code"],
        area_code=fig["area_code"],
        period_label=fig["period_label"],
        critical=bool(fig["critical"]),
        html=row,
        why_label=f"Why? {ind['title']}: {fig['status_text']}",
        why=why,
    )


def draw_row(row: Row, ctx) -> None:
    """Draw a :class:`Row`: the row, then its "Why?" with the link to the indicator (and to
    the recovery plans register for a critical figure, for those who may see plans)."""
    st.markdown(row.html, unsafe_allow_html=True)
    with st.expander(row.why_label):
        st.markdown(row.why, unsafe_allow_html=True)
        navigation.page_link(
            ctx,
            "pages/scorecard/indicator.py",
            label="Open the indicator",
            icon=":material/show_chart:",
            query_params={"indicator": row.code, "area": row.area_code},
        )
        if row.critical and ctx.may("view_plans"):
            navigation.page_link(
                ctx,
                "pages/plans/plans.py",
                label="Recovery plans register",
                icon=":material/assignment_late:",
                query_params={"period": row.period_label},
            )


def context_table(group: pd.DataFrame, figure: dict, area_name: str, stale: dict):
    """Context indicators (real police figures, no targets) as one table of published texts:
    one element instead of a row of widgets each."""
    rows = []
    for ind in group.to_dict("records"):
        if ind["code"] not in figure:
            continue
        fig = figure[ind["code"]]
        when = period_name(fig["period_label"], ind["frequency"])
        rows.append(
            {
                "Indicator": ind["title"],
                "Period": when + (" (out of date)" if stale.get(ind["code"]) else ""),
                "Figure": fig["value_text"],
                "Unit": {"percentage": "%", "rate": f"per {int(ind['multiplier']):,}"}.get(
                    ind["unit"], "count"
                ),
                f"{area_name} against Lancashire": fig["comparison_text"],
            }
        )
    return pd.DataFrame(rows).set_index("Indicator")


def present_screens(themes: list[tuple[str, list[str]]], per_screen: int) -> list[tuple[str, list]]:
    """The presentation's theme screens: each theme's indicators in order, at most
    ``per_screen`` on a screen; a theme with more is split into near-equal screens titled
    "Violence (1 of 2)", "Violence (2 of 2)" (a screen never scrolls). Themes with no
    indicators shown get no screen."""
    screens = []
    for theme, codes in themes:
        if not codes:
            continue
        parts = -(-len(codes) // per_screen)
        size = -(-len(codes) // parts)
        for i in range(parts):
            title = theme if parts == 1 else f"{theme} ({i + 1} of {parts})"
            screens.append((title, list(codes[i * size : (i + 1) * size])))
    return screens


def _overview_view(ctx, area: str, period: str, today: date, due_days: int) -> ScorecardView:
    """The :class:`ScorecardView` of this viewer's published figures for one area and period
    (made for :func:`overview_page`, which keeps what it draws)."""
    from ui.context import LIST_COLUMNS

    periods = data.periods()
    ends = dict(zip(periods["label"], periods["end_date"], strict=True))
    ind = data.indicators()
    frequency = dict(zip(ind["code"], ind["frequency"], strict=True))
    # the sparklines need every figure of the area, but only its values: every other column
    # is read for the figures shown (each indicator's latest), not for whole histories (at
    # 100 times the indicators the cold overview read 100,000 full rows)
    series = ctx.figures(areas=[area], columns=publish.SERIES_COLUMNS)
    labels = set(latest_figures(series, ends[period], ends)["period_label"])
    shown = ctx.figures(areas=[area], periods=sorted(labels), columns=LIST_COLUMNS)
    return scorecard_view(series, ends[period], ends, frequency, today, due_days, shown=shown)


#: The overview's sections: indicator kind -> heading (context indicators are tables).
SECTIONS = (("key_issue", "Key issues"), ("contributory_factor", "Contributory factors"))


@dataclass(frozen=True)
class OverviewPage:
    """Everything the overview draws for one area and period, but plans (which depend on
    the viewer): built once and drawn on every rerun."""

    counts: dict  # the key issues' and contributory factors' verdicts, counted
    kinds: tuple  # those figures' data kinds, each once (for the DEMO DATA notice)
    entries: tuple  # ((heading, theme, Row or a caption for an indicator with none), ...)
    context: list  # [(expander label, table)] of the context indicators
    parts: dict  # code -> indicator_row's arguments, to draw a row again with its plan
    _drawn: dict = field(default_factory=dict, compare=False, repr=False)  # size -> tables

    def row(self, code: str, plan: dict) -> Row:
        ind, fig, values, kw = self.parts[code]
        return indicator_row(ind, fig, values, plan=plan, **kw)

    def context_tables(self, size: int) -> tuple:
        """``[(expander label, the first ``size`` rows ready to draw (:func:`ui.tables.arrow`),
        how many rows there are)]`` of :attr:`context`, made once per page size."""
        made = self._drawn.get(size)
        if made is None:
            made = tuple((label, tables.arrow(t.head(size)), len(t)) for label, t in self.context)
            self._drawn[size] = made
        return made

    @property
    def total(self) -> int:
        """How many indicators the page lists (those with no figure here too)."""
        return len(self.entries)

    def sections(self, rows: slice = slice(None)) -> list:
        """The entries ``rows`` (a page of them: :mod:`csa.paging`) under their headings:
        ``[(heading, [(theme, [Row or caption, ...])])]``, each heading and theme once."""
        out: list = []
        for heading, theme, row in self.entries[rows]:
            if not out or out[-1][0] != heading:
                out.append((heading, []))
            themes = out[-1][1]
            if not themes or themes[-1][0] != theme:
                themes.append((theme, []))
            themes[-1][1].append(row)
        return out


def overview_rows(indicators: pd.DataFrame, view: ScorecardView, area_name: str, period: str):
    """The :class:`OverviewPage` of a :class:`ScorecardView` (``indicators``: those the
    viewer may see, in order)."""
    entries, parts = [], {}
    for kind, heading in SECTIONS:
        themed = indicators[indicators["theme_kind"] == kind]
        for theme, group in themed.groupby("theme_name", sort=False):
            for ind in group.to_dict("records"):
                code = ind["code"]
                if code not in view.figure:
                    caption = f"{ind['title']}: no figure for {area_name} up to {period}."
                    entries.append((heading, theme, caption))
                    continue
                kw = {
                    "area_name": area_name,
                    "selected": period,
                    "stale": view.stale.get(code, False),
                }
                parts[code] = (ind, view.figure[code], view.spark.get(code, []), kw)
                entries.append((heading, theme, indicator_row(*parts[code][:3], **kw)))
    context = [
        (
            f"{theme} ({len(group)} indicators)",
            context_table(group, view.figure, area_name, view.stale),
        )
        for theme, group in indicators[indicators["theme_kind"] == "context"].groupby(
            "theme_name", sort=False
        )
    ]
    key = indicators.loc[indicators["theme_kind"] != "context", "code"]
    shown = view.latest[view.latest["indicator_code"].isin(key)]
    kinds = tuple(shown["data_kind"].unique())
    return OverviewPage(summary_counts(shown), kinds, tuple(entries), context, parts)


def overview_page(ctx, area: str, period: str, area_name: str) -> OverviewPage:
    """The overview's :class:`OverviewPage`, once per scope, area, period and day (shared
    by every session, never changed)."""
    today, due_days = data.today(), int(ctx.settings["return_due_days"])
    return data.shared(
        "overview page",
        (ctx.scope, area, period, area_name, today, due_days),
        lambda: overview_rows(
            ctx.indicators, _overview_view(ctx, area, period, today, due_days), area_name, period
        ),
    )
