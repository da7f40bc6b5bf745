#!/bin/sh
# The test suite on a clock a year ahead and in a far time zone (`npm run test:shifted-clock`), to
# show it depends on neither today's date nor the machine's zone. Not part of CI (too slow there).
#
#   SHIFT  libfaketime offset from now (default +365d; e.g. +400d, +8760h). An absolute "@date"
#          would not do: each process would start its own clock there, and they must agree.
#   TZ     default Pacific/Kiritimati (UTC+14); try Pacific/Pago_Pago (UTC-11) for the other side
#   args   passed to vitest: `npm run test:shifted-clock -- test/unit` runs a part
#
# libfaketime shifts Node (vitest, the spawned `npm start`) and Chromium. It cannot run workerd: its
# tcmalloc deadlocks on libfaketime's start-up. So workerd starts through workerd-real-clock.sh,
# without it, and keeps the real clock; the Worker tests read the Worker's clock
# (test/support/worker.ts) for whatever it compares, so they hold on either clock.
set -eu
cd "$(dirname "$0")/.."
if ! command -v faketime >/dev/null 2>&1; then
  echo "faketime is not installed (Debian/Ubuntu: apt-get install faketime; macOS: brew install libfaketime)." >&2
  exit 1
fi
export TZ="${TZ:-Pacific/Kiritimati}"
export MINIFLARE_WORKERD_PATH="$PWD/scripts/workerd-real-clock.sh"
SHIFT="${SHIFT:-+365d}"
echo "Real time: $(date -u '+%Y-%m-%d %H:%M:%S') UTC. Running the tests at $SHIFT, TZ=$TZ:"
faketime -f "$SHIFT" date '+  %Y-%m-%d %H:%M:%S %Z (%z)'
exec faketime -f "$SHIFT" node_modules/.bin/vitest run "$@"
