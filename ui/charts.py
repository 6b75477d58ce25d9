"""Chart builders (altair). Small functions from DataFrames to charts, testable without a
browser: each returns an ``alt.Chart`` whose spec the tests can inspect.

Every chart has a title, its unit on the axis, a height of at least :data:`MIN_HEIGHT`
(except the overview's sparkline) and a legend that is not cut; special-cause points differ
in shape as well as colour, so the charts read without colour. Each chart has a text
alternative: a ``*_summary`` function returning one or two sentences that the page shows
with ``st.caption`` right under the chart.

Charts draw published figures (:mod:`csa.publish`) and nothing else. A chart's data is
embedded in its spec and reaches the browser, so the builders keep only the columns they
draw and leave out every row without a value (a figure hidden to protect small numbers, or
a period with no figure): such periods stay on the axis as gaps, and lines break there
instead of joining across (a missing period is a gap, never zero).

Reusable by every surface (pages, presentation, board pack):

- :func:`spc_chart` / :func:`spc_summary`: the SPC chart of a published figure
  (``publish.spc_chart(figure, series)``), or a plain trend of published values when there is no
  SPC; :func:`spc_key` says in words what its lines are; :func:`spc_chart_frame` is the
  tidy frame both draw from.
- :func:`variation_class`: a published ``variation`` code as a point class.
- :func:`comparison_chart` / :func:`comparison_summary`: areas with 95% intervals.
- :func:`sparkline` / :func:`sparkline_summary`: the overview's small trend.
- :func:`spine_frame` / :func:`spine_chart` / :func:`spine_summary`: the area profile.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from csa import demo_labels, formatting

#: The least height of a chart (px), the overview's sparkline apart.
MIN_HEIGHT = 260
#: The areas-compared chart: pixels per area's row, and for its title, axis and legend.
AREA_ROW_HEIGHT, COMPARISON_FRAME_HEIGHT = 26, 160
SPC_HEIGHT = 340
KEY_NARROW = 420  # px of plot below which a two-column key takes one column

CLASS_STYLE = {
    # point class: (legend words, colour, shape)
    "common": ("Common cause", "#505A5F", "circle"),
    "improvement": ("Special cause: improvement", "#1D70B8", "triangle-up"),
    "concern": ("Special cause: concern", "#D4351C", "diamond"),
    "neither": ("Special cause: no judgement", "#6F3C97", "square"),
}
#: Legend words of a point that has no SPC class (too few points, or SPC not published).
NO_CLASS = "Figure"

CLASS_PHRASE = {
    "common": "common cause variation",
    "improvement": "special cause variation, an improvement",
    "concern": "special cause variation, a concern",
    "neither": "special cause variation (no direction is judged better)",
}


def _number(x) -> float | None:
    """A finite float, or None (NaN, None, text and infinities are no number)."""
    if x is None or isinstance(x, bool):
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def variation_class(variation) -> str | None:
    """The point class of a published ``variation`` code: ``common_cause`` is "common",
    ``special_cause_concern_high`` is "concern"; None when there is no SPC class."""
    if not isinstance(variation, str) or not variation:
        return None
    if variation == "common_cause":
        return "common"
    for cls in ("improvement", "concern", "neither"):
        if variation.startswith(f"special_cause_{cls}"):
            return cls
    return None


def class_words(point_class) -> str:
    """Legend words of a point class ("Common cause"), :data:`NO_CLASS` when it has none."""
    return CLASS_STYLE[point_class][0] if point_class in CLASS_STYLE else NO_CLASS


def _class_scales():
    words = [v[0] for v in CLASS_STYLE.values()]
    return (
        alt.Scale(domain=words, range=[v[1] for v in CLASS_STYLE.values()]),
        alt.Scale(domain=words, range=[v[2] for v in CLASS_STYLE.values()]),
    )


def _domain(labels: Sequence[str], periods: Sequence[str] | None) -> list[str]:
    """The x axis: the calendar's ``periods`` from the first to the last of ``labels``, so a
    period with no figure shown keeps its place as a gap; ``labels`` alone without one."""
    labels = list(dict.fromkeys(labels))
    if not periods:
        return labels
    periods = list(periods)
    where = {p: i for i, p in enumerate(periods)}
    known = [where[p] for p in labels if p in where]
    if not known:
        return labels
    span = periods[min(known) : max(known) + 1]
    return span + [p for p in labels if p not in where]


def _segments(labels: Sequence[str], domain: Sequence[str]) -> list[int]:
    """A segment number per shown point (oldest first): a new segment starts after a gap in
    ``domain``, so the line breaks there instead of joining across the gap."""
    where = {p: i for i, p in enumerate(domain)}
    out, seg, prev = [], 0, None
    for p in labels:
        i = where.get(p)
        if prev is not None and i is not None and i != prev + 1:
            seg += 1
        out.append(seg)
        prev = i if i is not None else prev
    return out


def _x(domain: list[str], title: str | None = "Period", axis: bool = True) -> alt.X:
    return alt.X(
        "period_label:O",
        sort=domain,
        scale=alt.Scale(domain=domain),
        title=title,
        axis=alt.Axis(labelAngle=-45, labelOverlap=True) if axis else None,
    )


def _valid(field: str) -> str:
    return f"isValid(datum['{field}']) && isFinite(datum['{field}'])"


# -- sparkline (overview) ----------------------------------------------------------------------
def sparkline(series: pd.DataFrame, title: str = "") -> alt.Chart:
    """A small line of the last figures, from a frame of (period_label, value), oldest first.
    A value of None (not shown, e.g. hidden) is left out of the data and breaks the line."""
    labels = [str(p) for p in series["period_label"]]
    values = [_number(v) for v in series["value"]]
    shown = [(p, v) for p, v in zip(labels, values, strict=True) if v is not None]
    domain = labels
    frame = pd.DataFrame(
        {
            "period_label": [p for p, _ in shown],
            "value": [v for _, v in shown],
            "segment": _segments([p for p, _ in shown], domain),
        }
    )
    return (
        alt.Chart(frame, height=40, width=140, title=title or alt.Undefined)
        .mark_line(point=False, strokeWidth=2, color="#1D70B8")
        .encode(
            x=_x(domain, title=None, axis=False),
            y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("period_label:N", title="Period"),
                alt.Tooltip("value:Q", title="Value", format=",.2f"),
            ],
        )
        .configure_view(strokeWidth=0)
    )


def sparkline_summary(series: pd.DataFrame, unit: str = "count") -> str:
    """The sparkline in words: how many figures, from what to what."""
    labels = [str(p) for p in series["period_label"]]
    values = [_number(v) for v in series["value"]]
    shown = [(p, v) for p, v in zip(labels, values, strict=True) if v is not None]
    if not shown:
        return "Trend: no figures shown."
    (p0, v0), (p1, v1) = shown[0], shown[-1]
    missing = len(labels) - len(shown)
    return (
        f"Trend of {len(shown)} figures, from {formatting.figure(v0, unit)} in {p0} to "
        f"{formatting.figure(v1, unit)} in {p1}"
        + (f"; {missing} period{'s' if missing != 1 else ''} not shown." if missing else ".")
    )


# -- SPC chart ---------------------------------------------------------------------------------
SPC_FRAME_COLUMNS = [
    "period_label",
    "value",
    "value_text",
    "mean",
    "upl",
    "lpl",
    "limits_text",
    "phase",
    "point_class",
    "segment",
    "trajectory",
    "data",
]


def spc_chart_frame(
    spc: pd.DataFrame,
    *,
    unit: str = "count",
    trajectory: Mapping[str, float] | None = None,
    periods: Sequence[str] | None = None,
    data_kinds: Mapping[str, str] | None = None,
    show_limits: bool = True,
) -> pd.DataFrame:
    """The tidy frame :func:`spc_chart` draws, one row per point shown (oldest first).

    Parameters
    ----------
    spc : DataFrame
        ``publish.spc_chart(figure, series)``: period_label, value and, from enough points, mean,
        upl, lpl, point_class and phase. A frame of only period_label and value draws a
        plain trend; a value of None (a hidden figure) is left out and drawn as a gap.
    unit : str
        The indicator's unit, for the texts (:func:`csa.formatting.figure`).
    trajectory : mapping, optional
        Period label to a recovery plan's expected figure; periods after the last figure
        add rows with no value.
    periods : sequence of str, optional
        The calendar's labels of the indicator's frequency, oldest first: the axis runs
        over them, so a missing period is a gap.
    data_kinds : mapping, optional
        Period label to the figure's ``data_kind`` ("demo" or "real"); a ``data_kind``
        column of ``spc`` is used when not given.
    show_limits : bool
        False draws no mean and limits even when ``spc`` has them.

    Returns
    -------
    DataFrame with :data:`SPC_FRAME_COLUMNS`; ``attrs["domain"]`` is the x axis.
    """
    f = spc.copy()
    if f.empty or "value" not in f:
        f = pd.DataFrame({"period_label": list(f.get("period_label", [])), "value": None})
    labels = [str(p) for p in f["period_label"]]
    f["period_label"] = labels
    f["value"] = [_number(v) for v in f["value"]]
    kinds = dict(data_kinds or {})
    if not kinds and "data_kind" in f:
        kinds = dict(zip(labels, f["data_kind"], strict=True))
    f = f[f["value"].notna()].reset_index(drop=True)
    trajectory = {str(p): _number(v) for p, v in (trajectory or {}).items()}
    trajectory = {p: v for p, v in trajectory.items() if v is not None}
    future = [p for p in trajectory if p not in set(f["period_label"])]
    domain = _domain(labels + future, periods)
    has_limits = show_limits and {"mean", "upl", "lpl"} <= set(f.columns)
    out = pd.DataFrame({"period_label": f["period_label"], "value": f["value"].astype(float)})
    out["value_text"] = [formatting.figure(v, unit) for v in out["value"]]
    for col in ("mean", "upl", "lpl"):
        out[col] = [_number(v) for v in f[col]] if has_limits else None
    out["limits_text"] = [
        f"mean {formatting.figure(m, unit)}, limits {formatting.interval(lo, hi, unit)}"
        if m is not None
        else ""
        for m, lo, hi in zip(out["mean"], out["lpl"], out["upl"], strict=True)
    ]
    out["phase"] = list(f["phase"]) if has_limits and "phase" in f else 0
    classes = list(f["point_class"]) if has_limits and "point_class" in f else [None] * len(f)
    out["point_class"] = [class_words(c) for c in classes]
    out["segment"] = _segments(list(out["period_label"]), domain)
    out["trajectory"] = [trajectory.get(p) for p in out["period_label"]]
    if future:
        extra = pd.DataFrame(
            {"period_label": future, "trajectory": [trajectory[p] for p in future]}
        )
        out = pd.concat([out, extra], ignore_index=True)
    out["data"] = [demo_labels.word(kinds.get(p)) for p in out["period_label"]]
    out = out.reindex(columns=SPC_FRAME_COLUMNS)
    for col in ("value", "mean", "upl", "lpl", "trajectory"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    out["phase"] = out["phase"].fillna(0).astype(int)
    out["segment"] = out["segment"].fillna(-1).astype(int)
    out = out.fillna({"value_text": "", "limits_text": "", "point_class": ""})
    out.attrs["domain"] = domain
    out.attrs["message"] = spc.attrs.get("message", "")
    return out


#: How the SPC chart draws a point by where its figure comes from: demo points are hollow
#: (outline only), real points solid, so the difference does not rest on colour.
DATA_FILL = {"Real": 1.0, "Demo": 0.0}


def _target_of(spc: pd.DataFrame, target) -> float | None:
    value = _number(target)
    if value is None and "target" in spc:
        found = [t for t in map(_number, spc["target"]) if t is not None]
        value = found[-1] if found else None
    return value


def spc_chart(
    spc: pd.DataFrame,
    title: str,
    unit_title: str,
    *,
    unit: str = "count",
    target: float | None = None,
    trajectory: Mapping[str, float] | None = None,
    periods: Sequence[str] | None = None,
    data_kinds: Mapping[str, str] | None = None,
    show_limits: bool = True,
) -> alt.LayerChart:
    """The one SPC chart: a published figure's SPC (``publish.spc_chart(figure, series)``) with its
    mean and process limits per phase (a new phase starts where limits were re-calculated),
    points coloured and shaped by their published ``point_class``, and an optional target
    (a rule; None, NaN or no number draws none) and recovery trajectory. A frame without
    limits draws a plain trend of the values shown. See :func:`spc_chart_frame` for the
    arguments; a ``target`` column of ``spc`` is used when ``target`` is not given.

    When the figures have a kind, demo points are drawn hollow and real ones solid, the
    subtitle says so, and a dotted rule marks where a series turns from demo to real.
    """
    target = _target_of(spc, target)
    frame = spc_chart_frame(
        spc,
        unit=unit,
        trajectory=trajectory,
        periods=periods,
        data_kinds=data_kinds,
        show_limits=show_limits,
    )
    domain = frame.attrs["domain"]
    x = _x(domain)
    colour, shape = _class_scales()
    shown = frame[frame["value"].notna()]
    classed = (shown["point_class"] != NO_CLASS).any()
    base = alt.Chart(frame).encode(x=x)
    y_title = alt.Y("value:Q", title=unit_title, scale=alt.Scale(zero=False))
    line = (
        base.transform_filter(_valid("value"))
        .mark_line(color="#505A5F", strokeWidth=1.5)
        .encode(y=y_title, detail="segment:N")
    )
    tooltip = [
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip("value_text:N", title=unit_title),
    ]
    if classed:
        tooltip += [
            alt.Tooltip("point_class:N", title="Variation"),
            alt.Tooltip("limits_text:N", title="SPC"),
        ]
    legend = alt.Legend(
        title="Variation (SPC)",
        orient="bottom",
        direction="horizontal",
        columns=alt.ExprRef(f"width < {KEY_NARROW} ? 1 : 2"),  # one column on a phone
        labelLimit=0,
    )
    if classed:
        encoding = {
            "y": "value:Q",
            "color": alt.Color("point_class:N", scale=colour, legend=legend),
            "shape": alt.Shape("point_class:N", scale=shape, legend=legend),
        }
    else:
        encoding = {"y": "value:Q", "color": alt.value(CLASS_STYLE["common"][1])}
    has_kind = shown["data"].isin(list(DATA_FILL)).any()
    if has_kind:
        tooltip.append(alt.Tooltip("data:N", title="Data"))
        encoding["stroke"] = (
            alt.Stroke("point_class:N", scale=colour, legend=legend)
            if classed
            else alt.value(CLASS_STYLE["common"][1])
        )
        # Vega-Lite draws no legend for a nominal opacity, so the subtitle says it instead
        encoding["fillOpacity"] = alt.FillOpacity(
            "data:N",
            scale=alt.Scale(domain=list(DATA_FILL), range=list(DATA_FILL.values())),
            legend=None,
        )
    points = (
        base.transform_filter(_valid("value"))
        .mark_point(filled=True, size=90, opacity=1, strokeWidth=2 if has_kind else alt.Undefined)
        .encode(**encoding, tooltip=tooltip)
    )
    layers = [line]
    if frame["mean"].notna().any():
        limits = base.transform_filter(_valid("mean"))
        layers.append(
            limits.mark_line(color="#0B0C0C", strokeWidth=1).encode(
                y="mean:Q", detail="phase:N", tooltip=[alt.Tooltip("limits_text:N", title="SPC")]
            )
        )
        for col in ("upl", "lpl"):
            layers.append(
                limits.mark_line(color="#6F777B", strokeDash=[6, 4], strokeWidth=1).encode(
                    y=f"{col}:Q",
                    detail="phase:N",
                    tooltip=[alt.Tooltip("limits_text:N", title="SPC")],
                )
            )
    if target is not None:
        layers.append(
            alt.Chart(
                pd.DataFrame({"target": [target], "target_text": [formatting.figure(target, unit)]})
            )
            .mark_rule(color="#00703C", strokeDash=[10, 4], strokeWidth=2)
            .encode(y="target:Q", tooltip=[alt.Tooltip("target_text:N", title="Target")])
        )
    if frame["trajectory"].notna().any():
        layers.append(
            base.transform_filter(_valid("trajectory"))
            .mark_line(
                color="#F47738",
                strokeWidth=2,
                strokeDash=[3, 3],
                point=alt.OverlayMarkDef(color="#F47738", size=40),
            )
            .encode(
                y="trajectory:Q",
                tooltip=[
                    alt.Tooltip("period_label:N", title="Period"),
                    alt.Tooltip("trajectory:Q", title="Recovery trajectory", format=",.4~g"),
                ],
            )
        )
    layers.append(points)
    subtitle = alt.Undefined
    if has_kind:
        layers.extend(_data_change_marks(shown, x))
        subtitle = data_subtitle(shown["data"]) or alt.Undefined
    return alt.layer(*layers).properties(
        title=title if subtitle is alt.Undefined else alt.TitleParams(title, subtitle=subtitle),
        height=SPC_HEIGHT,
        # the plot is SPC_HEIGHT tall and the title, rotated period labels and key add to
        # it: Streamlit's default ("fit": everything within SPC_HEIGHT) squashed the plot
        # and pushed the title above the chart, out of sight
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def spc_key(
    spc: pd.DataFrame,
    *,
    target: float | None = None,
    trajectory: Mapping[str, float] | None = None,
    data_kinds: Mapping[str, str] | None = None,
    show_limits: bool = True,
) -> str:
    """What the SPC chart's lines and points are, in words: only those it draws (no word
    of a target when it draws none). Arguments as :func:`spc_chart`."""
    frame = spc_chart_frame(
        spc, trajectory=trajectory, data_kinds=data_kinds, show_limits=show_limits
    )
    parts = ["Grey line: figures (a break is a period with no figure shown)"]
    if frame["mean"].notna().any():
        parts.append("black: mean; dashed grey: process limits (3 sigma), per phase")
    if _target_of(spc, target) is not None:
        parts.append("green dashed: target")
    if frame["trajectory"].notna().any():
        parts.append("orange: recovery-plan trajectory")
    if (frame["point_class"].isin([v[0] for v in CLASS_STYLE.values()])).any():
        parts.append(
            "points: circle common cause, triangle improvement, diamond concern, square "
            "special cause with no judgement"
        )
    if frame["data"].eq("Demo").any():
        parts.append("hollow points are synthetic demo figures, solid points real")
    rest = "; ".join(parts[1:])
    return parts[0] + "." + (f" {rest[0].upper()}{rest[1:]}." if rest else "")


def spc_summary(
    spc: pd.DataFrame,
    subject: str,
    *,
    unit: str = "count",
    target: float | None = None,
    trajectory: Mapping[str, float] | None = None,
    periods: Sequence[str] | None = None,
    show_limits: bool = True,
) -> str:
    """The SPC chart in words (its text alternative): the figures shown, the latest and its
    SPC class, the mean and limits, special-cause points, the target and trajectory."""
    frame = spc_chart_frame(
        spc, unit=unit, trajectory=trajectory, periods=periods, show_limits=show_limits
    )
    shown = frame[frame["value"].notna()]
    if shown.empty:
        return f"{subject}: no figures shown."
    first, last = shown.iloc[0], shown.iloc[-1]
    domain = frame.attrs["domain"]
    span = domain[domain.index(first["period_label"]) : domain.index(last["period_label"]) + 1]
    gaps = len(span) - len(shown)
    if len(shown) == 1:
        out = [f"{subject}: one figure, {last['value_text']} in {last['period_label']}"]
    else:
        out = [
            f"{subject}: {len(shown)} figures from {first['period_label']} to "
            f"{last['period_label']}"
            + (
                f" ({gaps} period{'s' if gaps != 1 else ''} in between with no figure shown)"
                if gaps
                else ""
            )
            + f"; the latest is {last['value_text']} in {last['period_label']}"
        ]
    classes = {v[0]: k for k, v in CLASS_STYLE.items()}
    latest_class = classes.get(last["point_class"])
    if latest_class:
        out[0] += f", {CLASS_PHRASE[latest_class]}."
        out.append(
            f"Mean {formatting.figure(last['mean'], unit)}, process limits "
            f"{formatting.interval(last['lpl'], last['upl'], unit)}."
        )
        earlier = shown.iloc[:-1]["point_class"].map(classes)
        special = earlier[earlier.isin(["improvement", "concern", "neither"])]
        if len(special):
            counts = special.value_counts()
            words = {"improvement": "improvement", "concern": "concern", "neither": "no judgement"}
            out.append(
                f"{len(special)} earlier point{'s' if len(special) != 1 else ''} show special "
                "cause (" + ", ".join(f"{n} {words[c]}" for c, n in counts.items()) + ")."
            )
        if frame["phase"].nunique() > 1:
            starts = shown[shown["phase"] != shown["phase"].shift()]["period_label"].iloc[1:]
            out.append(f"Limits re-calculated from {', '.join(starts)}.")
    else:
        out[0] += "."
        message = frame.attrs.get("message") or ""
        out.append(message or "No SPC limits are shown.")
    target = _target_of(spc, target)
    if target is not None:
        out.append(f"Target: {formatting.figure(target, unit)}.")
    planned = frame[frame["trajectory"].notna()]
    if len(planned):
        end = planned.iloc[-1]
        out.append(
            f"Recovery trajectory to {formatting.figure(end['trajectory'], unit)} by "
            f"{end['period_label']}."
        )
    return " ".join(out)


def spc_frame(
    periods: list[str],
    result,
    target: float | None = None,
    trajectory: dict[str, float] | None = None,
    data_kinds: list | None = None,
) -> pd.DataFrame:
    """Deprecated: an XmR result as a frame shaped like ``publish.spc_chart`` (with columns
    target, trajectory and data_kind), for a surface that still runs SPC itself. Surfaces
    draw ``publish.spc_chart(figure, series)`` instead; remove this once none calls it."""
    n = len(periods)
    if data_kinds is not None and len(data_kinds) != n:
        raise ValueError(f"data_kinds has {len(data_kinds)} entries for {n} periods")
    df = pd.DataFrame({"period_label": list(periods), "value": list(result.values)})
    if getattr(result, "enough_points", False) and len(result.mean or ()) == n:
        df["mean"] = list(result.mean)
        df["upl"] = list(result.upper_process_limit)
        df["lpl"] = list(result.lower_process_limit)
        df["point_class"] = list(result.point_classes)
        df["phase"] = list(result.phases) if len(result.phases or ()) == n else 0
    df["target"] = _number(target)
    df["trajectory"] = [_number((trajectory or {}).get(p)) for p in periods]
    df["data_kind"] = list(data_kinds) if data_kinds is not None else None
    return df


def data_subtitle(words: pd.Series) -> list[str]:
    """The chart's key to hollow and solid points, for the kinds it shows."""
    shown = set(words)
    if shown >= {"Demo", "Real"}:
        return ["Hollow points: synthetic demo figures. Solid points: real returns."]
    if "Demo" in shown:
        return ["Hollow points: synthetic demo figures, not real statistics."]
    return []


