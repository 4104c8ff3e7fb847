import { MacAddress } from '../net/mac-address';
import {
  At,
  child,
  expectInteger,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  fail,
} from '../private/errors';
import { validateInterfaceName } from '../net/interface-name';

/** The CNI plugins this library renders. */
export type CniPluginType = 'host-device' | 'sriov' | 'macvlan' | 'ipvlan' | 'bridge';

/** How {@link AttachmentPlugin.hostDevice} finds the host interface: set exactly one. */
export interface HostDeviceOptions {
  /**
   * Interface name on the node, for example `ens5`.
   * @default - not used
   */
  readonly device?: string;
  /**
   * PCI address of the device (domain:bus:device.function), for example `0000:00:1f.6`.
   * @default - not used
   */
  readonly pciBusID?: string;
  /**
   * MAC address of the interface.
   * @default - not used
   */
  readonly hwaddr?: string;
  /**
   * Kernel device path, for example `/sys/devices/pci0000:00/0000:00:1f.6`.
   * @default - not used
   */
  readonly kernelpath?: string;
}

/** Options of {@link AttachmentPlugin.sriov}. */
export interface SriovCniOptions {
  /**
   * Device-plugin resource the VFs come from, `<prefix>/<name>`, for example
   * `rancher.io/sriov-resource-du1`. Written as the `k8s.v1.cni.cncf.io/resourceName` annotation,
   * so that Multus passes the VF allocated to the pod as `deviceID`.
   */
  readonly resourceName: string;
  /**
   * VLAN ID the VF tags traffic with, 0–4094 (0: untagged).
   * @default - untagged
   */
  readonly vlan?: number;
  /**
   * VLAN priority, 0–7.
   * @default - 0
   */
  readonly vlanQoS?: number;
  /**
   * MAC spoof checking on the VF (`spoofchk`).
   * @default - the driver's default (on)
   */
  readonly spoofchk?: boolean;
  /**
   * Trusted VF mode (`trust`): allows promiscuous mode and MAC changes.
   * @default - the driver's default (off)
   */
  readonly trust?: boolean;
  /**
   * Link state of the VF (`link_state`).
   * @default - the driver's default (auto)
   */
  readonly linkState?: 'auto' | 'enable' | 'disable';
  /**
   * Minimum transmit rate in Mbps (`min_tx_rate`).
   * @default - no minimum
   */
  readonly minTxRate?: number;
  /**
   * Maximum transmit rate in Mbps (`max_tx_rate`).
   * @default - no limit
   */
  readonly maxTxRate?: number;
}

/** Options of {@link AttachmentPlugin.macvlan}. */
export interface MacvlanOptions {
  /**
   * Host interface the macvlan interfaces are created on.
   * @default - the interface of the node's default route
   */
  readonly master?: string;
  /**
   * macvlan mode.
   * @default 'bridge'
   */
  readonly mode?: 'bridge' | 'private' | 'vepa' | 'passthru';
  /**
   * MTU of the pod interface; at most the master's.
   * @default - the kernel's default (the master's MTU)
   */
  readonly mtu?: number;
  /**
   * Whether `master` is in the pod's network namespace rather than the node's.
   * @default false
   */
  readonly linkInContainer?: boolean;
}

/** Options of {@link AttachmentPlugin.ipvlan}. */
export interface IpvlanOptions {
  /**
   * Host interface the ipvlan interfaces are created on.
   * @default - the interface of the node's default route
   */
  readonly master?: string;
  /**
   * ipvlan mode.
   * @default 'l2'
   */
  readonly mode?: 'l2' | 'l3' | 'l3s';
  /**
   * MTU of the pod interface; at most the master's.
   * @default - the kernel's default (the master's MTU)
   */
  readonly mtu?: number;
  /**
   * Whether `master` is in the pod's network namespace rather than the node's.
   * @default false
   */
  readonly linkInContainer?: boolean;
}

