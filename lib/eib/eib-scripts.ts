/**
 * The shell scripts of an Edge Image Builder folder, as text. Each one is written for this
 * library from what the step must achieve (seed §42.2.2 and §42.3.2); none is copied.
 *
 * Combustion runs `custom/scripts/*` and `network/configure-network.sh` on the node's first
 * boot, as root, from the folder that also holds `custom/files/*` (and EIB's `nmc`), so those
 * files are addressed by their bare names. `prepare-build.sh` runs in the build pipeline.
 */
import { BuildSecretKind } from './build-secret';
import {
  RKE2_AGENT_IMAGES_DIR,
  RKE2_ARTIFACTS_DIR,
  RKE2_INSTALLER_PATH,
  Rke2AirGapArtifacts,
} from './rke2-airgap-artifacts';

const HEADER = '# Written by cdk8s-baremetal (EdgeImageDefinition); edit the construct, not this file.';

/** Quotes `text` as one shell word. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function script(lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function list(words: readonly string[], indent = '  '): string[] {
  return words.map((w) => `${indent}${shellQuote(w)}`);
}

/**
 * `custom/scripts/01-fix-growfs.sh`: grows the root partition to the end of its disk and the file
 * system to the partition, on first boot. Metal3 writes the raw image byte for byte, so until then
 * the root file system keeps the size of the image, not of the disk.
 */
export function growfsScript(): string {
  return script([
    '#!/bin/bash',
    HEADER,
    '# Grows the root partition to the end of its disk, then the root file system to the partition:',
    '# Metal3 writes the raw image as it is, so the root file system still has the size of the image.',
    'set -euo pipefail',
    '',
    'grow_to_disk() {',
    '  local target="$1" source name disk number rc=0',
    '  source="$(findmnt --fstab --evaluate --real --noheadings --output SOURCE --target "${target}")"',
    '  source="$(readlink -f "${source}")"',
    '  name="$(basename "${source}")"',
    '  disk="$(lsblk --nodeps --noheadings --raw --output PKNAME "${source}")"',
    '  number="$(cat "/sys/class/block/${name}/partition" 2>/dev/null || true)"',
    '  if [ -z "${disk}" ] || [ -z "${number}" ]; then',
    '    echo "01-fix-growfs: cannot tell the disk and partition number of ${source}" >&2',
    '    return 1',
    '  fi',
    '  # growpart exits 1 when the partition already ends at the end of the disk (NOCHANGE).',
    '  growpart "/dev/${disk}" "${number}" || rc=$?',
    '  if [ "${rc}" -gt 1 ]; then',
    '    echo "01-fix-growfs: growpart /dev/${disk} ${number} failed with exit code ${rc}" >&2',
    '    return 1',
    '  fi',
    '  /usr/lib/systemd/systemd-growfs "${target}"',
    '}',
    '',
    'grow_to_disk /',
  ]);
}

/**
 * `custom/scripts/02-airgap.sh`: stages an RKE2 release for the air-gapped install that the RKE2
 * bootstrap provider runs with `agentConfig.airGapped: true` — the installer at
 * {@link RKE2_INSTALLER_PATH}, the tarball and checksum file in {@link RKE2_ARTIFACTS_DIR}, the
 * image archives in {@link RKE2_AGENT_IMAGES_DIR} — after checking every file is there.
 */
export function airGapScript(artifacts: Rke2AirGapArtifacts): string {
  return script([
    '#!/bin/bash',
    HEADER,
    `# Stages RKE2 ${artifacts.version} (${artifacts.arch}) for the air-gapped install of the RKE2 bootstrap`,
    `# provider (agentConfig.airGapped: true), which runs INSTALL_RKE2_ARTIFACT_PATH=${RKE2_ARTIFACTS_DIR} sh ${RKE2_INSTALLER_PATH}.`,
    '# That installer only knows the all-in-one image archive, so the split archives (core, CNI,',
    '# Multus) go straight to the folder RKE2 imports images from when it starts.',
    'set -euo pipefail',
    '',
    `installer=${shellQuote(artifacts.installer.fileName)}`,
    'release=(',
    ...list([artifacts.tarball.fileName, artifacts.checksums.fileName]),
    ')',
    'images=(',
    ...list(artifacts.images.map((a) => a.fileName)),
    ')',
    '',
    'missing=0',
    'for file in "${installer}" "${release[@]}" "${images[@]}"; do',
    '  if [ ! -s "${file}" ]; then',
    '    echo "02-airgap: ${file} is missing or empty; it belongs in custom/files of the image folder" >&2',
    '    missing=1',
    '  fi',
    'done',
    '[ "${missing}" -eq 0 ] || exit 1',
    '',
    `install -D -m 0755 "\${installer}" ${RKE2_INSTALLER_PATH}`,
    `install -d -m 0755 ${RKE2_ARTIFACTS_DIR}`,
    `install -m 0644 "\${release[@]}" ${RKE2_ARTIFACTS_DIR}/`,
    '',
    '# /var is a subvolume of its own that combustion does not always mount.',
    'mounted_var=0',
    'if ! findmnt --noheadings --mountpoint /var >/dev/null; then',
    '  mount /var',
    '  mounted_var=1',
    'fi',
    `install -d -m 0755 ${RKE2_AGENT_IMAGES_DIR}`,
    `install -m 0644 "\${images[@]}" ${RKE2_AGENT_IMAGES_DIR}/`,
    'if [ "${mounted_var}" -eq 1 ]; then',
    '  umount /var',
    'fi',
  ]);
}

