import { ExternalPatterns } from './external-patterns';
import { DEFAULT_NAMESPACE, withEffectiveNamespace } from './object-identity';

/** A synthesized Kubernetes object, as plain JSON. */
export interface ManifestObject {
  /** `apiVersion` of the object. */
  readonly apiVersion: string;
  /** `kind` of the object. */
  readonly kind: string;
  /** Name, namespace, labels and annotations of the object. */
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  /**
   * The object's spec, when it has one.
   * @default - none
   */
  readonly spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Options of {@link findUnresolvedReferences}. */
export interface ReferenceCheckOptions {
  /**
   * Objects that exist outside the checked set, as `Kind/name` (or `Kind/namespace/name`), each
   * part a name or a pattern with `*` and `?` (see {@link ExternalPatterns}), for example
   * `Secret/*-bmc` for credentials created by a secret manager.
   * @default - none
   */
  readonly external?: string[] | ExternalPatterns;
  /**
   * Namespace of namespaced objects without `metadata.namespace`: the one `kubectl apply -n` would
   * put them in. Cluster-scoped objects have no namespace, whatever their metadata says.
   * @default 'default'
   */
  readonly namespace?: string;
}

interface Ref {
  readonly from: ManifestObject;
  readonly field: string;
  readonly kind: string;
  readonly apiVersion?: string;
  readonly name: unknown;
  /**
   * Namespace of the target when it is not the referring object's; `null` for cluster-scoped
   * targets, {@link ANY_NAMESPACE} when any namespace will do.
   */
  readonly namespace?: string | null;
}

/** A target namespace that the manifests do not fix (the namespace an operator runs in). */
const ANY_NAMESPACE = '*';

/** Label an InfraEnv's agents carry, and that links a BareMetalHost to its InfraEnv. */
const INFRAENV_LABEL = 'infraenvs.agent-install.openshift.io';
/** Prefix of BareMetalHost annotations that become labels of the host's Agent. */
const AGENT_LABEL_ANNOTATION_PREFIX = 'bmac.agent-install.openshift.io.agent-label.';
/** Annotation of an AgentServiceConfig naming a ConfigMap of unsupported assisted-service settings. */
const ASSISTED_CONFIGMAP_ANNOTATION = 'unsupported.agent-install.openshift.io/assisted-service-configmap';

function isRecord(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `value` when it is a list, else an empty one (the schema check reports a wrong type). */
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `objects` grouped by namespace (`undefined` for cluster-scoped ones), in input order. */
function byNamespace(objects: readonly ManifestObject[]): Map<string | undefined, ManifestObject[]> {
  const out = new Map<string | undefined, ManifestObject[]>();
  for (const o of objects) {
    const list = out.get(o.metadata.namespace) ?? [];
    list.push(o);
    out.set(o.metadata.namespace, list);
  }
  return out;
}

function matches(labels: Record<string, string> | undefined, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * Every name one object uses to point at another, resolved within `objects` (same namespace; a
 * namespaced object without one is in `options.namespace`) or against `options.external`; host selectors must match at least as many BareMetalHosts as the
 * machines that use them. Returns one line per problem, empty when all resolve.
 *
 * Covers: Cluster → control plane and infrastructure; RKE2ControlPlane → machine template;
 * Metal3MachineTemplate → Metal3DataTemplate and hosts; Metal3DataTemplate → Cluster;
 * BareMetalHost → credentials and network data Secrets. OpenShift: HostedCluster → pull secret, SSH
 * key, etcd encryption keys, trust bundle, agent namespace; NodePool → HostedCluster, config
 * ConfigMaps, and an agent selector matched by at least `replicas` hosts; InfraEnv → pull secret,
 * ClusterDeployment, mirror ConfigMap, NMStateConfigs; agent BareMetalHost → InfraEnv; NMStateConfig → an InfraEnv
 * that selects it; ClusterDeployment → pull secret and AgentClusterInstall; AgentClusterInstall →
 * ClusterImageSet, ClusterDeployment, manifest and mirror ConfigMaps; AgentServiceConfig → mirror
 * and unsupported-settings ConfigMaps. An ExternalSecret provides the Secret it targets.
 */
export function findUnresolvedReferences(
  given: readonly ManifestObject[],
  options: ReferenceCheckOptions = {},
): string[] {
  // An object without a metadata object has no name to refer to: the schema check reports it.
  const objects = given
    .filter((o) => isRecord(o) && isRecord((o as { metadata?: unknown }).metadata))
    .map((o) => withEffectiveNamespace(o, options.namespace ?? DEFAULT_NAMESPACE));
  const key = (kind: string, ns: string | undefined, name: unknown) => `${kind}/${ns ?? ''}/${String(name)}`;
  const present = new Map<string, ManifestObject>();
  for (const o of objects) {
    present.set(key(o.kind, o.metadata.namespace, o.metadata.name), o);
    // The External Secrets Operator creates the target Secret of an ExternalSecret (by default named as it).
    if (o.kind === 'ExternalSecret' && o.apiVersion?.startsWith('external-secrets.io/')) {
      const target = (o.spec as { target?: { name?: string } } | undefined)?.target?.name ?? o.metadata.name;
      present.set(key('Secret', o.metadata.namespace, target), { ...o, apiVersion: 'v1', kind: 'Secret' });
    }
  }
  const external =
    options.external instanceof ExternalPatterns ? options.external : new ExternalPatterns(options.external ?? []);
  const kindNames = new Set(objects.map((o) => `${o.kind}\u0000${String(o.metadata.name)}`));
  const resolves = (r: Ref) => {
    if (r.namespace === ANY_NAMESPACE) {
      return kindNames.has(`${r.kind}\u0000${String(r.name)}`) || external.matches(r.kind, undefined, r.name, true);
    }
    const ns = r.namespace === null ? undefined : (r.namespace ?? r.from.metadata.namespace);
    const target = present.get(key(r.kind, ns, r.name));
    if (target) return r.apiVersion === undefined || target.apiVersion === r.apiVersion;
    return external.matches(r.kind, ns, r.name);
  };

  const refs: Ref[] = [];
  /** `spec.mirrorRegistryRef` of an InfraEnv or AgentClusterInstall: a ConfigMap, in its own namespace when given. */
  const mirrorRegistryRef = (o: ManifestObject) => {
    const ref = o.spec?.mirrorRegistryRef;
    if (ref?.name === undefined) return;
    refs.push({
      from: o,
      field: 'spec.mirrorRegistryRef.name',
      kind: 'ConfigMap',
      name: ref.name,
      namespace: ref.namespace,
    });
  };
  const problems: string[] = [];
  const replicasOfTemplate = new Map<string, number>();
  for (const o of objects) {
    const s = o.spec ?? {};
    switch (o.kind) {
      case 'Cluster':
        for (const field of ['controlPlaneRef', 'infrastructureRef']) {
          if (s[field]) refs.push({ from: o, field: `spec.${field}`, ...s[field] });
        }
        break;
      case 'RKE2ControlPlane': {
        const ref = s.machineTemplate?.infrastructureRef ?? s.infrastructureRef;
        if (ref) {
          refs.push({ from: o, field: 'spec.machineTemplate.infrastructureRef', ...ref });
          replicasOfTemplate.set(key(ref.kind, o.metadata.namespace, ref.name), s.replicas ?? 1);
        }
        break;
      }
      case 'MachineDeployment': {
        const ref = s.template?.spec?.infrastructureRef;
        if (ref) {
          refs.push({ from: o, field: 'spec.template.spec.infrastructureRef', ...ref });
          const k = key(ref.kind, o.metadata.namespace, ref.name);
          replicasOfTemplate.set(k, (replicasOfTemplate.get(k) ?? 0) + (s.replicas ?? 1));
        }
        const boot = s.template?.spec?.bootstrap?.configRef;
        if (boot) refs.push({ from: o, field: 'spec.template.spec.bootstrap.configRef', ...boot });
        break;
      }
      case 'Metal3MachineTemplate': {
        const dt = s.template?.spec?.dataTemplate;
        if (dt)
          refs.push({ from: o, field: 'spec.template.spec.dataTemplate', kind: 'Metal3DataTemplate', name: dt.name });
        break;
      }
      case 'Metal3DataTemplate':
        refs.push({ from: o, field: 'spec.clusterName', kind: 'Cluster', name: s.clusterName });
        break;
      case 'BareMetalHost':
        if (s.bmc?.credentialsName)
          refs.push({ from: o, field: 'spec.bmc.credentialsName', kind: 'Secret', name: s.bmc.credentialsName });
        if (s.preprovisioningNetworkDataName) {
          refs.push({
            from: o,
            field: 'spec.preprovisioningNetworkDataName',
            kind: 'Secret',
            name: s.preprovisioningNetworkDataName,
          });
        }
        if (o.metadata.labels?.[INFRAENV_LABEL] !== undefined) {
          refs.push({
            from: o,
            field: `metadata.labels['${INFRAENV_LABEL}']`,
            kind: 'InfraEnv',
            name: o.metadata.labels[INFRAENV_LABEL],
          });
        }
        break;
      case 'HostedCluster': {
        const secret = (field: string, name: unknown) => {
          if (name !== undefined) refs.push({ from: o, field, kind: 'Secret', name });
        };
        secret('spec.pullSecret.name', s.pullSecret?.name);
        secret('spec.sshKey.name', s.sshKey?.name);
        secret('spec.secretEncryption.aescbc.activeKey.name', s.secretEncryption?.aescbc?.activeKey?.name);
        secret('spec.secretEncryption.aescbc.backupKey.name', s.secretEncryption?.aescbc?.backupKey?.name);
        if (s.additionalTrustBundle?.name !== undefined) {
          refs.push({
            from: o,
            field: 'spec.additionalTrustBundle.name',
            kind: 'ConfigMap',
            name: s.additionalTrustBundle.name,
          });
        }
        if (s.platform?.agent?.agentNamespace !== undefined) {
          refs.push({
            from: o,
            field: 'spec.platform.agent.agentNamespace',
            kind: 'Namespace',
            name: s.platform.agent.agentNamespace,
            namespace: null,
          });
        }
        break;
      }
      case 'NodePool':
        refs.push({ from: o, field: 'spec.clusterName', kind: 'HostedCluster', name: s.clusterName });
        for (const [i, c] of (list(s.config) as { name?: string }[]).entries()) {
          refs.push({ from: o, field: `spec.config[${i}].name`, kind: 'ConfigMap', name: c.name });
        }
        break;
      case 'InfraEnv':
        if (s.pullSecretRef?.name !== undefined) {
          refs.push({ from: o, field: 'spec.pullSecretRef.name', kind: 'Secret', name: s.pullSecretRef.name });
        }
        if (s.clusterRef?.name !== undefined) {
          refs.push({
            from: o,
            field: 'spec.clusterRef',
            kind: 'ClusterDeployment',
            name: s.clusterRef.name,
            namespace: s.clusterRef.namespace,
          });
        }
        mirrorRegistryRef(o);
        break;
      case 'ClusterDeployment':
        if (s.pullSecretRef?.name !== undefined) {
          refs.push({ from: o, field: 'spec.pullSecretRef.name', kind: 'Secret', name: s.pullSecretRef.name });
        }
        if (s.clusterInstallRef?.name !== undefined) {
          const { group, version, kind, name } = s.clusterInstallRef;
          refs.push({
            from: o,
            field: 'spec.clusterInstallRef',
            kind: kind ?? 'AgentClusterInstall',
            name,
            ...(group !== undefined && version !== undefined ? { apiVersion: `${group}/${version}` } : {}),
          });
        }
        break;
      case 'AgentClusterInstall': {
        if (s.imageSetRef?.name !== undefined) {
          refs.push({
            from: o,
            field: 'spec.imageSetRef.name',
            kind: 'ClusterImageSet',
            name: s.imageSetRef.name,
            namespace: null,
          });
        }
        if (s.clusterDeploymentRef?.name !== undefined) {
          refs.push({
            from: o,
            field: 'spec.clusterDeploymentRef.name',
            kind: 'ClusterDeployment',
            name: s.clusterDeploymentRef.name,
          });
        }
        if (s.manifestsConfigMapRef?.name !== undefined) {
          refs.push({
            from: o,
            field: 'spec.manifestsConfigMapRef.name',
            kind: 'ConfigMap',
            name: s.manifestsConfigMapRef.name,
          });
        }
        for (const [i, c] of (list(s.manifestsConfigMapRefs) as { name?: string }[]).entries()) {
          refs.push({ from: o, field: `spec.manifestsConfigMapRefs[${i}].name`, kind: 'ConfigMap', name: c.name });
        }
        mirrorRegistryRef(o);
        break;
      }
      case 'AgentServiceConfig': {
        // Cluster-scoped; its ConfigMaps live in the namespace assisted-service runs in, so any namespace will do.
        const configMap = (field: string, name: unknown) => {
          if (name !== undefined) refs.push({ from: o, field, kind: 'ConfigMap', name, namespace: ANY_NAMESPACE });
        };
        configMap('spec.mirrorRegistryRef.name', s.mirrorRegistryRef?.name);
        configMap(
          `metadata.annotations['${ASSISTED_CONFIGMAP_ANNOTATION}']`,
          o.metadata.annotations?.[ASSISTED_CONFIGMAP_ANNOTATION],
        );
        break;
      }
    }
  }
  for (const r of refs) {
    if (!resolves(r)) {
      problems.push(
        `[${r.from.kind}/${r.from.metadata.name}] '${r.field}' names ${r.kind}/${String(r.name)}, which is neither emitted nor declared external`,
      );
    }
  }

  const hosts = byNamespace(objects.filter((o) => o.kind === 'BareMetalHost'));
  for (const o of objects.filter((x) => x.kind === 'Metal3MachineTemplate')) {
    const selector: Record<string, string> = o.spec?.template?.spec?.hostSelector?.matchLabels ?? {};
    const matching = (hosts.get(o.metadata.namespace) ?? []).filter((h) =>
      Object.entries(selector).every(([k, v]) => h.metadata.labels?.[k] === v),
    );
    const needed = replicasOfTemplate.get(key(o.kind, o.metadata.namespace, o.metadata.name)) ?? 0;
    if (matching.length < needed) {
      problems.push(
        `[Metal3MachineTemplate/${o.metadata.name}] 'spec.template.spec.hostSelector' matches ${matching.length} BareMetalHost(s) but ${needed} machine(s) use it`,
      );
    }
  }

  // Agent platform: NMStateConfigs an InfraEnv selects, and the hosts a NodePool's agent selector needs.
  const infraEnvs = objects.filter((o) => o.kind === 'InfraEnv');
  const infraEnvsByNs = byNamespace(infraEnvs);
  const nmStateConfigs = objects.filter((o) => o.kind === 'NMStateConfig');
  const nmStateConfigsByNs = byNamespace(nmStateConfigs);
  for (const o of infraEnvs) {
    const selector: Record<string, string> | undefined = o.spec?.nmStateConfigLabelSelector?.matchLabels;
    if (selector === undefined || Object.keys(selector).length === 0) continue;
    const selected = (nmStateConfigsByNs.get(o.metadata.namespace) ?? []).filter((c) =>
      matches(c.metadata.labels, selector),
    );
    if (selected.length === 0) {
      problems.push(
        `[InfraEnv/${o.metadata.name}] 'spec.nmStateConfigLabelSelector' matches no NMStateConfig in namespace ${String(o.metadata.namespace)}`,
      );
    }
  }
  for (const c of nmStateConfigs) {
    const selectedBy = (infraEnvsByNs.get(c.metadata.namespace) ?? []).some((e) => {
      const selector: Record<string, string> | undefined = e.spec?.nmStateConfigLabelSelector?.matchLabels;
      return selector !== undefined && Object.keys(selector).length > 0 && matches(c.metadata.labels, selector);
    });
    if (!selectedBy) {
      problems.push(
        `[NMStateConfig/${c.metadata.name}] no InfraEnv in namespace ${String(c.metadata.namespace)} selects it with 'spec.nmStateConfigLabelSelector'`,
      );
    }
  }
  const agentLabels = (h: ManifestObject): Record<string, string> => {
    const labels: Record<string, string> = {};
    const infraEnvName = h.metadata.labels?.[INFRAENV_LABEL];
    if (infraEnvName !== undefined) {
      const env = (infraEnvsByNs.get(h.metadata.namespace) ?? []).find((e) => e.metadata.name === infraEnvName);
      Object.assign(labels, env?.spec?.agentLabels ?? {});
      labels[INFRAENV_LABEL] = infraEnvName;
    }
    for (const [k, v] of Object.entries(h.metadata.annotations ?? {})) {
      if (k.startsWith(AGENT_LABEL_ANNOTATION_PREFIX)) labels[k.slice(AGENT_LABEL_ANNOTATION_PREFIX.length)] = v;
    }
    return labels;
  };
  for (const o of objects.filter((x) => x.kind === 'NodePool')) {
    const hosted = present.get(key('HostedCluster', o.metadata.namespace, o.spec?.clusterName));
    const agentNamespace: string | undefined = hosted?.spec?.platform?.agent?.agentNamespace;
    const agentSpec = o.spec?.platform?.agent;
    if (agentNamespace === undefined || agentSpec === undefined) continue;
    const selector: Record<string, string> = agentSpec.agentLabelSelector?.matchLabels ?? {};
    const offered = (hosts.get(agentNamespace) ?? []).filter(
      (h) => h.metadata.labels?.[INFRAENV_LABEL] !== undefined && matches(agentLabels(h), selector),
    ).length;
    const needed: number = o.spec?.replicas ?? 0;
    if (offered < needed) {
      problems.push(
        `[NodePool/${o.metadata.name}] 'spec.replicas' is ${needed} but 'spec.platform.agent.agentLabelSelector' matches ${offered} agent BareMetalHost(s) in namespace ${agentNamespace}`,
      );
    }
  }
  return problems;
}

/** The parts of `spec` {@link findUnresolvedReferences} reads, by kind (`true`: the whole spec). */
const REFERENCE_SPEC: Readonly<Record<string, true | readonly string[]>> = {
  Cluster: ['controlPlaneRef', 'infrastructureRef'],
  RKE2ControlPlane: ['machineTemplate', 'infrastructureRef', 'replicas'],
  MachineDeployment: ['template', 'replicas'],
  Metal3MachineTemplate: ['template'],
  Metal3DataTemplate: ['clusterName'],
  BareMetalHost: ['bmc', 'preprovisioningNetworkDataName'],
  ExternalSecret: ['target'],
  HostedCluster: true,
  NodePool: true,
  InfraEnv: true,
  ClusterDeployment: true,
  AgentClusterInstall: true,
  AgentServiceConfig: true,
};

/**
 * The part of `object` that {@link findUnresolvedReferences} reads: apiVersion, kind, metadata
 * name, namespace, labels and annotations, and the spec fields of the kinds that refer to others.
 * A fleet's checks keep these compact views of every object instead of the objects themselves;
 * `findUnresolvedReferences(objects)` and `findUnresolvedReferences(objects.map(referenceView))`
 * give the same result.
 */
export function referenceView(object: unknown): unknown {
  if (!isRecord(object)) return object;
  const o = object as Record<string, unknown>;
  const view: Record<string, unknown> = { apiVersion: o.apiVersion, kind: o.kind };
  const m = o.metadata;
  if (isRecord(m)) {
    const md = m as Record<string, unknown>;
    view.metadata = {
      name: md.name,
      ...(md.namespace !== undefined ? { namespace: md.namespace } : {}),
      ...(md.labels !== undefined ? { labels: md.labels } : {}),
      ...(md.annotations !== undefined ? { annotations: md.annotations } : {}),
    };
  } else view.metadata = m;
  const keep = typeof o.kind === 'string' && Object.hasOwn(REFERENCE_SPEC, o.kind) ? REFERENCE_SPEC[o.kind] : undefined;
  if (keep === true || (keep !== undefined && !isRecord(o.spec))) view.spec = o.spec;
  else if (keep !== undefined) {
    const spec = o.spec as Record<string, unknown>;
    view.spec = Object.fromEntries(keep.filter((k) => Object.hasOwn(spec, k)).map((k) => [k, spec[k]]));
  }
  return view;
}

/**
 * Kinds whose references or selectors can reach objects in another namespace or cluster-scoped
 * objects: the agent platform's (a NodePool counts hosts in its HostedCluster's agent namespace, an
 * AgentClusterInstall names a ClusterImageSet, an AgentServiceConfig's ConfigMaps may be in any
 * namespace, an InfraEnv names a ClusterDeployment by namespace). An InfraEnv's NMStateConfigs
 * are matched in its own namespace.
 */
const CROSS_NAMESPACE_KINDS: ReadonlySet<string> = new Set([
  'HostedCluster',
  'NodePool',
  'InfraEnv',
  'ClusterDeployment',
  'AgentClusterInstall',
  'AgentServiceConfig',
]);

/** Whether `value` has a key `namespace` at any depth (references copied as they are may name one). */
function namesNamespace(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth > 8) return depth > 8;
  if (!Array.isArray(value) && Object.hasOwn(value, 'namespace')) return true;
  return Object.values(value).some((v) => namesNamespace(v, depth + 1));
}

/**
 * Whether the reference checks of `view` (an object or its {@link referenceView}) may involve
 * objects outside its own namespace: one of the agent platform's kinds (HostedCluster, NodePool,
 * InfraEnv, ClusterDeployment, AgentClusterInstall, AgentServiceConfig), or a reference that names
 * a namespace. Every other object's references and host selectors resolve within its namespace, so
 * for a set of objects none of which crosses namespaces, {@link findUnresolvedReferences} of the
 * set gives the problems of its namespaces' subsets together (what `validate --changed` relies on
 * to re-check only the namespaces a change touches).
 */
export function crossesNamespaces(view: unknown): boolean {
  if (!isRecord(view)) return false;
  const o = view as { apiVersion?: unknown; kind?: unknown; spec?: unknown };
  if (typeof o.kind !== 'string' || !Object.hasOwn(REFERENCE_SPEC, o.kind)) return false;
  // Every other kind that refers to others is namespaced, so its references start in its namespace.
  return CROSS_NAMESPACE_KINDS.has(o.kind) || namesNamespace(o.spec);
}
