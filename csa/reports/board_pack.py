"""The quarterly Performance and Priorities Update for the board, built from the published
figures (:mod:`csa.publish`): the signed-in figures for the board, the public ones (after
disclosure control) for publication. Nothing is assessed, suppressed, SPC-charted or
formatted here: values, statuses, reasons and texts are the published ones, and the charts
draw the published SPC (:func:`csa.publish.spc_chart`).

:func:`build` returns a :class:`BoardPack`: plain values and DataFrames that the Word and
Excel exports (:mod:`csa.reports.docx_export`, :mod:`csa.reports.xlsx_export`), the board
pack page and presentation mode all read, so every view of the pack says the same thing.

Contents
--------
1. **Summary by key issue**: for pan-Lancashire, how many indicators in each key issue and
   contributory factor are on track, at risk, off track or not judged, and how many
   indicator x area verdicts are critical anywhere.
2. **Off-track and critical indicators**: every off-track or critical verdict for
   pan-Lancashire and the three policing areas, and every critical verdict for a district or
   unitary (``items``), grouped by indicator (``sections``): Lancashire's figure, reasons and
   chart, a table of the areas concerned, and charts of the areas whose recovery plan has a
   trajectory.
3. **Recovery plans**: the register (:func:`csa.plans.tracking.register`) and the overdue
   actions.
4. **Changes since last quarter**: verdicts for pan-Lancashire and the policing areas whose
   RAG or critical flag changed since the previous quarter.
5. **Lancashire's relative position**: police recorded crime, year ending June 2025 (Home
   Office, already published): the force on every offence group against England and Wales,
   England and the North West (rate per 1,000, 95% CI, rank among forces, significance), and
   the 14 partnerships' total recorded crime rate with their rank among partnerships
   (:func:`relative_position`, from :mod:`csa.national`).

Audience
--------
``"board"`` (the default) reads the signed-in figures and includes restricted indicators.
``"public"`` reads the public figures: restricted indicators left out, and a figure hidden
to protect small numbers keeps only its label ("fewer than 5", "hidden to protect a small
number"): no value, target, status, reasons or chart. It gives the number of overdue
actions but not who owns them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from csa import config as csa_config
from csa import demo_labels, national, publish
from csa.access import PUBLIC, Actor, can_see_indicator
from csa.areas import PAN_LANCASHIRE
from csa.assess import Inputs
from csa.benchmark import compare
from csa.periods import parse_quarter, quarter_label
from csa.plans import tracking
from csa.plans.workflow import NONE_YET, STATE_WORDS

AUDIENCES = ("board", "public")
#: the published audience each pack audience reads
PUBLISHED_AUDIENCE = {"board": "signed_in", "public": "public"}
HEADLINE_KINDS = ("pan", "policing_area")
RAG_ORDER = {"green": 0, "amber": 1, "red": 2}
RAG_WORDS = {
    "red": "✖ Off track",
    "amber": "▲ At risk",
    "green": "✔ On track",
    "grey": "● Not judged",
}
TITLE = "Performance and Priorities Update"
MAX_PLAN_CHARTS = 3  # per indicator: areas with a recovery trajectory to draw


@dataclass
class Item:
    """One off-track or critical indicator x area, with what a reader needs to judge it."""

    indicator_code: str
    indicator_title: str
    theme_name: str
    area_code: str
    area_name: str
    unit: str
    unit_words: str
    polarity: str
    data_kind: str
    value: float | None
    lower: float | None
    upper: float | None
    target: float | None
    benchmark_value: float | None
    rag: str
    label: str
    critical: bool
    periods_off_track: int
    reasons: list[str]
    plan_state: str
    value_text: str = ""
    target_text: str = ""
    status_text: str = ""
    hidden: str = ""  # "" shown, else why hidden (published)
    spc_message: str = ""
    series: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)  # published SPC
    trajectory: dict[str, float] | None = None

    @property
    def suppressed(self) -> bool:
        return bool(self.hidden)

    @property
    def headline(self) -> str:
        """e.g. 'Violence with injury, Burnley: 31.0 per 1,000 (target 25.0)'."""
        words = f" {self.unit_words}" if self.unit_words and not self.hidden else ""
        target = f" (target {self.target_text})" if self.target is not None else ""
        return f"{self.indicator_title}, {self.area_name}: {self.value_text}{words}{target}"

    @property
    def status_words(self) -> str:
        icon = RAG_WORDS.get(self.rag, RAG_WORDS["grey"]).split(" ")[0]
        return f"{icon} {self.status_text}" + (" · CRITICAL" if self.critical else "")


@dataclass
class Section:
    """One indicator in the off-track and critical section: Lancashire as a whole for
    context (``headline``, whatever its status), every off-track or critical area
    (``areas``), and what to chart (Lancashire, then areas whose plan has a trajectory)."""

    indicator_code: str
    indicator_title: str
    theme_name: str
    data_kind: str
    headline: Item | None
    areas: list[Item]
    charts: list[Item]

    def table(self) -> pd.DataFrame:
        """The areas as a table: area, figure, target, status, quarters off track, plan."""
        return pd.DataFrame(
            [
                {
                    "Area": i.area_name,
                    "Figure": i.value_text,
                    "Target": i.target_text if i.target is not None else "–",
                    "Status": i.status_words,
                    "Quarters off track": i.periods_off_track,
                    "Recovery plan": STATE_WORDS.get(i.plan_state, i.plan_state),
                }
                for i in self.areas
            ],
            columns=["Area", "Figure", "Target", "Status", "Quarters off track", "Recovery plan"],
        )


@dataclass
class BoardPack:
    """The pack's content; see the module docstring for the sections."""

    period: str
    previous_period: str | None
    audience: str
    prepared_on: date
    organisation: str
    headline_area: str
    summary: pd.DataFrame
    items: list[Item]
    sections: list[Section]
    plans: pd.DataFrame
    overdue_actions: pd.DataFrame
    changes: pd.DataFrame
    figures: pd.DataFrame
    demo_data: bool
    restricted_left_out: int = 0
    notes: list[str] = field(default_factory=list)
    #: Lancashire's relative position (:func:`relative_position`): the force on every
    #: offence group, and the 14 partnerships on total recorded crime
    force_position: pd.DataFrame = field(default_factory=pd.DataFrame)
    partnership_position: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def title(self) -> str:
        return f"{TITLE}: {self.period}"

    def counts(self) -> dict[str, int]:
        """Headline numbers for the opening page (pan-Lancashire and all critical)."""
        s = self.summary
        return {
            "off_track": int(s["Off track"].sum()),
            "at_risk": int(s["At risk"].sum()),
            "on_track": int(s["On track"].sum()),
            "critical": int(s["Critical (any area)"].sum()),
            "plans_open": int(
                (
                    self.plans["plan_state"].isin(
                        ["draft", "submitted", "approved", "returned", "monitoring"]
                    )
                ).sum()
            )
            if not self.plans.empty
            else 0,
            "actions_overdue": int(self.plans["overdue_actions"].sum())
            if not self.plans.empty
            else 0,
        }


