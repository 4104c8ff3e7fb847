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
}

/**
 * Every name one object uses to point at another, resolved within `objects` (same namespace) or
 * against `options.external`; host selectors must match at least as many BareMetalHosts as the
 * machines that use them. Returns one line per problem, empty when all resolve.
 *
 * Covers: Cluster → control plane and infrastructure; RKE2ControlPlane → machine template;
 * Metal3MachineTemplate → Metal3DataTemplate and hosts; Metal3DataTemplate → Cluster;
 * BareMetalHost → credentials and network data Secrets.
 */
export function findUnresolvedReferences(
  objects: readonly ManifestObject[],
  options: ReferenceCheckOptions = {},
): string[] {
  const key = (kind: string, ns: string | undefined, name: unknown) => `${kind}/${ns ?? ''}/${String(name)}`;
  const present = new Map<string, ManifestObject>();
  for (const o of objects) {
    present.set(key(o.kind, o.metadata.namespace, o.metadata.name), o);
    // The External Secrets Operator creates the target Secret of an ExternalSecret (by default named as it).
    if (o.kind === 'ExternalSecret' && o.apiVersion?.startsWith('external-secrets.io/')) {
      const target = o.spec?.target?.name ?? o.metadata.name;
      present.set(key('Secret', o.metadata.namespace, target), o);
    }
  }
  const external = new Set(
    (options.external ?? []).map((e) => {
      const parts = e.split('/');
      return parts.length === 3 ? key(parts[0], parts[1], parts[2]) : key(parts[0], undefined, parts[1]);
    }),
  );
  const resolves = (r: Ref) => {
    const ns = r.from.metadata.namespace;
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
