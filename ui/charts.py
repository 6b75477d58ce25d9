"""Chart builders (altair). Small functions from DataFrames to charts, testable without a
browser: each returns an ``alt.Chart`` whose spec the tests can inspect.

Every chart has a title and its unit on the axis. Special-cause points differ in shape as
well as colour, so the charts read without colour.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

CLASS_STYLE = {
    # point class: (legend words, colour, shape)
    "common": ("Common cause", "#505A5F", "circle"),
    "improvement": ("Special cause: improvement", "#1D70B8", "triangle-up"),
    "concern": ("Special cause: concern", "#D4351C", "diamond"),
    "neither": ("Special cause: no judgement", "#6F3C97", "square"),
}


def _class_scales():
    words = [v[0] for v in CLASS_STYLE.values()]
    return (alt.Scale(domain=words, range=[v[1] for v in CLASS_STYLE.values()]),
            alt.Scale(domain=words, range=[v[2] for v in CLASS_STYLE.values()]))


def sparkline(series: pd.DataFrame, title: str = "") -> alt.Chart:
    """A small line of the last figures (period_label, value)."""
    return (
        alt.Chart(series, height=40, width=140, title=title or alt.Undefined)
        .mark_line(point=False, strokeWidth=2, color="#1D70B8")
        .encode(x=alt.X("period_label:O", sort=None, axis=None),
                y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
                tooltip=[alt.Tooltip("period_label:N", title="Period"),
                         alt.Tooltip("value:Q", title="Value", format=",.2f")])
        .configure_view(strokeWidth=0)
    )


def spc_frame(periods: list[str], result, target: float | None = None,
              trajectory: dict[str, float] | None = None) -> pd.DataFrame:
    """Tidy frame of an XmR result for charting, one row per point."""
    df = pd.DataFrame({
        "period_label": periods,
        "value": list(result.values),
        "mean": list(result.mean) if result.mean else [None] * len(periods),
        "upl": list(result.upper_process_limit) if result.upper_process_limit else
        [None] * len(periods),
        "lpl": list(result.lower_process_limit) if result.lower_process_limit else
        [None] * len(periods),
        "point_class": [CLASS_STYLE.get(c, CLASS_STYLE["common"])[0]
                        for c in result.point_classes] if result.point_classes else
        [CLASS_STYLE["common"][0]] * len(periods),
        "rules": [", ".join(r) for r in result.rules] if result.rules else [""] * len(periods),
    })
    df["target"] = target
    df["trajectory"] = [trajectory.get(p) if trajectory else None for p in periods]
    return df


def spc_chart(frame: pd.DataFrame, title: str, unit_title: str,
              show_limits: bool = True) -> alt.LayerChart:
    """Trend with mean, process limits (stepping where re-phased), target, trajectory and
    special-cause points (colour and shape)."""
    colour, shape = _class_scales()
    base = alt.Chart(frame).encode(x=alt.X("period_label:O", sort=None, title="Period",
                                           axis=alt.Axis(labelAngle=-45)))
    line = base.mark_line(color="#505A5F", strokeWidth=1.5).encode(
        y=alt.Y("value:Q", title=unit_title, scale=alt.Scale(zero=False)))
    points = base.mark_point(filled=True, size=90, opacity=1).encode(
        y="value:Q",
        color=alt.Color("point_class:N", scale=colour, title="Variation"),
        shape=alt.Shape("point_class:N", scale=shape, title="Variation"),
        tooltip=[alt.Tooltip("period_label:N", title="Period"),
                 alt.Tooltip("value:Q", title=unit_title, format=",.2f"),
                 alt.Tooltip("point_class:N", title="Variation"),
                 alt.Tooltip("rules:N", title="Rules fired")])
    layers = [line]
    if show_limits and frame["mean"].notna().any():
        layers.append(base.mark_line(color="#0B0C0C", strokeDash=[2, 0], strokeWidth=1)
                      .encode(y="mean:Q", tooltip=[alt.Tooltip("mean:Q", title="Mean",
                                                               format=",.2f")]))
        for col, name in (("upl", "Upper process limit"), ("lpl", "Lower process limit")):
            layers.append(base.mark_line(color="#6F777B", strokeDash=[6, 4], strokeWidth=1,
                                         interpolate="step-after")
                          .encode(y=f"{col}:Q",
                                  tooltip=[alt.Tooltip(f"{col}:Q", title=name, format=",.2f")]))
    if frame["target"].notna().any():
        layers.append(base.mark_line(color="#00703C", strokeDash=[10, 4], strokeWidth=2)
                      .encode(y="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target",
                                                                 format=",.2f")]))
    if frame["trajectory"].notna().any():
        layers.append(base.mark_line(color="#F47738", strokeWidth=2, point=True,
                                     strokeDash=[3, 3])
                      .encode(y="trajectory:Q",
                              tooltip=[alt.Tooltip("trajectory:Q", title="Recovery trajectory",
                                                   format=",.2f")]))
    layers.append(points)
    return alt.layer(*layers).properties(title=title, height=340)


def comparison_chart(frame: pd.DataFrame, benchmark: float | None, title: str,
                     unit_title: str) -> alt.LayerChart:
    """Areas with 95% confidence intervals and the benchmark line.

    ``frame``: name, value, lower, upper, comparison_words (e.g. "▼ Worse than Lancashire").
    """
    order = list(frame.sort_values("value", ascending=False)["name"])
    base = alt.Chart(frame).encode(y=alt.Y("name:N", sort=order, title=None))
    bars = base.mark_point(filled=True, size=80, color="#1D70B8").encode(
        x=alt.X("value:Q", title=unit_title),
        shape=alt.Shape("comparison_words:N", title="Compared with Lancashire"),
        tooltip=[alt.Tooltip("name:N", title="Area"),
                 alt.Tooltip("value:Q", title=unit_title, format=",.2f"),
                 alt.Tooltip("lower:Q", title="95% CI lower", format=",.2f"),
                 alt.Tooltip("upper:Q", title="95% CI upper", format=",.2f"),
                 alt.Tooltip("comparison_words:N", title="Comparison")])
    errors = base.mark_rule(color="#505A5F").encode(x="lower:Q", x2="upper:Q")
    layers = [errors, bars]
    if benchmark is not None:
        layers.append(alt.Chart(pd.DataFrame({"benchmark": [benchmark]}))
                      .mark_rule(color="#D4351C", strokeDash=[6, 3], strokeWidth=2)
                      .encode(x="benchmark:Q",
                              tooltip=[alt.Tooltip("benchmark:Q", title="Lancashire",
                                                   format=",.2f")]))
    return alt.layer(*layers).properties(title=title, height=max(220, 24 * len(frame)))
