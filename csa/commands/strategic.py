"""``strategic``: the strategic assessment from the command line.

    python -m csa strategic list
    python -m csa strategic show --round "Strategic assessment 2026" [--area E07000117]
    python -m csa strategic export --round "Strategic assessment 2026" -o matrix.xlsx
    python -m csa strategic import matrix.xlsx --round "Strategic assessment 2026" \\
        --user analyst@example.org
    python -m csa strategic new-round "Strategic assessment 2027" --year 2027 \\
        --copy-from "Strategic assessment 2026" --user analyst@example.org
    python -m csa strategic seed-round
    python -m csa strategic costs [--format csv]
    python -m csa strategic unit-costs
    python -m csa strategic unit-cost "Domestic burglary" 1234 \\
        --source "Heeks et al. (2018), Table 1, p.15" --user analyst@example.org

Exit codes: 0 done, 1 failure, 2 rejected input (nothing written), 3 refused.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from csa import config as csa_config
from csa.access import PermissionDenied
from csa.cli import EXIT_REFUSED, EXIT_REJECTED, CommandError
from csa.commands import open_database
from csa.strategic import costs, matrix_io, rounds
from csa.strategic.demo import seed_demo_rounds
from csa.strategic.results import build
from csa.strategic.scoring import AssessmentError


def register(sub) -> None:
    p = sub.add_parser(
        "strategic",
        help="strategic assessment: ranking matrix, priorities, costs",
        description="Run the strategic assessment: export and import the "
        "ranking matrix, show ranked issues and the county "
        "aggregation, and the estimated cost of crime.",
    )
    cmds = p.add_subparsers(dest="strategic_command", metavar="ACTION", required=True)

    ls = cmds.add_parser("list", help="list the assessment rounds")
    ls.set_defaults(func=run_list)

    show = cmds.add_parser("show", help="ranked issues and the county aggregation")
    show.add_argument("--round", required=True, help="round name")
    show.add_argument("--area", help="a partnership or policing-area code (default: county)")
    show.set_defaults(func=run_show)

    exp = cmds.add_parser("export", help="write the matrix and aggregation to Excel")
    exp.add_argument("--round", required=True, help="round name")
    exp.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    exp.set_defaults(func=run_export)

    imp = cmds.add_parser("import", help="load scores from an Excel matrix (all or nothing)")
    imp.add_argument("file", help="the .xlsx (the Scores sheet of an exported matrix)")
    imp.add_argument("--round", required=True, help="round name")
    imp.add_argument("--user", required=True, help="email of the analyst importing")
    imp.set_defaults(func=run_import)

    new = cmds.add_parser("new-round", help="start a new round")
    new.add_argument("name")
    new.add_argument("--year", required=True, type=int)
    new.add_argument("--copy-from", help="copy the criteria and issues of this round")
    new.add_argument("--user", required=True, help="email of the analyst")
    new.set_defaults(func=run_new_round)

    seed = cmds.add_parser("seed-round", help="add the labelled demo rounds if missing")
    seed.set_defaults(func=run_seed)

    cost = cmds.add_parser("costs", help="estimated cost of recorded crime per area")
    cost.add_argument("--format", choices=("table", "csv"), default="table")
    cost.set_defaults(func=run_costs)

    units = cmds.add_parser("unit-costs", help="the unit costs of crime held, with sources")
    units.set_defaults(func=run_unit_costs)

    unit = cmds.add_parser(
        "unit-cost",
        help="enter or correct one category's unit cost (2015/16 prices) from the report",
    )
    unit.add_argument("category", help="one of: " + ", ".join(costs.REPORT_CATEGORIES))
    unit.add_argument("unit_cost", help="pounds per crime, 2015/16 prices, as published")
    unit.add_argument(
        "--source",
        required=True,
        help="where the figure was read, e.g. 'Heeks et al. (2018), Table 1'",
    )
    unit.add_argument(
        "--precision",
        default="as published",
        help="e.g. 'as published' or 'rounded to £0.1m as reported'",
    )
    unit.add_argument("--user", required=True, help="email of the analyst")
    unit.set_defaults(func=run_unit_cost)


def _open(args):
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("the database is empty: run `python -m csa init` first")
    return db


def _actor(db, email: str, target: str):
    """The registered, enabled user acting (refusals are audited by csa.accounts)."""
    from csa import accounts  # the accounts module (issue 7); imported only when needed

    return _guard(lambda: accounts.get_actor(db, email, action=rounds.ACTION, target=target))


def _guard(action):
    try:
        return action()
    except PermissionDenied as exc:
        raise CommandError(str(exc), EXIT_REFUSED) from exc
    except AssessmentError as exc:
        raise CommandError(str(exc), EXIT_REJECTED) from exc


def run_list(args) -> int:
    db = _open(args)
    df = db.assessment_rounds()
    if df.empty:
        print("No assessment rounds yet.")
        return 0
    print(df[["name", "year", "status", "data_kind"]].to_string(index=False))
    return 0


def run_show(args) -> int:
    db = _open(args)
    res = _guard(lambda: build(db, args.round))
    if res.is_demo:
        print(matrix_io.DEMO_NOTE)
    if args.area:
        table = pd.concat([res.area_ranked, res.pa_ranked])
        table = table[table["area_code"] == args.area]
        if table.empty:
            raise CommandError(
                f"unknown area {args.area!r}: give a partnership code (e.g. "
                "E07000117) or PA-WEST, PA-SOUTH, PA-EAST",
                EXIT_REJECTED,
            )
        print(f"{res.area_names.get(args.area, args.area)}, {res.round['name']}")
        print(
            table[["rank", "issue_name", "weighted_score", "change", "missing"]].to_string(
                index=False
            )
        )
    else:
        print(f"County aggregation, {res.round['name']} (matrix ranks)")
        print(res.county.drop(columns=["partnerships"]).to_string(index=False))
    return 0


def run_export(args) -> int:
    db = _open(args)
    res = _guard(lambda: build(db, args.round))
    content = matrix_io.export_workbook(res, rounds.partnership_codes(db), db.indicators())
    Path(args.output).write_bytes(content)
    print(f"Wrote {args.output} ({res.round['name']}{', DEMO DATA' if res.is_demo else ''})")
    return 0


def run_import(args) -> int:
    db = _open(args)
    path = Path(args.file)
    if not path.exists():
        raise CommandError(f"{path}: no such file", EXIT_REJECTED)
    actor = _actor(db, args.user, f"assessment round {args.round}")
    counts = _guard(
        lambda: matrix_io.import_scores(
            db, actor, args.round, path.read_bytes(), path.name, csa_config.load()
        )
    )
    print(
        f"Imported {path.name} into {args.round}: {counts['new']} new, "
        f"{counts['changed']} changed, {counts['unchanged']} unchanged scores."
    )
    return 0


def run_new_round(args) -> int:
    db = _open(args)
    actor = _actor(db, args.user, f"assessment round {args.name}")
    _guard(lambda: rounds.create_round(db, actor, args.name, args.year, copy_from=args.copy_from))
    print(f"Created {args.name} (open).")
    return 0


def run_seed(args) -> int:
    db = _open(args)
    created = seed_demo_rounds(db)
    print("Created " + ", ".join(created) if created else "The demo rounds are already there.")
    return 0


def run_costs(args) -> int:
    db = _open(args)
    data_dir = csa_config.data_dir()
    table = costs.cost_table(db, data_dir)
    total = table[table["indicator_code"] == "REC-TOTAL"]
    out = total[["area", "count", "costed_count", "cost_2024", "cost_per_1000"]]
    if args.format == "csv":
        out.to_csv(sys.stdout, index=False)
    else:
        print(costs.ESTIMATE_LABEL)
        print(out.to_string(index=False, float_format=lambda x: f"{x:,.0f}"))
        print(f"Source: {costs.SOURCE}")
    return 0


def run_unit_costs(args) -> int:
    db = _open(args)
    held = costs.held_unit_costs(db).set_index("ho_category")
    for category in costs.REPORT_CATEGORIES:
        if category in held.index:
            row = held.loc[category]
            print(
                f"{category}: £{row['unit_cost_gbp']:,.0f} ({row['price_year']} prices, "
                f"{row['precision']}); {row['source']}"
            )
        else:
            print(f"{category}: not held (the groups it costs are not costed)")
    return 0


def run_unit_cost(args) -> int:
    db = _open(args)
    actor = _actor(db, args.user, f"unit cost {args.category}")
    outcome = _guard(
        lambda: costs.set_unit_cost(
            db, actor, args.category, args.unit_cost, args.source, args.precision
        )
    )
    print(f"{args.category}: unit cost {outcome}.")
    return 0
