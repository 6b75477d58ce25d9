"""The open-data API's content: public indicators and their public published figures.

Served by ``serve.py`` at ``/api/v1/indicators`` and ``/api/v1/figures``. Only what the
public dashboard shows leaves here: public indicators, and the ``public`` audience of the
published figures (:mod:`csa.publish`, after disclosure control). A hidden figure keeps
only its labels (``value_text`` and ``status_text`` say why it is hidden): every number,
interval, target and comparison of it is blank. Each figure names its source and licence:
real figures are under the Open Government Licence v3.0; demonstration figures are labelled
``data_kind = demo`` and carry no licence for reuse.

Parameters are checked against the catalogue before any query (bound SQL in
:mod:`csa.db`); anything unknown raises :class:`OpenDataError` with a plain message.
"""

from __future__ import annotations

import json

import pandas as pd

from csa import exports, publish

OGL = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
DEMO_LICENCE = "Demonstration data: invented figures, not for reuse"
LICENCES = {"real": OGL, "demo": DEMO_LICENCE}
FORMATS = ("json", "csv")
MAX_VALUES = 100  # codes per comma-separated parameter

INDICATOR_COLUMNS = [
    "code",
    "title",
    "unit",
    "frequency",
    "polarity",
    "lead_organisation",
    "source",
    "licence",
    "data_kind",
]
FIGURE_COLUMNS = [
    "indicator_code",
    "area_code",
    "period_label",
    "period_start",
    "unit",
    "data_kind",
    "figure_status",
    "hidden",
    "value",
    "lower",
    "upper",
    "numerator",
    "denominator",
    "target",
    "value_text",
    "interval_text",
    "numerator_text",
    "denominator_text",
    "target_text",
    "status_text",
    "comparison_text",
    "source",
    "licence",
]
#: Blanked on a hidden figure (it keeps only value_text and status_text).
HIDDEN_NUMBERS = ["value", "lower", "upper", "numerator", "denominator", "target"]
HIDDEN_TEXTS = [
    "interval_text",
    "numerator_text",
    "denominator_text",
    "target_text",
    "comparison_text",
]


class OpenDataError(ValueError):
    """A request the API cannot answer (unknown indicator, area, period or format)."""


def licence(data_kind: str) -> str:
    return LICENCES.get(data_kind, DEMO_LICENCE)


def indicators(db) -> pd.DataFrame:
    """The public indicators, in catalogue order, with their licence."""
    ind = db.indicators(public_only=True)
    out = ind.assign(licence=ind["data_kind"].map(licence))
    return out[INDICATOR_COLUMNS].reset_index(drop=True)


def _codes(raw: str | None, name: str) -> list[str] | None:
    if raw is None or raw.strip() == "":
        return None
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if len(values) > MAX_VALUES:
        raise OpenDataError(f"Too many values for '{name}': at most {MAX_VALUES}.")
    return values


def _check(values: list[str] | None, known, name: str) -> None:
    if values is None:
        return
    unknown = [v for v in values if v not in known]
    if unknown:
        shown = ", ".join(repr(v[:40]) for v in unknown[:5])
        raise OpenDataError(
            f"Unknown {name} {shown}. See /api/v1/indicators for indicator codes; areas are "
            f"ONS codes such as E07000117; periods are labels such as 2024-25 Q2 or 2024-06."
        )


def check_format(fmt: str | None) -> str:
    fmt = (fmt or "json").strip().lower()
    if fmt not in FORMATS:
        raise OpenDataError(f"Unknown format {fmt[:20]!r}: use format=json or format=csv.")
    return fmt


def figures(
    db,
    settings: dict,
    *,
    indicator: str | None = None,
    area: str | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    """The public published figures of public indicators, filtered by comma-separated
    indicator codes, area codes and period labels (each optional)."""
    wanted_ind, wanted_area, wanted_period = (
        _codes(indicator, "indicator"),
        _codes(area, "area"),
        _codes(period, "period"),
    )
    catalogue = db.indicators(public_only=True)
    _check(wanted_ind, set(catalogue["code"]), "indicator")
    _check(wanted_area, set(db.areas()["code"]), "area")
    key = publish.ensure(db, settings)
    if wanted_period is not None:
        _check(wanted_period, set(db.published_periods(key, "public")), "period")
    df = publish.read(
        db,
        key,
        "public",
        indicators=wanted_ind if wanted_ind is not None else list(catalogue["code"]),
        areas=wanted_area,
        periods=wanted_period,
    )
    source = dict(zip(catalogue["code"], catalogue["source"], strict=True))
    df = df.assign(
        source=df["indicator_code"].map(source),
        licence=df["data_kind"].map(licence),
        period_start=pd.to_datetime(df["period_start"]).dt.strftime("%Y-%m-%d"),
    )
    out = df[FIGURE_COLUMNS].astype(object)
    hidden = out["hidden"] != ""
    out.loc[hidden, HIDDEN_NUMBERS] = None
    out.loc[hidden, HIDDEN_TEXTS] = ""
    return out.where(out.notna(), None).reset_index(drop=True)


LICENCE_NOTE = (
    f"Figures with data_kind 'real' are published under the {OGL} ({OGL_URL}); "
    f"figures with data_kind 'demo' are invented for demonstration and are not for reuse."
)


def as_json(df: pd.DataFrame, **meta) -> bytes:
    """``{"licence": ..., **meta, "count": n, "data": [records]}`` as UTF-8 JSON."""
    records = df.astype(object).where(df.notna(), None).to_dict("records")
    body = {"licence": LICENCE_NOTE, **meta, "count": len(records), "data": records}
    return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")


def as_csv(df: pd.DataFrame) -> bytes:
    """CSV with formula-starting text neutralised (:func:`csa.exports.csv_bytes`)."""
    return exports.csv_bytes(df)
