#!/usr/bin/env bash
# Refresh-token grants per second: Gatehouse (packaged jar, PostgreSQL) beside Keycloak (the distribution
# the tests unpack under target/keycloak, `start-dev`, a fresh copy per run), the same client
# (RefreshBench.java) at the same concurrency. Set KEYCLOAK=off to measure Gatehouse alone.
# Needs: a JDK 21+ as JAVA_HOME, Debian's postgresql, and target/keycloak (./mvnw test-compile unpacks it).
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${THREADS:-8}
WARMUP=${WARMUP:-20}
MEASURED=${MEASURED:-30}
GH_PORT=18094 PG_PORT=55436 KC_PORT=18095 KC_MANAGEMENT_PORT=18096
source bench/common.sh
JAVA_OPTS="$JAVA_OPTS -Dgatehouse.clients.bench.redirect-uris=http://127.0.0.1:9/callback -Dgatehouse.clients.bench.session-lifetime=30d"
start_postgres $PG_PORT
cp=$(test_classpath)
start_gatehouse $GH_PORT $PG_PORT

KC_PID=0
if [ "${KEYCLOAK:-on}" != off ]; then
  dist=$(ls -d target/keycloak/keycloak-* | head -1)
  cp -r "$dist" "$work/kc"
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    "$work/kc/bin/kc.sh" start-dev --http-port=$KC_PORT --http-host=127.0.0.1 --hostname-strict=false \
    --http-management-port=$KC_MANAGEMENT_PORT >"$work/keycloak.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 180); do
    curl -sf -o /dev/null "http://127.0.0.1:$KC_PORT/realms/master/.well-known/openid-configuration" && break
    sleep 1
  done
  KC_PID=$(pgrep -f "kc.home.dir=$work/kc" | head -1)
  pids+=($KC_PID)
fi

echo "$(date -u +%FT%RZ), 2 cores, $THREADS threads, ${WARMUP} s warm-up, ${MEASURED} s measured; Gatehouse JVM options: ${JAVA_OPTS%% -Dgatehouse*}"
"$JAVA_HOME/bin/java" -cp "$cp" bench/refresh/RefreshBench.java \
  "http://127.0.0.1:$GH_PORT" "$BENCH_ADMIN_TOKEN" "$GATEHOUSE_PID" \
  "$([ "$KC_PID" != 0 ] && echo "http://127.0.0.1:$KC_PORT" || echo none)" "$KC_PID" "$THREADS" "$WARMUP" "$MEASURED" 2>&1 \
  | grep -v ' INFO \| DEBUG \|^SLF4J'
echo "RSS after the run: gatehouse $(ps -o rss= -p "$GATEHOUSE_PID" | awk '{printf "%.0f MiB", $1/1024}')$([ "$KC_PID" != 0 ] && ps -o rss= -p "$KC_PID" | awk '{printf ", keycloak %.0f MiB", $1/1024}')"
