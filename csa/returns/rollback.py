"""Rolling an upload back: append revisions that restore the figures it replaced.

Nothing is deleted or edited. For each figure the upload wrote, a new revision restores the
revision before it; a figure the upload created gets a *withdrawn* revision, so it no longer
counts. The restoring revisions belong to a new upload of kind ``rollback`` (which records
the upload it undid); the original is marked ``rolled_back`` with who and when, and the
audit log records it. Only analysts and admins may roll back (csa.access).

A rollback can itself be rolled back: that re-applies the values it undid, as new
revisions. Undoing is a stack per figure: an import pushes its values, rolling an import
back pops them, rolling a rollback back pushes them again. An upload can be rolled back
when nothing since has left a mark on its figures: every later upload that changed them
was rolled back since (the figure is the upload's own again). Otherwise the refusal names
the uploads to roll back first, newest first, a path that works: each upload's blockers are
later uploads, so rolling back in that order never meets a refusal.
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

#: Kinds of upload that can be rolled back.
KINDS = ("return", "rollback")

Key = tuple[str, str, str]
Entry = tuple[int | None, int | None]  # (whose values: origin upload, upload to roll back)


@dataclass(frozen=True)
class RollbackResult:
    upload_id: int
    rollback_upload_id: int
    restored: int
    withdrawn: int
    kind: str = "return"

    @property
    def message(self) -> str:
        if self.kind == "rollback":
            return (
                f"Rolled back upload #{self.upload_id} (a rollback): {self.restored} "
                f"figure(s) re-applied, {self.withdrawn} withdrawn (recorded as upload "
                f"#{self.rollback_upload_id})."
            )
        return (
            f"Rolled back upload #{self.upload_id}: {self.restored} figure(s) restored to "
            f"their previous revision, {self.withdrawn} withdrawn (recorded as upload "
            f"#{self.rollback_upload_id})."
        )


def rollback_upload(db, actor: Actor, upload_id: int, reason: str = "") -> RollbackResult:
    """Roll back a committed return, or a rollback, in one transaction.

    The one entry point of the command line and the Upload history page.

    Raises
    ------
    PermissionDenied
        The actor may not roll uploads back.
    RollbackRefused
        Unknown upload, not a committed return or rollback, or a figure changed since by
        another upload (the message names the uploads to roll back first, in order).
    """
    target = f"upload #{upload_id}"
    require(actor, ACTION, db=db, target=target)
    now = utcnow()
    try:
        with db.transaction() as conn:
            upload = db.lock_upload(conn, upload_id)
            _check_upload(db, conn, upload_id, upload)
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
                    f"{restored} {'re-applied' if upload['kind'] == 'rollback' else 'restored'}"
                    f", {withdrawn} withdrawn" + (f": {reason}" if reason else "")
                )[:1000],
                reverts_upload_id=int(upload_id),
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
                    "kind": upload["kind"],
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
    return RollbackResult(int(upload_id), rollback_id, restored, withdrawn, str(upload["kind"]))


def _check_upload(db, conn, upload_id: int, upload: dict | None) -> None:
    if upload is None:
        raise RollbackRefused(f"There is no upload #{upload_id}.")
    if upload["kind"] not in KINDS:
        raise RollbackRefused(
            f"Upload #{upload_id} is a {upload['kind']} upload; only "
            "returns and rollbacks can be rolled back."
        )
    if upload["outcome"] != "committed":
        hint = ""
        # Follow rollbacks of rollbacks to the live one: it says where the values stand.
        chain, by = [], db.rollback_of(conn, upload_id)
        while by is not None and by not in chain:
            chain.append(by)
            by = db.rollback_of(conn, by)
        if chain and len(chain) % 2:
            hint = (
                f" It was rolled back as upload #{chain[-1]}: roll upload #{chain[-1]} back "
                "to apply it again."
            )
        elif chain:
            hint = (
                f" Its figures were applied again by upload #{chain[-1]}: roll upload "
                f"#{chain[-1]} back to undo them."
            )
        raise RollbackRefused(
            f"Upload #{upload_id} is {upload['outcome']}, not "
            f"committed; there is nothing to roll back.{hint}"
        )


class _Stacks:
    """Who each figure's values belong to, replayed from its revisions (see module doc)."""

    def __init__(self, db, conn):
        self.db, self.conn = db, conn
        self.links = db.upload_links(conn)
        self.revisions: dict[Key, list[dict]] = {}
        self.replayed: dict[Key, tuple[list[Entry], dict, dict]] = {}

    def pushes(self, upload_id: int | None) -> bool:
        """An import pushes; a rollback pops what its target pushed, or pushes it again."""
        pops, seen = False, set()
        while upload_id is not None and upload_id not in seen:
            seen.add(upload_id)
            kind, reverts = self.links.get(upload_id, ("return", None))
            if kind != "rollback":
                break
            pops, upload_id = not pops, reverts
        return not pops

    def load(self, upload_id: int) -> list[Key]:
        keys = self.db.keys_of_upload(self.conn, upload_id)
        missing = [k for k in keys if k not in self.revisions]
        every = self.db.revisions_for_keys(self.conn, missing)
        for k in missing:
            self.revisions[k] = []
        for rev in every.to_dict("records"):
            self.revisions[(rev["indicator_code"], rev["area_code"], rev["period_label"])].append(
                rev
            )
        for k in missing:
            self.revisions[k].sort(key=lambda r: int(r["revision"]))
        return keys

    def replay(self, key: Key) -> tuple[list[Entry], dict, dict]:
        """The stack now, the stack right after each upload, and what each pop removed."""
        if key not in self.replayed:
            stack: list[Entry] = []
            after: dict[int | None, list[Entry]] = {}
            popped: dict[int, Entry] = {}
            for rev in self.revisions[key]:
                u = _upload(rev)
                if u is None or self.links.get(u, ("return", None))[0] != "rollback":
                    stack.append((u, u))
                elif not self.pushes(u):
                    popped[u] = stack.pop() if stack else (None, None)
                else:
                    origin = popped.get(self.links[u][1], (None, None))[0]
                    stack.append((origin, u))
                after[u] = list(stack)
            self.replayed[key] = (stack, after, popped)
        return self.replayed[key]

    def blockers(self, upload_id: int, key: Key) -> list[int]:
        """The uploads to roll back before ``upload_id`` can be, on this figure."""
        stack, after, popped = self.replay(key)
        if self.pushes(upload_id):
            return [h for _, h in stack if h is not None and h > upload_id]
        wanted = after.get(upload_id, [])
        same = 0
        while same < min(len(stack), len(wanted)) and stack[same][0] == wanted[same][0]:
            same += 1
        if same == len(stack) == len(wanted):
            return []
        above = [h for _, h in stack[same:] if h is not None]
        gone = [p for p, e in popped.items() if p > upload_id and e in wanted[same:]]
        return above + gone or [0]  # 0: changed by no upload (cannot be rolled back here)

    def path(self, upload_id: int) -> list[int]:
        """Every upload to roll back first, newest first (blockers are always later)."""
        todo, found = [upload_id], set()
        while todo and len(found) < 200:
            u = todo.pop()
            for key in self.load(u):
                for b in self.blockers(u, key):
                    if b not in found and b != upload_id:
                        found.add(b)
                        if b:
                            todo.append(b)
        return sorted(found, reverse=True)


