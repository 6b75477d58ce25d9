"""Which areas drive a grouping's change or shortfall: an exact additive decomposition.

A grouping's figure (a policing area, pan-Lancashire) is built from its members' numerators
and denominators (:mod:`csa.areas`), so its change can be split exactly among the members.

Change between two periods (``0`` = the earlier, ``t`` = the later)
    *Counts*: member *i* contributes its own change, ``n_i,t - n_i,0``. These sum to the
    grouping's change because the grouping's count is the sum of its members' counts.

    *Rates and percentages* (grouping value ``R = m * sum(n) / sum(d)``): member *i*
    contributes ``m * (n_i,t / D_t - n_i,0 / D_0)``, where ``D`` is the grouping's total
    denominator in that period. Summing over members gives
    ``m * (N_t / D_t - N_0 / D_0) = R_t - R_0`` exactly. Each contribution is the change in
    the member's events expressed against the whole grouping's population, so a large area
    whose events rise moves the grouping more than a small one with the same rate change; a
    member whose population grows while its events do not contributes a small fall. Members
    with a numerator but no denominator (Unassigned police figures) add their events only.

Shortfall against a target ``T`` in period ``t``
    *Rates and percentages*: member *i* contributes ``m * (n_i,t - T/m * d_i,t) / D_t``: its
    events above (or below) what the target rate would give its population, per head of the
    grouping. These sum to ``R_t - T`` exactly.

    *Counts*: member *i* contributes ``n_i,t - T * w_i`` where ``w_i`` is its share of the
    grouping's count in the earlier period (the shares sum to 1), so these sum to
    ``N_t - T``: each area is expected to carry the share of the target it carried of the
    total a year before.

A positive contribution pushes the grouping's figure up. Whether that is good depends on the
indicator's polarity.

Shares
    Each contribution is given as a share of the **total rise** (when it pushes the figure
    up) or of the **total fall** (when it pulls it down): the sum of the contributions with
    its own sign. The shares of the rises add up to 100%, and so do the shares of the falls.
    When every area moves the same way this is simply its share of the change; when areas
    move in opposite directions, a share of the *net* change would mislead (an area could
    "explain" -363% of a small net change), so rises and falls are explained separately
    (:func:`describe`).

References
----------
Kitagawa, E. M. (1955), "Components of a difference between two rates", *Journal of the
American Statistical Association* 50(272), 1168-1194 (additive rate decomposition).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from csa import formatting

METHODS = {
    "count_change": "Each area's change in its count; these add up to the total change.",
    "rate_change": "Each area's change in events per head of the whole grouping: "
    "multiplier x (area events now / grouping population now - area events a "
    "year before / grouping population a year before); these add up exactly "
    "to the change in the grouping's rate.",
    "rate_shortfall": "Each area's events above what the target rate would give its "
    "population, per head of the whole grouping; these add up exactly to "
    "the gap between the grouping's rate and the target.",
    "count_shortfall": "Each area's count less its share of the target (its share of the "
    "grouping's count a year before); these add up to the gap between "
    "the grouping's count and the target.",
}


class ContributionError(ValueError):
    """The figures needed for the decomposition are incomplete."""


@dataclass(frozen=True)
class Decomposition:
    """Members' contributions to a grouping's change (or shortfall)."""

    group_code: str
    basis: str  # "change" | "shortfall"
    method: str  # a key of METHODS
    from_period: str
    to_period: str
    from_value: float  # the grouping's earlier figure (the target, for a shortfall)
    to_value: float
    total: float  # to_value - from_value
    rows: pd.DataFrame = field(repr=False)  # area_code, from_value, to_value, contribution

    @property
    def explained(self) -> float:
        return float(self.rows["contribution"].sum())


def _member_frame(
    observations: pd.DataFrame, members: list[str], periods: list[str], unit: str
) -> pd.DataFrame:
    obs = observations[
        observations["area_code"].isin(members) & observations["period_label"].isin(periods)
    ].copy()
    obs["numerator"] = pd.to_numeric(obs["numerator"], errors="coerce")
    obs["denominator"] = (
        pd.to_numeric(obs["denominator"], errors="coerce") if "denominator" in obs else np.nan
    )
    reporting = sorted(set(observations.loc[observations["area_code"].isin(members), "area_code"]))
    for period in periods:
        here = obs[obs["period_label"] == period]
        have = set(here.loc[here["numerator"].notna(), "area_code"])
        missing = [m for m in reporting if m not in have]
        if missing:
            raise ContributionError(
                f"no figure for {', '.join(missing)} in {period}, so "
                f"the grouping's change cannot be split among its areas"
            )
        if unit != "count":
            bad = here[
                here["numerator"].notna()
                & here["denominator"].isna()
                & (here["area_code"] != "UNASSIGNED")
            ]
            if not bad.empty:
                raise ContributionError(
                    f"no denominator for {', '.join(bad['area_code'])} in {period}"
                )
    return obs


def _pivot(obs: pd.DataFrame, column: str, members: list[str], period: str) -> pd.Series:
    here = obs[obs["period_label"] == period].set_index("area_code")[column]
    return here.reindex(members).astype(float)


def decompose(
    observations: pd.DataFrame,
    members,
    unit: str,
    multiplier: float,
    from_period: str,
    to_period: str,
    group_code: str = "",
    target: float | None = None,
) -> Decomposition:
    """Split a grouping's change from ``from_period`` to ``to_period`` among its members, or,
    with ``target``, its shortfall against the target in ``to_period``.

    Parameters
    ----------
    observations : DataFrame
        One indicator's base-area figures: area_code, period_label, numerator, denominator.
    members : iterable of str
        The grouping's member area codes.
    unit : {"count", "rate", "percentage"}
    multiplier : float
        1 for counts, 1,000 for a rate per 1,000, 100 for a percentage.
    from_period, to_period : str
        The earlier and later period labels (for a shortfall, ``from_period`` supplies the
        count shares only).
    target : float, optional
        Decompose ``value_t - target`` instead of ``value_t - value_0``.

    Returns
    -------
    Decomposition
        ``rows`` has one row per member that reports for this indicator, with the member's
        own figures (from_value, to_value) and its contribution; contributions sum exactly
        (to floating-point rounding) to ``total``.

    Raises
    ------
    ContributionError
        When a member has no figure in either period.
    """
    if unit not in ("count", "rate", "percentage"):
        raise ValueError(f"unit must be 'count', 'rate' or 'percentage', not {unit!r}")
    members = list(dict.fromkeys(members))
    obs = _member_frame(observations, members, [from_period, to_period], unit)
    members = [m for m in members if m in set(obs["area_code"])]
    if not members:
        raise ContributionError(f"no member of {group_code or 'the grouping'} has figures")
    mult = float(multiplier)
    n0, nt = (
        _pivot(obs, "numerator", members, from_period),
        _pivot(obs, "numerator", members, to_period),
    )
    if unit == "count":
        v0, vt = n0, nt
        total_0, total_t = float(n0.sum()), float(nt.sum())
        if target is None:
            contribution, method = nt - n0, "count_change"
        else:
            if total_0 <= 0:
                raise ContributionError(
                    f"the grouping's count in {from_period} is zero, so "
                    "its areas' shares of the target are not defined"
                )
            contribution, method = nt - float(target) * n0 / total_0, "count_shortfall"
    else:
        d0 = _pivot(obs, "denominator", members, from_period).fillna(0.0)
        dt = _pivot(obs, "denominator", members, to_period).fillna(0.0)
        big_d0, big_dt = float(d0.sum()), float(dt.sum())
        if big_d0 <= 0 or big_dt <= 0:
            raise ContributionError("the grouping's denominator is zero")
        with np.errstate(divide="ignore", invalid="ignore"):
            v0 = pd.Series(np.where(d0 > 0, n0 / d0 * mult, np.nan), index=members)
            vt = pd.Series(np.where(dt > 0, nt / dt * mult, np.nan), index=members)
        total_0, total_t = float(n0.sum()) / big_d0 * mult, float(nt.sum()) / big_dt * mult
        if target is None:
            contribution, method = mult * (nt / big_dt - n0 / big_d0), "rate_change"
        else:
            contribution = mult * (nt - float(target) / mult * dt) / big_dt
            method = "rate_shortfall"
    start = total_0 if target is None else float(target)
    rows = pd.DataFrame(
        {
            "area_code": members,
            "from_value": v0.to_numpy(),
            "to_value": vt.to_numpy(),
            "contribution": contribution.to_numpy(),
        }
    )
    rows = rows.sort_values("contribution", ascending=False, key=abs).reset_index(drop=True)
    total = total_t - start
    rows["direction"], rows["share"] = directional_shares(rows["contribution"])
    return Decomposition(
        group_code=group_code,
        basis="change" if target is None else "shortfall",
        method=method,
        from_period=from_period,
        to_period=to_period,
        from_value=start,
        to_value=total_t,
        total=total,
        rows=rows,
    )


def directional_shares(contributions) -> tuple[list[str], list[float | None]]:
    """Each contribution's direction ("rise", "fall" or "none") and its share (0 to 1) of the
    total rise or the total fall (the sum of the contributions of its own sign), so that the
    shares of the rises add up to 1 and so do the shares of the falls. A zero contribution
    has no share (None)."""
    values = [float(c) for c in contributions]
    rise = sum(c for c in values if c > 0)
    fall = sum(c for c in values if c < 0)
    directions, shares = [], []
    for c in values:
        if c > 0:
            directions.append("rise")
            shares.append(c / rise)
        elif c < 0:
            directions.append("fall")
            shares.append(c / fall)
        else:
            directions.append("none")
            shares.append(None)
    return directions, shares


def describe(rows, unit: str, group_name: str, top: int = 3) -> list[str]:
    """Which areas drove the change, in words: the areas that pushed the figure up as shares
    of the total rise, and those that pulled it down as shares of the total fall (each set
    adds up to 100%). ``rows``: dicts or a frame with area_name and contribution; sizes in
    the indicator's unit (percentage points for percentages, :func:`csa.formatting.difference`).
    """
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
    names = [r["area_name"] for r in records]
    values = [float(r["contribution"]) for r in records]
    directions, shares = directional_shares(values)
    lines = []
    for direction, verb in (("rise", "pushed it up"), ("fall", "pulled it down")):
        part = [
            (n, v, s)
            for n, v, d, s in zip(names, values, directions, shares, strict=True)
            if d == direction
        ]
        if not part:
            continue
        part.sort(key=lambda x: -abs(x[1]))
        size = formatting.difference(sum(v for _n, v, _s in part), 0, unit)
        shown = [f"{n} {formatting.share(s, 1)}" for n, _v, s in part[:top]]
        if len(part) > top:
            rest = sum(s for _n, _v, s in part[top:])
            shown.append(f"{len(part) - top} other areas {formatting.share(rest, 1)}")
        what = "rise" if direction == "rise" else "fall"
        lines.append(
            f"In {group_name}, {len(part)} area{'s' if len(part) != 1 else ''} {verb} by "
            f"{size} in all; shares of that total {what}: {', '.join(shown)}."
        )
    return lines
