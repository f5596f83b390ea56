#!/usr/bin/env bash
# Builds the JVM image with Quarkus's Jib (quarkus-container-image-jib) on a machine with no Docker
# daemon and no way to an outside registry, trains a JDK AOT cache for it, and writes the image with that
# cache as a `docker load`-able tarball; every start runs the image's own entrypoint from its own layers
# (chroot) against a throwaway PostgreSQL until it is ready.
#
# Quarkus's Jib pushes to a registry or loads into a Docker daemon, and takes its base image from a
# registry, a daemon or a tarball. So here:
#   1. the base image is a tarball made on the spot: a jlink'ed JRE of this JDK and the glibc files it
#      needs (a stand-in for ubi9/openjdk-21-runtime, which deployments use and this machine cannot pull);
#   2. Jib pushes to a registry on loopback (Debian's docker-registry);
#   3. skopeo (Debian) copies the pushed image into a tarball;
#   4. that image starts once on the empty database with -XX:AOTCacheOutput (JDK 25), which writes the
#      cache of what the start loaded, linked and profiled when it stops;
#   5. the cache goes into the image as one more layer, /deployments/app.aot, and -XX:AOTCache into its
#      entrypoint: target/image/gatehouse-jvm-image.tar (Jib's own: gatehouse-jvm-image-untrained.tar);
#   6. both start on the migrated database, the cached one with -XX:AOTMode=on and its class loading
#      logged (the build fails unless Quarkus' own entry point came from the cache), and their times
#      to ready are printed.
# The deployment's ubi9/openjdk-21-runtime reads no AOT cache (JDK 21); see deployment/README.md.
# Needs: root (chroot), JAVA_HOME (JDK 25+ for the AOT cache), Debian's docker-registry, skopeo and postgresql.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$PWD/target/image
rm -rf "$out"
mkdir -p "$out/base/rootfs" "$out/registry"
# free_port FROM: the first port from FROM on that nothing listens on (a test's leftover socket can hold
# a fixed one for a moment: CI once met "bind: address already in use" on 55000). The defaults lie below
# the kernel's ephemeral range (32768-60999 here): a port in it can be the local end of any outgoing
# connection, which no listener answers for, so this test passes and the bind still fails (CI met that
# on 55434).
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
REGISTRY_PORT=${REGISTRY_PORT:-$(free_port 25000)}
PG_PORT=${PG_PORT:-$(free_port 25434)}
GH_PORT=${GH_PORT:-$(free_port 18095)}

# --- 1. The base image tarball ------------------------------------------------------------------------
rootfs=$out/base/rootfs
# With the JDK's default CDS archive of its own classes, as a JDK's runtime image has it.
"$JAVA_HOME/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.management \
  --generate-cds-archive --strip-debug --no-man-pages --no-header-files --output "$rootfs/opt/java"