/** Options of {@link AttachmentPlugin.bridge}. */
export interface BridgeOptions {
  /**
   * Name of the Linux bridge on the node (created when missing).
   * @default 'cni0'
   */
  readonly bridge?: string;
  /**
   * Give the bridge the gateway address.
   * @default false
   */
  readonly isGateway?: boolean;
  /**
   * Make the gateway the pod's default route (implies `isGateway`).
   * @default false
   */
  readonly isDefaultGateway?: boolean;
  /**
   * Replace a bridge address that differs from the gateway.
   * @default false
   */
  readonly forceAddress?: boolean;
  /**
   * Masquerade traffic leaving the pod network.
   * @default false
   */
  readonly ipMasq?: boolean;
  /**
   * MTU of the bridge and veth pairs.
   * @default - the kernel's default
   */
  readonly mtu?: number;
  /**
   * Hairpin mode on the bridge ports.
   * @default false
   */
  readonly hairpinMode?: boolean;
  /**
   * Promiscuous mode on the bridge.
   * @default false
   */
  readonly promiscMode?: boolean;
  /**
   * VLAN ID of the pod's port, 1–4094.
   * @default - untagged
   */
  readonly vlan?: number;
  /**
   * Keep the default VLAN on the port when `vlan` is set.
   * @default true
   */
  readonly preserveDefaultVlan?: boolean;
  /**
   * Drop frames whose source MAC is not the pod interface's.
   * @default false
   */
  readonly macspoofchk?: boolean;
  /**
   * IPv6 duplicate address detection on the pod interface.
   * @default false
   */
  readonly enabledad?: boolean;
}

const PCI_ADDRESS = /^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/;
const RESOURCE_NAME =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const MACVLAN_MODES = ['bridge', 'private', 'vepa', 'passthru'] as const;
const IPVLAN_MODES = ['l2', 'l3', 'l3s'] as const;
const LINK_STATES = ['auto', 'enable', 'disable'] as const;

/**
 * The plugin part of a CNI config: the interface a pod gets on a secondary network. Built and
 * checked by the factories; the IPAM and the CNI version are added by the
 * `NetworkAttachmentDefinition` that uses it.
 */
export class AttachmentPlugin {
  /**
   * Moves an existing host interface into the pod (`host-device`), found by name, PCI address, MAC
   * or kernel path. On VMs with SR-IOV VFs passed through (seed 004) this gives the pod the VF.
   * Only one pod per node can hold the device.
   *
   * @param options exactly one of `device`, `pciBusID`, `hwaddr`, `kernelpath`
   * @param where the construct path and prop for error messages
   */
  public static hostDevice(
    options: HostDeviceOptions,
    where: At = { path: 'AttachmentPlugin.hostDevice', prop: 'plugin' },
  ): AttachmentPlugin {
    expectObject(options, where, 'pass { device: "ens5" } or { pciBusID: "0000:00:1f.6" }');
    const given = (['device', 'pciBusID', 'hwaddr', 'kernelpath'] as const).filter((k) => options[k] !== undefined);
    if (given.length !== 1) {
      fail(
        where,
        given.length === 0 ? 'names no device' : `names the device ${given.length} ways (${given.join(', ')})`,
        options,
        'set exactly one of device, pciBusID, hwaddr, kernelpath',
      );
    }
    const json: Record<string, unknown> = { type: 'host-device' };
    if (options.device !== undefined) json.device = validateInterfaceName(options.device, child(where, 'device'));
    if (options.pciBusID !== undefined) {
      const pci = expectNonEmptyString(options.pciBusID, child(where, 'pciBusID'));
      if (!PCI_ADDRESS.test(pci)) {
        fail(
          child(where, 'pciBusID'),
          'is not a PCI address',
          pci,
          'write domain:bus:device.function, e.g. "0000:00:1f.6"',
        );
      }
      json.pciBusID = pci.toLowerCase();
    }
    if (options.hwaddr !== undefined) json.hwaddr = MacAddress.parse(options.hwaddr, child(where, 'hwaddr')).toString();
    if (options.kernelpath !== undefined) {
      const path = expectNonEmptyString(options.kernelpath, child(where, 'kernelpath'));
      if (!/^\/sys\/devices\/[^\s]+$/.test(path) || path.split('/').includes('..')) {
        fail(
          child(where, 'kernelpath'),
          'is not a kernel device path',
          path,
          'write a path under /sys/devices/, e.g. "/sys/devices/pci0000:00/0000:00:1f.6"',
        );
      }
      json.kernelpath = path;
    }
    return new AttachmentPlugin('host-device', json, { onePodPerNode: true });
  }

