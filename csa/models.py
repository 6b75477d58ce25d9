"""The SQLAlchemy schema of the CSA dashboard.

History is append-only: a new figure for the same indicator, area and period is a new
row in ``observations`` with the next ``revision``; the current figure is the highest
revision. Rolling an upload back appends revisions that restore the earlier values, so
nothing is ever overwritten or deleted. Every write also adds a row to ``audit_log``,
whose highest id serves as the cheap "data version" that UI caches are keyed on.

Alembic migrations live in ``csa/migrations``; change this file, then add a revision.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

AREA_KINDS = ("district", "unitary", "policing_area", "county", "pan", "unassigned")
UNITS = ("count", "rate", "percentage")
POLARITIES = ("low_is_good", "high_is_good", "no_judgement")
FREQUENCIES = ("monthly", "quarterly", "annual")
DATA_KINDS = ("real", "demo")
TARGET_TYPES = ("fixed", "change_vs_baseline", "benchmark")
ROLES = ("public", "officer", "analyst", "board", "admin")
PLAN_STATES = ("draft", "submitted", "approved", "returned", "monitoring", "closed")


class Base(DeclarativeBase):
    pass


class Area(Base):
    __tablename__ = "areas"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    csp_code: Mapped[str | None] = mapped_column(String(16))
    policing_area: Mapped[str | None] = mapped_column(String(16))
    authority_type: Mapped[str | None] = mapped_column(String(80))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class AreaMember(Base):
    """Which base areas make up a grouping (policing area, Lancashire-12, pan-Lancashire)."""

    __tablename__ = "area_members"
    group_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    member_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)


class Population(Base):
    __tablename__ = "populations"
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    population: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)


class Edition(Base):
    """A Community Safety Agreement (agreement period)."""

    __tablename__ = "editions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)


class Theme(Base):
    """A key issue, a contributory factor, or context, within an edition."""

    __tablename__ = "themes"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))  # key_issue | contributory_factor | context
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Organisation(Base):
    __tablename__ = "organisations"
    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    name: Mapped[str] = mapped_column(String(160))


class Indicator(Base):
    __tablename__ = "indicators"
    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    theme_code: Mapped[str] = mapped_column(ForeignKey("themes.code"))
    unit: Mapped[str] = mapped_column(String(16))
    multiplier: Mapped[int] = mapped_column(Integer, default=1)
    polarity: Mapped[str] = mapped_column(String(16))
    frequency: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    lead_org_code: Mapped[str] = mapped_column(ForeignKey("organisations.code"))
    lead_role: Mapped[str] = mapped_column(String(160), default="")
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    data_kind: Mapped[str] = mapped_column(String(8), default="demo")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: comma-separated period labels where SPC limits are re-calculated (a known change)
    spc_rephase: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Target(Base):
    """A target for an indicator, for all areas (area_code NULL) or one area."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"), index=True)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"))
    target_type: Mapped[str] = mapped_column(String(24))
    target_value: Mapped[float] = mapped_column(Float)
    baseline_period: Mapped[str | None] = mapped_column(String(24))
    tolerance_pct: Mapped[float | None] = mapped_column(Float)
    valid_from: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")


