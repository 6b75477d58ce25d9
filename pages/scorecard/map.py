"""Map: one indicator across the 14 areas (or the 3 policing areas), with a legend and
tooltips; click an area to open its profile. Drawn with no basemap, so it needs no network."""

import streamlit as st

from csa import demo_labels, formatting
from ui import context, data, filters, maps, scorecard, sources, tables

OPEN_KEY = "map_open_area"

# An area was clicked on the map in the last run (see _remember_click): open its profile
# before drawing anything.
target = st.session_state.pop(OPEN_KEY, None)
if target:
    st.switch_page("pages/scorecard/area.py", query_params={"area": target})

ctx = context.current()
threshold = ctx.threshold

st.title("Map")
indicators = ctx.indicators
if indicators.empty:
    st.info("No indicators to show yet: an analyst adds them on the indicators page.")
    st.stop()
top = st.columns([3, 1.4, 1.6, 1.3])
# tagged by what each indicator's current figures are (not its default): demo, real or mixed
code = filters.indicator_select(ctx, container=top[0], demo_tags=True)
ind = ctx.indicator(code) | {"code": code}
labels = data.periods_with_figures(ind["frequency"])
due = data.next_periods(labels[-1], 1) if labels and ind["frequency"] == "quarterly" else []
# the indicator's latest real period (its latest when it has only demo figures)
latest = sources.default_period(ctx, code, labels)
period = filters.period_select(labels + due, container=top[1], default=latest)
level = filters.select(
    "Figures for",
    "level",
    list(maps.LEVELS),
    format_func=maps.LEVELS.get,
    default="district",
    container=top[2],
    help="Policing-area figures are added up from the districts' "
    "numerators and denominators, not averaged.",
)
colour_by = filters.select(
    "Colour by",
    "colour",
    list(maps.COLOUR_BY),
    format_func=maps.COLOUR_BY.get,
    default="value" if ind["polarity"] == "no_judgement" else "status",
    container=top[3],
    help="Status: on/off track against the target, or better/worse than Lancashire. "
    "Value: the figure itself, in five classes.",
)

if period is None:
    st.warning(
        f"No figures for {ind['title']} yet: nothing has been returned for this "
        "indicator. Its figures appear here once the lead organisation's first return "
        "is uploaded.",
        icon=":material/hourglass_empty:",
    )
    st.stop()


def _view() -> dict | None:
    """Everything the page draws for this slice: the map (serialised once), its legend and
    banner, and the map in words (None: no figures to show). Made once per viewer's scope,
    indicator, period, level and colouring, drawn on every rerun."""
    # the published figures of this indicator and period, for this viewer's audience
    figures = ctx.figures(indicators=[code], periods=[period], columns=context.LIST_COLUMNS)
    if figures.empty or (figures["value"].isna() & (figures["hidden"] == "")).all():
        return None
    rows = maps.map_rows(figures, data.areas(), level, ind)
    deck, classes = maps.build_deck(rows, level, colour_by, ind, period, frozen=True)
    # the banner follows the figures drawn: a real return for a normally-demo indicator is real
    has_figure = ~rows["missing"]
    drawn_kind = demo_labels.summary(rows.loc[has_figure, "data_kind"])
    banner = ""
    if drawn_kind == demo_labels.DEMO:
        banner = f"These figures for {period} are synthetic, for demonstration only."
    elif drawn_kind == "mixed":
        demo_names = rows.loc[has_figure & (rows["data_kind"] == demo_labels.DEMO), "name"]
        banner = (
            f"Some figures for {period} are synthetic, for demonstration only: "
            f"{', '.join(demo_names)}. The others are real returns; the Data column below "
            "says which."
        )
    pan = figures[figures["area_code"] == "E23000003"]
    # the map in words (a real HTML table, which a screen reader reads; the map gives it nothing)
    table = maps.text_alternative(rows).rename(columns={"Value": f"Value ({unit})"})
    table["Data"] = [
        demo_labels.word(k) if shown else ""
        for k, shown in zip(rows["data_kind"], has_figure, strict=True)
    ]
    return {
        "deck": deck,
        "banner": banner,
        "pan_text": ""
        if pan.empty
        else f" Lancashire as a whole: **{pan['value_text'].iloc[0]}**.",
        "legend": maps.legend_html(
            colour_by,
            classes,
            ind["unit"],
            int(ind["multiplier"]),
            hidden_reasons=set(rows["hidden"]) - {""},
            missing_any=bool((rows["missing"]).any()),
            threshold=threshold,
        ),
        "table": tables.arrow(table),
        "names": dict(zip(rows.index, rows["name"], strict=True)),
    }


unit = formatting.unit_label(ind["unit"], int(ind["multiplier"]))
view = (
    data.shared("map view", (ctx.scope, code, period, level, colour_by), _view)
    if period in labels
    else None
)
if view is None:
    scorecard.empty_state(period)
    st.stop()
if view["banner"]:
    st.markdown(f"{scorecard.DEMO_TAG} {view['banner']}", unsafe_allow_html=True)

st.header(f"{ind['title']}, {period}")
# how old the indicator's latest figure is (flagged when older than its frequency allows)
age_words, age_stale = sources.age(ctx, ind, latest)
if age_words:
    st.markdown(sources.age_markdown(age_words, age_stale))
source_links = sources.links(ind)
st.caption(
    f"Unit: {unit}. {maps.LEVELS[level].capitalize()}, coloured by "
    f"{maps.COLOUR_BY[colour_by].lower()}.{view['pan_text']} Hover over an area for its "
    "value, 95% confidence interval, rank and status; click it to open its profile."
    + (f" Sources, on About the data: {source_links}." if source_links else "")
)


def _remember_click() -> None:
    """Selection callback: note which area was clicked (the page then opens its profile)."""
    state = st.session_state.get("map_deck")
    objects = (state or {}).get("selection", {}).get("objects", {}).get(maps.FILL_LAYER) or []
    if objects:
        picked = objects[0]
        props = picked.get("properties", picked) if isinstance(picked, dict) else {}
        if props.get("area_code"):
            st.session_state[OPEN_KEY] = props["area_code"]


left, right = st.columns([3, 1])
with left:
    st.pydeck_chart(
        view["deck"],
        on_select=_remember_click,
        selection_mode="single-object",
        key="map_deck",
        height=maps.MAP_HEIGHT,
        alt=f"Map of {ind['title']} for {period} by "
        f"{maps.LEVELS[level]}; the same figures are in the table 'The figures on the map' "
        "below.",
    )
with right:
    st.markdown(view["legend"], unsafe_allow_html=True)
    if colour_by == "status":
        st.caption(
            "Status is the target status where a target is set, otherwise the "
            "comparison with Lancashire by 95% confidence intervals."
        )
    else:
        st.caption(
            "Classes are quintiles of the areas shown (each area its own class when "
            "there are five or fewer)."
        )

st.subheader("The figures on the map")
st.table(view["table"], hide_index=True)

pick = st.columns([2, 1, 3], vertical_alignment="bottom")
names = view["names"]
chosen = pick[0].selectbox(
    "Open the profile of", list(names), format_func=names.get, key="map_profile_choice"
)
if pick[1].button("Open profile", icon=":material/location_city:"):
    st.switch_page("pages/scorecard/area.py", query_params={"area": chosen})
