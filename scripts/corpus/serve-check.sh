#!/usr/bin/env bash
# Dev-time check (not CI): build each app folder given with `kiln build --local` against the e2e
# registry, run the image, and check it answers HTTP on $PORT as a non-root user.
#   scripts/e2e/up.sh && set -a && . .e2e/env && set +a
#   scripts/corpus/serve-check.sh /work/corpus/render-examples+express-hello-world ...
# Prints one line per app: `<dir> built|build-failed answered|no-answer user=<name> uid=<n>`.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
: "${KILN_E2E_REGISTRY:?run scripts/e2e/up.sh and source .e2e/env first}"
for dir in "$@"; do
  name="kiln-corpus-$(basename "$dir" | tr -c 'a-z0-9\n' '-' | cut -c1-40)"
  log="/tmp/${name}.log"
  if ! node "$root/bin/kiln.js" build --local "$dir" --registry "$KILN_E2E_REGISTRY/$name" --json >"$log.json" 2>"$log"; then
    echo "$dir build-failed (see $log)"
    continue
  fi
  image=$(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(j.imageUri)' "$log.json")
  port=$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
  container=$(docker run -d --network host -e "PORT=$port" "$image")
  # Apps that ignore $PORT listen on the port the image EXPOSEs.
  exposed=$(docker inspect --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}}{{end}}' "$image" | cut -d/ -f1)
  answer=no-answer
  for _ in $(seq 1 60); do
    for p in "$port" $exposed; do
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/" || true)
      if [ "$code" != "000" ] && [ -n "$code" ]; then answer="answered-$code-on-$([ "$p" = "$port" ] && echo PORT || echo "$p")"; break 2; fi
    done
    sleep 1
  done
  user=$(docker exec "$container" id -un 2>/dev/null || echo '?')
  uid=$(docker exec "$container" id -u 2>/dev/null || echo '?')
  [ "$answer" = no-answer ] && docker logs "$container" >"$log.run" 2>&1
  docker rm -f "$container" >/dev/null
  echo "$dir built $answer user=$user uid=$uid"
done
