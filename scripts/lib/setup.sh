# Shared by scripts/test.sh and scripts/start.sh: install what is missing, say what cannot be.
# Only Debian's apt and the npm registry are used; nothing else is downloaded.

say() { printf 'fleetdeck: %s\n' "$*" >&2; }

is_debian_root() { [ -f /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

APT_UPDATED=
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# node_modules from the lock file; reinstalled when the lock changed since the last install.
ensure_node_modules() {
  if [ -x node_modules/.bin/node ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then return 0; fi
  say "installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

# A Docker engine: the running one, else start dockerd, else (Debian, root) install docker.io first.
ensure_docker() {
  if command -v docker >/dev/null && docker_answers; then return 0; fi
  if ! command -v dockerd >/dev/null; then
    if is_debian_root; then
      say "no Docker engine: installing Debian's docker.io…"
      apt_install docker.io || { say "could not install docker.io with apt-get"; return 1; }
    else
      say "no Docker engine answers and dockerd is not installed. Install Docker (Debian/Ubuntu: apt-get install docker.io; or Docker Desktop) and start it."
      return 1
    fi
  fi
  if [ "$(id -u)" != 0 ]; then
    say "the Docker engine is not running. Start it (sudo systemctl start docker) and run again."
    return 1
  fi
  say "starting dockerd…"
  # A dockerd killed hard (as at the end of a session) leaves its pid files, and a new one then
  # refuses to start. Remove them when no such process is alive.
  for f in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
    [ -f "$f" ] || continue
    state=$(ps -o stat= -p "$(cat "$f" 2>/dev/null)" 2>/dev/null | tr -d ' ')
    case "$state" in ''|Z*) rm -f "$f" ;; esac   # gone, or a zombie nobody reaped
  done
  mkdir -p /var/log
  nohup dockerd >/var/log/fleetdeck-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    if docker_answers; then return 0; fi
    sleep 0.5
  done
  say "dockerd did not come up within 30 s; see /var/log/fleetdeck-dockerd.log"
  return 1
}

# Chromium for Playwright: CHROMIUM_PATH, /usr/bin/chromium, else Debian's package. Never a browser download.
ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ -x "$CHROMIUM_PATH" ]; then return 0; fi
  if is_debian_root; then
    say "installing Debian's chromium for the browser tests…"
    apt_install chromium && return 0
  fi
  say "no Chromium at $CHROMIUM_PATH. Install chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH."
  return 1
}

# kubectl, to hold the Kubernetes API fixture to the real client. Optional: its tests skip, saying so.
ensure_kubectl() {
  if command -v kubectl >/dev/null; then return 0; fi
  if is_debian_root; then
    say "installing Debian's kubernetes-client (kubectl)…"
    apt_install kubernetes-client && return 0
  fi
  say "kubectl is not installed; the kubectl tests will be skipped."
  return 0
}

# Debian's Prometheus server, which the Prometheus-source tests start on 127.0.0.1. Optional: its tests skip, saying so.
ensure_prometheus() {
  if [ -x /usr/bin/prometheus ] || command -v prometheus >/dev/null; then return 0; fi
  if is_debian_root; then
    say "installing Debian's prometheus (server) for the Prometheus-source tests…"
    # The package enables a service on :9090; the tests start their own on a free port, so it is left as is.
    apt_install prometheus && return 0
  fi
  say "prometheus is not installed; the Prometheus-source tests will be skipped."
  return 0
}
