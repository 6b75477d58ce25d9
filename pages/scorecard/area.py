"""Area profile: every indicator for one area against Lancashire, on one screen, each at its
real frequency; then the area against England and Wales, and its context.

A spine chart per section shows where the area sits among the 14 for each indicator; the
tables below give the figures, the comparison and the status, with the reasons on demand.
The quarterly CSA indicators follow the quarter chosen; each monthly (police.uk) and annual
(Home Office) indicator shows its latest real period, and its section says how old that is.
"""

import html

import streamlit as st

from csa import config as csa_config
from csa import formatting, national
from csa.areas import PAN_LANCASHIRE
from csa.catalogue import RECORDED_CRIME_GROUPS, RECORDED_CRIME_PERIOD
from ui import (
    area_profile,
    chart_specs,
    context,
    data,
    filters,
    navigation,
    paging,
    relative_views,
    scorecard,
)
from ui import format as fmt

ctx = context.current()

areas = data.areas()
names = data.area_names()
kinds, base_codes = data.shared(
    "area kinds",
    data.version(),
    lambda: (
        dict(zip(areas["code"], areas["kind"], strict=True)),
        list(areas.loc[areas["kind"].isin(["district", "unitary"]), "code"]),
    ),
)

st.title("Area profile")
left, right = st.columns(2)
area = filters.area_select(
    areas, container=left, default=base_codes[0] if base_codes else PAN_LANCASHIRE
)
quarters = data.periods_with_figures("quarterly")
due = data.next_periods(quarters[-1], 1) if quarters else []  # the quarter now being returned
period = filters.period_select(
    quarters + due,
    container=right,
    default=quarters[-1] if quarters else None,
)
name = names.get(area, area)

# everything above the list, and what the list draws from: made once per viewer's scope,
# area, quarter and day (area_profile.glance), drawn on every rerun
glance = area_profile.glance(ctx, area, period, quarters, name)
titles, figures, hidden = glance.titles, glance.figures, glance.hidden
mine_rows, pan_rows = glance.mine_rows, glance.pan_rows
if period is None or period not in quarters:
    scorecard.empty_state(period or "this quarter")
if not glance.has_figures:
    st.info(f"There are no figures for {name} to show yet.")
    st.stop()
scorecard.demo_notice(glance.kinds)  # the kinds shown, each once

# -- at a glance ----------------------------------------------------------------------------
st.header(f"How {name} compares with Lancashire")
if area == PAN_LANCASHIRE:
    st.caption(
        "Pan-Lancashire is the benchmark itself, so nothing is compared with it here; "
        "the spine chart shows where it sits among the 14 areas."
    )
for column, (label, count) in zip(st.columns(len(glance.metrics)), glance.metrics, strict=True):
    column.metric(label, count)
st.caption(glance.caption)

# the indicators below (spine charts, tables, reasons), in theme order: a page of them at a
# time when there are many (the counts above are of them all)
shown_page = paging.pick(ctx, len(glance.listed))
listed = glance.listed[shown_page.rows]


def _spines() -> list[tuple[str, dict, str]]:
    """This page of indicators' spine charts: ``[(heading, spec, the chart in words)]``."""
    on_page = glance.indicators[glance.indicators["code"].isin([ind["code"] for ind in listed])]
    out = []
    for freq, heading in glance.sections:
        inds = on_page[on_page["frequency"] == freq]
        frame, spec = area_profile.spine(
            figures, inds, area, base_codes, hidden, heading=heading, area_name=name
        )
        if frame.empty:
            continue
        # the chart in words, for a screen reader (the chart gives it nothing): the published
        # texts
        words = [
            f"- {html.escape(c)} {html.escape(titles[c])}: {html.escape(row['value_text'])}"
            + (
                f", {html.escape(row['comparison_text'][:1].lower())}"
                + html.escape(row["comparison_text"][1:])
                if row["comparison_text"] not in ("", "Not compared")
                else ""
            )
            for c in frame["indicator_code"].tolist()
            if (row := mine_rows.get(c)) is not None
        ]
        out.append((heading, spec, "\n".join(words)))
    return out


# made once per viewer's scope, area, quarter, day and page of the list; drawn on every rerun
once = (ctx.scope, area, period, tuple(quarters), name, data.today(), shown_page.start,
        shown_page.stop)  # fmt: skip
for heading, spec, words in data.shared("area spines", once, _spines):
    chart_specs.draw(spec)
    with st.expander(f"The chart in words: {name}, {heading}"):
        st.markdown(words)


# -- the figures, theme by theme -----------------------------------------------------------
def _value(row) -> str:
    """The published value text, and its published interval when there is one."""
    text = html.escape(row["value_text"])
    if row["interval_text"] not in ("", formatting.MISSING):
        text += f" <span style='color:#505A5F'>({html.escape(row['interval_text'])})</span>"
    return text


