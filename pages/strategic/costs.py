"""Cost of crime (estimate) and relative position: what recorded crime costs each area, and
where each partnership stands against the others on the strategic assessment's issues.

Everything here is real published data (police recorded crime, ONS populations, Home
Office unit costs), so the page is public and may be embedded. The cost is always labelled
as an estimate, with its source and method.
"""

from pathlib import Path

import pandas as pd
import streamlit as st

from csa import formatting, national
from csa.access import allowed
from csa.areas import PAN_LANCASHIRE
from csa.benchmark import compare_label
from csa.catalogue import RECORDED_CRIME_PERIOD
from csa.config import data_dir
from csa.strategic import costs
from csa.strategic.position import recorded_groups
from ui import comparator_groups as group_views
from ui import context, data, filters
from ui import strategic_views as views


def _cost(v, excluding: str, short: bool = False) -> str:
    """A group's cost; one that leaves out hidden parts and has none left says so."""
    if excluding and pd.isna(v):  # every costed part is hidden: nothing is left to add up
        return "hidden to protect a small number"
    return views.with_excluding(views.money(v), excluding, short)


st.title("Cost of crime (estimate)")
flash = st.session_state.pop("_uc_flash", None)
if flash:
    st.success(flash)
ctx = context.current()
public = ctx.audience == "public"
threshold = ctx.threshold
folder = str(data_dir(ctx.settings))
ref = views.cost_reference(ctx.version_key, folder)
rec_codes = set(costs.PARENTS) | set(costs.LEAVES)
shared = views.visible_costs(
    ctx.version_key,
    ctx.publication,
    ctx.audience,
    tuple(sorted(rec_codes & set(ctx.indicators["code"]))),
    ctx,
)
if shared.unpublished:
    st.caption(f"{shared.unpublished} area and offence group figures are not published.")
table = shared.table
areas = ref.areas
names = ref.names
up = ref.up
pop_year = ref.pop_year

st.info(f"**Estimate.** {costs.ESTIMATE_LABEL}\n\n**Source:** {costs.SOURCE}")

area = filters.area_select(areas, default=PAN_LANCASHIRE)
mine = table[table["area_code"] == area]
total = mine[mine["indicator_code"] == "REC-TOTAL"].iloc[0]
c1, c2, c3 = st.columns(3)
c1.metric(
    "Estimated cost of recorded crime (2024 prices)",
    total["cost_text"] or f"£{formatting.figure(total['cost_2024'] / 1e6)}m",
    help=total["excluding"].capitalize() or None,
)
c2.metric(
    "Per 1,000 people",
    total["cost_text"] or views.money(total["cost_per_1000"], "–"),
    help=total["excluding"].capitalize() or None,
)
c3.metric(
    "Recorded crimes costed",
    f"{total['cost_text'] or formatting.count(total['costed_count'])} of "
    f"{total['hidden_text'] or formatting.count(total['count'])}",
    help="Crimes in offence groups with a published unit cost available to us; the "
    "others are not costed.",
)
st.caption(
    f"{names.get(area, area)}, police recorded crime {RECORDED_CRIME_PERIOD}; "
    f"per 1,000 people uses the ONS mid-{pop_year} population estimate."
    + (
        f" The estimate adds up the shown groups only, {total['excluding']}."
        if total["excluding"]
        else ""
    )  # fmt: skip
)

shown = mine[mine["indicator_code"] != "REC-TOTAL"].copy()
shown["Recorded crimes"] = formatting.counts_or_why(shown["hidden_text"], shown["count"])
shown["Estimated cost (2024 prices)"] = formatting.or_why(
    shown["cost_text"], _cost, shown["cost_2024"], shown["excluding"]
)
shown["Per 1,000 people"] = formatting.or_why(
    shown["cost_text"],
    lambda v, ex: _cost(v, ex, short=True),
    shown["cost_per_1000"],
    shown["excluding"],
)
shown["Unit cost (2024 prices)"] = shown["unit_cost_2024"].map(lambda v: views.money(v, ""))
st.header("By offence group")
st.dataframe(
    shown.rename(
        columns={
            "offence_group": "Offence group",
            "basis": "How costed",
            "note": "Note",
        }
    )[
        [
            "Offence group",
            "Recorded crimes",
            "How costed",
            "Unit cost (2024 prices)",
            "Estimated cost (2024 prices)",
            "Per 1,000 people",
            "Note",
        ]
    ],
    hide_index=True,
    width="stretch",
)

