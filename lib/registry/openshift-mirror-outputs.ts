import { ApiObject, JsonPatch } from 'cdk8s';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct } from 'constructs';
import { CatalogSource } from '../../imports/catalogsources-operators.coreos.com';
import { ImageContentSourcePolicy } from '../../imports/imagecontentsourcepolicies-operator.openshift.io';
import {
  ImageDigestMirrorSet,
  ImageDigestMirrorSetSpecImageDigestMirrorsMirrorSourcePolicy,
} from '../../imports/imagedigestmirrorsets-config.openshift.io';
import { Image } from '../../imports/images-config.openshift.io';
import {
  ImageTagMirrorSet,
  ImageTagMirrorSetSpecImageTagMirrorsMirrorSourcePolicy,
} from '../../imports/imagetagmirrorsets-config.openshift.io';
import { HostedClusterSpecImageContentSources } from '../../imports/hostedclusters-hypershift.openshift.io';
import { singletonObject } from '../core/singleton';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { At, at, child, expectOptionalBoolean, fail } from '../private/errors';
import { validateOutput } from '../validation/construct-validation';
import {
  CatalogSourcesOptions,
  HostedClusterCatalogAnnotationsOptions,
  HostedClusterTrustBundleOptions,
  MirrorOutputSource,
  MirrorSetOptions,
  OpenShiftTrust,
  OpenShiftTrustOptions,
} from './airgap-registry-mirror-props';
import { ImageReference } from './image-reference';
import { defaultCatalogSourceName } from './image-set-configuration';
import { MirrorRule } from './mirror-rules';
import { userCaBundle } from './registry-ca';

// The OpenShift outputs of an AirgapRegistryMirror (trust of its CA, mirror sets, OLM catalogs)
// and the helpers they share. The mirror's methods of the same names call these; they are not
// exported from the package.

const DEFAULT_CATALOGS: Record<string, string> = {
  'redhat-operator-index': 'hypershift.openshift.io/redhat-operators-catalog-image',
  'certified-operator-index': 'hypershift.openshift.io/certified-operators-catalog-image',
  'community-operator-index': 'hypershift.openshift.io/community-operators-catalog-image',
  'redhat-marketplace-index': 'hypershift.openshift.io/redhat-marketplace-catalog-image',
};

/** Annotation of a HostedCluster that rewrites the registries of the OLM catalog image stream. */
export const OLM_CATALOGS_REGISTRY_OVERRIDES_ANNOTATION = 'hypershift.openshift.io/olm-catalogs-is-registry-overrides';

export function addOpenShiftTrust(mirror: MirrorOutputSource, options: OpenShiftTrustOptions): OpenShiftTrust {
  const pem = requirePrivateCa(mirror, 'addOpenShiftTrust');
  const name = validateDns1123Subdomain(
    options.configMapName ?? 'registry-config',
    at(mirror, 'addOpenShiftTrust.configMapName'),
  );
  if (mirror.registry.isIPv6) {
    fail(
      at(mirror, 'registry'),
      'is an IPv6 address, which cannot be a ConfigMap key',
      mirror.registry.toString(),
      'use a DNS name for the registry',
    );
  }
  const scope = outputScope(mirror, options.scope, 'OpenShiftTrust');
  // One ConfigMap and one Image per cluster: every mirror adds its key to the same ones.
  const where = at(mirror, 'addOpenShiftTrust.configMapName');
  const configMap = singletonObject(scope, where, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'openshift-config',
    name,
    content: { data: { [mirror.registry.trustedCaKey]: pem } },
    fix: 'give each registry (host and port) one CA bundle',
    define: () =>
      new k8s.KubeConfigMap(scope, 'RegistryConfig', {
        metadata: { name, namespace: 'openshift-config' },
        data: { [mirror.registry.trustedCaKey]: pem },
      }),
  });
  const image = singletonObject(scope, where, {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Image',
    name: 'cluster',
    content: { spec: { additionalTrustedCA: { name } } },
    fix: 'the cluster Image names one ConfigMap: use the same configMapName for every registry of this cluster',
    define: () =>
      clusterScoped(
        new Image(scope, 'ClusterImage', { metadata: { name: 'cluster' }, spec: { additionalTrustedCa: { name } } }),
      ),
  });
  return { configMap, image };
}

