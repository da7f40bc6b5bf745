#!/bin/sh
# workerd for `npm run test:shifted-clock` (Miniflare starts it through MINIFLARE_WORKERD_PATH):
# without libfaketime, which deadlocks workerd's allocator at start-up, so on the real clock.
unset LD_PRELOAD FAKETIME FAKETIME_FMT
exec "$(dirname "$0")/../node_modules/workerd/bin/workerd" "$@"
