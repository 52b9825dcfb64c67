#!/usr/bin/env bash
# Fails when a pure module (core, domain) includes an I/O library header.
set -euo pipefail
src="$1"
bad=$(grep -rnE '#include *[<"](boost/(asio|beast)|sqlite3|libpq|postgresql|spdlog)' "$src/core" "$src/domain" "$src/tracking" "$src/ingest" "$src/eta" "$src/sim" "$src/pod" "$src/optimize" "$src/analytics" || true)
if [ -n "$bad" ]; then
  echo "layering violation: core, domain, ingest, tracking, eta, sim, pod, optimize and analytics must not include I/O headers:"; echo "$bad"; exit 1
fi
echo "layers ok: core, domain, ingest, tracking, eta, sim, pod, optimize and analytics include no Asio, Beast, SQLite, libpq or spdlog header"
