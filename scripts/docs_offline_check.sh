#!/usr/bin/env bash
# `deno task check:docs-offline`: /api/docs renders with the network cut off.
# Runs the API and headless Chromium (apt-get install -y chromium) inside a fresh
# network namespace that has only loopback, so any fetch from elsewhere would fail,
# then checks that Swagger UI drew the operations (under the page's strict CSP) and
# saves a screenshot. Needs root (unshare -n). Prints PASS or FAIL.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DOCS_CHECK_INSIDE:-}" ]; then
  exec env DOCS_CHECK_INSIDE=1 unshare -n bash "$0" "$@"
fi
ip link set lo up
dir=$(mktemp -d)
DATABASE_URL="file:$dir/app.db" PORT=8199 HOST=127.0.0.1 WORKERS=1 LOG_REQUESTS=false \
  deno run --allow-all main.ts >"$dir/app.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do curl -s -o /dev/null 127.0.0.1:8199/api/health && break; sleep 0.3; done
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --virtual-time-budget=10000)
chromium "${flags[@]}" --user-data-dir="$dir/c1" --dump-dom http://127.0.0.1:8199/api/docs \
  >"$dir/dom.html" 2>"$dir/chrome.log" || true
chromium "${flags[@]}" --user-data-dir="$dir/c2" --window-size=1280,1600 \
  --screenshot="$dir/docs.png" http://127.0.0.1:8199/api/docs >/dev/null 2>&1 || true
operations=$(grep -o 'class="opblock-summary-path"' "$dir/dom.html" | wc -l)
echo "operations drawn: $operations; screenshot: $dir/docs.png"
if [ "$operations" -gt 50 ]; then echo PASS; else echo FAIL; exit 1; fi