libs=$(ldd "$rootfs/opt/java/bin/java" "$rootfs"/opt/java/lib/server/libjvm.so "$rootfs"/opt/java/lib/*.so 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/lib/ {print $1}' | sort -u)
for lib in $libs /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
  [ -e "$lib" ] || continue
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/deployments"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\ngatehouse:x:185:0:gatehouse:/deployments:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n' > "$rootfs/etc/hosts"
chown 185:0 "$rootfs/deployments"
tar -C "$rootfs" --numeric-owner -cf "$out/base/layer.tar" .
diff_id=$(sha256sum "$out/base/layer.tar" | cut -d' ' -f1)
cat > "$out/base/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"],"User":"185","WorkingDir":"/deployments"},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]}}
JSON
config_id=$(sha256sum "$out/base/config.json" | cut -d' ' -f1)
mv "$out/base/config.json" "$out/base/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["gatehouse-ci-base:latest"],"Layers":["layer.tar"]}]' "$config_id" > "$out/base/manifest.json"
tar -C "$out/base" -cf "$out/base.tar" manifest.json "$config_id.json" layer.tar
echo "base image: $(du -h "$out/base.tar" | cut -f1)"

# --- 2. A registry on loopback, and Jib pushing to it --------------------------------------------------
cat > "$out/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $out/registry
http:
  addr: 127.0.0.1:$REGISTRY_PORT
log:
  level: warn
YAML
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
/usr/bin/docker-registry serve "$out/registry.yml" >"$out/registry.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$REGISTRY_PORT/v2/" >/dev/null && break; sleep 0.2; done

./mvnw -B -q package -DskipTests \
  -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry=127.0.0.1:$REGISTRY_PORT -Dquarkus.container-image.insecure=true \
  -Dquarkus.container-image.tag=ci \
  -Dquarkus.jib.base-jvm-image="tar://$out/base.tar" \
  -Dquarkus.jib.jvm-entrypoint=/opt/java/bin/java,-XX:MaxRAMPercentage=75,-jar,/deployments/quarkus-run.jar \
  -Dquarkus.jib.working-directory=/deployments
image="127.0.0.1:$REGISTRY_PORT/gatehouse/gatehouse:ci"

# --- 3. The tarball -----------------------------------------------------------------------------------
skopeo copy --quiet --src-tls-verify=false "docker://$image" "docker-archive:$out/gatehouse-jvm-image.tar:gatehouse/gatehouse:ci"
echo "image tarball: $out/gatehouse-jvm-image.tar ($(du -h "$out/gatehouse-jvm-image.tar" | cut -f1))"

# --- 4. Started from its own layers: a training start that writes a JDK AOT cache -----------------------
# unpack TARBALL DIR: the image's layers, in order, as a root filesystem in DIR/rootfs (its archive in
# DIR/archive), with /proc and /dev as a container runtime gives them; sets ENTRYPOINT and USER_ID from
# the image's config.
unpack() {
  local tarball=$1 dir=$2 layer config
  rm -rf "$dir"
  mkdir -p "$dir/rootfs" "$dir/archive"
  tar -C "$dir/archive" -xf "$tarball"
  for layer in $(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))[0]['Layers']))" "$dir/archive/manifest.json"); do
    tar --warning=no-unknown-keyword -C "$dir/rootfs" -xf "$dir/archive/$layer"
  done
  config=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['Config'])" "$dir/archive/manifest.json")
  ENTRYPOINT=$(python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['config']; print(' '.join(c['Entrypoint']))" "$dir/archive/$config")
  USER_ID=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['config'].get('User',''))" "$dir/archive/$config")
  mkdir -p "$dir/rootfs/proc" "$dir/rootfs/dev"
  mount -t proc proc "$dir/rootfs/proc"
  mounts+=("$dir/rootfs/proc")
  mount --bind /dev "$dir/rootfs/dev"
  mounts+=("$dir/rootfs/dev")
}

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
# The cluster runs as the postgres user, which may not reach into the checkout (a clone in a 0700
# directory, as `mktemp -d` makes): its files go to a directory of its own under /tmp.
pg=$(mktemp -d /tmp/gatehouse-ci-pg.XXXXXX)
chown postgres "$pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$pg/data" -A trust -U gatehouse >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pg/data" -l "$pg/pg.log" -o "-p $PG_PORT -k $pg -c listen_addresses=127.0.0.1" -w start >/dev/null
mounts=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg"
}
MASTER_KEY=$(head -c 32 /dev/urandom | base64)
ADMIN_TOKEN=ci-image-admin-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The JVM options and malloc arenas the manifests give the container (deployment/base/configmap.yaml; the
# ubi image's run-java.sh reads JAVA_OPTS_APPEND, this stand-in's plain java reads JDK_JAVA_OPTIONS).
source deployment/configmap-value.sh
DEPLOYED_JAVA_OPTS=$(configmap_value JAVA_OPTS_APPEND)
DEPLOYED_MALLOC_ARENA_MAX=$(configmap_value MALLOC_ARENA_MAX)

# start_image DIR LOG [JAVA_OPTIONS]: runs the image unpacked in DIR with its own entrypoint as its own
# user and the deployment's JVM options (plus JAVA_OPTIONS), waits until it is ready or fails with its
# log, and sets GH to its process and READY_MS to the milliseconds from spawn to ready.
start_image() {
  local dir=$1 log=$2 opts=${3:-} begin
  begin=$(date +%s%N)
  env -i PATH=/opt/java/bin:/usr/bin:/bin JDK_JAVA_OPTIONS="$DEPLOYED_JAVA_OPTS $opts" \
    MALLOC_ARENA_MAX="$DEPLOYED_MALLOC_ARENA_MAX" \
    QUARKUS_HTTP_PORT=$GH_PORT \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
    QUARKUS_DATASOURCE_USERNAME=gatehouse QUARKUS_DATASOURCE_PASSWORD=unused \
    GATEHOUSE_ADMIN_TOKEN="$ADMIN_TOKEN" \
    GATEHOUSE_MASTER_KEY="$MASTER_KEY" \
    /usr/sbin/chroot --userspec="${USER_ID:-0}:0" "$dir/rootfs" $ENTRYPOINT >"$log" 2>&1 &
  GH=$!
  pids+=($GH)
  until curl -sf -o /dev/null "http://127.0.0.1:$GH_PORT/q/health/ready"; do
    if ! kill -0 "$GH" 2>/dev/null || [ $(( ($(date +%s%N) - begin) / 1000000000 )) -ge 60 ]; then
      echo "the image did not become ready; its log:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.02
  done
  READY_MS=$(( ($(date +%s%N) - begin) / 1000000 ))
}
stop_image() {
  kill "$GH"
  wait "$GH" 2>/dev/null || true
}

# The training start: the image as Jib built it, on the empty database (the migrations run), with
# -XX:AOTCacheOutput (JDK 25, JEP 514/515): the classes it loads and links and the methods it profiles
# while it starts and answers a few requests are written to a cache when it exits. A cache belongs to the
# JVM build that wrote it and the class path it saw (classes changed since are read from their jars
# again), so it is made from the image's own layers and goes into the image beside them.
unpack "$out/gatehouse-jvm-image.tar" "$out/run"
echo "entrypoint: $ENTRYPOINT (user ${USER_ID:-root}); JDK_JAVA_OPTIONS: $DEPLOYED_JAVA_OPTS"
jdk_major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "$jdk_major" -lt 25 ]; then
  start_image "$out/run" "$out/gatehouse.log"
  echo "the image's own entrypoint is ready on :$GH_PORT after $READY_MS ms (JDK $jdk_major: no AOT cache)"
  exit 0
fi
start_image "$out/run" "$out/training.log" "-XX:AOTCacheOutput=/tmp/gatehouse.aot"
echo "the image's own entrypoint is ready on :$GH_PORT (training start, empty database): $READY_MS ms"
for path in /.well-known/openid-configuration /q/health /login "/v1/sso/start?org=nobody"; do
  curl -s -o /dev/null "http://127.0.0.1:$GH_PORT$path"
done
kid=$(curl -s "http://127.0.0.1:$GH_PORT/.well-known/jwks.json" | python3 -c "import json,sys; print(json.load(sys.stdin)['keys'][0]['kid'])")
stop_image
cache=$out/run/rootfs/tmp/gatehouse.aot
if [ ! -s "$cache" ]; then
  echo "the training start wrote no AOT cache; its log:" >&2
  cat "$out/training.log" >&2
  exit 1
fi
echo "AOT cache: $(du -h "$cache" | cut -f1)"
# The cache ships in the image: it must hold classes and profiles, never the training start's settings or
# state. Its admin token, master key, database address and signing key's id must not occur in it.
for secret in "$ADMIN_TOKEN" "$MASTER_KEY" "127.0.0.1:$PG_PORT" "$kid"; do
  if grep -q -a -F -- "$secret" "$cache"; then
    echo "the AOT cache holds a value of the training start (${secret:0:12}…): not shipping it" >&2
    exit 1
  fi
done

# --- 5. The image with its AOT cache -------------------------------------------------------------------
# One more layer (/deployments/app.aot, readable by the image's user) and -XX:AOTCache in the
# entrypoint; Jib's own image stays beside it as gatehouse-jvm-image-untrained.tar.
mv "$out/gatehouse-jvm-image.tar" "$out/gatehouse-jvm-image-untrained.tar"
python3 deployment/image/add-aot-layer.py "$out/run/archive" "$cache" "$out/aot"
tar -C "$out/aot" -cf "$out/gatehouse-jvm-image.tar" .
rm -rf "$out/aot"
echo "image tarball with its AOT cache: $out/gatehouse-jvm-image.tar ($(du -h "$out/gatehouse-jvm-image.tar" | cut -f1))"

# --- 6. Both images started on the migrated database ---------------------------------------------------
# Jib's image, then the one with the cache, from its own layers, with -XX:AOTMode=on (the JVM does not
# start unless it can map the cache) and the class-loading log: the build fails unless the classes of
# the application's class path came from the cache too (Quarkus' entry point "source: shared objects
# file"), not only the JDK's own.
start_image "$out/run" "$out/gatehouse-untrained.log"
untrained_ms=$READY_MS
stop_image
unpack "$out/gatehouse-jvm-image.tar" "$out/run-aot"
echo "entrypoint: $ENTRYPOINT (user ${USER_ID:-root})"
start_image "$out/run-aot" "$out/gatehouse.log" "-XX:AOTMode=on -Xlog:class+load=info:file=/tmp/class-load.log"
echo "ready on the migrated database: $untrained_ms ms without the AOT cache, $READY_MS ms with it"
class_log=$out/run-aot/rootfs/tmp/class-load.log
if ! grep -q "io.quarkus.bootstrap.runner.QuarkusEntryPoint source: shared objects file" "$class_log"; then
  echo "the image's start did not take the application's classes from its AOT cache:" >&2
  grep -m 5 "QuarkusEntryPoint\|RunnerClassLoader" "$class_log" >&2 || true
  exit 1
fi
echo "classes loaded until ready: $(grep -c ' source: ' "$class_log"), $(grep -c ' source: shared objects file' "$class_log") of them from the AOT cache"
echo "the image's own entrypoint is ready on :$GH_PORT: $(curl -s "http://127.0.0.1:$GH_PORT/.well-known/jwks.json" | head -c 60)…"
