/** Prefix of BareMetalHost annotations that become labels of its Agent. */
const AGENT_LABEL_PREFIX = 'bmac.agent-install.openshift.io.agent-label.';

/** Label of a BareMetalHost naming its InfraEnv. */
const INFRAENV_LABEL = 'infraenvs.agent-install.openshift.io';

/** Annotation of the AgentServiceConfig naming a ConfigMap of extra settings. */
const ASSISTED_CONFIGMAP_ANNOTATION = 'unsupported.agent-install.openshift.io/assisted-service-configmap';

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
  /** Namespace of the target, when the reference names one; else the referrer's. */
  readonly namespace?: string;
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
 * must be selected by an InfraEnv of its namespace); HostedCluster → pull secret, SSH key,
 * encryption keys and trust bundle; NodePool → HostedCluster and config ConfigMaps, and on the
 * Agent platform at least `replicas` hosts matching its agent selector; AgentServiceConfig →
 * mirror and settings ConfigMaps.
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
    const ns = r.namespace ?? r.from.metadata.namespace;
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
      case 'HostedCluster': {
        const secret = (field: string, name: unknown) => {
          if (name) refs.push({ from: o, field, kind: 'Secret', name });
        };
        secret('spec.pullSecret', s.pullSecret?.name);
        secret('spec.sshKey', s.sshKey?.name);
        secret('spec.secretEncryption.aescbc.activeKey', s.secretEncryption?.aescbc?.activeKey?.name);
        secret('spec.secretEncryption.aescbc.backupKey', s.secretEncryption?.aescbc?.backupKey?.name);
        if (s.additionalTrustBundle?.name) {
          refs.push({
            from: o,
            field: 'spec.additionalTrustBundle',
            kind: 'ConfigMap',
            name: s.additionalTrustBundle.name,
          });
        }
        break;
      }
      case 'NodePool':
        refs.push({ from: o, field: 'spec.clusterName', kind: 'HostedCluster', name: s.clusterName });
        (s.config ?? []).forEach((c: { name?: string }, i: number) =>
          refs.push({ from: o, field: `spec.config[${i}]`, kind: 'ConfigMap', name: c.name }),
        );
        break;
      case 'AgentServiceConfig': {
        // Cluster-scoped; its ConfigMaps live in the Assisted Service namespace.
        const anyNamespace = (field: string, name: unknown) => {
          if (!name) return;
          const found = objects.some((x) => x.kind === 'ConfigMap' && x.metadata.name === name);
          const declared = [...external].some((e) => e.startsWith('ConfigMap/') && e.endsWith(`/${String(name)}`));
          if (!found && !declared) {
            problems.push(
              `[AgentServiceConfig/${o.metadata.name}] '${field}' names ConfigMap/${String(name)}, which is neither emitted nor declared external`,
            );
          }
        };
        anyNamespace('spec.mirrorRegistryRef', s.mirrorRegistryRef?.name);
        anyNamespace(
          `metadata.annotations["${ASSISTED_CONFIGMAP_ANNOTATION}"]`,
          (o.metadata as { annotations?: Record<string, string> }).annotations?.[ASSISTED_CONFIGMAP_ANNOTATION],
        );
        break;
      }
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

  // NodePools on the Agent platform: the Agents their selector matches (one per BareMetalHost of
  // the HostedCluster's agentNamespace, labelled by its InfraEnv, the InfraEnv's agentLabels and
  // its bmac agent-label annotations) must be at least the replicas.
  for (const pool of objects.filter((x) => x.kind === 'NodePool' && x.spec?.platform?.type === 'Agent')) {
    const hc = objects.find(
      (x) =>
        x.kind === 'HostedCluster' &&
        x.metadata.name === pool.spec.clusterName &&
        x.metadata.namespace === pool.metadata.namespace,
    );
    const agentNamespace: string | undefined = hc?.spec?.platform?.agent?.agentNamespace;
    if (!agentNamespace) continue;
    const selector: Record<string, string> = pool.spec.platform.agent?.agentLabelSelector?.matchLabels ?? {};
    const agents = objects
      .filter((h) => h.kind === 'BareMetalHost' && h.metadata.namespace === agentNamespace)
      .map((h) => agentLabelsOf(h, infraEnvs))
      .filter((labels) => labels && Object.entries(selector).every(([k, v]) => labels[k] === v));
    const replicas: number = pool.spec.replicas ?? 0;
    if (agents.length < replicas) {
      problems.push(
        `[NodePool/${pool.metadata.name}] 'spec.replicas' is ${replicas} but its agent selector matches ${agents.length} BareMetalHost(s) in ${agentNamespace}`,
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

/** The labels the Agent of an Agent-platform BareMetalHost gets; undefined for other hosts. */
function agentLabelsOf(host: ManifestObject, infraEnvs: readonly ManifestObject[]): Record<string, string> | undefined {
  const env = host.metadata.labels?.[INFRAENV_LABEL];
  if (env === undefined) return undefined;
  const infraEnv = infraEnvs.find((e) => e.metadata.name === env && e.metadata.namespace === host.metadata.namespace);
  const labels: Record<string, string> = { [INFRAENV_LABEL]: env, ...(infraEnv?.spec?.agentLabels ?? {}) };
  const annotations = (host.metadata as { annotations?: Record<string, string> }).annotations ?? {};
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(AGENT_LABEL_PREFIX)) labels[key.slice(AGENT_LABEL_PREFIX.length)] = value;
  }
  return labels;
}
