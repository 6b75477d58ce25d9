"""Who is using the app in this session, and in which mode (embedded, presentation)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Viewer:
    """The person using this session: role public when nobody is signed in."""

    email: str = "anonymous"
    role: str = "public"
    org_code: str | None = None
    name: str = "Public"

    @property
    def signed_in(self) -> bool:
        return self.role != "public"


ANONYMOUS = Viewer()


def is_embedded() -> bool:
    """True on the public website embed (``?embed=true``)."""
    try:
        return bool(st.context.is_embedded)
    except AttributeError:  # pragma: no cover - older Streamlit
        return st.query_params.get("embed", "").lower() == "true"


def is_presenting() -> bool:
    return st.query_params.get("mode", "") == "present"


def current_viewer() -> Viewer:
    """The signed-in viewer, or the anonymous public one. The embed is always public."""
    if is_embedded():
        return ANONYMOUS
    viewer = st.session_state.get("viewer")
    return viewer if isinstance(viewer, Viewer) else ANONYMOUS
