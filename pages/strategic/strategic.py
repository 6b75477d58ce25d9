"""Strategic assessment: the ranking matrix, ranked issues, county aggregation, priorities.

Everyone signed in sees the ranked lists, the county aggregation (table, heat-map, map)
and the agreed priorities, and can download the matrix. Analysts and admins also run the
round: criteria and weights, issues, scores (entered, suggested or uploaded), agreed
priorities and the round's status. Every write goes through csa.strategic.rounds, which
checks the permission again and audits it.
"""

import pandas as pd
import streamlit as st

from csa.access import allowed
from csa.strategic import matrix_io, rounds
from csa.strategic.aggregation import heatmap_frame
from csa.strategic.population import area_populations
from csa.strategic.results import build, priorities_with_links
from csa.strategic.scoring import AssessmentError
from csa.strategic.suggestions import SUGGESTED_CRITERIA, suggest
from ui import context, data, filters
from ui import strategic_views as views

READERS = {"analyst", "admin", "board", "officer"}

ctx = context.current()
viewer = ctx.viewer
actor = viewer.actor
st.title("Strategic assessment")
if viewer.role not in READERS:
    st.error("The strategic assessment is for signed-in partners: please sign in.")
    st.stop()
can_edit = allowed(actor, "edit_assessment")
db = data.database()

flash = st.session_state.pop("_sa_flash", None)
if flash:
    st.success(flash)


def act(change, message: str) -> None:
    views.act(change, message, "_sa_flash")


@st.cache_data(show_spinner="Ranking the issues…", max_entries=16)
def _results(round_name: str, version: tuple[str, int]):
    return build(data.database(), round_name)


rounds_df = db.assessment_rounds()
if rounds_df.empty:
    st.info("No assessment round has been started yet.")
    if can_edit:
        with st.form("sa_first_round"):
            name = st.text_input("Round name", value="Strategic assessment 2026")
            year = st.number_input("Year", min_value=2000, max_value=2100, value=2026)
            if st.form_submit_button("Start the round"):
                act(lambda: rounds.create_round(db, actor, name, int(year)), f"Started {name}.")
    st.stop()

names = list(rounds_df["name"])
round_name = filters.select("Assessment round", "round", list(reversed(names)), default=names[-1])
try:
    res = _results(round_name, data.version())
except AssessmentError as exc:
    st.error(str(exc))
    st.stop()

if res.is_demo:
    st.warning(
        "**DEMO DATA.** The scores in this round are synthetic, made for "
        "demonstration; they are not a real strategic assessment. The volume and "
        "trend scores are computed from the indicators (recorded crime is real; the "
        "quarterly series are demo)."
    )
prev_words = (
    f"Changes are against **{res.previous['name']}**."
    if res.previous
    else "There is no earlier round to compare with."
)
st.caption(
    f"**{round_name}** is **{res.round['status']}**. "
    f"{res.complete_share:.0%} of partnership and issue scores are complete. "
    f"{prev_words}"
)

st.download_button(
    "Download the matrix and aggregation (Excel)",
    data=matrix_io.export_workbook(res, rounds.partnership_codes(db), data.indicators()),
    file_name=f"{round_name.replace(' ', '_')}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="sa_download",
)

tab_names = ["Ranked issues", "County aggregation", "Agreed priorities", "Method"]
if can_edit:
    tab_names.insert(3, "Run the round")
tabs = dict(zip(tab_names, st.tabs(tab_names), strict=True))


def changes_table(df: pd.DataFrame, extra: dict[str, str]) -> None:
    """A ranked table whose changes are highlighted (icon, words and a tint)."""
    shown = df.rename(columns=extra)[list(extra.values())]
    if "Change" in shown:
        shown["Change"] = shown["Change"].map(views.change_text)

    def tint(col):
        if col.name != "Change":
            return [""] * len(col)
        return [
            "background-color: #FFF2CC"
            if v and "unchanged" not in v and "no previous" not in v
            else ""
            for v in col
        ]

    st.dataframe(shown.style.apply(tint, axis=0), hide_index=True, width="stretch")


