#!/usr/bin/env bash
# Start time of the packaged jar: from the process's start to /q/health/ready answering 200, on an empty
# database (the migrations run) and then RUNS times on the migrated one (median printed); then the same
# with a JDK 25 AOT cache (JEP 514/515: one training run writes it at exit, later starts load it); and,
# when the Quarkus build made them (./mvnw verify -Dquarkus.package.jar.aot.enabled=true), with its
# AppCDS archive (app-cds.jsa, made at package time) and its AOT cache (app.aot, trained by the
# integration tests). Every start runs from target/quarkus-app, as those archives require.
# Needs: a JDK 25 as JAVA_HOME and Debian's postgresql (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
GH_PORT=18092 PG_PORT=55434
source bench/common.sh
start_postgres $PG_PORT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests

# timed_start EXTRA_JAVA_OPTS: starts Gatehouse, sets MS to the milliseconds until ready, leaves it running as $GH.
timed_start() {
  local begin now
  begin=$(date +%s%N)
  QUARKUS_HTTP_PORT=$GH_PORT QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
  QUARKUS_DATASOURCE_USERNAME=gatehouse QUARKUS_DATASOURCE_PASSWORD=unused GATEHOUSE_ADMIN_TOKEN=$BENCH_ADMIN_TOKEN \
  GATEHOUSE_MASTER_KEY=$BENCH_MASTER_KEY \
    bash -c 'cd target/quarkus-app && exec "$0" "$@"' "$JAVA_HOME/bin/java" $JAVA_OPTS $1 -jar quarkus-run.jar >"$work/gatehouse.log" 2>&1 &
  GH=$!
  pids+=($GH)
  until curl -sf -o /dev/null "http://127.0.0.1:$GH_PORT/q/health/ready"; do
    kill -0 $GH 2>/dev/null || { cat "$work/gatehouse.log" >&2; return 1; }
    sleep 0.02
  done
  now=$(date +%s%N)
  MS=$(( (now - begin) / 1000000 ))
}

stop() {
  kill $GH
  wait $GH 2>/dev/null || true
}

median() {
  sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

series() {
  local label=$1 opts=$2 times=()
  for _ in $(seq "$RUNS"); do
    timed_start "$opts"
    times+=("$MS")
    stop
  done
  echo "$label: median $(printf '%s\n' "${times[@]}" | median) ms of $RUNS (${times[*]})"
}

echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); JVM options: $JAVA_OPTS; 2 cores"
timed_start ""
echo "empty database (migrations run): $MS ms"
stop
series "migrated database" ""
# The AOT cache: one training start that signs nobody in, only starts, answers readiness and stops.
timed_start "-XX:AOTCacheOutput=$work/gatehouse.aot"
echo "training start (writes the AOT cache at exit): $MS ms"
curl -sf -o /dev/null "http://127.0.0.1:$GH_PORT/.well-known/jwks.json" || true
stop
[ -f "$work/gatehouse.aot" ] && echo "AOT cache: $(du -h "$work/gatehouse.aot" | cut -f1)" || echo "no AOT cache was written"
series "migrated database, AOT cache" "-XX:AOTCache=$work/gatehouse.aot"
if [ -f target/quarkus-app/app-cds.jsa ]; then
  series "migrated database, the Quarkus build's AppCDS archive" "-XX:SharedArchiveFile=app-cds.jsa"
fi
if [ -f target/quarkus-app/app.aot ]; then
  series "migrated database, the Quarkus build's AOT cache (trained by the integration tests)" "-XX:AOTCache=app.aot"
fi