def _data_change_marks(frame: pd.DataFrame, x: alt.X) -> list[alt.Chart]:
    """A dotted rule and a note ("Real from here", "Demo from here") where a series turns
    from demo to real figures or back, so the change reads without the tooltip. Drawn for a
    single change only: with more, notes would collide, and the hollow and solid points,
    the tooltip and the page's words say which periods are which."""
    known = frame[frame["data"].isin(list(DATA_FILL))]
    change = known[known["data"] != known["data"].shift()].iloc[1:]
    if len(change) != 1:
        return []
    periods = list(frame["period_label"])
    # notes in the right half of the chart sit left of their rule, so they stay inside it
    late = [periods.index(p) > len(periods) / 2 for p in change["period_label"]]
    marks = pd.DataFrame(
        {
            "period_label": list(change["period_label"]),
            "note": [
                f"{d} from {p}" for d, p in zip(change["data"], change["period_label"], strict=True)
            ],
            "late": late,
        }
    )
    base = alt.Chart(marks).encode(x=x)
    out = [
        base.mark_rule(color="#0B0C0C", strokeDash=[2, 3], strokeWidth=1.5).encode(
            tooltip=[alt.Tooltip("note:N", title="Data")]
        )
    ]
    for right, align, dx in ((True, "right", -4), (False, "left", 4)):
        if (marks["late"] == right).any():
            out.append(
                alt.Chart(marks[marks["late"] == right])
                .mark_text(align=align, baseline="top", dx=dx, dy=4, fontSize=12, color="#0B0C0C")
                .encode(x=x, y=alt.value(0), text="note:N")
            )
    return out


