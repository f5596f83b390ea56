#!/usr/bin/env bash
# Forward-auth throughput: wrk against Gatehouse's /v1/auth/verify with a valid token, and in the same
# run against nginx answering a static 200 on this machine. Prints req/s, their ratio, p50 and p99.
# Needs: a JDK 21+ as JAVA_HOME, and Debian's postgresql, nginx-light and wrk (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
# Gatehouse runs with the JVM options it is deployed with (deployment/base/configmap.yaml) unless told otherwise.
JAVA_OPTS=${JAVA_OPTS--XX:+UseSerialGC}
GH_PORT=18080 NGINX_PORT=18081 PG_PORT=55432
source bench/common.sh
start_postgres $PG_PORT
start_gatehouse $GH_PORT $PG_PORT

cat >"$work/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nb; proxy_temp_path $work/np; fastcgi_temp_path $work/nf;
  uwsgi_temp_path $work/nu; scgi_temp_path $work/ns;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 "ok"; } }
}
NGINX
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" &
pids+=($!)

H='Content-Type: application/json'; OP="Authorization: Bearer $BENCH_ADMIN_TOKEN"
curl -sf -X POST "http://127.0.0.1:$GH_PORT/v1/orgs" -H "$OP" -H "$H" -d '{"code":"bench","name":"Bench"}' >/dev/null
curl -sf -X POST "http://127.0.0.1:$GH_PORT/v1/orgs/bench/users" -H "$OP" -H "$H" \
  -d '{"username":"bench-user","password":"correct horse battery","roles":["member"]}' >/dev/null
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$GH_PORT/v1/login" -H "$H" \
  -d '{"username":"bench-user","password":"correct horse battery"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GH_PORT/v1/auth/verify")" = 200 ]

echo "warming up Gatehouse for $WARMUP ..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GH_PORT/v1/auth/verify" >/dev/null

measure() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@"; }
measure -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GH_PORT/v1/auth/verify" >"$work/gatehouse.txt"
measure "http://127.0.0.1:$NGINX_PORT/" >"$work/nginx.txt"

rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $NF}' "$1"; }
gh=$(rps "$work/gatehouse.txt"); ng=$(rps "$work/nginx.txt")
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), Gatehouse JVM options: ${JAVA_OPTS:-(none)}"
printf '%-34s %12s %10s %10s\n' target req/s p50 p99
printf '%-34s %12s %10s %10s\n' "gatehouse /v1/auth/verify" "$gh" "$(pct "$work/gatehouse.txt" 50%)" "$(pct "$work/gatehouse.txt" 99%)"
printf '%-34s %12s %10s %10s\n' "nginx static 200" "$ng" "$(pct "$work/nginx.txt" 50%)" "$(pct "$work/nginx.txt" 99%)"
echo "ratio gatehouse/nginx: $(awk -v a="$gh" -v b="$ng" 'BEGIN {printf "%.3f", a / b}')"
echo "non-2xx answers from gatehouse: $(non2xx "$work/gatehouse.txt" || true)"
