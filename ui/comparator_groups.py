"""Comparator groups on the Cost of crime page: each group's ranking, and for analysts the
controls to upload, replace and delete groups (the logic is in :mod:`csa.comparators`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from csa import comparators, disclosure, formatting, national
from csa.access import PermissionDenied

FLASH = "_comparator_flash"


def _held(group: comparators.ComparatorGroup, show_who: bool) -> str:
    if not group.uploaded:
        return "bundled with the app"
    who = group.uploaded_by if show_who else "an analyst"
    return f"uploaded by {who}, {group.uploaded_at:%d %b %Y}"


@st.cache_resource(show_spinner=False, max_entries=256)
def _group_table(
    name: str, level: str, members: tuple[str, ...], folder: str, offence: str, _group
) -> pd.DataFrame:
    """:func:`csa.comparators.group_table`, once per group (its name, level and members) and
    offence group (shared: do not modify)."""
    return comparators.group_table(_group, Path(folder), offence)


def why_hidden(codes, counts, withheld: dict, *, public: bool, threshold: int) -> list[str]:
    """Why each national count (by area code) is hidden from this viewer, "" if shown: the
    published flag of our figure for it (``withheld``, :func:`csa.national.withheld`), or for
    the public a count below ``threshold`` that has none."""
    small = disclosure.primary(pd.Series(list(counts)), threshold)
    return [
        withheld.get(code) or (f"fewer than {threshold}" if public and s_ else "")
        for code, s_ in zip(codes, small, strict=True)
    ]


def _ranks(why, ranks, of, noun: str = "") -> list[str]:
    """Each rank as "3 of 34", "not ranked" where the count is hidden (``why``), or "not
    ranked (no population)"."""
    return [
        "not ranked"
        if w
        else f"{int(r)} of {int(n)}{noun}"
        if pd.notna(r)
        else "not ranked (no population)"
        for w, r, n in zip(why, ranks, of, strict=True)
    ]


def _rates(why, rates) -> list[str]:
    """Each rate per 1,000, or why the count is hidden, or "no population"."""
    return [
        w or (formatting.figure(v, "rate") if pd.notna(v) else "no population")
        for w, v in zip(why, rates, strict=True)
    ]


def show(
    groups,
    data_dir: Path,
    offence: str,
    *,
    public: bool,
    threshold: int,
    show_who: bool,
    withheld: dict | None = None,
):
    """One table per group: a force group ranks its forces; a partnership group ranks
    Lancashire's partnerships among the group's partnerships. A count of ours hidden from
    this viewer (``withheld``: {national area code: why}, :func:`csa.national.withheld`;
    for the public also one below ``threshold``) shows why, and is not ranked."""
    withheld = withheld or {}
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(flash)
    for group in groups:
        try:
            gt = _group_table(
                group.name, group.level, group.members, str(data_dir), offence, group
            ).copy(deep=False)
        except ValueError as exc:  # an uploaded code no longer in the national tables
            st.warning(f"{group.name} cannot be shown: {exc}")
            continue
        st.markdown(f"**{group.name}** ({group.source}, {group.vintage}; {_held(group, show_who)})")
        if group.level == "force":
            why = why_hidden(gt["area_code"], gt["count"], withheld, public=False, threshold=0)
            view = gt.assign(
                Rank=_ranks(why, gt["rank"], gt["of"]),
                **{"Rate per 1,000": gt["rate"].round(1)},
            ).rename(columns={"area_name": "Force", "count": "Recorded crimes"})
            if any(why):  # Lancashire's count hidden from this viewer: the columns in words
                view["Recorded crimes"] = formatting.counts_or_why(why, view["Recorded crimes"])
                view["Rate per 1,000"] = _rates(why, gt["rate"])
            columns = ["Rank", "Force", "Recorded crimes", "Rate per 1,000"]
        else:
            ours = gt[gt["pfa_code"] == national.LANCASHIRE_FORCE].copy()
            if ours.empty:
                st.caption("None of Lancashire's partnerships is in this group.")
                continue
            why = why_hidden(
                ours["area_code"], ours["count"], withheld, public=public, threshold=threshold
            )
            ours["Rank"] = _ranks(why, ours["rank"], ours["of"], " partnerships")
            ours["Recorded crimes"] = formatting.counts_or_why(why, ours["count"])
            ours["Rate per 1,000"] = _rates(why, ours["rate"])
            view = ours.rename(columns={"area_name": "Partnership"})
            columns = ["Rank", "Partnership", "Recorded crimes", "Rate per 1,000"]
        st.dataframe(view[columns], hide_index=True, width="stretch")


def editor(db, actor, data_dir: Path, groups) -> None:
    """Analysts: upload a CSV of groups (checked whole, previewed, then saved) or delete an
    uploaded group. Problems are shown in plain words, never as a stack trace."""
    with st.expander("Add or replace a comparator group"):
        st.markdown(
            "Upload a CSV with the columns **group, level, member_code, source, vintage** "
            "(one row per member; level is `force` or `csp`; member codes as in the Home "
            "Office tables, or `*` for every area of the level). A group of the same name "
            "that was uploaded before is replaced wholly; the bundled groups cannot be "
            "replaced. Every change is audited."
        )
        upload = st.file_uploader("Comparator groups (CSV)", type=["csv"], key="comparator_csv")
        if upload is not None:
            content = upload.getvalue()
            try:
                parsed = comparators.parse_upload(content, upload.name, data_dir)
            except comparators.GroupFileError as exc:
                _problems(exc)
            else:
                held = {g.name for g in groups if g.uploaded}
                st.dataframe(
                    pd.DataFrame(
                        {
                            "Group": [g.name for g in parsed],
                            "Level": [g.level for g in parsed],
                            "Members": [
                                f"every {g.level}" if g.everyone else ", ".join(g.members)
                                for g in parsed
                            ],
                            "Source": [g.source for g in parsed],
                            "Vintage": [g.vintage for g in parsed],
                            "On saving": [
                                "replaces the uploaded group" if g.name in held else "added"
                                for g in parsed
                            ],
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )
                if st.button("Save the comparator groups", key="comparator_save"):
                    _act(
                        lambda: comparators.save_uploaded(
                            db, actor, content, upload.name, data_dir
                        ),
                        lambda out: "; ".join(f"{n}: {w}" for n, w in out.items()) + ".",
                    )
        uploaded = [g.name for g in groups if g.uploaded]
        if uploaded:
            name = st.selectbox("Uploaded group", uploaded, key="comparator_delete_name")
            if st.button("Delete the uploaded group", key="comparator_delete"):
                _act(
                    lambda: comparators.delete_uploaded(db, actor, name, data_dir),
                    lambda _out: f"{name}: deleted.",
                )


def _problems(exc: comparators.GroupFileError) -> None:
    st.error(exc.summary + "".join(f"\n- {p}" for p in exc.problems))


def _act(change, message) -> None:
    try:
        result = change()
    except comparators.GroupFileError as exc:
        _problems(exc)
    except PermissionDenied as exc:
        st.error(str(exc))
    else:
        st.session_state[FLASH] = message(result)
        st.rerun()
