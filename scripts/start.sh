#!/usr/bin/env bash
# npm start: install what is missing (dependencies, a Docker engine where it can), build, open the desktop app. Where Electron's binary
# cannot be had (offline, no display), say so in one line and serve the panel to a browser.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/setup.sh

ensure_node_modules || exit 1
export PATH="$PWD/node_modules/.bin:$PATH"
npm run --silent build || exit 1
# The panel manages the local engine: start it (installing Debian's docker.io as root) where we can.
ensure_docker || say "continuing without a Docker engine; the panel shows how to start one."

electron_ready() {
  [ -n "${ELECTRON_OVERRIDE_DIST_PATH:-}" ] && return 0
  # Electron 42+ fetches its binary on first use; allow a bounded try.
  timeout 180 node node_modules/electron/install.js >/dev/null 2>&1
}
has_display() { [ "$(uname)" != Linux ] || [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; }

if ! has_display; then
  say "no display to open a window on; serving the panel to a browser instead."
elif electron_ready; then
  exec electron .
else
  say "Electron's binary could not be downloaded (offline?); serving the panel to a browser instead."
fi
exec node dist/main/cli.js serve "$@"
