"""About the data: sources and provenance, methods, and the real context figures."""

import pandas as pd
import streamlit as st

from csa import formatting, provenance
from ui import about_views, chart_specs, data, sources
from ui.format import md

st.title("About the data and methods")
st.markdown("""
**What is real.** Police recorded crime by Community Safety Partnership for the year ending
June 2025 (Home Office); monthly anti-social behaviour and crime published on police.uk by
Lancashire Constabulary, December 2019 to October 2022 (2020-06, 2020-08 and 2020-09 are
missing from the source and shown as gaps, never as zeros); ONS mid-year population estimates, the English Indices of
Deprivation 2019 and 2025 (MHCLG), the ONS Subnational Indicators, and the ONS boundaries.

**What is demo.** Quarterly figures marked DEMO DATA are synthetic: partners' returns are not
public. They are generated deterministically with realistic magnitudes anchored on the real
figures (see `csa/demo.py`) and labelled wherever they appear. The label follows each figure,
not the indicator: once a lead organisation uploads its quarterly return, those figures are
real and lose the tag, and a trend that mixes both says which periods are synthetic (demo
points are drawn hollow). A policing-area or Lancashire figure is demo if any district's
figure in it is.

**Methods.**
- Rates: numerator ÷ denominator × multiplier; 95% confidence intervals by the exact Poisson
  method below 10 events and Byar's method from 10 (as PHEindicatormethods `phe_rate`).
  Percentages: Wilson score intervals. Groupings (policing areas, Lancashire-12,
  pan-Lancashire) add up numerators and denominators first, never averaging rates.
- Benchmark comparison: the Fingertips method; an area is *similar* when Lancashire's figure
  lies inside its 95% interval, otherwise better or worse according to the indicator's polarity.
- Statistical process control: NHS England *Making Data Count* XmR charts (limits from the
  mean moving range ÷ 1.128; special cause from a point beyond 3 sigma, a run of 6 on one side
  of the mean, 6 rising or falling, or 2 of 3 beyond 2 sigma); shown from 13 points. A
  missing month or quarter is left out of the chart, never counted as zero.
- Targets: on track, at risk (within the amber tolerance) or off track; a recovery plan is
  required when an indicator is off track in two consecutive periods, or shows special-cause
  concern while SPC assurance says the target will consistently fail.
- Small counts: for the public, a count of 1 to 4 (the suppression threshold) is shown as
  "fewer than 5", together with the rate or percentage built on it; and any other figure
  from which it could be worked out (a neighbour in a policing area whose total is shown)
  is hidden too, labelled "hidden to protect a small number". The check is exact: no hidden
  figure can be recovered by adding and subtracting the figures shown, across districts,
  policing areas, Lancashire-12 and pan-Lancashire. A shown figure whose trend or SPC would
  give a hidden one away is shown without them.
- Every figure is computed once for each release of data and every page, download, the
  board pack and the open data draw that one computation, so they always agree.
""")

st.header("police.uk counts are not recorded crime, and the partnerships do not add up")
st.markdown("""
The monthly anti-social behaviour and crime figures come from **police.uk**, the street-level
records the force publishes each month with an approximate location. They are not the Home
Office **police recorded crime** statistics (the year-ending-June-2025 figures): police.uk is
a snapshot of what was published, is not revised, and uses its own broader categories.

Records published **with no location**, or located outside the 14 areas, cannot be given to a
partnership. They count toward pan-Lancashire only (as *Unassigned*), so the pan-Lancashire
figure equals the force's file total, but **the sum of the 14 partnerships is less than the
force total**, by a share that changes from month to month (mostly violence and sexual
offences, whose locations are often withheld). Do not add up the partnerships to get the
force figure.
""")
share_view = about_views.no_location_table()
chart_specs.draw(about_views.share_chart_spec())
st.dataframe(share_view, hide_index=True, width="stretch")
st.caption(
    "Crimes only (anti-social behaviour left out), per month, from the police.uk "
    "Lancashire files; months missing from the source have no row. data.police.uk, Open "
    "Government Licence v3.0."
)


def _field(value: str) -> str:
    return md(value) if value != provenance.NOT_STATED else f"*{value}*"


