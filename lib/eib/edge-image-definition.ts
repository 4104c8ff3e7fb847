import { normalize } from 'node:path';
import { Construct, IConstruct } from 'constructs';
import { Document, Scalar, visit } from 'yaml';
import { quoteAmbiguousStrings } from '../core/yaml-writer';
import { chartIdOf, SiteFile } from '../core/site-file';
import { OsImage, OsImageOptions } from '../metal3/os-image';
import {
  At,
  at,
  child,
  expectArray,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
  redacted,
} from '../private/errors';
import { CniOptions } from '../rke2/cni';
import { HelmChartSource, validateHelmChartSource } from '../rke2/helm-chart';
import { Rke2Version } from '../rke2/rke2-version';
import { BuildSecret, BuildSecretKind, expectOptionalBuildSecret } from './build-secret';
import {
  airGapScript,
  configureNetworkScript,
  growfsScript,
  PrepareBuildSecret,
  prepareBuildScript,
  stageFileScript,
} from './eib-scripts';
import { checkArchOfName, IMAGE_ARCHS, ImageArch } from './image-arch';
import { Rke2AirGapArtifacts } from './rke2-airgap-artifacts';

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
   * telco profile's `DEFAULT_SRIOV_OPERATOR_CHART`. Written, one `<reference>:<version>` a line,
   * to `preload/helm-charts.txt` for the mirroring step of the pipeline. (Edge Image Builder can
   * only embed charts together with its own RKE2 install, which the Metal3 flow must not use.)
   * @default - none
   */
  readonly preloadHelmCharts?: HelmChartSource[];
  /**
   * Container images to preload into the site's private registry (seed §42.3.2.7), written one a
   * line to `preload/images.txt`.
   * @default - none
   */
  readonly preloadImages?: string[];
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

/** Props of {@link EdgeImageDefinition}. */
export interface EdgeImageDefinitionProps {
  /**
   * File name of the base image in the folder's `base-images/`, e.g.
   * `SL-Micro.x86_64-6.1-Base-GM.raw` (built with Kiwi, profile Base-SelfInstall or
   * Base-RT-SelfInstall). The build pipeline puts it there.
   */
  readonly baseImage: string;
  /**
   * File name of the image Edge Image Builder writes, e.g. `eibimage-output-telco.raw`. Serve it
   * and build the cluster's OsImage with {@link EdgeImageDefinition.toOsImage}.
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

/** Options of {@link EdgeImageDefinition.toOsImage}. */
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

/** Folders taken in each app. */
const dirsByApp = new WeakMap<IConstruct, Map<string, EdgeImageDefinition>>();

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$/;
const UNIT = /^[A-Za-z0-9:_.@\\-]+$/;
const USERNAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const PACKAGE = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;
const KERNEL_ARG = /^[^\s=]+(?:=\S+)?$/;
const DISK_SIZE = /^[1-9][0-9]*[MGT]$/;
const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];
const PLACEHOLDER = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const EXTENSIONS: Record<EibImageType, readonly string[]> = { raw: ['raw', 'img'], iso: ['iso'] };
const HEADER =
  ' Written by cdk8s-baremetal (EdgeImageDefinition). ${NAME} placeholders are secrets that\n' +
  ' prepare-build.sh fills in from environment variables; build from the file it writes.';

/**
 * An Edge Image Builder image for the Metal3 direct network provisioning flow (seed §42.2 and
 * §42.3): the definition file and the folder around it, written as site files under `dir`.
 *
 * ```
 * <dir>/downstream-cluster-config.yaml    the definition (secrets as ${NAME} placeholders)
 * <dir>/custom/scripts/01-fix-growfs.sh   grows the root file system to the disk
 * <dir>/custom/scripts/02-airgap.sh       air gap: stages the RKE2 release for airGapped installs
 * <dir>/custom/scripts/03-performance.sh  telco: installs the performance settings helper
 * <dir>/custom/scripts/04-sriov.sh        telco: installs the SR-IOV auto-filler helper
 * <dir>/custom/files/…                    files added with addCustomFile()
 * <dir>/network/configure-network.sh      network from the config drive's network data, with nmc
 * <dir>/external-files.txt                files the pipeline puts in place, and where they come from
 * <dir>/prepare-build.sh                  checks them, fills in the secrets, writes the build's definition
 * <dir>/preload/{helm-charts,images}.txt  air gap: what to mirror into the private registry
 * <dir>/.gitignore                        keeps the rendered definition and the artifacts out of git
 * ```
 *
 * The definition has no `kubernetes` section, also in the air-gapped variant: with one, Edge
 * Image Builder installs and starts RKE2 itself at first boot, over the config the RKE2 bootstrap
 * provider has just written. The RKE2 release is staged instead for the provider's air-gapped
 * install (set `agentConfig.airGapped: true` on the cluster).
 */