def previous_quarter(label: str) -> str | None:
    try:
        fy, q = parse_quarter(label)
    except ValueError:
        return None
    return quarter_label(fy, q - 1) if q > 1 else quarter_label(fy - 1, 4)


def _unit_words(unit: str, multiplier: int) -> str:
    return f"per {int(multiplier):,}" if unit == "rate" else ""


def plan_summary(register: pd.DataFrame) -> pd.DataFrame:
    """The recovery plans per indicator: how many areas are critical, how many have no plan
    yet, plans being prepared, in place and closed, and the flags, one row per indicator
    (instead of one row per area, most of them "no plan yet")."""
    cols = [
        "Indicator",
        "Critical areas",
        "No plan yet",
        "Being prepared",
        "In place",
        "Closed",
        "Overdue actions",
        "Reviews overdue",
        "Below trajectory",
    ]
    if register.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for title, g in register.groupby("indicator_title", sort=False):
        state = g["plan_state"]
        rows.append(
            {
                "Indicator": title,
                "Critical areas": int(g["critical_area_codes"].map(len).sum()),
                "No plan yet": int((state == NONE_YET).sum()),
                "Being prepared": int(state.isin(["draft", "submitted", "returned"]).sum()),
                "In place": int(state.isin(["approved", "monitoring"]).sum()),
                "Closed": int((state == "closed").sum()),
                "Overdue actions": int(g["overdue_actions"].sum()),
                "Reviews overdue": int(g["plan_overdue"].astype(bool).sum()),
                "Below trajectory": int((g["missed_trajectory"] > 0).sum()),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _summary(verdicts: pd.DataFrame, inds: pd.DataFrame) -> pd.DataFrame:
    rows = []
    themed = inds[inds["theme_kind"].isin(["key_issue", "contributory_factor"])]
    for (theme, kind), group in themed.groupby(["theme_name", "theme_kind"], sort=False):
        codes = set(group["code"])
        here = verdicts[verdicts["indicator_code"].isin(codes)]
        head = here[here["area_code"] == PAN_LANCASHIRE]
        rows.append(
            {
                "Key issue": theme,
                "Kind": "Key issue" if kind == "key_issue" else "Contributory factor",
                "Indicators": len(codes),
                "On track": int((head["rag"] == "green").sum()),
                "At risk": int((head["rag"] == "amber").sum()),
                "Off track": int((head["rag"] == "red").sum()),
                "Not judged": int((head["rag"] == "grey").sum())
                + len(codes - set(head["indicator_code"])),
                "Critical (any area)": int(here["critical"].astype(bool).sum()),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Key issue",
            "Kind",
            "Indicators",
            "On track",
            "At risk",
            "Off track",
            "Not judged",
            "Critical (any area)",
        ],
    )


def _changes(
    now: pd.DataFrame, before: pd.DataFrame, headline: set[str], titles: dict, names: dict
) -> pd.DataFrame:
    cols = ["Indicator", "Area", "Last quarter", "This quarter", "Change"]
    if before.empty:
        return pd.DataFrame(columns=cols)
    b = before.set_index(["indicator_code", "area_code"])
    rows = []
    for r in now[now["area_code"].isin(headline)].itertuples(index=False):
        key = (r.indicator_code, r.area_code)
        if key not in b.index:
            continue
        p = b.loc[key]
        if p["rag"] == r.rag and bool(p["critical"]) == bool(r.critical):
            continue
        if bool(r.critical) and not bool(p["critical"]):
            change = "⚠ Newly critical"
        elif bool(p["critical"]) and not bool(r.critical):
            change = "✔ No longer critical"
        elif r.rag in RAG_ORDER and p["rag"] in RAG_ORDER:
            change = "▲ Improved" if RAG_ORDER[r.rag] < RAG_ORDER[p["rag"]] else "▼ Worsened"
        else:
            change = "● Changed"
        rows.append(
            {
                "Indicator": titles.get(r.indicator_code, r.indicator_code),
                "Area": names.get(r.area_code, r.area_code),
                "Last quarter": p["status_text"] + (" · critical" if p["critical"] else ""),
                "This quarter": r.status_text + (" · critical" if r.critical else ""),
                "Change": change,
            }
        )
    return pd.DataFrame(rows, columns=cols)


VERDICTS = {
    "better": "Significantly lower",
    "worse": "Significantly higher",
    "similar": "Similar",
    "not compared": "Not compared",
}
RELATIVE_SOURCE = (
    f"Lancashire's relative position: police recorded crime, {national.PERIOD}, published by "
    "the Home Office (Tables C2 and P1), per 1,000 residents "
    f"({national.POPULATION_VINTAGE}); 95% confidence intervals by Byar's method; "
    "significantly higher or lower when the comparator's rate lies outside the interval "
    "(Fingertips' method). Ranks: 1 = the lowest rate, among the forces (or partnerships) "
    "whose population can be matched exactly."
)


def relative_position(data_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lancashire's relative position for the pack, plain values (the exports format them).

    Returns ``(force, partnerships)``: the force on every offence group (Offence group,
    Recorded crimes, Population, Rate per 1,000, 95% CI lower and upper, Rank, Of, and for
    each of England and Wales, England and the North West its rate and "vs" verdict), and
    the 14 partnerships on total recorded crime (Partnership, Recorded crimes, Population,
    Rate per 1,000, 95% CI lower and upper, Rank, Of, vs England and Wales). Both carry
    Unit = "rate" for the Excel number formats.
    """
    rates = national.offence_rates(data_dir)
    pos = national.area_position(rates, [national.LANCASHIRE_FORCE], "force")
    force = pd.DataFrame(
        {
            "Offence group": pos["title"],
            "Unit": "rate",
            "Recorded crimes": pos["count"],
            "Population": pos["population"],
            "Rate per 1,000": pos["rate"],
            "95% CI lower": pos["lower"],
            "95% CI upper": pos["upper"],
            "Rank": pos["rank"],
            "Of": pos["of"],
        }
    )
    for code, bname in national.BENCHMARKS.items():
        force[bname] = pos[f"bench_{code}"]
        force[f"vs {bname}"] = pos[f"vs_{code}"].map(VERDICTS)
    csp = rates[
        (rates["level"] == "partnership")
        & (rates["pfa_code"] == national.LANCASHIRE_FORCE)
        & (rates["offence"] == national.TOTAL)
    ]
    bench = rates[(rates["level"] == "benchmark") & (rates["offence"] == national.TOTAL)]
    ew = float(bench.loc[bench["area_code"] == national.ENGLAND_AND_WALES, "rate"].iloc[0])
    partnerships = pd.DataFrame(
        {
            "Partnership": csp["area_name"],
            "Unit": "rate",
            "Recorded crimes": csp["count"],
            "Population": csp["population"],
            "Rate per 1,000": csp["rate"],
            "95% CI lower": csp["lower"],
            "95% CI upper": csp["upper"],
            "Rank": csp["rank"],
            "Of": csp["of"],
            "vs England and Wales": [
                VERDICTS[compare(v, lo, hi, ew, "low_is_good")]
                for v, lo, hi in zip(csp["rate"], csp["lower"], csp["upper"], strict=True)
            ],
        }
    ).sort_values("Rate per 1,000", kind="stable")
    whole = ["Recorded crimes", "Population", "Rank", "Of"]
    force[whole] = force[whole].round().astype("Int64")
    partnerships[whole] = partnerships[whole].round().astype("Int64")
    return force.reset_index(drop=True), partnerships.reset_index(drop=True)


def build(
    db,
    period: str,
    audience: str = "board",
    *,
    settings: dict | None = None,
    today: date | None = None,
    inputs: Inputs | None = None,
) -> BoardPack:
    """The board pack for ``period`` (a quarter label) and ``audience``, from the figures
    published for the current data version (published first if need be).

    ``inputs`` (reference tables and observations, for the plan register) may be passed
    when the caller has them cached (the pages do).
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    settings = settings or csa_config.load()
    today = today or date.today()
    inputs = inputs if inputs is not None else Inputs.from_db(db)
    if period not in set(inputs.periods["label"]):
        raise ValueError(f"unknown period {period!r}")
    previous = previous_quarter(period)

    viewer = PUBLIC if audience == "public" else Actor("board-pack", "board")
    inds = inputs.indicators
    keep = [
        can_see_indicator(viewer, bool(p), o)
        for p, o in zip(inds["public"], inds["lead_org_code"], strict=True)
    ]
    left_out = int(len(inds) - sum(keep))
    inds = inds[keep]
    inds = inds[inds["frequency"] == "quarterly"]
    quarterly = list(inds["code"])

    key = publish.ensure(db, settings)
    wanted = [period] + ([previous] if previous in set(inputs.periods["label"]) else [])
    published = publish.read(
        db, key, PUBLISHED_AUDIENCE[audience], indicators=quarterly, periods=wanted
    )
    verdicts = published[published["period_label"] == period].copy()
    previous_verdicts = published[published["period_label"] == previous]
    if verdicts.empty:
        raise ValueError(f"there are no figures for {period}, so there is no board pack yet")
    names = dict(zip(inputs.areas["code"], inputs.areas["name"], strict=True))
    kinds = dict(zip(inputs.areas["code"], inputs.areas["kind"], strict=True))
    headline = {c for c, k in kinds.items() if k in HEADLINE_KINDS}
    by_code = inds.set_index("code")
    titles = dict(zip(inds["code"], inds["title"], strict=True))

    register = tracking.register_for_period(
        db, period, verdicts=verdicts, inputs=inputs, settings=settings, today=today, actor=viewer
    )
    # one recovery plan per indicator (for the county): every critical area sits inside it
    plan_state = {r.indicator_code: r.plan_state for r in register.itertuples(index=False)}

    chosen = verdicts[
        ((verdicts["area_code"].isin(headline)) & (verdicts["rag"] == "red"))
        | verdicts["critical"].astype(bool)
    ].copy()
    area_order = dict(zip(inputs.areas["code"], inputs.areas["sort_order"], strict=True))
    chosen["_head"] = ~chosen["area_code"].isin(headline)
    chosen["_theme"] = chosen["indicator_code"].map(by_code["theme_order"])
    chosen["_ind"] = chosen["indicator_code"].map(by_code["sort_order"])
    chosen["_area"] = chosen["area_code"].map(area_order)
    chosen = chosen.sort_values(["_theme", "_ind", "indicator_code", "_head", "_area"])

    # the points of the chosen figures' SPC charts: their series' published values
    series = publish.read(
        db,
        key,
        PUBLISHED_AUDIENCE[audience],
        indicators=sorted(set(chosen["indicator_code"])),
        areas=sorted(set(chosen["area_code"])),
        columns=publish.SERIES_COLUMNS,
    )

    def number(x) -> float | None:
        return None if x is None or pd.isna(x) else float(x)

    def make_item(v: dict) -> Item:
        ind = by_code.loc[v["indicator_code"]]
        chart = publish.spc_chart(v, series)
        return Item(
            indicator_code=v["indicator_code"],
            indicator_title=ind["title"],
            theme_name=ind["theme_name"],
            area_code=v["area_code"],
            area_name=names.get(v["area_code"], v["area_code"]),
            unit=ind["unit"],
            unit_words=_unit_words(ind["unit"], ind["multiplier"]),
            polarity=ind["polarity"],
            data_kind=demo_labels.kind_of(v["data_kind"], ind["data_kind"]),
            value=number(v["value"]),
            lower=number(v["lower"]),
            upper=number(v["upper"]),
            target=number(v["target"]),
            benchmark_value=number(v["benchmark_value"]),
            rag=v["rag"],
            label=v["label"],
            critical=bool(v["critical"]),
            periods_off_track=int(v["periods_off_track"]),
            reasons=list(v["reasons"]),
            plan_state=plan_state.get(v["indicator_code"], NONE_YET),
            value_text=v["value_text"],
            target_text=v["target_text"],
            status_text=v["status_text"],
            hidden=v["hidden"] or "",
            spc_message=chart.attrs.get("message", ""),
            series=chart.tail(13).reset_index(drop=True),
            trajectory=db.current_trajectory(v["indicator_code"], v["area_code"]),
        )

    pan_rows = {
        r["indicator_code"]: r
        for r in verdicts[verdicts["area_code"] == PAN_LANCASHIRE].to_dict("records")
    }
    items: list[Item] = []
    sections: list[Section] = []
    for code in dict.fromkeys(chosen["indicator_code"]):
        areas = [make_item(v) for v in chosen[chosen["indicator_code"] == code].to_dict("records")]
        items.extend(areas)
        pan = next((i for i in areas if i.area_code == PAN_LANCASHIRE), None)
        if pan is None and code in pan_rows:
            pan = make_item(pan_rows[code])
        planned = [i for i in areas if i.trajectory and i.area_code != PAN_LANCASHIRE]
        ind = by_code.loc[code]
        # demo when any figure in the section is (as for an aggregate)
        section_kind = (
            demo_labels.combine(i.data_kind for i in [pan, *areas] if i is not None)
            or ind["data_kind"]
        )
        sections.append(
            Section(
                indicator_code=code,
                indicator_title=ind["title"],
                theme_name=ind["theme_name"],
                data_kind=section_kind,
                headline=pan,
                areas=areas,
                charts=([pan] if pan is not None else [])[:1] + planned[:MAX_PLAN_CHARTS],
            )
        )

    overdue = []
    if audience == "board" and not register.empty:
        ids = [int(i) for i in register["plan_id"].dropna()]
        contents = db.latest_plan_contents(ids)
        for r in register.itertuples(index=False):
            if pd.isna(r.plan_id) or r.plan_state == "closed":
                continue
            for a in tracking.overdue_actions(contents.get(int(r.plan_id), {}), today):
                overdue.append(
                    {
                        "Indicator": r.indicator_title,
                        "Area": r.plan_area_name,
                        "Plan": int(r.plan_id),
                        "Action": a["description"],
                        "Owner organisation": a["owner_org"],
                        "Owner": a["owner"],
                        "Due": a["due_date"],
                        "Days overdue": a["days_overdue"],
                        "Status": a["status"],
                    }
                )
    overdue_df = pd.DataFrame(
        overdue,
        columns=[
            "Indicator",
            "Area",
            "Plan",
            "Action",
            "Owner organisation",
            "Owner",
            "Due",
            "Days overdue",
            "Status",
        ],
    )

    fig = verdicts
    figures = pd.DataFrame(
        {
            "Indicator code": fig["indicator_code"],
            "Indicator": fig["indicator_code"].map(titles),
            "Area code": fig["area_code"],
            "Area": fig["area_code"].map(names),
            "Period": fig["period_label"],
            "Unit": fig["unit"],
            "Figure": fig["value_text"],
            "Value": fig["value"],
            "95% CI lower": fig["lower"],
            "95% CI upper": fig["upper"],
            "Numerator": fig["numerator"],
            "Denominator": fig["denominator"],
            "Target": fig["target"],
            "Target text": fig["target_text"],
            "Status": fig["status_text"],
            "Critical": np.where(fig["critical"].astype(bool), "yes", "no"),
            "Data": fig["data_kind"],
            "Reasons": [" ".join(r) for r in fig["reasons"]],
        }
    )
    if audience == "public":
        figures["Hidden"] = [
            v if h else "" for v, h in zip(fig["value_text"], fig["hidden"], strict=True)
        ]
    figures["_t"] = figures["Indicator code"].map(by_code["theme_order"])
    figures["_i"] = figures["Indicator code"].map(by_code["sort_order"])
    figures["_a"] = figures["Area code"].map(area_order)
    figures = figures.sort_values(["_t", "_i", "Indicator code", "_a"]).drop(
        columns=["_t", "_i", "_a"]
    )

    notes = [
        "RAG: on track, at risk (within the amber tolerance) or off track against each "
        "indicator's target; without a target, compared with Lancashire as a whole by 95% "
        "confidence intervals.",
        f"Critical: off track for {settings['critical_consecutive_off_track']} periods "
        "running, or a special-cause concern with failing SPC assurance; a recovery plan is "
        "then required.",
        "Statistical process control follows NHS England's Making Data Count (XmR charts).",
        f"Figures as published for data version {key.split('-')[0].lstrip('v')}: the same "
        "figures, statuses and words as the dashboard.",
    ]
    demo = bool((verdicts["data_kind"] == demo_labels.DEMO).any())
    if demo:
        notes.insert(
            0,
            "DEMO DATA: figures marked demo are synthetic, generated to "
            "demonstrate the dashboard; they are not real Lancashire "
            "statistics.",
        )
    if audience == "public":
        threshold = int(settings["suppression_threshold"])
        notes.append(
            f"Prepared for publication: {left_out} restricted indicator"
            f"{'s are' if left_out != 1 else ' is'} left out; counts of 1 to {threshold - 1}, "
            "and any figure from which one could be worked out, are not shown."
        )
    try:
        force_position, partnership_position = relative_position(csa_config.data_dir(settings))
        notes.append(RELATIVE_SOURCE)
    except FileNotFoundError as exc:  # the national tables are bundled; say so if not
        force_position, partnership_position = pd.DataFrame(), pd.DataFrame()
        notes.append(f"Lancashire's relative position is left out: {exc}.")
    return BoardPack(
        period=period,
        previous_period=previous,
        audience=audience,
        prepared_on=today,
        organisation=str(settings.get("organisation", "")),
        headline_area=names.get(PAN_LANCASHIRE, PAN_LANCASHIRE),
        summary=_summary(verdicts, inds),
        items=items,
        sections=sections,
        plans=register,
        overdue_actions=overdue_df,
        changes=_changes(verdicts, previous_verdicts, headline, titles, names),
        figures=figures.reset_index(drop=True),
        demo_data=demo,
        restricted_left_out=left_out if audience == "public" else 0,
        notes=notes,
        force_position=force_position,
        partnership_position=partnership_position,
    )