st.header("The 14 partnerships compared")
common = shared.common
st.caption(
    f"Estimated cost of recorded crime per 1,000 people; rank 1 = lowest of 14. "
    f"Pan-Lancashire on the same basis: {views.money(shared.pan_per_1000, '–')} "
    "per 1,000 people."
    + (
        f" To compare like with like, every partnership's estimate here leaves out the same "
        f"groups, {common.replace('excluding ', '', 1).replace(': hidden', ' (hidden for some partnerships')})."
        if common
        else ""
    )
)
left, right = st.columns([3, 2])
left.altair_chart(shared.chart, width="stretch")
right.pydeck_chart(shared.deck, height=430, key="cost_map")
right.html(
    views.legend(
        [
            (c, w)
            for c, w in zip(
                views.BLUES,
                ["lowest fifth", "second fifth", "middle fifth", "fourth fifth", "highest fifth"],
                strict=True,
            )
        ]
    )
)
st.dataframe(shared.partnerships, hide_index=True, width="stretch")

st.header("Relative position on the key issues")
st.caption(
    "Recorded crimes in the offence groups linked to each issue, per 1,000 people. "
    "Each partnership is ranked among the 14 (1 = lowest rate); the policing areas "
    "among the 3. Pan-Lancashire is the benchmark here; its place among all forces in "
    "England and Wales is in the next section."
)
pos = views.issue_position(ctx.version_key)
if pos.empty:
    st.info("No issue is linked to a recorded-crime group.")
else:
    at = pos[pos["area_code"] == area].copy()
    # an issue's count adds up offence groups: a sum of shown counts reveals nothing, but
    # with one group's published count hidden it would give that count away
    hidden_pairs = shared.hidden_pairs
    small = pd.Series(
        [
            any((g, area) in hidden_pairs for g in recorded_groups(codes))
            for codes in at["indicator_codes"]
        ],
        index=at.index,
        dtype=bool,
    )
    small_text = "hidden to protect a small number"
    at["Recorded crimes"] = [
        small_text if s_ else formatting.count(v) for s_, v in zip(small, at["count"], strict=True)
    ]
    at["Rate per 1,000"] = [
        small_text if s_ else formatting.figure(v, "rate")
        for s_, v in zip(small, at["rate"], strict=True)
    ]
    at["Position"] = [
        f"{int(r)} of {int(n)} ({b})" if pd.notna(r) else "benchmark (not ranked)"
        for r, n, b in zip(at["rank"], at["of"], at["band"], strict=True)
    ]
    at["Compared with pan-Lancashire"] = [
        small_text if s_ else f"{formatting.figure(v, 'rate')} x"
        for s_, v in zip(small, at["ratio_to_pan"], strict=True)
    ]
    at.loc[small, "Position"] = "not ranked"
    st.dataframe(
        at.rename(columns={"issue": "Issue", "groups": "Offence groups"})[
            [
                "Issue",
                "Recorded crimes",
                "Rate per 1,000",
                "Position",
                "Compared with pan-Lancashire",
                "Offence groups",
            ]
        ],
        hide_index=True,
        width="stretch",
    )
    if pos["lower"].isna().all():
        st.caption(
            "Confidence intervals are not shown: the statistics module that computes "
            "them is not available in this installation."
        )

st.header("Lancashire in England and Wales")
offence = st.selectbox(
    "Offence group",
    list(national.OFFENCE_GROUPS),
    format_func=national.OFFENCE_GROUPS.get,
    key="national_offence",
)
nat, bench = views.national_position(folder, offence)
st.caption(
    f"Police recorded crime, {national.PERIOD} (Home Office Tables C2 and P1), per 1,000 "
    f"people ({national.POPULATION_VINTAGE}), with 95% confidence intervals (Byar's "
    "method). Significance is the Fingertips method: similar when the comparator lies "
    "inside the area's interval. Rank 1 = the lowest rate, among the areas with an exact "
    "mid-2023 population (so 'of N' is fewer than the 314 partnerships and 43 forces)."
)
nat_view = nat.copy()
# our partnerships' and the force's counts are our published figures too: one hidden from
# this viewer there is hidden here, its rate, rank and comparisons with it
withheld = shared.withheld.get(offence, {})
nat_why = group_views.why_hidden(
    nat_view["area_code"], nat_view["count"], withheld, public=public, threshold=threshold
)
nat_view["Recorded crimes"] = formatting.counts_or_why(nat_why, nat_view["count"])
nat_view["Rate per 1,000 (95% CI)"] = formatting.or_why(
    nat_why,
    lambda r, lo, hi: (
        f"{formatting.figure(r, 'rate')} ({formatting.interval(lo, hi, 'rate')})"
        if pd.notna(r)
        else "no population"
    ),
    nat_view["rate"],
    nat_view["lower"],
    nat_view["upper"],
)
nat_view["Rank"] = formatting.or_why(
    nat_why,
    lambda r, n, lv: (
        f"{int(r)} of {int(n)} {'forces' if lv == 'force' else 'partnerships'}"
        if pd.notna(r)
        else "not ranked"
    ),
    nat_view["rank"],
    nat_view["of"],
    nat_view["level"],
)
for code, bname in national.BENCHMARKS.items():
    nat_view[f"Against {bname}"] = formatting.or_why(
        nat_why,
        lambda v, bname=bname: (
            compare_label(v, bname)
            .replace("Significantly ", "")
            .replace("Not significantly different from", "similar to")
        ),
        nat_view[f"vs_{code}"],
    )