export class EdgeImageDefinition extends Construct {
  /** Folder of the image, relative to the synth output folder. */
  public readonly dir: string;
  /** Path of the definition file, relative to the synth output folder. */
  public readonly definitionPath: string;
  /** File name of the definition that `prepare-build.sh` writes with the secrets filled in. */
  public readonly renderedDefinitionFileName: string;
  /** File name of the image Edge Image Builder writes. */
  public readonly outputImageName: string;
  /** File name of the base image in `base-images/`. */
  public readonly baseImage: string;
  /** CPU architecture of the image. */
  public readonly arch: ImageArch;
  /** What Edge Image Builder builds. */
  public readonly imageType: EibImageType;
  /** Kernel arguments of the image, the Metal3 ones first. */
  public readonly kernelArgs: readonly string[];
  /** The packages installed, `jq` first. */
  public readonly packages: readonly string[];
  /** The secrets the build pipeline must provide. */
  public readonly secrets: readonly BuildSecret[];
  /** The RKE2 release files of the air-gapped variant; undefined for the connected variant. */
  public readonly rke2Artifacts?: Rke2AirGapArtifacts;
  /** The definition file. */
  public readonly definitionFile: SiteFile;

  private readonly customFiles = new Map<string, SiteFile>();
  private readonly helperFiles: string[] = [];

