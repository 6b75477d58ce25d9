"""Charts for printed documents: altair specs rendered to PNG offline by vl-convert.

These are print versions of the app's charts (``ui/charts.py`` draws the interactive ones):
a fixed size, a white background, no tooltips, and every series told apart by line style
and point shape as well as colour, so a chart still reads when photocopied in grey.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert as vlc

WIDTH, HEIGHT = 620, 260
CLASS_STYLE = {
    # point class: (legend words, colour, shape)
    "common": ("Common cause", "#505A5F", "circle"),
    "improvement": ("Special cause: improvement", "#1D70B8", "triangle-up"),
    "concern": ("Special cause: concern", "#D4351C", "diamond"),
    "neither": ("Special cause: no judgement", "#6F3C97", "square"),
}
LINE_STYLE = {
    # series: (colour, dash)
    "Figure": ("#0B0C0C", []),
    "Mean": ("#505A5F", [1, 0]),
    "Process limits": ("#6F777B", [6, 4]),
    "Target": ("#00703C", [10, 4]),
    "Recovery trajectory": ("#F47738", [3, 3]),
}


def trend_frame(
    chart: pd.DataFrame,
    target: float | None = None,
    trajectory: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Long frame for :func:`trend_chart` from a published SPC chart
    (:func:`csa.publish.spc_chart`: period_label, value and, from enough points, mean, upl,
    lpl and point_class), with the target and the trajectory, which may run on past the
    latest figure. Nothing is computed here: the limits and classes are the published ones.
    """
    labels = chart["period_label"].tolist()
    values = pd.to_numeric(chart["value"], errors="coerce").tolist()
    rows = [
        {"period_label": p, "series": "Figure", "value": v}
        for p, v in zip(labels, values, strict=True)
        if v is not None and pd.notna(v)
    ]
    has_limits = "mean" in chart and pd.to_numeric(chart["mean"], errors="coerce").notna().any()
    if has_limits:
        for r in chart.to_dict("records"):
            p = r["period_label"]
            rows.append({"period_label": p, "series": "Mean", "value": r["mean"]})
            for col in ("upl", "lpl"):
                rows.append(
                    {
                        "period_label": p,
                        "series": "Process limits",
                        "value": r[col],
                        "part": "upper" if col == "upl" else "lower",
                    }
                )
    future = [p for p in (trajectory or {}) if p not in labels]
    axis = labels + future
    if target is not None and pd.notna(target):
        rows += [{"period_label": p, "series": "Target", "value": float(target)} for p in axis]
    for p, v in (trajectory or {}).items():
        rows.append({"period_label": p, "series": "Recovery trajectory", "value": float(v)})
    frame = pd.DataFrame(rows, columns=["period_label", "series", "value", "part"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame = frame[frame["value"].notna()].reset_index(drop=True)
    frame["part"] = frame["part"].fillna("")
    frame["order"] = frame["period_label"].map({p: i for i, p in enumerate(axis)})
    classes = chart["point_class"].tolist() if "point_class" in chart else ["common"] * len(labels)
    point_class = dict(zip(labels, classes, strict=True))
    frame["point_class"] = [
        CLASS_STYLE.get(point_class.get(p) or "common", CLASS_STYLE["common"])[0]
        if s == "Figure"
        else ""
        for p, s in zip(frame["period_label"], frame["series"], strict=True)
    ]
    return frame


def trend_chart(frame: pd.DataFrame, title: str, unit_title: str) -> alt.LayerChart:
    """Figures, SPC mean and limits, target and trajectory; special-cause points by shape."""
    axis = list(frame.sort_values("order")["period_label"].drop_duplicates())
    present = [s for s in LINE_STYLE if s in set(frame["series"])]
    x = alt.X("period_label:O", sort=axis, title=None, axis=alt.Axis(labelAngle=-45))
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=unit_title, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=present, range=[LINE_STYLE[s][0] for s in present]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                scale=alt.Scale(domain=present, range=[LINE_STYLE[s][1] for s in present]),
                legend=None,
            ),
            detail="part:N",
        )
    )
    words = [v[0] for v in CLASS_STYLE.values()]
    figures = frame[frame["series"] == "Figure"]
    points = (
        alt.Chart(figures)
        .mark_point(filled=True, size=70, opacity=1)
        .encode(
            x=x,
            y="value:Q",
            fill=alt.Fill(
                "point_class:N",
                title=None,
                scale=alt.Scale(domain=words, range=[v[1] for v in CLASS_STYLE.values()]),
                legend=alt.Legend(
                    orient="bottom", values=[w for w in words if w in set(figures["point_class"])]
                ),
            ),
            shape=alt.Shape(
                "point_class:N",
                title=None,
                scale=alt.Scale(domain=words, range=[v[2] for v in CLASS_STYLE.values()]),
                legend=None,
            ),
            color=alt.value("#0B0C0C"),
        )
    )
    trajectory = frame[frame["series"] == "Recovery trajectory"]
    layers = [lines, points]
    if not trajectory.empty:
        layers.append(
            alt.Chart(trajectory)
            .mark_point(shape="cross", size=60, color=LINE_STYLE["Recovery trajectory"][0])
            .encode(x=x, y="value:Q")
        )
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent", shape="independent")
        .properties(title=title, width=WIDTH, height=HEIGHT)
        .configure(background="white")
        .configure_title(fontSize=14, anchor="start")
    )


def contribution_chart(
    rows: pd.DataFrame, title: str, unit_title: str, focus: str | None = None
) -> alt.Chart:
    """Horizontal bars: each area's contribution (area_name, contribution); the area the
    plan is for drawn in a darker colour and named in bold."""
    data = rows.copy()
    data["which"] = [
        "This plan's area" if c == focus else "Other areas"
        for c in data.get("area_code", [None] * len(data))
    ]
    order = list(data.sort_values("contribution", ascending=False)["area_name"])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("area_name:N", sort=order, title=None),
            x=alt.X("contribution:Q", title=f"Contribution ({unit_title})"),
            color=alt.Color(
                "which:N",
                title=None,
                scale=alt.Scale(
                    domain=["This plan's area", "Other areas"], range=["#F47738", "#1D70B8"]
                ),
                legend=alt.Legend(orient="bottom") if focus else None,
            ),
        )
        .properties(title=title, width=WIDTH - 120, height=max(80, 22 * len(data)))
        .configure(background="white")
        .configure_title(fontSize=14, anchor="start")
    )


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (vl-convert, offline)."""
    return vlc.vegalite_to_png(chart.to_json(), scale=scale)
