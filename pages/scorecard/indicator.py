"""Indicator: one indicator for one area and period, drawn from published figures only (the
figure's SPC chart, the areas compared with 95% intervals, the figures and their downloads).

Nothing here computes a value, a suppression, an SPC class or a formatted string: the page
shows the published ``*_text`` columns and draws published values (``ctx.figures`` and
``publish.spc_chart``), so the chart's last point always agrees with the verdict, and the
public sees only what disclosure control published.
"""

import pandas as pd
import streamlit as st

from csa import demo_labels, formatting, publish
from csa.areas import PAN_LANCASHIRE
from csa.exports import csv_bytes, excel_bytes
from ui import chart_specs, charts, context, data, filters, plan_views, scorecard, sources, tables
from ui.format import badge, md

#: The words of a critical figure's reason that a submitted plan answers.
REQUIRED = "a recovery plan is required"

ctx = context.current()
areas = data.areas()
names = data.area_names()

left, middle, right = st.columns([2.2, 1.4, 1])
code = filters.indicator_select(ctx, container=left)
if code is None:
    st.info("No indicators to show yet: an analyst adds them on the indicators page.")
    st.stop()
area = filters.area_select(areas, container=middle)
area_name = names.get(area, area)
ind = ctx.indicator(code) | {"code": code}
unit = ind["unit"]
unit_words = formatting.unit_label(unit, int(ind["multiplier"]))
unit_title = f"{ind['title']} ({unit_words})"


def kinds_of(rows: pd.DataFrame) -> list:
    """Each published figure's own kind (demo or real), the indicator's where it has none."""
    return demo_labels.series_kinds(rows, ind["data_kind"])


# the area's published series, read once per publication, indicator and area (shared: the
# page never changes it)
series = data.shared(
    "indicator series",
    (ctx.scope, code, area),
    lambda: (
        ctx.figures(indicators=[code], areas=[area])
        .sort_values("period_start")
        .reset_index(drop=True)
    ),
)
labels = list(series["period_label"])
# the indicator's latest real period (its latest when it has only demo figures)
latest = sources.default_period(ctx, code, labels)
period = filters.period_select(labels, container=right, default=latest)
source_links = sources.links(ind)

st.title(ind["title"])
# how old the latest figure is (flagged when older than the indicator's frequency allows)
age_words, age_stale = sources.age(ctx, ind, latest)
if age_words:
    st.markdown(sources.age_markdown(age_words, age_stale))
if series.empty:
    st.markdown(ind["definition"])
    st.warning(f"No figures for {area_name} yet for this indicator.")
    st.stop()


def _at_period() -> tuple:
    """The figure for ``period``, the series up to it and what of it is demo data (made once
    per slice: picking a row out of a wide frame is slow)."""
    fig = series[series["period_label"] == period].iloc[0]
    upto = series[series["period_start"] <= fig["period_start"]]
    return fig, upto, demo_labels.describe_series(list(upto["period_label"]), kinds_of(upto))


fig, upto, demo_words = data.shared("indicator figure", (ctx.scope, code, area, period), _at_period)
hidden = bool(fig["hidden"])
if demo_words:
    st.markdown(f"{scorecard.DEMO_TAG} {demo_words}", unsafe_allow_html=True)
st.markdown(ind["definition"])
if source_links:
    st.caption(f"Sources (publisher, licence and extraction on About the data): {source_links}.")

# -- the verdict ---------------------------------------------------------------------------------
c1, c2, c3 = st.columns([1.2, 1.2, 3])
latest_demo = demo_labels.is_demo(fig["data_kind"], ind["data_kind"])
c1.metric(
    f"{area_name}, {period}" + (" (demo data)" if latest_demo else ""),
    fig["value_text"],
    help=None if hidden else f"95% confidence interval: {fig['interval_text']}",
)
if not hidden:
    c2.metric("Target", fig["target_text"])
with c3:
    st.markdown(
        badge(fig["rag"], fig["status_text"] + (" · CRITICAL" if fig["critical"] else ""), True),
        unsafe_allow_html=True,
    )
    # plan in place (signed-in viewers who may see plans; plans are not public): once a
    # plan was submitted the figure no longer says a plan "is required"
    plan = plan_views.plan_status(period, ctx).get(code)
    for reason in fig["reasons"]:
        if plan and plan["in_place"]:
            reason = reason.replace(REQUIRED, "a recovery plan is in place")
        st.markdown(f"- {reason}")
    if not hidden:
        st.caption(" · ".join(t for t in (fig["variation_text"], fig["assurance_text"]) if t))
    if plan:
        st.markdown(
            scorecard.plan_caption(plan | {"state": plan["state_words"]})
            + md(f"; {plan['actions_due']}; {plan['trajectory_text']}.")
        )
        st.page_link(
            "pages/plans/plan_editor.py",
            label="Open the recovery plan",
            icon=":material/edit_note:",
            query_params={"plan": str(plan["plan_id"])},
        )

