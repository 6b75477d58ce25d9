"""Disclosure control for the public: small counts, and every cell that would reveal one.

Primary suppression: a count (or the numerator behind a rate or percentage) of 1 to
``threshold - 1`` (setting ``suppression_threshold``, default 5) is not shown; zero is shown.

Complementary suppression: the public also sees grouping totals (policing areas,
Lancashire-12, pan-Lancashire), and a hidden cell must not be recoverable from what is
shown. Each shown figure is a linear equation over the base areas' numerators (a base area
is its own numerator; a grouping is the sum of its members'); a hidden cell is recoverable
exactly when its own equation is a combination of the shown ones, i.e. when adding it does
not raise the rank of the shown equations. While any hidden cell is recoverable, a shown
cell whose hiding protects it is hidden too: the smallest of at least twice the threshold
less one, so that what the labels and whole numbers say cannot narrow the small cell (never a
zero where another cell protects: see :func:`_complement_order`; a base area before a
grouping on a tie). This is the audit of the ONS disclosure control guidance for tables with
totals, done exactly rather than by the "one hidden member per grouping" rule of thumb, so it
also protects across overlapping groupings (a district in a policing area, in Lancashire-12
and in pan-Lancashire).

Rates and percentages are protected through their numerators: a figure's numerator is its
rate times its (public) denominator, so the same equations hold.

Each hidden cell carries why: ``"primary"`` (it is itself fewer than the threshold, and may
be labelled so) or ``"complementary"`` (hidden only to protect another cell: it must not be
labelled "fewer than 5").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PRIMARY = "primary"
COMPLEMENTARY = "complementary"


def primary(numerators: pd.Series, threshold: int) -> pd.Series:
    """True where a numerator is a small count (0 < n < threshold counts too: zero is shown)."""
    if threshold <= 0:
        return pd.Series(False, index=numerators.index)
    n = pd.to_numeric(numerators, errors="coerce")
    return n.notna() & (n > 0) & (n < threshold)


def _base_members(members: pd.DataFrame) -> dict[str, set[str]]:
    """Each grouping's base areas, nested groupings expanded."""
    direct = members.groupby("group_code")["member_code"].apply(list).to_dict()

    def expand(code: str, seen: frozenset) -> set[str]:
        out: set[str] = set()
        for m in direct.get(code, []):
            if m in direct and m not in seen:
                out |= expand(m, seen | {m})
            elif m not in direct:
                out.add(m)
        return out

    return {g: expand(g, frozenset({g})) for g in direct}


def _rank(rows: list[np.ndarray]) -> int:
    return int(np.linalg.matrix_rank(np.vstack(rows))) if rows else 0


def _recoverable(vector: np.ndarray, shown: list[np.ndarray], shown_rank: int) -> bool:
    return _rank([*shown, vector]) == shown_rank


def _vectors(areas: list[str], groups: dict[str, set[str]]) -> list[np.ndarray]:
    """Each cell's equation over the base areas present (a grouping sums its members)."""
    base = sorted({m for a in areas for m in groups.get(a, {a})})
    col = {a: i for i, a in enumerate(base)}
    out = []
    for area in areas:
        v = np.zeros(len(base))
        for m in groups.get(area, {area}):
            if m in col:
                v[col[m]] = 1.0
        out.append(v)
    return out


def _exposed(vectors: list[np.ndarray], hidden: list[bool], has_value: list[bool]) -> list[int]:
    """Positions of hidden cells that the shown ones reveal."""
    shown = [v for v, h, ok in zip(vectors, hidden, has_value, strict=True) if not h and ok]
    r = _rank(shown)
    return [i for i, h in enumerate(hidden) if h and _recoverable(vectors[i], shown, r)]


def _complement_order(numerators: list[float], areas, groups, threshold: int):
    """The order in which shown cells are tried as a complement: first cells of at least
    ``2 * threshold - 1``, smallest first, then the rest from the largest down, zeros last.

    A complement must protect against what the public can infer, not only against exact
    subtraction: counts are whole and not negative, "fewer than 5" says 1-4, and "hidden to
    protect a small number" says 0 or at least 5. A zero complement protects nothing (Fylde's
    homicide 1 + unlawful driving 0 = 1 gives homicide = 1), and a small one little (1 + 5 =
    6 gives 1). With a complement of at least 2t - 1 beside a cell of 1 to t - 1, the hidden
    total is at least 2t, so the small cell can be anything from 1 to t - 1.
    """
    big = 2 * threshold - 1

    def key(i):
        n = numerators[i]
        tier = 0 if n >= big else 1 if n > 0 else 2
        return (tier, n if tier == 0 else -n, areas[i] in groups, areas[i])

    return key