  /**
   * Gives the pod an SR-IOV virtual function allocated by the SR-IOV device plugin (`sriov`), with
   * VLAN and VF settings. On bare metal, `SriovDeviceNetwork` makes the operator create both the
   * VFs and this configuration.
   *
   * @param options the device-plugin resource and VF settings
   * @param where the construct path and prop for error messages
   */
  public static sriov(
    options: SriovCniOptions,
    where: At = { path: 'AttachmentPlugin.sriov', prop: 'plugin' },
  ): AttachmentPlugin {
    expectObject(options, where, 'pass { resourceName: "rancher.io/sriov-resource-du1" }');
    const resourceName = expectNonEmptyString(options.resourceName, child(where, 'resourceName'));
    if (!RESOURCE_NAME.test(resourceName) || resourceName.length > 253) {
      fail(
        child(where, 'resourceName'),
        'is not a device-plugin resource name',
        resourceName,
        'write <prefix>/<name>, e.g. "rancher.io/sriov-resource-du1"',
      );
    }
    const json: Record<string, unknown> = { type: 'sriov' };
    if (options.vlan !== undefined) json.vlan = expectInteger(options.vlan, child(where, 'vlan'), 0, 4094);
    if (options.vlanQoS !== undefined) {
      json.vlanQoS = expectInteger(options.vlanQoS, child(where, 'vlanQoS'), 0, 7);
      if (!options.vlan)
        fail(child(where, 'vlanQoS'), 'is set without a VLAN', options.vlanQoS, 'set vlan too, or leave vlanQoS out');
    }
    if (expectOptionalBoolean(options.spoofchk, child(where, 'spoofchk')) !== undefined)
      json.spoofchk = onOff(options.spoofchk!);
    if (expectOptionalBoolean(options.trust, child(where, 'trust')) !== undefined) json.trust = onOff(options.trust!);
    if (options.linkState !== undefined) {
      json.link_state = oneOf(options.linkState, LINK_STATES, child(where, 'linkState'));
    }
    const min =
      options.minTxRate === undefined
        ? undefined
        : expectInteger(options.minTxRate, child(where, 'minTxRate'), 0, 1_000_000);
    const max =
      options.maxTxRate === undefined
        ? undefined
        : expectInteger(options.maxTxRate, child(where, 'maxTxRate'), 0, 1_000_000);
    if (min !== undefined && max !== undefined && max > 0 && min > max) {
      fail(child(where, 'minTxRate'), `is above maxTxRate ${max}`, min, 'make the minimum rate at most the maximum');
    }
    if (min !== undefined) json.min_tx_rate = min;
    if (max !== undefined) json.max_tx_rate = max;
    return new AttachmentPlugin('sriov', json, { resourceName });
  }

  /**
   * A macvlan interface on a host interface (`macvlan`): its own MAC on the host's L2 network.
   *
   * @param options master interface, mode and MTU
   * @param where the construct path and prop for error messages
   */
  public static macvlan(
    options: MacvlanOptions = {},
    where: At = { path: 'AttachmentPlugin.macvlan', prop: 'plugin' },
  ): AttachmentPlugin {
    expectObject(options, where, 'pass { master: "eth1", mode: "bridge" }');
    const json: Record<string, unknown> = { type: 'macvlan', ...linkOptions(options, where) };
    if (options.mode !== undefined) json.mode = oneOf(options.mode, MACVLAN_MODES, child(where, 'mode'));
    return new AttachmentPlugin('macvlan', json, {});
  }

  /**
   * An ipvlan interface on a host interface (`ipvlan`): the host's MAC, its own address. Needs an
   * IPAM.
   *
   * @param options master interface, mode and MTU
   * @param where the construct path and prop for error messages
   */
  public static ipvlan(
    options: IpvlanOptions = {},
    where: At = { path: 'AttachmentPlugin.ipvlan', prop: 'plugin' },
  ): AttachmentPlugin {
    expectObject(options, where, 'pass { master: "eth1", mode: "l2" }');
    const json: Record<string, unknown> = { type: 'ipvlan', ...linkOptions(options, where) };
    if (options.mode !== undefined) json.mode = oneOf(options.mode, IPVLAN_MODES, child(where, 'mode'));
    return new AttachmentPlugin('ipvlan', json, { requiresIpam: true });
  }

