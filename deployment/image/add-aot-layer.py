"""Adds a JDK AOT cache to an image in `docker save` form (an unpacked docker-archive).

    python3 add-aot-layer.py ARCHIVE_DIR CACHE_FILE OUT_DIR

Writes to OUT_DIR the image of ARCHIVE_DIR (its manifest.json, config and layers, hard-linked; the legacy
per-layer directories of `docker save` are left out, as `docker load` reads the manifest) with one more
layer holding CACHE_FILE as /deployments/app.aot (mode 0444, so the image's user reads it whatever its
id), the layer's digest appended to the config's diff_ids and history, and
`-XX:AOTCache=/deployments/app.aot` put right after the entrypoint's java, in place of any it had (an
entrypoint that does not run java itself, such as a launcher script, is refused before anything is
written). The config is written under its new digest and
the manifest points at it.
"""
import hashlib
import json
import os
import shutil
import sys
import tarfile

CACHE_PATH = "/deployments/app.aot"


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(archive, cache, dest):
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    with open(os.path.join(archive, "manifest.json")) as f:
        manifest = json.load(f)
    image = manifest[0]
    with open(os.path.join(archive, image["Config"])) as f:
        config = json.load(f)
    entrypoint = config["config"]["Entrypoint"]
    if not entrypoint or os.path.basename(entrypoint[0]) != "java":
        sys.exit("the entrypoint does not run java itself, so -XX:AOTCache has no place in it: %s" % entrypoint)
    for name in image["Layers"]:
        os.link(os.path.join(archive, name), os.path.join(dest, name))

    layer = os.path.join(dest, "aot-layer.tar")
    with tarfile.open(layer, "w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(CACHE_PATH.lstrip("/"))
        info.size = os.path.getsize(cache)
        info.mode = 0o444
        info.mtime = 1
        with open(cache, "rb") as f:
            tar.addfile(info, f)
    digest = sha256_of(layer)
    os.rename(layer, os.path.join(dest, digest + ".tar"))

    config["rootfs"]["diff_ids"].append("sha256:" + digest)
    config.setdefault("history", []).append(
        {"created_by": "deployment/image/build-ci-image.sh", "comment": "JDK AOT cache of a training start"})
    # An -XX:AOTCache already there (an image that had a cache) would name another file: this one replaces it.
    config["config"]["Entrypoint"] = entrypoint[:1] + ["-XX:AOTCache=" + CACHE_PATH] + [
        arg for arg in entrypoint[1:] if not arg.startswith("-XX:AOTCache=")]
    body = json.dumps(config, separators=(",", ":")).encode()
    image["Config"] = hashlib.sha256(body).hexdigest() + ".json"
    with open(os.path.join(dest, image["Config"]), "wb") as f:
        f.write(body)
    image["Layers"].append(digest + ".tar")
    with open(os.path.join(dest, "manifest.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
