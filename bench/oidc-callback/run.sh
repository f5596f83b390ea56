#!/usr/bin/env bash
# OIDC sign-ins end to end (sso/start → login → the IdP's authorize → /v1/callback → session cookie)
# against mock-oauth2-server on loopback (OidcBench.java starts it in its own process): sign-ins/s,
# latency percentiles and Gatehouse's CPU per sign-in.
# Needs: a JDK 21+ as JAVA_HOME and Debian's postgresql (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
WARMUP=${WARMUP:-600}
MEASURED=${MEASURED:-2000}
THREADS=${THREADS:-8}
GH_PORT=18120 PG_PORT=55450 IDP_PORT=18121
source bench/common.sh
# The IdP is on loopback over http: allowed here as in the tests, never in a deployment.
JAVA_OPTS="$JAVA_OPTS -Dgatehouse.allow-http-urls=true -Dgatehouse.egress.allow-private-addresses=true"
start_postgres $PG_PORT
cp=$(test_classpath)
start_gatehouse $GH_PORT $PG_PORT
echo "$(date -u +%FT%RZ), 2 cores, Gatehouse JVM options: ${JAVA_OPTS%% -Dgatehouse*}"
"$JAVA_HOME/bin/java" -cp "$cp" bench/oidc-callback/OidcBench.java \
  "$(api)" "$BENCH_ADMIN_TOKEN" "$GATEHOUSE_PID" "$IDP_PORT" "$WARMUP" "$MEASURED" "$THREADS" 2>&1 | grep -v ' INFO \| DEBUG \|^SLF4J\|^[0-9:.]* \[' || true
echo "gatehouse RSS after the run: $(rss)"