st.header("Sources", anchor="sources")
st.markdown(
    "Every figure on these pages comes from one of the sources below (the register is "
    "`data/sources.csv`); each indicator's page links to its sources here. A field the "
    "source does not give says *not stated in the source*."
)
for source in sources.sources().values():
    st.subheader(source.name, anchor=source.anchor)
    link = f"[{md(source.url)}]({source.url})" if source.has_link else _field(source.url)
    st.markdown(
        f"- **Publisher:** {_field(source.publisher)}\n"
        f"- **Title:** {_field(source.title)}\n"
        f"- **Licence:** {_field(source.licence)}\n"
        f"- **Link:** {link}\n"
        f"- **Extracted:** {_field(source.extracted)}\n"
        f"- **Files in data/:** {', '.join(f'`{f}`' for f in source.files)}"
        + (f"\n- **Notes:** {md(source.notes)}" if source.notes else "")
    )

with st.expander("Data provenance, file by file (data/PROVENANCE.md)"):
    st.markdown(about_views.provenance_notes())

areas = data.areas()
names = dict(zip(areas["code"], areas["name"], strict=True))
st.header("Context: deprivation (real)")
dep = about_views.deprivation()
edition = st.radio("Edition", sorted(dep["edition"].unique(), reverse=True), horizontal=True)
domain = st.selectbox(
    "Domain",
    sorted(dep["domain"].unique()),
    index=sorted(dep["domain"].unique()).index("Crime") if "Crime" in set(dep["domain"]) else 0,
)
view = dep[(dep["edition"] == edition) & (dep["domain"] == domain)].copy()
view["area"] = view["area_code"].map(names)
view = view.sort_values("rank_average_score")[
    ["area", "average_score", "rank_average_score", "proportion_bottom_decile", "lads_ranked"]
]
st.dataframe(
    view.rename(
        columns={
            "average_score": "Average score",
            "rank_average_score": "Rank of average score (1 = most deprived)",
            "proportion_bottom_decile": "Share of areas in the most deprived 10%",
            "lads_ranked": "Districts ranked in England",
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    f"MHCLG English Indices of Deprivation {edition}, local authority district "
    "summaries. Open Government Licence v3.0."
)

st.header("Context: ONS subnational indicators (real)")
ctx = about_views.context_indicators()
choice = st.selectbox("Indicator", sorted(ctx["indicator"].unique()))
sel = ctx[ctx["indicator"] == choice].copy()
sel["area"] = sel["area_code"].map(names)
st.dataframe(
    sel[["area", "period", "value", "unit", "measure"]].sort_values("value"),
    hide_index=True,
    width="stretch",
)
st.caption("ONS Subnational Indicators Explorer. Open Government Licence v3.0.")

st.header("Context: alcohol-related hospital admissions and deaths (real)")
st.markdown(
    "OHID Fingertips, Local Alcohol Profiles for England: **directly age-standardised rates "
    "per 100,000**, shown as Fingertips publishes them (not recomputed from crude counts, and "
    "not added up into policing areas or Lancashire, which would need the age-specific "
    "counts). England is the comparator, with **Fingertips' own significance** beside it."
)
which = st.radio(
    "Measure",
    ["admissions", "mortality"],
    format_func={
        "admissions": "Admissions (narrow measure), 2008/09 to 2017/18",
        "mortality": "Deaths, 2008 to 2017",
    }.get,
    horizontal=True,
)
alcohol_table = about_views.alcohol_table(which)
latest = alcohol_table[alcohol_table["period"] == alcohol_table["period"].max()]
st.table(
    pd.DataFrame(
        {
            "Area": latest["area_name"],
            "Rate per 100,000": latest["value"].map(lambda v: formatting.figure(v, "rate")),
            "England": latest["england"].map(lambda v: formatting.figure(v, "rate")),
            "Fingertips: compared with England": latest["fingertips"],
        }
    ).set_index("Area")
)
st.caption(
    f"Latest period held: {latest['period'].max()}. Our own comparison needs the confidence "
    "limits of the standardised rate, which this extract does not hold, so Fingertips' "
    "published significance is the one shown. Source: OHID Fingertips (via Trafford Data "
    "Lab's extract), Open Government Licence v3.0; see data/PROVENANCE.md."
)
