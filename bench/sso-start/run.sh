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
JAVA_OPTS=${JAVA_OPTS--XX:+UseSerialGC}
GH_PORT=18093 PG_PORT=55435
source bench/common.sh
start_postgres $PG_PORT
start_gatehouse $GH_PORT $PG_PORT
api="http://127.0.0.1:$GH_PORT"
sql() { psql -q -At -h 127.0.0.1 -p $PG_PORT -U gatehouse postgres -c "$1"; }
rss() { ps -o rss= -p "$GATEHOUSE_PID" | awk '{printf "%.0f MiB", $1/1024}'; }

# post PATH JSON: as the operator; stops the run with the answer when it is not a 2xx
post() {
  local answer
  answer=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' -d "$2" "$api$1")
  [[ "${answer##*$'\n'}" == 2* ]] || { echo "POST $1: $answer" >&2; exit 1; }
}
post /v1/orgs '{"code":"bench-0","name":"Bench 0"}'
post /v1/orgs/bench-0/connections \
  "{\"type\":\"azure-ad\",\"tenant_id\":\"$(cat /proc/sys/kernel/random/uuid)\",\"client_id\":\"$(cat /proc/sys/kernel/random/uuid)\",\"client_secret\":\"bench-secret\"}"

# copies bench-0 and its connection as bench-FROM .. bench-TO (every other column as it is)
copy_orgs() {
  local cols ocopy ccols ccopy
  cols=$(sql "select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_name = 'orgs'")
  ocopy=$(sql "select string_agg(case column_name when 'id' then 'gen_random_uuid()' when 'code' then '''bench-'' || g'
    when 'name' then '''Bench '' || g' else column_name end, ',' order by ordinal_position) from information_schema.columns where table_name = 'orgs'")
  ccols=$(sql "select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_name = 'connections'")
  ccopy=$(sql "select string_agg(case column_name when 'id' then 'gen_random_uuid()' when 'org_id' then 'o.id' else 'c.' || column_name end,
    ',' order by ordinal_position) from information_schema.columns where table_name = 'connections'")
  sql "insert into orgs ($cols) select $ocopy from orgs, generate_series($1, $2) g where code = 'bench-0'"
  sql "insert into connections ($ccols) select $ccopy from connections c join orgs t on t.id = c.org_id and t.code = 'bench-0', orgs o
       where o.code ~ '^bench-[0-9]+$' and substring(o.code from 7)::int between $1 and $2"
}

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
  out=$(ORGS=$orgs BENCH_PATH=$2 wrk -t1 -c1 -d"$DURATION" --latency -s "$work/start.lua" "$api" 2>&1)
  if echo "$out" | grep -q "Non-2xx or 3xx"; then echo "$out" | grep "Non-2xx" >&2; fi
  printf "%-7s %-22s %9s %9s %9s %12s\n" "$orgs" "$1" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "90%" {print $2}')" \
    "$(echo "$out" | awk '$1 == "99%" {print $2}')" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
}

echo "wrk -t1 -c1 -d$DURATION per row, 2 cores, $(date -u +%FT%RZ), Gatehouse JVM options: $JAVA_OPTS"
printf "%-7s %-22s %9s %9s %9s %12s\n" orgs path p50 p90 p99 req/s
have=1
for orgs in $SIZES; do
  [ "$orgs" -gt "$have" ] && copy_orgs "$have" $((orgs - 1)) && have=$orgs
  # warm: every org's start and page once (the lookups are then held), and the JIT on both paths
  for i in $(seq 0 $((orgs - 1))); do echo "url = \"$api/v1/sso/start?login=bench-$i\""; echo "url = \"$api/o/bench-$i\""; done \
    | curl -s -K - >/dev/null || true
  ORGS=$orgs BENCH_PATH="/v1/sso/start?login=bench-%d" wrk -t1 -c1 -d5s -s "$work/start.lua" "$api" >/dev/null
  measure "/v1/sso/start" "/v1/sso/start?login=bench-%d"
  measure "/o/{org}" "/o/bench-%d"
done
echo "location of bench-0: $(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$api/v1/sso/start?login=bench-0" | cut -c1-90)"
echo "gatehouse RSS after the run: $(rss)"