export function addHostedClusterTrustBundle(
  mirror: MirrorOutputSource,
  options: HostedClusterTrustBundleOptions,
): k8s.KubeConfigMap {
  const pem = requirePrivateCa(mirror, 'addHostedClusterTrustBundle');
  const where = (prop: string) => at(mirror, `addHostedClusterTrustBundle.${prop}`);
  const name = validateDns1123Subdomain(options.name ?? 'user-ca-bundle', where('name'));
  const namespace =
    options.namespace === undefined ? undefined : validateDns1123Label(options.namespace, where('namespace'));
  const scope = outputScope(mirror, options.scope, 'HostedClusterTrustBundle');
  return userCaBundle(
    scope,
    where('name'),
    name,
    namespace,
    pem,
    () =>
      new k8s.KubeConfigMap(scope, 'Resource', {
        metadata: { name, ...(namespace ? { namespace } : {}) },
        data: { 'ca-bundle.crt': pem },
      }),
  );
}

export function addImageDigestMirrorSet(mirror: MirrorOutputSource, options: MirrorSetOptions): ImageDigestMirrorSet {
  const rules = requireRules(mirror, 'addImageDigestMirrorSet', mirror.rules);
  return clusterScoped(
    new ImageDigestMirrorSet(outputScope(mirror, options.scope, 'ImageDigestMirrorSet'), 'Resource', {
      metadata: { name: setName(mirror, options.name, 'addImageDigestMirrorSet') },
      spec: {
        imageDigestMirrors: rules.map((r) => ({
          source: r.source.repository,
          mirrors: r.mirrors.map((m) => m.repository),
          ...(r.neverContactSource
            ? {
                mirrorSourcePolicy: ImageDigestMirrorSetSpecImageDigestMirrorsMirrorSourcePolicy.NEVER_CONTACT_SOURCE,
              }
            : {}),
        })),
      },
    }),
  );
}

export function addImageTagMirrorSet(mirror: MirrorOutputSource, options: MirrorSetOptions): ImageTagMirrorSet {
  const rules = mirror.rules.filter((r) => !r.pullByDigestOnly);
  if (rules.length === 0) {
    fail(
      at(mirror, 'mirrors'),
      'has no mirror for pulls by tag',
      mirror.rules.map((r) => r.source.repository),
      'set pullByDigestOnly: false on the mirrors whose images are pulled by tag',
    );
  }
  return clusterScoped(
    new ImageTagMirrorSet(outputScope(mirror, options.scope, 'ImageTagMirrorSet'), 'Resource', {
      metadata: { name: setName(mirror, options.name, 'addImageTagMirrorSet') },
      spec: {
        imageTagMirrors: rules.map((r) => ({
          source: r.source.repository,
          mirrors: r.mirrors.map((m) => m.repository),
          ...(r.neverContactSource
            ? { mirrorSourcePolicy: ImageTagMirrorSetSpecImageTagMirrorsMirrorSourcePolicy.NEVER_CONTACT_SOURCE }
            : {}),
        })),
      },
    }),
  );
}

export function addImageContentSourcePolicy(
  mirror: MirrorOutputSource,
  options: MirrorSetOptions,
): ImageContentSourcePolicy {
  const rules = requireRules(mirror, 'addImageContentSourcePolicy', mirror.rules);
  return clusterScoped(
    new ImageContentSourcePolicy(outputScope(mirror, options.scope, 'ImageContentSourcePolicy'), 'Resource', {
      metadata: { name: setName(mirror, options.name, 'addImageContentSourcePolicy') },
      spec: {
        repositoryDigestMirrors: rules.map((r) => ({
          source: r.source.repository,
          mirrors: r.mirrors.map((m) => m.repository),
        })),
      },
    }),
  );
}

export function imageContentSources(mirror: MirrorOutputSource): HostedClusterSpecImageContentSources[] {
  return mirror.rules.map((r) => ({ source: r.source.repository, mirrors: r.mirrors.map((m) => m.repository) }));
}

export function addCatalogSources(mirror: MirrorOutputSource, options: CatalogSourcesOptions): CatalogSource[] {
  const namespace = validateDns1123Label(
    options.namespace ?? 'openshift-marketplace',
    at(mirror, 'addCatalogSources.namespace'),
  );
  if (mirror.content.operators.length === 0) {
    fail(at(mirror, 'operators'), 'is empty', [], 'list the operator catalogs to mirror');
  }
  const names = mirror.content.operators.map((c) => c.catalogSourceName ?? defaultCatalogSourceName(c.image));
  checkUnique(names, (i) => child(child(at(mirror, 'operators'), i), 'catalogSourceName'), 'CatalogSource name');
  const scope = outputScope(mirror, options.scope, 'CatalogSources');
  return mirror.content.operators.map((c, i) => {
    const image = mirror.mirroredReference(c.image, child(child(at(mirror, 'operators'), i), 'catalog'));
    return new CatalogSource(scope, names[i], {
      metadata: { name: names[i], namespace },
      spec: { sourceType: 'grpc', image: image.toString(), ...(c.displayName ? { displayName: c.displayName } : {}) },
    });
  });
}