def _small_hidden_total(
    vectors: list[np.ndarray],
    numerators: list[float],
    hidden: list[bool],
    has_value: list[bool],
    threshold: int,
) -> tuple[int, list[int]] | None:
    """A shown cell whose hidden remainder is a small total, and the shown cells inside it.

    For a shown cell g, the public knows g minus the shown cells inside it: the total of the
    hidden ones there. When that total is 1 to ``threshold - 1`` the hidden cells are small
    together (two hidden counts adding up to 3 are each 1 or 2), so one more cell must be
    hidden. Returns (g, the shown cells inside g) or None."""
    base_value: dict[int, float] = {}
    for v, n, ok in zip(vectors, numerators, has_value, strict=True):
        if ok and v.sum() == 1:
            base_value[int(np.argmax(v))] = n
    for g, (vg, hg, okg) in enumerate(zip(vectors, hidden, has_value, strict=True)):
        if hg or not okg or vg.sum() < 2:
            continue
        inside = [
            i
            for i, (v, h, ok) in enumerate(zip(vectors, hidden, has_value, strict=True))
            if i != g and ok and not h and v.sum() and ((v > 0) <= (vg > 0)).all()
        ]
        covered = np.zeros_like(vg, dtype=bool)
        for i in inside:
            covered |= vectors[i] > 0
        rest = (vg > 0) & ~covered
        if not rest.any() or not all(int(j) in base_value for j in np.flatnonzero(rest)):
            continue
        if not any(
            h and ((v > 0) <= rest).all() and v.sum() for v, h in zip(vectors, hidden, strict=True)
        ):
            continue
        total = sum(base_value[int(j)] for j in np.flatnonzero(rest))
        if 0 < total < threshold:
            return g, inside
    return None


def _one_period(
    areas: list[str],
    numerators: list[float],
    reasons: list[str],
    groups: dict[str, set[str]],
    threshold: int = 5,
) -> list[str]:
    """Reasons ("" shown, primary, complementary) for one period's cells, given the primary
    ones: hide the fewest small cells until nothing hidden is recoverable."""
    vectors = _vectors(areas, groups)
    reasons = list(reasons)
    has_value = [not pd.isna(n) for n in numerators]
    while True:
        hidden = [bool(r) for r in reasons]
        exposed = _exposed(vectors, hidden, has_value)
        if not exposed:
            small = _small_hidden_total(vectors, numerators, hidden, has_value, threshold)
            if small is None:
                return reasons
            g, inside = small
            key = _complement_order(numerators, areas, groups, threshold)
            reasons[min(inside, key=key) if inside else g] = COMPLEMENTARY
            continue
        target = exposed[0]
        shown_idx = [i for i, r in enumerate(reasons) if not r and has_value[i]]
        order = sorted(shown_idx, key=_complement_order(numerators, areas, groups, threshold))
        choice = None
        for i in order:
            rest = [vectors[j] for j in shown_idx if j != i]
            if not _recoverable(vectors[target], rest, _rank(rest)):
                choice = i
                break
        if choice is None:  # no single cell protects it: hide the smallest one it shares with
            support = vectors[target] > 0
            sharing = [i for i in order if (vectors[i][support] > 0).any()] or order
            choice = sharing[0]
        reasons[choice] = COMPLEMENTARY


def reasons(
    frame: pd.DataFrame,
    members: pd.DataFrame,
    threshold: int,
    exempt=frozenset(),
    hidden: pd.Series | None = None,
) -> pd.Series:
    """Why each row of ``frame`` is hidden from the public: "" (shown), "primary" or
    "complementary".

    Parameters
    ----------
    frame : DataFrame
        One indicator's figures with columns area_code, period_label, numerator; base areas
        and groupings together (as :func:`csa.areas.with_aggregates` makes).
    members : DataFrame
        group_code, member_code.
    threshold : int
        Counts below this are suppressed; 0 turns suppression off.
    exempt : set of str, optional
        Area codes that are not places (e.g. ``UNASSIGNED``: a force's records with no
        location): never small cells themselves, though they stay in the equations of the
        groupings they belong to.
    hidden : Series of str, optional
        Reasons already decided (aligned with ``frame``; "" for none), e.g. by an audit of
        another hierarchy: those cells stay hidden with their reason and are protected too.

    Returns
    -------
    Series of str aligned with ``frame``.
    """
    out = pd.Series("", index=frame.index, dtype=object)
    if threshold <= 0:
        return out
    flags = primary(frame["numerator"], threshold) & ~frame["area_code"].isin(set(exempt))
    out[flags] = PRIMARY
    if hidden is not None:
        before = hidden.reindex(frame.index).fillna("").astype(object)
        out[before != ""] = before[before != ""]
    flags = out != ""
    if not flags.any():
        return out
    groups = _base_members(members)
    for _period, idx in frame.groupby("period_label", sort=False).groups.items():
        sub = frame.loc[idx]
        if not flags.loc[idx].any():
            continue
        areas = [str(a) for a in sub["area_code"]]
        nums = pd.to_numeric(sub["numerator"], errors="coerce").tolist()
        why = _one_period(areas, nums, [out[i] for i in idx], groups, threshold)
        out.loc[idx] = why
    return out


