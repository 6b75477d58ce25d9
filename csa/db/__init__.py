"""The one database gateway.

Every SQL statement of the app lives in this package, built with SQLAlchemy so that
parameters are always bound. Methods return DataFrames or plain values and know nothing
of Streamlit; caching lives UI-side. The gateway is split into parts by subject
(reference tables, observations, uploads, users, sign-in sessions, plans, the strategic
assessment), each a
mixin of :class:`Database`, so that one object serves the app, the CLI and the tests.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import inspect

from csa import config as csa_config
from csa.db.comparators import ComparatorGateway
from csa.db.core import CoreGateway, frame, utcnow
from csa.db.observations import ObservationGateway
from csa.db.plans import PlanGateway
from csa.db.published import PublishedGateway
from csa.db.reference import ReferenceGateway
from csa.db.sessions import SessionGateway
from csa.db.strategic import StrategicGateway
from csa.db.uploads import UploadGateway
from csa.db.users import UserGateway

__all__ = ["Database", "connect", "frame", "utcnow"]

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class Database(
    ReferenceGateway,
    ObservationGateway,
    UploadGateway,
    UserGateway,
    PlanGateway,
    PublishedGateway,
    SessionGateway,
    StrategicGateway,
    ComparatorGateway,
    CoreGateway,
):
    """The gateway: ``Database(url)``; see the mixins for reads and writes."""

    def migrate(self) -> None:
        """Create or upgrade the schema to the latest Alembic revision."""
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def is_migrated(self) -> bool:
        return inspect(self.engine).has_table("alembic_version")


def connect(url: str | None = None) -> Database:
    """Open the gateway on ``url`` or on the configured database."""
    return Database(url or csa_config.load()["database_url"])
