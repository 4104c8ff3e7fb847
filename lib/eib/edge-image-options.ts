import { HelmChartSource } from '../rke2/helm-chart';
import { CniOptions, CniPlugin } from '../rke2/cni';
import { Rke2Version } from '../rke2/rke2-version';
import { OsImageOptions } from '../metal3/os-image';
import { BuildSecret } from './build-secret';
import { ImageArch } from './image-arch';

/** Versions of the Edge Image Builder definition format (`apiVersion`). */
export type EibApiVersion = '1.0' | '1.1' | '1.2' | '1.3';

/** The definition format versions Edge Image Builder 1.3 reads. */
export const EIB_API_VERSIONS: readonly EibApiVersion[] = ['1.0', '1.1', '1.2', '1.3'];

/** What Edge Image Builder builds: a raw disk image or a self-install ISO (`image.imageType`). */
export type EibImageType = 'raw' | 'iso';

/** The image types Edge Image Builder builds. */
export const EIB_IMAGE_TYPES: readonly EibImageType[] = ['raw', 'iso'];

/**
 * Units disabled in the seed's images (§42.2.2.1): automatic reboots and transactional updates
 * must not interrupt provisioning, and fstrim and time-sync.target are not wanted on the nodes.
 */
export const DEFAULT_DISABLED_UNITS: readonly string[] = [
  'rebootmgr',
  'transactional-update.timer',
  'transactional-update-cleanup.timer',
  'fstrim',
  'time-sync.target',
];

/** Packages every image of the Metal3 flow gets (seed §42.2.2.1: `jq` is required). */
export const REQUIRED_PACKAGES: readonly string[] = ['jq'];

/** Packages of the seed's telco image (§42.2.2.5): DPDK and the FEC accelerator config tool. */
export const TELCO_PACKAGES: readonly string[] = ['dpdk', 'dpdk-tools', 'libdpdk-23', 'pf-bb-config'];

/** Where the image puts the performance settings helper that the telco profile's unit runs. */
export const PERFORMANCE_SETTINGS_PATH = '/opt/performance-settings/performance-settings.sh';

/** Where the image puts the SR-IOV auto-filler helper that the telco profile's unit runs. */
export const SRIOV_AUTO_FILLER_PATH = '/opt/sriov/sriov-auto-filler.sh';

/**
 * Port of the registry Edge Image Builder's embedded artifact registry serves on each node
 * (`localhost:6545`). Without a `kubernetes` section EIB writes no RKE2 mirror for it: point the
 * cluster's private registry configuration at `http://localhost:6545` to use it.
 */
export const EMBEDDED_REGISTRY_PORT = 6545;

/** A user of the image (`operatingSystem.users[]`). */
export interface EdgeImageUser {
  /** Login name; `root` sets root's password or keys. */
  readonly username: string;
  /**
   * SSH public keys (one `ssh-ed25519 AAAA… comment` line each). Public keys are not secret and
   * are written as they are.
   * @default - no keys
   */
  readonly sshKeys?: string[];
  /**
   * The crypt(3) hash of the password (`openssl passwd -6`), filled in by the build pipeline.
   * @default - no password: key login only
   */
  readonly encryptedPassword?: BuildSecret;
}

/** An extra RPM repository (`operatingSystem.packages.additionalRepos[]`). */
export interface EdgeImageRepository {
  /** http(s) URL of the repository. */
  readonly url: string;
  /**
   * The repository is not signed.
   * @default false
   */
  readonly unsigned?: boolean;
}

/** The air-gapped variant (seed §42.3). */
export interface EdgeImageAirGapOptions {
  /**
   * The RKE2 release whose install artifacts the image carries, e.g. `"v1.32.4+rke2r1"`. Use the
   * cluster's `rke2Version`: the air-gapped install installs the release it finds in the image.
   */
  readonly rke2Version: string;
  /**
   * The cluster's CNI choice (pass the cluster's `cni` object): which image archives to carry.
   * @default - Cilium without Multus, the clusters' default
   */
  readonly cni?: CniOptions;
  /**
   * Container images for Edge Image Builder's embedded artifact registry
   * (`embeddedArtifactRegistry.images`), each with a tag or digest. EIB pulls them for the image's
   * architecture at build time and serves them on each node at `localhost:6545`.
   * @default - no embedded registry
   */
  readonly embeddedImages?: string[];
  /**
   * OCI Helm charts to preload into the site's private registry (seed §42.3.2.7), e.g. the
   * telco profile's `DEFAULT_SRIOV_OPERATOR_CHART`. Written, one `<chart>:<version>` a line
   * (relative to `preloadRelativeTo` when given), to `preload/helm-charts.txt` for the mirroring
   * step of the pipeline. (Edge Image Builder can only embed charts together with its own RKE2
   * install, which the Metal3 flow must not use.)
   * @default - none
   */
  readonly preloadHelmCharts?: HelmChartSource[];
  /**
   * Container images to preload into the site's private registry (seed §42.3.2.7), written one a
   * line to `preload/images.txt`: fully qualified, or relative to `preloadRelativeTo` when given
   * (then a short name such as `rancher/hardened-sriov-cni:v2.8.1-build20240820` is taken as
   * relative to it).
   * @default - none
   */
  readonly preloadImages?: string[];
  /**
   * Write both preload lists relative to this source registry (`host[:port]`), as SUSE's
   * `edge-save-images.sh -s <registry>` and `edge-save-oci-artefacts.sh -s <registry>` read them
   * (the seed uses `registry.suse.com`); every entry must then come from it. The same option as
   * `AirgapRegistryMirror.addRke2PreloadLists({ relativeTo })`. Each list states its convention in
   * its first line.
   * @default - fully qualified entries (short image names are refused)
   */
  readonly preloadRelativeTo?: string;
}

