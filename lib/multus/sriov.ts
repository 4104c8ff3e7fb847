import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  SriovNetworkNodePolicy,
  SriovNetworkNodePolicySpecDeviceType,
} from '../../imports/sriovnetworknodepolicies-sriovnetwork.openshift.io';
import {
  SriovNetwork,
  SriovNetworkSpecLinkState,
  SriovNetworkSpecSpoofChk,
  SriovNetworkSpecTrust,
} from '../../imports/sriovnetworks-sriovnetwork.openshift.io';
import { FleetRegistry } from '../fleet/fleet-registry';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { At, at, child, expectInteger, expectObject, expectOptionalBoolean, fail } from '../private/errors';
import { DEFAULT_SRIOV_OPERATOR_NAMESPACE } from '../telco/sriov-operator';
import { SriovDevice, validateSriovDevice } from '../telco/telco-profile';
import { validateOutput } from '../validation/construct-validation';
import { AttachmentExclusivity, INetworkAttachment } from './attach';
import { claimObjectName } from './internal';
import { Ipam } from './ipam';

// One name for the operator's namespace, shared with the telco profile's charts and ConfigMap.
export { DEFAULT_SRIOV_OPERATOR_NAMESPACE };

/** Node label that node feature discovery sets on nodes with SR-IOV capable NICs. */
export const SRIOV_CAPABLE_NODE_SELECTOR: Readonly<Record<string, string>> = {
  'feature.node.kubernetes.io/network-sriov.capable': 'true',
};

/** Props of {@link SriovDeviceNetwork}. */
export interface SriovDeviceNetworkProps {
  /**
   * The physical function and its VFs, as `TelcoProfile` takes them (seed §42.7): resource name, PF
   * interface, number of VFs, driver and VF range.
   */
  readonly device: SriovDevice;
  /**
   * Name of the SriovNetwork, and of the NetworkAttachmentDefinition the operator creates from it.
   * @default - the device's resource name
   */
  readonly name?: string;
  /**
   * Namespace where the operator creates the NetworkAttachmentDefinition (the pods' namespace).
   * @default - the chart's namespace, else 'default'
   */
  readonly networkNamespace?: string;
  /**
   * Namespace the SR-IOV network operator watches; the policy and the SriovNetwork go there.
   * @default DEFAULT_SRIOV_OPERATOR_NAMESPACE ('sriov-network-operator')
   */
  readonly operatorNamespace?: string;
  /**
   * Whether to emit the SriovNetworkNodePolicy that creates the VFs. Turn it off when the
   * TelcoProfile's `sriov-custom-auto-config` (and its auto-filler unit) already creates it.
   * @default true
   */
  readonly policy?: boolean;
  /**
   * Nodes the policy configures.
   * @default SRIOV_CAPABLE_NODE_SELECTOR
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Priority of the policy among policies for the same PF, 0 (highest) to 99.
   * @default - the operator's default (99)
   */
  readonly priority?: number;
  /**
   * MTU of the VFs.
   * @default - the PF's MTU
   */
  readonly mtu?: number;
  /**
   * IP address management of the VF interfaces. Not allowed with the `vfio-pci` driver: DPDK VFs
   * have no kernel interface.
   * @default - no IPAM
   */
  readonly ipam?: Ipam;
  /**
   * VLAN ID the VFs tag traffic with, 0–4094 (0: untagged).
   * @default - untagged
   */
  readonly vlan?: number;
  /**
   * VLAN priority, 0–7.
   * @default - 0
   */
  readonly vlanQoS?: number;
  /**
   * MAC spoof checking on the VFs.
   * @default - the operator's default (on)
   */
  readonly spoofChk?: boolean;
  /**
   * Trusted VF mode.
   * @default - the operator's default (off)
   */
  readonly trust?: boolean;
  /**
   * Link state of the VFs.
   * @default - the operator's default (auto)
   */
  readonly linkState?: 'auto' | 'enable' | 'disable';
}

