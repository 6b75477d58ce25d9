"""``info``: what is loaded (areas, indicators, periods, figures, demo or real)."""

from __future__ import annotations

import json

from csa.commands import open_database
from csa.inventory import inventory


def register(sub) -> None:
    p = sub.add_parser(
        "info",
        help="show what is loaded",
        description="Areas; indicators with their frequency, periods (first, last, count), "
        "latest real period and the comparators held; observation counts.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    db = open_database(args)
    if not db.is_migrated():
        print("The database is empty: run `python -m csa init` first.")
        return 1
    inv = inventory(db)
    if args.json:
        print(json.dumps(inv, indent=2, default=str))
        return 0
    print(f"Database: {db.url}")
    print(f"Areas ({len(inv['areas'])}):")
    for a in inv["areas"]:
        print(f"  {a['code']:<11} {a['name']:<38} {a['policing_area'] or ''}")
    print(f"Indicators ({len(inv['indicators'])}):")
    for i in inv["indicators"]:
        flag = "" if i["public"] else " [restricted]"
        print(
            f"  {i['code']:<12} {i['data_kind']:<5} {i['frequency']:<9} {i['unit']:<10} "
            f"{i['title']}{flag}"
        )
        span = i["periods"]
        print(
            f"      periods: {span['first']} .. {span['last']} ({span['count']})"
            if span["count"]
            else "      periods: none"
        )
        print(f"      latest real period: {i['latest_real_period'] or 'none (demo only)'}")
        print(f"      comparators: {', '.join(i['comparators'])}")
    periods = inv["periods"]["labels"]
    print(
        f"Periods with figures ({len(periods)}): {periods[0]} .. {periods[-1]}"
        if periods
        else "Periods with figures: none"
    )
    obs = inv["observations"]
    print(
        f"Observations: {obs['count']} current figures "
        f"({obs['real']} real, {obs['demo']} demo); {obs['revisions']} revisions in all"
    )
    return 0