# -- ranked issues ---------------------------------------------------------------------------
with tabs["Ranked issues"]:
    area_codes = rounds.partnership_codes(db) + ["PA-WEST", "PA-SOUTH", "PA-EAST"]
    area = st.selectbox(
        "Partnership or policing area",
        area_codes,
        format_func=lambda c: res.area_names.get(c, c),
        key="sa_area",
    )
    table = res.area_ranked if area.startswith("E") else res.pa_ranked
    table = table[table["area_code"] == area]
    st.subheader(f"Ranked issues: {res.area_names.get(area, area)}")
    if not area.startswith("E"):
        st.caption(
            "A policing area's score is the population-weighted mean of its "
            "partnerships' weighted scores."
        )
    changes_table(
        table,
        {
            "rank": "Rank",
            "issue_name": "Issue",
            "weighted_score": "Weighted score (0-100)",
            "top_five": "Top five",
            "change": "Change",
            "missing": "Missing scores",
        },
    )

# -- county aggregation ----------------------------------------------------------------------
with tabs["County aggregation"]:
    basis = st.radio(
        "Aggregate", ["Matrix ranks", "Agreed priorities"], horizontal=True, key="sa_basis"
    )
    county = res.county if basis == "Matrix ranks" else res.county_priorities
    if basis == "Agreed priorities" and res.priorities.empty:
        st.info("No priorities have been agreed in this round yet.")
    st.subheader("County aggregation")
    st.caption(
        "How many of the 14 partnerships rank each issue in their top five, and the "
        "share of residents living in them (population-weighted). The county's key "
        "issues are the top five by that share."
    )
    shown = county.copy()
    shown["issue"] = shown["issue_code"].map(lambda c: res.issue_names.get(c, c))
    cols = {
        "county_rank": "County rank",
        "issue": "Issue",
        "partnerships_top5": "Partnerships (of 14)",
        "population_share": "% of residents",
        "county_top_five": "County key issue",
        "partnerships": "Partnerships",
    }
    if "change" in shown:
        cols["change"] = "Change"
    changes_table(shown, cols)
    st.altair_chart(
        views.county_chart(
            county, res.issue_names, f"{round_name}: top-five issues ({basis.lower()})"
        ),
        width="stretch",
    )
    st.subheader("Heat-map: each partnership's ranks")
    st.altair_chart(
        views.heatmap_chart(
            heatmap_frame(res.area_ranked, res.area_names, res.issue_names),
            f"Rank of each issue by partnership, {round_name} (1 = highest)",
        ),
        width="stretch",
    )
    st.subheader("Map")
    issue = st.selectbox(
        "Issue",
        list(res.issues["code"]),
        format_func=lambda c: res.issue_names.get(c, c),
        key="sa_map_issue",
    )
    st.pydeck_chart(
        views.rank_map(res.area_ranked, issue, res.issue_names[issue]), height=520, key="sa_map"
    )
    st.html(views.legend(views.RANK_LEGEND))

# -- priorities ------------------------------------------------------------------------------
with tabs["Agreed priorities"]:
    links = priorities_with_links(res, data.indicators())
    if links.empty:
        st.info(f"No local priorities have been agreed in {round_name} yet.")
    else:
        st.caption(
            "Each partnership's agreed priorities, with the CSA theme and the "
            "indicators that give the evidence, and the issue's place in the matrix."
        )
        st.dataframe(
            links.rename(
                columns={
                    "area": "Partnership",
                    "rank": "Priority",
                    "issue": "Issue",
                    "theme": "CSA theme",
                    "indicators": "Indicators",
                    "matrix_rank": "Matrix rank",
                    "weighted_score": "Weighted score",
                }
            ).drop(columns=["area_code", "issue_code"]),
            hide_index=True,
            width="stretch",
        )

