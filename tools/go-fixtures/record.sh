#!/usr/bin/env bash
# Regenerates packages/template/fixtures/go-results.json (and, with --bench,
# go-bench.json) from real Go text/template + sprig v3.
# Needs Debian's golang-go and golang-github-masterminds-sprig-dev; builds offline.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
fixtures="$root/packages/template/fixtures"

if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/Masterminds/sprig ]; then
  echo "install Go and sprig first: apt-get install -y golang-go golang-github-masterminds-sprig-dev" >&2
  exit 1
fi

# The cases file is generated from the TypeScript case list.
(cd "$root" && ./run pnpm exec tsx tools/go-fixtures/cases.ts "$fixtures/cases.json")

bin="$(mktemp -d)/go-fixtures"
(cd "$here" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= go build -o "$bin" .)
"$bin" record "$fixtures/cases.json" "$fixtures/go-results.json"
echo "recorded $(grep -c '"name"' "$fixtures/go-results.json") results into $fixtures/go-results.json"

if [ "${1:-}" = "--bench" ]; then
  # bench-cases.json (the benchmark's templates and data) is shared with render.bench.ts.
  "$bin" bench "$fixtures/bench-cases.json" "$fixtures/go-bench.json"
fi