  /**
   * A veth pair into a Linux bridge on the node (`bridge`).
   *
   * @param options bridge name, gateway, VLAN and MTU
   * @param where the construct path and prop for error messages
   */
  public static bridge(
    options: BridgeOptions = {},
    where: At = { path: 'AttachmentPlugin.bridge', prop: 'plugin' },
  ): AttachmentPlugin {
    expectObject(options, where, 'pass { bridge: "br0" }');
    const json: Record<string, unknown> = { type: 'bridge' };
    if (options.bridge !== undefined)
      json.bridge = validateInterfaceName(options.bridge, child(where, 'bridge'), 'br0');
    const flags = ['isGateway', 'isDefaultGateway', 'forceAddress', 'ipMasq', 'hairpinMode', 'promiscMode'] as const;
    for (const flag of flags) {
      if (expectOptionalBoolean(options[flag], child(where, flag)) !== undefined) json[flag] = options[flag];
    }
    if (options.isDefaultGateway === true && options.isGateway === false) {
      fail(
        child(where, 'isGateway'),
        'is false but isDefaultGateway is true',
        false,
        'leave isGateway out or set it true; a default gateway is a gateway',
      );
    }
    if (options.mtu !== undefined) json.mtu = expectInteger(options.mtu, child(where, 'mtu'), 68, 65535);
    if (options.vlan !== undefined) json.vlan = expectInteger(options.vlan, child(where, 'vlan'), 1, 4094);
    if (expectOptionalBoolean(options.preserveDefaultVlan, child(where, 'preserveDefaultVlan')) !== undefined) {
      if (options.vlan === undefined) {
        fail(
          child(where, 'preserveDefaultVlan'),
          'is set without a VLAN',
          options.preserveDefaultVlan,
          'set vlan too, or leave it out',
        );
      }
      json.preserveDefaultVlan = options.preserveDefaultVlan;
    }
    for (const flag of ['macspoofchk', 'enabledad'] as const) {
      if (expectOptionalBoolean(options[flag], child(where, flag)) !== undefined) json[flag] = options[flag];
    }
    return new AttachmentPlugin('bridge', json, {});
  }

  /** Which CNI plugin this is (the config's `type`). */
  public readonly type: CniPluginType;
  /**
   * The device-plugin resource the plugin takes its device from (SR-IOV), written as the
   * `k8s.v1.cni.cncf.io/resourceName` annotation; undefined for the others.
   */
  public readonly resourceName?: string;
  /** True when the plugin moves one host interface into the pod, so one pod per node can use it. */
  public readonly onePodPerNode: boolean;
  /** True when the plugin fails without an IPAM (ipvlan). */
  public readonly requiresIpam: boolean;
  private readonly json: Record<string, unknown>;

  private constructor(
    type: CniPluginType,
    json: Record<string, unknown>,
    flags: { resourceName?: string; onePodPerNode?: boolean; requiresIpam?: boolean },
  ) {
    this.type = type;
    this.json = json;
    this.resourceName = flags.resourceName;
    this.onePodPerNode = flags.onePodPerNode ?? false;
    this.requiresIpam = flags.requiresIpam ?? false;
  }

  /** The plugin's fields of the CNI config, `type` first (a fresh copy). */
  public toJson(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.json)) as Record<string, unknown>;
  }
}

function onOff(value: boolean): 'on' | 'off' {
  return value ? 'on' : 'off';
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: At): T {
  if (!allowed.includes(value as T))
    fail(where, 'is not one of the accepted values', value, `use one of ${allowed.join(', ')}`);
  return value as T;
}

function linkOptions(options: MacvlanOptions | IpvlanOptions, where: At): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options.master !== undefined) out.master = validateInterfaceName(options.master, child(where, 'master'), 'eth1');
  if (options.mtu !== undefined) out.mtu = expectInteger(options.mtu, child(where, 'mtu'), 68, 65535);
  if (expectOptionalBoolean(options.linkInContainer, child(where, 'linkInContainer')) !== undefined) {
    out.linkInContainer = options.linkInContainer;
  }
  return out;
}
