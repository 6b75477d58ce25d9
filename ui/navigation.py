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


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    section: str
    permission: str  # the csa.access.PERMISSIONS action that opens it
    embeddable: bool = False  # may appear in the public website embed
    default: bool = False
    url_path: str | None = None

    @property
    def roles(self) -> frozenset:
        return PERMISSIONS[self.permission]


def _page(path, title, icon, permission, url_path, **kw) -> PageSpec:
    section = {
        "scorecard": "Scorecard",
        "returns": "Returns",
        "plans": "Recovery plans",
        "strategic": "Strategic assessment",
        "account": "Account",
        "admin": "Admin",
    }[path.split("/")[1]]
    return PageSpec(path, title, icon, section, permission, url_path=url_path, **kw)


#: Every page of the app, by section (the pages/<section>/ folder). Sections appear in this
#: order; who may open a page is the csa.access permission named, never a second list.
PAGES: tuple[PageSpec, ...] = (
    _page("pages/scorecard/overview.py", "Overview", ":material/dashboard:", "view_public",
          "overview", embeddable=True, default=True),
    _page("pages/scorecard/indicator.py", "Indicator", ":material/show_chart:", "view_public",
          "indicator", embeddable=True),
    _page("pages/scorecard/area.py", "Area profile", ":material/location_city:", "view_public",
          "area", embeddable=True),
    _page("pages/scorecard/map.py", "Map", ":material/map:", "view_public", "map",
          embeddable=True),
    _page("pages/scorecard/present.py", "Presentation", ":material/co_present:", "view_public",
          "present"),
    _page("pages/scorecard/about.py", "About the data", ":material/info:", "view_public",
          "about", embeddable=True),
    _page("pages/scorecard/accessibility.py", "Accessibility", ":material/accessibility:",
          "view_public", "accessibility", embeddable=True),
    # returns: never embeddable, uploads need the top-level app
    _page("pages/returns/returns.py", "Returns", ":material/upload_file:", "upload_return",
          "returns"),
    _page("pages/returns/uploads.py", "Upload history", ":material/history:",
          "rollback_upload", "uploads"),
    # recovery plans and the board pack: signed-in partners, never embedded
    _page("pages/plans/plans.py", "Recovery plans", ":material/list_alt:", "view_plans",
          "plans"),
    _page("pages/plans/plan_editor.py", "Plan editor", ":material/edit_note:", "view_plans",
          "plan"),
    _page("pages/plans/board_pack.py", "Board pack", ":material/summarize:", "view_board_pack",
          "board-pack"),
    _page("pages/strategic/strategic.py", "Strategic assessment", ":material/leaderboard:",
          "view_strategic", "strategic"),
    _page("pages/strategic/costs.py", "Cost of crime", ":material/payments:", "view_public",
          "costs", embeddable=True),
    # access: sign-in only for the public, outside the embed
    _page("pages/account/sign_in.py", "Sign in", ":material/login:", "sign_in", "sign-in"),
    _page("pages/account/account.py", "Your account", ":material/account_circle:",
          "view_account", "account"),
    _page("pages/admin/users.py", "Users and roles", ":material/manage_accounts:",
          "manage_users", "users"),
    _page("pages/admin/audit.py", "Audit log", ":material/policy:", "view_audit", "audit"),
)  # fmt: skip


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


def _refusal(spec: PageSpec, viewer: Viewer, embedded: bool):
    """A stand-in for a page this viewer may not open: it says why in plain words (sign in,
    or the role it needs) instead of "Page not found". It never runs the page's file."""

    def refuse() -> None:
        if embedded:
            st.info("This page is not part of the public dashboard.")
        elif not viewer.signed_in:
            st.warning(
                f"**{spec.title}** needs you to sign in. Partners sign in from the "
                "dashboard's own site (not the embedded view)."
            )
            if not csa_config.load()["public_only"]:
                st.page_link(PAGE_FILES["sign_in"], label="Sign in", icon=":material/login:")
        else:
            roles = ", ".join(sorted(spec.roles))
            st.warning(
                f"**{spec.title}** is for the roles {roles}; you are signed in as "
                f"{viewer.role}. Ask an administrator if you need it."
            )

    return refuse


PAGE_FILES = {"sign_in": "pages/account/sign_in.py"}


def build(
    viewer: Viewer,
    embedded: bool,
    presenting: bool = False,
    public_only: bool | None = None,
    registered: dict | None = None,
):
    """The st.navigation object for this run: the pages this viewer may open (listed), a
    second hidden entry so the default page also answers at its own URL, and a hidden
    plain-words refusal at the URL of every page they may not open. ``registered``, when
    given, receives the pages listed, by file (for :func:`page_link`)."""
    specs = pages_for(viewer, embedded, public_only)
    if presenting:
        specs = [p for p in specs if p.path == "pages/scorecard/present.py"] or specs
    default = next((p for p in specs if p.default), None)
    if presenting or default is None:
        default = specs[0]
    sections: dict[str, list] = {}
    hidden: list = []
    for spec in specs:
        is_default = spec is default
        listed = st.Page(
            spec.path,
            title=spec.title,
            icon=spec.icon,
            default=is_default,
            url_path=f"{spec.url_path}-home" if is_default else spec.url_path,
        )
        sections.setdefault(spec.section, []).append(listed)
        if registered is not None and not is_default:
            registered[spec.path] = listed
        if is_default:  # the default is served at "/": make its own URL answer too
            hidden.append(
                st.Page(
                    spec.path,
                    title=spec.title,
                    icon=spec.icon,
                    url_path=spec.url_path,
                    visibility="hidden",
                )  # fmt: skip
            )
    allowed_paths = {p.url_path for p in specs}
    for spec in PAGES:
        if spec.url_path not in allowed_paths:
            hidden.append(
                st.Page(
                    _refusal(spec, viewer, embedded),
                    title=spec.title,
                    icon=spec.icon,
                    url_path=spec.url_path,
                    visibility="hidden",
                )  # fmt: skip
            )
    if hidden:
        sections.setdefault(specs[0].section if specs else "Scorecard", []).extend(hidden)
    # the embed gets a small menu of the public pages along the top; presentation none
    position = "hidden" if presenting else "top" if embedded else "sidebar"
    if embedded:  # a flat menu: each public page one link, no section drop-downs
        page = st.navigation([p for pages in sections.values() for p in pages], position=position)
    elif len(sections) == 1:
        page = st.navigation(next(iter(sections.values())), position=position)
    else:
        page = st.navigation(sections, position=position)
    st.session_state[CURRENT_PAGE] = page.url_path  # e.g. the embed's phone menu (ui.chrome)
    return page


#: Session-state key: the url_path of the page this run shows.
CURRENT_PAGE = "_csa_current_page"


def page_link(ctx, path: str, label: str, icon: str, query_params: dict, container=None) -> None:
    """``st.page_link`` to the page file ``path``, by this run's ``st.Page`` when the
    navigation lists it (Streamlit then does not resolve the file's path on every call, a
    third of a long page's time), else by the file. ``icon`` is the link's; a page's own
    icon is used when it is the same (already checked when the page was made)."""
    page = ctx.pages.get(path)
    if page is None:
        target, icon_ = path, icon
    else:
        target, icon_ = page, None if icon == page.icon else icon
    (container or st).page_link(target, label=label, icon=icon_, query_params=query_params)
