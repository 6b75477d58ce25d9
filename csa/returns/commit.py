"""The one way a return gets in: :func:`prepare_return` (preview) and :func:`commit_return`.

Both the Returns page and ``python -m csa import-return`` call these two functions, and
both go through :func:`authorise_return`, the single permission check for uploads (an
officer may only send figures for indicators their organisation leads; analysts and admins
may send any).

A commit re-reads and re-checks the file from its bytes, then, in ONE transaction:
re-reads the revision of every figure and refuses (:class:`StaleReturn`, with a fresh
preview) if any moved since the preview; archives the file (bytes, SHA-256, who, when);
appends a revision for each new or changed figure (the old revision stays); and writes the
audit entry. Any failure rolls the whole transaction back, so a return is written
completely or not at all. The same bytes sent again are recognised and change nothing,
even when both copies are confirmed at the same moment: the upload's ``dedupe_key`` is
unique in the database, so the second transaction fails on it and reports the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError

from csa import config as csa_config
from csa import publish
from csa.access import Actor, allowed, require
from csa.db.core import utcnow
from csa.db.uploads import key_string
from csa.returns.preview import KEY, Preview, analyse_file, build_preview
from csa.returns.problems import ReturnRejected, StaleReturn, WarningsNotAcknowledged
from csa.returns.reference import load_reference
from csa.returns.safe_open import Limits

ACTION = "upload_return"


@dataclass(frozen=True)
class CommitResult:
    """What a confirmed return did. ``status`` is "imported" or "duplicate" (the same file
    was imported before as ``upload_id``; nothing was written)."""

    status: str
    upload_id: int
    file_name: str
    sha256: str
    counts: dict[str, int]

    @property
    def message(self) -> str:
        c = self.counts
        if self.status == "duplicate":
            return (
                f"{self.file_name} was already imported as upload #{self.upload_id}; "
                "nothing changed."
            )
        return (
            f"Imported {self.file_name} as upload #{self.upload_id}: {c['new']} new, "
            f"{c['changed']} changed, {c['unchanged']} unchanged."
        )


def authorise_return(db, actor: Actor, org_codes, file_name: str) -> None:
    """THE permission check for uploading a return (raises ``PermissionDenied``, audited).

    ``org_codes`` are the lead organisations of the indicators in the file; an empty set
    asks only whether the actor may upload returns at all.
    """
    require(actor, ACTION, org_codes=sorted(org_codes), db=db, target=file_name[:255])


def prepare_return(
    db,
    actor: Actor,
    content: bytes,
    file_name: str,
    *,
    today: date | None = None,
    settings: dict[str, Any] | None = None,
) -> Preview:
    """Check a file and preview what confirming it would change. Writes nothing.

    Raises
    ------
    PermissionDenied
        The actor may not upload returns, or not for every organisation the file covers.
    ReturnRejected
        The file has errors; ``problems`` lists every one with its cell, ``warnings``
        every warning on the rows that passed.
    """
    settings = settings or csa_config.load()
    if not allowed(actor, ACTION, ()):
        authorise_return(db, actor, (), file_name)
    ref = load_reference(db, settings, today)
    analysis = analyse_file(content, file_name, ref, Limits.from_settings(settings))
    authorise_return(db, actor, analysis.org_codes, file_name)
    return build_preview(db, analysis, ref)  # raises ReturnRejected (errors and warnings)


def commit_return(
    db,
    actor: Actor,
    content: bytes,
    file_name: str,
    *,
    basis: dict[str, int] | None = None,
    acknowledge_warnings: bool = False,
    today: date | None = None,
    settings: dict[str, Any] | None = None,
) -> CommitResult:
    """Import a return: all its figures in one transaction, or nothing.

    Parameters
    ----------
    basis : dict, optional
        The preview's ``basis`` the uploader confirmed. When given, the commit is refused if
        any figure's revision differs from it now. When omitted (the command line), the
        basis of the preview made inside this call is used.
    acknowledge_warnings : bool
        The uploader has checked the plausibility warnings; without it a file with warnings
        is refused (:class:`WarningsNotAcknowledged`).

    Raises
    ------
    PermissionDenied, ReturnRejected, WarningsNotAcknowledged, StaleReturn
    """
    preview = prepare_return(db, actor, content, file_name, today=today, settings=settings)
    if preview.duplicate_of is not None:
        return _duplicate(preview.duplicate_of, file_name, preview.sha256)
    if preview.warnings and not acknowledge_warnings:
        raise WarningsNotAcknowledged(
            f"{file_name} has {len(preview.warnings)} warning(s) to check and acknowledge "
            "before it can be imported; nothing was written.",
            preview.warnings,
        )
    expected = preview.basis if basis is None else dict(basis)
    if expected != preview.basis:
        raise _stale(file_name, expected, preview)
    rows = preview.rows[[*KEY, "numerator", "denominator", "value", "status", "note"]].copy()
    rows["data_kind"] = "real"
    now = utcnow()
    try:
        with db.transaction() as conn:
            if db.revision_basis(conn, rows[KEY]) != expected:
                raise _stale(file_name, expected, None)
            upload_id = db.insert_upload(
                conn,
                kind="return",
                file_name=file_name,
                sha256=preview.sha256,
                content=bytes(content),
                user_email=actor.email,
                created_at=now,
                message=f"Return for {', '.join(preview.periods)}",
                dedupe_key=dedupe_key(preview.sha256),
            )
            counts = db.write_revisions(
                conn, rows, upload_id=upload_id, user_email=actor.email, data_kind="real"
            )
            # Each figure written must sit exactly one revision above what was previewed: a
            # commit landing between our check and our insert shows up here (READ COMMITTED).
            if db.revision_basis(conn, rows[KEY]) != _after(expected, preview):
                raise _stale(file_name, expected, None)
            db.finish_upload(conn, upload_id, counts)
            db.audit(
                conn,
                actor.email,
                ACTION,
                file_name[:255],
                detail={
                    "upload_id": upload_id,
                    "sha256": preview.sha256,
                    "counts": counts,
                    "periods": preview.periods,
                    "organisations": preview.org_codes,
                    "warnings_acknowledged": len(preview.warnings),
                },
            )
    except StaleReturn as exc:
        if (dup := db.committed_upload_with_sha(preview.sha256)) is not None:
            return _duplicate(dup, file_name, preview.sha256)  # the same file, just before
        raise _stale(
            file_name, expected, _fresh(db, actor, content, file_name, today, settings)
        ) from exc
    except IntegrityError as exc:
        # The same file committed at the same moment: the unique dedupe key let the other
        # one through, and this transaction wrote nothing. Say so, as for any duplicate.
        if (dup := db.committed_upload_with_sha(preview.sha256)) is not None:
            return _duplicate(dup, file_name, preview.sha256)
        # Otherwise another commit wrote the same revision number first.
        raise _stale(
            file_name, expected, _fresh(db, actor, content, file_name, today, settings)
        ) from exc
    publish.ensure(db, settings or csa_config.load())  # every surface shows it on its next run
    return CommitResult("imported", upload_id, file_name, preview.sha256, counts)


def dedupe_key(sha256: str) -> str:
    """The idempotency key of a committed return (unique in ``uploads.dedupe_key``)."""
    return f"return:{sha256}"


def _duplicate(dup: dict, file_name: str, sha256: str) -> CommitResult:
    return CommitResult(
        "duplicate", int(dup["id"]), file_name, sha256, {"new": 0, "changed": 0, "unchanged": 0}
    )


def _after(expected: dict[str, int], preview: Preview) -> dict[str, int]:
    """The revisions expected once the previewed changes are written."""
    written = {
        key_string(r.indicator_code, r.area_code, r.period_label)
        for r in preview.changes.itertuples(index=False)
    }
    return {k: rev + (1 if k in written else 0) for k, rev in expected.items()}


def _fresh(db, actor, content, file_name, today, settings) -> Preview | None:
    try:
        return prepare_return(db, actor, content, file_name, today=today, settings=settings)
    except ReturnRejected:
        return None


def _stale(file_name: str, expected: dict[str, int], preview: Preview | None) -> StaleReturn:
    moved = []
    if preview is not None:
        moved = sorted(k for k, rev in preview.basis.items() if expected.get(k) != rev)
    shown = "; ".join(k.replace("|", " ") for k in moved[:5])
    more = f" and {len(moved) - 5} more" if len(moved) > 5 else ""
    detail = f" ({shown}{more})" if moved else ""
    return StaleReturn(
        f"The figures changed since your preview of {file_name} (another upload was "
        f"confirmed){detail}. Nothing was written: check the fresh preview and confirm "
        f"again.",
        preview=preview,
    )
