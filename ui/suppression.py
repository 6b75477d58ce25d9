"""Which figures the public may not see: small counts, with secondary suppression.

A thin UI-side wrapper over :func:`csa.disclosure.suppress` for verdict frames (several
indicators, base areas and groupings). Signed-in viewers see everything; the public (and
the website embed, which is always public) do not see a count below the threshold, the rate
or percentage built on it, nor any other cell that would let it be worked out from a
shown total.
"""

from __future__ import annotations

import pandas as pd

from csa.disclosure import suppress


def hidden_cells(
    verdicts: pd.DataFrame, members: pd.DataFrame, role: str, threshold: int
) -> set[tuple[str, str, str]]:
    """(indicator_code, area_code, period_label) of every cell to withhold from ``role``.

    Parameters
    ----------
    verdicts : DataFrame
        Verdict rows with indicator_code, area_code, period_label and numerator.
    members : DataFrame
        Grouping membership (group_code, member_code).
    role : str
        The viewer's role; only ``"public"`` has anything withheld.
    threshold : int
        Counts below this are withheld; 0 turns suppression off.
    """
    if role != "public" or threshold <= 0 or verdicts.empty:
        return set()
    out: set[tuple[str, str, str]] = set()
    for code, grp in verdicts.groupby("indicator_code", sort=False):
        frame = grp[["area_code", "period_label", "numerator"]].reset_index(drop=True)
        flags = suppress(frame, members, threshold)
        for area, period in frame.loc[flags.to_numpy(), ["area_code", "period_label"]].itertuples(
            index=False
        ):
            out.add((str(code), str(area), str(period)))
    return out
