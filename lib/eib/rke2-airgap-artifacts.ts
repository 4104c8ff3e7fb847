import { At, child, expectObject, fail } from '../private/errors';
import { CNI_PLUGINS, CniOptions, CniPlugin } from '../rke2/cni';
import { Rke2Version } from '../rke2/rke2-version';
import { goArchOf, IMAGE_ARCHS, ImageArch } from './image-arch';

/** Where the RKE2 bootstrap provider (with `agentConfig.airGapped: true`) runs the installer from. */
export const RKE2_INSTALLER_PATH = '/opt/install.sh';

/** The `INSTALL_RKE2_ARTIFACT_PATH` of the air-gapped install: the tarball and checksum file. */
export const RKE2_ARTIFACTS_DIR = '/opt/rke2-artifacts';

/** Where RKE2 imports image archives from when it starts; no registry is contacted for them. */
export const RKE2_AGENT_IMAGES_DIR = '/var/lib/rancher/rke2/agent/images';

/** One file of an RKE2 release that an air-gapped image carries. */
export interface Rke2Artifact {
  /** File name, as published and as placed in the image folder's `custom/files/`. */
  readonly fileName: string;
  /** Where to download it on a connected build host. */
  readonly url: string;
}

/** Options of {@link Rke2AirGapArtifacts.forRelease}. */
export interface Rke2AirGapArtifactsOptions {
  /**
   * Architecture of the image.
   * @default 'x86_64'
   */
  readonly arch?: ImageArch;
  /**
   * The cluster's CNI choice (the same object as the cluster's `cni` prop): selects the image
   * archives of the plugin and of Multus.
   * @default - Cilium without Multus, the clusters' default
   */
  readonly cni?: CniOptions;
}

const RELEASES = 'https://github.com/rancher/rke2/releases/download';
const SOURCES = 'https://raw.githubusercontent.com/rancher/rke2';
const WHERE: At = { path: 'Rke2AirGapArtifacts.forRelease', prop: 'options' };

/**
 * The RKE2 release files an air-gapped node needs, for one release, architecture and CNI.
 *
 * With `agentConfig.airGapped: true` the RKE2 bootstrap provider runs
 * `INSTALL_RKE2_ARTIFACT_PATH=/opt/rke2-artifacts sh /opt/install.sh`. That installer takes the
 * binary tarball and the checksum file from the artifact path, but of the image archives it only
 * knows the legacy all-in-one `rke2-images.linux-<arch>.tar.zst` (core images and Canal). So the
 * split archives — core, the CNI plugin's, Multus's — go straight into RKE2's agent images folder,
 * which works for every CNI.
 */
export class Rke2AirGapArtifacts {
  /**
   * The files of `version` for an image of `options.arch` and a cluster with `options.cni`.
   *
   * @param version the RKE2 release, e.g. `"v1.32.4+rke2r1"`; must equal the cluster's `rke2Version`,
   * since the air-gapped install installs whatever release it finds
   * @param options architecture and CNI
   * @param where where `options` came from, for error messages
   */
  public static forRelease(
    version: string | Rke2Version,
    options: Rke2AirGapArtifactsOptions = {},
    where: At = WHERE,
  ): Rke2AirGapArtifacts {
    const release =
      version instanceof Rke2Version
        ? version
        : Rke2Version.parse(version, { path: 'Rke2AirGapArtifacts.forRelease', prop: 'version' });
    const opts = expectObject<Rke2AirGapArtifactsOptions>(options ?? {}, where, 'pass { arch, cni }');
    const arch = opts.arch ?? 'x86_64';
    if (!IMAGE_ARCHS.includes(arch)) {
      fail(
        child(where, 'arch'),
        'is not an architecture RKE2 and Edge Image Builder share',
        arch,
        'use x86_64 or aarch64',
      );
    }
    const cni = expectObject<CniOptions>(opts.cni ?? {}, child(where, 'cni'), 'pass { plugin, multus }');
    const plugin = cni.plugin ?? 'cilium';
    if (!CNI_PLUGINS.includes(plugin)) {
      fail(
        child(where, 'cni.plugin'),
        'is not a CNI plugin RKE2 ships',
        plugin,
        `use one of ${CNI_PLUGINS.join(', ')}`,
      );
    }
    const multus = cni.multus ?? false;
    if (typeof multus !== 'boolean')
      fail(child(where, 'cni.multus'), 'must be true or false', multus, 'pass a boolean');
    if (multus && plugin === 'none') {
      fail(child(where, 'cni.multus'), 'needs a primary CNI plugin', plugin, 'pick a primary plugin such as cilium');
    }
    return new Rke2AirGapArtifacts(release, arch, plugin, multus);
  }

  /** The RKE2 release. */
  public readonly version: Rke2Version;
  /** Architecture of the image. */
  public readonly arch: ImageArch;
  /** The primary CNI plugin whose image archive is carried (`none`: no CNI archive). */
  public readonly cniPlugin: CniPlugin;
  /** Whether the Multus image archive is carried. */
  public readonly multus: boolean;
  /** The installer script, pinned to the release's tag; staged at {@link RKE2_INSTALLER_PATH}. */
  public readonly installer: Rke2Artifact;
  /** The binary tarball `rke2.linux-<arch>.tar.gz`; staged in {@link RKE2_ARTIFACTS_DIR}. */
  public readonly tarball: Rke2Artifact;
  /** The release's checksum file `sha256sum-<arch>.txt`; staged in {@link RKE2_ARTIFACTS_DIR}. */
  public readonly checksums: Rke2Artifact;
  /** The image archives: core, then the CNI plugin's, then Multus's; staged in {@link RKE2_AGENT_IMAGES_DIR}. */
  public readonly images: readonly Rke2Artifact[];

  private constructor(version: Rke2Version, arch: ImageArch, plugin: CniPlugin, multus: boolean) {
    this.version = version;
    this.arch = arch;
    this.cniPlugin = plugin;
    this.multus = multus;
    const goArch = goArchOf(arch);
    const tag = encodeURIComponent(version.toString());
    const published = (fileName: string): Rke2Artifact => ({ fileName, url: `${RELEASES}/${tag}/${fileName}` });
    this.installer = { fileName: 'install.sh', url: `${SOURCES}/${tag}/install.sh` };
    this.tarball = published(`rke2.linux-${goArch}.tar.gz`);
    this.checksums = published(`sha256sum-${goArch}.txt`);
    const groups = ['core', ...(plugin === 'none' ? [] : [plugin]), ...(multus ? ['multus'] : [])];
    this.images = groups.map((group) => published(`rke2-images-${group}.linux-${goArch}.tar.zst`));
  }

  /** Every file, installer first: what the image folder's `custom/files/` must hold. */
  public get all(): Rke2Artifact[] {
    return [this.installer, this.tarball, ...this.images, this.checksums];
  }

  /** The files whose checksums the release's checksum file lists: the tarball and the image archives. */
  public get checksummed(): Rke2Artifact[] {
    return [this.tarball, ...this.images];
  }
}
