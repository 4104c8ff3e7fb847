import { Construct, IConstruct } from 'constructs';
import { Document, Scalar, visit } from 'yaml';
import { quoteAmbiguousStrings } from '../core/yaml-writer';
import { SiteFile } from '../core/site-file';
import { OsImage } from '../metal3/os-image';
import {
  at,
  child,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
} from '../private/errors';
import { RegistryHost } from '../registry/image-reference';
import { Rke2Version } from '../rke2/rke2-version';
import { checkSriovAutoFiller } from '../telco/sriov-operator';
import { BuildSecret, BuildSecretKind, expectOptionalBuildSecret } from './build-secret';
import {
  checkFileName,
  checkImageFileName,
  checkImageList,
  checkKernelArguments,
  checkPackageList,
  checkRepositoryList,
  checkUnitList,
  checkUserList,
  claimImageFolder,
  recordSecretKind,
} from './edge-image-inputs';
import {
  DEFAULT_DISABLED_UNITS,
  EdgeImageAirGapOptions,
  EdgeImageClusterFacts,
  EdgeImageDefinitionProps,
  EdgeImageOsImageOptions,
  EdgeImageTelcoOptions,
  EIB_API_VERSIONS,
  EIB_IMAGE_TYPES,
  EibImageType,
  PERFORMANCE_SETTINGS_PATH,
  REQUIRED_PACKAGES,
  SRIOV_AUTO_FILLER_PATH,
  TELCO_PACKAGES,
} from './edge-image-options';
import {
  airGapScript,
  configureNetworkScript,
  growfsScript,
  PrepareBuildSecret,
  prepareBuildScript,
  stageFileScript,
} from './eib-scripts';
import { checkArchOfName, IMAGE_ARCHS, ImageArch } from './image-arch';
import { checkImageCarries } from './image-cluster-check';
import { checkPreloadChartList, checkPreloadImageList, renderPreloadList } from './preload-lists';
import { Rke2AirGapArtifacts } from './rke2-airgap-artifacts';

// The props, options and defaults are part of this module's API.
export * from './edge-image-options';

/** The definition each OsImage built by `toOsImage()` serves. */
const definitionsByImage = new WeakMap<OsImage, EdgeImageDefinition>();

