"""A summary of what the database holds, for ``python -m csa info`` and monitoring."""

from __future__ import annotations

from csa.db import Database


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
