import { shippedSchemas } from './schema-validator';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The namespace `kubectl apply` puts a namespaced object without `metadata.namespace` in, unless told otherwise. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Cluster-scoped kinds of Kubernetes itself, as `group/Kind` (`''` is the core group). Kinds of the
 * shipped CRD schemas take their scope from the CRD.
 */
const CLUSTER_SCOPED_CORE_KINDS: ReadonlySet<string> = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'node.k8s.io/RuntimeClass',
  'certificates.k8s.io/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);

let shippedClusterScoped: ReadonlySet<string> | undefined;

/** The API group of an `apiVersion`: `''` for the core group (`v1`), `metal3.io` for `metal3.io/v1alpha1`. */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Whether objects of `kind` in the group of `apiVersion` are cluster-scoped: core kinds such as
 * Namespace or ClusterRole, and the kinds whose shipped CRD says `scope: Cluster`. Any other kind
 * is taken as namespaced, as most custom resources are.
 */
export function isClusterScoped(apiVersion: unknown, kind: unknown): boolean {
  shippedClusterScoped ??= new Set(
    shippedSchemas()
      .filter((s) => s.scope === 'Cluster')
      .map((s) => `${apiGroup(s.apiVersion)}/${s.kind}`),
  );
  const key = `${apiGroup(apiVersion)}/${String(kind)}`;
  return CLUSTER_SCOPED_CORE_KINDS.has(key) || shippedClusterScoped.has(key);
}

/**
 * The namespace an object lands in when applied with `kubectl apply -n <namespace>`: its own
 * `metadata.namespace`, else `namespace`; `undefined` for a cluster-scoped object (which has none,
 * whatever its metadata says).
 */
export function effectiveNamespace(object: any, namespace: string = DEFAULT_NAMESPACE): string | undefined {
  if (isClusterScoped(object?.apiVersion, object?.kind)) return undefined;
  const own = object?.metadata?.namespace;
  return typeof own === 'string' && own !== '' ? own : namespace;
}

/**
 * `object` as the API server stores it when applied with `kubectl apply -n <namespace>`: a namespaced
 * object without `metadata.namespace` gets `namespace`; a cluster-scoped one loses any namespace.
 * Returns `object` itself when nothing changes, else a shallow copy with new metadata.
 */
export function withEffectiveNamespace<T>(object: T, namespace: string = DEFAULT_NAMESPACE): T {
  const o = object as any;
  if (o === null || typeof o !== 'object' || o.metadata === null || typeof o.metadata !== 'object') return object;
  const ns = effectiveNamespace(o, namespace);
  if (o.metadata.namespace === ns) return object;
  const metadata = { ...o.metadata };
  if (ns === undefined) delete metadata.namespace;
  else metadata.namespace = ns;
  return { ...o, metadata } as T;
}

/**
 * What makes an object one object on the API server: API group (not version), kind, namespace
 * and name. Two objects with the same identity in one set are the same object written twice.
 */
export function objectIdentity(object: any, namespace: string = DEFAULT_NAMESPACE): string {
  const ns = effectiveNamespace(object, namespace) ?? '';
  return `${apiGroup(object?.apiVersion)}\u0000${String(object?.kind)}\u0000${ns}\u0000${String(object?.metadata?.name)}`;
}

/** How an object is named in messages: `Kind/namespace/name`, or `Kind/name` when cluster-scoped. */
export function displayId(object: any, namespace: string = DEFAULT_NAMESPACE): string {
  const ns = effectiveNamespace(object, namespace);
  const group = apiGroup(object?.apiVersion);
  const kind = group === '' ? String(object?.kind) : `${String(object?.kind)}.${group}`;
  return ns === undefined
    ? `${kind}/${String(object?.metadata?.name)}`
    : `${kind}/${ns}/${String(object?.metadata?.name)}`;
}

/** One object written more than once. */
export interface Duplicate<T> {
  /** `Kind.group/namespace/name` of the object (see {@link displayId}). */
  readonly id: string;
  /** Where it is first written. */
  readonly first: T;
  /** Where it is written again. */
  readonly again: T;
}

/**
 * Objects written more than once in `objects` (same API group, kind, namespace and name, whatever
 * the version or the content), each repetition paired with the first; in input order.
 */
export function findDuplicates<T extends { readonly object: unknown }>(
  objects: readonly T[],
  namespace: string = DEFAULT_NAMESPACE,
): Duplicate<T>[] {
  const first = new Map<string, T>();
  const out: Duplicate<T>[] = [];
  for (const o of objects) {
    const key = objectIdentity(o.object, namespace);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, o);
    else out.push({ id: displayId(o.object, namespace), first: seen, again: o });
  }
  return out;
}
