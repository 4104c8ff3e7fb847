/** Label of a BareMetalHost naming its InfraEnv. */
const INFRAENV_LABEL = 'infraenvs.agent-install.openshift.io';

/** A synthesized Kubernetes object, as plain JSON. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Options of {@link findUnresolvedReferences}. */
export interface ReferenceCheckOptions {
  /**
   * Objects that exist outside the checked set, as `Kind/name` (or `Kind/namespace/name`),
   * for example `Secret/node1-bmc` for credentials created by a secret manager.
   * @default - none
   */
  readonly external?: string[];
}

interface Ref {
  readonly from: ManifestObject;
  readonly field: string;
  readonly kind: string;
  readonly apiVersion?: string;
  readonly name: unknown;
  /** Namespace of the target when the reference names one; else the referrer's; `null` for a cluster-scoped target. */
  readonly namespace?: string | null;
}

/**
 * Every name one object uses to point at another, resolved within `objects` (same namespace) or
 * against `options.external`; host selectors must match at least as many BareMetalHosts as the
 * machines that use them. Returns one line per problem, empty when all resolve.
 *
 * Covers: Cluster → control plane and infrastructure; RKE2ControlPlane → machine template;
 * Metal3MachineTemplate → Metal3DataTemplate and hosts; Metal3DataTemplate → Cluster;
 * BareMetalHost → credentials and network data Secrets, and its InfraEnv (label
 * `infraenvs.agent-install.openshift.io`); InfraEnv → pull secret, ClusterDeployment, mirror
 * ConfigMap, and NMStateConfigs (its selector must match one, and every labelled NMStateConfig
 * must be selected by an InfraEnv of its namespace); ClusterDeployment → pull secret and
 * AgentClusterInstall; AgentClusterInstall → ClusterDeployment, ClusterImageSet (cluster-scoped),
 * extra-manifest and mirror ConfigMaps.
 */
