import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { Image } from '../../imports/images-config.openshift.io';
import { SecretRef } from '../core/secret-ref';
import { SiteFile } from '../core/site-file';
import { HelmChartSource } from '../rke2/helm-chart';
import { At } from '../private/errors';
import { ImageReference, RegistryHost } from './image-reference';
import { ImageSetContent, OperatorCatalog, ReleaseMirrorOptions } from './image-set-configuration';
import { RegistryCa } from './registry-ca';
import { MirrorRule, RegistryMirror } from './mirror-rules';

/** Props of {@link AirgapRegistryMirror}. */
export interface AirgapRegistryMirrorProps {
  /**
   * The mirror registry: `host[:port]`, no scheme, no path, for example
   * `registry.dns.base.domain.name:5000`.
   */
  readonly registry: string;
  /**
   * How consumers trust the registry's certificate: `RegistryCa.fromFile(path)` or
   * `RegistryCa.fromPem(text)` for a private CA (a self-hosted registry), or
   * `RegistryCa.publiclyTrusted()`. Required for an HTTPS registry, refused for plain HTTP.
   * @default - none; only allowed with `insecure: true`
   */
  readonly ca?: RegistryCa;
  /**
   * The registry speaks plain HTTP (`insecure = true` in registries.conf, an `http://` endpoint
   * for RKE2). Labs only.
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Credentials for pulling from the registry, for RKE2 nodes: a Secret with `username` and
   * `password` (or `identity-token`). OpenShift reads pull credentials from the cluster's pull
   * secret instead.
   * @default - anonymous pulls
   */
  readonly auth?: SecretRef;
  /**
   * An existing Secret whose `ca.crt` key holds the CA, for RKE2's `tls.tlsConfigSecret`
   * (for example `private-registry-cert`, which may also hold a client `tls.crt`/`tls.key`).
   * @default - with a private `ca`, a Secret `<name>-ca` holding only `ca.crt` is defined next
   *   to each RKE2 cluster (a CA certificate is public material, so writing it into the
   *   manifests exposes nothing)
   */
  readonly caSecret?: SecretRef;
  /**
   * The repositories served from the mirror registry, with where each lands in it.
   * @default - none (images are addressed in the registry directly)
   */
  readonly mirrors?: RegistryMirror[];
  /**
   * Registries (`host[:port]`) searched for short names, written to registries.conf.
   * @default - none
   */
  readonly unqualifiedSearchRegistries?: string[];
  /**
   * OpenShift releases to mirror with oc-mirror.
   * @default - none
   */
  readonly releases?: ReleaseMirrorOptions;
  /**
   * Operator catalogs (and packages) to mirror with oc-mirror.
   * @default - none
   */
  readonly operators?: OperatorCatalog[];
  /**
   * Further images to mirror (fully qualified, with a tag or digest), for oc-mirror and the RKE2
   * preload list.
   * @default - none
   */
  readonly additionalImages?: string[];
  /**
   * Name of the objects this mirror defines that are not named by upstream convention (the
   * ImageDigestMirrorSet, ImageTagMirrorSet, ImageContentSourcePolicy and the `<name>-ca`
   * Secret). DNS-1123 label.
   * @default - the registry with `.` and `:` as `-`, for example `registry-example-com-5000`
   */
  readonly name?: string;
}

/** Where an `addXxx()` method of {@link AirgapRegistryMirror} defines its objects. */
export interface MirrorOutputOptions {
  /**
   * Construct under which the objects are defined (its chart decides the output file and the
   * namespace of namespaced objects that do not set one). Output in another scope is
   * schema-checked at synth like output under the mirror.
   * @default - the mirror itself
   */
  readonly scope?: Construct;
}

/** Options of {@link AirgapRegistryMirror.addAssistedServiceConfigMap}. */
export interface AssistedServiceConfigMapOptions extends MirrorOutputOptions {
  /**
   * Namespace of multicluster engine, where assisted-service runs.
   * @default 'multicluster-engine'
   */
  readonly namespace?: string;
  /**
   * Name of the ConfigMap, referenced by `AgentServiceConfig.spec.mirrorRegistryRef.name`.
   * @default 'custom-registries'
   */
  readonly name?: string;
}

/** Options of {@link AirgapRegistryMirror.addOpenShiftTrust}. */
export interface OpenShiftTrustOptions extends MirrorOutputOptions {
  /**
   * Name of the ConfigMap in `openshift-config` that `Image.spec.additionalTrustedCA` names.
   * @default 'registry-config'
   */
  readonly configMapName?: string;
}

/** The objects {@link AirgapRegistryMirror.addOpenShiftTrust} defines. */
export interface OpenShiftTrust {
  /** `registry-config` in `openshift-config`: key `<host>..<port>`, value the CA. */
  readonly configMap: k8s.KubeConfigMap;
  /** The cluster `Image` (config.openshift.io/v1, name `cluster`) naming the ConfigMap. */
  readonly image: Image;
}