/** Props of {@link stageFileScript}. */
export interface StageFileScriptOptions {
  /** Name of the script, for its messages, e.g. `03-performance`. */
  readonly scriptName: string;
  /** What the file is for, one line. */
  readonly purpose: string;
  /** Name of the file in `custom/files/`. */
  readonly fileName: string;
  /** Absolute path the file is installed to, executable. */
  readonly target: string;
}

/**
 * A `custom/scripts/` script that installs one helper from `custom/files/` at a fixed path, where a
 * unit of the cluster's first-boot config runs it (the telco performance and SR-IOV helpers).
 */
export function stageFileScript(options: StageFileScriptOptions): string {
  return script([
    '#!/bin/bash',
    HEADER,
    `# ${options.purpose}`,
    'set -euo pipefail',
    '',
    `source_file=${shellQuote(options.fileName)}`,
    'if [ ! -s "${source_file}" ]; then',
    `  echo "${options.scriptName}: \${source_file} is missing or empty; it belongs in custom/files of the image folder" >&2`,
    '  exit 1',
    'fi',
    `install -D -m 0755 "\${source_file}" ${shellQuote(options.target)}`,
  ]);
}

/**
 * `network/configure-network.sh`: configures the host network on first boot from the config drive
 * Metal3 attaches (label `config-2`): the BareMetalHost's network data, nmstate YAML in
 * `openstack/latest/network_data.json`, goes through NM Configurator (`nmc`, which EIB puts next to
 * the script), and `metal3-name` from `meta_data.json` becomes the host name. Without a config
 * drive or network data the script changes nothing, so DHCP hosts keep DHCP.
 */
export function configureNetworkScript(): string {
  return script([
    '#!/bin/bash',
    HEADER,
    '# Configures the network from the Metal3 config drive (label config-2): the nmstate network data',
    '# in openstack/latest/network_data.json, applied with NM Configurator (nmc, put next to this script',
    '# by Edge Image Builder). Without a config drive or network data nothing changes (DHCP stays).',
    'set -euo pipefail',
    '',
    'nmc=./nmc',
    'device="$(blkid --label config-2 || true)"',
    'if [ -z "${device}" ]; then',
    '  echo "configure-network: no config-2 drive; keeping the default network configuration"',
    '  exit 0',
    'fi',
    '',
    'drive="$(mktemp -d)"',
    'work="$(mktemp -d)"',
    'cleanup() {',
    '  umount "${drive}" 2>/dev/null || true',
    '  rmdir "${drive}" 2>/dev/null || true',
    '  rm -rf "${work}"',
    '}',
    'trap cleanup EXIT',
    'mount -o ro "${device}" "${drive}"',
    '',
    'latest="${drive}/openstack/latest"',
    'if [ ! -s "${latest}/network_data.json" ]; then',
    '  echo "configure-network: the config drive holds no network data; keeping the default network configuration"',
    '  exit 0',
    'fi',
    '',
    '# The BareMetalHost name; jq is not installed this early in the first boot.',
    'if [ -s "${latest}/meta_data.json" ]; then',
    "  name=\"$(tr ',{}' '\\n\\n\\n' <\"${latest}/meta_data.json\" |",
    '    sed -n \'s/^[[:space:]]*"metal3-name"[[:space:]]*:[[:space:]]*"\\([^"]*\\)"[[:space:]]*$/\\1/p\' | sed -n 1p)"',
    '  if [ -n "${name}" ]; then',
    '    printf \'%s\\n\' "${name}" >/etc/hostname',
    '  fi',
    'fi',
    '',
    'mkdir -p "${work}/desired" "${work}/generated"',
    'cp "${latest}/network_data.json" "${work}/desired/_all.yaml"',
    '"${nmc}" generate --config-dir "${work}/desired" --output-dir "${work}/generated"',
    '"${nmc}" apply --config-dir "${work}/generated"',
  ]);
}

/** A secret that `prepare-build.sh` fills in. */
export interface PrepareBuildSecret {
  /** Environment variable name. */
  readonly name: string;
  /** What it holds: a crypt(3) hash is checked to look like one. */
  readonly kind: BuildSecretKind;
}

