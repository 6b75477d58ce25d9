"""Build the bundled dataset from ``data/`` and load it, idempotently.

Everything real comes from the files listed in ``data/PROVENANCE.md``; the demo series
comes from ``data/demo_observations.csv`` (see :mod:`csa.demo`) and is marked ``demo``.
Loading is one transaction: reference rows that are missing are added, and figures are
written as revisions only where they differ from the current ones, so running it twice
changes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import insert, select

from csa.areas import (
    LANCASHIRE_12,
    PAN_LANCASHIRE,
    POLICING_AREAS,
    UNASSIGNED,
    population_for_year,
    value_from_parts,
)
from csa.catalogue import (
    EDITION,
    INDICATORS,
    ORGANISATIONS,
    RECORDED_CRIME_GROUPS,
    RECORDED_CRIME_PERIOD,
    RECORDED_CRIME_SOURCE,
    THEMES,
)
from csa.db import Database, utcnow
from csa.models import Upload
from csa.periods import quarters
from csa.strategic.costs import bundled_unit_cost_rows

SEED_USER = "system:bundled-data"
FILES = {
    "lookup": "lancashire_areas_lookup.csv",
    "population": "lancashire_population_mye.csv",
    "crime": "lancashire_recorded_crime_csp_ye_jun2025.csv",
    "deprivation": "lancashire_indices_of_deprivation_lad.csv",
    "context": "lancashire_ons_subnational_indicators_lad.csv",
    "demo": "demo_observations.csv",
    "unit_costs": "unit_costs_of_crime_2015_16.csv",
}
BOUNDARY_FILES = {
    "lad": "lancashire_lad_dec2023_bgc.geojson",
    "csp": "lancashire_csp_dec2023_bgc.geojson",
    "pfa": "lancashire_pfa_dec2023_bgc.geojson",
}
POPULATION_SOURCE = "ONS mid-year population estimates (Nomis NM_2002_1), all persons, all ages"
PERIOD_RANGE = ((2021, 1), (2026, 4))


class BundleError(ValueError):
    """A bundled data file is missing or not as expected."""


def _read(data_dir: Path, key: str) -> pd.DataFrame:
    path = data_dir / FILES[key]
    if not path.exists():
        raise BundleError(f"{path}: bundled data file is missing (see data/PROVENANCE.md)")
    return pd.read_csv(path, dtype={"period": str})


def bundle_sha256(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in sorted(FILES.values()):
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def build_areas(lookup: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    pa_code = {v: k for k, v in POLICING_AREAS.items()}
    rows, members = [], []
    for i, r in enumerate(lookup.sort_values("lad_name").itertuples(index=False)):
        kind = "unitary" if str(r.lad_code).startswith("E06") else "district"
        rows.append(
            {
                "code": r.lad_code,
                "name": r.lad_name,
                "kind": kind,
                "csp_code": r.csp_code,
                "policing_area": pa_code[r.policing_area],
                "authority_type": r.authority_type,
                "sort_order": 100 + i,
            }
        )
        members.append({"group_code": pa_code[r.policing_area], "member_code": r.lad_code})
        members.append({"group_code": PAN_LANCASHIRE, "member_code": r.lad_code})
        if kind == "district":
            members.append({"group_code": LANCASHIRE_12, "member_code": r.lad_code})
    for i, (code, name) in enumerate(POLICING_AREAS.items()):
        rows.append(
            {
                "code": code,
                "name": f"{name} policing area",
                "kind": "policing_area",
                "csp_code": None,
                "policing_area": code,
                "authority_type": None,
                "sort_order": 10 + i,
            }
        )
    rows.append(
        {
            "code": LANCASHIRE_12,
            "name": "Lancashire-12 (county council area)",
            "kind": "county",
            "csp_code": None,
            "policing_area": None,
            "authority_type": "county",
            "sort_order": 2,
        }
    )
    rows.append(
        {
            "code": PAN_LANCASHIRE,
            "name": "Pan-Lancashire (14 areas)",
            "kind": "pan",
            "csp_code": None,
            "policing_area": None,
            "authority_type": "police force area",
            "sort_order": 1,
        }
    )
    rows.append(
        {
            "code": UNASSIGNED,
            "name": "Unassigned Lancashire",
            "kind": "unassigned",
            "csp_code": None,
            "policing_area": None,
            "authority_type": "police figures not assigned to a CSP",
            "sort_order": 999,
        }
    )
    members.append({"group_code": PAN_LANCASHIRE, "member_code": UNASSIGNED})
    return pd.DataFrame(rows), pd.DataFrame(members)


def build_indicators() -> tuple[pd.DataFrame, pd.DataFrame]:
    inds, targets = [], []
    for i, spec in enumerate(INDICATORS):
        inds.append(
            {
                "code": spec["code"],
                "title": spec["title"],
                "definition": spec["definition"],
                "theme_code": spec["theme"],
                "unit": spec["unit"],
                "multiplier": spec["multiplier"],
                "polarity": spec["polarity"],
                "frequency": "quarterly",
                "source": spec["source"],
                "lead_org_code": spec["lead"],
                "lead_role": spec["lead_role"],
                "public": spec["public"],
                "data_kind": "demo",
                "notes": "DEMO DATA: synthetic figures generated for demonstration (csa/demo.py); "
                "not real Lancashire statistics."
                + (
                    f" SPC limits re-phased at {spec['rephase'][0]}: {spec['rephase'][1]}."
                    if spec.get("rephase")
                    else ""
                ),
                "spc_rephase": spec["rephase"][0] if spec.get("rephase") else "",
                "sort_order": i,
            }
        )
        if spec["target"]:
            ttype, tvalue, baseline, tol = spec["target"]
            targets.append(
                {
                    "indicator_code": spec["code"],
                    "area_code": None,
                    "target_type": ttype,
                    "target_value": tvalue,
                    "baseline_period": baseline,
                    "tolerance_pct": tol,
                    "valid_from": None,
                    "note": "",
                }
            )
    for i, (_col, code, title) in enumerate(RECORDED_CRIME_GROUPS):
        inds.append(
            {
                "code": code,
                "title": title,
                "definition": f"{title} recorded by Lancashire Constabulary in the year ending June "
                "2025, per 1,000 residents (ONS mid-2022 population).",
                "theme_code": "REC",
                "unit": "rate",
                "multiplier": 1000,
                "polarity": "low_is_good",
                "frequency": "annual",
                "source": RECORDED_CRIME_SOURCE,
                "lead_org_code": "LANCS-POLICE",
                "lead_role": "Head of Analysis",
                "public": True,
                "data_kind": "real",
                "spc_rephase": "",
                "notes": "Real figures. 'Unassigned Lancashire' crimes count toward pan-Lancashire "
                "only, so the force total reconciles to 128,435.",
                "sort_order": 100 + i,
            }
        )
    return pd.DataFrame(inds), pd.DataFrame(targets)


def build_periods() -> pd.DataFrame:
    rows = quarters(*PERIOD_RANGE)
    rows.append(
        {
            "label": RECORDED_CRIME_PERIOD,
            "start_date": date(2024, 7, 1),
            "end_date": date(2025, 6, 30),
            "frequency": "annual",
            "financial_year": "2024-25",
        }
    )
    return pd.DataFrame(rows)


def build_crime_observations(crime: pd.DataFrame, populations: pd.DataFrame) -> pd.DataFrame:
    """Real recorded crime per CSP (and Unassigned) as rates per 1,000, checked to reconcile."""
    force = crime[crime["row_type"] == "police_force_area_total"]
    parts = crime[crime["row_type"].isin(["csp", "unassigned"])]
    if len(force) != 1 or len(parts) != 15:
        raise BundleError(f"{FILES['crime']}: expected 1 force row and 15 CSP/unassigned rows")
    pop = population_for_year(populations, 2025).set_index("area_code")["population"]
    rows = []
    for col, code, _title in RECORDED_CRIME_GROUPS:
        total = int(force[col].iloc[0])
        if int(parts[col].sum()) != total:
            raise BundleError(
                f"{FILES['crime']}: {col} of the CSPs and Unassigned add up to "
                f"{int(parts[col].sum())}, not the force total {total}"
            )
        for r in parts.itertuples(index=False):
            area = UNASSIGNED if r.row_type == "unassigned" else r.lad_code
            num = float(getattr(r, col))
            den = float(pop[area]) if area in pop.index else None
            rows.append(
                {
                    "indicator_code": code,
                    "area_code": area,
                    "period_label": RECORDED_CRIME_PERIOD,
                    "numerator": num,
                    "denominator": den,
                    "value": value_from_parts(num, den, "rate", 1000) if den else None,
                    "status": "final",
                    "data_kind": "real",
                }
            )
    return pd.DataFrame(rows)


def build_bundle(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of the bundled dataset, ready for :meth:`Database.load_reference`."""
    lookup = _read(data_dir, "lookup")
    populations = _read(data_dir, "population").rename(columns={"lad_code": "area_code"})
    crime = _read(data_dir, "crime")
    areas, members = build_areas(lookup)
    indicators, targets = build_indicators()
    dep = (
        _read(data_dir, "deprivation")
        .rename(
            columns={
                "lad_code": "area_code",
                "iod_edition": "edition",
                "index_domain": "domain",
                "number_of_lads_ranked": "lads_ranked",
            }
        )
        .drop(columns=["lad_name"])
    )
    ctx = (
        _read(data_dir, "context")
        .rename(columns={"lad_code": "area_code", "ons_geography_level": "geography_level"})
        .drop(columns=["lad_name"])
    )
    ctx["period"] = ctx["period"].astype(str)
    ctx.insert(0, "id", range(1, len(ctx) + 1))
    demo = _read(data_dir, "demo")
    demo = demo[demo["data_kind"] == "demo"]
    pops = populations[["area_code", "year", "population"]].assign(source=POPULATION_SOURCE)
    return {
        "organisations": pd.DataFrame(ORGANISATIONS, columns=["code", "name"]),
        "areas": areas,
        "area_members": members,
        "populations": pops,
        "editions": pd.DataFrame([EDITION]),
        "themes": pd.DataFrame(
            [
                {
                    "code": c,
                    "edition_id": EDITION["id"],
                    "name": n,
                    "kind": k,
                    "description": d,
                    "sort_order": i,
                }
                for i, (c, n, k, d) in enumerate(THEMES)
            ]
        ),
        "indicators": indicators,
        "targets": targets.assign(id=range(1, len(targets) + 1)),
        "periods": build_periods(),
        "deprivation": dep,
        "context_indicators": ctx,
        "unit_costs": bundled_unit_cost_rows(data_dir, entered_by=SEED_USER, entered_at=utcnow()),
        "observations": pd.concat(
            [build_crime_observations(crime, populations), demo], ignore_index=True
        ),
    }