# -- areas compared ------------------------------------------------------------------------------
COMPARISON_COLUMNS = [
    "name",
    "value",
    "lower",
    "upper",
    "value_text",
    "interval_text",
    "comparison_words",
    "data",
]


def comparison_chart(
    frame: pd.DataFrame,
    benchmark: float | None,
    title: str,
    unit_title: str,
    benchmark_text: str | None = None,
) -> alt.LayerChart:
    """Areas with 95% confidence intervals and the benchmark line.

    ``frame``: name, value, lower, upper, comparison_words (e.g. "Worse than Lancashire"),
    and optionally value_text and interval_text (the published texts, for the tooltip) and
    data ("Demo" or "Real"). Rows without a value (hidden figures) are left out of the
    chart and its data; only these columns reach the chart.
    """
    f = frame[frame["value"].map(_number).notna()].copy()
    for col in ("value", "lower", "upper"):
        f[col] = [_number(v) for v in f[col]] if col in f else None
        f[col] = pd.to_numeric(f[col], errors="coerce")
    if "value_text" not in f:
        f["value_text"] = [formatting.figure(v) for v in f["value"]]
    if "interval_text" not in f:
        f["interval_text"] = [
            formatting.interval(a, b) for a, b in zip(f["lower"], f["upper"], strict=True)
        ]
    f = f.reindex(columns=COMPARISON_COLUMNS)
    f["data"] = f["data"].fillna("")
    order = list(f.sort_values("value", ascending=False)["name"])
    base = alt.Chart(f).encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=0))
    )
    tooltip = [
        alt.Tooltip("name:N", title="Area"),
        alt.Tooltip("value_text:N", title=unit_title),
        alt.Tooltip("interval_text:N", title="95% confidence interval"),
        alt.Tooltip("comparison_words:N", title="Comparison"),
    ] + ([alt.Tooltip("data:N", title="Data")] if f["data"].ne("").any() else [])
    bars = base.mark_point(filled=True, size=80, color="#1D70B8").encode(
        x=alt.X("value:Q", title=unit_title),
        shape=alt.Shape(
            "comparison_words:N",
            title="Compared with Lancashire",
            legend=alt.Legend(orient="bottom", direction="horizontal", columns=2, labelLimit=0),
        ),
        tooltip=tooltip,
    )
    errors = (
        base.transform_filter(_valid("lower"))
        .mark_rule(color="#505A5F")
        .encode(x="lower:Q", x2="upper:Q")
    )
    layers = [errors, bars]
    bench = _number(benchmark)
    if bench is not None:
        layers.append(
            alt.Chart(
                pd.DataFrame(
                    {"benchmark": [bench], "text": [benchmark_text or formatting.figure(bench)]}
                )
            )
            .mark_rule(color="#D4351C", strokeDash=[6, 3], strokeWidth=2)
            .encode(x="benchmark:Q", tooltip=[alt.Tooltip("text:N", title="Lancashire")])
        )
    # Streamlit fits the whole chart (title, axis, legend) into the height: room for those
    # beside a row per area, or the 14 areas' labels are squeezed and most are dropped
    height = max(MIN_HEIGHT, AREA_ROW_HEIGHT * len(f) + COMPARISON_FRAME_HEIGHT)
    return alt.layer(*layers).properties(title=title, height=height)


