#!/bin/bash
# Runs the simple-kmod userspace tool from the module container.
source /etc/kvc/simple-kmod.conf
exec podman run --rm --privileged "simple-kmod:${KMOD_SOFTWARE_VERSION}-$(uname -r)" spkut "$@"
