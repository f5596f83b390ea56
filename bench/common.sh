# Shared by the benchmark scripts: a throwaway PostgreSQL cluster and the packaged Gatehouse on
# loopback, both stopped when the script exits. Source it, then call start_postgres and start_gatehouse.
# The load generator's own address is exempt from the rate limits (configuration, not code).
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
BENCH_ADMIN_TOKEN=bench-admin-token-0123456789
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# start_postgres PORT: initdb refuses root, so the cluster runs as the postgres user.
start_postgres() {
  chown postgres "$work"
  runuser -u postgres -- "$PGBIN/initdb" -D "$work/pg" -A trust -U gatehouse >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" \
    -o "-p $1 -k $work -c listen_addresses=127.0.0.1" -w start >/dev/null
}

# start_gatehouse HTTP_PORT PG_PORT: the packaged jar (built when missing), ready when this returns.
start_gatehouse() {
  [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
  QUARKUS_HTTP_PORT=$1 \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$2/postgres" \
  QUARKUS_DATASOURCE_USERNAME=gatehouse QUARKUS_DATASOURCE_PASSWORD=unused \
  GATEHOUSE_ADMIN_TOKEN=$BENCH_ADMIN_TOKEN \
  GATEHOUSE_RATE_LIMIT_EXEMPT_ADDRESSES=${GATEHOUSE_RATE_LIMIT_EXEMPT_ADDRESSES:-127.0.0.1} \
  GATEHOUSE_MASTER_KEY=$(head -c 32 /dev/urandom | base64) \
    ${SERVER_PIN:-} "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$work/gatehouse.log" 2>&1 &
  pids+=($!)
  GATEHOUSE_PID=$!
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$1/q/health/ready" >/dev/null && return 0; sleep 0.5; done
  echo "Gatehouse did not become ready; its log:" >&2
  cat "$work/gatehouse.log" >&2
  return 1
}
