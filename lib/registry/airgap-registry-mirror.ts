import { ApiObject, Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { CatalogSource } from '../../imports/catalogsources-operators.coreos.com';
import { ImageContentSourcePolicy } from '../../imports/imagecontentsourcepolicies-operator.openshift.io';
import { ImageDigestMirrorSet } from '../../imports/imagedigestmirrorsets-config.openshift.io';
import { ImageTagMirrorSet } from '../../imports/imagetagmirrorsets-config.openshift.io';
import { HostedClusterSpecImageContentSources } from '../../imports/hostedclusters-hypershift.openshift.io';
import { Rke2ControlPlaneV1Beta1SpecPrivateRegistriesConfig } from '../../imports/rke2controlplanes-controlplane.cluster.x-k8s.io';
import { ButaneConfig } from '../butane/butane-config';
import { SECRET_MATERIAL_ANNOTATION, SecretRef } from '../core/secret-ref';
import { chartIdOf, SiteFile } from '../core/site-file';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { At, at, child, expectArray, expectObject, expectOptionalBoolean, fail } from '../private/errors';
import { PreloadListKind, preloadEntry, renderPreloadList } from '../eib/preload-lists';
import { HelmChartSource, validateHelmChartSource } from '../rke2/helm-chart';
import { validateOutput } from '../validation/construct-validation';
import {
  AirgapRegistryMirrorProps,
  AssistedServiceConfigMapOptions,
  CatalogSourcesOptions,
  defaultMirrorName,
  HostedClusterCatalogAnnotationsOptions,
  HostedClusterTrustBundleOptions,
  ImageSetConfigurationOptions,
  MirrorSetOptions,
  OpenShiftTrust,
  OpenShiftTrustOptions,
  Rke2PreloadLists,
  Rke2PreloadListsOptions,
} from './airgap-registry-mirror-props';
import { ImageReference, RegistryHost } from './image-reference';
import {
  ImageSetConfigurationRenderOptions,
  ImageSetContent,
  imageSetConfiguration,
  renderImageSetConfiguration,
  validateImageSetContent,
} from './image-set-configuration';
import { RegistryCa } from './registry-ca';
import { MirrorRule, MirrorRules } from './mirror-rules';
import {
  addCatalogSources,
  addHostedClusterTrustBundle,
  addImageContentSourcePolicy,
  addImageDigestMirrorSet,
  addImageTagMirrorSet,
  addOpenShiftTrust,
  checkUnique,
  hostedClusterCatalogAnnotations,
  imageContentSources,
  outputScope,
} from './openshift-mirror-outputs';
import { RegistriesConfRegistry, renderRegistriesConf } from './registries-conf';

/**
 * One definition of a disconnected site's mirror registry — host, CA, credentials, which
 * sources are mirrored where, and what to mirror — from which every artefact that needs these
 * facts is derived, each only when asked for:
 *
 * - RKE2: {@link rke2PrivateRegistriesConfig} (`privateRegistriesConfig` of RKE2ControlPlane /
 *   RKE2ConfigTemplate) and {@link addRke2PreloadLists}.
 * - Assisted Service: {@link addAssistedServiceConfigMap} (`custom-registries`).
 * - OpenShift trust: {@link addOpenShiftTrust} (`registry-config` + the cluster `Image`) and
 *   {@link addHostedClusterTrustBundle} (`user-ca-bundle`).
 * - Mirror sets: {@link addImageDigestMirrorSet}, {@link addImageTagMirrorSet},
 *   {@link addImageContentSourcePolicy}, {@link imageContentSources} (HostedCluster),
 *   {@link hostedClusterCatalogAnnotations} and {@link addCatalogSources}.
 * - oc-mirror: {@link addImageSetConfiguration}.
 *
 * Checks: the registry is `host[:port]`; sources are repository prefixes (no tag, no digest)
 * on another registry; every mirror lives in the mirror registry; mirrors of one source agree
 * on digest/tag and source policy; a CA is given for an HTTPS registry; release images on
 * digest-only mirrors are digests ({@link checkReleaseImage}).
 */
export class AirgapRegistryMirror extends Construct {
  /** The mirror registry. */
  public readonly registry: RegistryHost;
  /** How consumers trust the registry; `undefined` for a plain-HTTP registry. */
  public readonly ca?: RegistryCa;
  /** Whether the registry speaks plain HTTP. */
  public readonly insecure: boolean;
  /** Name of the objects not named by convention. */
  public readonly name: string;
  /** The mirrored sources, each with its mirrors, in the order first given. */
  public readonly rules: readonly MirrorRule[];
  /** What oc-mirror mirrors. */
  public readonly content: ImageSetContent;
  /** Registries searched for short names. */
  public readonly unqualifiedSearchRegistries: readonly RegistryHost[];

  private readonly auth?: SecretRef;
  private readonly caSecret?: SecretRef;
  /** Secret names already bound for RKE2 consumers, per namespace. */
  private readonly boundSecrets = new Map<string, { auth?: string; ca?: string }>();
  /** The rules with what this mirror rebased itself, to trace references back. */
  private readonly mirrorRules: MirrorRules;

  constructor(scope: Construct, id: string, props: AirgapRegistryMirrorProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { registry, ca, mirrors }');
    this.registry = RegistryHost.parse(props.registry, at(this, 'registry'));
    this.insecure = expectOptionalBoolean(props.insecure, at(this, 'insecure')) ?? false;

    if (props.ca !== undefined && !(props.ca instanceof RegistryCa)) {
      fail(
        at(this, 'ca'),
        'is not a RegistryCa',
        props.ca,
        'build it with RegistryCa.fromFile(path) or RegistryCa.fromPem(text)',
      );
    }
    if (this.insecure && props.ca !== undefined) {
      fail(
        at(this, 'ca'),
        'is given for a plain-HTTP registry (insecure: true)',
        props.ca.isPrivate ? 'a private CA' : 'publiclyTrusted',
        'drop insecure to use HTTPS with this CA, or drop ca',
      );
    }
    if (!this.insecure && props.ca === undefined) {
      fail(
        at(this, 'ca'),
        'is required for an HTTPS registry',
        undefined,
        'pass RegistryCa.fromFile(path) for a private CA (as a self-hosted registry has), or RegistryCa.publiclyTrusted() when a public CA signs its certificate',
      );
    }
    this.ca = props.ca;
    for (const key of ['auth', 'caSecret'] as const) {
      if (props[key] !== undefined && !(props[key] instanceof SecretRef)) {
        fail(
          at(this, key),
          'is not a SecretRef',
          redactedKind(props[key]),
          'use SecretRef.fromName("private-registry-auth")',
        );
      }
    }
    if (props.caSecret !== undefined && !this.ca?.isPrivate) {
      fail(
        at(this, 'caSecret'),
        'is given without a private ca',
        'a SecretRef',
        'pass the private CA as ca, or drop caSecret',
      );
    }
    this.auth = props.auth;
    this.caSecret = props.caSecret;
    this.name = validateDns1123Label(props.name ?? defaultMirrorName(this.registry), at(this, 'name'));

    this.unqualifiedSearchRegistries =
      props.unqualifiedSearchRegistries === undefined
        ? []
        : expectArray<string>(props.unqualifiedSearchRegistries, at(this, 'unqualifiedSearchRegistries')).map((r, i) =>
            RegistryHost.parse(r, child(at(this, 'unqualifiedSearchRegistries'), i)),
          );

    this.mirrorRules = MirrorRules.parse(props.mirrors, this.registry, at(this, 'mirrors'));
    this.rules = this.mirrorRules.rules;
    this.content = validateImageSetContent(props, {
      releases: at(this, 'releases'),
      operators: at(this, 'operators'),
      additionalImages: at(this, 'additionalImages'),
    });
    checkUnique(
      this.content.operators.map((c) => c.image.toString()),
      (i) => child(child(at(this, 'operators'), i), 'catalog'),
      'catalog',
    );
    checkUnique(this.content.additionalImages.map(String), (i) => child(at(this, 'additionalImages'), i), 'image');

    validateOutput(this);
  }

  /** The private CA bundle (PEM), or `undefined` when there is none to distribute. */
  public get caPem(): string | undefined {
    return this.ca?.pem;
  }

  // ---------------------------------------------------------------- RKE2

  /**
   * The `privateRegistriesConfig` of an RKE2ControlPlane or RKE2ConfigTemplate in the chart of
   * `consumer`:
   *
   * - `mirrors`: one entry per source registry, endpoint `https://<registry>` (`http://` when
   *   insecure), with a `rewrite` from each source path to its mirror path where they differ.
   * - `configs`: one entry for the mirror registry, with `authSecret` (from `auth`) and
   *   `tls.tlsConfigSecret` (from `caSecret`, or a Secret `<name>-ca` holding only `ca.crt`
   *   defined under `consumer` once per namespace).
   *
   * Refused, because RKE2 or its Cluster API provider would silently lose something: Secret
   * references from a chart without a namespace (the provider looks the Secret up in the
   * namespace of the reference), several mirrors for one source (containerd rewrites a
   * repository to one path per endpoint), and nested sources whose rewrites disagree (rewrite
   * rules are applied in no fixed order). There is a single `configs` entry by design: the
   * provider keeps only one, and all TLS files share one path on the node.
   */
  public rke2PrivateRegistriesConfig(consumer: Construct): Rke2ControlPlaneV1Beta1SpecPrivateRegistriesConfig {
    const where = at(this, 'mirrors');
    const endpoint = `${this.insecure ? 'http' : 'https'}://${this.registry}`;
    const byHost = new Map<string, MirrorRule[]>();
    for (const rule of this.rules) {
      if (new Set(rule.mirrors.map((m) => m.path)).size > 1) {
        fail(
          where,
          `maps ${rule.source.repository} to ${rule.mirrors.length} different paths, which RKE2 cannot express`,
          rule.mirrors.map(String),
          'containerd rewrites a repository to one path per registry endpoint; keep one mirror for this source on RKE2 clusters',
        );
      }
      const key = rule.source.registry.toString();
      byHost.set(key, [...(byHost.get(key) ?? []), rule]);
    }
    const mirrors: Record<string, { endpoint: string[]; rewrite?: Record<string, string> }> = {};
    for (const [host, rules] of byHost) {
      for (const a of rules) {
        for (const b of rules) {
          if (a === b || !a.source.covers(b.source)) continue;
          if (!b.mirrors[0].equals(b.source.rebase(a.source, a.mirrors[0]))) {
            fail(
              where,
              `nests ${b.source.repository} inside ${a.source.repository} with a different mirror path, which RKE2 applies in no fixed order`,
              [String(a.mirrors[0]), String(b.mirrors[0])],
              `mirror ${b.source.repository} to ${b.source.rebase(a.source, a.mirrors[0])}, or drop one of the two`,
            );
          }
        }
      }
      const rewrite: Record<string, string> = {};
      for (const rule of rules) {
        const [from, to] = [rule.source.path, rule.mirrors[0].path];
        if (from === to) continue;
        const esc = from.replace(/[.]/g, '\\.');
        if (from === '') rewrite['^(.*)$'] = `${to}/$1`;
        else if (to === '') rewrite[`^${esc}/(.*)$`] = '$1';
        else rewrite[`^${esc}(/.*)?$`] = `${to}$1`;
      }
      mirrors[host] = { endpoint: [endpoint], ...(Object.keys(rewrite).length > 0 ? { rewrite } : {}) };
    }

    const config: { authSecret?: SecretObjectRef; tls?: { tlsConfigSecret: SecretObjectRef } } = {};
    if (this.auth || this.ca?.isPrivate) {
      const namespace = Chart.of(consumer).namespace;
      if (!namespace) {
        fail(
          at(this, this.auth ? 'auth' : 'ca'),
          'cannot be referenced from a chart without a namespace',
          Chart.of(consumer).node.path,
          'the RKE2 provider looks the Secret up in the namespace of the reference, so an empty one silently loses it; give the chart a namespace',
        );
      }
      const bound = this.boundSecrets.get(namespace) ?? {};
      if (this.auth) {
        const name =
          bound.auth ??
          this.auth.bind(consumer, `${this.node.id}RegistryAuth`, {
            defaultName: `${this.name}-auth`,
            requiredKeys: ['username', 'password'],
            where: at(this, 'auth'),
          });
        config.authSecret = { apiVersion: 'v1', kind: 'Secret', name, namespace };
        bound.auth = name;
      }
      if (this.ca?.isPrivate) {
        const name = bound.ca ?? this.bindCaSecret(consumer);
        config.tls = { tlsConfigSecret: { apiVersion: 'v1', kind: 'Secret', name, namespace } };
        bound.ca = name;
      }
      this.boundSecrets.set(namespace, bound);
    }
    return {
      ...(Object.keys(mirrors).length > 0 ? { mirrors } : {}),
      ...(config.authSecret || config.tls ? { configs: { [this.registry.toString()]: config } } : {}),
    };
  }

  private bindCaSecret(consumer: Construct): string {
    if (this.caSecret) {
      return this.caSecret.bind(consumer, `${this.node.id}RegistryCa`, {
        defaultName: `${this.name}-ca`,
        requiredKeys: ['ca.crt'],
        where: at(this, 'caSecret'),
      });
    }
    const name = `${this.name}-ca`;
    // Public material: the CA certificate alone, no key; written on purpose, and marked as such.
    new k8s.KubeSecret(consumer, `${this.node.id}RegistryCa`, {
      metadata: { name, annotations: { [SECRET_MATERIAL_ANNOTATION]: 'public-ca-certificate' } },
      type: 'Opaque',
      stringData: { 'ca.crt': this.ca!.pem! },
    });
    return name;
  }

  /**
   * Two site files for preloading the mirror registry in an RKE2 air gap (seed §42.3.2.7):
   * `edge-release-images.txt` (the `additionalImages` and `options.images`) and
   * `edge-release-helm-oci-artifacts.txt` (every `oci://` HelmChart the app's RKE2 clusters
   * install through their first-boot config or as HelmChart objects, and `options.charts`),
   * sorted and without duplicates. The lists are computed at synth, after every cluster is
   * defined. Charts from `https://` repositories cannot be preloaded into a registry and are
   * left out.
   */
  public addRke2PreloadLists(options: Rke2PreloadListsOptions = {}): Rke2PreloadLists {
    const where = (prop: string) => at(this, `addRke2PreloadLists.${prop}`);
    const dir = options.directory ?? `${chartIdOf(this)}/preload`;
    const extraImages = (options.images === undefined ? [] : expectArray<string>(options.images, where('images'))).map(
      (img, i) => ImageReference.parseImage(img, child(where('images'), i)),
    );
    const extraCharts = (
      options.charts === undefined ? [] : expectArray<HelmChartSource>(options.charts, where('charts'))
    ).map((c, i) => validateHelmChartSource(c, child(where('charts'), i)));
    const relativeTo =
      options.relativeTo === undefined ? undefined : RegistryHost.parse(options.relativeTo, where('relativeTo'));
    const entry = (ref: ImageReference, suffix: string, w: At): string => preloadEntry(ref, suffix, relativeTo, w);
    const lines = (kind: PreloadListKind, items: string[]) =>
      renderPreloadList(kind, [...new Set(items)].sort(), relativeTo);
    const images = new SiteFile(this, 'PreloadImages', {
      path: `${dir}/edge-release-images.txt`,
      contents: () =>
        lines(
          'images',
          [...this.content.additionalImages, ...extraImages].map((ref) =>
            entry(ref, ref.toString().slice(ref.repository.length), where('images')),
          ),
        ),
    });
    const charts = new SiteFile(this, 'PreloadCharts', {
      path: `${dir}/edge-release-helm-oci-artifacts.txt`,
      contents: () =>
        lines(
          'charts',
          [...extraCharts, ...helmChartsOf(this.node.root)]
            .filter((c) => c.repo === undefined && c.chart.startsWith('oci://'))
            .map((c) => {
              // Charts already re-pointed to the mirror (air gap) are listed by where they come from.
              const ref = this.sourceReference(
                ImageReference.parseRepository(c.chart.slice('oci://'.length), where('charts')),
                where('charts'),
              );
              return entry(ref, `:${c.version}`, where('charts'));
            }),
        ),
    });
    return { images, charts };
  }

  // ---------------------------------------------------------------- Assisted Service

  /**
   * The Assisted Service ConfigMap (`custom-registries` in `multicluster-engine`, label
   * `app: assisted-service`) with the keys assisted-service reads: `registries.conf`
   * ({@link registriesConf}) and, with a private CA, `ca-bundle.crt`. Reference it from
   * `AgentServiceConfig.spec.mirrorRegistryRef.name`.
   */
  public addAssistedServiceConfigMap(options: AssistedServiceConfigMapOptions = {}): k8s.KubeConfigMap {
    const where = (prop: string) => at(this, `addAssistedServiceConfigMap.${prop}`);
    const name = validateDns1123Subdomain(options.name ?? 'custom-registries', where('name'));
    const namespace = validateDns1123Label(options.namespace ?? 'multicluster-engine', where('namespace'));
    if (this.rules.length === 0) {
      fail(
        at(this, 'mirrors'),
        'is empty',
        [],
        'assisted-service takes its mirrors from registries.conf; list at least one mirror',
      );
    }
    const pem = this.caPem;
    return new k8s.KubeConfigMap(outputScope(this, options.scope, 'AssistedServiceConfigMap'), 'Resource', {
      metadata: { name, namespace, labels: { app: 'assisted-service' } },
      data: { ...(pem ? { 'ca-bundle.crt': pem } : {}), 'registries.conf': this.registriesConf() },
    });
  }

  /**
   * The mirrors as `registries.conf` (containers-registries.conf v2 TOML): one `[[registry]]`
   * per source (`location` the source, `mirror-by-digest-only` for digest-only sources) with
   * its `[[registry.mirror]]` locations, plus the search registries, and an `insecure` entry
   * for a plain-HTTP registry.
   */
  public registriesConf(): string {
    const registries: RegistriesConfRegistry[] = this.rules.map((r) => ({
      prefix: '',
      location: r.source.repository,
      mirrorByDigestOnly: r.pullByDigestOnly,
      mirrors: r.mirrors.map((m) => ({ location: m.repository, insecure: this.insecure })),
    }));
    if (this.insecure) registries.push({ prefix: '', location: this.registry.toString(), insecure: true });
    return renderRegistriesConf(
      { unqualifiedSearchRegistries: this.unqualifiedSearchRegistries.map(String), registries },
      at(this, 'mirrors'),
    );
  }

  // ---------------------------------------------------------------- OpenShift trust

  /**
   * Trust of the registry CA on an OpenShift (management) cluster: the ConfigMap
   * `registry-config` in `openshift-config` whose key is `<host>..<port>` and value the CA, and
   * the cluster `Image` (`config.openshift.io/v1`, name `cluster`) with
   * `spec.additionalTrustedCA.name` naming it. The Image carries only that field; apply it with
   * server-side apply or as a patch so that other settings stay.
   */
  public addOpenShiftTrust(options: OpenShiftTrustOptions = {}): OpenShiftTrust {
    return addOpenShiftTrust(this, options);
  }

  /**
   * The `user-ca-bundle` ConfigMap (key `ca-bundle.crt`) in the namespace of a HostedCluster, so
   * that its workers trust the registry; reference it from
   * `HostedCluster.spec.additionalTrustBundle.name`.
   */
  public addHostedClusterTrustBundle(options: HostedClusterTrustBundleOptions = {}): k8s.KubeConfigMap {
    return addHostedClusterTrustBundle(this, options);
  }

  // ---------------------------------------------------------------- mirror sets

  /**
   * An `ImageDigestMirrorSet` (config.openshift.io/v1) with every source and its mirrors, in
   * order; `mirrorSourcePolicy: NeverContactSource` where asked.
   */
  public addImageDigestMirrorSet(options: MirrorSetOptions = {}): ImageDigestMirrorSet {
    return addImageDigestMirrorSet(this, options);
  }

  /**
   * An `ImageTagMirrorSet` (config.openshift.io/v1) with the sources mirrored for tags too
   * (`pullByDigestOnly: false`). HyperShift's `imageContentSources` cannot express tag mirrors:
   * apply this in the hosted cluster where tags must resolve.
   */
  public addImageTagMirrorSet(options: MirrorSetOptions = {}): ImageTagMirrorSet {
    return addImageTagMirrorSet(this, options);
  }

  /**
   * The legacy `ImageContentSourcePolicy` (operator.openshift.io/v1alpha1) for clusters older
   * than 4.13: digest mirrors only, no source policy.
   */
  public addImageContentSourcePolicy(options: MirrorSetOptions = {}): ImageContentSourcePolicy {
    return addImageContentSourcePolicy(this, options);
  }

  /**
   * The value of `HostedCluster.spec.imageContentSources`: every source with its mirrors.
   * HyperShift turns it into digest mirrors for the hosted cluster's nodes; tag mirrors need an
   * {@link addImageTagMirrorSet} in the hosted cluster.
   */
  public imageContentSources(): HostedClusterSpecImageContentSources[] {
    return imageContentSources(this);
  }

  /**
   * Checks a release image for a HostedCluster (or NodePool) and returns it parsed: it must be
   * in the mirror registry or under a mirrored source, and a digest (`@sha256:…`) when a
   * digest-only mirror covers it, because tags do not resolve through digest mirrors.
   * `where` names the prop in messages.
   */
  public checkReleaseImage(image: unknown, where: At = at(this, 'releaseImage')): ImageReference {
    const ref = ImageReference.parseImage(image, where);
    const digestOnly = this.rules.find(
      (r) => r.pullByDigestOnly && (r.source.covers(ref) || r.mirrors.some((m) => m.covers(ref))),
    );
    if (!ref.isDigest && digestOnly) {
      fail(
        where,
        `is a tag, but ${digestOnly.source.repository} is mirrored by digest only`,
        ref.toString(),
        `give the release by digest ("…@sha256:…"); \`oc adm release info ${ref} | grep "Pull From"\` prints it`,
      );
    }
    if (!ref.registry.equals(this.registry) && !this.rules.some((r) => r.source.covers(ref))) {
      fail(
        where,
        `is neither in ${this.registry} nor under a mirrored source`,
        ref.toString(),
        `add a mirror whose source covers ${ref.repository}, or use the image from ${this.registry}`,
      );
    }
    return ref;
  }

  /**
   * Where `reference` is found in the mirror registry: rebased onto the first mirror of the
   * longest source that covers it; unchanged when it already is in the registry.
   */
  public mirroredReference(reference: string | ImageReference, where: At = at(this, 'reference')): ImageReference {
    const ref = reference instanceof ImageReference ? reference : ImageReference.parse(reference, where);
    if (ref.registry.equals(this.registry)) return ref;
    const rule = this.mirrorRules.ruleFor(ref);
    if (!rule) {
      const parent = ref.path.includes('/')
        ? `${ref.registry}/${ref.path.slice(0, ref.path.lastIndexOf('/'))}`
        : ref.repository;
      fail(where, 'is not under any mirrored source', ref.toString(), `add a mirror such as { source: "${parent}" }`);
    }
    const mirrored = ref.rebase(rule.source, rule.mirrors[0]);
    this.mirrorRules.remember(mirrored, ref);
    return mirrored;
  }

  // ---------------------------------------------------------------- OLM catalogs

  /**
   * One `CatalogSource` (grpc, in `openshift-marketplace`) per mirrored operator catalog, with
   * the catalog's location in the mirror registry, named as oc-mirror v2 names them
   * (`cs-redhat-operator-index-v4-19`) unless `catalogSourceName` says otherwise.
   */
  public addCatalogSources(options: CatalogSourcesOptions = {}): CatalogSource[] {
    return addCatalogSources(this, options);
  }

  /**
   * Annotations for a HostedCluster whose OLM catalogs come from the mirror:
   * `hypershift.openshift.io/olm-catalogs-is-registry-overrides` (`source=mirror` for the
   * sources that cover the `operators` catalogs), and with `pinCatalogImages` the four
   * `hypershift.openshift.io/*-catalog-image` annotations with the mirrored catalogs by digest.
   */
  public hostedClusterCatalogAnnotations(options: HostedClusterCatalogAnnotationsOptions = {}): Record<string, string> {
    return hostedClusterCatalogAnnotations(this, options, (ref) => this.mirrorRules.ruleFor(ref));
  }

  // ---------------------------------------------------------------- oc-mirror

  /** The oc-mirror `ImageSetConfiguration` object (see {@link addImageSetConfiguration}). */
  public imageSetConfiguration(options: ImageSetConfigurationRenderOptions = {}): Record<string, unknown> {
    return imageSetConfiguration(this.content, options);
  }

  /**
   * The oc-mirror v2 `ImageSetConfiguration` (mirror.openshift.io/v2alpha1) as a site file:
   * platform channels with min/max versions (or one release image), graph and
   * kubeVirtContainer, operator catalogs with their packages, and additional images. Run
   * `oc-mirror --v2 -c <file> --workspace file://mirror-file docker://<registry>`.
   */
  public addImageSetConfiguration(options: ImageSetConfigurationOptions = {}): SiteFile {
    const c = this.content;
    if (!c.releases && c.operators.length === 0 && c.additionalImages.length === 0) {
      fail(
        at(this, 'releases'),
        'is empty, and so are operators and additionalImages',
        undefined,
        'give something to mirror',
      );
    }
    if (options.archiveSize !== undefined && (!Number.isInteger(options.archiveSize) || options.archiveSize < 1)) {
      fail(
        at(this, 'addImageSetConfiguration.archiveSize'),
        'must be a whole number of GB',
        options.archiveSize,
        'pass 1 or more',
      );
    }
    return new SiteFile(this, 'ImageSetConfiguration', {
      path: options.path ?? `${chartIdOf(this)}/imageset-config.yaml`,
      contents: renderImageSetConfiguration(c, { archiveSize: options.archiveSize }),
    });
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Where a reference in the mirror registry was mirrored from (the inverse of
   * {@link mirroredReference}); unchanged when no mirror path covers it. See
   * {@link MirrorRules.sourceReference}.
   */
  public sourceReference(ref: ImageReference, where: At = at(this, 'mirrors')): ImageReference {
    return this.mirrorRules.sourceReference(ref, where);
  }
}

/** Reference to a Secret as the RKE2 provider reads it. */
interface SecretObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

function redactedKind(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

/** Every HelmChart the app installs on RKE2 nodes: in first-boot configs and as objects. */
function helmChartsOf(root: IConstruct): HelmChartSource[] {
  const charts: HelmChartSource[] = [];
  const seenConfigs = new Set<ButaneConfig>();
  const take = (o: unknown) => {
    const obj = o as {
      apiVersion?: string;
      kind?: string;
      spec?: { chart?: unknown; version?: unknown; repo?: unknown };
    };
    if (obj?.kind !== 'HelmChart' || !obj.apiVersion?.startsWith('helm.cattle.io/')) return;
    const { chart, version, repo } = obj.spec ?? {};
    if (typeof chart === 'string' && typeof version === 'string') {
      charts.push({ chart, version, ...(typeof repo === 'string' ? { repo } : {}) });
    }
  };
  for (const c of root.node.findAll()) {
    if (ApiObject.isApiObject(c)) {
      try {
        take(c.toJson());
      } catch {
        // An object that cannot render is reported by its own validation.
      }
    }
    const userData = (c as { userData?: unknown }).userData;
    if (userData instanceof ButaneConfig && !seenConfigs.has(userData)) {
      seenConfigs.add(userData);
      for (const file of userData.embeddedManifests()) file.objects.forEach(take);
    }
  }
  return charts;
}