def comparison_summary(
    frame: pd.DataFrame, subject: str, benchmark_text: str | None = None, unit: str = "count"
) -> str:
    """The areas chart in words: how many areas are shown (and which are not), the highest
    and the lowest, and how many are better, similar or worse than Lancashire."""
    values = frame["value"].map(_number)
    f = frame.assign(_v=values)
    shown = f[f["_v"].notna()]
    if shown.empty:
        return f"{subject}: no figures shown."
    text = (
        shown["value_text"]
        if "value_text" in shown
        else shown["_v"].map(lambda v: formatting.figure(v, unit))
    )
    shown = shown.assign(_t=text)
    top = shown.sort_values("_v", ascending=False)
    out = [f"{subject}: {len(shown)} area{'s' if len(shown) != 1 else ''} shown"]
    not_shown = list(f.loc[f["_v"].isna(), "name"])
    if not_shown:
        out[0] += f"; not shown: {', '.join(map(str, not_shown))}"
    out[0] += "."
    if len(shown) > 1:
        hi, lo = top.iloc[0], top.iloc[-1]
        out.append(f"Highest: {hi['name']} ({hi['_t']}); lowest: {lo['name']} ({lo['_t']}).")
    else:
        out.append(f"{top.iloc[0]['name']}: {top.iloc[0]['_t']}.")
    if "comparison_words" in shown:
        counts = shown["comparison_words"].dropna().value_counts()
        counts = counts[[w not in ("", "Not compared") for w in counts.index]]
        if len(counts):
            out.append(
                "Compared with Lancashire"
                + (f" ({benchmark_text})" if benchmark_text else "")
                + ": "
                + ", ".join(f"{n} {w[0].lower() + w[1:]}" for w, n in counts.items())
                + "."
            )
    return " ".join(out)