export function hostedClusterCatalogAnnotations(
  mirror: MirrorOutputSource,
  options: HostedClusterCatalogAnnotationsOptions,
  ruleFor: (ref: ImageReference) => MirrorRule | undefined,
): Record<string, string> {
  const pin = expectOptionalBoolean(
    options.pinCatalogImages,
    at(mirror, 'hostedClusterCatalogAnnotations.pinCatalogImages'),
  );
  if (mirror.content.operators.length === 0) {
    fail(at(mirror, 'operators'), 'is empty', [], 'list the operator catalogs to mirror');
  }
  const overrides: string[] = [];
  mirror.content.operators.forEach((c, i) => {
    if (c.image.registry.equals(mirror.registry)) return;
    const rule = ruleFor(c.image);
    if (!rule) mirror.mirroredReference(c.image, child(child(at(mirror, 'operators'), i), 'catalog'));
    const pair = `${rule!.source.repository}=${rule!.mirrors[0].repository}`;
    if (!overrides.includes(pair)) overrides.push(pair);
  });
  const annotations: Record<string, string> = {};
  if (overrides.length > 0) annotations[OLM_CATALOGS_REGISTRY_OVERRIDES_ANNOTATION] = overrides.join(',');
  if (pin) {
    const found = Object.keys(DEFAULT_CATALOGS).map((index) => {
      const i = mirror.content.operators.findIndex((c) => c.image.path.split('/').pop() === index);
      if (i < 0) {
        fail(
          at(mirror, 'operators'),
          `has no ${index} catalog`,
          mirror.content.operators.map((c) => c.image.toString()),
          `HyperShift takes the four default catalog images together; add ${index} (by digest) or drop pinCatalogImages`,
        );
      }
      return i;
    });
    Object.values(DEFAULT_CATALOGS).forEach((annotation, k) => {
      const i = found[k];
      const c = mirror.content.operators[i];
      const w = child(child(at(mirror, 'operators'), i), 'catalog');
      if (!c.image.isDigest) {
        fail(
          w,
          'is a tag, but pinned catalog images must be digests',
          c.image.toString(),
          'give the catalog by digest ("…@sha256:…"), as HyperShift refuses tags here',
        );
      }
      annotations[annotation] = mirror.mirroredReference(c.image, w).toString();
    });
  }
  return annotations;
}

export function requirePrivateCa(mirror: MirrorOutputSource, method: string): string {
  const pem = mirror.caPem;
  if (!pem) {
    fail(
      at(mirror, 'ca'),
      `has no private CA for ${method}()`,
      mirror.insecure ? 'insecure: true' : 'RegistryCa.publiclyTrusted()',
      `nodes already trust a public CA, so there is nothing to distribute; leave ${method}() out`,
    );
  }
  return pem;
}

export function requireRules(
  mirror: MirrorOutputSource,
  method: string,
  rules: readonly MirrorRule[],
): readonly MirrorRule[] {
  if (rules.length === 0)
    fail(at(mirror, 'mirrors'), `is empty, so ${method}() has nothing to write`, [], 'list at least one mirror');
  return rules;
}

export function setName(mirror: MirrorOutputSource, name: string | undefined, method: string): string {
  return validateDns1123Subdomain(name ?? mirror.name, at(mirror, `${method}.name`));
}

/**
 * A construct of its own for one kind of output: under the mirror, or (validated at synth)
 * in the scope the caller gave.
 */
export function outputScope(mirror: MirrorOutputSource, scope: Construct | undefined, id: string): Construct {
  const parent = scope ?? mirror;
  if (!Construct.isConstruct(parent)) {
    fail(at(mirror, `${id}.scope`), 'is not a construct', typeof parent, 'pass a Chart or another construct');
  }
  const cid = parent === mirror ? id : `${mirror.node.id}${id}`;
  if (parent.node.tryFindChild(cid)) {
    fail(
      at(mirror, id),
      'is already defined in this scope',
      parent.node.path || '<root>',
      'define it once, or pass another scope',
    );
  }
  const c = new Construct(parent, cid);
  if (parent !== mirror) validateOutput(c);
  return c;
}

/** Drops `metadata.namespace` that cdk8s copies from the chart onto a cluster-scoped object. */
function clusterScoped<T extends ApiObject>(obj: T): T {
  if (obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}

/** Refuses a key listed twice, naming the index of its first occurrence. */
export function checkUnique(keys: readonly string[], where: (i: number) => At, what: string): void {
  const seen = new Map<string, number>();
  keys.forEach((k, i) => {
    const first = seen.get(k);
    if (first !== undefined) fail(where(i), `repeats the ${what} at index ${first}`, k, `list each ${what} once`);
    seen.set(k, i);
  });
}
