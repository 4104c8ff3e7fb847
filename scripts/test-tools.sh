#!/usr/bin/env bash
# Installs the Debian packages the tests drive, when missing: chromium (the report's browser test),
# dnsmasq-base and Kea (the pre-flight files are checked by dnsmasq --test and kea-dhcp4/6 -t).
# Needs root or sudo only when something is missing; a no-op otherwise.
set -euo pipefail
missing=()
for pair in chromium:/usr/bin/chromium dnsmasq-base:/usr/sbin/dnsmasq kea-dhcp4-server:/usr/sbin/kea-dhcp4 kea-dhcp6-server:/usr/sbin/kea-dhcp6; do
  [ -x "${pair#*:}" ] || missing+=("${pair%%:*}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt-get) for the tests" >&2
  sudo=$([ "$(id -u)" -eq 0 ] || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