# -- area profile: spine chart ------------------------------------------------------------
# (issue 4, area profile) Every indicator for one area against Lancashire on one shared axis.

SPINE_STYLE = {
    # comparison: (legend words, colour, shape). Better points right, worse points left, so
    # the shape alone says which way the area differs.
    "better": ("Better than Lancashire", "#00703C", "triangle-right"),
    "similar": ("Similar to Lancashire", "#FFBF47", "circle"),
    "worse": ("Worse than Lancashire", "#B10E1E", "triangle-left"),
    "higher": ("Higher than Lancashire (no judgement)", "#1D70B8", "triangle-up"),
    "lower": ("Lower than Lancashire (no judgement)", "#1D70B8", "triangle-down"),
    "not compared": ("Not compared (a count, or no figure)", "#505A5F", "square"),
}
SPINE_RANGE = "#DDE3E8"
SPINE_IQR = "#A9B4BC"


def spine_frame(
    verdicts: pd.DataFrame,
    indicators: pd.DataFrame,
    area_code: str,
    base_codes: list[str],
    hidden: set | frozenset | None = None,
) -> pd.DataFrame:
    """Positions for a spine chart of one area, one row per indicator.

    Each indicator is put on a common axis: 0 is the centre (Lancashire's figure; for counts,
    which have no comparable Lancashire figure, the average of the areas), and the area
    furthest from the centre among the 14 (or the chosen area, if further) is at -1 or +1.
    The axis is flipped where low is good, so that right is always better (or higher, where
    no direction is better).

    Parameters
    ----------
    verdicts : DataFrame
        Verdict rows (indicator_code, area_code, value, comparison, benchmark_value, ...)
        for the periods shown, base areas and groupings.
    indicators : DataFrame
        The indicators to show, in order (code, title, unit, polarity, data_kind, ...).
    area_code : str
        The area profiled.
    base_codes : list of str
        The 14 areas whose spread makes the grey bars.
    hidden : set, optional
        (indicator_code, area_code) pairs the viewer may not see (small counts): left out
        of the spread, and the area's own point is not drawn.

    Returns
    -------
    DataFrame with indicator_code, row_label, centre, area_value, pos_area, pos_min, pos_q1,
    pos_q3, pos_max, comparison, comparison_words, hidden.
    """
    hidden = hidden or set()
    codes = list(indicators["code"])
    # one pass over the verdicts (not one filter of the whole frame per indicator): each
    # (indicator, area)'s first row, and each indicator's first benchmark
    v = verdicts[verdicts["indicator_code"].isin(codes)]
    first = v.drop_duplicates(["indicator_code", "area_code"])

    def column(name: str) -> list:
        return first[name].tolist() if name in first else [None] * len(first)

    cell = dict(
        zip(
            zip(first["indicator_code"], first["area_code"], strict=True),
            zip(column("value"), column("comparison"), column("data_kind"), strict=True),
            strict=True,
        )
    )
    present = set(first["indicator_code"])
    benchmark = {}
    if "benchmark_value" in v:
        benched = v.loc[v["benchmark_value"].notna(), ["indicator_code", "benchmark_value"]]
        benched = benched.drop_duplicates("indicator_code")
        benchmark = dict(zip(benched["indicator_code"], benched["benchmark_value"], strict=True))
    rows = []
    for ind in indicators.to_dict("records"):
        code = ind["code"]
        if code not in present:
            continue
        shown = [cell.get((code, a)) for a in base_codes if (code, a) not in hidden]
        spread = np.array([c[0] for c in shown if c is not None and pd.notna(c[0])], dtype=float)
        if spread.size == 0:
            continue
        own = cell.get((code, area_code))
        own_hidden = (code, area_code) in hidden
        area_value = None if own is None or own_hidden or pd.isna(own[0]) else float(own[0])
        bench = None
        if ind["unit"] != "count" and code in benchmark:
            bench = float(benchmark[code])
        centre = bench if bench is not None else float(spread.mean())
        far = float(np.abs(spread - centre).max())
        if area_value is not None:
            far = max(far, abs(area_value - centre))
        scale = far if far > 0 else 1.0
        sign = -1.0 if ind["polarity"] == "low_is_good" else 1.0

        def pos(x, centre=centre, scale=scale, sign=sign):
            return None if x is None else sign * (x - centre) / scale

        lo, hi = float(spread.min()), float(spread.max())
        q1, q3 = (float(q) for q in np.percentile(spread, [25.0, 75.0], method="linear"))
        ends = sorted([pos(lo), pos(hi)])
        quartiles = sorted([pos(q1), pos(q3)])
        comparison = "not compared"
        if own is not None and not own_hidden and isinstance(own[1], str):
            comparison = own[1] if own[1] in SPINE_STYLE else "not compared"
        n_shown = int(spread.size)
        own_kind = own[2] if own is not None else None
        demo = demo_labels.is_demo(own_kind, ind.get("data_kind"))
        label = (
            f"{code} · {ind['title']}"
            + (" [DEMO]" if demo else "")
            + ("*" if n_shown < len(base_codes) else "")
        )
        rows.append(
            {
                "indicator_code": code,
                "row_label": label,
                "unit": ind["unit"],
                "centre": centre,
                "centre_is_lancashire": bench is not None,
                "area_value": area_value,
                "pos_area": pos(area_value),
                "pos_min": ends[0],
                "pos_max": ends[1],
                "pos_q1": quartiles[0],
                "pos_q3": quartiles[1],
                "spread_min": float(spread.min()),
                "spread_max": float(spread.max()),
                "comparison": comparison,
                "comparison_words": SPINE_STYLE[comparison][0],
                "hidden": own_hidden,
                "n_shown": n_shown,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_code",
            "row_label",
            "unit",
            "centre",
            "centre_is_lancashire",
            "area_value",
            "pos_area",
            "pos_min",
            "pos_max",
            "pos_q1",
            "pos_q3",
            "spread_min",
            "spread_max",
            "comparison",
            "comparison_words",
            "hidden",
            "n_shown",
        ],
    )