  constructor(scope: Construct, id: string, props: EdgeImageDefinitionProps) {
    super(scope, id);
    const p = expectObject<EdgeImageDefinitionProps>(props, at(this, 'props'), 'pass { baseImage, outputImageName }');

    const apiVersion = p.apiVersion ?? '1.2';
    if (!EIB_API_VERSIONS.includes(apiVersion)) {
      fail(
        at(this, 'apiVersion'),
        'is not a definition version Edge Image Builder reads',
        apiVersion,
        `use one of ${EIB_API_VERSIONS.map((v) => `'${v}'`).join(', ')}`,
      );
    }
    this.imageType = p.imageType ?? 'raw';
    if (!EIB_IMAGE_TYPES.includes(this.imageType)) {
      fail(
        at(this, 'imageType'),
        'is not an image type Edge Image Builder builds',
        this.imageType,
        "use 'raw' or 'iso'",
      );
    }
    this.arch = p.arch ?? 'x86_64';
    if (!IMAGE_ARCHS.includes(this.arch)) {
      fail(
        at(this, 'arch'),
        'is not an architecture Edge Image Builder builds',
        this.arch,
        "use 'x86_64' or 'aarch64'",
      );
    }

    this.baseImage = this.imageFileName(p.baseImage, 'baseImage', 'SL-Micro.x86_64-6.1-Base-GM.raw');
    this.outputImageName = this.imageFileName(p.outputImageName, 'outputImageName', 'eibimage-output-telco.raw');

    let diskSize: string | undefined;
    if (p.diskSize !== undefined) {
      const where = at(this, 'diskSize');
      diskSize = expectString(p.diskSize, where, 'pass a size such as "32G"');
      if (!DISK_SIZE.test(diskSize)) {
        fail(where, 'is not a size Edge Image Builder reads', diskSize, 'write a whole number and M, G or T: "32G"');
      }
      if (this.imageType !== 'raw') {
        fail(where, 'only applies to raw images', diskSize, "drop it, or set imageType to 'raw'");
      }
    }

    const predictable = expectOptionalBoolean(p.predictableNicNames, at(this, 'predictableNicNames')) ?? true;
    this.kernelArgs = this.kernelArguments(p.kernelArgs, predictable);

    const disabled = this.unitList(p.disabledUnits ?? DEFAULT_DISABLED_UNITS, 'disabledUnits');
    const enabled = this.unitList(p.enabledUnits ?? [], 'enabledUnits');
    const both = enabled.find((u) => disabled.includes(u));
    if (both !== undefined) {
      fail(
        at(this, 'enabledUnits'),
        'holds a unit that disabledUnits also holds',
        both,
        'keep the unit in one list only',
      );
    }

    const secretKinds = new Map<string, BuildSecretKind>();
    const users = this.userList(p.users, secretKinds);

    const telco =
      p.telco === undefined
        ? undefined
        : expectObject<EdgeImageTelcoOptions>(
            p.telco,
            at(this, 'telco'),
            'pass { performanceSettings, sriovAutoFiller, packages }',
          );
    const telcoPackages = telco
      ? this.packageList(telco.packages ?? TELCO_PACKAGES, child(at(this, 'telco'), 'packages'))
      : [];
    const userPackages = this.packageList(p.packages ?? [], at(this, 'packages'));
    this.packages = [...new Set([...REQUIRED_PACKAGES, ...telcoPackages, ...userPackages])];

    const scc = expectOptionalBuildSecret(
      p.sccRegistrationCode,
      at(this, 'sccRegistrationCode'),
      'SCC_REGISTRATION_CODE',
    );
    if (scc) this.addSecretKind(secretKinds, scc, 'text', at(this, 'sccRegistrationCode'));
    const repos = this.repositoryList(p.additionalRepos);
    if (scc === undefined && repos.length === 0) {
      fail(
        at(this, 'sccRegistrationCode'),
        `is needed to install the packages (${this.packages.join(', ')}) from SUSE's repositories`,
        undefined,
        "pass BuildSecret.fromEnv('SCC_REGISTRATION_CODE'), or additionalRepos that carry the packages",
      );
    }

    const configDrive = expectOptionalBoolean(p.configDriveNetworking, at(this, 'configDriveNetworking')) ?? true;

    let airGap: EdgeImageAirGapOptions | undefined;
    let embedded: string[] = [];
    let preloadCharts: string[] = [];
    let preloadImages: string[] = [];
    if (p.airGap !== undefined) {
      const where = at(this, 'airGap');
      airGap = expectObject<EdgeImageAirGapOptions>(p.airGap, where, 'pass { rke2Version, cni }');
      const version = Rke2Version.parse(airGap.rke2Version, child(where, 'rke2Version'));
      this.rke2Artifacts = Rke2AirGapArtifacts.forRelease(version, { arch: this.arch, cni: airGap.cni }, where);
      embedded = this.imageList(airGap.embeddedImages, child(where, 'embeddedImages'));
      preloadImages = this.imageList(airGap.preloadImages, child(where, 'preloadImages'));
      preloadCharts = this.chartList(airGap.preloadHelmCharts, child(where, 'preloadHelmCharts'));
    }

    this.dir = this.folder(p.dir);
    const definitionFileName = this.fileName(
      p.definitionFileName ?? (airGap ? 'downstream-cluster-airgap-config.yaml' : 'downstream-cluster-config.yaml'),
      at(this, 'definitionFileName'),
      'a file name such as "downstream-cluster-config.yaml"',
    );
    if (!/\.ya?ml$/.test(definitionFileName)) {
      fail(
        at(this, 'definitionFileName'),
        'does not end in .yaml or .yml',
        definitionFileName,
        'name the file like "downstream-cluster-config.yaml"',
      );
    }
    this.renderedDefinitionFileName = definitionFileName.replace(/\.ya?ml$/, '.rendered.yaml');
    this.definitionPath = `${this.dir}/${definitionFileName}`;
    this.secrets = [...secretKinds.keys()].map((name) => BuildSecret.fromEnv(name));

    // The definition, in the order of the format reference.
    const operatingSystem: Record<string, unknown> = { kernelArgs: [...this.kernelArgs] };
    if (diskSize !== undefined) operatingSystem.rawConfiguration = { diskSize };
    operatingSystem.systemd = {
      ...(enabled.length > 0 ? { enable: enabled } : {}),
      ...(disabled.length > 0 ? { disable: disabled } : {}),
    };
    if (users.length > 0) operatingSystem.users = users;
    operatingSystem.packages = {
      packageList: [...this.packages],
      ...(repos.length > 0 ? { additionalRepos: repos } : {}),
      ...(scc ? { sccRegistrationCode: scc.placeholder } : {}),
    };
    const definition: Record<string, unknown> = {
      apiVersion,
      image: {
        imageType: this.imageType,
        arch: this.arch,
        baseImage: this.baseImage,
        outputImageName: this.outputImageName,
      },
      operatingSystem,
    };
    if (embedded.length > 0) definition.embeddedArtifactRegistry = { images: embedded.map((name) => ({ name })) };
    this.definitionFile = new SiteFile(this, 'Definition', {
      path: this.definitionPath,
      contents: renderDefinition(definition),
    });

    this.addFile('GrowfsScript', 'custom/scripts/01-fix-growfs.sh', growfsScript());
    if (this.rke2Artifacts)
      this.addFile('AirGapScript', 'custom/scripts/02-airgap.sh', airGapScript(this.rke2Artifacts));
    if (
      telco &&
      (expectOptionalBoolean(telco.performanceSettings, child(at(this, 'telco'), 'performanceSettings')) ?? true)
    ) {
      this.helperFiles.push('performance-settings.sh');
      this.addFile(
        'PerformanceScript',
        'custom/scripts/03-performance.sh',
        stageFileScript({
          scriptName: '03-performance',
          purpose: `Installs the performance settings helper at ${PERFORMANCE_SETTINGS_PATH}, where the telco profile's unit runs it.`,
          fileName: 'performance-settings.sh',
          target: PERFORMANCE_SETTINGS_PATH,
        }),
      );
    }
    if (telco && (expectOptionalBoolean(telco.sriovAutoFiller, child(at(this, 'telco'), 'sriovAutoFiller')) ?? true)) {
      this.helperFiles.push('sriov-auto-filler.sh');
      this.addFile(
        'SriovScript',
        'custom/scripts/04-sriov.sh',
        stageFileScript({
          scriptName: '04-sriov',
          purpose: `Installs the SR-IOV auto-filler helper at ${SRIOV_AUTO_FILLER_PATH}, where the telco profile's unit runs it.`,
          fileName: 'sriov-auto-filler.sh',
          target: SRIOV_AUTO_FILLER_PATH,
        }),
      );
    }
    if (configDrive) this.addFile('NetworkScript', 'network/configure-network.sh', configureNetworkScript());
    if (preloadCharts.length > 0) this.addFile('PreloadCharts', 'preload/helm-charts.txt', lines(preloadCharts));
    if (preloadImages.length > 0) this.addFile('PreloadImages', 'preload/images.txt', lines(preloadImages));

    const secretList: PrepareBuildSecret[] = [...secretKinds].map(([name, kind]) => ({ name, kind }));
    this.addFile('ExternalFiles', 'external-files.txt', () => this.renderExternalFiles());
    this.addFile('PrepareBuild', 'prepare-build.sh', () =>
      prepareBuildScript({
        definitionFile: definitionFileName,
        renderedFile: this.renderedDefinitionFileName,
        externalFiles: this.externalFiles,
        checksums: this.checksumCheck(),
        secrets: secretList,
      }),
    );
    this.addFile('GitIgnore', '.gitignore', () => this.renderGitIgnore());
  }

