"""Where a figure comes from and how old it is, for the pages: each indicator's latest real
period (worked out once per data version), the age line next to a heading, and links to the
indicator's sources on the About page."""

from __future__ import annotations

from pathlib import Path

from csa import config as csa_config
from csa import inventory, provenance
from ui import data, scorecard
from ui.format import md


def spans(ctx) -> dict[str, dict]:
    """Per indicator: its first, last and latest real period and what its figures are (demo,
    real or mixed): :func:`csa.inventory.series_periods`, worked out once per data version
    and shared (never change it)."""
    return spans_of(ctx.version_key)


def spans_of(version: tuple[str, int]) -> dict[str, dict]:
    """:func:`spans` by data version (``(database url, data version)``), e.g. to make them
    at start-up (:mod:`ui.warm`)."""
    # from one DISTINCT query (each series's periods and kinds), not the observations table
    return data.shared(
        "series spans",
        version,
        lambda: inventory.series_periods(data.series_kinds_of(version), data.periods()),
    )


def latest_real(ctx) -> dict[str, str | None]:
    """Each indicator's latest period with a real figure (None: only demo figures)."""
    return {code: span["latest_real"] for code, span in spans(ctx).items()}


def default_period(ctx, code: str, labels: list[str]) -> str | None:
    """The period a page opens on: the indicator's latest real period, else its latest."""
    real = latest_real(ctx).get(code)
    if real in labels:
        return real
    return labels[-1] if labels else None


def _sources(data_dir: str) -> dict[str, provenance.Source]:
    return provenance.by_id(provenance.read_sources(Path(data_dir)))


def sources() -> dict[str, provenance.Source]:
    """The source register (data/sources.csv), by id."""
    data_dir = str(csa_config.data_dir(data.settings()))
    return data.shared("source register", data_dir, lambda: _sources(data_dir))


def indicator_sources(ind: dict) -> list[provenance.Source]:
    register = sources()
    ids = provenance.sources_for(ind["code"], ind["data_kind"])
    return [register[i] for i in ids if i in register]


def links(ind: dict) -> str:
    """Markdown links to the indicator's sources on the About page ("" when none is known)."""
    return "; ".join(
        f"[{md(s.name)}]({provenance.about_href(s.id)})" for s in indicator_sources(ind)
    )


def age(ctx, ind: dict, label: str | None) -> tuple[str, bool]:
    """How old the indicator's latest figure (``label``) is, in words, and whether it is
    older than its frequency allows."""
    if not label:
        return "", False
    per = data.periods()
    ends = dict(zip(per["label"], per["end_date"], strict=True))
    stale = scorecard.is_stale(
        ends.get(label),
        ind["frequency"],
        data.today(),
        int(ctx.settings["return_due_days"]),
    )
    demo = latest_real(ctx).get(ind["code"]) != label
    found = indicator_sources(ind)
    name = found[0].name if found and found[0].id != provenance.SYNTHETIC else None
    return inventory.latest_words(label, stale, name, demo=demo), stale


def age_markdown(words: str, stale: bool) -> str:
    """The age line as Markdown: a stale figure is flagged with an icon and in bold."""
    sentence = words[:1].upper() + words[1:] + "."
    return f":material/history: **{sentence}**" if stale else f":material/schedule: {sentence}"
