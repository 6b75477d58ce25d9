"""The frame around every page: header, demo-data banner, presentation and embed styles."""

from __future__ import annotations

import streamlit as st

from ui import navigation

#: Presentation mode only: no sidebar or app header, large type (the board reads a wall
#: screen), tight block gaps so each screen fits 1920x1080 without scrolling.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 1.35rem; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0.8rem 2rem 0.4rem;
  max-width: none; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[data-testid="stMetric"] { padding: 0; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
h1 { font-size: 2.6rem !important; padding: 0 !important; line-height: 1.15 !important; }
h2, h3 { font-size: 1.5rem !important; padding: 0.1rem 0 !important; }
.csa-present-where, .csa-present-legend { font-size: 0.9rem; color: #0B0C0C; }
/* Streamlit pulls the element after a Markdown block up by its paragraph margin (1rem) */
.csa-present-where, .csa-present-legend, .csa-present-figure { margin-bottom: 1rem; }
.csa-present-where { padding-top: 0.3rem; }
.csa-present-legend span { white-space: nowrap; margin-right: 0.9em; }
.csa-present-legend svg { vertical-align: middle; }
.csa-present-card { font-size: 1.15rem; line-height: 1.4; }
.csa-present-figure { font-size: 1rem; line-height: 1.4; }
.csa-present-figure b { font-size: 1.5rem; }
table.csa-present-themes { width: 100%; border-collapse: collapse; }
table.csa-present-themes th { text-align: left; font-size: 1rem; padding: 0.1em 0.4em; }
table.csa-present-themes td { padding: 0.1em 0.25em; line-height: 1.3; }
table.csa-present-themes th, table.csa-present-themes td { border: 1px solid #DDE3E8; }
table.csa-present-themes span[role="img"] { font-size: 1rem !important; }
table.csa-present-matrix { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
table.csa-present-matrix thead th { white-space: nowrap; }
table.csa-present-matrix th, table.csa-present-matrix td { text-align: left;
  vertical-align: top; padding: 0.2em 0.5em; border: 1px solid #B1B4B6; }
table.csa-present-matrix ul { margin: 0; padding-left: 1em; }
table.csa-present-matrix li { margin: 0; }
</style>
"""
#: Presentation: the arrow keys, PageDown/PageUp and a presentation clicker (which sends them)
#: press the screen's Next and Previous buttons. Registered once per browser tab.
PRESENT_KEYS = """
<script>
if (!window.__csaPresentKeys) {
  window.__csaPresentKeys = true;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
    const forward = ["ArrowRight", "ArrowDown", "PageDown"].includes(event.key);
    const back = ["ArrowLeft", "ArrowUp", "PageUp"].includes(event.key);
    if (!forward && !back) return;
    const word = forward ? "Next" : "Previous";
    const button = [...document.querySelectorAll("button")].find(
      (b) => b.innerText.includes(word) && !b.disabled);
    if (button) { event.preventDefault(); button.click(); }
  });
}
</script>
"""
#: The embed: the navigation is Streamlit's top menu, which below 768 px Streamlit moves
#: into a sidebar opened by a "»" control. The embed has no sidebar at any width: on a
#: narrow screen the header goes and :func:`embed_menu` (shown only there) takes its place.
EMBED_CSS = """
<style>
[data-testid="stAppViewBlockContainer"], .block-container { padding-top: 4rem; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
.st-key-csa_embed_menu { display: none !important; }
@media (max-width: 767.98px) {
  [data-testid="stHeader"] { display: none !important; }
  [data-testid="stAppViewBlockContainer"], .block-container { padding-top: 1rem; }
  .st-key-csa_embed_menu { display: flex !important; }
}
</style>
"""
#: On every page: AA contrast for captions (#505A5F on white is 7.0:1; Streamlit's grey is
#: 4.4:1), a visible keyboard focus (GOV.UK's yellow and black), and headings that fit a
#: phone.
BASE_CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p { color: #505A5F !important; opacity: 1 !important; }
a:focus-visible, button:focus-visible, summary:focus-visible, [tabindex]:focus-visible,
input:focus-visible, [role="combobox"]:focus-visible {
  outline: 3px solid #FFDD00 !important; outline-offset: 0; box-shadow: 0 0 0 5px #0B0C0C;
}
/* a metric's label and value wrap in a narrow column rather than end in "…" ("no target"
   on the indicator page, the area profile's counts at 1000 px) */
[data-testid="stMetric"] .stMarkdownEllipsis, [data-testid="stMetric"] .stMarkdownEllipsis p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: break-word; }
/* a scorecard row (ui.scorecard.indicator_row): the columns title, figure, target, sparkline
   and status in one block, stacked on a phone as Streamlit stacks st.columns */
.csa-row { display: grid; column-gap: 1rem; align-items: start; line-height: 1.5;
  grid-template-columns: minmax(0, 3.4fr) minmax(0, 1.6fr) minmax(0, 1.3fr)
  minmax(0, 1.4fr) minmax(0, 2fr); }
.csa-row > div { min-width: 0; overflow-wrap: anywhere; }
.csa-row svg { max-width: 100%; height: auto; }
.csa-row span[role="img"][aria-label] { white-space: normal !important; display: inline-block; }
.csa-cap { font-size: 0.875rem; color: #505A5F; display: block; }
@media (max-width: 640px) {
  .csa-row { grid-template-columns: minmax(0, 1fr); row-gap: 0.35rem; }
  .csa-row .csa-pad { display: none; }
  span[role="img"][aria-label] { white-space: normal !important; }
  h1 { font-size: 1.9rem !important; } h2 { font-size: 1.5rem !important; }
  h3 { font-size: 1.25rem !important; }
  [data-testid="stMainBlockContainer"], .block-container { padding-left: 0.75rem;
    padding-right: 0.75rem; }
  /* tables drawn with class csa-stack become stacked rows: each row a card, each cell a
     line named by its column (td data-label); the header row is hidden from sight only */
  table.csa-stack, table.csa-stack tbody, table.csa-stack tbody tr, table.csa-stack tbody td {
    display: block; width: 100% !important; box-sizing: border-box; }
  table.csa-stack thead, table.csa-stack thead * { position: absolute !important;
    width: 1px !important; height: 1px; padding: 0 !important; margin: -1px; border: 0;
    overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  table.csa-stack tbody tr { border: 1px solid #B1B4B6; border-radius: 0.4rem;
    margin: 0 0 0.6rem; padding: 0.35rem 0.6rem; }
  table.csa-stack tbody td { border: 0 !important; padding: 0.12rem 0 !important;
    white-space: normal !important; overflow-wrap: anywhere; }
  table.csa-stack tbody td[data-label]::before { content: attr(data-label) ": ";
    font-weight: 700; color: #0B0C0C; }
}
</style>
"""


#: Session-state key: the viewer pressed "Leave presentation" (the next run opens the overview).
LEAVING = "_csa_leaving_presentation"
#: The overview, where leaving presentation mode lands.
OVERVIEW = "pages/scorecard/overview.py"


def enter_presentation() -> None:
    """The presentation page opened without ``?mode=present`` (from the sidebar): run again
    in presentation mode, so the screens get its layout (no sidebar, the 1920x1080 fit)."""
    st.query_params["mode"] = "present"
    st.rerun()


def _leave_presentation() -> None:
    for key in ("mode", "slide"):
        st.query_params.pop(key, None)
    st.session_state[LEAVING] = True


def header(ctx) -> None:
    """The header of every page, from this run's context (:mod:`ui.context`)."""
    settings, viewer = ctx.settings, ctx.viewer
    embedded, presenting = ctx.embedded, ctx.presenting
    if st.session_state.pop(LEAVING, False) and not presenting:
        # back to the app, its navigation in the sidebar, at the area and period shown
        kept = {k: st.query_params[k] for k in ("area", "period") if k in st.query_params}
        st.switch_page(OVERVIEW, query_params=kept)
    st.html(BASE_CSS)
    if presenting:
        st.markdown(PRESENT_CSS, unsafe_allow_html=True)
        st.html(PRESENT_KEYS, unsafe_allow_javascript=True)
    if embedded:
        st.markdown(EMBED_CSS, unsafe_allow_html=True)
        embed_menu(ctx)
    if not embedded and not presenting:
        with st.sidebar:
            st.caption(settings["title"])
            if viewer.signed_in:
                st.caption(f"Signed in as {viewer.email} ({viewer.role})")


def embed_menu(ctx) -> None:
    """The embed's menu between its public pages on a narrow screen (below 768 px, where
    Streamlit would fold its top menu into a sidebar): one "Menu" button opening a link per
    page. Hidden by :data:`EMBED_CSS` on wider screens, where the top menu shows."""
    specs = navigation.pages_for(ctx.viewer, True, ctx.settings["public_only"])
    # keyed by the page, so the menu opens closed on the page it led to
    page = st.session_state.get(navigation.CURRENT_PAGE, "")
    with (
        st.container(key="csa_embed_menu"),
        st.popover("Menu", icon=":material/menu:", key=f"csa_embed_menu_{page}"),
    ):
        for spec in specs:
            st.page_link(spec.path, label=spec.title, icon=spec.icon)


def footer(embedded: bool, presenting: bool = False) -> None:
    if presenting:  # no rule and one line on a wall screen (and no page link: the
        # presentation registers its own page only); the way out beside it
        words, leave = st.columns([5, 1], vertical_alignment="center")
        words.caption(
            "Real figures: ONS, Home Office and MHCLG; boundaries: ONS, contains OS data © Crown "
            "copyright and database right 2023; Open Government Licence v3.0. Figures marked "
            "**DEMO** are synthetic."
        )
        leave.button(
            "Leave presentation",
            icon=":material/close:",
            on_click=_leave_presentation,
            width="stretch",
            key="csa_leave_presentation",
        )
        return
    st.divider()
    st.page_link("pages/scorecard/accessibility.py", label="Accessibility statement")
    st.caption(
        "Real figures: ONS, Home Office and MHCLG, Open Government Licence v3.0. Boundaries: "
        "Source: Office for National Statistics licensed under the Open Government Licence "
        "v3.0. Contains OS data © Crown copyright and database right 2023. "
        "Figures marked **DEMO** are synthetic, for demonstration only."
    )