def _part_members(parts: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(parent, c) for parent, children in parts.items() for c in children],
        columns=["group_code", "member_code"],
    )


def reasons_with_parts(
    frame: pd.DataFrame,
    members: pd.DataFrame,
    parts: dict[str, tuple[str, ...]],
    threshold: int,
    exempt=frozenset(),
) -> pd.Series:
    """Why each row of ``frame`` is hidden from the public, when indicators add up to others
    as well as areas to groupings ("" shown, "primary" or "complementary").

    A table with totals both ways: the areas of one indicator add up to their groupings
    (``members``), and the parts of one area and period add up to their parent indicator
    (``parts``, e.g. :data:`csa.catalogue.INDICATOR_PARTS`: homicide is a part of violence
    against the person). Each way is audited exactly by :func:`reasons` (the indicator codes
    standing as the cells of the second), a cell hidden by one audit is hidden in the other
    (where its shown neighbours may then need hiding too), and the two audits alternate
    until nothing changes. Only the indicators and areas touched by the last round are
    audited again.

    Parameters
    ----------
    frame : DataFrame
        indicator_code, area_code, period_label, numerator: every indicator, base areas and
        groupings together.
    members : DataFrame
        group_code, member_code (areas).
    parts : dict
        Parent indicator code -> its parts' codes (nested parents allowed); the numerators
        must add up.
    threshold : int
        Counts below this are suppressed; 0 turns suppression off.
    exempt : set of str, optional
        Area codes that are not places (see :func:`reasons`): none of their cells is a
        small cell of its own, in either audit.

    Returns
    -------
    Series of str aligned with ``frame``.
    """
    why = pd.Series("", index=frame.index, dtype=object)
    if threshold <= 0 or frame.empty:
        return why
    exempt = set(exempt)
    part_members = _part_members(parts)
    in_parts = frame["indicator_code"].isin(set(part_members["group_code"]) | set(
        part_members["member_code"]))  # fmt: skip
    by_indicator = frame.groupby("indicator_code", sort=False).groups
    by_area = frame[in_parts].groupby("area_code", sort=False).groups
    todo_indicators, todo_areas = set(by_indicator), set(by_area)
    while todo_indicators or todo_areas:
        # areas within their groupings, one indicator at a time
        for code in [c for c in by_indicator if c in todo_indicators]:
            idx = by_indicator[code]
            sub = frame.loc[idx, ["area_code", "period_label", "numerator"]]
            found = reasons(sub, members, threshold, exempt, hidden=why.loc[idx])
            new = found[(why.loc[idx] == "") & (found != "")]
            why.loc[new.index] = new
            todo_areas |= set(frame.loc[new.index.intersection(in_parts[in_parts].index),
                                        "area_code"])  # fmt: skip
        todo_indicators = set()
        # parts within their parent indicator, one area (each period apart) at a time
        for area in [a for a in by_area if a in todo_areas]:
            idx = by_area[area]
            sub = pd.DataFrame(
                {
                    "area_code": frame.loc[idx, "indicator_code"],
                    "period_label": frame.loc[idx, "period_label"],
                    "numerator": frame.loc[idx, "numerator"],
                }
            )
            not_small = set(sub["area_code"]) if area in exempt else set()
            found = reasons(sub, part_members, threshold, not_small, hidden=why.loc[idx])
            new = found[(why.loc[idx] == "") & (found != "")]
            why.loc[new.index] = new
            todo_indicators |= set(frame.loc[new.index, "indicator_code"])
        todo_areas = set()
    return why


def suppress(frame: pd.DataFrame, members: pd.DataFrame, threshold: int) -> pd.Series:
    """Which rows of ``frame`` to hide from the public (see :func:`reasons`)."""
    return reasons(frame, members, threshold) != ""


def recoverable_cells(frame: pd.DataFrame, members: pd.DataFrame, hidden: pd.Series) -> list:
    """The (area_code, period_label) of hidden rows that the shown rows of the same period
    reveal by addition and subtraction: the disclosure check that the tests run on everything
    published. ``hidden``: bool Series aligned with ``frame``."""
    groups = _base_members(members)
    out = []
    for period, idx in frame.groupby("period_label", sort=False).groups.items():
        sub = frame.loc[idx]
        areas = [str(a) for a in sub["area_code"]]
        has_value = pd.to_numeric(sub["numerator"], errors="coerce").notna().tolist()
        flags = [bool(hidden[i]) for i in idx]
        out.extend((areas[i], period) for i in _exposed(_vectors(areas, groups), flags, has_value))
    return out