def seed(db: Database, data_dir: Path) -> dict:
    """Migrate the database and load the bundled data; a second run changes nothing."""
    bundle = build_bundle(data_dir)
    sha = bundle_sha256(data_dir)
    db.migrate()
    with db.transaction() as conn:
        added = db.load_reference(conn, bundle)
        already = conn.execute(
            select(Upload.id).where(Upload.kind == "seed", Upload.sha256 == sha)
        ).first()
        counts = {"new": 0, "changed": 0, "unchanged": len(bundle["observations"])}
        if already is None:
            upload_id = conn.execute(
                insert(Upload)
                .values(
                    kind="seed",
                    file_name="bundled data (data/)",
                    sha256=sha,
                    content=None,
                    user_email=SEED_USER,
                    created_at=utcnow(),
                    outcome="committed",
                    rows_total=len(bundle["observations"]),
                    message="Bundled real public data and the labelled demo series",
                )
                .returning(Upload.id)
            ).scalar_one()
            counts = db.write_revisions(
                conn, bundle["observations"], upload_id=upload_id, user_email=SEED_USER
            )
            conn.execute(
                Upload.__table__.update()
                .where(Upload.id == upload_id)
                .values(
                    rows_new=counts["new"],
                    rows_changed=counts["changed"],
                    rows_unchanged=counts["unchanged"],
                )
            )
        changed = any(added.values()) or counts["new"] or counts["changed"]
        if changed:
            db.audit(
                conn,
                SEED_USER,
                "seed",
                "bundled data",
                detail={"reference_rows_added": added, "observations": counts, "sha256": sha},
            )
    # The labelled DEMO strategic assessment rounds (csa/strategic/demo.py); they are
    # created once, when missing, so a second run changes nothing.
    from csa.strategic.demo import seed_demo_rounds

    seed_demo_rounds(db)
    return {
        "reference_rows_added": added,
        "observations": counts,
        "sha256": sha,
        "changed": bool(changed),
    }
