"""``assess``: the verdict for each indicator and area, with its reasons."""

from __future__ import annotations

import json
import sys

from csa import config as csa_config
from csa.assess import Inputs, assess, latest_period, to_frame
from csa.cli import EXIT_REJECTED, CommandError
from csa.commands import open_database


def register(sub) -> None:
    p = sub.add_parser(
        "assess",
        help="RAG verdicts with reasons (off track, critical)",
        description="Assess indicators: target status, SPC, benchmark and "
        "trend, combined into a RAG verdict with reasons.",
    )
    p.add_argument(
        "--period",
        help="period label, e.g. '2026-27 Q2' (default: the latest quarter with figures)",
    )
    p.add_argument("--area", help="area code, e.g. E07000117 (Burnley) or PA-EAST")
    p.add_argument("--indicator", help="indicator code, e.g. VIO-01")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument(
        "--only",
        choices=("all", "off-track", "critical"),
        default="all",
        help="show only off-track (red) or critical verdicts",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("the database is empty: run `python -m csa init` first")
    inputs = Inputs.from_db(db)
    period = args.period or latest_period(inputs)
    if period not in set(inputs.periods["label"]):
        raise CommandError(
            f"unknown period {period!r}; periods run from "
            f"{inputs.periods['label'].iloc[0]} to "
            f"{inputs.periods['label'].iloc[-1]}",
            EXIT_REJECTED,
        )
    if args.area and args.area not in set(inputs.areas["code"]):
        raise CommandError(
            f"unknown area code {args.area!r}; see `python -m csa info`", EXIT_REJECTED
        )
    if args.indicator and args.indicator not in set(inputs.indicators["code"]):
        raise CommandError(
            f"unknown indicator code {args.indicator!r}; see `python -m csa info`", EXIT_REJECTED
        )
    verdicts = assess(
        inputs,
        csa_config.load(),
        period_labels=[period],
        area_codes=[args.area] if args.area else None,
        indicator_codes=[args.indicator] if args.indicator else None,
    )
    if args.only == "off-track":
        verdicts = [v for v in verdicts if v.rag == "red"]
    elif args.only == "critical":
        verdicts = [v for v in verdicts if v.critical]
    df = to_frame(verdicts)
    names = dict(zip(inputs.areas["code"], inputs.areas["name"], strict=True))
    df.insert(2, "area_name", df["area_code"].map(names))
    if args.format == "json":
        print(
            json.dumps({"period": period, "verdicts": df.to_dict("records")}, default=str, indent=1)
        )
    elif args.format == "csv":
        out = df.copy()
        out["reasons"] = out["reasons"].map(" | ".join)
        out.to_csv(sys.stdout, index=False)
    else:
        print(
            f"Assessment for {period}: {len(df)} verdicts, "
            f"{int((df['rag'] == 'red').sum())} off track, {int(df['critical'].sum())} "
            "critical."
        )
        for r in df.itertuples(index=False):
            crit = " CRITICAL" if r.critical else ""
            demo = " [demo data]" if r.data_kind == "demo" else ""
            print(f"\n{r.indicator_code} {r.area_name}: {r.label.upper()}{crit}{demo}")
            for reason in r.reasons:
                print(f"  - {reason}")
    return 0
