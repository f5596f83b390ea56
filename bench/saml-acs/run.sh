#!/usr/bin/env bash
# SAML ACS throughput: distinct signed responses (no replays) posted to /v1/saml/{org}/acs as fast as
# the machine allows; prints complete sign-ins/s, latency percentiles and Gatehouse's CPU per sign-in.
# Then the peer, @node-saml/node-saml (pinned in bench/saml-acs/package.json), validates the very same
# responses in one Node process (PEER=off skips it): validations/s and per CPU-second.
# Needs: a JDK 21+ as JAVA_HOME, Debian's postgresql, and Node.js with npm for the peer (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
WARMUP=${WARMUP:-1500}
MEASURED=${MEASURED:-4000}
THREADS=${THREADS:-8}
GH_PORT=18090 PG_PORT=55433
source bench/common.sh
start_postgres $PG_PORT
cp=$(test_classpath)
start_gatehouse $GH_PORT $PG_PORT

echo "$(date -u +%FT%RZ), 2 cores, Gatehouse JVM options: ${JAVA_OPTS:-none}"
"$JAVA_HOME/bin/java" -cp "$cp" bench/saml-acs/AcsBench.java \
  "http://127.0.0.1:$GH_PORT" "$BENCH_ADMIN_TOKEN" "$WARMUP" "$MEASURED" "$THREADS" "$GATEHOUSE_PID" "$work" 2>&1 | grep -v ' INFO \| DEBUG \|^SLF4J'
echo "gatehouse RSS after the run: $(ps -o rss= -p "$GATEHOUSE_PID" | awk '{printf "%.0f MiB", $1/1024}')"
if [ "${PEER:-on}" != off ]; then
  kill "$GATEHOUSE_PID"; wait "$GATEHOUSE_PID" 2>/dev/null || true     # the peer gets the machine to itself
  (cd bench/saml-acs && npm ci --no-audit --no-fund --silent)
  node bench/saml-acs/validate.mjs "$work/responses.txt" "$work/idp.pem" http://localhost:8080/v1/saml/bench "$WARMUP"
fi