const LINK_STATES = ['auto', 'enable', 'disable'] as const;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * SR-IOV VFs on bare-metal nodes for pods (seed §42.7), from one device description: a
 * `SriovNetworkNodePolicy` that makes the SR-IOV network operator create the VFs on the PF and
 * expose them as a device-plugin resource, and a `SriovNetwork` from which the operator writes
 * the NetworkAttachmentDefinition (`sriov` CNI) in the pods' namespace. Attach it to workloads
 * with `attachNetworks`; the operator's resources injector adds the resource request.
 *
 * Checked: the device (resource name, PF name, VF count and range, driver), names, VLAN, MTU and
 * priority ranges, no IPAM on `vfio-pci` VFs, static addresses unique across the app.
 */
export class SriovDeviceNetwork extends Construct implements INetworkAttachment {
  /** Name of the SriovNetwork and of the NetworkAttachmentDefinition the operator creates. */
  public readonly name: string;
  /** Namespace of the NetworkAttachmentDefinition the operator creates. */
  public readonly namespace: string;
  /** How many pods may use the network at a time (`one-pod` with static IPAM). */
  public readonly exclusivity: AttachmentExclusivity;
  /** The device. */
  public readonly device: SriovDevice;
  /** The policy that creates the VFs, unless turned off. */
  public readonly policy?: SriovNetworkNodePolicy;
  /** The SriovNetwork. */
  public readonly network: SriovNetwork;

