"""Chart builders (altair). Small functions from DataFrames to charts, testable without a
browser: each returns an ``alt.Chart`` whose spec the tests can inspect.

Every chart has a title and its unit on the axis. Special-cause points differ in shape as
well as colour, so the charts read without colour.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from csa import demo_labels

CLASS_STYLE = {
    # point class: (legend words, colour, shape)
    "common": ("Common cause", "#505A5F", "circle"),
    "improvement": ("Special cause: improvement", "#1D70B8", "triangle-up"),
    "concern": ("Special cause: concern", "#D4351C", "diamond"),
    "neither": ("Special cause: no judgement", "#6F3C97", "square"),
}


def _class_scales():
    words = [v[0] for v in CLASS_STYLE.values()]
    return (
        alt.Scale(domain=words, range=[v[1] for v in CLASS_STYLE.values()]),
        alt.Scale(domain=words, range=[v[2] for v in CLASS_STYLE.values()]),
    )


def sparkline(series: pd.DataFrame, title: str = "") -> alt.Chart:
    """A small line of the last figures (period_label, value)."""
    return (
        alt.Chart(series, height=40, width=140, title=title or alt.Undefined)
        .mark_line(point=False, strokeWidth=2, color="#1D70B8")
        .encode(
            x=alt.X("period_label:O", sort=None, axis=None),
            y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
            tooltip=[
                alt.Tooltip("period_label:N", title="Period"),
                alt.Tooltip("value:Q", title="Value", format=",.2f"),
            ],
        )
        .configure_view(strokeWidth=0)
    )


def spc_frame(
    periods: list[str],
    result,
    target: float | None = None,
    trajectory: dict[str, float] | None = None,
    data_kinds: list | None = None,
) -> pd.DataFrame:
    """Tidy frame of an XmR result for charting, one row per point.

    ``data_kinds``: each point's ``data_kind`` ("demo" or "real"), written to the column
    ``data`` as "Demo" or "Real" so that the chart can tell synthetic points apart.
    """
    df = pd.DataFrame(
        {
            "period_label": periods,
            "value": list(result.values),
            "mean": list(result.mean) if result.mean else [None] * len(periods),
            "upl": list(result.upper_process_limit)
            if result.upper_process_limit
            else [None] * len(periods),
            "lpl": list(result.lower_process_limit)
            if result.lower_process_limit
            else [None] * len(periods),
            "point_class": [
                CLASS_STYLE.get(c, CLASS_STYLE["common"])[0] for c in result.point_classes
            ]
            if result.point_classes
            else [CLASS_STYLE["common"][0]] * len(periods),
            "rules": [", ".join(r) for r in result.rules] if result.rules else [""] * len(periods),
        }
    )
    df["target"] = target
    df["trajectory"] = [trajectory.get(p) if trajectory else None for p in periods]
    if data_kinds is not None:
        if len(data_kinds) != len(periods):
            raise ValueError(f"data_kinds has {len(data_kinds)} entries for {len(periods)} periods")
        df["data"] = [demo_labels.word(k) for k in data_kinds]
    return df


#: How the SPC chart draws a point by where its figure comes from: demo points are hollow
#: (outline only), real points solid, so the difference does not rest on colour.
DATA_FILL = {"Real": 1.0, "Demo": 0.0}


def spc_chart(
    frame: pd.DataFrame, title: str, unit_title: str, show_limits: bool = True
) -> alt.LayerChart:
    """Trend with mean, process limits (stepping where re-phased), target, trajectory and
    special-cause points (colour and shape). When the frame has a ``data`` column (see
    :func:`spc_frame`), demo points are drawn hollow and real ones solid, the subtitle says
    so, a dotted rule marks where a series turns from demo to real (e.g. "Real from
    2026-27 Q2"), and the tooltip gives "Data: Demo/Real"."""
    colour, shape = _class_scales()
    base = alt.Chart(frame).encode(
        x=alt.X("period_label:O", sort=None, title="Period", axis=alt.Axis(labelAngle=-45))
    )
    line = base.mark_line(color="#505A5F", strokeWidth=1.5).encode(
        y=alt.Y("value:Q", title=unit_title, scale=alt.Scale(zero=False))
    )
    tooltip = [
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip("value:Q", title=unit_title, format=",.2f"),
        alt.Tooltip("point_class:N", title="Variation"),
        alt.Tooltip("rules:N", title="Rules fired"),
    ]
    encoding = {
        "y": "value:Q",
        "color": alt.Color("point_class:N", scale=colour, title="Variation"),
        "shape": alt.Shape("point_class:N", scale=shape, title="Variation"),
    }
    has_kind = "data" in frame and frame["data"].isin(list(DATA_FILL)).any()
    if has_kind:
        tooltip.append(alt.Tooltip("data:N", title="Data"))
        encoding["stroke"] = alt.Stroke("point_class:N", scale=colour, title="Variation")
        # Vega-Lite draws no legend for a nominal opacity, so the subtitle says it instead
        encoding["fillOpacity"] = alt.FillOpacity(
            "data:N",
            scale=alt.Scale(domain=list(DATA_FILL), range=list(DATA_FILL.values())),
            legend=None,
        )
    points = base.mark_point(
        filled=True, size=90, opacity=1, strokeWidth=2 if has_kind else alt.Undefined
    ).encode(**encoding, tooltip=tooltip)
    layers = [line]
    if show_limits and frame["mean"].notna().any():
        layers.append(
            base.mark_line(color="#0B0C0C", strokeDash=[2, 0], strokeWidth=1).encode(
                y="mean:Q", tooltip=[alt.Tooltip("mean:Q", title="Mean", format=",.2f")]
            )
        )
        for col, name in (("upl", "Upper process limit"), ("lpl", "Lower process limit")):
            layers.append(
                base.mark_line(
                    color="#6F777B", strokeDash=[6, 4], strokeWidth=1, interpolate="step-after"
                ).encode(y=f"{col}:Q", tooltip=[alt.Tooltip(f"{col}:Q", title=name, format=",.2f")])
            )
    if frame["target"].notna().any():
        layers.append(
            base.mark_line(color="#00703C", strokeDash=[10, 4], strokeWidth=2).encode(
                y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target", format=",.2f")]
            )
        )
    if frame["trajectory"].notna().any():
        layers.append(
            base.mark_line(color="#F47738", strokeWidth=2, point=True, strokeDash=[3, 3]).encode(
                y="trajectory:Q",
                tooltip=[alt.Tooltip("trajectory:Q", title="Recovery trajectory", format=",.2f")],
            )
        )
    layers.append(points)
    subtitle = alt.Undefined
    if has_kind:
        layers.extend(_data_change_marks(frame))
        subtitle = data_subtitle(frame["data"]) or alt.Undefined
    return alt.layer(*layers).properties(
        title=title if subtitle is alt.Undefined else alt.TitleParams(title, subtitle=subtitle),
        height=340,
    )


def data_subtitle(words: pd.Series) -> list[str]:
    """The chart's key to hollow and solid points, for the kinds it shows."""
    shown = set(words)
    if shown >= {"Demo", "Real"}:
        return ["Hollow points: synthetic demo figures. Solid points: real returns."]
    if "Demo" in shown:
        return ["Hollow points: synthetic demo figures, not real statistics."]
    return []


def _data_change_marks(frame: pd.DataFrame) -> list[alt.Chart]:
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
    base = alt.Chart(marks).encode(x=alt.X("period_label:O", sort=None))
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
                .encode(x=alt.X("period_label:O", sort=None), y=alt.value(0), text="note:N")
            )
    return out


