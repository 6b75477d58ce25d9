"""The area profile's derived figures (``pages/scorecard/area.py``): computed once per data
version and publication, drawn on every rerun.

A rerun of the page (a widget touched, another viewer on the same area) redrew everything
from scratch: it read its published figures again, worked out each indicator's latest
period from the whole observations table, built each section's spine chart and had Altair
validate it against the Vega-Lite schema. Here each is made once per process and key
(:func:`ui.data.shared`: shared, not pickled) and handed back for drawing. What is returned is
shared between sessions: callers must not mutate it (frames come back as shallow copies,
which copy-on-write keeps safe; a spec is copied where Streamlit would change it).

The keys hold everything the result depends on: the database and its data version, the
publication, the viewer's audience and the indicators this viewer may see (so a viewer
allowed a restricted indicator never shares a result with one who is not).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from csa import demo_labels
from csa.areas import PAN_LANCASHIRE
from ui import chart_specs, charts, context, data, scorecard, sources


def figures(ctx, *, indicators, periods, areas=None) -> pd.DataFrame:
    """:meth:`ui.context.Context.figures` (every column but the SPC chart, which the page
    does not draw), read once per publication and audience."""
    wanted = context.key_of(set(ctx.indicators["code"]) & set(indicators))
    # the indicators asked for are already those the viewer may see: Context.figures
    # narrows them no further, and reads the same publication and audience
    got = data.shared(
        "area figures",
        (ctx.scope, context.digest(wanted), context.key_of(areas), context.key_of(periods)),
        lambda: ctx.figures(
            indicators=wanted, areas=areas, periods=periods, columns=context.LIST_COLUMNS
        ),
    )
    return got.copy(deep=False)


def own_periods(ctx, codes) -> dict[str, str]:
    """Each indicator's own period: its latest real one (its last, when it has only demo
    figures), for those of ``codes`` with figures (:func:`csa.inventory.series_periods`)."""
    spans = sources.spans(ctx)
    return {c: spans[c]["latest_real"] or spans[c]["last"] for c in codes if c in spans}


def spine(
    figures: pd.DataFrame,
    inds: pd.DataFrame,
    area: str,
    base_codes: list[str],
    hidden: frozenset,
    *,
    heading: str,
    area_name: str,
) -> tuple[pd.DataFrame, dict | None]:
    """One section's spine chart: its frame (:func:`ui.charts.spine_frame`) and the
    Vega-Lite spec of :func:`ui.charts.spine_chart` titled ``heading`` and, when the figures
    it draws are demo, a DEMO tag (None when the frame is empty). ``figures`` and ``hidden``
    must be the page's for the quarter chosen (the monthly and annual sections' periods
    follow the data version). The page makes its spines once per page of the list and
    shares them (:func:`ui.data.shared`)."""
    frame = charts.spine_frame(figures, inds, area, base_codes, hidden)
    if frame.empty:
        return frame, None
    # the figures this chart draws: every area's, for these indicators (not their defaults)
    drawn = figures[figures["indicator_code"].isin(frame["indicator_code"])]
    kind = demo_labels.summary(drawn["data_kind"])
    title = heading + {demo_labels.DEMO: " · DEMO DATA", "mixed": " · includes DEMO DATA"}.get(
        kind, ""
    )
    chart = charts.spine_chart(frame, title, area_name, n_areas=len(base_codes))
    return frame, chart_specs.vega_lite_spec(chart)


def records(ctx, indicators: pd.DataFrame) -> list[dict]:
    """``indicators`` (rows of this data version's indicators) as records, in their order:
    made once per data version and selection (a record at a time from the Arrow-backed
    columns is slow)."""
    return data.shared(
        "indicator records",
        (ctx.version_key, context.digest(indicators["code"].tolist())),
        lambda: indicators.to_dict("records"),
    )


#: The comparisons the at-a-glance counts count (a count is "not compared").
_COMPARED = ("better", "similar", "worse", "higher", "lower")


@dataclass(frozen=True)
class Glance:
    """Everything the area profile shows above its list of indicators, and what that list
    draws from, for one viewer's scope, area, quarter and day: made once
    (:func:`glance`) and drawn on every rerun. Shared between sessions: never change it."""

    indicators: pd.DataFrame  # the viewer's indicators, in theme order
    titles: dict  # code -> title
    figures: pd.DataFrame  # the published figures shown, each section at its own period
    hidden: frozenset  # (indicator, area) pairs hidden from this viewer
    mine_rows: dict  # code -> the area's figure (a record)
    pan_rows: dict  # code -> pan-Lancashire's figure (a record)
    has_figures: bool  # False: nothing to show for the area yet
    kinds: tuple  # the data kinds shown, each once (for the DEMO DATA notice)
    metrics: tuple  # ((label, count), ...) of the at-a-glance row
    caption: str  # the periods shown and how many indicators were compared
    sections: tuple  # ((frequency, spine heading), ...)
    listed: tuple  # the themed indicators as records, in order (the list below pages them)


def glance(ctx, area: str, period: str | None, quarters: list[str], name: str) -> Glance:
    """The area profile's :class:`Glance`, once per scope, area, quarter and day."""
    due_days = int(ctx.settings["return_due_days"])
    return data.shared(
        "area glance",
        (ctx.scope, area, period, tuple(quarters), name, data.today(), due_days),
        lambda: _glance(ctx, area, period, quarters, name, data.today(), due_days),
    )


def age(end, today) -> str:
    """How old a period is, from its ``end`` to ``today``: "3 years 1 month old"."""
    if end is None or pd.isna(end):
        return "age unknown"
    today = pd.Timestamp(today)
    years, months = divmod(max(0, (today.year - end.year) * 12 + today.month - end.month), 12)
    words = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months or not years:
        words.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(words) + " old"


def _by_code(figures: pd.DataFrame, area: str) -> dict[str, dict]:
    if figures.empty:
        return {}
    mine = figures[figures["area_code"] == area]
    return dict(zip(mine["indicator_code"].tolist(), mine.to_dict("records"), strict=True))


def _glance(ctx, area, period, quarters, name, today, due_days) -> Glance:
    indicators = ctx.indicators.sort_values(["theme_order", "sort_order"])
    periods = data.periods()
    period_end = dict(zip(periods["label"], pd.to_datetime(periods["end_date"]), strict=True))
    # each monthly or annual indicator at its own latest real period (its last period when
    # it has only demo figures); the quarterly CSA indicators at the quarter chosen
    own_period = own_periods(ctx, indicators["code"])
    frames, section_period = [], {}
    for freq in ("quarterly", "monthly", "annual"):
        codes = list(indicators.loc[indicators["frequency"] == freq, "code"])
        if freq == "quarterly":
            if codes and period in quarters:
                frames.append(figures(ctx, indicators=codes, periods=[period]))
            continue
        own = {c: own_period[c] for c in codes if own_period.get(c)}
        if not own:
            continue
        got = figures(ctx, indicators=list(own), periods=sorted(set(own.values())))
        frames.append(got[got["period_label"] == got["indicator_code"].map(own)])
        labels = sorted(set(own.values()), key=lambda lb: period_end.get(lb, pd.Timestamp(0)))
        section_period[freq] = labels[-1]
    shown_figures = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    mine_all = (
        shown_figures[shown_figures["area_code"] == area]
        if not shown_figures.empty
        else shown_figures
    )
    has = not (mine_all.empty or (mine_all["value"].isna() & (mine_all["hidden"] == "")).all())
    hidden = (
        frozenset()
        if shown_figures.empty
        else frozenset(
            zip(
                shown_figures.loc[shown_figures["hidden"] != "", "indicator_code"],
                shown_figures.loc[shown_figures["hidden"] != "", "area_code"],
                strict=True,
            )
        )
    )
    metrics, caption, sections = (), "", ()
    if has:
        mine = mine_all.set_index("indicator_code")
        shown = mine[[(c, area) not in hidden for c in mine.index]]
        compared = shown[shown["comparison"].isin(_COMPARED)]
        counts = compared["comparison"].value_counts()
        metrics = (
            ("▼ Worse than Lancashire", int(counts.get("worse", 0))),
            ("● Similar to Lancashire", int(counts.get("similar", 0))),
            ("▲ Better than Lancashire", int(counts.get("better", 0))),
            ("✖ Off track against a target", int((shown["target_status"] == "off track").sum())),
            ("⚠ Critical: plan required", int(shown["critical"].sum())),
        )
        said = [
            f"{period} for the quarterly CSA indicators"
            if period in quarters
            else f"no quarterly figures for {period} yet"
        ]
        if "monthly" in section_period:
            said.append(
                f"{scorecard.period_name(section_period['monthly'], 'monthly')} for police.uk "
                "crime and anti-social behaviour"
            )
        if "annual" in section_period:
            said.append(f"{section_period['annual']} for police recorded crime")
        said_words = said[0] if len(said) == 1 else (", ".join(said[:-1]) + " and " + said[-1])
        caption = (
            f"{name}, {said_words}. Compared: {len(compared)} of {len(shown)} indicators "
            "(counts are not compared: a district's count and Lancashire's total are not like "
            "for like)."
        )

        def latest(freq: str) -> str:
            """A section's period in words and how old it is."""
            label = section_period[freq]
            kinds = shown_figures.loc[shown_figures["period_label"] == label, "data_kind"]
            stale = scorecard.is_stale(period_end.get(label), freq, today, due_days)
            return (
                f"{scorecard.period_name(label, freq)} ("
                + ("real figures; " if (kinds == "real").any() else "")
                + f"latest held, {age(period_end.get(label), today)}"
                + ("; out of date" if stale else "")
                + ")"
            )

        sections = (("quarterly", f"CSA priorities, {period}"),)
        if "monthly" in section_period:
            sections += (
                ("monthly", f"Police.uk crime and anti-social behaviour, {latest('monthly')}"),
            )
        if "annual" in section_period:
            sections += (("annual", f"Police recorded crime, {latest('annual')}"),)
    return Glance(
        indicators=indicators,
        titles=dict(zip(indicators["code"], indicators["title"], strict=True)),
        figures=shown_figures,
        hidden=hidden,
        mine_rows=_by_code(shown_figures, area),
        pan_rows=_by_code(shown_figures, PAN_LANCASHIRE),
        has_figures=has,
        kinds=tuple(shown_figures["data_kind"].unique()) if not shown_figures.empty else (),
        metrics=metrics,
        caption=caption,
        sections=sections,
        listed=tuple(ind for ind in records(ctx, indicators) if not pd.isna(ind["theme_name"])),
    )
