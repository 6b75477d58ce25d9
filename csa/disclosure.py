"""Small-count suppression for the public view, with secondary suppression.

Primary: a count (or the numerator behind a rate or percentage) below the threshold
(setting ``suppression_threshold``, default 5) is not shown; the public sees "<5".

Secondary: a grouping's total is shown (policing areas, Lancashire-12, pan-Lancashire),
so if exactly one member of a grouping is suppressed, it could be worked out as the total
minus the others. In every grouping with a shown total and exactly one suppressed member,
the smallest other member is suppressed too; this repeats until nothing changes (the
standard "complementary suppression" of the ONS disclosure control guidance). Where a
grouping's own total is below the threshold, the total is suppressed instead.
"""

from __future__ import annotations

import pandas as pd


def primary(numerators: pd.Series, threshold: int) -> pd.Series:
    """True where a numerator is a small count (0 < n < threshold counts too: zero is shown)."""
    if threshold <= 0:
        return pd.Series(False, index=numerators.index)
    n = pd.to_numeric(numerators, errors="coerce")
    return n.notna() & (n > 0) & (n < threshold)


def suppress(frame: pd.DataFrame, members: pd.DataFrame, threshold: int) -> pd.Series:
    """Which rows of ``frame`` to suppress for the public.

    Parameters
    ----------
    frame : DataFrame
        One indicator's figures with columns area_code, period_label, numerator; base areas
        and groupings together (as :func:`csa.areas.with_aggregates` makes).
    members : DataFrame
        group_code, member_code.
    threshold : int
        Counts below this are suppressed; 0 turns suppression off.

    Returns
    -------
    Series of bool aligned with ``frame``.
    """
    flags = primary(frame["numerator"], threshold)
    if threshold <= 0 or not flags.any():
        return flags
    groups = members.groupby("group_code")["member_code"].apply(list).to_dict()
    for _period, idx in frame.groupby("period_label").groups.items():
        sub = frame.loc[idx]
        by_area = dict(zip(sub["area_code"], sub.index, strict=False))
        changed = True
        while changed:
            changed = False
            for group, member_codes in groups.items():
                if group not in by_area:
                    continue
                if flags[by_area[group]]:
                    continue  # the total itself is hidden, nothing to derive from it
                rows = [by_area[m] for m in member_codes if m in by_area]
                hidden = [r for r in rows if flags[r]]
                if len(hidden) != 1:
                    continue
                shown = [r for r in rows if not flags[r] and pd.notna(frame.at[r, "numerator"])]
                if not shown:
                    continue
                smallest = min(shown, key=lambda r: frame.at[r, "numerator"])
                flags[smallest] = True
                changed = True
    return flags
