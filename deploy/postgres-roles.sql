-- PostgreSQL roles for a deployment with several app servers (deploy/README.md).
-- The same grants as docs/access.md ("PostgreSQL roles"), in one file to run with psql:
--
--     psql "postgresql://csa_owner@db/csa" -v ON_ERROR_STOP=1 -f deploy/postgres-roles.sql
--
-- Run it as the owner of the schema (csa_owner: it runs `python -m csa init`, i.e. the
-- migrations, and imports from the command line), after `init` has created the tables, and
-- again after an upgrade that adds tables. Change the passwords (or create the roles
-- without them and use another authentication method in pg_hba.conf); keep them in the
-- environment (CSA_DATABASE_URL) or a secrets manager, never in the repository.
-- tests/test_deployment.py runs this file (with its own role and database names) and serves
-- the officer entry as csa_app.

CREATE ROLE csa_app LOGIN PASSWORD 'choose-a-strong-one';
CREATE ROLE csa_public LOGIN PASSWORD 'choose-another';

GRANT CONNECT ON DATABASE csa TO csa_app, csa_public;
GRANT USAGE ON SCHEMA public TO csa_app, csa_public;

-- The officer entry (every app server that people sign in to): read and write. This covers
-- what several servers share through the database: the sign-in sessions (`sessions`), the
-- published figures (`publications`, `published_figures`, which the first server to need a
-- new data version publishes while the others wait) and `data_version`, which every write
-- raises so that each server's caches notice. The audit log is append-only.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO csa_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO csa_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM csa_app;

-- Tables a later migration adds (created by csa_owner) get the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE csa_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO csa_app;
ALTER DEFAULT PRIVILEGES FOR ROLE csa_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO csa_app;

-- The public entry (CSA_PUBLIC_ONLY=true): read-only, only what the public pages read. It
-- never publishes: the officer entry, `init` and every import do.
GRANT SELECT ON alembic_version, organisations, areas, area_members, populations, editions,
    themes, indicators, targets, periods, observations, deprivation, context_indicators,
    unit_costs, data_version, publications, published_figures TO csa_public;
GRANT SELECT (id, kind, sha256, created_at, outcome) ON uploads TO csa_public;  -- not the files
GRANT SELECT (id, action, outcome) ON audit_log TO csa_public;  -- no user or detail columns
-- The start-up check that the bundled data is loaded also reads the strategic assessment.
GRANT SELECT ON sa_rounds, sa_criteria, sa_issues, sa_scores, sa_priorities TO csa_public;
ALTER ROLE csa_public SET default_transaction_read_only = on;
-- Nothing on users (password hashes), sessions, recovery_plans or plan_versions.
