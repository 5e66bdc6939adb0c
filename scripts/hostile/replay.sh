#!/usr/bin/env bash
# Runs the hostile-input catalogue (test/integration/hostile) of this checkout against an older kiln,
# built from COMMIT, and lists the cases that fail there: the proof that each case tests something
# the fix changed. Usage: scripts/hostile/replay.sh COMMIT [jest -t pattern]
# Needs this checkout's node_modules (npm ci); the old kiln is built with them in a temp folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
commit=${1:?usage: scripts/hostile/replay.sh COMMIT [test name pattern]}
old=$(mktemp -d)
results=$(mktemp)
trap 'rm -rf "$old" "$results"' EXIT
git archive "$commit" | tar -x -C "$old"
ln -s "$PWD/node_modules" "$old/node_modules"
(cd "$old" && npx tsc -p tsconfig.build.json && node scripts/bundle-runner.mjs) >/dev/null
KILN_CLI_UNDER_TEST="$old" npx jest test/integration/hostile --selectProjects integration \
  ${2:+-t "$2"} --json --outputFile="$results" >/dev/null 2>&1 || true
node -e '
  const run = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const cases = run.testResults.flatMap((file) => file.assertionResults);
  const failed = cases.filter((test) => test.status === "failed");
  for (const test of failed) console.log(`fails on ${process.argv[2]}: ${test.fullName}`);
  console.log(`${failed.length} of ${cases.length} cases fail on ${process.argv[2]}`);
' "$results" "$commit"
