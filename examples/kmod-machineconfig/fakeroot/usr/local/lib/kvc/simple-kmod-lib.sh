# Build, load and unload functions of the simple-kmod bundle.
build_kmods() {
  "$KVC_CONTAINER_RUNTIME" build -t "simple-kmod:${KMOD_SOFTWARE_VERSION}-$1" \
    --build-arg "KVER=$1" --build-arg "KMODVER=${KMOD_SOFTWARE_VERSION}" \
    -f "$KMOD_CONTAINER_BUILD_FILE" "$KMOD_CONTAINER_BUILD_CONTEXT"
}
load_kmods() {
  for m in $KMOD_NAMES; do
    "$KVC_CONTAINER_RUNTIME" run --rm --privileged "simple-kmod:${KMOD_SOFTWARE_VERSION}-$1" modprobe "$m"
  done
}
reload_kmods() { unload_kmods "$1"; load_kmods "$1"; }
unload_kmods() {
  for m in $KMOD_NAMES; do rmmod "$m" || true; done
}