const DISK_SIZE = /^[1-9][0-9]*[MGT]$/;
const PLACEHOLDER = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
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

    this.baseImage = checkImageFileName(
      p.baseImage,
      this.imageType,
      this.arch,
      at(this, 'baseImage'),
      'SL-Micro.x86_64-6.1-Base-GM.raw',
    );
    this.outputImageName = checkImageFileName(
      p.outputImageName,
      this.imageType,
      this.arch,
      at(this, 'outputImageName'),
      'eibimage-output-telco.raw',
    );

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
    this.kernelArgs = checkKernelArguments(p.kernelArgs, predictable, at(this, 'kernelArgs'));

    const disabled = checkUnitList(p.disabledUnits ?? DEFAULT_DISABLED_UNITS, at(this, 'disabledUnits'));
    const enabled = checkUnitList(p.enabledUnits ?? [], at(this, 'enabledUnits'));
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
    const users = checkUserList(p.users, secretKinds, at(this, 'users'));

    const telco =
      p.telco === undefined
        ? undefined
        : expectObject<EdgeImageTelcoOptions>(
            p.telco,
            at(this, 'telco'),
            'pass { performanceSettings, sriovAutoFiller, packages }',
          );
    const telcoPackages = telco
      ? checkPackageList(telco.packages ?? TELCO_PACKAGES, child(at(this, 'telco'), 'packages'))
      : [];
    const userPackages = checkPackageList(p.packages ?? [], at(this, 'packages'));
    this.packages = [...new Set([...REQUIRED_PACKAGES, ...telcoPackages, ...userPackages])];

    const scc = expectOptionalBuildSecret(
      p.sccRegistrationCode,
      at(this, 'sccRegistrationCode'),
      'SCC_REGISTRATION_CODE',
    );
    if (scc) recordSecretKind(secretKinds, scc, 'text', at(this, 'sccRegistrationCode'));
    const repos = checkRepositoryList(p.additionalRepos, at(this, 'additionalRepos'));
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
    let preloadRelativeTo: RegistryHost | undefined;
    if (p.airGap !== undefined) {
      const where = at(this, 'airGap');
      airGap = expectObject<EdgeImageAirGapOptions>(p.airGap, where, 'pass { rke2Version, cni }');
      const version = Rke2Version.parse(airGap.rke2Version, child(where, 'rke2Version'));
      this.rke2Artifacts = Rke2AirGapArtifacts.forRelease(version, { arch: this.arch, cni: airGap.cni }, where);
      embedded = checkImageList(airGap.embeddedImages, child(where, 'embeddedImages'));
      preloadRelativeTo =
        airGap.preloadRelativeTo === undefined
          ? undefined
          : RegistryHost.parse(airGap.preloadRelativeTo, child(where, 'preloadRelativeTo'));
      preloadImages = checkPreloadImageList(airGap.preloadImages, child(where, 'preloadImages'), preloadRelativeTo);
      preloadCharts = checkPreloadChartList(
        airGap.preloadHelmCharts,
        child(where, 'preloadHelmCharts'),
        preloadRelativeTo,
      );
    }

    this.dir = claimImageFolder(p.dir, this, at(this, 'dir'));
    const definitionFileName = checkFileName(
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
    if (preloadCharts.length > 0) {
      this.addFile(
        'PreloadCharts',
        'preload/helm-charts.txt',
        renderPreloadList('charts', preloadCharts, preloadRelativeTo),
      );
    }
    if (preloadImages.length > 0) {
      this.addFile(
        'PreloadImages',
        'preload/images.txt',
        renderPreloadList('images', preloadImages, preloadRelativeTo),
      );
    }

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
   * own `performance-settings.sh`, which then is no longer an external file. An own
   * `sriov-auto-filler.sh` must read `sriov-custom-auto-config` from `sriov-network-operator`,
   * where the telco profile writes it.
   *
   * @param name file name, no folders
   * @param contents text of the file, or a function returning it at synth time
   * @returns the site file
   */
  public addCustomFile(name: string, contents: string | (() => string)): SiteFile {
    const where = at(this, 'name');
    const fileName = checkFileName(name, where, 'a file name such as "performance-settings.sh"');
    if (this.customFiles.has(fileName)) {
      fail(where, 'is already a custom file of this image', fileName, 'add each file once');
    }
    let text = contents;
    if (fileName === 'sriov-auto-filler.sh') {
      // The auto-filler must read the device ConfigMap where the telco profile writes it.
      const check = (t: string): string => {
        checkSriovAutoFiller(t, at(this, 'contents'));
        return t;
      };
      text = typeof contents === 'function' ? () => check(contents()) : check(contents);
    }
    const file = new SiteFile(this, `CustomFile-${fileName}`, {
      path: `${this.dir}/custom/files/${fileName}`,
      contents: text,
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
    const image = OsImage.fromUrl(`${text.replace(/\/+$/, '')}/${this.outputImageName}`, {
      ...(opts.checksum !== undefined ? { checksum: opts.checksum } : {}),
      ...(opts.checksumType !== undefined ? { checksumType: opts.checksumType } : {}),
    });
    definitionsByImage.set(image, this);
    return image;
  }

  /**
   * The definition whose {@link toOsImage} built `image`, so a cluster can check that it
   * installs what the image carries; `undefined` for an OsImage built otherwise.
   */
  public static of(image: OsImage): EdgeImageDefinition | undefined {
    return image instanceof OsImage ? definitionsByImage.get(image) : undefined;
  }

  /**
   * Checks that a cluster on this image installs what the image carries: air-gapped when the
   * image is the air-gapped variant and only then, and then the same RKE2 release and the same
   * CNI plugin and Multus as the image's artifacts. Otherwise the host synthesizes, boots, finds
   * no matching artifacts and, air-gapped, cannot download them. Clusters call it for images
   * built with {@link toOsImage}.
   *
   * @param cluster what the cluster installs
   * @param scope the cluster (or worker pool), for the error's path
   */
  public checkCluster(cluster: EdgeImageClusterFacts, scope: IConstruct): void {
    checkImageCarries(
      { description: `the image of [${this.node.path}] (${this.outputImageName})`, artifacts: this.rke2Artifacts },
      cluster,
      scope,
    );
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
