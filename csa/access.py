"""Who may do what: the permission matrix, enforced in the domain layer.

Every write in ``csa`` takes the acting user (an :class:`Actor`) and calls :func:`require`
before touching the database. A refused action raises :class:`PermissionDenied` (a
``PermissionError``) with a message in plain words, and is written to the audit log.
Navigation hides pages too, but that is a convenience: this module is the rule.

Roles
-----
public   anonymous visitors and the website embed: public indicators only, read-only.
officer  a lead officer: uploads returns and edits recovery plans for the indicators their
         organisation leads; sees restricted indicators their organisation leads.
analyst  manages indicators, targets, areas, the strategic assessment, users and roles (but
         may not make or change an admin); can upload any return and roll uploads back.
board    the board / strategy group: sees restricted indicators, approves or returns plans.
admin    everything, including making admins and reading the audit log.

The matrix is also written out in ``docs/access.md``; a test keeps the two the same.

Organisation scoping
--------------------
For the actions in :data:`ORG_SCOPED`, an officer is allowed only when every organisation
passed in ``org_codes`` (the lead organisations of the indicators, return or plan concerned)
is their own. Called without ``org_codes`` the check answers "may this role do this at all"
(e.g. whether to show the upload page); the write itself must pass the organisations.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("public", "officer", "analyst", "board", "admin")

#: action -> roles allowed. Actions marked in ORG_SCOPED need the actor's organisation to
#: lead the indicator concerned when the actor is an officer.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view_public": frozenset(ROLES),
    "view_restricted": frozenset({"officer", "analyst", "board", "admin"}),
    "upload_return": frozenset({"officer", "analyst", "admin"}),
    "rollback_upload": frozenset({"analyst", "admin"}),
    "edit_plan": frozenset({"officer", "analyst", "admin"}),
    "submit_plan": frozenset({"officer", "analyst", "admin"}),
    "approve_plan": frozenset({"board", "admin"}),
    "return_plan": frozenset({"board", "admin"}),
    "monitor_plan": frozenset({"officer", "analyst", "board", "admin"}),
    "close_plan": frozenset({"board", "analyst", "admin"}),
    "view_plans": frozenset({"officer", "analyst", "board", "admin"}),
    "view_board_pack": frozenset({"analyst", "board", "admin"}),
    "manage_indicators": frozenset({"analyst", "admin"}),
    "edit_assessment": frozenset({"analyst", "admin"}),
    "manage_users": frozenset({"analyst", "admin"}),
    "grant_admin": frozenset({"admin"}),
    "view_audit": frozenset({"admin"}),
    "view_strategic": frozenset({"officer", "analyst", "board", "admin"}),
    "sign_in": frozenset({"public"}),
    "view_account": frozenset({"officer", "analyst", "board", "admin"}),
}
ORG_SCOPED = frozenset(
    {"upload_return", "edit_plan", "submit_plan", "monitor_plan", "view_restricted"}
)


class PermissionDenied(PermissionError):
    """The acting user may not do this; the message says why in plain words."""


@dataclass(frozen=True)
class Actor:
    """The user an action is done for (a signed-in person, the CLI user, or the public)."""

    email: str
    role: str = "public"
    org_code: str | None = None
    disabled: bool = False

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")


PUBLIC = Actor("anonymous", "public")
SYSTEM = Actor("system", "admin")


def allowed(actor: Actor, action: str, org_codes=None) -> bool:
    """True when ``actor`` may do ``action``; for organisation-scoped actions by an officer,
    every organisation in ``org_codes`` (the lead organisations concerned) must be theirs."""
    if action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}")
    if actor.disabled or actor.role not in PERMISSIONS[action]:
        return False
    if actor.role == "officer" and action in ORG_SCOPED:
        orgs = {org_codes} if isinstance(org_codes, str) else set(org_codes or ())
        return bool(actor.org_code) and orgs <= {actor.org_code}
    return True


def explain(actor: Actor, action: str, org_codes=None) -> str:
    """Plain words saying why ``actor`` may not do ``action``."""
    what = action.replace("_", " ")
    if actor.disabled:
        return f"{actor.email}'s account is disabled, so it may not {what}."
    if actor.role not in PERMISSIONS[action]:
        roles = ", ".join(sorted(PERMISSIONS[action]))
        return f"{actor.email} ({actor.role}) may not {what}; it needs the role {roles}."
    if not actor.org_code:
        return (
            f"{actor.email} is an officer with no organisation, so may not {what}; "
            f"ask an administrator to set their organisation."
        )
    orgs = {org_codes} if isinstance(org_codes, str) else set(org_codes or ())
    others = sorted(orgs - {actor.org_code})
    return (
        f"{actor.email} is an officer of {actor.org_code or 'no organisation'} and may only "
        f"{what} for indicators their organisation leads, not those led by "
        f"{', '.join(others)}."
    )


def require(actor: Actor, action: str, org_codes=None, *, db=None, target: str = "") -> None:
    """Raise :class:`PermissionDenied` (and audit the refusal when ``db`` is given) unless
    ``actor`` may do ``action``."""
    if allowed(actor, action, org_codes):
        return
    message = explain(actor, action, org_codes)
    if db is not None:
        db.record_audit(actor.email, action, target, outcome="refused", detail=message)
    raise PermissionDenied(message)


def seeing_key(actor: Actor) -> tuple:
    """All that :func:`can_see_indicator` reads of an actor: two actors with the same key
    see the same indicators, so what is worked out from what an actor may see can be shared
    by every actor with that key (never by one with another)."""
    return (actor.role, actor.org_code, actor.disabled)


def can_see_indicator(actor: Actor, public: bool, lead_org_code: str | None) -> bool:
    """Restricted indicators are for the board, analysts, admins and the leading officers.

    A restricted indicator with no lead organisation is shown to no officer."""
    if public:
        return True
    if not lead_org_code and actor.role == "officer":
        return False
    return allowed(actor, "view_restricted", lead_org_code)
