"""A summary of what the database holds, for ``python -m csa info`` and monitoring."""

from __future__ import annotations

import calendar
import re

import pandas as pd

from csa import demo_labels
from csa.db import Database

#: Comparators held for indicators, beyond pan-Lancashire (which every indicator has):
#: the national recorded-crime tables (csa.national) and the bundled comparator groups.
NATIONAL_COMPARATORS = ["England and Wales", "England", "North West"]


def comparators_for(code: str, group_names: list[str]) -> list[str]:
    """The benchmarks held for an indicator: pan-Lancashire for every one, and for the Home
    Office recorded-crime groups (REC-*) England and Wales, England, the North West and
    each comparator group (bundled or uploaded by an analyst)."""
    held = ["Pan-Lancashire"]
    if str(code).startswith("REC-"):
        held += NATIONAL_COMPARATORS + list(group_names)
    return held


def series_periods(observations: pd.DataFrame, periods: pd.DataFrame) -> dict[str, dict]:
    """Per indicator: the first and last period with a figure, how many periods have one,
    the latest period with a real (not demo) figure (None when all are demo), and what its
    current figures are (``kind``: :func:`csa.demo_labels.summary`, "demo", "real" or
    "mixed").

    This is what a page should default to for an indicator: its latest real period.
    """
    if observations.empty:
        return {}
    start = dict(zip(periods["label"], pd.to_datetime(periods["start_date"]), strict=True))
    obs = observations[["indicator_code", "period_label", "data_kind"]].drop_duplicates()
    obs = obs.assign(_start=obs["period_label"].map(start)).sort_values("_start")
    out = {}
    for code, grp in obs.groupby("indicator_code", sort=False):
        labels = list(dict.fromkeys(grp["period_label"]))
        real = grp[grp["data_kind"] == "real"]
        out[code] = {
            "first": labels[0],
            "last": labels[-1],
            "count": len(labels),
            "latest_real": str(real["period_label"].iloc[-1]) if not real.empty else None,
            "kind": demo_labels.summary(set(grp["data_kind"])),
        }
    return out


def latest_real_periods(db: Database) -> dict[str, str | None]:
    """Each indicator's latest period with a real figure (None if it has only demo ones)."""
    spans = series_periods(db.series_kinds(), db.periods())
    return {code: span["latest_real"] for code, span in spans.items()}


def inventory(db: Database) -> dict:
    """Areas, indicators, periods with figures (oldest first) and observation counts."""
    areas = db.areas()
    base = areas[areas["kind"].isin(["district", "unitary"])]
    names = dict(zip(areas["code"], areas["name"], strict=True))
    indicators = db.indicators()
    obs = db.observations()
    periods = db.periods()
    with_figures = periods[periods["label"].isin(set(obs["period_label"]))]
    revisions = db.scalar_count_revisions()
    spans = series_periods(obs, periods)
    try:
        from csa import comparators
        from csa.config import data_dir

        groups = [g.name for g in comparators.all_groups(db, data_dir())]  # bundled, uploaded
    except (FileNotFoundError, ValueError):
        groups = []
    return {
        "areas": [
            {
                "code": r.code,
                "name": r.name,
                "policing_area": names.get(r.policing_area, r.policing_area).replace(
                    " policing area", ""
                )
                if r.policing_area
                else None,
            }
            for r in base.itertuples(index=False)
        ],
        "indicators": [
            {
                "code": r.code,
                "title": r.title,
                "theme": r.theme_name,
                "unit": r.unit,
                "polarity": r.polarity,
                "lead_organisation": r.lead_organisation,
                "public": bool(r.public),
                "data_kind": r.data_kind,
                "frequency": r.frequency,
                "periods": {k: spans.get(r.code, {}).get(k) for k in ("first", "last", "count")},
                "latest_real_period": spans.get(r.code, {}).get("latest_real"),
                "comparators": comparators_for(r.code, groups),
            }
            for r in indicators.itertuples(index=False)
        ],
        "periods": {"labels": list(with_figures["label"])},
        "observations": {
            "count": int(len(obs)),
            "real": int((obs["data_kind"] == "real").sum()),
            "demo": int((obs["data_kind"] == "demo").sum()),
            "revisions": int(revisions),
        },
    }


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def period_words(label: str) -> str:
    """A period in words: "October 2022" for a month label ``YYYY-MM``; quarters and years
    keep their label ("2024-25 Q2", "YE Jun 2025")."""
    m = _MONTH.match(str(label))
    if not m or not 1 <= int(m.group(2)) <= 12:
        return str(label)
    return f"{calendar.month_name[int(m.group(2))]} {m.group(1)}"


def latest_words(label: str, stale: bool, source_name: str | None, demo: bool = False) -> str:
    """How old an indicator's latest figure is, in words: "latest: October 2022"; when it is
    older than the indicator's frequency allows, why ("Latest figure is October 2022: no
    newer police.uk data is bundled")."""
    when = period_words(label)
    if not stale:
        return f"latest: {when}" + (" (demo data)" if demo else "")
    if demo or not source_name:
        return f"Latest figure is {when}: no newer figure has been returned"
    return f"Latest figure is {when}: no newer {source_name} data is bundled"