st.dataframe(
    nat_view.rename(columns={"area_name": "Area", "population": "Population"})[
        [
            "Area",
            "Recorded crimes",
            "Population",
            "Rate per 1,000 (95% CI)",
            "Rank",
            *[f"Against {b}" for b in national.BENCHMARKS.values()],
        ]
    ],
    hide_index=True,
    width="stretch",
)
st.caption(
    "Comparators: "
    + "; ".join(
        f"{r['area_name']} {r['rate']:,.1f} per 1,000 ({r['count']:,.0f} crimes)"
        for _i, r in bench.iterrows()
    )
    + ". England and Wales includes British Transport Police's crimes, which are in no "
    "force or region."
)
groups = list(ref.groups)
group_views.show(
    groups,
    Path(folder),
    offence,
    public=public,
    threshold=threshold,
    show_who=ctx.may("manage_indicators"),
    withheld=withheld,
)
if ctx.may("manage_indicators"):
    group_views.editor(data.database(), ctx.viewer.actor, Path(folder), groups)

with st.expander("Method and sources"):
    st.markdown(
        "- **Unit costs**: Home Office, *The economic and social costs of crime*, second "
        "edition (Heeks, Reed, Tafsiri and Prince, Research Report 99, 2018), Table 1: the "
        "average cost of one crime in 2015/16 prices, including costs in anticipation of "
        "crime, as a consequence of it and in response to it.\n"
        "- **Recorded crimes only**: the unit costs are multiplied by the crimes the police "
        "recorded, not grossed up for crimes never reported, so the estimate is lower than "
        "the full cost of crime.\n"
        "- **Groups that mix unit costs** (sexual offences, criminal damage and arson, "
        "vehicle offences) use the lower unit cost and are marked; groups with no unit cost "
        "available are *not costed* and shown as such.\n"
        f"- **Uprating**: {up.description}.\n"
        "- Full method, mapping and provenance: docs/strategic.md and data/PROVENANCE.md."
    )
    st.dataframe(
        ref.mapping.rename(
            columns={
                "indicator_code": "Code",
                "offence_group": "Offence group",
                "ho_category": "Unit-cost category",
                "unit_cost_2015_16": "Unit cost 2015/16 (£)",
                "basis": "How costed",
                "note": "Note",
            }
        ),
        hide_index=True,
        width="stretch",
    )

st.header("Unit costs of crime")
held = ref.held
listed = pd.DataFrame({"ho_category": list(costs.REPORT_CATEGORIES)}).merge(
    held, on="ho_category", how="left"
)
listed["Unit cost 2015/16"] = listed["unit_cost_gbp"].map(
    lambda v: "not held: groups it costs are not costed" if pd.isna(v) else f"£{v:,.0f}"
)
listed["Entered"] = [
    ""
    if pd.isna(v)
    else (
        "bundled with the app"
        if str(who).startswith("system:")
        else f"by an analyst, {pd.Timestamp(at):%d %b %Y}"
    )
    for v, who, at in zip(
        listed["unit_cost_gbp"], listed["entered_by"], listed["entered_at"], strict=True
    )
]
st.caption(
    "The Home Office report's Table 1 unit costs, 2015/16 prices, for the categories "
    "the offence groups above are costed with. A category not held leaves its groups "
    "not costed; an analyst can enter its figure from the report."
)
st.dataframe(
    listed.rename(
        columns={"ho_category": "Category", "precision": "Precision", "source": "Source"}
    )[["Category", "Unit cost 2015/16", "Precision", "Source", "Entered"]],
    hide_index=True,
    width="stretch",
)

actor = ctx.viewer.actor
if allowed(actor, "edit_assessment"):
    with st.form("unit_cost_form"):
        st.markdown(
            "**Enter or correct a unit cost** (analysts). Type the figure exactly "
            "as the report gives it, in 2015/16 prices, and say where you read it. "
            "The change is audited with the old and new figure."
        )
        missing = [c for c in costs.REPORT_CATEGORIES if c not in set(held["ho_category"])]
        category = st.selectbox(
            "Category",
            list(costs.REPORT_CATEGORIES),
            index=costs.REPORT_CATEGORIES.index(missing[0]) if missing else 0,
        )
        amount = st.number_input(
            "Unit cost per crime (£, 2015/16 prices)",
            min_value=0.0,
            max_value=costs.MAX_UNIT_COST,
            step=10.0,
            value=None,
        )
        source = st.text_input(
            "Source",
            placeholder="Heeks et al. (2018), The economic and "
            "social costs of crime, Table 1, p.15",
        )
        precision = st.text_input("Precision", value="as published")
        if st.form_submit_button("Save the unit cost"):
            views.act(
                lambda: costs.set_unit_cost(
                    data.database(), actor, category, amount, source, precision
                ),
                f"{category}: unit cost {{result}}.",
                "_uc_flash",
            )
