#!/usr/bin/env bash
# The anonymous sign-in starts at 10 orgs and at 10,000: GET /v1/sso/start?login=<company code> (a 303 to
# the org's IdP) and GET /o/<org> (the org's own page), one client (wrk -t1 -c1), each request naming a
# random one of the orgs. Prints p50/p90/p99 and req/s of both paths at both sizes, and Gatehouse's RSS.
# The orgs are made through the API once (an org, an Entra ID connection) and then copied in SQL, so
# 10,000 of them take seconds; the lookups Gatehouse holds are warmed by a first pass over every org.
# Needs: a JDK 21+ as JAVA_HOME, Debian's postgresql and wrk (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-15s}
SIZES=${SIZES:-10 10000}
GH_PORT=18093 PG_PORT=55435
source bench/common.sh
start_postgres $PG_PORT
start_gatehouse $GH_PORT $PG_PORT
cat >"$work/start.lua" <<'LUA'
local n = tonumber(os.getenv("ORGS"))
local path = os.getenv("BENCH_PATH")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format(path, math.random(0, n - 1)))
end
LUA

# measure LABEL PATH-FORMAT: one client for DURATION; prints p50, p90, p99 and req/s
measure() {
  local out
  out=$(ORGS=$orgs BENCH_PATH=$2 wrk -t1 -c1 -d"$DURATION" --latency -s "$work/start.lua" "$(api)" 2>&1)
  if echo "$out" | grep -q "Non-2xx or 3xx"; then echo "$out" | grep "Non-2xx" >&2; fi
  printf "%-7s %-22s %9s %9s %9s %12s\n" "$orgs" "$1" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "90%" {print $2}')" \
    "$(echo "$out" | awk '$1 == "99%" {print $2}')" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
}

echo "wrk -t1 -c1 -d$DURATION per row, 2 cores, $(date -u +%FT%RZ), Gatehouse JVM options: $JAVA_OPTS"
printf "%-7s %-22s %9s %9s %9s %12s\n" orgs path p50 p90 p99 req/s
have=0
for orgs in $SIZES; do
  [ "$orgs" -gt "$have" ] && bench_orgs "$have" $((orgs - 1)) && have=$orgs
  # warm: every org's start and page once (the lookups are then held), and the JIT on both paths
  warm_orgs "$orgs"
  ORGS=$orgs BENCH_PATH="/v1/sso/start?login=bench-%d" wrk -t1 -c1 -d5s -s "$work/start.lua" "$(api)" >/dev/null
  measure "/v1/sso/start" "/v1/sso/start?login=bench-%d"
  measure "/o/{org}" "/o/bench-%d"
done
echo "location of bench-0: $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$(api)/v1/sso/start?login=bench-0" | cut -c1-90)"
echo "gatehouse RSS after the run: $(rss)"