# -- the trend: the figure's published SPC chart --------------------------------------------------
st.header("Trend and statistical process control")


def _trend() -> dict:
    """The SPC chart's spec and its words, from the published figures (made once per slice)."""
    spc = publish.spc_chart(fig, series)
    target = None if pd.isna(fig["target"]) else float(fig["target"])  # never NaN
    trajectory = data.plan_trajectory(code, area) if ctx.audience == "signed_in" else None
    calendar = data.periods()
    calendar = list(
        calendar[calendar["frequency"] == ind["frequency"]].sort_values("start_date")["label"]
    )
    # no SPC published for this figure: the published values (hidden ones are None, drawn as
    # gaps), with why
    source = upto[["period_label", "value"]] if spc.empty else spc
    options = dict(unit=unit, target=target, trajectory=trajectory, periods=calendar)
    point_kinds = dict(zip(upto["period_label"], kinds_of(upto), strict=True))
    rephased = (
        "phase" in source and source["phase"].nunique() > 1 and "re-phased at" in ind["notes"]
    )
    return {
        "withheld": spc.empty and ctx.audience == "public" and (upto["hidden"] != "").any(),
        "spec": chart_specs.vega_lite_spec(
            charts.spc_chart(
                source,
                f"{ind['title']}: {area_name}",
                unit_title,
                data_kinds=point_kinds,
                **options,
            )  # fmt: skip
        ),
        "words": charts.spc_summary(source, f"{ind['title']} in {area_name}", **options),
        "why_rephased": "Why the limits were re-calculated: "
        + ind["notes"].split("re-phased at", 1)[-1].split(":", 1)[-1].strip()
        if rephased
        else "",
        "key": charts.spc_key(source, target=target, trajectory=trajectory, data_kinds=point_kinds),
    }


# everything the chart and its words are made from: the viewer's publication (the data
# version: plans' trajectories too), the indicator, area and period
trend = data.shared("indicator trend", (ctx.scope, code, area, period), _trend)
if trend["withheld"]:
    st.info(publish.HIDDEN_SPC)
chart_specs.draw(trend["spec"], alt=trend["words"])
st.caption(trend["words"])
if trend["why_rephased"]:
    st.caption(trend["why_rephased"])
st.caption(trend["key"])

# -- the areas compared, for the period chosen ---------------------------------------------------
st.header(f"Areas compared, {period}")
level = filters.select(
    "Compare",
    "level",
    ["district", "policing"],
    format_func=lambda x: {"district": "The 14 areas", "policing": "Policing areas"}[x],
)


def _compared() -> dict:
    """The areas compared at ``period``: their figures, Lancashire's, the chart in words,
    the table and what kind of figures they are (made once per slice)."""
    kinds = {"district": ["district", "unitary"], "policing": ["policing_area"]}[level]
    order = areas[areas["kind"].isin(kinds)].sort_values("name")["code"].tolist()
    rows = ctx.figures(indicators=[code], periods=[period], columns=context.LIST_COLUMNS)
    at = {a: i for i, a in enumerate(order)}
    compared = rows[rows["area_code"].isin(at)]
    compared = compared.iloc[compared["area_code"].map(at).argsort()].reset_index(drop=True)
    if compared.empty:
        return {"empty": True}
    compared = compared.assign(
        name=compared["area_code"].map(names),
        comparison_words=compared["comparison_text"],
        data=[demo_labels.word(k) for k in kinds_of(compared)],
    )
    pan = rows[rows["area_code"] == PAN_LANCASHIRE]
    bench = None if pan.empty or pd.isna(pan["value"].iloc[0]) else float(pan["value"].iloc[0])
    bench_text = None if bench is None else pan["value_text"].iloc[0]
    words = charts.comparison_summary(compared, f"{ind['title']}, {period}", bench_text, unit)
    table = pd.DataFrame(
        {
            "Area": compared["name"],
            unit_title: compared["value_text"],
            "95% confidence interval": compared["interval_text"],
            "Status": compared["status_text"],
            "Compared with Lancashire": compared["comparison_text"],
            "Data": compared["data"],
        }
    )
    kinds_note = ""
    cmp_kinds = demo_labels.summary(compared["data"].str.lower())
    if cmp_kinds == demo_labels.DEMO:
        kinds_note = f"DEMO DATA: the figures for {period} are synthetic."
    elif cmp_kinds == "mixed":
        demo_areas = list(compared.loc[compared["data"] == "Demo", "name"])
        real_areas = list(compared.loc[compared["data"] == "Real", "name"])
        kinds_note = f"DEMO DATA for {period}: " + (
            f"{', '.join(demo_areas)}; the other areas' figures are real returns."
            if len(demo_areas) <= len(real_areas)
            else f"every area except {', '.join(real_areas)} (real returns) is synthetic."
        )
    spec = chart_specs.vega_lite_spec(
        charts.comparison_chart(
            compared,
            bench,
            f"{ind['title']}, {period}: areas with 95% confidence intervals",
            unit_title,
            benchmark_text=bench_text,
        )
    )
    return {"empty": False, "spec": spec, "words": words, "bench": bench,
            "table": tables.arrow(table), "kinds_note": kinds_note}  # fmt: skip


