import { stringifyManifest } from '../core/yaml-writer';
import {
  At,
  child,
  expectArray,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  fail,
} from '../private/errors';
import { ImageReference } from './image-reference';

/** Release streams oc-mirror knows. */
export type ReleaseChannelType = 'ocp' | 'okd';

/** Architectures of release payloads (Cincinnati names). */
export type ReleaseArchitecture = 'amd64' | 'arm64' | 'ppc64le' | 's390x' | 'multi';

/** One update channel to mirror releases from (`mirror.platform.channels[]`). */
export interface ReleaseChannel {
  /** Channel name, for example `stable-4.19`, `eus-4.18` or `candidate-4.19`. */
  readonly name: string;
  /**
   * Lowest release to mirror (semantic version, for example `4.19.0`).
   * @default - the channel head only (or the first release with `full: true`)
   */
  readonly minVersion?: string;
  /**
   * Highest release to mirror.
   * @default - the channel head
   */
  readonly maxVersion?: string;
  /**
   * Release stream.
   * @default 'ocp'
   */
  readonly type?: ReleaseChannelType;
  /**
   * Mirror only the releases on the shortest upgrade path between min and max.
   * @default false
   */
  readonly shortestPath?: boolean;
  /**
   * Mirror every release in the range, not only the heads.
   * @default false
   */
  readonly full?: boolean;
}

/** OpenShift releases to mirror (`mirror.platform`). */
export interface ReleaseMirrorOptions {
  /**
   * Update channels with version ranges. Not together with `release`.
   * @default - none
   */
  readonly channels?: ReleaseChannel[];
  /**
   * One release image (tag or digest), for nightly or CI payloads; oc-mirror then skips channel
   * processing, so it cannot be combined with `channels`.
   * @default - none
   */
  readonly release?: string;
  /**
   * Also mirror the update-graph data image (for the OpenShift Update Service).
   * @default false
   */
  readonly graph?: boolean;
  /**
   * Also mirror the KubeVirt container disk of the payload's RHCOS boot image (oc-mirror v2 only).
   * @default false
   */
  readonly kubeVirtContainer?: boolean;
  /**
   * Payload architectures.
   * @default - oc-mirror's default, amd64
   */
  readonly architectures?: ReleaseArchitecture[];
}

/** A channel of an operator package to mirror. */
export interface OperatorChannel {
  /** Channel name, for example `stable`. */
  readonly name: string;
  /**
   * Lowest bundle version of the channel to mirror.
   * @default - the channel head only
   */
  readonly minVersion?: string;
  /**
   * Highest bundle version of the channel to mirror.
   * @default - the channel head
   */
  readonly maxVersion?: string;
}

/** An operator package of a catalog (`mirror.operators[].packages[]`). */
export interface OperatorPackage {
  /** Package name in the catalog, for example `metallb-operator`. */
  readonly name: string;
  /**
   * Channels to mirror.
   * @default - the default channel
   */
  readonly channels?: OperatorChannel[];
  /**
   * Default channel of the package in the filtered catalog.
   * @default - the package's own default channel
   */
  readonly defaultChannel?: string;
  /**
   * Lowest bundle version (package level; not together with channel-level versions).
   * @default - the head only
   */
  readonly minVersion?: string;
  /**
   * Highest bundle version (package level; not together with channel-level versions).
   * @default - the head
   */
  readonly maxVersion?: string;
}

/** An operator catalog to mirror (`mirror.operators[]`). */
export interface OperatorCatalog {
  /**
   * Catalog image, with a tag or (better) a digest, for example
   * `registry.redhat.io/redhat/redhat-operator-index:v4.19`.
   */
  readonly catalog: string;
  /**
   * Packages to mirror.
   * @default - the whole catalog (heads only unless `full`)
   */
  readonly packages?: OperatorPackage[];
  /**
   * Mirror every bundle, not only channel heads.
   * @default false
   */
  readonly full?: boolean;
  /**
   * Leave out bundles the selected bundles depend on.
   * @default false
   */
  readonly skipDependencies?: boolean;
  /**
   * Name of the `CatalogSource` that serves the mirrored catalog.
   * @default `cs-<catalog repository name>-<tag>`, as oc-mirror v2 names it
   *   (`cs-redhat-operator-index-v4-19`)
   */
  readonly catalogSourceName?: string;
  /**
   * Display name of the `CatalogSource`.
   * @default - none
   */
  readonly displayName?: string;
}

