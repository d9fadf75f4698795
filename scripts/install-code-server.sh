#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) into an
# ignored cache folder, offline-friendly: only the npm registry and Debian packages are used.
# Idempotent: a marker file records a finished install. See docs/TESTING.md.
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${EFFOPT_CODE_SERVER_DIR:-$ROOT/.cache/code-server-$VERSION}"
MARKER="$DEST/.effopt-installed"

if [ -f "$MARKER" ]; then
  echo "code-server $VERSION already installed in $DEST"
  exit 0
fi

need() { command -v "$1" >/dev/null 2>&1; }
missing=()
need rg || missing+=(ripgrep)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "code-server needs the Debian packages: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 1
fi

mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || echo '{"name":"effopt-code-server-cache","private":true}' > package.json
# npm 11 skips dependency install scripts unless allowed; npm 10 ignores this line.
echo 'allow-scripts=argon2' > .npmrc

echo "[code-server] npm install code-server@$VERSION (scripts skipped)"
npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION"
echo "[code-server] rebuilding argon2"
npm rebuild argon2

VS="$DEST/node_modules/code-server/lib/vscode"
cd "$VS"
echo "[code-server] installing VS Code server dependencies"
npm install --no-audit --no-fund --omit=dev --ignore-scripts
NATIVE=(@parcel/watcher @vscode/spdlog @vscode/deviceid kerberos native-watchdog node-pty)
echo "allow-scripts=$(IFS=,; echo "${NATIVE[*]}")" > .npmrc
echo "[code-server] rebuilding native modules"
# node-pty's post-step may complain harmlessly; the load check below is what counts.
npm_config_yes=true npm rebuild "${NATIVE[@]}" || true
# Check the native modules that the server really needs loaded.
for m in @vscode/spdlog node-pty @parcel/watcher; do
  node -e "require('$m')" || { echo "[code-server] native module $m did not build" >&2; exit 1; }
done

# The built-in extensions share TypeScript (the JS/TS language features' tsserver); without it
# VS Code shows "tsserver was deleted" over every JavaScript file.
echo "[code-server] installing the built-in extensions' shared dependencies"
(cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts)

mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar

touch "$MARKER"
echo "code-server $VERSION installed in $DEST"
