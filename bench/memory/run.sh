#!/usr/bin/env bash
# Memory with the deployment's JVM options (read from deployment/base/configmap.yaml): Gatehouse's RSS
# idle, then after each load in turn — SAML sign-ins (bench/saml-acs), refresh grants (bench/refresh),
# 10,000 orgs' sign-in starts and pages (bench/sso-start), and one OIDC connection edited 10,000 times
# with a sign-in started after every edit (its quarkus-oidc tenant rebuilt each time) — then the JVM's own
# account of where the memory is (Native Memory Tracking). The deployment's memory request and limit are
# set from what this prints (deployment/base/deployment.yaml).
# Needs: a JDK 21+ as JAVA_HOME, Debian's postgresql and wrk (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
EDITS=${EDITS:-10000}
GH_PORT=18097 PG_PORT=55437 IDP_PORT=18098
source bench/common.sh
JAVA_OPTS="$JAVA_OPTS -XX:NativeMemoryTracking=summary -Dgatehouse.egress.allow-private-addresses=true -Dgatehouse.allow-http-urls=true \
-Dgatehouse.clients.bench.redirect-uris=http://127.0.0.1:9/callback -Dgatehouse.clients.bench.session-lifetime=30d"
start_postgres $PG_PORT
cp=$(test_classpath)
start_gatehouse $GH_PORT $PG_PORT
quiet() { grep -v ' INFO \| DEBUG \|^SLF4J' || true; }

echo "$(date -u +%FT%RZ), 2 cores; JVM options (deployment/base/configmap.yaml): ${JAVA_OPTS%% -XX:NativeMemoryTracking*}; MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX"
sleep 5
echo "idle after start: RSS $(rss)"

echo "--- SAML sign-ins (bench/saml-acs/AcsBench.java, 2,000 distinct responses, 8 threads)"
"$JAVA_HOME/bin/java" -cp "$cp" bench/saml-acs/AcsBench.java "$(api)" "$BENCH_ADMIN_TOKEN" 300 1700 8 2>&1 | quiet | grep logins
echo "after the SAML load: RSS $(rss)"

echo "--- refresh grants (bench/refresh/RefreshBench.java, 8 threads, 20 s)"
"$JAVA_HOME/bin/java" -cp "$cp" bench/refresh/RefreshBench.java "$(api)" "$BENCH_ADMIN_TOKEN" "$GATEHOUSE_PID" none 0 8 5 20 2>&1 | quiet | grep gatehouse
echo "after the refresh load: RSS $(rss)"

echo "--- 10,000 orgs: every org's sso start and page, then 15 s of each at random (wrk, 4 connections)"
bench_orgs 0 9999
warm_orgs 10000
cat >"$work/start.lua" <<'LUA'
math.randomseed(os.time())
request = function()
  local i = math.random(0, 9999)
  return wrk.format("GET", (i % 2 == 0) and ("/v1/sso/start?login=bench-" .. i) or ("/o/bench-" .. i))
end
LUA
wrk -t1 -c4 -d15s -s "$work/start.lua" "$(api)" | grep "Requests/sec"
echo "after the 10,000-org load: RSS $(rss)"

echo "--- one OIDC connection edited $EDITS times, a sign-in started after each (its IdP: mock-oauth2-server)"
"$JAVA_HOME/bin/java" -cp "$cp" bench/memory/MockIdp.java $IDP_PORT >"$work/idp.log" 2>&1 &
pids+=($!)
for i in $(seq 61); do
  curl -sf -o /dev/null "http://127.0.0.1:$IDP_PORT/a/.well-known/openid-configuration" && break
  [ "$i" -lt 61 ] || { echo "the mock IdP did not start:" >&2; cat "$work/idp.log" >&2; exit 1; }
  sleep 0.5
done
post /v1/orgs '{"code":"oidc-edits","name":"OIDC edits"}'
connection=$(curl -s -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"type\":\"oidc\",\"issuer\":\"http://127.0.0.1:$IDP_PORT/a\",\"client_id\":\"edits\",\"client_secret\":\"s\"}" \
  "$(api)/v1/orgs/oidc-edits/connections" | sed 's/.*"id":"\([^"]*\)".*/\1/')
"$JAVA_HOME/bin/java" bench/memory/OidcEdits.java "$(api)" "$BENCH_ADMIN_TOKEN" oidc-edits "$connection" \
  "http://127.0.0.1:$IDP_PORT/a" "http://127.0.0.1:$IDP_PORT/b" "$EDITS" $((EDITS / 4)) "$GATEHOUSE_PID"

echo "--- at the end: RSS $(rss); Native Memory Tracking (committed):"
"$JAVA_HOME/bin/jcmd" "$GATEHOUSE_PID" VM.native_memory summary | grep -E '^-? *(Total|Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Native Memory Tracking|Shared class space|Arena Chunk|Metaspace|Module)' \
  | sed -E 's/\(reserved=[0-9]+KB, committed=([0-9]+)KB\)/ \1 KB/' | awk '{$1=$1; print "  " $0}'
[ -z "${SHOW_LOG:-}" ] || grep -E "WARN|ERROR" "$work/gatehouse.log" | tail -${SHOW_LOG}