/** Telco extras (seed §42.2.2.3–§42.2.2.5). */
export interface EdgeImageTelcoOptions {
  /**
   * Install `custom/files/performance-settings.sh` at {@link PERFORMANCE_SETTINGS_PATH} with
   * `custom/scripts/03-performance.sh`, for the telco profile's performance unit.
   * @default true
   */
  readonly performanceSettings?: boolean;
  /**
   * Install `custom/files/sriov-auto-filler.sh` at {@link SRIOV_AUTO_FILLER_PATH} with
   * `custom/scripts/04-sriov.sh`, for the telco profile's SR-IOV unit.
   * @default true
   */
  readonly sriovAutoFiller?: boolean;
  /**
   * Telco packages added to the package list.
   * @default TELCO_PACKAGES
   */
  readonly packages?: string[];
}

/** Props of `EdgeImageDefinition`. */
export interface EdgeImageDefinitionProps {
  /**
   * File name of the base image in the folder's `base-images/`, e.g.
   * `SL-Micro.x86_64-6.1-Base-GM.raw` (built with Kiwi, profile Base-SelfInstall or
   * Base-RT-SelfInstall). The build pipeline puts it there.
   */
  readonly baseImage: string;
  /**
   * File name of the image Edge Image Builder writes, e.g. `eibimage-output-telco.raw`. Serve it
   * and build the cluster's OsImage with `EdgeImageDefinition.toOsImage`.
   */
  readonly outputImageName: string;
  /**
   * CPU architecture of the image. File names and URLs that name only the other architecture are
   * refused.
   * @default 'x86_64'
   */
  readonly arch?: ImageArch;
  /**
   * `raw` for Metal3 (it writes the image to disk), `iso` for a self-install ISO.
   * @default 'raw'
   */
  readonly imageType?: EibImageType;
  /**
   * Definition format version.
   * @default '1.2'
   */
  readonly apiVersion?: EibApiVersion;
  /**
   * Folder of the image, relative to the synth output folder.
   * @default - `eib/<chart id>`
   */
  readonly dir?: string;
  /**
   * File name of the definition in the folder.
   * @default - `downstream-cluster-config.yaml`, or `downstream-cluster-airgap-config.yaml` with `airGap` (the seed's names)
   */
  readonly definitionFileName?: string;
  /**
   * Whether the management cluster's metal3 chart uses predictable NIC names (its
   * `predictableNicNames` value, true unless changed). The image gets `net.ifnames=1` or
   * `net.ifnames=0` to match.
   * @default true
   */
  readonly predictableNicNames?: boolean;
  /**
   * Extra kernel arguments, `key` or `key=value`. The construct adds
   * `ignition.platform.id=openstack` (without it Ignition does not configure the host in the
   * Metal3 flow) and `net.ifnames`; repeating either is allowed only with the same value.
   * @default - none
   */
  readonly kernelArgs?: string[];
  /**
   * systemd units to disable.
   * @default DEFAULT_DISABLED_UNITS
   */
  readonly disabledUnits?: string[];
  /**
   * systemd units to enable.
   * @default - none
   */
  readonly enabledUnits?: string[];
  /**
   * Users to create or configure.
   * @default - none
   */
  readonly users?: EdgeImageUser[];
  /**
   * Extra packages. `jq` ({@link REQUIRED_PACKAGES}) is always installed, and
   * `telco.packages` with `telco`.
   * @default - none
   */
  readonly packages?: string[];
  /**
   * SUSE Customer Center registration code, filled in by the build pipeline. Packages need it or
   * `additionalRepos`.
   * @default - no registration
   */
  readonly sccRegistrationCode?: BuildSecret;
  /**
   * Extra RPM repositories.
   * @default - none
   */
  readonly additionalRepos?: EdgeImageRepository[];
  /**
   * Size of the raw image (`32G`, `4096M`, `1T`): room for packages and artifacts. Raw images only.
   * @default - the base image's size
   */
  readonly diskSize?: string;
  /**
   * Write `network/configure-network.sh`, which applies the host's network data from the Metal3
   * config drive with nmc (static IPs, VLANs, bonds: seed §42.2.2.6). Hosts without network data
   * keep DHCP.
   * @default true
   */
  readonly configDriveNetworking?: boolean;
  /**
   * The air-gapped variant: RKE2 install artifacts, embedded registry, preload lists.
   * @default - the connected variant
   */
  readonly airGap?: EdgeImageAirGapOptions;
  /**
   * Telco extras: packages and the performance and SR-IOV helpers.
   * @default - none
   */
  readonly telco?: EdgeImageTelcoOptions;
}

/** Options of `EdgeImageDefinition.toOsImage`. */
export interface EdgeImageOsImageOptions {
  /**
   * Checksum file URL or hex digest.
   * @default - `<url>.<checksumType>`, which the pipeline publishes next to the image
   */
  readonly checksum?: string;
  /**
   * Algorithm of `checksum`.
   * @default 'sha256'
   */
  readonly checksumType?: OsImageOptions['checksumType'];
}

/** What a cluster installs on the hosts of an image, for `EdgeImageDefinition.checkCluster`. */
export interface EdgeImageClusterFacts {
  /** The cluster's RKE2 release. */
  readonly rke2Version: Rke2Version;
  /** The cluster's primary CNI plugin. */
  readonly cni: CniPlugin;
  /** Whether Multus runs in front of it. */
  readonly multus: boolean;
  /** Whether RKE2 installs air-gapped (`agentConfig.airGapped`). */
  readonly airGapped: boolean;
}
