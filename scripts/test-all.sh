#!/usr/bin/env bash
# Run the whole test suite as CI does: installs Debian's chromium, PostgreSQL, npm and nginx when they
# are missing (needs root or sudo), starts a throwaway PostgreSQL cluster on a loopback port, points
# CSA_TEST_POSTGRES_URL at it, runs pytest (unit, AppTest, PostgreSQL and browser tests) and the
# linter, then stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# nginx for tests/test_deployment.py (Debian installs it in /usr/sbin, not always on PATH)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "Installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)" 2>/dev/null || true)
[ -x "$PGBIN/initdb" ] || PGBIN=$(dirname "$(command -v initdb)")
PGDATA=$(mktemp -d /tmp/csa-pg.XXXXXX)
PGPORT=${CSA_TEST_PG_PORT:-55432}
PGUSER_OS=$(id -un)
run_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || useradd -r -m postgres; chown postgres "$PGDATA"; PGUSER_OS=postgres; fi
cleanup() { run_pg "'$PGBIN/pg_ctl' -D '$PGDATA' -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$PGDATA"; }
trap cleanup EXIT
run_pg "'$PGBIN/initdb' -D '$PGDATA' -U csa --auth=trust -E UTF8 >/dev/null"
run_pg "'$PGBIN/pg_ctl' -D '$PGDATA' -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -w start >/dev/null"
export CSA_TEST_POSTGRES_URL="postgresql://csa@127.0.0.1:$PGPORT/postgres"
echo "PostgreSQL ($($PGBIN/postgres --version)) on 127.0.0.1:$PGPORT"

# axe-core for the accessibility browser tests (package.json, pinned by package-lock.json)
[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent

"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
"$PYTHON" -m pytest "$@"
