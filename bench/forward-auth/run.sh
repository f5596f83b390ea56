#!/usr/bin/env bash
# Forward-auth throughput: wrk against Gatehouse's /v1/auth/verify with a valid token, and in the same
# run against nginx answering a static 200 on this machine. Prints req/s, their ratio, p50 and p99 of
# each of RUNS rounds (Gatehouse, then nginx, each DURATION long), and whether each round met the
# target of issue 19: ratio >= 0.8 and Gatehouse's p99 within 1 ms of nginx's p99 in the same round
# (issue 3's earlier target, ratio >= 0.5 and p99 < 2 ms, is printed beside it).
# Needs: a JDK 21+ as JAVA_HOME, and Debian's postgresql, nginx-light and wrk (see bench/README.md).
# For experiments: SERVER_PIN / LOAD_PIN prefix the servers' / wrk's command (e.g. "taskset -c 1"),
# NGINX_WORKERS sets nginx's worker_processes (auto: one per core).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-15s}
RUNS=${RUNS:-3}
# One wrk thread with 4 connections: wrk takes one of the two cores, the servers the other. Heavier
# settings are in bench/README.md: there nginx's own static answer has a p99 above 2 ms.
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-1}
GH_PORT=18080 NGINX_PORT=18081 PG_PORT=55432
source bench/common.sh
start_postgres $PG_PORT
start_gatehouse $GH_PORT $PG_PORT

cat >"$work/nginx.conf" <<NGINX
daemon off;
worker_processes ${NGINX_WORKERS:-auto};
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
${SERVER_PIN:-} /usr/sbin/nginx -p "$work" -c "$work/nginx.conf" &
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

measure() { ${LOAD_PIN:-} wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@"; }
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
# wrk prints latencies as 812.00us, 1.27ms or 2.01s: in microseconds.
micros() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else print n * 1000000 }'; }
non2xx() { awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' "$1"; }

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), Gatehouse JVM options: ${JAVA_OPTS:-(none)}"
printf '%-5s %12s %9s %9s   %12s %9s %9s   %7s  %-40s %s\n' round "gatehouse/s" p50 p99 "nginx/s" p50 p99 ratio "issue 19 (>= 0.8, p99 <= nginx + 1 ms)" "issue 3 (>= 0.5, < 2 ms)"
met=0
for round in $(seq "$RUNS"); do
  measure -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GH_PORT/v1/auth/verify" >"$work/gatehouse.txt"
  measure "http://127.0.0.1:$NGINX_PORT/" >"$work/nginx.txt"
  gh=$(rps "$work/gatehouse.txt"); ng=$(rps "$work/nginx.txt"); p99=$(pct "$work/gatehouse.txt" 99%)
  ratio=$(awk -v a="$gh" -v b="$ng" 'BEGIN {printf "%.3f", a / b}')
  verdict=$(awk -v r="$ratio" -v p="$(micros "$p99")" -v n="$(micros "$(pct "$work/nginx.txt" 99%)")" \
    'BEGIN { print (r >= 0.8 && p <= n + 1000) ? "met" : "MISSED" }')
  earlier=$(awk -v r="$ratio" -v p="$(micros "$p99")" 'BEGIN { print (r >= 0.5 && p < 2000) ? "met" : "MISSED" }')
  [ "$verdict" = met ] && met=$((met + 1))
  printf '%-5s %12s %9s %9s   %12s %9s %9s   %7s  %-40s %s\n' "$round" "$gh" "$(pct "$work/gatehouse.txt" 50%)" "$p99" \
    "$ng" "$(pct "$work/nginx.txt" 50%)" "$(pct "$work/nginx.txt" 99%)" "$ratio" "$verdict" "$earlier"
  errors=$(non2xx "$work/gatehouse.txt")
  [ -z "$errors" ] || echo "      gatehouse answered with errors: $errors"
done
echo "issue 19's target met in $met of $RUNS rounds"