# -- running the round (analysts and admins) -------------------------------------------------
if can_edit:
    with tabs["Run the round"]:
        is_open = res.round["status"] == "open"
        left, right = st.columns(2)
        if is_open:
            if left.button("Mark the round agreed (locks it)", key="sa_agree_round"):
                act(
                    lambda: rounds.set_status(db, actor, round_name, "agreed"),
                    f"{round_name} is agreed and locked.",
                )
        else:
            st.info(f"{round_name} is agreed: scores and priorities are locked.")
            if left.button("Reopen the round", key="sa_reopen_round"):
                act(
                    lambda: rounds.set_status(db, actor, round_name, "open"),
                    f"{round_name} is open again.",
                )
        with right.popover("Start a new round"):
            new_name = st.text_input(
                "Name",
                key="sa_new_name",
                value=f"Strategic assessment {int(res.round['year']) + 1}",
            )
            new_year = st.number_input(
                "Year", 2000, 2100, int(res.round["year"]) + 1, key="sa_new_year"
            )
            copy = st.checkbox(
                f"Copy the criteria and issues of {round_name}", value=True, key="sa_new_copy"
            )
            if st.button("Create", key="sa_new_create"):
                act(
                    lambda: rounds.create_round(
                        db, actor, new_name, int(new_year), copy_from=round_name if copy else None
                    ),
                    f"Started {new_name}.",
                )

        st.subheader("Criteria and weights")
        crit = res.criteria[
            ["code", "name", "weight", "scale_min", "scale_max", "data_driven", "description"]
        ]
        edited = st.data_editor(
            crit,
            hide_index=True,
            num_rows="dynamic",
            disabled=not is_open,
            key=f"sa_criteria_{res.round['id']}",
            width="stretch",
        )
        total = pd.to_numeric(edited["weight"], errors="coerce").sum()
        st.caption(f"Weights add up to **{total:.3f}** (they must add up to 1).")
        if is_open and st.button("Save criteria and weights", key="sa_save_criteria"):
            act(
                lambda: rounds.save_criteria(db, actor, round_name, edited),
                "Criteria and weights saved.",
            )

        st.subheader("Issues")
        iss = res.issues[["code", "name", "theme_code", "indicator_codes"]]
        edited_issues = st.data_editor(
            iss,
            hide_index=True,
            num_rows="dynamic",
            disabled=not is_open,
            width="stretch",
            key=f"sa_issues_{res.round['id']}",
        )
        if is_open and st.button("Save issues", key="sa_save_issues"):
            act(
                lambda: rounds.save_issues(db, actor, round_name, edited_issues),
                "Issues saved: {result[added]} added, {result[updated]} updated.",
            )

        st.subheader("Scores")
        partnerships = rounds.partnership_codes(db)
        score_area = st.selectbox(
            "Partnership",
            partnerships,
            format_func=lambda c: res.area_names.get(c, c),
            key="sa_score_area",
        )
        matrix = (
            matrix_io.score_matrix(res, [score_area])
            .drop(columns=["area_code", "area"])
            .set_index("issue_code")
        )
        edited_scores = st.data_editor(
            matrix,
            disabled=(not is_open) or ["issue"],
            width="stretch",
            key=f"sa_scores_{res.round['id']}_{score_area}",
        )
        if is_open and st.button("Save these scores", key="sa_save_scores"):
            long = (
                edited_scores.drop(columns=["issue"])
                .reset_index()
                .melt(id_vars="issue_code", var_name="criterion_code", value_name="score")
            )
            before = (
                matrix.drop(columns=["issue"])
                .reset_index()
                .melt(id_vars="issue_code", var_name="criterion_code", value_name="old")
            )
            long = long.merge(before, on=["issue_code", "criterion_code"])
            changed = long[
                long["score"].notna() & (long["score"].astype(str) != long["old"].astype(str))
            ]
            changed = changed.assign(area_code=score_area)[
                ["area_code", "issue_code", "criterion_code", "score"]
            ]
            act(
                lambda: rounds.save_scores(db, actor, round_name, changed, source="entered"),
                "Scores saved: {result[new]} new, {result[changed]} changed.",
            )

        st.markdown(
            "**Suggested volume and trend scores** (computed from the indicators; see Method)"
        )
        quarters = data.periods_with_figures("quarterly")
        fy_end = f"{int(res.round['year']) - 1}-{str(int(res.round['year']))[2:]} Q4"
        as_of = st.selectbox(
            "Reference quarter",
            list(reversed(quarters)),
            index=list(reversed(quarters)).index(fy_end) if fy_end in quarters else 0,
            key="sa_as_of",
        )
        suggested = suggest(
            res.issues,
            res.criteria,
            data.observations(),
            data.indicators(),
            data.periods(),
            area_populations(data.populations()),
            partnerships,
            as_of,
        )
        if suggested.empty:
            st.info(
                "No criterion of this round is data-driven (codes "
                + ", ".join(SUGGESTED_CRITERIA)
                + "), or no issue links an indicator."
            )
        else:
            mine = suggested[suggested["area_code"] == score_area].copy()
            stored = res.scores.set_index(["area_code", "issue_code", "criterion_code"])["score"]
            mine["stored"] = [
                stored.get((a, i, c))
                for a, i, c in mine[["area_code", "issue_code", "criterion_code"]].itertuples(
                    index=False
                )
            ]
            mine["issue"] = mine["issue_code"].map(res.issue_names)
            st.dataframe(
                mine[["issue", "criterion_code", "score", "stored", "basis", "data_kind"]].rename(
                    columns={"score": "suggested"}
                ),
                hide_index=True,
                width="stretch",
            )
            cols = st.columns(2)
            keep = ["area_code", "issue_code", "criterion_code", "score"]
            if is_open and cols[0].button(
                f"Accept for {res.area_names[score_area]}", key="sa_accept_area"
            ):
                act(
                    lambda: rounds.save_scores(
                        db, actor, round_name, mine[keep], source="suggested"
                    ),
                    "Suggested scores accepted: {result[new]} new, {result[changed]} changed.",
                )
            if is_open and cols[1].button("Accept for all 14 partnerships", key="sa_accept_all"):
                act(
                    lambda: rounds.save_scores(
                        db, actor, round_name, suggested[keep], source="suggested"
                    ),
                    "Suggested scores accepted: {result[new]} new, {result[changed]} changed.",
                )

        st.markdown(
            "**Upload scores from Excel** (the Scores sheet of the downloaded matrix; "
            "empty cells keep the stored score; nothing is written if any cell is "
            "wrong)"
        )
        upload = st.file_uploader(
            "Matrix workbook (.xlsx)", type=["xlsx"], key="sa_upload", disabled=not is_open
        )
        if upload is not None:
            content = upload.getvalue()
            parsed = matrix_io.read_scores(
                content,
                res.criteria,
                res.issues["code"],
                partnerships,
                matrix_io.Limits.from_settings(data.settings()),
                res.area_names,
            )
            if not parsed.ok:
                st.error(
                    f"{upload.name} cannot be imported: {len(parsed.problems)} problem"
                    f"{'s' if len(parsed.problems) != 1 else ''} to fix. Nothing was "
                    "written."
                )
                st.code("\n".join(str(p) for p in parsed.problems), language=None)
            else:
                pv = matrix_io.preview(db, round_name, parsed)
                counts = pv["change"].value_counts()
                st.info(
                    f"{upload.name}: {len(pv)} scores read, {counts.get('new', 0)} new, "
                    f"{counts.get('changed', 0)} changed, "
                    f"{counts.get('unchanged', 0)} unchanged; {parsed.blank} empty "
                    "cells keep the stored score."
                )
                st.dataframe(pv[pv["change"] != "unchanged"], hide_index=True, width="stretch")
                if st.button("Import these scores", key="sa_import"):
                    act(
                        lambda: matrix_io.import_scores(
                            db, actor, round_name, content, upload.name, data.settings()
                        ),
                        f"Imported {upload.name}: " + "{result[new]} new, {result[changed]} "
                        "changed, {result[unchanged]} unchanged.",
                    )

        st.subheader("Agree local priorities")
        pr_area = st.selectbox(
            "Partnership",
            partnerships,
            format_func=lambda c: res.area_names.get(c, c),
            key="sa_priority_area",
        )
        agreed = res.priorities[res.priorities["area_code"] == pr_area].sort_values("rank")
        ranked = res.area_ranked[
            (res.area_ranked["area_code"] == pr_area) & res.area_ranked["rank"].notna()
        ]
        default = list(agreed["issue_code"]) or list(ranked["issue_code"].head(5))
        chosen = st.multiselect(
            "Priorities, first priority first (the matrix's top five are suggested)",
            list(res.issues["code"]),
            default=default,
            format_func=lambda c: res.issue_names.get(c, c),
            key=f"sa_priorities_{res.round['id']}_{pr_area}",
            disabled=not is_open,
        )
        if is_open and st.button("Save the agreed priorities", key="sa_save_priorities"):
            act(
                lambda: rounds.agree_priorities(db, actor, round_name, pr_area, chosen),
                f"Priorities agreed for {res.area_names[pr_area]}.",
            )

# -- method ----------------------------------------------------------------------------------
with tabs["Method"]:
    st.markdown("\n".join(f"- {line}" for line in matrix_io.METHOD_LINES))
    st.markdown("**Criteria** of this round:")
    st.dataframe(
        res.criteria[
            ["code", "name", "weight", "scale_min", "scale_max", "data_driven", "description"]
        ],
        hide_index=True,
        width="stretch",
    )
