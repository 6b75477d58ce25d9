"""Alcohol-related hospital admissions and mortality (OHID Fingertips, Local Alcohol
Profiles for England) as real annual context, with England as the comparator.

Both are **directly standardised rates per 100,000** (age-standardised), as published by
Fingertips: they are shown as published and never recomputed from crude counts, nor added
up across areas (a grouping of standardised rates needs the age-specific counts, which are
not bundled). Fingertips' own significance against England is shown beside ours. Ours
needs the 95% confidence limits of the standardised rate, which the bundled extract does
not hold, so our comparison is "not compared" and the reason is given: that is the only
way the two can disagree, and :func:`significance_table` says so row by row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FILES = {
    "admissions": "fingertips_alcohol_related_admissions_lancashire14_trafforddatalab.csv",
    "mortality": "fingertips_alcohol_related_mortality_lancashire14_trafforddatalab.csv",
}
ENGLAND = "E92000001"
FINGERTIPS_TO_OURS = {"Better": "better", "Similar": "similar", "Worse": "worse"}
NO_LIMITS = (
    "not compared: the bundled Fingertips extract has no confidence limits for the directly "
    "standardised rate, and it is not recomputed from crude counts"
)


def read(data_dir: Path, which: str) -> pd.DataFrame:
    if which not in FILES:
        raise ValueError(f"which must be one of {', '.join(FILES)}, not {which!r}")
    return pd.read_csv(Path(data_dir) / FILES[which], dtype={"period": str})


def significance_table(df: pd.DataFrame) -> pd.DataFrame:
    """Each area and period with England's value, Fingertips' published significance,
    ours, and why they differ (empty when they agree).

    Ours is "not compared" with no confidence limits; with limits (columns ``lower`` and
    ``upper``, when an extract carries them) it is :func:`csa.benchmark.compare`.
    """
    from csa.benchmark import compare

    england = df[df["area_code"] == ENGLAND].set_index("period")["value"]
    areas = df[df["area_code"] != ENGLAND].copy()
    areas["england"] = areas["period"].map(england)
    has_limits = {"lower", "upper"} <= set(areas.columns)
    ours, why = [], []
    for r in areas.to_dict("records"):
        if has_limits:
            o = compare(r["value"], r["lower"], r["upper"], r["england"], "low_is_good")
        else:
            o = "not compared"
        published = FINGERTIPS_TO_OURS.get(str(r["significance"]), "not compared")
        ours.append(o)
        if o == published:
            why.append("")
        elif not has_limits:
            why.append(NO_LIMITS)
        else:
            why.append(
                "Fingertips compares the standardised rate's own confidence limits, which "
                "may differ from the limits given here"
            )
    areas["ours"] = ours
    areas["fingertips"] = areas["significance"]
    areas["why_different"] = why
    return areas[
        [
            "area_code",
            "area_name",
            "period",
            "value",
            "england",
            "fingertips",
            "ours",
            "why_different",
        ]
    ]