def _lancashire(code: str, unit: str) -> str:
    if code not in pan_rows:
        return formatting.MISSING
    text = html.escape(pan_rows[code]["value_text"])
    return text + " (total)" if unit == "count" and pan_rows[code]["hidden"] == "" else text


def _theme_table(group: list[dict]) -> str:
    head = (
        "<tr><th scope='col'>Indicator</th><th scope='col'>Period</th>"
        f"<th scope='col'>{html.escape(name)} (95% CI)</th><th scope='col'>Lancashire</th>"
        "<th scope='col'>Compared with Lancashire</th><th scope='col'>Status</th></tr>"
    )
    body = []
    for ind in group:
        code = ind["code"]
        row = mine_rows[code]
        sup = row["hidden"] != ""
        unit = ind["unit"]
        tag = scorecard.demo_tag(row, ind)
        comparison = "Not shown" if sup else row["comparison_text"]
        status = (
            fmt.badge("grey", row["status_text"])
            if sup
            else fmt.badge(
                row["rag"], row["status_text"] + (" · CRITICAL" if row["critical"] else "")
            )
        )
        body.append(
            f"<tr><td data-label='Indicator'><b>{html.escape(ind['title'])}</b>{tag}<br/>"
            f"<span style='color:#505A5F;font-size:0.8rem'>{code} · "
            f"{formatting.unit_label(unit, int(ind['multiplier']))}</span></td>"
            f"<td data-label='Period'>{html.escape(row['period_label'])}</td>"
            f"<td data-label='{html.escape(name)} (95% CI)'>{_value(row)}</td>"
            f"<td data-label='Lancashire'>{_lancashire(code, unit)}</td>"
            f"<td data-label='Compared with Lancashire'>{html.escape(comparison)}</td>"
            f"<td data-label='Status'>{status}</td></tr>"
        )
    return (
        "<table style='width:100%;border-collapse:collapse' class='csa-profile csa-stack'>"
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )


st.markdown(
    """<style>
table.csa-profile {table-layout:fixed}
table.csa-profile th, table.csa-profile td {border-bottom:1px solid #DDE3E8;padding:0.35rem;
 text-align:left;vertical-align:top;font-size:0.9rem}
table.csa-profile th:nth-child(1) {width:34%} table.csa-profile th:nth-child(2) {width:9%}
table.csa-profile th:nth-child(3) {width:17%} table.csa-profile th:nth-child(4) {width:10%}
table.csa-profile th:nth-child(5) {width:15%} table.csa-profile td:nth-child(2) {white-space:nowrap}
</style>""",
    unsafe_allow_html=True,
)
st.header(f"{name}: the figures")
themes: dict[str, list[dict]] = {}  # each theme's indicators on this page with a figure here
for ind in listed:
    got = themes.setdefault(ind["theme_name"], [])
    if ind["code"] in mine_rows:
        got.append(ind)
for theme, group in themes.items():
    if not group:
        continue
    st.subheader(theme, anchor=False)
    table = data.shared(
        "area theme table",
        (ctx.scope, area, period, theme, shown_page.start, shown_page.stop),
        lambda group=group: _theme_table(group),
    )
    st.markdown(table, unsafe_allow_html=True)
    for ind in group:
        row = mine_rows[ind["code"]]
        with st.expander(f"Why? {ind['code']} {ind['title']}: {row['status_text']}"):
            # one list of the reasons (a screen reader hears one list, not one per reason)
            if row["reasons"]:
                st.markdown("\n".join(f"- {reason}" for reason in row["reasons"]))
            navigation.page_link(
                ctx,
                "pages/scorecard/indicator.py",
                label="Open the indicator",
                icon=":material/show_chart:",
                query_params={"indicator": ind["code"], "area": area},
            )
paging.caption(shown_page)

# -- the area against England and Wales, and its context ----------------------------------
data_dir = csa_config.data_dir(ctx.settings)
level, csp_codes = national.members_for(area, areas, data.area_members())
# the Home Office counts of this area are our published REC-* figures too: a group hidden from
# this viewer there (small, or protecting a small one) is hidden here, its rate and rank too


def _withheld() -> dict[str, str]:
    """{offence group title: why} of the groups hidden from this viewer here (made once)."""
    rec_titles = {code: title for _col, code, title in RECORDED_CRIME_GROUPS}
    rec = area_profile.figures(
        ctx, indicators=list(rec_titles), areas=[area], periods=[RECORDED_CRIME_PERIOD]
    )
    return {
        rec_titles[r["indicator_code"]]: r["value_text"]
        for r in rec.to_dict("records")
        if r["hidden"]
    }


withheld = data.shared("area withheld", (ctx.scope, area), _withheld)
# (its data directory: the position is worked out once per area, not on every rerun)
relative_views.relative_position(str(data_dir), level, csp_codes, name, withheld=withheld)
relative_views.alcohol_context(data_dir, area, name, kinds.get(area, ""))
