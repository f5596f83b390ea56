# Shared by the benchmark scripts: a throwaway PostgreSQL cluster and the packaged Gatehouse on
# loopback, both stopped when the script exits. Source it, then call start_postgres and start_gatehouse.
# The load generator's own address is exempt from the rate limits (configuration, not code).
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
# Gatehouse runs as it is deployed (deployment/base/configmap.yaml) unless JAVA_OPTS says otherwise.
source deployment/configmap-value.sh
JAVA_OPTS=${JAVA_OPTS-$(configmap_value JAVA_OPTS_APPEND)}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-$(configmap_value MALLOC_ARENA_MAX)}
BENCH_ADMIN_TOKEN=bench-admin-token-0123456789
# One master key per run: a second start of Gatehouse on the same database can read what the first wrote.
BENCH_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
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

# test_classpath: the test classes (TestSamlIdp, mock-oauth2-server …) and every dependency, for the Java
# load generators; compiled when missing. Prints the classpath.
test_classpath() {
  [ -f target/test-classes/io/gatehouse/testing/TestSamlIdp.class ] || ./mvnw -q -B test-compile
  [ -f "$work/cp.txt" ] || ./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null
  echo "target/test-classes:target/classes:$(cat "$work/cp.txt")"
}

# start_gatehouse HTTP_PORT PG_PORT: the packaged jar (built when missing), ready when this returns.
start_gatehouse() {
  [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
  QUARKUS_HTTP_PORT=$1 \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$2/postgres" \
  QUARKUS_DATASOURCE_USERNAME=gatehouse QUARKUS_DATASOURCE_PASSWORD=unused \
  GATEHOUSE_ADMIN_TOKEN=$BENCH_ADMIN_TOKEN \
  GATEHOUSE_RATE_LIMIT_EXEMPT_ADDRESSES=${GATEHOUSE_RATE_LIMIT_EXEMPT_ADDRESSES:-127.0.0.1} \
  GATEHOUSE_MASTER_KEY=$BENCH_MASTER_KEY \
    ${SERVER_PIN:-} "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar >"$work/gatehouse.log" 2>&1 &
  pids+=($!)
  GATEHOUSE_PID=$!
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$1/q/health/ready" >/dev/null && return 0; sleep 0.5; done
  echo "Gatehouse did not become ready; its log:" >&2
  cat "$work/gatehouse.log" >&2
  return 1
}

# --- After start_gatehouse HTTP_PORT PG_PORT: helpers against that Gatehouse and its database ---------
api() { echo "http://127.0.0.1:$GH_PORT"; }
sql() { psql -q -At -h 127.0.0.1 -p "$PG_PORT" -U gatehouse postgres -c "$1"; }
rss() { ps -o rss= -p "$GATEHOUSE_PID" | awk '{printf "%.0f MiB", $1/1024}'; }

# post PATH JSON: as the operator; stops the run with the answer when it is not a 2xx
post() {
  local answer
  answer=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' -d "$2" "$(api)$1")
  [[ "${answer##*$'\n'}" == 2* ]] || { echo "POST $1: $answer" >&2; exit 1; }
}

# bench_orgs FROM TO: orgs bench-FROM .. bench-TO, each with an Entra ID connection: bench-0 through the
# API, the rest copied from it in SQL (every other column as it is), so 10,000 take seconds
bench_orgs() {
  local cols ocopy ccols ccopy from=$1
  if [ "$from" -eq 0 ]; then
    post /v1/orgs '{"code":"bench-0","name":"Bench 0"}'
    post /v1/orgs/bench-0/connections "{\"type\":\"azure-ad\",\"tenant_id\":\"$(cat /proc/sys/kernel/random/uuid)\",\
\"client_id\":\"$(cat /proc/sys/kernel/random/uuid)\",\"client_secret\":\"bench-secret\"}"
    from=1
  fi
  [ "$2" -ge "$from" ] || return 0
  cols=$(sql "select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_name = 'orgs'")
  ocopy=$(sql "select string_agg(case column_name when 'id' then 'gen_random_uuid()' when 'code' then '''bench-'' || g'
    when 'name' then '''Bench '' || g' else column_name end, ',' order by ordinal_position) from information_schema.columns where table_name = 'orgs'")
  ccols=$(sql "select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_name = 'connections'")
  ccopy=$(sql "select string_agg(case column_name when 'id' then 'gen_random_uuid()' when 'org_id' then 'o.id' else 'c.' || column_name end,
    ',' order by ordinal_position) from information_schema.columns where table_name = 'connections'")
  sql "insert into orgs ($cols) select $ocopy from orgs, generate_series($from, $2) g where code = 'bench-0'"
  sql "insert into connections ($ccols) select $ccopy from connections c join orgs t on t.id = c.org_id and t.code = 'bench-0', orgs o
       where o.code ~ '^bench-[0-9]+$' and substring(o.code from 7)::int between $from and $2"
}

# warm_orgs N: every org's sso start and page once (their lookups are then held)
warm_orgs() {
  for i in $(seq 0 $(($1 - 1))); do echo "url = \"$(api)/v1/sso/start?login=bench-$i\""; echo "url = \"$(api)/o/bench-$i\""; done \
    | curl -s -K - >/dev/null || true
}
