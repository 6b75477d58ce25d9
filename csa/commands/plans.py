"""``plans``: the recovery-plan register, a plan's history, and a plan as a Word document.

The command line runs on the server as an administrator named after the operating-system
login (``cli:<login>`` in the audit log), or as a registered user with ``--user EMAIL``
(that user's role and organisation then apply, and a refusal exits with code 3).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from csa import config as csa_config
from csa.access import Actor, PermissionDenied, can_see_indicator, require
from csa.cli import EXIT_REFUSED, EXIT_REJECTED, CommandError
from csa.commands import open_database


def register(sub) -> None:
    p = sub.add_parser(
        "plans",
        help="critical recovery plans: register, history, export",
        description="Recovery plans for critical indicators.",
    )
    p.add_argument(
        "--user", help="act as this registered user (default: the command line's administrator)"
    )
    cmds = p.add_subparsers(dest="plans_command", metavar="ACTION", required=True)

    ls = cmds.add_parser("list", help="every plan with its state")
    ls.add_argument(
        "--state",
        help="only plans in this state (draft, submitted, approved, returned, monitoring, closed)",
    )
    ls.add_argument("--indicator", help="only plans for this indicator code")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=run_list)

    reg = cmds.add_parser(
        "register",
        help="critical indicators and their plans for a period",
        description="Every indicator x area flagged critical in the period, "
        "with its plan state and flags (overdue plans and "
        "actions, periods below the trajectory).",
    )
    reg.add_argument(
        "--period", help="quarter, e.g. '2026-27 Q2' (default: the latest with figures)"
    )
    reg.add_argument(
        "--today",
        type=date.fromisoformat,
        help="judge overdue as on this date (YYYY-MM-DD; default today)",
    )
    reg.add_argument("--json", action="store_true", help="print JSON")
    reg.set_defaults(func=run_register)

    show = cmds.add_parser("show", help="a plan's content and version history")
    show.add_argument("plan_id", type=int)
    show.set_defaults(func=run_show)

    export = cmds.add_parser("export", help="a plan as a Word document")
    export.add_argument("plan_id", type=int)
    export.add_argument("-o", "--output", required=True, help="FILE.docx")
    export.set_defaults(func=run_export)


def acting_user(db, email: str | None) -> Actor:
    """The registered user named by ``--user``, else the command line's administrator."""
    if not email:
        from csa.commands.user import cli_actor

        return cli_actor()
    record = db.user_record(email.strip().lower())
    if record is None:
        raise CommandError(
            f"--user {email}: no such registered user; see `python -m csa user list`", EXIT_REJECTED
        )
    return Actor(
        record["email"], record["role"], record.get("org_code"), bool(record.get("disabled"))
    )


def _open(args):
    db = open_database(args)
    if not db.is_migrated():
        raise CommandError("the database is empty: run `python -m csa init` first")
    return db


def _require(db, actor: Actor, action: str, orgs=None, target: str = "") -> None:
    try:
        require(actor, action, orgs, db=db, target=target)
    except PermissionDenied as exc:
        raise CommandError(str(exc), EXIT_REFUSED) from None


def _require_plan(db, actor: Actor, plan: dict) -> None:
    """May ``actor`` read this plan? Plans are for signed-in partners; a restricted
    indicator's plan only for those who may see the indicator."""
    _require(db, actor, "view_plans", target=f"plan {plan['id']}")
    ind = db.indicators().set_index("code").loc[plan["indicator_code"]]
    if not bool(ind["public"]):
        _require(db, actor, "view_restricted", {ind["lead_org_code"]}, target=f"plan {plan['id']}")


def run_list(args) -> int:
    db = _open(args)
    actor = acting_user(db, args.user)
    _require(db, actor, "view_plans", target="plans list")
    plans = db.plans(indicator_code=args.indicator, states=(args.state,) if args.state else None)
    inds = db.indicators().set_index("code")
    plans = plans[
        [
            can_see_indicator(actor, bool(inds.loc[c, "public"]), inds.loc[c, "lead_org_code"])
            for c in plans["indicator_code"]
        ]
    ]
    if args.json:
        print(json.dumps(plans.to_dict("records"), default=str, indent=1))
        return 0
    if plans.empty:
        print("No recovery plans yet. Critical indicators: `python -m csa plans register`.")
        return 0
    for p in plans.itertuples(index=False):
        print(
            f"{p.id:>4}  {p.state:<10} {p.indicator_code:<8} {p.area_name:<24} "
            f"raised {p.period_label}  review {p.review_date or '-'}  v{p.version}"
        )
    return 0


def run_register(args) -> int:
    from csa.assess import Inputs, latest_period
    from csa.plans.tracking import register_for_period

    db = _open(args)
    actor = acting_user(db, args.user)
    _require(db, actor, "view_plans", target="plans register")
    inputs = Inputs.from_db(db)
    period = args.period or latest_period(inputs)
    if period not in set(inputs.periods["label"]):
        raise CommandError(f"unknown period {period!r}", EXIT_REJECTED)
    reg = register_for_period(
        db, period, inputs=inputs, settings=csa_config.load(), today=args.today, actor=actor
    )
    if args.json:
        print(
            json.dumps(
                {"period": period, "register": reg.to_dict("records")}, default=str, indent=1
            )
        )
        return 0
    print(
        f"Recovery plan register, {period}: {int(reg['critical'].sum())} critical, "
        f"{int((reg['plan_state'] == 'none yet').sum())} without a plan."
    )
    for r in reg.itertuples(index=False):
        crit = "CRITICAL " if r.critical else ""
        plan = f"plan {int(r.plan_id)}: " if not pd.isna(r.plan_id) else ""
        print(f"- {r.indicator_code} {r.area_name}: {crit}{plan}{r.state_words}")
        for flag in r.flags:
            print(f"    {flag}")
    return 0


def run_show(args) -> int:
    db = _open(args)
    actor = acting_user(db, args.user)
    plan = db.plan(args.plan_id)
    if plan is None:
        raise CommandError(f"there is no recovery plan {args.plan_id}", EXIT_REJECTED)
    _require_plan(db, actor, plan)
    print(json.dumps({k: v for k, v in plan.items()}, default=str, indent=1))
    versions = db.plan_versions(args.plan_id)
    print("\nVersions:")
    for v in versions.itertuples(index=False):
        print(
            f"  v{v.version} {v.state:<10} {v.saved_at:%Y-%m-%d %H:%M} {v.saved_by}"
            + (f": {v.comment}" if v.comment else "")
        )
    return 0


def run_export(args) -> int:
    from csa.reports.docx_export import plan_document

    db = _open(args)
    actor = acting_user(db, args.user)
    out = Path(args.output)
    if out.suffix.lower() != ".docx":
        raise CommandError(f"-o {out}: the file name must end in .docx", EXIT_REJECTED)
    plan = db.plan(args.plan_id)
    if plan is None:
        raise CommandError(f"there is no recovery plan {args.plan_id}", EXIT_REJECTED)
    _require_plan(db, actor, plan)
    data = plan_document(db, args.plan_id, settings=csa_config.load())
    out.write_bytes(data)
    db.record_audit(
        actor.email,
        "plan_export",
        f"plan {args.plan_id}",
        detail={"file": out.name, "bytes": len(data)},
    )
    print(f"Wrote {out} ({len(data):,} bytes).")
    return 0
