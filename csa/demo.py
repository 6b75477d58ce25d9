"""A clearly labelled synthetic demonstration series for indicators with no public data.

No public, bundleable quarterly series exists for most CSA indicators (they come from
partners' own systems through the quarterly returns). So that the dashboard can be shown
and its statistics exercised, this module generates DEMO figures: every row it makes has
``data_kind = "demo"``, and every screen that shows them says "demo data".

The magnitudes are realistic and anchored on real figures where we have them:

* violence with injury and possession of weapons are scaled so that each area's four
  quarters to June 2025 are about its real Home Office count for the year ending June 2025;
* other counts are annual rates per 1,000 residents (ONS mid-year populations) scaled by
  each area's real total recorded crime rate relative to pan-Lancashire (damped), so that
  Blackpool, Blackburn with Darwen and Burnley sit above Ribble Valley as in reality;

Indicators with a real series (``data_kind="real"`` in :mod:`csa.catalogue`, e.g. ASB-01,
anti-social behaviour from police.uk) get no synthetic figures at all: :func:`generate`
refuses to make any.

Seasonality, trends and a few deliberate stories (violence rising in East Lancashire from
2025, drug treatment completions falling in the South, deliberate fires up in the West)
give the assessment engine real work. The generator is deterministic (fixed seed), and
``data/demo_observations.csv`` is its output; ``python -m csa demo`` regenerates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from csa.areas import population_for_year, value_from_parts
from csa.catalogue import INDICATORS
from csa.periods import quarters

SEED = 20261121
FIRST_QUARTER = (2021, 1)
LAST_QUARTER = (2026, 2)  # Jul-Sep 2026: the latest quarter with figures


@dataclass(frozen=True)
class Story:
    """A multiplicative change from quarter index ``start`` for some areas."""

    areas: tuple[str, ...]
    start: int
    step: float  # added to the factor per quarter since start (a ramp)
    cap: float = 0.3


@dataclass(frozen=True)
class Spec:
    code: str
    per_1000_year: float | None = None  # count level when not anchored
    anchor_column: str | None = None  # real recorded-crime column to anchor on
    seasonal: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    trend_per_year: float = 0.0  # e.g. -0.03 for a 3% fall a year
    area_elasticity: float = 0.7  # how strongly the real crime rate shapes the level
    proportion: float | None = None  # for percentages: the base proportion
    proportion_trend_per_year: float = 0.0
    denominator_per_1000_quarter: float | None = None
    stories: tuple[Story, ...] = field(default_factory=tuple)


EAST = ("E06000008", "E07000117", "E07000120", "E07000122", "E07000124", "E07000125")
WEST = ("E06000009", "E07000119", "E07000121", "E07000128")
SOUTH = ("E07000118", "E07000123", "E07000126", "E07000127")
BURNLEY = ("E07000117",)

SPECS = {
    s.code: s
    for s in [
        Spec("DA-01", per_1000_year=28.0, seasonal=(1.02, 1.06, 0.98, 0.94), trend_per_year=0.04),
        Spec(
            "DA-02",
            proportion=0.104,
            proportion_trend_per_year=0.004,
            denominator_per_1000_quarter=4.2,
        ),
        Spec(
            "VIO-01",
            anchor_column="violence_with_injury",
            seasonal=(1.04, 1.07, 0.98, 0.91),
            trend_per_year=-0.03,
            stories=(Story(EAST, 15, 0.05, 0.35), Story(BURNLEY, 16, 0.02, 0.1)),
        ),
        Spec(
            "VIO-02",
            anchor_column="possession_of_weapons_offences",
            trend_per_year=-0.04,
            stories=(Story(SOUTH, 14, 0.02, 0.15),),
        ),
        Spec("EXP-01", per_1000_year=2.4, seasonal=(1.0, 1.05, 1.02, 0.93), trend_per_year=-0.05),
        Spec("EXP-02", per_1000_year=0.35, trend_per_year=0.06),
        Spec("SOC-01", per_1000_year=0.12, trend_per_year=0.03, area_elasticity=1.0),
        Spec(
            "ROAD-01",
            per_1000_year=0.55,
            seasonal=(0.98, 1.05, 1.04, 0.93),
            trend_per_year=-0.045,
            area_elasticity=0.0,
        ),
        Spec(
            "ASB-02",
            per_1000_year=2.2,
            seasonal=(1.45, 1.15, 0.75, 0.65),
            trend_per_year=-0.04,
            stories=(Story(WEST, 16, 0.05, 0.3),),
        ),
        Spec("ALC-01", per_1000_year=6.5, trend_per_year=0.02),
        Spec(
            "DRG-01",
            proportion=0.345,
            denominator_per_1000_quarter=0.9,
            stories=(Story(SOUTH, 16, -0.035, 0.2),),
        ),
        Spec("REO-01", proportion=0.257, denominator_per_1000_quarter=0.6),
    ]
}


def real_series_codes() -> set[str]:
    """Catalogue indicators that have a real series, so must never get demo figures."""
    return {ind["code"] for ind in INDICATORS if ind.get("data_kind", "demo") == "real"}


def _story_factor(spec: Spec, area: str, t: int) -> float:
    factor = 1.0
    for story in spec.stories:
        if area in story.areas and t >= story.start:
            ramp = (
                min(story.step * (t - story.start + 1), story.cap)
                if story.step > 0
                else max(story.step * (t - story.start + 1), -story.cap)
            )
            factor *= 1.0 + ramp
    return factor


def generate(populations: pd.DataFrame, crime: pd.DataFrame) -> pd.DataFrame:
    """Generate the demo observations.

    Parameters
    ----------
    populations : DataFrame
        area_code, year, population (the real ONS mid-year estimates).
    crime : DataFrame
        The real recorded-crime table (rows with row_type == "csp"; lad_code and the
        offence-group columns).
    """
    clash = sorted(set(SPECS) & real_series_codes())
    if clash:
        raise ValueError(f"no demo figures for indicators with a real series: {clash}")
    rng = np.random.default_rng(SEED)
    periods = quarters(FIRST_QUARTER, LAST_QUARTER)
    csp = crime[crime["row_type"] == "csp"].set_index("lad_code")
    areas = sorted(csp.index)
    pop22 = population_for_year(populations, 2022).set_index("area_code")["population"]
    crime_rate = csp["total_recorded_crime_excl_fraud"] / pop22.reindex(csp.index)
    relative = crime_rate / (csp["total_recorded_crime_excl_fraud"].sum() / pop22.sum())

    catalogue = {ind["code"]: ind for ind in INDICATORS}
    anchor_t = 14.5  # middle of the year ending June 2025 (quarters 13 to 16)
    rows = []
    for code, spec in SPECS.items():
        ind = catalogue[code]
        for area in areas:
            for t, period in enumerate(periods):
                q = int(period["label"][-1])
                year = period["start_date"].year
                pop = float(
                    population_for_year(populations[populations["area_code"] == area], year)[
                        "population"
                    ].iloc[0]
                )
                years_from_anchor = (t - anchor_t) / 4
                story = _story_factor(spec, area, t)
                if spec.proportion is not None:
                    den = rng.poisson(
                        spec.denominator_per_1000_quarter * pop / 1000 * relative[area] ** 0.5
                    )
                    p = spec.proportion + spec.proportion_trend_per_year * years_from_anchor
                    p = float(np.clip(p * story, 0.01, 0.99))
                    num = rng.binomial(den, p)
                else:
                    if spec.anchor_column:
                        level = csp.loc[area, spec.anchor_column] / 4
                    else:
                        level = (
                            spec.per_1000_year
                            / 1000
                            * pop
                            / 4
                            * relative[area] ** spec.area_elasticity
                        )
                    mean = (
                        level
                        * spec.seasonal[q - 1]
                        * (1 + spec.trend_per_year) ** years_from_anchor
                        * story
                    )
                    num = rng.poisson(max(mean, 0.0))
                    den = pop if ind["unit"] == "rate" else np.nan
                if ind["unit"] == "count":
                    den = np.nan
                value = value_from_parts(num, den, ind["unit"], ind["multiplier"])
                rows.append(
                    {
                        "indicator_code": code,
                        "area_code": area,
                        "period_label": period["label"],
                        "numerator": float(num),
                        "denominator": float(den),
                        "value": round(float(value), 6),
                        "status": "provisional" if t == len(periods) - 1 else "final",
                        "data_kind": "demo",
                    }
                )
    return pd.DataFrame(rows)
