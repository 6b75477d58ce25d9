"""Rolling an upload back: append revisions that restore the figures it replaced.

Nothing is deleted or edited. For each figure the upload wrote, a new revision restores the
revision before it; a figure the upload created gets a *withdrawn* revision, so it no longer
counts. The restoring revisions belong to a new upload of kind ``rollback``; the original is
marked ``rolled_back`` with who and when, and the audit log records it. A figure changed
again by a later upload cannot be silently undone: the rollback is refused and names it
(roll the later upload back first). Only analysts and admins may roll back (csa.access).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.exc import IntegrityError

from csa.access import Actor, require
from csa.db.core import utcnow
from csa.returns.problems import RollbackRefused

ACTION = "rollback_upload"


@dataclass(frozen=True)
class RollbackResult:
    upload_id: int
    rollback_upload_id: int
    restored: int
    withdrawn: int

    @property
    def message(self) -> str:
        return (
            f"Rolled back upload #{self.upload_id}: {self.restored} figure(s) restored to "
            f"their previous revision, {self.withdrawn} withdrawn (recorded as upload "
            f"#{self.rollback_upload_id})."
        )


def rollback_upload(db, actor: Actor, upload_id: int, reason: str = "") -> RollbackResult:
    """Roll back a committed return upload, in one transaction.

    Raises
    ------
    PermissionDenied
        The actor may not roll uploads back.
    RollbackRefused
        Unknown upload, not a committed return, or a figure changed since by another upload.
    """
    target = f"upload #{upload_id}"
    require(actor, ACTION, db=db, target=target)
    now = utcnow()
    try:
        with db.transaction() as conn:
            upload = db.lock_upload(conn, upload_id)
            if upload is None:
                raise RollbackRefused(f"There is no upload #{upload_id}.")
            if upload["kind"] != "return":
                raise RollbackRefused(
                    f"Upload #{upload_id} is a {upload['kind']} upload; only "
                    "returns can be rolled back."
                )
            if upload["outcome"] != "committed":
                raise RollbackRefused(
                    f"Upload #{upload_id} is {upload['outcome']}, not "
                    "committed; there is nothing to roll back."
                )
            records, restored, withdrawn = _restoring_records(db, conn, upload_id, actor, now)
            rollback_id = db.insert_upload(
                conn,
                kind="rollback",
                file_name=f"rollback of upload #{upload_id} ({upload['file_name']})"[:255],
                sha256=hashlib.sha256(
                    f"rollback:{upload_id}:{now.isoformat()}".encode()
                ).hexdigest(),
                content=None,
                user_email=actor.email,
                created_at=now,
                message=(
                    f"{restored} restored, {withdrawn} withdrawn"
                    + (f": {reason}" if reason else "")
                )[:1000],
            )
            for rec in records:
                rec["upload_id"] = rollback_id
            db.append_revisions(conn, records)
            db.finish_upload(conn, rollback_id, {"changed": restored + withdrawn})
            db.mark_rolled_back(
                conn,
                upload_id,
                actor.email,
                now,
                f"Rolled back by {actor.email} as upload #{rollback_id}"
                + (f": {reason}" if reason else ""),
            )
            db.audit(
                conn,
                actor.email,
                ACTION,
                target,
                detail={
                    "rollback_upload_id": rollback_id,
                    "restored": restored,
                    "withdrawn": withdrawn,
                    "reason": reason,
                },
            )
    except IntegrityError as exc:
        raise RollbackRefused(
            f"Upload #{upload_id} could not be rolled back because its "
            "figures changed while rolling back; try again."
        ) from exc
    return RollbackResult(int(upload_id), rollback_id, restored, withdrawn)


def _restoring_records(db, conn, upload_id: int, actor: Actor, now):
    """The revisions that undo an upload, or RollbackRefused naming figures changed since."""
    every = db.revisions_for_keys(conn, db.keys_of_upload(conn, upload_id))
    by_key: dict[tuple[str, str, str], list[dict]] = {}
    for rev in every.to_dict("records"):
        by_key.setdefault(
            (rev["indicator_code"], rev["area_code"], rev["period_label"]), []
        ).append(rev)
    records, conflicts = [], []
    restored = withdrawn = 0
    for (ind, area, period), revs in sorted(by_key.items()):
        revs.sort(key=lambda r: int(r["revision"]))
        current = revs[-1]
        if _id(current["upload_id"]) != str(upload_id):
            conflicts.append(
                f"{ind} {area} {period} (now revision {int(current['revision'])}"
                f" from upload #{_id(current['upload_id'])})"
            )
            continue
        first_ours = min(int(r["revision"]) for r in revs if _id(r["upload_id"]) == str(upload_id))
        before = [r for r in revs if int(r["revision"]) < first_ours]
        base = {
            "indicator_code": ind,
            "area_code": area,
            "period_label": period,
            "revision": int(current["revision"]) + 1,
            "created_by": actor.email,
            "created_at": now,
        }
        if not before or bool(before[-1]["withdrawn"]):
            withdrawn += 1
            records.append(
                base
                | {
                    "numerator": None,
                    "denominator": None,
                    "value": None,
                    "status": str(current["status"]),
                    "data_kind": str(current["data_kind"]),
                    "withdrawn": True,
                    "note": f"withdrawn: rollback of upload #{upload_id}",
                }
            )
        else:
            prev = before[-1]
            restored += 1
            records.append(
                base
                | {
                    "numerator": _num(prev["numerator"]),
                    "denominator": _num(prev["denominator"]),
                    "value": _num(prev["value"]),
                    "status": str(prev["status"]),
                    "data_kind": str(prev["data_kind"]),
                    "withdrawn": False,
                    "note": f"restored revision {int(prev['revision'])}: rollback of upload "
                    f"#{upload_id}",
                }
            )
    if conflicts:
        shown = "; ".join(conflicts[:5]) + (
            f"; and {len(conflicts) - 5} more" if len(conflicts) > 5 else ""
        )
        raise RollbackRefused(
            f"Upload #{upload_id} cannot be rolled back: {len(conflicts)} of "
            f"its figures were changed since by later uploads ({shown}). "
            "Roll those back first."
        )
    return records, restored, withdrawn


def _id(v) -> str:
    return "?" if v is None or pd.isna(v) else str(int(v))


def _num(v):
    return None if v is None or pd.isna(v) else float(v)
