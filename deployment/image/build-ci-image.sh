#!/usr/bin/env bash
# Builds the JVM image with Quarkus's Jib (quarkus-container-image-jib) on a machine with no Docker
# daemon and no way to an outside registry, writes it as a `docker load`-able tarball, and starts that
# image's own entrypoint from its own layers (chroot) against a throwaway PostgreSQL until it is ready.
#
# Quarkus's Jib pushes to a registry or loads into a Docker daemon, and takes its base image from a
# registry, a daemon or a tarball. So here:
#   1. the base image is a tarball made on the spot: a jlink'ed JRE of this JDK and the glibc files it
#      needs (a stand-in for ubi9/openjdk-21-runtime, which deployments use and this machine cannot pull);
#   2. Jib pushes to a registry on loopback (Debian's docker-registry);
#   3. skopeo (Debian) copies the pushed image into target/image/gatehouse-jvm-image.tar.
# Needs: root (chroot), JAVA_HOME (JDK 21+), Debian's docker-registry, skopeo and postgresql.
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
"$JAVA_HOME/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.management \
  --strip-debug --no-man-pages --no-header-files --output "$rootfs/opt/java"
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

# --- 4. Started from its own layers -------------------------------------------------------------------
run=$out/run
mkdir -p "$run/rootfs" "$run/archive"
tar -C "$run/archive" -xf "$out/gatehouse-jvm-image.tar"
for layer in $(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))[0]['Layers']))" "$run/archive/manifest.json"); do
  tar --warning=no-unknown-keyword -C "$run/rootfs" -xf "$run/archive/$layer"
done
config=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['Config'])" "$run/archive/manifest.json")
entrypoint=$(python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['config']; print(' '.join(c['Entrypoint']))" "$run/archive/$config")
user=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['config'].get('User',''))" "$run/archive/$config")
echo "entrypoint: $entrypoint (user ${user:-root})"

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
# The cluster runs as the postgres user, which may not reach into the checkout (a clone in a 0700
# directory, as `mktemp -d` makes): its files go to a directory of its own under /tmp.
pg=$(mktemp -d /tmp/gatehouse-ci-pg.XXXXXX)
chown postgres "$pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$pg/data" -A trust -U gatehouse >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pg/data" -l "$pg/pg.log" -o "-p $PG_PORT -k $pg -c listen_addresses=127.0.0.1" -w start >/dev/null
# What a container runtime gives every container: /proc, and the devices (the JVM reads /dev/urandom).
mkdir -p "$run/rootfs/proc" "$run/rootfs/dev"
mount -t proc proc "$run/rootfs/proc"
mount --bind /dev "$run/rootfs/dev"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  umount "$run/rootfs/proc" "$run/rootfs/dev" 2>/dev/null || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pg/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg"
}
env -i PATH=/opt/java/bin:/usr/bin:/bin \
  QUARKUS_HTTP_PORT=$GH_PORT \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
  QUARKUS_DATASOURCE_USERNAME=gatehouse QUARKUS_DATASOURCE_PASSWORD=unused \
  GATEHOUSE_ADMIN_TOKEN=ci-image-admin-token-0123456789 \
  GATEHOUSE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" \
  /usr/sbin/chroot --userspec="${user:-0}:0" "$run/rootfs" $entrypoint >"$out/gatehouse.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$GH_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
if ! curl -sf "http://127.0.0.1:$GH_PORT/q/health/ready"; then
  echo "the image did not become ready; its log:" >&2
  cat "$out/gatehouse.log" >&2
  exit 1
fi
echo
echo "the image's own entrypoint is ready on :$GH_PORT: $(curl -s "http://127.0.0.1:$GH_PORT/.well-known/jwks.json" | head -c 60)…"
