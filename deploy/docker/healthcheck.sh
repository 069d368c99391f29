#!/bin/bash
# Container health: the service's readiness group answers UP on its own port.
# Uses bash's /dev/tcp so the runtime image needs neither curl nor wget.
set -euo pipefail
port="${HELIOS_HEALTH_PORT:?HELIOS_HEALTH_PORT names the port to probe}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
head -n 1 <&3 | grep -q ' 200 '
