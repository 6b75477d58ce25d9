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
    population_nearest,
    value_from_parts,
)
from csa.catalogue import (
    EDITION,
    INDICATORS,
    ORGANISATIONS,
    POLICE_UK_CATEGORIES,
    POLICE_UK_MONTHS,
    POLICE_UK_SOURCE,
    RECORDED_CRIME_GROUPS,
    RECORDED_CRIME_PERIOD,
    RECORDED_CRIME_SOURCE,
    THEMES,
)
from csa.db import Database, utcnow
from csa.models import Upload
from csa.periods import month_dates, months, parse_month, quarters
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
    "police_uk": "policeuk_street_lancashire_csp_month_crimetype.csv",
    "police_uk_force": "policeuk_street_lancashire_force_month_crimetype_reconciliation.csv",
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
        kind = spec.get("data_kind", "demo")
        rephase = (
            f" SPC limits re-phased at {spec['rephase'][0]}: {spec['rephase'][1]}."
            if spec.get("rephase")
            else ""
        )
        inds.append(
            {
                "code": spec["code"],
                "title": spec["title"],
                "definition": spec["definition"],
                "theme_code": spec["theme"],
                "unit": spec["unit"],
                "multiplier": spec["multiplier"],
                "polarity": spec["polarity"],
                "frequency": spec.get("frequency", "quarterly"),
                "source": spec["source"],
                "lead_org_code": spec["lead"],
                "lead_role": spec["lead_role"],
                "public": spec["public"],
                "data_kind": kind,
                "notes": (
                    POLICE_UK_NOTE
                    if kind == "real"
                    else "DEMO DATA: synthetic figures generated for demonstration "
                    "(csa/demo.py); not real Lancashire statistics."
                )
                + rephase,
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
    for i, (crime_type, code, title) in enumerate(POLICE_UK_CATEGORIES):
        if code in {spec["code"] for spec in INDICATORS}:
            continue  # anti-social behaviour is ASB-01, in the catalogue above
        inds.append(
            {
                "code": code,
                "title": title,
                "definition": f"Crimes in the police.uk category '{crime_type}' published "
                "for the month with a location in the area, per 1,000 residents. Crimes with "
                "no published location, or located outside the 14 areas, count toward "
                "pan-Lancashire only. Not Home Office recorded crime: see About the data.",
                "theme_code": "PUK",
                "unit": "rate",
                "multiplier": 1000,
                "polarity": "low_is_good",
                "frequency": "monthly",
                "source": POLICE_UK_SOURCE,
                "lead_org_code": "LANCS-POLICE",
                "lead_role": "Head of Analysis",
                "public": True,
                "data_kind": "real",
                "spc_rephase": "",
                "notes": POLICE_UK_NOTE,
                "sort_order": 60 + i,
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
    rows = quarters(*PERIOD_RANGE) + months(*POLICE_UK_MONTHS)
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


POLICE_UK_NOTE = (
    "Real figures (police.uk), monthly. 2020-06, 2020-08 and 2020-09 are missing from the "
    "source: they are gaps, not zeros, and a quarter containing one is not summed. Rates per "
    "1,000 use the ONS mid-year estimate nearest each month: mid-2019 for 2019-12, mid-2020 "
    "for 2020-01 to 2021-06, mid-2022 from 2021-07 (no mid-2021 estimate is bundled). The "
    "pan-Lancashire figure is the force file total, including records with no location."
)


def build_police_uk_observations(
    street: pd.DataFrame, force: pd.DataFrame, populations: pd.DataFrame
) -> pd.DataFrame:
    """Real monthly police.uk counts per CSP as rates per 1,000, plus each month's records
    with no location in the 14 areas as "Unassigned" (so pan-Lancashire is the force total).

    Checked first: for every month and crime type, the CSP counts add up to the force file's
    in-area rows, and in-area + no-location + outside rows = all rows in the force file.
    Only months in the source get rows: a month missing from it stays a gap.
    """
    codes = {t: c for t, c, _title in POLICE_UK_CATEGORIES}
    unknown = set(street["crime_type"]) - set(codes)
    if unknown:
        raise BundleError(f"{FILES['police_uk']}: unknown crime types {sorted(unknown)}")
    check = reconcile_police_uk(street, force)
    bad = check[~check["reconciles"]]
    if not bad.empty:
        r = bad.iloc[0]
        raise BundleError(
            f"{FILES['police_uk']}: {r['crime_type']} in {r['month']} does not reconcile "
            f"with {FILES['police_uk_force']} ({len(bad)} month-types in all)"
        )
    rows = []
    for month, grp in street.groupby("month"):
        y, m = parse_month(month)
        start, end = month_dates(y, m)
        mid = start + (end - start) / 2
        pop = population_nearest(populations, mid).set_index("area_code")["population"]
        for r in grp.itertuples(index=False):
            den = float(pop[r.csp_code])
            rows.append(
                {
                    "indicator_code": codes[r.crime_type],
                    "area_code": r.csp_code,
                    "period_label": month,
                    "numerator": float(r.count),
                    "denominator": den,
                    "value": value_from_parts(float(r.count), den, "rate", 1000),
                    "status": "final",
                    "data_kind": "real",
                }
            )
    for r in force.itertuples(index=False):
        rows.append(
            {
                "indicator_code": codes[r.crime_type],
                "area_code": UNASSIGNED,
                "period_label": r.month,
                "numerator": float(r.force_file_rows - r.rows_in_14_csps),
                "denominator": None,
                "value": None,
                "status": "final",
                "data_kind": "real",
            }
        )
    return pd.DataFrame(rows)


def reconcile_police_uk(street: pd.DataFrame, force: pd.DataFrame) -> pd.DataFrame:
    """Per month and crime type: the sum over the CSPs, the force file's columns, and whether
    CSP sum = in-area rows and in-area + no location + outside = force file rows."""
    sums = street.groupby(["month", "crime_type"])["count"].sum().rename("csp_sum")
    out = force.merge(sums.reset_index(), on=["month", "crime_type"], how="outer")
    out["reconciles"] = (out["csp_sum"] == out["rows_in_14_csps"]) & (
        out["rows_in_14_csps"] + out["rows_no_lsoa"] + out["rows_lsoa_outside_lancashire14"]
        == out["force_file_rows"]
    )
    return out


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
    real_codes = set(indicators.loc[indicators["data_kind"] == "real", "code"])
    clash = sorted(set(demo["indicator_code"]) & real_codes)
    if clash:
        raise BundleError(
            f"{FILES['demo']}: demo rows for indicators with a real series ({', '.join(clash)}); "
            "run `python -m csa demo` to regenerate it"
        )
    police_uk = build_police_uk_observations(
        _read(data_dir, "police_uk"),
        _read(data_dir, "police_uk_force"),
        populations,
    )
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
            [build_crime_observations(crime, populations), police_uk, demo], ignore_index=True
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