  constructor(scope: Construct, id: string, props: SriovDeviceNetworkProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { device, ipam?, vlan? }');
    this.device = validateSriovDevice(props.device, at(this, 'device'));
    this.name = validateDns1123Subdomain(props.name ?? this.device.resourceName, at(this, 'name'));
    this.namespace = validateDns1123Label(
      props.networkNamespace ?? Chart.of(this).namespace ?? 'default',
      at(this, 'networkNamespace'),
    );
    const operatorNamespace = validateDns1123Label(
      props.operatorNamespace ?? DEFAULT_SRIOV_OPERATOR_NAMESPACE,
      at(this, 'operatorNamespace'),
    );
    if (props.ipam !== undefined && !(props.ipam instanceof Ipam)) {
      fail(at(this, 'ipam'), 'is not an Ipam', props.ipam, 'build it with Ipam.static(...), Ipam.whereabouts(...), …');
    }
    if (props.ipam && this.device.driver === 'vfio-pci') {
      fail(
        at(this, 'ipam'),
        'is set but vfio-pci VFs have no kernel interface to give an address',
        props.ipam.type,
        'leave ipam out for DPDK VFs, or bind the VFs to a kernel driver such as iavf',
      );
    }
    this.exclusivity = props.ipam?.type === 'static' ? 'one-pod' : 'shared';
    const vlan = props.vlan === undefined ? undefined : expectInteger(props.vlan, at(this, 'vlan'), 0, 4094);
    const vlanQoS = props.vlanQoS === undefined ? undefined : expectInteger(props.vlanQoS, at(this, 'vlanQoS'), 0, 7);
    if (vlanQoS !== undefined && !vlan)
      fail(at(this, 'vlanQoS'), 'is set without a VLAN', vlanQoS, 'set vlan too, or leave vlanQoS out');
    expectOptionalBoolean(props.spoofChk, at(this, 'spoofChk'));
    expectOptionalBoolean(props.trust, at(this, 'trust'));
    if (props.linkState !== undefined && !LINK_STATES.includes(props.linkState)) {
      fail(at(this, 'linkState'), 'is not a link state', props.linkState, `use one of ${LINK_STATES.join(', ')}`);
    }

    claimObjectName(this, `SriovNetwork/${operatorNamespace}/${this.name}`, at(this, 'name'), this.node.path);
    claimObjectName(
      this,
      `NetworkAttachmentDefinition/${this.namespace}/${this.name}`,
      at(this, 'name'),
      this.node.path,
    );
    for (const address of props.ipam?.staticAddresses ?? []) {
      FleetRegistry.of(this).claim('IP address', address.toString(), at(this, 'ipam'), this.node.path);
    }

    if (expectOptionalBoolean(props.policy, at(this, 'policy')) ?? true) {
      const nodeSelector = validateNodeSelector(
        props.nodeSelector ?? { ...SRIOV_CAPABLE_NODE_SELECTOR },
        at(this, 'nodeSelector'),
      );
      const priority =
        props.priority === undefined ? undefined : expectInteger(props.priority, at(this, 'priority'), 0, 99);
      const mtu = props.mtu === undefined ? undefined : expectInteger(props.mtu, at(this, 'mtu'), 68, 9216);
      const d = this.device;
      claimObjectName(
        this,
        `SriovNetworkNodePolicy/${operatorNamespace}/${d.resourceName}`,
        at(this, 'device.resourceName'),
        this.node.path,
      );
      this.policy = new SriovNetworkNodePolicy(this, 'Policy', {
        metadata: { name: d.resourceName, namespace: operatorNamespace },
        spec: {
          resourceName: d.resourceName,
          nodeSelector,
          numVfs: d.numVfs,
          nicSelector: { pfNames: [d.vfRange ? `${d.interface}#${d.vfRange[0]}-${d.vfRange[1]}` : d.interface] },
          deviceType:
            d.driver === 'vfio-pci'
              ? SriovNetworkNodePolicySpecDeviceType.VFIO_HYPHEN_PCI
              : SriovNetworkNodePolicySpecDeviceType.NETDEVICE,
          ...(priority !== undefined ? { priority } : {}),
          ...(mtu !== undefined ? { mtu } : {}),
        },
      });
    } else {
      for (const prop of ['nodeSelector', 'priority', 'mtu'] as const) {
        if (props[prop] !== undefined) {
          fail(
            at(this, prop),
            'configures the policy, which is turned off',
            props[prop],
            `leave ${prop} out, or set policy: true`,
          );
        }
      }
    }

    this.network = new SriovNetwork(this, 'Network', {
      metadata: { name: this.name, namespace: operatorNamespace },
      spec: {
        resourceName: this.device.resourceName,
        networkNamespace: this.namespace,
        ...(props.ipam ? { ipam: JSON.stringify(props.ipam.toJson()) } : {}),
        ...(vlan !== undefined ? { vlan } : {}),
        ...(vlanQoS !== undefined ? { vlanQoS } : {}),
        ...(props.spoofChk !== undefined
          ? { spoofChk: props.spoofChk ? SriovNetworkSpecSpoofChk.ON : SriovNetworkSpecSpoofChk.OFF }
          : {}),
        ...(props.trust !== undefined
          ? { trust: props.trust ? SriovNetworkSpecTrust.ON : SriovNetworkSpecTrust.OFF }
          : {}),
        ...(props.linkState !== undefined ? { linkState: props.linkState as SriovNetworkSpecLinkState } : {}),
      },
    });
    validateOutput(this);
  }
}

function validateNodeSelector(selector: Record<string, string>, where: At): Record<string, string> {
  expectObject(selector, where, "pass labels such as { 'feature.node.kubernetes.io/network-sriov.capable': 'true' }");
  const entries = Object.entries(selector);
  if (entries.length === 0) fail(where, 'selects every node', selector, 'name a label that only SR-IOV nodes carry');
  for (const [key, value] of entries) {
    if (!LABEL_KEY.test(key) || key.length > 317) {
      fail(
        where,
        'has a key that is not a label name',
        key,
        'write [prefix/]name, e.g. "feature.node.kubernetes.io/network-sriov.capable"',
      );
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      fail(child(where, key), 'is not a label value', value, 'use at most 63 letters, digits, "-", "_" and "."');
    }
  }
  return { ...selector };
}