/** Options of {@link AirgapRegistryMirror.addHostedClusterTrustBundle}. */
export interface HostedClusterTrustBundleOptions extends MirrorOutputOptions {
  /**
   * Namespace of the HostedCluster.
   * @default - the namespace of the chart
   */
  readonly namespace?: string;
  /**
   * Name of the ConfigMap, referenced by `HostedCluster.spec.additionalTrustBundle.name`.
   * @default 'user-ca-bundle'
   */
  readonly name?: string;
}

/** Options of the `addImage…MirrorSet()` and `addImageContentSourcePolicy()` methods. */
export interface MirrorSetOptions extends MirrorOutputOptions {
  /**
   * Name of the object (cluster-scoped).
   * @default - the mirror's `name`
   */
  readonly name?: string;
}

/** Options of {@link AirgapRegistryMirror.addCatalogSources}. */
export interface CatalogSourcesOptions extends MirrorOutputOptions {
  /**
   * Namespace of the CatalogSources; `openshift-marketplace` makes them global.
   * @default 'openshift-marketplace'
   */
  readonly namespace?: string;
}

/** Options of {@link AirgapRegistryMirror.hostedClusterCatalogAnnotations}. */
export interface HostedClusterCatalogAnnotationsOptions {
  /**
   * Also pin the four default OLM catalogs (`redhat-operator-index`, `certified-operator-index`,
   * `community-operator-index`, `redhat-marketplace-index`) with the
   * `hypershift.openshift.io/*-catalog-image` annotations, which bypass the catalog image
   * stream. HyperShift accepts them only all four together and by digest, so each must be in
   * `operators`, pinned by digest.
   * @default false
   */
  readonly pinCatalogImages?: boolean;
}

/** Options of {@link AirgapRegistryMirror.addImageSetConfiguration}. */
export interface ImageSetConfigurationOptions {
  /**
   * Path of the file relative to the synth output folder.
   * @default `<chart id>/imageset-config.yaml`
   */
  readonly path?: string;
  /**
   * Maximum size of each archive segment in GB (mirror-to-disk).
   * @default - oc-mirror's default
   */
  readonly archiveSize?: number;
}

/** Options of {@link AirgapRegistryMirror.addRke2PreloadLists}. */
export interface Rke2PreloadListsOptions {
  /**
   * Folder of the two lists, relative to the synth output folder.
   * @default `<chart id>/preload`
   */
  readonly directory?: string;
  /**
   * Images to preload besides `additionalImages` (fully qualified, with tag or digest).
   * @default - none
   */
  readonly images?: string[];
  /**
   * Helm charts (OCI) to preload besides those the site's RKE2 clusters install.
   * @default - none
   */
  readonly charts?: HelmChartSource[];
  /**
   * Write entries relative to this source registry (`rancher/foo:v1` instead of
   * `registry.suse.com/rancher/foo:v1`, `edge/charts/sriov-crd:303.0.2+up1.5.0` for a chart), as
   * SUSE's `edge-save-images.sh -s <registry>` and `edge-save-oci-artefacts.sh -s <registry>` read
   * them. Every entry must then come from it. The same option as `EdgeImageDefinition`'s
   * `airGap.preloadRelativeTo`; each list states its convention in its first line.
   * @default - fully qualified entries
   */
  readonly relativeTo?: string;
}

/** The files {@link AirgapRegistryMirror.addRke2PreloadLists} defines. */
export interface Rke2PreloadLists {
  /** `edge-release-images.txt`: one image per line. */
  readonly images: SiteFile;
  /** `edge-release-helm-oci-artifacts.txt`: one `<chart>:<version>` per line. */
  readonly charts: SiteFile;
}

/**
 * The default `name` of a mirror: the registry lower-cased, with every run of other characters
 * than letters and digits as one `-`, cut to 56 characters (room for suffixes such as `-auth`
 * in a DNS-1123 label), `registry` when nothing is left.
 */
export function defaultMirrorName(registry: RegistryHost): string {
  const name = registry
    .toString()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  return name || 'registry';
}

/**
 * What the OpenShift outputs read of a mirror registry (an `AirgapRegistryMirror` has all of it):
 * a type of its own, so that the module that writes those outputs does not import the construct's
 * module, which imports it.
 */
export interface MirrorOutputSource extends IConstruct {
  /** The mirror registry. */
  readonly registry: RegistryHost;
  /** True when the registry is plain HTTP. */
  readonly insecure: boolean;
  /** Base name of the objects written. */
  readonly name: string;
  /** The mirror rules, most specific first. */
  readonly rules: readonly MirrorRule[];
  /** What is mirrored (releases, operator catalogs, images). */
  readonly content: ImageSetContent;
  /** The registry's CA certificate (PEM); `undefined` for a registry without a private CA. */
  readonly caPem: string | undefined;
  /** `reference` as pulled from the mirror. */
  mirroredReference(reference: string | ImageReference, where?: At): ImageReference;
}