def comparison_chart(
    frame: pd.DataFrame, benchmark: float | None, title: str, unit_title: str
) -> alt.LayerChart:
    """Areas with 95% confidence intervals and the benchmark line.

    ``frame``: name, value, lower, upper, comparison_words (e.g. "▼ Worse than Lancashire"),
    and optionally data ("Demo" or "Real", shown in the tooltip).
    """
    order = list(frame.sort_values("value", ascending=False)["name"])
    base = alt.Chart(frame).encode(y=alt.Y("name:N", sort=order, title=None))
    bars = base.mark_point(filled=True, size=80, color="#1D70B8").encode(
        x=alt.X("value:Q", title=unit_title),
        shape=alt.Shape("comparison_words:N", title="Compared with Lancashire"),
        tooltip=[
            alt.Tooltip("name:N", title="Area"),
            alt.Tooltip("value:Q", title=unit_title, format=",.2f"),
            alt.Tooltip("lower:Q", title="95% CI lower", format=",.2f"),
            alt.Tooltip("upper:Q", title="95% CI upper", format=",.2f"),
            alt.Tooltip("comparison_words:N", title="Comparison"),
        ]
        + ([alt.Tooltip("data:N", title="Data")] if "data" in frame else []),
    )
    errors = base.mark_rule(color="#505A5F").encode(x="lower:Q", x2="upper:Q")
    layers = [errors, bars]
    if benchmark is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"benchmark": [benchmark]}))
            .mark_rule(color="#D4351C", strokeDash=[6, 3], strokeWidth=2)
            .encode(
                x="benchmark:Q",
                tooltip=[alt.Tooltip("benchmark:Q", title="Lancashire", format=",.2f")],
            )
        )
    return alt.layer(*layers).properties(title=title, height=max(220, 24 * len(frame)))


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
    hidden: set | None = None,
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
    rows = []
    for ind in indicators.to_dict("records"):
        code = ind["code"]
        v = verdicts[verdicts["indicator_code"] == code]
        if v.empty:
            continue
        by_area = v.drop_duplicates("area_code").set_index("area_code")
        base = by_area.reindex(base_codes)
        spread = base["value"][[(code, a) not in hidden for a in base.index]].dropna()
        if spread.empty:
            continue
        own = by_area.loc[area_code] if area_code in by_area.index else None
        own_hidden = (code, area_code) in hidden
        area_value = (
            None if own is None or own_hidden or pd.isna(own["value"]) else float(own["value"])
        )
        bench = None
        if ind["unit"] != "count":
            bv = v["benchmark_value"].dropna()
            bench = float(bv.iloc[0]) if not bv.empty else None
        centre = bench if bench is not None else float(spread.mean())
        distances = list((spread - centre).abs()) + (
            [abs(area_value - centre)] if area_value is not None else []
        )
        scale = max(distances) if distances and max(distances) > 0 else 1.0
        sign = -1.0 if ind["polarity"] == "low_is_good" else 1.0

        def pos(x, centre=centre, scale=scale, sign=sign):
            return None if x is None else sign * (x - centre) / scale

        ends = sorted([pos(float(spread.min())), pos(float(spread.max()))])
        quartiles = sorted([pos(float(spread.quantile(0.25))), pos(float(spread.quantile(0.75)))])
        comparison = "not compared"
        if own is not None and not own_hidden and isinstance(own.get("comparison"), str):
            comparison = own["comparison"] if own["comparison"] in SPINE_STYLE else "not compared"
        n_shown = int(spread.size)
        own_kind = own.get("data_kind") if own is not None else None
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


