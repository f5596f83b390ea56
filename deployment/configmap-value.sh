# Sourced by the scripts that run Gatehouse as it is deployed (bench/common.sh,
# deployment/image/build-ci-image.sh). configmap_value KEY: the value of KEY in
# deployment/base/configmap.yaml, without the quotes YAML may put around it.
configmap_value() {
  sed -n "s/^ *$1: *//p" deployment/base/configmap.yaml | sed 's/^"\(.*\)"$/\1/'
}