  /**
   * Adds a file to `custom/files/`, which the image's first-boot scripts can use: for example your
   * own `performance-settings.sh`, which then is no longer an external file.
   *
   * @param name file name, no folders
   * @param contents text of the file, or a function returning it at synth time
   * @returns the site file
   */
  public addCustomFile(name: string, contents: string | (() => string)): SiteFile {
    const where = at(this, 'name');
    const fileName = this.fileName(name, where, 'a file name such as "performance-settings.sh"');
    if (this.customFiles.has(fileName)) {
      fail(where, 'is already a custom file of this image', fileName, 'add each file once');
    }
    const file = new SiteFile(this, `CustomFile-${fileName}`, {
      path: `${this.dir}/custom/files/${fileName}`,
      contents,
    });
    this.customFiles.set(fileName, file);
    return file;
  }

  /**
   * Files, relative to {@link EdgeImageDefinition.dir}, that the build pipeline must put in place
   * before the build: the base image, the RKE2 release files of the air-gapped variant, the telco
   * helpers not added with {@link addCustomFile}.
   */
  public get externalFiles(): string[] {
    return this.externalSources().map(([path]) => path);
  }

  /**
   * The OsImage of this image served at `baseUrl` (`<baseUrl>/<outputImageName>`), for the
   * cluster's `image` prop, so the file name is typed once.
   *
   * @param baseUrl http(s) URL of the folder that serves the image, e.g. `http://imagecache.local:8080`
   * @param options checksum; by default `<url>.sha256`
   */
  public toOsImage(baseUrl: string, options: EdgeImageOsImageOptions = {}): OsImage {
    if (this.imageType !== 'raw') {
      fail(
        at(this, 'imageType'),
        'is iso, but Metal3 writes a raw disk image to the host',
        this.imageType,
        "set imageType to 'raw' for the Metal3 flow",
      );
    }
    const where = at(this, 'baseUrl');
    const text = expectNonEmptyString(
      baseUrl,
      where,
      'pass the URL of the image server, e.g. "http://imagecache.local:8080"',
    );
    if (!/^https?:\/\/[^/\s]/i.test(text)) {
      fail(
        where,
        'is not an http(s) URL',
        text,
        `write the full URL, e.g. "http://${text.replace(/^[a-z]+:\/\//i, '')}"`,
      );
    }
    if (/[?#]/.test(text)) {
      fail(where, 'has a query or fragment', text, 'pass the URL of the folder that serves the image');
    }
    checkArchOfName(text, this.arch, where);
    const opts = expectObject<EdgeImageOsImageOptions>(
      options ?? {},
      at(this, 'options'),
      'pass { checksum, checksumType }',
    );
    return OsImage.fromUrl(`${text.replace(/\/+$/, '')}/${this.outputImageName}`, {
      ...(opts.checksum !== undefined ? { checksum: opts.checksum } : {}),
      ...(opts.checksumType !== undefined ? { checksumType: opts.checksumType } : {}),
    });
  }

  /**
   * Checks that an OsImage built elsewhere serves this image: its file name is
   * {@link outputImageName}, its format raw and its URL names no other architecture.
   *
   * @param image the OsImage a cluster uses
   */
  public checkOsImage(image: OsImage): void {
    const where = at(this, 'osImage');
    if (!(image instanceof OsImage))
      fail(where, 'must be an OsImage', image, 'pass OsImage.fromUrl(...) or toOsImage()');
    const file = new URL(image.url).pathname.split('/').pop() ?? '';
    if (decodeURIComponent(file) !== this.outputImageName) {
      fail(
        child(where, 'url'),
        `serves ${JSON.stringify(file)}, not the image this definition builds (${this.outputImageName})`,
        image.url,
        'build the OsImage with toOsImage(baseUrl), or give both the same file name',
      );
    }
    if (image.format !== 'raw') {
      fail(
        child(where, 'format'),
        'is not raw, the format Edge Image Builder writes',
        image.format,
        "use format 'raw'",
      );
    }
    checkArchOfName(image.url, this.arch, child(where, 'url'));
  }

  private addFile(id: string, relativePath: string, contents: string | (() => string)): SiteFile {
    return new SiteFile(this, id, { path: `${this.dir}/${relativePath}`, contents });
  }

  private imageFileName(value: unknown, prop: string, example: string): string {
    const where = at(this, prop);
    const name = this.fileName(value, where, `a file name such as "${example}"`);
    const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
    const allowed = EXTENSIONS[this.imageType];
    if (!allowed.includes(extension)) {
      fail(
        where,
        `does not end in ${allowed.map((e) => `.${e}`).join(' or ')}, as ${this.imageType === 'iso' ? 'an iso' : 'a raw'} image does`,
        name,
        this.imageType === 'raw'
          ? 'use the .raw file (Metal3 needs a raw disk image)'
          : 'use the .iso file, or set imageType',
      );
    }
    checkArchOfName(name, this.arch, where);
    return name;
  }

  private fileName(value: unknown, where: At, example: string): string {
    const name = expectString(value, where, `pass ${example}`);
    if (!FILE_NAME.test(name)) {
      fail(
        where,
        'is not a plain file name',
        name,
        `use letters, digits, ".", "_", "+" and "-", no folders: ${example}`,
      );
    }
    return name;
  }

  private folder(value: unknown): string {
    const where = at(this, 'dir');
    let dir: string;
    if (value === undefined) {
      let chart: string;
      try {
        chart = chartIdOf(this);
      } catch {
        fail(
          where,
          'has no default outside a Chart',
          value,
          'pass dir, such as "eib/edge-01", or define the image in a Chart',
        );
      }
      dir = `eib/${chart}`;
    } else {
      dir = expectNonEmptyString(value, where, 'pass a relative folder such as "eib/edge-01"').replace(/\/+$/, '');
      const norm = normalize(dir).replace(/\\/g, '/');
      if (dir.length === 0 || dir.startsWith('/') || norm.startsWith('..') || norm !== dir || dir === '.') {
        fail(where, 'is not a plain relative folder', value, 'use a folder such as "eib/edge-01"');
      }
    }
    let dirs = dirsByApp.get(this.node.root);
    if (!dirs) dirsByApp.set(this.node.root, (dirs = new Map()));
    const taken = dirs.get(dir);
    if (taken) {
      fail(where, `is also the folder of [${taken.node.path}]`, dir, 'give each image its own dir');
    }
    dirs.set(dir, this);
    return dir;
  }

  private kernelArguments(value: unknown, predictable: boolean): string[] {
    const where = at(this, 'kernelArgs');
    const required = ['ignition.platform.id=openstack', `net.ifnames=${predictable ? 1 : 0}`];
    const result = [...required];
    const seen = new Set<string>();
    expectArray<unknown>(value ?? [], where, 'pass a list such as ["console=ttyS0,115200"]').forEach((item, i) => {
      const w = child(where, i);
      const arg = expectNonEmptyString(item, w, 'pass "key" or "key=value"');
      if (!KERNEL_ARG.test(arg) || arg.endsWith('=')) {
        fail(
          w,
          'is not "key" or "key=value"',
          arg,
          'write one argument per item, without spaces, and with a value after "="',
        );
      }
      const key = arg.split('=')[0];
      if (key === 'ignition.platform.id' && arg !== required[0]) {
        fail(
          w,
          `contradicts ${required[0]}, which the Metal3 flow needs for Ignition to configure the host`,
          arg,
          'drop it; the construct sets it',
        );
      }
      if (key === 'net.ifnames' && arg !== required[1]) {
        fail(
          w,
          `contradicts predictableNicNames: ${predictable} (${required[1]})`,
          arg,
          "drop it and set predictableNicNames to the metal3 chart's predictableNicNames value",
        );
      }
      if (key === 'fips') {
        fail(
          w,
          'asks for FIPS mode, which Edge Image Builder sets up only through enableFIPS',
          arg,
          'drop it; FIPS images are not supported by this construct',
        );
      }
      if (seen.has(key)) fail(w, `repeats the key '${key}'`, arg, 'give each kernel argument once');
      seen.add(key);
      if (!required.includes(arg)) result.push(arg);
    });
    return result;
  }

  private unitList(value: unknown, prop: string): string[] {
    const where = at(this, prop);
    const units = expectArray<unknown>(value, where, 'pass a list of unit names such as ["rebootmgr"]').map(
      (item, i) => {
        const unit = expectNonEmptyString(item, child(where, i), 'pass a unit name such as "rebootmgr.service"');
        if (!UNIT.test(unit))
          fail(child(where, i), 'is not a systemd unit name', unit, 'write the unit name, such as "fstrim.timer"');
        return unit;
      },
    );
    const dup = units.find((u, i) => units.indexOf(u) !== i);
    if (dup !== undefined) fail(where, 'lists a unit twice', dup, 'list each unit once');
    return units;
  }

  private userList(value: unknown, kinds: Map<string, BuildSecretKind>): Record<string, unknown>[] {
    const where = at(this, 'users');
    const names = new Set<string>();
    return expectArray<unknown>(value ?? [], where).map((item, i) => {
      const w = child(where, i);
      const user = expectObject<EdgeImageUser>(item, w, 'pass { username, sshKeys, encryptedPassword }');
      const username = expectString(user.username, child(w, 'username'), 'pass a login name such as "root"');
      if (!USERNAME.test(username)) {
        fail(
          child(w, 'username'),
          'is not a login name',
          username,
          'use up to 32 lower-case letters, digits, "_" and "-", starting with a letter or "_"',
        );
      }
      if (names.has(username)) fail(child(w, 'username'), 'is given twice', username, 'configure each user once');
      names.add(username);
      const keys = expectArray<unknown>(user.sshKeys ?? [], child(w, 'sshKeys')).map((k, j) =>
        checkSshKey(k, child(child(w, 'sshKeys'), j)),
      );
      const password = expectOptionalBuildSecret(
        user.encryptedPassword,
        child(w, 'encryptedPassword'),
        `${username.toUpperCase().replace(/-/g, '_')}_PASSWORD_HASH`,
      );
      if (password) this.addSecretKind(kinds, password, 'password-hash', child(w, 'encryptedPassword'));
      if (keys.length === 0 && password === undefined) {
        fail(
          w,
          'has neither sshKeys nor encryptedPassword',
          username,
          'give the user an SSH key or a password hash, or drop it',
        );
      }
      return {
        username,
        ...(password ? { encryptedPassword: password.placeholder } : {}),
        // Edge Image Builder refuses SSH keys without a home folder to put them in.
        ...(keys.length > 0 ? { sshKeys: keys, createHomeDir: true } : {}),
      };
    });
  }

  private addSecretKind(
    kinds: Map<string, BuildSecretKind>,
    secret: BuildSecret,
    kind: BuildSecretKind,
    where: At,
  ): void {
    const known = kinds.get(secret.name);
    if (known !== undefined && known !== kind) {
      fail(
        where,
        `uses ${secret.name}, which also holds a ${known === 'password-hash' ? 'password hash' : 'registration code'}`,
        secret.placeholder,
        'give each secret its own variable',
      );
    }
    kinds.set(secret.name, kind);
  }

  private packageList(value: unknown, where: At): string[] {
    const packages = expectArray<unknown>(value, where, 'pass a list of package names such as ["jq"]').map(
      (item, i) => {
        const name = expectNonEmptyString(item, child(where, i), 'pass a package name such as "jq"');
        if (!PACKAGE.test(name))
          fail(child(where, i), 'is not a package name', name, 'write the RPM name, such as "dpdk-tools"');
        return name;
      },
    );
    const dup = packages.find((name, i) => packages.indexOf(name) !== i);
    if (dup !== undefined) fail(where, 'lists a package twice', dup, 'list each package once');
    return packages;
  }

  private repositoryList(value: unknown): Record<string, unknown>[] {
    const where = at(this, 'additionalRepos');
    const urls = new Set<string>();
    return expectArray<unknown>(value ?? [], where).map((item, i) => {
      const w = child(where, i);
      const repo = expectObject<EdgeImageRepository>(item, w, 'pass { url, unsigned }');
      const url = expectNonEmptyString(repo.url, child(w, 'url'), 'pass the http(s) URL of the repository');
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || /\s/.test(url)) {
        fail(
          child(w, 'url'),
          'is not an http(s) URL',
          url,
          'pass the repository URL, such as "https://download.example.com/repo"',
        );
      }
      if (parsed.username !== '' || parsed.password !== '') {
        fail(
          child(w, 'url'),
          'embeds credentials',
          redacted(),
          'serve the repository without credentials in the URL; they would end up in git',
        );
      }
      if (urls.has(url)) fail(child(w, 'url'), 'is given twice', url, 'list each repository once');
      urls.add(url);
      const unsigned = expectOptionalBoolean(repo.unsigned, child(w, 'unsigned'));
      return { url, ...(unsigned ? { unsigned: true } : {}) };
    });
  }