def _restoring_records(db, conn, upload_id: int, actor: Actor, now):
    """The revisions that undo an upload, or RollbackRefused naming the path to take."""
    stacks = _Stacks(db, conn)
    keys = stacks.load(upload_id)
    records, conflicts = [], []
    restored = withdrawn = 0
    for key in keys:
        ind, area, period = key
        revs = stacks.revisions[key]
        current = revs[-1]
        if stacks.blockers(upload_id, key):
            conflicts.append(
                f"{ind} {area} {period} (now revision {int(current['revision'])}"
                f" from upload #{_id(current['upload_id'])})"
            )
            continue
        ours = max(int(r["revision"]) for r in revs if _upload(r) == upload_id)
        before = [r for r in revs if int(r["revision"]) < ours]
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
        raise RollbackRefused(_refusal(upload_id, conflicts, stacks.path(upload_id)))
    return records, restored, withdrawn


def _refusal(upload_id: int, conflicts: list[str], path: list[int]) -> str:
    shown = "; ".join(conflicts[:5]) + (
        f"; and {len(conflicts) - 5} more" if len(conflicts) > 5 else ""
    )
    text = (
        f"Upload #{upload_id} cannot be rolled back: {len(conflicts)} of "
        f"its figures were changed since by later uploads ({shown})."
    )
    named = [u for u in path if u]
    if named:
        order = ", then ".join(f"upload #{u}" for u in named)
        text += f" Roll back {order} first, then upload #{upload_id}."
    if 0 in path:
        text += " Some figures were changed outside any upload and cannot be rolled back here."
    return text


def _upload(rev: dict) -> int | None:
    v = rev["upload_id"]
    return None if v is None or pd.isna(v) else int(v)


def _id(v) -> str:
    return "?" if v is None or pd.isna(v) else str(int(v))


def _num(v):
    return None if v is None or pd.isna(v) else float(v)
