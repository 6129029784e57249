#!/usr/bin/env bash
# Regenerates the differential fixtures from real Go text/template:
#   packages/template/fixtures/go-results.json            sprig v3.3.0 (KubeStash's pins)   — dialect sprig3
#   packages/template/fixtures/go-results-kanister.json   sprig v2.22.0 + Kanister's ksprig — dialect kanister
#   packages/functions/fixtures/typed-results-{sprig3,kanister}.json   the same over Kanister's Go-typed TemplateParams
#   packages/template/fixtures/go-corpus-digests.json    both dialects over the compatibility corpus's templates,
#                                                         as digests (needs the corpus: $QUIESCE_CORPUS or ../shared/corpus)
# and, with --bench, packages/template/fixtures/go-bench.json and packages/functions/fixtures/go-bench-corpus.json.
#
# Needs Debian's golang-go, SPRIG_V3_GOPATH: a GOPATH holding sprig v3.3.0 and the versions KubeStash's go.mod
# pins, and SPRIG_V2_GOPATH: a GOPATH holding sprig v2.22.0 and the versions Kanister's go.mod pins (see
# README.md). It builds offline and fetches nothing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
fixtures="$root/packages/template/fixtures"
typed="$root/packages/functions/fixtures"

if ! command -v go >/dev/null; then
  echo "install Go first: apt-get install -y golang-go" >&2
  exit 1
fi
v3="${SPRIG_V3_GOPATH:-}"
if [ -z "$v3" ] || ! grep -q 'func sha512sum' "$v3/src/github.com/Masterminds/sprig/crypto.go" 2>/dev/null; then
  echo "set SPRIG_V3_GOPATH to a GOPATH holding sprig v3.3.0 and its dependencies (see tools/go-fixtures/README.md)" >&2
  exit 1
fi
v2="${SPRIG_V2_GOPATH:-}"
if [ -z "$v2" ] || [ ! -f "$v2/src/github.com/Masterminds/sprig/functions.go" ] ||
  ! grep -q '"github.com/Masterminds/semver"' "$v2/src/github.com/Masterminds/sprig/semver.go"; then
  echo "set SPRIG_V2_GOPATH to a GOPATH holding sprig v2.22.0 and its dependencies (see tools/go-fixtures/README.md)" >&2
  exit 1
fi

# The case files are generated from the TypeScript case lists; the corpus's cases go to a
# scratch directory outside the repository (only digests of Go's results are kept).
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
(cd "$root" && ./run pnpm exec tsx tools/go-fixtures/cases.ts "$fixtures/cases.json")
(cd "$root" && ./run pnpm exec tsx tools/go-fixtures/typed-cases.ts "$typed/typed-cases.json")
(cd "$root" && ./run pnpm exec tsx tools/go-fixtures/corpus-digests.ts cases "$bin/corpus-cases.json")

(cd "$here" && GO111MODULE=off GOPATH="$v3" GOFLAGS= go build -o "$bin/sprig3" .)
(cd "$here" && GO111MODULE=off GOPATH="$v2" GOFLAGS= go build -o "$bin/kanister" .)
"$bin/sprig3" record "$fixtures/cases.json" "$fixtures/go-results.json"
"$bin/kanister" record "$fixtures/cases.json" "$fixtures/go-results-kanister.json" kanister
"$bin/sprig3" record "$typed/typed-cases.json" "$typed/typed-results-sprig3.json"
"$bin/kanister" record "$typed/typed-cases.json" "$typed/typed-results-kanister.json" kanister
"$bin/sprig3" record "$bin/corpus-cases.json" "$bin/corpus-sprig3.json"
"$bin/kanister" record "$bin/corpus-cases.json" "$bin/corpus-kanister.json" kanister
(cd "$root" && ./run pnpm exec tsx tools/go-fixtures/corpus-digests.ts digest \
  "$bin/corpus-sprig3.json" "$bin/corpus-kanister.json" "$fixtures/go-corpus-digests.json")
echo "recorded $(grep -c '"name"' "$fixtures/go-results.json") cases per dialect, and $(grep -c '"name"' "$typed/typed-results-kanister.json") typed ones"

if [ "${1:-}" = "--bench" ]; then
  # bench-cases.json (the benchmark's templates and data) is shared with render.bench.ts.
  "$bin/sprig3" bench "$fixtures/bench-cases.json" "$fixtures/go-bench.json"
  # The corpus render benchmark's sets (corpus text: outside the repository; only figures kept).
  (cd "$root" && ./run pnpm exec tsx tools/go-fixtures/corpus-bench-sets.ts "$bin/corpus-bench-sets.json")
  "$bin/kanister" bench-set "$bin/corpus-bench-sets.json" "$typed/go-bench-corpus.json" kanister
fi