export function findUnresolvedReferences(
  objects: readonly ManifestObject[],
  options: ReferenceCheckOptions = {},
): string[] {
  const key = (kind: string, ns: string | undefined, name: unknown) => `${kind}/${ns ?? ''}/${String(name)}`;
  const present = new Map<string, ManifestObject>();
  for (const o of objects) present.set(key(o.kind, o.metadata.namespace, o.metadata.name), o);
  const external = new Set(
    (options.external ?? []).map((e) => {
      const parts = e.split('/');
      return parts.length === 3 ? key(parts[0], parts[1], parts[2]) : key(parts[0], undefined, parts[1]);
    }),
  );
  const resolves = (r: Ref) => {
    const ns = r.namespace === null ? undefined : (r.namespace ?? r.from.metadata.namespace);
    const target = present.get(key(r.kind, ns, r.name));
    if (target) return r.apiVersion === undefined || target.apiVersion === r.apiVersion;
    return external.has(key(r.kind, ns, r.name)) || external.has(key(r.kind, undefined, r.name));
  };

  const refs: Ref[] = [];
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
      case 'ClusterDeployment':
        if (s.pullSecretRef?.name)
          refs.push({ from: o, field: 'spec.pullSecretRef', kind: 'Secret', name: s.pullSecretRef.name });
        if (s.clusterInstallRef) {
          const { group, version, kind, name } = s.clusterInstallRef;
          refs.push({ from: o, field: 'spec.clusterInstallRef', kind, name, apiVersion: `${group}/${version}` });
        }
        break;
      case 'AgentClusterInstall':
        if (s.clusterDeploymentRef)
          refs.push({
            from: o,
            field: 'spec.clusterDeploymentRef',
            kind: 'ClusterDeployment',
            name: s.clusterDeploymentRef.name,
          });
        if (s.imageSetRef)
          refs.push({
            from: o,
            field: 'spec.imageSetRef',
            kind: 'ClusterImageSet',
            name: s.imageSetRef.name,
            namespace: null,
          });
        if (s.manifestsConfigMapRef)
          refs.push({
            from: o,
            field: 'spec.manifestsConfigMapRef',
            kind: 'ConfigMap',
            name: s.manifestsConfigMapRef.name,
          });
        (s.manifestsConfigMapRefs ?? []).forEach((r: { name: string }, i: number) =>
          refs.push({ from: o, field: `spec.manifestsConfigMapRefs[${i}]`, kind: 'ConfigMap', name: r.name }),
        );
        if (s.mirrorRegistryRef) {
          refs.push({
            from: o,
            field: 'spec.mirrorRegistryRef',
            kind: 'ConfigMap',
            name: s.mirrorRegistryRef.name,
            namespace: s.mirrorRegistryRef.namespace,
          });
        }
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
            field: `metadata.labels["${INFRAENV_LABEL}"]`,
            kind: 'InfraEnv',
            name: o.metadata.labels[INFRAENV_LABEL],
          });
        }
        break;
      case 'InfraEnv':
        if (s.pullSecretRef?.name)
          refs.push({ from: o, field: 'spec.pullSecretRef', kind: 'Secret', name: s.pullSecretRef.name });
        if (s.clusterRef?.name) {
          refs.push({
            from: o,
            field: 'spec.clusterRef',
            kind: 'ClusterDeployment',
            name: s.clusterRef.name,
            namespace: s.clusterRef.namespace,
          });
        }
        if (s.mirrorRegistryRef?.name) {
          refs.push({
            from: o,
            field: 'spec.mirrorRegistryRef',
            kind: 'ConfigMap',
            name: s.mirrorRegistryRef.name,
            namespace: s.mirrorRegistryRef.namespace,
          });
        }
        break;
    }
  }
  for (const r of refs) {
    if (!resolves(r)) {
      problems.push(
        `[${r.from.kind}/${r.from.metadata.name}] '${r.field}' names ${r.kind}/${String(r.name)}, which is neither emitted nor declared external`,
      );
    }
  }

  const matches = (selector: Record<string, string>, target: ManifestObject) =>
    Object.entries(selector).every(([k, v]) => target.metadata.labels?.[k] === v);
  const nmStateConfigs = objects.filter((o) => o.kind === 'NMStateConfig');
  const infraEnvs = objects.filter((o) => o.kind === 'InfraEnv');
  for (const o of infraEnvs) {
    const selector: Record<string, string> | undefined = o.spec?.nmStateConfigLabelSelector?.matchLabels;
    if (!selector) continue;
    if (!nmStateConfigs.some((c) => c.metadata.namespace === o.metadata.namespace && matches(selector, c))) {
      problems.push(
        `[InfraEnv/${o.metadata.name}] 'spec.nmStateConfigLabelSelector' matches no NMStateConfig in its namespace`,
      );
    }
  }
  for (const c of nmStateConfigs) {
    const selected = infraEnvs.some((o) => {
      const selector = o.spec?.nmStateConfigLabelSelector?.matchLabels;
      return selector && o.metadata.namespace === c.metadata.namespace && matches(selector, c);
    });
    if (!selected) {
      problems.push(
        `[NMStateConfig/${c.metadata.name}] is selected by no InfraEnv's nmStateConfigLabelSelector in its namespace`,
      );
    }
  }

  const hosts = objects.filter((o) => o.kind === 'BareMetalHost');
  for (const o of objects.filter((x) => x.kind === 'Metal3MachineTemplate')) {
    const selector: Record<string, string> = o.spec?.template?.spec?.hostSelector?.matchLabels ?? {};
    const matching = hosts.filter(
      (h) =>
        h.metadata.namespace === o.metadata.namespace &&
        Object.entries(selector).every(([k, v]) => h.metadata.labels?.[k] === v),
    );
    const needed = replicasOfTemplate.get(key(o.kind, o.metadata.namespace, o.metadata.name)) ?? 0;
    if (matching.length < needed) {
      problems.push(
        `[Metal3MachineTemplate/${o.metadata.name}] 'spec.template.spec.hostSelector' matches ${matching.length} BareMetalHost(s) but ${needed} machine(s) use it`,
      );
    }
  }
  return problems;
}