def _spine_text(x, unit):
    if x is None or pd.isna(x):
        return "not shown"
    if unit == "percentage":
        return f"{x:,.1f}%"
    return f"{x:,.0f}" if unit == "count" or abs(x) >= 100 else f"{x:,.2f}"


#: Spine chart layout, so it reads from a phone (320 px) to a wall screen: each indicator's
#: name on its own line above its bar (the whole plot width, cut with "…" when longer; the
#: tooltip and the chart in words give it in full), axis words at the plot's edges, the
#: legend in one column on a narrow chart, and the title and key wrapped to short lines.
SPINE_STEP = 44  # px per indicator: its name (12 px) above a bar of 16 px
SPINE_WRAP = 32  # characters a line of the title (bold), about 280 px
SPINE_WRAP_KEY = 46  # characters a line of the key under it, about 280 px
SPINE_NARROW = 560  # px of plot below which the legend takes one column


def _lines(text: str, width: int = SPINE_WRAP_KEY) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _title_lines(title: str) -> str | list[str]:
    """The chart's title as it is when short, else wrapped: a new line after each " · "
    (the period from its DEMO tag) and within a part too long for a phone."""
    if len(title) <= SPINE_WRAP:
        return title
    parts = title.split(" · ")
    return [
        line
        for i, part in enumerate(parts)
        for line in _lines(part + (" ·" if i < len(parts) - 1 else ""), SPINE_WRAP)
    ]


