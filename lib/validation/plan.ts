import { DEFAULT_NAMESPACE, effectiveNamespace, objectIdentity, withEffectiveNamespace } from './object-identity';
import { isSensitiveValue } from './secret-safety';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** How a change to one object is judged. */
export type ChangeRisk = 'safe' | 'rejected' | 'disruptive';

/** What {@link FieldChange} holds in place of a value that may be secret. */
export const REDACTED = '<redacted>';

/** One field that differs between the old and the new object. */
export interface FieldChange {
  /** Dotted path, for example `spec.bmc.address`. */
  readonly path: string;
  /** Value in the old folder (`undefined` when the field is new; {@link REDACTED} when `redacted`). */
  readonly before: unknown;
  /** Value in the new folder (`undefined` when the field is gone; {@link REDACTED} when `redacted`). */
  readonly after: unknown;
  /**
   * The values may be secret (a Secret's data, a credential-looking key, an Ignition config,
   * secret material) and are not given.
   * @default false
   */
  readonly redacted?: boolean;
}

/** The change of one object between two synthesized folders. */
export interface ObjectChange {
  /** `Kind/namespace/name`. */
  readonly id: string;
  /** Whether the object is new, gone, or changed. */
  readonly action: 'add' | 'remove' | 'change';
  /** The changed fields (empty for added and removed objects). */
  readonly fields: FieldChange[];
  /** The most severe risk of the change. */
  readonly risk: ChangeRisk;
  /** What the controllers do with it, and what to do instead, for risky changes. */
  readonly advice: string[];
}

interface Rule {
  readonly kind: string;
  /** Field path prefixes this rule watches. */
  readonly paths: string[];
  readonly risk: ChangeRisk;
  readonly advice: string;
}

/** Changes the controllers reject or mishandle, with what to do instead. */
const RULES: Rule[] = [
  {
    kind: 'BareMetalHost',
    paths: ['spec.bootMACAddress'],
    risk: 'rejected',
    advice:
      'baremetal-operator refuses to change bootMACAddress once the host is registered; delete and re-register the host (deprovision it first)',
  },
  {
    kind: 'BareMetalHost',
    paths: ['spec.bmc.address'],
    risk: 'rejected',
    advice:
      'baremetal-operator refuses a new BMC address after registration; re-register the host, or only change the credentials Secret',
  },
  {
    kind: 'AgentClusterInstall',
    paths: ['spec.networking', 'spec.apiVIPs', 'spec.ingressVIPs', 'spec.platformType'],
    risk: 'rejected',
    advice:
      'networking of an installed cluster cannot change through AgentClusterInstall; it only applies before installation starts',
  },
  {
    kind: 'HostedCluster',
    paths: ['spec.platform', 'spec.networking'],
    risk: 'rejected',
    advice: 'HyperShift treats platform and networking as immutable; create a new HostedCluster and migrate workloads',
  },
  {
    kind: 'HostedCluster',
    paths: [
      'spec.controllerAvailabilityPolicy',
      'spec.dns.baseDomain',
      'spec.etcd',
      'spec.fips',
      'spec.olmCatalogPlacement',
      'spec.infraID',
      'spec.issuerURL',
    ],
    risk: 'rejected',
    advice:
      'the HostedCluster API refuses changes to availability policy, base domain, etcd storage, FIPS, OLM catalog placement, infra ID and issuer URL; create a new HostedCluster',
  },
  {
    kind: 'NodePool',
    paths: ['spec.arch', 'spec.platform.type'],
    risk: 'rejected',
    advice: 'the NodePool API refuses a new architecture or platform; add a new NodePool and scale this one down',
  },
  {
    kind: 'NodePool',
    paths: ['spec.release', 'spec.config', 'spec.tuningConfig'],
    risk: 'disruptive',
    advice:
      'every node of the pool is updated (InPlace: drained and rebooted one by one; Replace: re-provisioned); plan a maintenance window',
  },
  {
    kind: 'Cluster',
    paths: ['spec.clusterNetwork', 'spec.controlPlaneRef', 'spec.infrastructureRef'],
    risk: 'rejected',
    advice: 'Cluster API refuses changes to the cluster network and references of an existing Cluster',
  },
  {
    kind: 'Metal3Cluster',
    paths: ['spec.controlPlaneEndpoint'],
    risk: 'rejected',
    advice: 'the control-plane endpoint of a provisioned cluster cannot move; nodes and certificates use it',
  },
  {
    kind: 'Metal3MachineTemplate',
    paths: ['spec'],
    risk: 'rejected',
    advice:
      'machine templates are immutable: create a template with a new name and point the control plane or MachineDeployment at it to roll',
  },
  {
    kind: 'RKE2ControlPlane',
    paths: ['spec.version', 'spec.agentConfig', 'spec.serverConfig', 'spec.machineTemplate'],
    risk: 'disruptive',
    advice:
      'this rolls every control-plane machine (each host is re-provisioned when maxSurge is 0); plan a maintenance window',
  },
  {
    kind: 'MachineDeployment',
    paths: ['spec.template'],
    risk: 'disruptive',
    advice: 'this rolls every machine of the pool; hosts are re-provisioned',
  },
];

/** Options of {@link planChanges}. */
export interface PlanOptions {
  /**
   * Namespace of namespaced objects without `metadata.namespace`, as `kubectl apply -n` would use.
   * @default 'default'
   */
  readonly namespace?: string;
}