class Period(Base):
    __tablename__ = "periods"
    label: Mapped[str] = mapped_column(String(24), primary_key=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    frequency: Mapped[str] = mapped_column(String(16))
    financial_year: Mapped[str] = mapped_column(String(8))


class Upload(Base):
    """An imported file (a return, the bundled seed, a rollback), with its original bytes."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # seed | return | rollback | ranking
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    user_email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(16))  # committed | rejected | rolled_back
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    rolled_back_by: Mapped[str | None] = mapped_column(String(254))
    rolled_back_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Idempotency key of a committed return, ``"return:<sha256>"``; cleared when it is
    #: rolled back. Unique, so the same file committed twice at once is stored once.
    dedupe_key: Mapped[str | None] = mapped_column(String(80))
    #: For a rollback: the upload it undid (a return, or another rollback).
    reverts_upload_id: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (Index("uq_uploads_dedupe_key", "dedupe_key", unique=True),)


class Observation(Base):
    __tablename__ = "observations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    period_label: Mapped[str] = mapped_column(ForeignKey("periods.label"))
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), default="final")  # provisional | final
    data_kind: Mapped[str] = mapped_column(String(8))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        UniqueConstraint(
            "indicator_code",
            "area_code",
            "period_label",
            "revision",
            name="uq_observation_revision",
        ),
        Index("ix_observation_series", "indicator_code", "area_code", "period_label"),
    )


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(255), default="")
    outcome: Mapped[str] = mapped_column(String(12), default="ok")  # ok | refused | failed
    detail: Mapped[str] = mapped_column(Text, default="")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(160), default="")
    role: Mapped[str] = mapped_column(String(16))
    org_code: Mapped[str | None] = mapped_column(ForeignKey("organisations.code"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class SignInThrottle(Base):
    """Failed sign-ins for emails that are not users, counted like ``users.failed_logins``
    so that an unknown email locks out exactly as a known one does (no enumeration)."""

    __tablename__ = "sign_in_throttle"
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class SignInSession(Base):
    """A signed-in browser (local accounts served by ``serve.py``): the cookie carries a
    random id, only its SHA-256 is stored, so several app servers agree on who is signed
    in and a stolen database holds no usable cookie. Revoked at sign-out, when the account
    is disabled or its role changes (:mod:`csa.sessions`)."""

    __tablename__ = "sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_email: Mapped[str] = mapped_column(String(254), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_reason: Mapped[str] = mapped_column(String(40), default="")


class RecoveryPlan(Base):
    __tablename__ = "recovery_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    period_label: Mapped[str] = mapped_column(String(24))  # period the plan was raised for
    state: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(255))
    lead_org_code: Mapped[str | None] = mapped_column(ForeignKey("organisations.code"))
    review_date: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PlanVersion(Base):
    """Every saved state of a plan: content is JSON (evidence, causes, actions, trajectory)."""

    __tablename__ = "plan_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("recovery_plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")
    saved_by: Mapped[str] = mapped_column(String(254))
    saved_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("plan_id", "version", name="uq_plan_version"),)


class AssessmentRound(Base):
    """A strategic assessment round (the ranking matrix for one year)."""

    __tablename__ = "sa_rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | agreed
    data_kind: Mapped[str] = mapped_column(String(8), default="demo")
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AssessmentCriterion(Base):
    __tablename__ = "sa_criteria"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("sa_rounds.id"))
    code: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float)
    scale_min: Mapped[int] = mapped_column(Integer, default=1)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    data_driven: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (UniqueConstraint("round_id", "code", name="uq_sa_criterion"),)


class AssessmentIssue(Base):
    __tablename__ = "sa_issues"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("sa_rounds.id"))
    code: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(160))
    theme_code: Mapped[str | None] = mapped_column(ForeignKey("themes.code"))
    indicator_codes: Mapped[str] = mapped_column(Text, default="")  # comma-separated
    __table_args__ = (UniqueConstraint("round_id", "code", name="uq_sa_issue"),)


class AssessmentScore(Base):
    __tablename__ = "sa_scores"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("sa_rounds.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    issue_code: Mapped[str] = mapped_column(String(24))
    criterion_code: Mapped[str] = mapped_column(String(24))
    score: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16), default="entered")  # entered|suggested|uploaded
    entered_by: Mapped[str] = mapped_column(String(254))
    entered_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (
        UniqueConstraint(
            "round_id", "area_code", "issue_code", "criterion_code", name="uq_sa_score"
        ),
    )


class AssessmentPriority(Base):
    """A local priority agreed by a partnership in a round."""

    __tablename__ = "sa_priorities"
    round_id: Mapped[int] = mapped_column(ForeignKey("sa_rounds.id"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    issue_code: Mapped[str] = mapped_column(String(24), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)
    agreed_by: Mapped[str] = mapped_column(String(254))
    agreed_at: Mapped[datetime] = mapped_column(DateTime)


class Deprivation(Base):
    """MHCLG English Indices of Deprivation, LAD summaries (real, context)."""

    __tablename__ = "deprivation"
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    edition: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(80), primary_key=True)
    average_rank: Mapped[float | None] = mapped_column(Float)
    rank_average_rank: Mapped[int | None] = mapped_column(Integer)
    average_score: Mapped[float | None] = mapped_column(Float)
    rank_average_score: Mapped[int | None] = mapped_column(Integer)
    proportion_bottom_decile: Mapped[float | None] = mapped_column(Float)
    rank_proportion_bottom_decile: Mapped[int | None] = mapped_column(Integer)
    lads_ranked: Mapped[int] = mapped_column(Integer)


class ContextIndicator(Base):
    """ONS Subnational Indicators Explorer figures (real, context)."""

    __tablename__ = "context_indicators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    indicator: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(40))
    measure: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float)
    geography_level: Mapped[str] = mapped_column(String(80))


class UnitCost(Base):
    """A published unit cost of crime (Home Office, The economic and social costs of crime,
    second edition, 2018, Table 1) for one cost category, in 2015/16 prices.

    The bundled figures (``data/unit_costs_of_crime_2015_16.csv``) are loaded by the seed;
    analysts may add a category's figure, or correct one, from the report, naming their
    source. Every change is audited with the old and new figure.
    """

    __tablename__ = "unit_costs"
    category: Mapped[str] = mapped_column(String(80), primary_key=True)
    unit_cost_gbp: Mapped[float] = mapped_column(Float)
    price_year: Mapped[str] = mapped_column(String(8))
    precision: Mapped[str] = mapped_column(String(200), default="as published")
    source: Mapped[str] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(254))
    entered_at: Mapped[datetime] = mapped_column(DateTime)


class ComparatorGroupMember(Base):
    """One member of a comparator group uploaded by an analyst (the bundled groups live in
    ``data/comparator_groups.csv``); see :mod:`csa.comparators`. A member code of ``*``
    means every area of the level. A group is replaced wholly when uploaded again."""

    __tablename__ = "comparator_groups"
    group_name: Mapped[str] = mapped_column(String(120), primary_key=True)
    level: Mapped[str] = mapped_column(String(8))
    member_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    vintage: Mapped[str] = mapped_column(String(120))
    uploaded_by: Mapped[str] = mapped_column(String(254))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)


class DataVersion(Base):
    """One row: a counter raised in the same transaction as every audited change of data
    (:meth:`csa.db.core.CoreGateway.audit`), so reading the data version is one primary-key
    lookup, however long the audit log grows."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class Publication(Base):
    """One computation of the published figures: for a data version and the settings that
    shape them (``key``). The first server to need it claims the row (the primary key makes
    the claim atomic on SQLite and PostgreSQL) and fills ``published_figures``; the others
    wait for ``ready`` and share it."""

    __tablename__ = "publications"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data_version: Mapped[int] = mapped_column(Integer)
    ready: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    seconds: Mapped[float | None] = mapped_column(Float)
    figures: Mapped[int] = mapped_column(Integer, default=0)
    #: JSON {indicator_code: [digest, rows]} (csa.publish.fingerprints), for incremental
    #: publication; and how many indicators this publication computed (the rest kept).
    fingerprints: Mapped[str | None] = mapped_column(Text)
    rebuilt: Mapped[int | None] = mapped_column(Integer)
    #: the ``published_figures.publication_key`` its figures are stored under: an incremental
    #: publication keeps the earlier one's rows where they are (None: under its own key).
    stored_as: Mapped[str | None] = mapped_column(String(64))


class PublishedFigure(Base):
    """A figure as every surface shows it (:mod:`csa.publish`): for one audience ("public",
    after disclosure control, or "signed_in"), computed once per publication."""

    __tablename__ = "published_figures"
    publication_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    audience: Mapped[str] = mapped_column(String(10), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(24), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    period_label: Mapped[str] = mapped_column(String(24), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(16))
    data_kind: Mapped[str] = mapped_column(String(8))
    figure_status: Mapped[str] = mapped_column(String(16))
    hidden: Mapped[str] = mapped_column(String(16), default="")  # "", primary, complementary
    value: Mapped[float | None] = mapped_column(Float)
    lower: Mapped[float | None] = mapped_column(Float)
    upper: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    benchmark_value: Mapped[float | None] = mapped_column(Float)
    target_status: Mapped[str] = mapped_column(String(20))
    comparison: Mapped[str] = mapped_column(String(20))
    variation: Mapped[str | None] = mapped_column(String(40))
    assurance: Mapped[str | None] = mapped_column(String(20))
    trend_direction: Mapped[str] = mapped_column(String(24))
    trend_judgement: Mapped[str] = mapped_column(String(24))
    rag: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(40))
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    periods_off_track: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences
    value_text: Mapped[str] = mapped_column(String(40))
    interval_text: Mapped[str] = mapped_column(String(60))
    target_text: Mapped[str] = mapped_column(String(40))
    numerator_text: Mapped[str] = mapped_column(String(40))
    denominator_text: Mapped[str] = mapped_column(String(40))
    status_text: Mapped[str] = mapped_column(String(60))
    variation_text: Mapped[str] = mapped_column(String(80))
    assurance_text: Mapped[str] = mapped_column(String(120))
    comparison_text: Mapped[str] = mapped_column(String(60))
    spc: Mapped[str] = mapped_column(Text, default="")  # JSON: the SPC chart as at this period
    __table_args__ = (
        Index("ix_published_period", "publication_key", "audience", "period_label", "area_code"),
    )
