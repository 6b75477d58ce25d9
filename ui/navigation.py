"""Role-aware navigation, built on every run.

A page that is not in the navigation cannot be reached, even by typing its URL
(``st.navigation`` only serves registered pages), so this table is the first line of access
control. It is not the only one: pages that write check the viewer's permission again, and
``csa`` checks it once more before any write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from csa import config as csa_config
from csa.access import PERMISSIONS
from ui.session import Viewer

ROOT = Path(__file__).resolve().parent.parent
EVERYONE = frozenset({"public", "officer", "analyst", "board", "admin"})
SIGNED_IN = EVERYONE - {"public"}


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    section: str
    roles: frozenset
    embeddable: bool = False  # may appear in the public website embed
    default: bool = False
    url_path: str | None = None


#: Every page of the app. Sections appear in this order.
PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/scorecard/overview.py",
        "Overview",
        ":material/dashboard:",
        "Scorecard",
        EVERYONE,
        embeddable=True,
        default=True,
        url_path="overview",
    ),
    PageSpec(
        "pages/scorecard/indicator.py",
        "Indicator",
        ":material/show_chart:",
        "Scorecard",
        EVERYONE,
        embeddable=True,
        url_path="indicator",
    ),
    PageSpec(
        "pages/scorecard/area.py",
        "Area profile",
        ":material/location_city:",
        "Scorecard",
        EVERYONE,
        embeddable=True,
        url_path="area",
    ),
    PageSpec(
        "pages/scorecard/map.py",
        "Map",
        ":material/map:",
        "Scorecard",
        EVERYONE,
        embeddable=True,
        url_path="map",
    ),
    PageSpec(
        "pages/scorecard/present.py",
        "Presentation",
        ":material/co_present:",
        "Scorecard",
        EVERYONE,
        url_path="present",
    ),
    PageSpec(
        "pages/scorecard/about.py",
        "About the data",
        ":material/info:",
        "Scorecard",
        EVERYONE,
        embeddable=True,
        url_path="about",
    ),
    # -- returns (issue 5): never embeddable, uploads need the top-level app -----------------
    PageSpec(
        "pages/returns/returns.py",
        "Returns",
        ":material/upload_file:",
        "Returns",
        frozenset({"officer", "analyst", "admin"}),
        url_path="returns",
    ),
    PageSpec(
        "pages/returns/uploads.py",
        "Upload history",
        ":material/history:",
        "Returns",
        frozenset({"analyst", "admin"}),
        url_path="uploads",
    ),
    # -- recovery plans and the board pack (issue 6): signed-in partners, never embedded ----
    PageSpec(
        "pages/plans/plans.py",
        "Recovery plans",
        ":material/list_alt:",
        "Recovery plans",
        frozenset({"officer", "analyst", "board", "admin"}),
        url_path="plans",
    ),
    PageSpec(
        "pages/plans/plan_editor.py",
        "Plan editor",
        ":material/edit_note:",
        "Recovery plans",
        frozenset({"officer", "analyst", "board", "admin"}),
        url_path="plan",
    ),
    PageSpec(
        "pages/plans/board_pack.py",
        "Board pack",
        ":material/summarize:",
        "Recovery plans",
        frozenset({"analyst", "board", "admin"}),
        url_path="board-pack",
    ),
    # -- strategic assessment (issue 8) ----------------------------------------------------
    PageSpec(
        "pages/strategic/strategic.py",
        "Strategic assessment",
        ":material/leaderboard:",
        "Strategic assessment",
        frozenset({"analyst", "admin", "board", "officer"}),
        url_path="strategic",
    ),
    PageSpec(
        "pages/strategic/costs.py",
        "Cost of crime",
        ":material/payments:",
        "Strategic assessment",
        EVERYONE,
        embeddable=True,
        url_path="costs",
    ),
    # -- access (issue 7): sign-in only for the public, outside the embed --------------------
    PageSpec(
        "pages/account/sign_in.py",
        "Sign in",
        ":material/login:",
        "Account",
        frozenset({"public"}),
        url_path="sign-in",
    ),
    PageSpec(
        "pages/account/account.py",
        "Your account",
        ":material/account_circle:",
        "Account",
        SIGNED_IN,
        url_path="account",
    ),
    PageSpec(
        "pages/admin/users.py",
        "Users and roles",
        ":material/manage_accounts:",
        "Admin",
        PERMISSIONS["manage_users"],
        url_path="users",
    ),
    PageSpec(
        "pages/admin/audit.py",
        "Audit log",
        ":material/policy:",
        "Admin",
        PERMISSIONS["view_audit"],
        url_path="audit",
    ),
)


def pages_for(viewer: Viewer, embedded: bool, public_only: bool | None = None) -> list[PageSpec]:
    """The pages this viewer may open: the embed gets only embeddable public pages; a
    ``public_only`` server (the public entry, docs/access.md) offers no sign-in."""
    if public_only is None:
        public_only = bool(csa_config.load()["public_only"])
    role = "public" if embedded or public_only else viewer.role
    return [
        p
        for p in PAGES
        if role in p.roles
        and (p.embeddable or not embedded)
        and not (public_only and p.section == "Account")
        and (ROOT / p.path).exists()
    ]


def build(viewer: Viewer, embedded: bool, presenting: bool = False):
    """The st.navigation object for this run."""
    specs = pages_for(viewer, embedded)
    if presenting:
        specs = [p for p in specs if p.path == "pages/scorecard/present.py"] or specs
    sections: dict[str, list] = {}
    for spec in specs:
        page = st.Page(
            spec.path,
            title=spec.title,
            icon=spec.icon,
            default=spec.default or (presenting and spec.path == "pages/scorecard/present.py"),
            url_path=spec.url_path,
        )
        sections.setdefault(spec.section, []).append(page)
    position = "hidden" if (embedded or presenting) else "sidebar"
    if len(sections) == 1:
        return st.navigation(next(iter(sections.values())), position=position)
    return st.navigation(sections, position=position)
