#!/usr/bin/env bash
# The test command: installs what the tests need when missing (Debian's Chromium for the end-to-end tests, nginx,
# Debian's PostgreSQL 15), builds everything, scripts the SQL Server migrations (so that path cannot rot), runs every test
# project on SQLite, then the Core and Web tests again on a throwaway PostgreSQL cluster it starts and removes (with the
# end-to-end test of several app processes on one database), and
# ends with one line counted from the test results: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium for the end-to-end tests"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || { echo "could not install chromium"; exit 1; }
fi

if [ ! -x /usr/sbin/nginx ]; then
  echo "== installing Debian's nginx for the test of several instances behind it"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null || { echo "could not install nginx"; exit 1; }
fi

if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  echo "== installing Debian's PostgreSQL 15 for the PostgreSQL pass"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || { echo "could not install postgresql"; exit 1; }
fi

echo "== restoring tools and building (Release)"
dotnet tool restore >/dev/null || exit 1
dotnet build OmniConsole.sln -c Release -nologo -v quiet || exit 1

echo "== scripting the SQL Server migrations"
mkdir -p artifacts
dotnet ef migrations script --idempotent --no-build --configuration Release \
  --project src/OmniConsole.Data.SqlServer --startup-project src/OmniConsole.Data.SqlServer \
  --output artifacts/sqlserver-migrations.sql >/dev/null || { echo "SQL Server migrations did not script"; exit 1; }
grep -q 'CREATE TABLE \[CustomerEvents\]' artifacts/sqlserver-migrations.sql || { echo "SQL Server script lacks CustomerEvents"; exit 1; }

results=test-results/trx
rm -rf "$results"
status=0

echo "== checking the code's style (.editorconfig)"
dotnet format OmniConsole.sln --verify-no-changes --severity warn --no-restore -v quiet \
  || { echo "the code departs from .editorconfig: run 'dotnet format OmniConsole.sln --severity warn' and commit"; status=1; }
for project in OmniConsole.Core.Tests OmniConsole.Web.Tests OmniConsole.E2E; do
  echo "== $project (SQLite)"
  dotnet test "tests/$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$project.trx" --results-directory "$results" || status=1
done

# The same Core and Web tests on PostgreSQL: a cluster of our own on loopback, gone when this script ends.
cluster=$(mktemp -d /tmp/omni-pg.XXXXXX)
trap 'tests/postgres-cluster.sh stop "$cluster"' EXIT
if port=$(tests/postgres-cluster.sh start "$cluster"); then
  export OMNICONSOLE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Maximum Pool Size=20"
  for project in OmniConsole.Core.Tests OmniConsole.Web.Tests; do
    echo "== $project (PostgreSQL)"
    dotnet test "tests/$project" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$project.PostgreSql.trx" --results-directory "$results" || status=1
  done
  # Several app processes on one database (they ran on one SQLite file above): now on a PostgreSQL server.
  echo "== OmniConsole.E2E, several instances (PostgreSQL)"
  dotnet test tests/OmniConsole.E2E -c Release --no-build --nologo --filter "FullyQualifiedName~MultiInstanceTests" \
    --logger "trx;LogFileName=OmniConsole.E2E.PostgreSql.trx" --results-directory "$results" || status=1
  unset OMNICONSOLE_TEST_POSTGRES
else
  echo "could not start PostgreSQL"; status=1
fi

# Count from the result files, not from what the runners printed.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(printf '%s' "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(printf '%s' "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
[ "$(ls "$results"/*.trx 2>/dev/null | wc -l)" -eq 6 ] || status=1
[ "$passed" -gt 0 ] || status=1
[ "$failed" -eq 0 ] || status=1
echo "tests: $passed passed, $failed failed"
exit $status