/** What an `ImageSetConfiguration` mirrors, validated. */
export interface ImageSetContent {
  /**
   * Releases, when any.
   * @default - no releases mirrored
   */
  readonly releases?: ValidatedReleases;
  /** Operator catalogs. */
  readonly operators: readonly ValidatedCatalog[];
  /** Additional images. */
  readonly additionalImages: readonly ImageReference[];
}

/** {@link ReleaseMirrorOptions} after validation. */
export interface ValidatedReleases extends ReleaseMirrorOptions {
  /**
   * The release image, parsed, when given.
   * @default - none (channels only)
   */
  readonly releaseImage?: ImageReference;
}

/** {@link OperatorCatalog} after validation. */
export interface ValidatedCatalog extends OperatorCatalog {
  /** The catalog image, parsed. */
  readonly image: ImageReference;
}

const CHANNEL_TYPES: readonly ReleaseChannelType[] = ['ocp', 'okd'];
const ARCHITECTURES: readonly ReleaseArchitecture[] = ['amd64', 'arm64', 'ppc64le', 's390x', 'multi'];
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const NAME = /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/;

/** Compares two semantic versions (build metadata ignored); negative when `a < b`. */
export function compareSemver(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) throw new Error(`not semantic versions: ${a}, ${b}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  if (pa[4] === pb[4]) return 0;
  if (pa[4] === undefined) return 1;
  if (pb[4] === undefined) return -1;
  const xa = pa[4].split('.');
  const xb = pb[4].split('.');
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    if (xa[i] === undefined) return -1;
    if (xb[i] === undefined) return 1;
    const na = /^\d+$/.test(xa[i]);
    const nb = /^\d+$/.test(xb[i]);
    if (na && nb && Number(xa[i]) !== Number(xb[i])) return Number(xa[i]) - Number(xb[i]);
    if (na !== nb) return na ? -1 : 1;
    if (xa[i] !== xb[i]) return xa[i] < xb[i] ? -1 : 1;
  }
  return 0;
}

function validateRange(min: unknown, max: unknown, where: At): void {
  for (const [key, v] of [
    ['minVersion', min],
    ['maxVersion', max],
  ] as const) {
    if (v === undefined) continue;
    const s = expectNonEmptyString(v, child(where, key), 'pass a version such as "4.19.2"');
    if (!SEMVER.test(s))
      fail(child(where, key), 'is not a semantic version', s, 'write major.minor.patch, such as "4.19.2"');
  }
  if (typeof min === 'string' && typeof max === 'string' && compareSemver(min, max) > 0) {
    fail(child(where, 'minVersion'), `is above maxVersion ${max}`, min, 'swap the two or correct one of them');
  }
}

function validateName(value: unknown, where: At, example: string): string {
  const s = expectNonEmptyString(value, where, `pass a name such as "${example}"`);
  if (!NAME.test(s))
    fail(where, 'is not a valid name', s, `use lower-case letters, digits, ".", "_" and "-", such as "${example}"`);
  return s;
}

function unique<T>(items: readonly T[], key: (t: T) => string, where: (i: number) => At, what: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) fail(where(i), `repeats ${what} ${first}`, k, `list each ${what.split(' ')[0]} once`);
    seen.set(k, i);
  });
}

/** Validates the release, operator and image lists of an image set; `where` names the props. */
export function validateImageSetContent(
  props: { releases?: unknown; operators?: unknown; additionalImages?: unknown },
  where: { releases: At; operators: At; additionalImages: At },
): ImageSetContent {
  return {
    releases: props.releases === undefined ? undefined : validateReleases(props.releases, where.releases),
    operators:
      props.operators === undefined
        ? []
        : expectArray<OperatorCatalog>(props.operators, where.operators, 'pass a list of { catalog, packages }').map(
            (c, i) => validateCatalog(c, child(where.operators, i)),
          ),
    additionalImages:
      props.additionalImages === undefined
        ? []
        : expectArray<string>(props.additionalImages, where.additionalImages, 'pass a list of image references').map(
            (img, i) => ImageReference.parseImage(img, child(where.additionalImages, i)),
          ),
  };
}

function validateReleases(value: unknown, where: At): ValidatedReleases {
  const r = expectObject<ReleaseMirrorOptions>(value, where, 'pass { channels, graph, kubeVirtContainer }');
  expectOptionalBoolean(r.graph, child(where, 'graph'));
  expectOptionalBoolean(r.kubeVirtContainer, child(where, 'kubeVirtContainer'));
  const channels =
    r.channels === undefined
      ? undefined
      : expectArray<ReleaseChannel>(
          r.channels,
          child(where, 'channels'),
          'pass a list of { name, minVersion, maxVersion }',
        );
  channels?.forEach((c, i) => {
    const w = child(child(where, 'channels'), i);
    expectObject(c, w, 'pass { name, minVersion, maxVersion }');
    validateName(c.name, child(w, 'name'), 'stable-4.19');
    if (c.type !== undefined && !CHANNEL_TYPES.includes(c.type)) {
      // oc-mirror would silently read an unknown type as "ocp".
      fail(child(w, 'type'), 'is not a release stream', c.type, `use one of ${CHANNEL_TYPES.join(', ')}`);
    }
    expectOptionalBoolean(c.shortestPath, child(w, 'shortestPath'));
    expectOptionalBoolean(c.full, child(w, 'full'));
    validateRange(c.minVersion, c.maxVersion, w);
  });
  if (channels)
    unique(
      channels,
      (c) => c.name,
      (i) => child(child(child(where, 'channels'), i), 'name'),
      'channel',
    );
  const releaseImage =
    r.release === undefined ? undefined : ImageReference.parseImage(r.release, child(where, 'release'));
  if (releaseImage && channels && channels.length > 0) {
    fail(
      child(where, 'release'),
      'cannot be combined with channels',
      r.release,
      'oc-mirror skips channel processing when a release image is given; keep one of the two',
    );
  }
  const architectures =
    r.architectures === undefined
      ? undefined
      : expectArray<ReleaseArchitecture>(
          r.architectures,
          child(where, 'architectures'),
          'pass a list such as ["amd64"]',
        );
  architectures?.forEach((a, i) => {
    if (!ARCHITECTURES.includes(a)) {
      fail(
        child(child(where, 'architectures'), i),
        'is not a release architecture',
        a,
        `use ${ARCHITECTURES.join(', ')}`,
      );
    }
  });
  if (!releaseImage && (!channels || channels.length === 0)) {
    fail(where, 'names no release', r, 'give channels (with versions) or one release image');
  }
  return { ...r, releaseImage };
}

function validateCatalog(value: unknown, where: At): ValidatedCatalog {
  const c = expectObject<OperatorCatalog>(value, where, 'pass { catalog, packages }');
  const image = ImageReference.parseImage(c.catalog, child(where, 'catalog'));
  expectOptionalBoolean(c.full, child(where, 'full'));
  expectOptionalBoolean(c.skipDependencies, child(where, 'skipDependencies'));
  if (c.catalogSourceName !== undefined)
    validateCatalogSourceName(c.catalogSourceName, child(where, 'catalogSourceName'));
  if (c.displayName !== undefined) expectNonEmptyString(c.displayName, child(where, 'displayName'));
  const packages =
    c.packages === undefined
      ? undefined
      : expectArray<OperatorPackage>(c.packages, child(where, 'packages'), 'pass a list of { name }');
  packages?.forEach((p, i) => {
    const w = child(child(where, 'packages'), i);
    expectObject(p, w, 'pass { name, channels }');
    validateName(p.name, child(w, 'name'), 'metallb-operator');
    if (p.defaultChannel !== undefined) validateName(p.defaultChannel, child(w, 'defaultChannel'), 'stable');
    validateRange(p.minVersion, p.maxVersion, w);
    const channels =
      p.channels === undefined
        ? undefined
        : expectArray<OperatorChannel>(p.channels, child(w, 'channels'), 'pass a list of { name }');
    channels?.forEach((ch, j) => {
      const cw = child(child(w, 'channels'), j);
      expectObject(ch, cw, 'pass { name }');
      validateName(ch.name, child(cw, 'name'), 'stable');
      validateRange(ch.minVersion, ch.maxVersion, cw);
      if (
        (ch.minVersion !== undefined || ch.maxVersion !== undefined) &&
        (p.minVersion !== undefined || p.maxVersion !== undefined)
      ) {
        fail(
          cw,
          'sets versions while the package sets them too',
          ch.name,
          'set minVersion/maxVersion on the package or on its channels, not both (oc-mirror refuses it)',
        );
      }
    });
    if (channels)
      unique(
        channels,
        (ch) => ch.name,
        (j) => child(child(child(w, 'channels'), j), 'name'),
        'channel',
      );
  });
  if (packages)
    unique(
      packages,
      (p) => p.name,
      (i) => child(child(child(where, 'packages'), i), 'name'),
      'package',
    );
  return { ...c, image };
}

function validateCatalogSourceName(value: unknown, where: At): string {
  const s = expectNonEmptyString(value, where, 'pass a DNS-1123 label such as "cs-redhat-operator-index-v4-19"');
  if (s.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)) {
    fail(where, 'is not a DNS-1123 label', s, 'use at most 63 lower-case letters, digits and "-"');
  }
  return s;
}

/** The name oc-mirror v2 gives the CatalogSource of a catalog: `cs-<repository name>-<tag>`. */
export function defaultCatalogSourceName(image: ImageReference): string {
  const repo = image.path.split('/').pop() ?? 'catalog';
  const suffix = image.tag ?? image.digest?.split(':')[1]?.slice(0, 12) ?? '';
  const name = `cs-${repo}-${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name;
}

/** Options of {@link renderImageSetConfiguration}. */
export interface ImageSetConfigurationRenderOptions {
  /**
   * Maximum size of each archive segment in GB, for mirror-to-disk.
   * @default - oc-mirror's default
   */
  readonly archiveSize?: number;
}

/**
 * The oc-mirror v2 `ImageSetConfiguration` (mirror.openshift.io/v2alpha1) of `content`, as a
 * plain object with the camelCase keys oc-mirror's strict decoder accepts.
 */
export function imageSetConfiguration(
  content: ImageSetContent,
  options: ImageSetConfigurationRenderOptions = {},
): Record<string, unknown> {
  const mirror: Record<string, unknown> = {};
  const r = content.releases;
  if (r) {
    const platform: Record<string, unknown> = {};
    if (r.architectures && r.architectures.length > 0) platform.architectures = [...r.architectures];
    if (r.channels && r.channels.length > 0) {
      platform.channels = r.channels.map((c) => ({
        name: c.name,
        ...(c.minVersion !== undefined ? { minVersion: c.minVersion } : {}),
        ...(c.maxVersion !== undefined ? { maxVersion: c.maxVersion } : {}),
        type: c.type ?? 'ocp',
        ...(c.shortestPath ? { shortestPath: true } : {}),
        ...(c.full ? { full: true } : {}),
      }));
    }
    if (r.releaseImage) platform.release = r.releaseImage.toString();
    if (r.kubeVirtContainer) platform.kubeVirtContainer = true;
    if (r.graph) platform.graph = true;
    mirror.platform = platform;
  }
  if (content.operators.length > 0) {
    mirror.operators = content.operators.map((c) => ({
      catalog: c.image.toString(),
      ...(c.full ? { full: true } : {}),
      ...(c.skipDependencies ? { skipDependencies: true } : {}),
      ...(c.packages && c.packages.length > 0
        ? {
            packages: c.packages.map((p) => ({
              name: p.name,
              ...(p.defaultChannel !== undefined ? { defaultChannel: p.defaultChannel } : {}),
              ...(p.minVersion !== undefined ? { minVersion: p.minVersion } : {}),
              ...(p.maxVersion !== undefined ? { maxVersion: p.maxVersion } : {}),
              ...(p.channels && p.channels.length > 0
                ? {
                    channels: p.channels.map((ch) => ({
                      name: ch.name,
                      ...(ch.minVersion !== undefined ? { minVersion: ch.minVersion } : {}),
                      ...(ch.maxVersion !== undefined ? { maxVersion: ch.maxVersion } : {}),
                    })),
                  }
                : {}),
            })),
          }
        : {}),
    }));
  }
  if (content.additionalImages.length > 0) {
    mirror.additionalImages = content.additionalImages.map((i) => ({ name: i.toString() }));
  }
  return {
    apiVersion: 'mirror.openshift.io/v2alpha1',
    kind: 'ImageSetConfiguration',
    ...(options.archiveSize !== undefined ? { archiveSize: options.archiveSize } : {}),
    mirror,
  };
}

/** {@link imageSetConfiguration} as YAML text. */
export function renderImageSetConfiguration(
  content: ImageSetContent,
  options: ImageSetConfigurationRenderOptions = {},
): string {
  // oc-mirror reads it with a YAML 1.1 decoder: quote what either version reads as another type.
  return stringifyManifest(imageSetConfiguration(content, options), { version: '1.2' });
}
