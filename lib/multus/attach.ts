import * as kplus from 'cdk8s-plus-29';
import { IConstruct } from 'constructs';
import { At, at, child, expectArray, expectObject, fail } from '../private/errors';
import { validateInterfaceName } from '../net/interface-name';

/** Pod annotation that lists the secondary networks Multus attaches. */
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

/** Node label the node affinity of node-bound attachments matches. */
export const NODE_HOSTNAME_LABEL = 'kubernetes.io/hostname';

/**
 * How many pods may use one attachment at a time:
 * - `shared`: any number (the plugin creates an interface per pod, the IPAM hands out addresses);
 * - `one-pod-per-node`: one per node (the plugin moves the node's one device into the pod);
 * - `one-pod`: one in the cluster (a fixed address, or the device of one named node).
 */
export type AttachmentExclusivity = 'shared' | 'one-pod-per-node' | 'one-pod';

/** A network a pod can be attached to: a NetworkAttachmentDefinition, emitted here or elsewhere. */
export interface INetworkAttachment extends IConstruct {
  /** Name of the NetworkAttachmentDefinition. */
  readonly name: string;
  /**
   * Namespace of the NetworkAttachmentDefinition.
   * @default - the namespace of the chart (or of `kubectl`)
   */
  readonly namespace?: string;
  /**
   * Node whose device or address the attachment uses; pods that use it must run there.
   * @default - not bound to a node
   */
  readonly nodeName?: string;
  /** How many pods may use the attachment at a time. */
  readonly exclusivity: AttachmentExclusivity;
}

/** An attachment and how it appears in the pod. */
export interface NetworkSelection {
  /** The attachment. */
  readonly network: INetworkAttachment;
  /**
   * Name of the interface in the pod (`<network>@<interface>` in the annotation).
   * @default - Multus names it: net1, net2, … in order
   */
  readonly interface?: string;
}

/** A workload of cdk8s-plus that runs pods. */
export type AttachableWorkload = kplus.Pod | kplus.Workload;

interface Selected {
  readonly network: INetworkAttachment;
  readonly interface?: string;
}

interface WorkloadState {
  readonly selections: Selected[];
  nodeName?: string;
}

const states = new WeakMap<AttachableWorkload, WorkloadState>();
const holders = new WeakMap<INetworkAttachment, AttachableWorkload>();

/**
 * Attaches secondary networks to a cdk8s-plus workload (`Pod`, `Deployment`, `StatefulSet`,
 * `DaemonSet`, `Job`): writes the `k8s.v1.cni.cncf.io/networks` annotation on its pods (in the order
 * given, after networks attached before), and, for an attachment bound to a node, a required node
 * affinity on `kubernetes.io/hostname`, as seed 004 requires for static host devices.
 *
 * Checked: every attachment bound to the same node; an attachment that one pod may hold (fixed
 * address, or a node's device) attached to one workload of one pod (a `Pod`, a `Deployment` or
 * `StatefulSet` with one replica, or a `DaemonSet` bound to one node), and no twice to a
 * workload; a node's device not shared by the replicas of a `Deployment` or `StatefulSet`;
 * interface names valid, unique and not `eth0`.
 *
 * @param workload the pod or workload
 * @param networks the attachments, each alone or with its interface name
 * @returns the annotation value written
 */
export function attachNetworks(
  workload: AttachableWorkload,
  networks: (INetworkAttachment | NetworkSelection)[],
): string {
  if (!(workload instanceof kplus.Pod) && !(workload instanceof kplus.Workload)) {
    fail(
      { path: 'attachNetworks', prop: 'workload' },
      'is not a cdk8s-plus Pod or workload',
      workload,
      'pass a kplus.Pod, Deployment, StatefulSet, DaemonSet or Job',
    );
  }
  const where = at(workload, 'networks');
  const list = expectArray<INetworkAttachment | NetworkSelection>(networks, where);
  if (list.length === 0) fail(where, 'must name at least one network', list, 'pass the attachments to add');
  let state = states.get(workload);
  if (!state) {
    state = { selections: [] };
    states.set(workload, state);
  }
  const podNamespace = workload.metadata.namespace;
  const added: Selected[] = [];
  list.forEach((entry, i) => {
    const w = child(where, i);
    const selection = toSelection(entry, w);
    const all = [...state!.selections, ...added];
    checkSelection(workload, selection, all, state!, w);
    added.push(selection);
  });

  for (const s of added) {
    state.selections.push(s);
    if (s.network.exclusivity === 'one-pod') holders.set(s.network, workload);
    if (s.network.nodeName !== undefined && state.nodeName === undefined) {
      state.nodeName = s.network.nodeName;
      workload.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is(NODE_HOSTNAME_LABEL, s.network.nodeName)));
    }
  }
  const value = state.selections.map((s) => reference(s, podNamespace)).join(',');
  workload.podMetadata.addAnnotation(NETWORKS_ANNOTATION, value);
  return value;
}

