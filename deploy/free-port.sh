#!/usr/bin/env bash
# Prints a TCP port on 127.0.0.1 that nothing listens on: the kernel's pick through python3 when it is there,
# otherwise random ports probed with bash's /dev/tcp until one refuses (a normal user may have no python3).
if command -v python3 >/dev/null 2>&1 && python3 - <<'PY' 2>/dev/null; then exit 0; fi
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
for _ in $(seq 1 100); do
  port=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; exit 0; fi
done
echo "free-port.sh: no free port found on 127.0.0.1" >&2
exit 1