/** Counts of a plan, for its summary line. */
export interface PlanSummary {
  /** Objects added, removed or changed. */
  readonly differ: number;
  /** Changes a controller would reject. */
  readonly rejected: number;
  /** Changes that roll or deprovision machines. */
  readonly disruptive: number;
}

/** Counts of `changes` by risk. */
export function summarizePlan(changes: readonly ObjectChange[]): PlanSummary {
  const count = (r: ChangeRisk) => changes.filter((c) => c.risk === r).length;
  return { differ: changes.length, rejected: count('rejected'), disruptive: count('disruptive') };
}

const idOf = (o: any, namespace: string) => `${o.kind}/${effectiveNamespace(o, namespace) ?? ''}/${o.metadata?.name}`;

function diff(
  objects: { before: any; after: any },
  before: any,
  after: any,
  path: readonly string[],
  out: FieldChange[],
): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const isObj = (v: any) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      diff(objects, before[key], after[key], [...path, key], out);
    }
    return;
  }
  const redacted = isSensitiveValue(objects.before, path, before) || isSensitiveValue(objects.after, path, after);
  out.push(
    redacted
      ? {
          path: path.join('.'),
          before: before === undefined ? undefined : REDACTED,
          after: after === undefined ? undefined : REDACTED,
          redacted: true,
        }
      : { path: path.join('.'), before, after },
  );
}

/**
 * Compares two synthesized sets of objects (old and new) object by object and flags changes the
 * controllers reject or mishandle: BareMetalHost boot MAC and BMC address, AgentClusterInstall
 * networking, HostedCluster platform, networking and other immutable fields, NodePool
 * architecture (rejected) and release or config (rolling update), Cluster networks, immutable machine
 * templates, control-plane rollouts, and removing a host (its machine is deprovisioned, or a
 * provisioned host goes missing).
 *
 * Objects are matched by API group, kind, namespace and name (a namespaced object without
 * namespace is in `options.namespace`); each side must hold each object once (see
 * `findDuplicates`), else the last one wins. Values that may be secret are replaced by
 * {@link REDACTED}. The result is data: {@link formatPlan} renders it as text.
 */
export function planChanges(before: readonly any[], after: readonly any[], options: PlanOptions = {}): ObjectChange[] {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  // Compared as the API server stores them: a namespace left out is the apply namespace.
  const old = new Map(before.map((o) => [objectIdentity(o, namespace), withEffectiveNamespace(o, namespace)]));
  const next = new Map(after.map((o) => [objectIdentity(o, namespace), withEffectiveNamespace(o, namespace)]));
  const changes: ObjectChange[] = [];
  const ids = new Map<string, string>();
  for (const [key, o] of [...old, ...next]) ids.set(key, idOf(o, namespace));
  const keys = [...ids.keys()].sort((x, y) => {
    const a = ids.get(x)!;
    const b = ids.get(y)!;
    return a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0;
  });
  for (const key of keys) {
    const id = ids.get(key)!;
    const a = old.get(key);
    const b = next.get(key);
    if (!a) {
      changes.push({ id, action: 'add', fields: [], risk: 'safe', advice: [] });
      continue;
    }
    if (!b) {
      const host = a.kind === 'BareMetalHost';
      changes.push({
        id,
        action: 'remove',
        fields: [],
        risk: host || a.kind === 'Cluster' ? 'disruptive' : 'safe',
        advice: host
          ? [
              'removing a BareMetalHost that is still provisioned deprovisions (wipes) the server; scale its machines down first and let the host return to available',
            ]
          : a.kind === 'Cluster'
            ? ['removing the Cluster deletes every machine and deprovisions its hosts']
            : [],
      });
      continue;
    }
    const fields: FieldChange[] = [];
    diff({ before: a, after: b }, a, b, [], fields);
    if (fields.length === 0) continue;
    const advice: string[] = [];
    let risk: ChangeRisk = 'safe';
    for (const rule of RULES.filter((r) => r.kind === a.kind)) {
      if (fields.some((f) => rule.paths.some((p) => f.path === p || f.path.startsWith(`${p}.`)))) {
        advice.push(rule.advice);
        if (rule.risk === 'rejected' || risk === 'safe') risk = rule.risk;
      }
    }
    changes.push({ id, action: 'change', fields, risk, advice });
  }
  return changes;
}

/**
 * A readable report of `changes` (from {@link planChanges}): one block per object, risky ones
 * marked, and a summary line. Redacted values are shown as {@link REDACTED}.
 */
export function formatPlan(changes: readonly ObjectChange[]): string {
  const show = (v: unknown) => (v === undefined ? '(absent)' : v === REDACTED ? v : JSON.stringify(v).slice(0, 120));
  const lines: string[] = [];
  for (const c of changes) {
    const mark = c.risk === 'rejected' ? '!! ' : c.risk === 'disruptive' ? ' ! ' : '   ';
    lines.push(`${mark}${c.action.padEnd(6)} ${c.id}`);
    for (const f of c.fields) {
      const note = f.redacted ? ' (values not shown: they may be secret)' : '';
      lines.push(`         ${f.path}: ${show(f.before)} -> ${show(f.after)}${note}`);
    }
    for (const a of c.advice) lines.push(`         ${c.risk}: ${a}`);
  }
  const { differ, rejected, disruptive } = summarizePlan(changes);
  lines.push(`${differ} object(s) differ: ${rejected} rejected by a controller, ${disruptive} disruptive`);
  return lines.join('\n');
}