def spine_chart(
    frame: pd.DataFrame, title: str, area_name: str, n_areas: int = 14
) -> alt.LayerChart:
    """Spine chart: per indicator, the spread of the 14 areas (light bar: lowest to highest;
    darker bar: middle half), Lancashire as the centre line, and the area as a marker whose
    shape and colour say better, similar or worse. Laid out for any width (:data:`SPINE_STEP`
    and its neighbours): each indicator's name above its bar, not in a column beside it."""
    f = frame.copy()
    f["area_text"] = [_spine_text(x, u) for x, u in zip(f["area_value"], f["unit"], strict=True)]
    f["centre_text"] = [
        _spine_text(x, u) + ("" if lanc else " (average of the areas)")
        for x, u, lanc in zip(f["centre"], f["unit"], f["centre_is_lancashire"], strict=True)
    ]
    f["range_text"] = [
        f"{_spine_text(a, u)} to {_spine_text(b, u)}"
        + ("" if n == n_areas else f" ({n} of {n_areas} areas shown)")
        for a, b, u, n in zip(
            f["spread_min"], f["spread_max"], f["unit"], f["n_shown"], strict=True
        )
    ]
    order = list(f["row_label"])
    words = [v[0] for v in SPINE_STYLE.values()]
    colour = alt.Scale(domain=words, range=[v[1] for v in SPINE_STYLE.values()])
    shape = alt.Scale(domain=words, range=[v[2] for v in SPINE_STYLE.values()])
    x_scale = alt.Scale(domain=[-1.08, 1.08], nice=False, zero=False)
    axis = alt.Axis(
        values=[-1, 0, 1],
        grid=False,
        title=None,
        labelFontSize=12,
        labelColor="#505A5F",  # AA contrast (the theme's grey is 4.4:1)
        labelExpr="datum.value < 0 ? '◀ worse (or lower)' : datum.value > 0 ? "
        "'better (or higher) ▶' : 'Lancashire'",
        # the end words inside the plot's edges, so the three never overlap on a phone
        labelAlign=alt.ExprRef("datum.value < 0 ? 'left' : datum.value > 0 ? 'right' : 'center'"),
        labelBound=True,
    )
    # each row's band: its name in the top part, its bar (and marker) below
    y = alt.Y("row_label:N", sort=order, title=None, axis=None)
    below, above = SPINE_STEP * 0.16, -SPINE_STEP * 0.3
    tip = [
        alt.Tooltip("row_label:N", title="Indicator"),
        alt.Tooltip("area_text:N", title=area_name),
        alt.Tooltip("centre_text:N", title="Lancashire"),
        alt.Tooltip("range_text:N", title="Range of the 14 areas"),
        alt.Tooltip("comparison_words:N", title="Compared with Lancashire"),
    ]
    base = alt.Chart(f).encode(y=y)
    spread = base.mark_bar(height=16, color=SPINE_RANGE, yOffset=below).encode(
        x=alt.X("pos_min:Q", scale=x_scale, axis=axis), x2="pos_max:Q", tooltip=tip
    )
    middle = base.mark_bar(height=16, color=SPINE_IQR, yOffset=below).encode(
        x="pos_q1:Q", x2="pos_q3:Q", tooltip=tip
    )
    ends = (
        base.transform_fold(["pos_min", "pos_max"], as_=["end", "pos_end"])
        .mark_tick(color="#6F777B", thickness=2, size=16, yOffset=below)
        .encode(x=alt.X("pos_end:Q", scale=x_scale), tooltip=tip)
    )
    # Lancashire: a black line across each bar (not the whole plot: it would cross the names)
    centre = base.mark_tick(color="#0B0C0C", thickness=2, size=24, yOffset=below).encode(
        x=alt.datum(0.0, scale=x_scale)
    )
    names = (
        alt.Chart(f)
        .mark_text(
            align="left",
            baseline="middle",
            fontSize=12,
            color="#0B0C0C",
            limit=alt.ExprRef("width"),  # the plot's width, then "…"
            yOffset=above,
        )
        .encode(
            y=y,
            x=alt.datum(-1.08, scale=x_scale),
            text="row_label:N",
            tooltip=tip,
        )
    )
    marks = (
        base.transform_filter("isValid(datum.pos_area)")
        .mark_point(
            filled=True, size=190, opacity=1, stroke="#0B0C0C", strokeWidth=1, yOffset=below
        )
        .encode(
            x=alt.X("pos_area:Q", scale=x_scale),
            color=alt.Color(
                "comparison_words:N",
                scale=colour,
                legend=alt.Legend(
                    title=f"{area_name} compared with Lancashire",
                    orient="bottom",
                    direction="horizontal",
                    columns=alt.ExprRef(f"width < {SPINE_NARROW} ? 1 : 3"),
                    labelLimit=320,
                    titleLimit=alt.ExprRef("width"),
                    labelFontSize=12,
                    titleFontSize=12,
                    labelColor="#0B0C0C",
                    titleColor="#505A5F",
                    symbolSize=170,
                    symbolStrokeWidth=1,
                ),
            ),
            shape=alt.Shape("comparison_words:N", scale=shape),
            tooltip=tip,
        )
    )
    subtitle = _lines(
        f"Grey bar: lowest to highest of the {n_areas} areas; darker: the middle half. "
        "Black line: Lancashire. Each row is scaled to its own spread."
    )
    if (f["n_shown"] < n_areas).any():
        subtitle += _lines(
            "* Some areas' figures are small numbers, not shown publicly, so they are left "
            "out of the bar."
        )
    return alt.layer(spread, middle, ends, centre, names, marks).properties(
        title=alt.TitleParams(
            _title_lines(title),
            subtitle=subtitle,
            anchor="start",
        ),
        height=alt.Step(SPINE_STEP),
        width="container",
    )


def spine_summary(frame: pd.DataFrame, area_name: str) -> str:
    """The spine chart in words (its text alternative): how many indicators are better,
    similar or worse than Lancashire (or higher or lower), which are worse, and how many
    are not shown (small numbers)."""
    if frame.empty:
        return f"{area_name}: no indicators to compare with Lancashire."
    hidden = frame["hidden"].astype(bool)
    counts = frame.loc[~hidden, "comparison"].value_counts()
    parts = [
        f"{int(counts[c])} {words[0].lower()}{words[1:]}"
        for c, (words, _colour, _shape) in SPINE_STYLE.items()
        if c in counts
    ]
    n = len(frame)
    out = f"{area_name} on {n} indicator{'s' if n != 1 else ''}: " + ", ".join(parts)
    if hidden.any():
        out += f"; {int(hidden.sum())} not shown (small numbers)"
    worse = list(frame.loc[~hidden & (frame["comparison"] == "worse"), "row_label"])
    return out + "." + (f" Worse than Lancashire: {'; '.join(worse)}." if worse else "")