  private imageList(value: unknown, where: At): string[] {
    const images = expectArray<unknown>(value ?? [], where).map((item, i) =>
      checkImageReference(item, child(where, i)),
    );
    const dup = images.find((name, i) => images.indexOf(name) !== i);
    if (dup !== undefined) fail(where, 'lists an image twice', dup, 'list each image once');
    return images;
  }

  private chartList(value: unknown, where: At): string[] {
    const charts = expectArray<unknown>(value ?? [], where).map((item, i) => {
      const w = child(where, i);
      const source = validateHelmChartSource(item as HelmChartSource, w);
      if (source.repo !== undefined || !source.chart.startsWith('oci://')) {
        fail(
          child(w, 'chart'),
          'is not an oci:// chart',
          source.chart,
          'only OCI charts can be preloaded into a registry; give the oci:// reference',
        );
      }
      return `${source.chart.slice('oci://'.length)}:${source.version}`;
    });
    const dup = charts.find((c, i) => charts.indexOf(c) !== i);
    if (dup !== undefined) fail(where, 'lists a chart twice', dup, 'list each chart once');
    return charts;
  }

  private externalSources(): [string, string][] {
    const sources: [string, string][] = [
      [
        `base-images/${this.baseImage}`,
        'SL Micro base image built with Kiwi (profile Base-SelfInstall or Base-RT-SelfInstall)',
      ],
    ];
    for (const artifact of this.rke2Artifacts?.all ?? []) {
      sources.push([`custom/files/${artifact.fileName}`, artifact.url]);
    }
    for (const helper of this.helperFiles) {
      sources.push([`custom/files/${helper}`, 'SUSE Edge telco examples, or your own (addCustomFile)']);
    }
    return sources.filter(
      ([path]) => !(path.startsWith('custom/files/') && this.customFiles.has(path.slice('custom/files/'.length))),
    );
  }