/** Props of {@link prepareBuildScript}. */
export interface PrepareBuildScriptOptions {
  /** The definition file, with `${NAME}` placeholders. */
  readonly definitionFile: string;
  /** The file to write with the secrets filled in; EIB builds from it. */
  readonly renderedFile: string;
  /** Files, relative to the image folder, that the pipeline must put in place. */
  readonly externalFiles: readonly string[];
  /**
   * The release checksum file and the files it must vouch for, relative to the image folder.
   * @default - no checksum check
   */
  readonly checksums?: { readonly file: string; readonly files: readonly string[] };
  /** The secrets to fill in. */
  readonly secrets: readonly PrepareBuildSecret[];
}

/**
 * `prepare-build.sh`: run by the build pipeline in the image folder before Edge Image Builder. It
 * checks that every external file is in place (and the RKE2 files match the release's checksums),
 * that every secret variable is set — a password hash must look like a crypt(3) hash, never clear
 * text — and writes the rendered definition (mode 0600) with the placeholders replaced. It prints
 * no secret.
 */
export function prepareBuildScript(options: PrepareBuildScriptOptions): string {
  const lines = [
    '#!/bin/bash',
    HEADER,
    '# Run by the image build pipeline in this folder before Edge Image Builder:',
    '#   1. checks that the files listed in external-files.txt are in place;',
    `#   2. writes ${options.renderedFile} from ${options.definitionFile}, filling in the secrets`,
    "#      from environment variables set from the pipeline's secret store:",
    ...options.secrets.map(
      (s) =>
        `#        ${s.name}${s.kind === 'password-hash' ? ' (a crypt(3) hash, e.g. from `openssl passwd -6`)' : ''}`,
    ),
    `# Then build from ${options.renderedFile}, and never commit it.`,
    'set -euo pipefail',
    'shopt -u patsub_replacement 2>/dev/null || true',
    'cd "$(dirname "${BASH_SOURCE[0]}")"',
    '',
    'status=0',
    'external=(',
    ...list(options.externalFiles),
    ')',
    'for file in "${external[@]}"; do',
    '  if [ ! -s "${file}" ]; then',
    '    echo "prepare-build: ${file} is missing or empty; see external-files.txt" >&2',
    '    status=1',
    '  fi',
    'done',
  ];
  if (options.checksums) {
    const dir = dirnameOf(options.checksums.file);
    const names = options.checksums.files.map((f) => f.slice(dir.length + 1));
    lines.push(
      `checksums=${shellQuote(options.checksums.file)}`,
      'if [ "${status}" -eq 0 ]; then',
      '  for name in \\',
      ...names.map((n) => `    ${shellQuote(n)} \\`),
      '    ; do',
      `    if ! awk -v name="\${name}" '{ file = $2; sub(/^\\*/, "", file) } file == name { found = 1 } END { exit !found }' "\${checksums}"; then`,
      '      echo "prepare-build: ${checksums} lists no checksum for ${name}; is it from the same release?" >&2',
      '      status=1',
      '    fi',
      '  done',
      '  if [ "${status}" -eq 0 ]; then',
      `    (cd ${shellQuote(dir)} && sha256sum --check --ignore-missing --quiet "$(basename "\${checksums}")") || {`,
      '      echo "prepare-build: the RKE2 files do not match ${checksums}" >&2',
      '      status=1',
      '    }',
      '  fi',
      'fi',
    );
  }
  lines.push(
    '',
    'check_secret() {',
    '  local name="$1" kind="$2" value',
    '  value="${!name-}"',
    '  if [ -z "${value}" ]; then',
    '    echo "prepare-build: environment variable ${name} is not set" >&2',
    '    status=1',
    '    return 0',
    '  fi',
    '  case "${value}" in',
    '    *[!A-Za-z0-9./\\$_+=:@-]*)',
    '      echo "prepare-build: ${name} holds characters a definition value cannot carry" >&2',
    '      status=1',
    '      return 0',
    '      ;;',
    '  esac',
    '  if [ "${kind}" = password-hash ]; then',
    '    case "${value}" in',
    "      '$'?*'$'*) ;;",
    '      *)',
    '        echo "prepare-build: ${name} is not a crypt(3) hash; set it to the output of \'openssl passwd -6\', never to a password" >&2',
    '        status=1',
    '        ;;',
    '    esac',
    '  fi',
    '}',
    ...options.secrets.map((s) => `check_secret ${s.name} ${s.kind}`),
    '[ "${status}" -eq 0 ] || exit 1',
    '',
    `definition="$(<${shellQuote(options.definitionFile)})"`,
    ...options.secrets.flatMap((s) => [
      `placeholder='\${${s.name}}'`,
      `definition="\${definition//"\${placeholder}"/"\${${s.name}}"}"`,
    ]),
    'umask 077',
    `printf '%s\\n' "\${definition}" >${shellQuote(options.renderedFile)}`,
    `echo "prepare-build: wrote ${options.renderedFile}; run Edge Image Builder with: build --definition-file ${options.renderedFile}"`,
  );
  return script(lines);
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}
