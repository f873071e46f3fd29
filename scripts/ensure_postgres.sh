#!/usr/bin/env bash
# Prints a DATABASE_URL for a reachable PostgreSQL server, for the test suite and benchmarks.
# Uses $DATABASE_URL when set; otherwise the local server on 127.0.0.1:5432, starting or installing
# Debian's PostgreSQL when it can. Exits non-zero (and says why) when no server can be had.
set -euo pipefail

say() { echo "ensure_postgres: $*" >&2; }

if [ -n "${DATABASE_URL:-}" ]; then
  echo "$DATABASE_URL"
  exit 0
fi

host=127.0.0.1
port=${PGPORT:-5432}
url_for() { echo "postgres://$1@$host:$port/postgres"; }

reachable() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

can_connect_as() { psql -h "$host" -p "$port" -U "$1" -d postgres -Atc "select 1" >/dev/null 2>&1; }

if ! command -v pg_isready >/dev/null 2>&1 || ! reachable; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian's postgresql"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    else
      say "no PostgreSQL server and no way to install one: set DATABASE_URL"
      exit 1
    fi
  fi
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then
    say "PostgreSQL is installed but has no cluster: set DATABASE_URL"
    exit 1
  fi
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 1 30); do reachable && break; sleep 1; done
  reachable || { say "PostgreSQL did not start"; exit 1; }
fi

for role in postgres "$(id -un)"; do
  if can_connect_as "$role"; then
    url_for "$role"
    exit 0
  fi
done

# Password authentication on 127.0.0.1: make a role for the tests through the local socket.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
  runuser -u postgres -- psql -Atqc "do \$\$ begin if not exists (select from pg_roles where rolname = 'commonweal') then create role commonweal login superuser password 'commonweal'; end if; end \$\$;" >&2
  echo "postgres://commonweal:commonweal@$host:$port/postgres"
  exit 0
fi
say "PostgreSQL answers but refuses our connection: set DATABASE_URL"
exit 1
