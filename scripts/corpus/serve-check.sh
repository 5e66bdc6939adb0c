#!/usr/bin/env bash
# Dev-time check (not CI): build each app folder given with `kiln build --local` against the e2e
# registry, run the image, and check it answers HTTP on $PORT as a non-root user.
#   scripts/e2e/up.sh && set -a && . .e2e/env && set +a
#   scripts/corpus/serve-check.sh /work/corpus/render-examples+express-hello-world ...
# Prints one line per app: `<dir> built in <n>s size=<MB> answered-<status>|no-answer user=<name> uid=<n>`
# (or `build-failed`). The container shares the host's network, so the app is asked on the host's
# first non-loopback address: an app that binds only localhost (unreachable when deployed) reports
# `loopback-only`, not an answer. CORPUS_SERVE_ENV: more `-e` variables for the container, space-separated
# (e.g. REDIS_URL=redis://127.0.0.1:6379 for an app that needs a service running on loopback).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
address=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -m1 -E '^[0-9.]+$' || true)
address=${address:-127.0.0.1}
: "${KILN_E2E_REGISTRY:?run scripts/e2e/up.sh and source .e2e/env first}"
for dir in "$@"; do
  # A repository name the registry accepts: lowercase, no trailing separator.
  name="kiln-corpus-$(basename "$dir" | tr -c 'a-z0-9\n' '-' | cut -c1-40 | sed 's/-*$//')"
  log="/tmp/${name}.log"
  # Base images can't be pulled here: name the stand-in an app needs instead of a failed pull.
  missing=$(node "$root/bin/kiln.js" dockerfile "$dir" 2>/dev/null |
    awk 'toupper($1) == "FROM" { if (!($2 in stage)) print $2; if (toupper($3) == "AS") stage[$4] = 1 }' |
    while read -r image; do docker image inspect "$image" >/dev/null 2>&1 || echo "$image"; done | sort -u)
  if [ -n "$missing" ]; then
    echo "$dir skipped: no stand-in for $(echo $missing) (run scripts/e2e/up.sh $(echo $missing))"
    continue
  fi
  started=$(date +%s)
  if ! node "$root/bin/kiln.js" build --local "$dir" --registry "$KILN_E2E_REGISTRY/$name" --json >"$log.json" 2>"$log"; then
    echo "$dir build-failed after $(($(date +%s) - started))s (see $log)"
    continue
  fi
  seconds=$(($(date +%s) - started))
  image=$(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(j.imageUri)' "$log.json")
  port=$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
  size=$(docker image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0fMB", $1 / 1e6 }')
  extra=()
  for variable in ${CORPUS_SERVE_ENV:-}; do extra+=(-e "$variable"); done
  container=$(docker run -d --network host -e "PORT=$port" "${extra[@]}" "$image")
  # Apps that ignore $PORT listen on the port the image EXPOSEs.
  exposed=$(docker inspect --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}}{{end}}' "$image" | cut -d/ -f1)
  status() { curl -s -o /dev/null -w '%{http_code}' "http://$1:$2/" || true; }
  answer=no-answer
  for _ in $(seq 1 90); do
    for p in "$port" $exposed; do
      code=$(status "$address" "$p")
      if [ "$code" != "000" ] && [ -n "$code" ]; then answer="answered-$code-on-$([ "$p" = "$port" ] && echo PORT || echo "$p")"; break 2; fi
      code=$(status 127.0.0.1 "$p")
      if [ "$code" != "000" ] && [ -n "$code" ]; then answer="loopback-only-$code-on-$p"; fi
    done
    sleep 1
  done
  user=$(docker exec "$container" id -un 2>/dev/null || echo '?')
  uid=$(docker exec "$container" id -u 2>/dev/null || echo '?')
  [[ "$answer" != answered-* ]] && docker logs "$container" >"$log.run" 2>&1
  docker rm -f "$container" >/dev/null
  echo "$dir built in ${seconds}s size=$size $answer user=$user uid=$uid"
done