  private checksumCheck(): { file: string; files: string[] } | undefined {
    const artifacts = this.rke2Artifacts;
    if (!artifacts) return undefined;
    const names = [artifacts.checksums, ...artifacts.checksummed].map((a) => a.fileName);
    if (names.some((n) => this.customFiles.has(n))) return undefined;
    return {
      file: `custom/files/${artifacts.checksums.fileName}`,
      files: artifacts.checksummed.map((a) => `custom/files/${a.fileName}`),
    };
  }

  private renderExternalFiles(): string {
    return lines([
      '# Files cdk8s-baremetal does not write. The build pipeline puts each one at its path (relative',
      '# to this folder) before the build; prepare-build.sh checks that they are here.',
      '# <path>\t<where it comes from>',
      ...this.externalSources().map(([path, source]) => `${path}\t${source}`),
    ]);
  }

  private renderGitIgnore(): string {
    return lines([
      '# Written by cdk8s-baremetal (EdgeImageDefinition).',
      '# The definition with the secrets filled in, written by prepare-build.sh: never commit it.',
      `/${this.renderedDefinitionFileName}`,
      '# Put in place by the build pipeline (external-files.txt).',
      ...this.externalFiles.map((f) => `/${f}`),
      '# Written by Edge Image Builder.',
      `/${this.outputImageName}`,
      '/_build/',
    ]);
  }
}

