import { Construct } from 'constructs';
import { Cidr } from '../net/cidr';
import { IpAddress } from '../net/ip-address';
import { validateDns1123Subdomain } from '../net/dns';
import { At, at, child, expectArray, expectObject, fail } from '../private/errors';
import { AttachmentPlugin } from './attachment-plugin';
import { parseInterfaceAddress } from './internal';
import { Ipam, IpamDns, IpamRoute, StaticIpamAddress } from './ipam';
import { CniVersion, NetworkAttachmentDefinition } from './network-attachment-definition';

/** One node of a {@link PerNodeStaticNetwork}. */
export interface NodeStaticAttachment {
  /** Name of the Kubernetes node (its `kubernetes.io/hostname` label). */
  readonly nodeName: string;
  /** The node's addresses on the network, with prefix length, for example `10.0.10.93/24`; one per family. */
  readonly addresses: string[];
  /**
   * Name of this node's NetworkAttachmentDefinition.
   * @default - `<name>-<nodeName>`
   */
  readonly attachmentName?: string;
}

/** Props of {@link PerNodeStaticNetwork}. */
export interface PerNodeStaticNetworkProps {
  /** Name of the network; prefix of the attachment names. DNS-1123 subdomain. */
  readonly name: string;
  /**
   * Namespace of the NetworkAttachmentDefinitions.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The plugin every node uses, typically `AttachmentPlugin.hostDevice({ device: 'ens5' })`. */
  readonly plugin: AttachmentPlugin;
  /** The nodes, each with its own address, at least one. */
  readonly nodes: NodeStaticAttachment[];
  /**
   * Gateways, at most one per family, written on each node's address of that family. The
   * unspecified address (`0.0.0.0`) marks an on-link network, as in seed 004.
   * @default - no gateway
   */
  readonly gateways?: string[];
  /**
   * Routes, the same on every node.
   * @default - none
   */
  readonly routes?: IpamRoute[];
  /**
   * DNS settings, the same on every node.
   * @default - none
   */
  readonly dns?: IpamDns;
  /**
   * CNI specification version of the configs.
   * @default DEFAULT_CNI_VERSION ('0.3.1')
   */
  readonly cniVersion?: CniVersion;
}

/**
 * One network reached through a device on each node, with a fixed address per node (seed 004: the
 * secondary VNIC `ens5` of each VM, passed through as an SR-IOV VF, keeps the address the cloud
 * gave it). Defines one NetworkAttachmentDefinition per node with static IPAM and the node's
 * address, bound to that node, so that `attachNetworks` adds the node affinity pods need.
 *
 * Checked: node names unique and DNS-1123; every node's address of a family in one common subnet;
 * gateways inside it (or on-link); routes reachable; addresses unique across the app.
 */
export class PerNodeStaticNetwork extends Construct {
  /** Name of the network. */
  public readonly name: string;
  /** The attachments, one per node, in the order of `nodes`. */
  public readonly attachments: readonly NetworkAttachmentDefinition[];

  constructor(scope: Construct, id: string, props: PerNodeStaticNetworkProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { name, plugin, nodes }');
    this.name = validateDns1123Subdomain(props.name, at(this, 'name'));
    const nodesWhere = at(this, 'nodes');
    const nodes = expectArray<NodeStaticAttachment>(props.nodes, nodesWhere);
    if (nodes.length === 0)
      fail(nodesWhere, 'must hold at least one node', nodes, 'list the nodes and their addresses');
    const gateways = this.validateGateways(props.gateways, at(this, 'gateways'));

    const seen = new Set<string>();
    const subnetOf = new Map<string, { subnet: Cidr; index: number }>();
    this.attachments = nodes.map((node, i) => {
      const w = child(nodesWhere, i);
      expectObject(node, w, 'pass { nodeName: "node1", addresses: ["10.0.10.93/24"] }');
      const nodeName = validateDns1123Subdomain(node.nodeName, child(w, 'nodeName'));
      if (seen.has(nodeName)) fail(child(w, 'nodeName'), 'is listed twice', nodeName, 'give each node one entry');
      seen.add(nodeName);
      const addrWhere = child(w, 'addresses');
      const list = expectArray<string>(node.addresses, addrWhere);
      if (list.length === 0)
        fail(addrWhere, 'must hold at least one address', list, 'give the node its address, e.g. "10.0.10.93/24"');
      const families = new Set<string>();
      const addresses: StaticIpamAddress[] = list.map((text, j) => {
        const a = parseInterfaceAddress(text, child(addrWhere, j));
        if (families.has(a.address.family)) {
          fail(
            child(addrWhere, j),
            `is a second ${a.address.family} address`,
            text,
            'give each node one address per family',
          );
        }
        families.add(a.address.family);
        const common = subnetOf.get(a.address.family);
        if (common && !common.subnet.equals(a.subnet)) {
          fail(
            child(addrWhere, j),
            `is not in the subnet ${common.subnet} of nodes[${common.index}]`,
            text,
            'give every node an address in the same subnet (with the same prefix length)',
          );
        }
        if (!common) subnetOf.set(a.address.family, { subnet: a.subnet, index: i });
        const gateway = gateways.get(a.address.family);
        return { address: text, ...(gateway ? { gateway: gateway.toString() } : {}) };
      });
      const attachmentName = node.attachmentName ?? `${this.name}-${nodeName}`;
      const ipam = Ipam.static({ addresses, routes: props.routes, dns: props.dns }, w);
      return new NetworkAttachmentDefinition(this, nodeName, {
        name: attachmentName,
        namespace: props.namespace,
        plugin: props.plugin,
        ipam,
        cniVersion: props.cniVersion,
        nodeName,
      });
    });
    for (const [family, gw] of gateways) {
      if (!subnetOf.has(family)) {
        fail(
          at(this, 'gateways'),
          `is ${family} but no node has an ${family} address`,
          gw.toString(),
          'drop it, or give the nodes addresses of that family',
        );
      }
    }
  }

  /** The attachment of node `nodeName`; fails when the network has none there. */
  public attachmentFor(nodeName: string): NetworkAttachmentDefinition {
    const found = this.attachments.find((a) => a.nodeName === nodeName);
    if (!found) {
      fail(
        { path: this.node.path, prop: 'nodes' },
        'has no attachment on this node',
        nodeName,
        `use one of ${this.attachments.map((a) => a.nodeName).join(', ')}`,
      );
    }
    return found;
  }

  private validateGateways(value: string[] | undefined, where: At): Map<string, IpAddress> {
    const out = new Map<string, IpAddress>();
    expectArray<string>(value ?? [], where).forEach((text, i) => {
      const gw = IpAddress.parse(text, child(where, i));
      if (out.has(gw.family))
        fail(child(where, i), `is a second ${gw.family} gateway`, text, 'give one gateway per family');
      out.set(gw.family, gw);
    });
    return out;
  }
}
