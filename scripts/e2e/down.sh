#!/usr/bin/env bash
# Stops what scripts/e2e/up.sh started (the registry, and dockerd if up.sh started it), by recorded pid.
# Caches stay (docker data-root with the stand-in images, the debootstrap tarball, registry storage),
# so the next up.sh is fast. A docker engine up.sh found already running is left alone.
set -euo pipefail
state="$(cd "$(dirname "$0")/../.." && pwd)/.e2e"

stop() {
  local name=$1 pidfile="$state/$1.pid"
  [[ -f "$pidfile" ]] || return 0
  local pid
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    echo "e2e down: stopping $name (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && { echo "e2e down: $name ignored SIGTERM; killing"; kill -9 "$pid"; }
  fi
  rm -f "$pidfile"
}

stop registry
stop dockerd
rm -f "$state/env"
