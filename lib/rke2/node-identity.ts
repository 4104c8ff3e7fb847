import { ButaneConfig } from '../butane/butane-config';

/** Placeholder in the RKE2 config that the first-boot unit replaces with the BareMetalHost UUID. */
export const BAREMETALHOST_UUID_PLACEHOLDER = 'BAREMETALHOST_UUID';

/** Kubelet argument that ties the Kubernetes Node to its Metal3 host (CAPM3 matches on it). */
export const METAL3_PROVIDER_ID_ARG = `provider-id=metal3://${BAREMETALHOST_UUID_PLACEHOLDER}`;

// /etc and /var are the places the SUSE Edge flow already has Ignition write to; /usr/local and
// /opt may be separate subvolumes on SUSE Linux Micro (CAPRKE2 mounts one on /opt).
const SCRIPT_PATH = '/etc/rancher/rke2/metal3-node-identity.sh';
const UNIT_NAME = 'rke2-preinstall.service';
const RKE2_CONFIG = '/etc/rancher/rke2/config.yaml';

// Reads the host identity that Ironic writes to the config drive (label config-2) and puts it into
// the RKE2 config before RKE2 is installed: the UUID into the provider ID, the machine name as the
// node name. Idempotent, and it fails loudly when the metadata is missing.
const SCRIPT = `#!/bin/bash
set -euo pipefail
config=${RKE2_CONFIG}
drive=$(mktemp -d)
trap 'umount "$drive" 2>/dev/null || true; rmdir "$drive"' EXIT
mount -o ro -L config-2 "$drive"
meta="$drive/openstack/latest/meta_data.json"
uuid=$(jq -er .uuid "$meta")
name=$(jq -er .name "$meta")
sed -i "s/${BAREMETALHOST_UUID_PLACEHOLDER}/$uuid/" "$config"
if ! grep -q '^node-name:' "$config"; then
  printf 'node-name: %s\\n' "$name" >> "$config"
fi
`;

const UNIT = `[Unit]
Description=Write the Metal3 host UUID and machine name into the RKE2 config
Wants=network-online.target
After=network-online.target
Before=rke2-install.service
ConditionPathExists=!/run/cluster-api/bootstrap-success.complete

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/bash ${SCRIPT_PATH}

[Install]
WantedBy=multi-user.target
`;

/**
 * Adds to `config` the first-boot unit (`rke2-preinstall.service`) and its script that give an
 * RKE2 node its Metal3 identity: `provider-id=metal3://<BareMetalHost UUID>` and the machine name
 * as node name, both read from the Ironic config drive.
 */
export function addMetal3NodeIdentity(config: ButaneConfig): void {
  config.addFile({ path: SCRIPT_PATH, contents: SCRIPT, mode: 0o700 });
  config.addUnit({ name: UNIT_NAME, contents: UNIT, enabled: true });
}
