"""Who is using the app in this session, and in which mode (embedded, presentation)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from csa.access import Actor


@dataclass(frozen=True)
class Viewer:
    """The person using this session: role public when nobody is signed in.

    ``via`` says how they signed in: ``"password"`` (a local account), ``"oidc"`` (the
    identity provider, ``st.login``), ``"headers"`` (the trusted reverse proxy) or ``""``
    (set directly in session state, as tests do). Viewers from a sign-in are checked
    against the users table on every run, so a disabled account or a changed role takes
    effect at once.
    """

    email: str = "anonymous"
    role: str = "public"
    org_code: str | None = None
    name: str = "Public"
    via: str = ""

    @property
    def signed_in(self) -> bool:
        return self.role != "public"

    @property
    def actor(self) -> Actor:
        """The :class:`csa.access.Actor` to pass to every ``csa`` write."""
        return Actor(self.email, self.role, self.org_code)


ANONYMOUS = Viewer()


def is_embedded() -> bool:
    """True on the public website embed (``?embed=true``)."""
    try:
        return bool(st.context.is_embedded)
    except AttributeError:  # pragma: no cover - older Streamlit
        return st.query_params.get("embed", "").lower() == "true"


def is_presenting() -> bool:
    return st.query_params.get("mode", "") == "present"