def spine_chart(
    frame: pd.DataFrame, title: str, area_name: str, n_areas: int = 14
) -> alt.LayerChart:
    """Spine chart: per indicator, the spread of the 14 areas (light bar: lowest to highest;
    darker bar: middle half), Lancashire as the centre line, and the area as a marker whose
    shape and colour say better, similar or worse."""
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
        labelExpr="datum.value < 0 ? '◀ worse (or lower)' : datum.value > 0 ? "
        "'better (or higher) ▶' : 'Lancashire'",
    )
    y = alt.Y(
        "row_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=380, labelFontSize=12)
    )
    tip = [
        alt.Tooltip("row_label:N", title="Indicator"),
        alt.Tooltip("area_text:N", title=area_name),
        alt.Tooltip("centre_text:N", title="Lancashire"),
        alt.Tooltip("range_text:N", title="Range of the 14 areas"),
        alt.Tooltip("comparison_words:N", title="Compared with Lancashire"),
    ]
    base = alt.Chart(f).encode(y=y)
    spread = base.mark_bar(height=16, color=SPINE_RANGE).encode(
        x=alt.X("pos_min:Q", scale=x_scale, axis=axis), x2="pos_max:Q", tooltip=tip
    )
    middle = base.mark_bar(height=16, color=SPINE_IQR).encode(
        x="pos_q1:Q", x2="pos_q3:Q", tooltip=tip
    )
    ends = (
        base.transform_fold(["pos_min", "pos_max"], as_=["end", "pos_end"])
        .mark_tick(color="#6F777B", thickness=2, size=16)
        .encode(x=alt.X("pos_end:Q", scale=x_scale), tooltip=tip)
    )
    centre = (
        alt.Chart(pd.DataFrame({"x": [0.0]}))
        .mark_rule(color="#0B0C0C", strokeWidth=2)
        .encode(x=alt.X("x:Q", scale=x_scale))
    )
    marks = (
        base.transform_filter("isValid(datum.pos_area)")
        .mark_point(filled=True, size=190, opacity=1, stroke="#0B0C0C", strokeWidth=1)
        .encode(
            x=alt.X("pos_area:Q", scale=x_scale),
            color=alt.Color(
                "comparison_words:N",
                scale=colour,
                legend=alt.Legend(
                    title=f"{area_name} compared with Lancashire",
                    orient="bottom",
                    direction="horizontal",
                    columns=2,
                    labelLimit=320,
                    titleLimit=480,
                    labelFontSize=12,
                    titleFontSize=12,
                    symbolSize=170,
                    symbolStrokeWidth=1,
                ),
            ),
            shape=alt.Shape("comparison_words:N", scale=shape),
            tooltip=tip,
        )
    )
    subtitle = [
        f"Grey bar: lowest to highest of the {n_areas} areas; darker: the middle half. "
        "Black line: Lancashire. Each row is scaled to its own spread."
    ]
    if (f["n_shown"] < n_areas).any():
        subtitle.append(
            "* Some areas' figures are small numbers, not shown publicly, so "
            "they are left out of the bar."
        )
    return alt.layer(spread, middle, ends, centre, marks).properties(
        title=alt.TitleParams(title, subtitle=subtitle, anchor="start"),
        height=alt.Step(30),
        width="container",
    )
