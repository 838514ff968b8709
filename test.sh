#!/usr/bin/env bash
# The test command: installs what the tests need when missing (Debian's Chromium for the end-to-end tests),
# builds everything, scripts the SQL Server migrations (so that path cannot rot), runs every test project,
# and ends with one line counted from the test results: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium for the end-to-end tests"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || { echo "could not install chromium"; exit 1; }
fi

echo "== restoring tools and building (Release)"
dotnet tool restore >/dev/null || exit 1
dotnet build OmniConsole.sln -c Release -nologo -v quiet || exit 1

echo "== scripting the SQL Server migrations"
mkdir -p artifacts
dotnet ef migrations script --idempotent --no-build --configuration Release \
  --project src/OmniConsole.Migrations.SqlServer --startup-project src/OmniConsole.Migrations.SqlServer \
  --output artifacts/sqlserver-migrations.sql >/dev/null || { echo "SQL Server migrations did not script"; exit 1; }
grep -q 'CREATE TABLE \[CustomerEvents\]' artifacts/sqlserver-migrations.sql || { echo "SQL Server script lacks CustomerEvents"; exit 1; }

results=test-results/trx
rm -rf "$results"
status=0
for project in OmniConsole.Core.Tests OmniConsole.Web.Tests OmniConsole.E2E; do
  echo "== $project"
  dotnet test "tests/$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$project.trx" --results-directory "$results" || status=1
done

# Count from the result files, not from what the runners printed.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(printf '%s' "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(printf '%s' "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
[ "$(ls "$results"/*.trx 2>/dev/null | wc -l)" -eq 3 ] || status=1
[ "$passed" -gt 0 ] || status=1
[ "$failed" -eq 0 ] || status=1
echo "tests: $passed passed, $failed failed"
exit $status
