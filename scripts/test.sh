#!/usr/bin/env bash
# npm test: installs what is missing (dependencies, a Docker engine, Chromium, kubectl, Prometheus), builds,
# then runs every test: lint and format check, type checks, unit, integration (real Docker engine, Kubernetes API
# fixture) and end-to-end (Playwright + Chromium against `fleetdeck serve`).
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/setup.sh

ensure_node_modules || exit 1
export PATH="$PWD/node_modules/.bin:$PATH"   # Node 24 from the node@24 devDependency
ensure_docker || exit 1
ensure_chromium || exit 1
ensure_kubectl
ensure_prometheus

logs=$(mktemp -d)
failed_stages=()
stage() {
  local name=$1; shift
  printf '\n=== %s ===\n' "$name"
  if ! "$@" 2>&1 | tee "$logs/$name.log"; then failed_stages+=("$name"); fi
}

stage lint npm run --silent lint
stage typecheck npm run --silent typecheck
stage build npm run --silent build
if [ -f scripts/samples-build.ts ]; then stage samples-images npm run --silent samples:build; fi
stage unit npm run --silent test:unit
stage integration npm run --silent test:integration
stage e2e npm run --silent test:e2e

# One closing line over all runners: node's test runner prints "ℹ pass N", Playwright "N passed".
count() { grep -hoE "$1" "$logs"/unit.log "$logs"/integration.log "$logs"/e2e.log 2>/dev/null | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(( $(count '^ℹ pass [0-9]+') + $(count '^ +[0-9]+ passed') ))
failed=$(( $(count '^ℹ fail [0-9]+') + $(count '^ +[0-9]+ failed') ))
skipped=$(( $(count '^ℹ skipped [0-9]+') + $(count '^ +[0-9]+ skipped') ))
rm -rf "$logs"

if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}"
  [ "$failed" -gt 0 ] || failed=${#failed_stages[@]}
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ ${#failed_stages[@]} -eq 0 ]