function lines(items: readonly string[]): string {
  return `${items.join('\n')}\n`;
}

function renderDefinition(definition: Record<string, unknown>): string {
  const doc = new Document(definition);
  doc.commentBefore = HEADER;
  // Placeholders are double-quoted, so the filled-in value stays a string whatever it looks like;
  // so is any string a YAML 1.1 or 1.2 reader would take for another type.
  quoteAmbiguousStrings(doc);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && PLACEHOLDER.test(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Checks an SSH public key line; a private key is refused without showing it. */
function checkSshKey(value: unknown, where: At): string {
  if (typeof value === 'string' && /PRIVATE KEY/.test(value)) {
    fail(
      where,
      'is a private key',
      redacted(),
      'pass the public key (the .pub file), and keep the private key out of git',
    );
  }
  const key = expectNonEmptyString(value, where, 'pass a public key line such as "ssh-ed25519 AAAA… user@host"');
  const m = /^(\S+) ([A-Za-z0-9+/]+={0,3})(?: [^\r\n]*)?$/.exec(key);
  if (!m || !SSH_KEY_TYPES.includes(m[1])) {
    fail(
      where,
      'is not an SSH public key line',
      key,
      `write "<type> <base64> [comment]" with a type of ${SSH_KEY_TYPES.join(', ')}`,
    );
  }
  // The key blob starts with its own type, length-prefixed: a cut or mixed-up key shows here.
  const blob = Buffer.from(m[2], 'base64');
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  const embedded = length > 0 && length <= blob.length - 4 ? blob.subarray(4, 4 + length).toString('latin1') : '';
  if (embedded !== m[1]) {
    fail(where, `has a key body that is not a ${m[1]} key`, key, 'copy the whole public key line again');
  }
  return key;
}

const DOMAIN = /^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?)$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Checks a container image reference with a tag or digest: `registry.example.com/ns/app:1.0`. */
function checkImageReference(value: unknown, where: At): string {
  const ref = expectNonEmptyString(
    value,
    where,
    'pass an image reference such as "rancher/hardened-sriov-cni:v2.8.1-build20240820"',
  );
  const bad = (problem: string): never =>
    fail(where, problem, ref, 'write [registry/]repository:tag or [registry/]repository@sha256:<digest>');
  const [nameAndTag, digest, ...rest] = ref.split('@');
  if (rest.length > 0) bad('has more than one "@"');
  if (digest !== undefined && !DIGEST.test(digest)) bad('has a digest that is not sha256:<64 hex digits>');
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const tag = colon > slash ? nameAndTag.slice(colon + 1) : undefined;
  const name = colon > slash ? nameAndTag.slice(0, colon) : nameAndTag;
  if (tag !== undefined && !TAG.test(tag)) bad('has an invalid tag');
  if (tag === undefined && digest === undefined) bad('has neither a tag nor a digest');
  const parts = name.split('/');
  const first = parts[0];
  const hasDomain =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  if (hasDomain && !DOMAIN.test(first)) bad('has an invalid registry host');
  const path = hasDomain ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every((c) => PATH_COMPONENT.test(c))) bad('has an invalid repository name');
  return ref;
}