shown = data.shared("indicator compared", (ctx.scope, code, period, level), _compared)
if shown["empty"]:
    st.info(f"No figures for {period}.")
else:
    chart_specs.draw(shown["spec"], alt=shown["words"])
    st.caption(
        shown["words"]
        + " Lines: 95% confidence intervals"
        + ("; red dashed line: Lancashire as a whole" if shown["bench"] is not None else "")
        + ". Marker shape says better, similar or worse."
    )
    st.dataframe(shown["table"], hide_index=True, width="stretch")
    if shown["kinds_note"]:
        st.caption(shown["kinds_note"])

# -- the figures and their downloads -----------------------------------------------------------
st.header(f"The figures for {area_name}")


def whole(values: pd.Series) -> pd.Series:
    """Counts as whole numbers where they are (a blank stays blank)."""
    numbers = pd.to_numeric(values, errors="coerce")
    known = numbers.dropna()
    if not (known == known.round()).all():
        return numbers
    return pd.Series([None if pd.isna(x) else int(x) for x in numbers], dtype=object)


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The area's figures as shown, and as downloaded (made once per slice)."""
    series_kinds = kinds_of(series)
    shown = pd.DataFrame(
        {
            "Period": series["period_label"],
            unit_title: series["value_text"],
            "95% confidence interval": series["interval_text"],
            "Numerator": series["numerator_text"],
            "Denominator": series["denominator_text"],
            "Target": series["target_text"],
            "Status": series["status_text"],
            "SPC": series["variation_text"],
            "Data": [demo_labels.word(k) for k in series_kinds],
        }
    )
    download = pd.DataFrame(
        {
            "indicator": code,
            "area_name": area_name,
            "area_code": area,
            "period": series["period_label"],
            "value_text": series["value_text"],
            "value": pd.to_numeric(series["value"], errors="coerce"),
            "interval": series["interval_text"],
            "lower": pd.to_numeric(series["lower"], errors="coerce"),
            "upper": pd.to_numeric(series["upper"], errors="coerce"),
            "numerator": whole(series["numerator"]),
            "denominator": whole(series["denominator"]),
            "target": pd.to_numeric(series["target"], errors="coerce"),
            "status": series["status_text"],
            "spc": series["variation_text"],
            "data_kind": [k or "" for k in series_kinds],
        }
    )
    return tables.arrow(shown), download


table, download = data.shared("indicator tables", (ctx.scope, code, area), _tables)
st.dataframe(table, hide_index=True, width="stretch")
stem = f"{code}_{area_name.replace(' ', '_')}"
d1, d2 = st.columns(2)
once = (ctx.scope, code, area, period)  # the files are made once for this slice
d1.download_button(
    "Download CSV", data.shared("indicator csv", once, lambda: csv_bytes(download)), f"{stem}.csv",
    "text/csv",
)  # fmt: skip
note = f"DEMO DATA: {demo_words}" if demo_words else f"Source: {ind['source']}"
d2.download_button(
    "Download Excel",
    data.shared(
        "indicator xlsx", once, lambda: excel_bytes({"Figures": download}, notes={"Figures": note})
    ),
    f"{stem}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
if ctx.audience == "public" and (series["hidden"] != "").any():
    st.caption(
        "Figures hidden to protect small numbers keep their label and carry no numbers, "
        "here and in the downloads."
    )

st.header("About this indicator")
polarity = {
    "low_is_good": "Lower is better",
    "high_is_good": "Higher is better",
    "no_judgement": "No direction is judged better",
}[ind["polarity"]]
st.markdown(
    f"- **Code:** {code}\n- **Theme:** {ind['theme_name']}\n"
    f"- **Unit:** {unit_words} ({ind['frequency']})\n"
    f"- **Polarity:** {polarity}\n- **Lead:** {ind['lead_organisation']} "
    f"({ind['lead_role']})\n- **Source:** {ind['source']}"
    + (f" (see {source_links} on About the data)" if source_links else "")
    + f"\n- **Notes:** {ind['notes']}"
)
