#!/usr/bin/env bash
# SAML ACS throughput: distinct signed responses (no replays) posted to /v1/saml/{org}/acs as fast as
# the machine allows; prints validated logins/s and latency percentiles.
# Needs: a JDK 21+ as JAVA_HOME and Debian's postgresql (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
WARMUP=${WARMUP:-1500}
MEASURED=${MEASURED:-4000}
THREADS=${THREADS:-8}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
GH_PORT=18090 PG_PORT=55433

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

chown postgres "$work"
runuser -u postgres -- "$PGBIN/initdb" -D "$work/pg" -A trust -U gatehouse >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" \
  -o "-p $PG_PORT -k $work -c listen_addresses=127.0.0.1" -w start >/dev/null

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
[ -f target/test-classes/io/gatehouse/testing/TestSamlIdp.class ] || ./mvnw -q -B test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null

QUARKUS_HTTP_PORT=$GH_PORT \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
QUARKUS_DATASOURCE_USERNAME=gatehouse QUARKUS_DATASOURCE_PASSWORD=unused \
GATEHOUSE_ADMIN_TOKEN=bench-admin-token-0123456789 \
GATEHOUSE_MASTER_KEY=$(head -c 32 /dev/urandom | base64) \
  "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$work/gatehouse.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$GH_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done

"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat "$work/cp.txt")" bench/saml-acs/AcsBench.java \
  "http://127.0.0.1:$GH_PORT" bench-admin-token-0123456789 "$WARMUP" "$MEASURED" "$THREADS" 2>&1 | grep -v ' INFO \| DEBUG \|^SLF4J'
echo "gatehouse RSS after the run: $(ps -o rss= -p "${pids[0]}" | awk '{printf "%.0f MiB", $1/1024}')"