function toSelection(entry: INetworkAttachment | NetworkSelection, where: At): Selected {
  expectObject(entry, where, 'pass a NetworkAttachmentDefinition, or { network, interface }');
  const selection: Selected = 'network' in entry ? entry : { network: entry };
  const network = selection.network;
  const ok =
    typeof network === 'object' &&
    network !== null &&
    typeof network.name === 'string' &&
    typeof network.node === 'object' &&
    ['shared', 'one-pod-per-node', 'one-pod'].includes(network.exclusivity);
  if (!ok)
    fail(where, 'is not a network attachment', entry, 'pass a NetworkAttachmentDefinition or an SriovDeviceNetwork');
  if (selection.interface !== undefined) {
    const name = validateInterfaceName(selection.interface, child(where, 'interface'), 'net1');
    if (name === 'eth0') {
      fail(
        child(where, 'interface'),
        "is the name of the pod's primary interface",
        name,
        'pick another name, such as net1',
      );
    }
  }
  return selection;
}

function checkSelection(
  workload: AttachableWorkload,
  s: Selected,
  before: readonly Selected[],
  state: WorkloadState,
  where: At,
): void {
  const n = s.network;
  const label = `${n.namespace ? `${n.namespace}/` : ''}${n.name}`;
  if (s.interface !== undefined && before.some((b) => b.interface === s.interface)) {
    fail(
      child(where, 'interface'),
      'is already the name of another attached network',
      s.interface,
      'give each interface its own name',
    );
  }
  if (n.exclusivity !== 'shared' && before.some((b) => b.network === n)) {
    fail(where, 'is attached twice, but its device or address serves one interface', label, 'attach it once');
  }
  const bound = state.nodeName ?? before.find((b) => b.network.nodeName !== undefined)?.network.nodeName;
  if (n.nodeName !== undefined && bound !== undefined && bound !== n.nodeName) {
    fail(
      where,
      `is bound to node ${n.nodeName} but the workload is bound to node ${bound} by another attachment`,
      label,
      'attach only networks of one node to a workload',
    );
  }
  const replicas =
    workload instanceof kplus.Deployment
      ? (workload.replicas ?? 2)
      : workload instanceof kplus.StatefulSet
        ? (workload.replicas ?? 1)
        : 1;
  if (n.exclusivity !== 'shared' && replicas > 1) {
    fail(
      where,
      `serves one pod ${n.exclusivity === 'one-pod' ? 'in the cluster' : 'per node'} but the workload has ${replicas} replicas`,
      label,
      n.exclusivity === 'one-pod'
        ? 'set replicas: 1, or use an attachment per pod (PerNodeStaticNetwork, or whereabouts IPAM)'
        : 'set replicas: 1, or use a DaemonSet (one pod per node)',
    );
  }
  if (n.exclusivity === 'one-pod' && workload instanceof kplus.DaemonSet && n.nodeName === undefined) {
    fail(
      where,
      'serves one pod in the cluster but a DaemonSet runs one per node',
      label,
      'use a Pod or a one-replica Deployment, or an attachment per node',
    );
  }
  if (n.exclusivity === 'one-pod') {
    const holder = holders.get(n);
    if (holder && holder !== workload) {
      fail(
        where,
        `serves one pod but is already attached to [${holder.node.path}]`,
        label,
        'give each workload its own attachment (its own address or device)',
      );
    }
  }
}

function reference(s: Selected, podNamespace: string | undefined): string {
  const n = s.network;
  const prefix = n.namespace !== undefined && n.namespace !== podNamespace ? `${n.namespace}/` : '';
  return `${prefix}${n.name}${s.interface !== undefined ? `@${s.interface}` : ''}`;
}
