import * as kplus from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import {
  BareMetalHost as BareMetalHostObject,
  BareMetalHostSpecAutomatedCleaningMode,
  BareMetalHostSpecBootMode,
  BareMetalHostSpecRootDeviceHints,
} from '../../imports/baremetalhosts-metal3.io';
import { MacAddress } from '../net/mac-address';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import {
  At,
  at,
  child,
  expectInteger,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
} from '../private/errors';
import { SECRET_MATERIAL_ANNOTATION } from '../core/secret-ref';
import { FleetRegistry } from '../fleet/fleet-registry';
import { Bmc } from './bmc';
import { NetworkData } from './network-data';

/** Boot modes the baremetal-operator accepts. */
export type BootMode = 'UEFI' | 'UEFISecureBoot' | 'legacy';

/** Cleaning modes the baremetal-operator accepts. */
export type AutomatedCleaningMode = 'metadata' | 'disabled';

/** Hints that pick the disk the OS image is written to; every given hint must match. */
export interface RootDeviceHints {
  /**
   * Device path, `/dev/sda` or a stable `/dev/disk/by-path/...` link.
   * @default - not used
   */
  readonly deviceName?: string;
  /**
   * SCSI address `host:channel:target:lun`, for example `0:0:0:0`.
   * @default - not used
   */
  readonly hctl?: string;
  /**
   * Smallest size in GiB.
   * @default - not used
   */
  readonly minSizeGigabytes?: number;
  /**
   * Substring of the disk model.
   * @default - not used
   */
  readonly model?: string;
  /**
   * Spinning disk (true) or solid state (false).
   * @default - not used
   */
  readonly rotational?: boolean;
  /**
   * Disk serial number.
   * @default - not used
   */
  readonly serialNumber?: string;
  /**
   * Substring of the vendor name.
   * @default - not used
   */
  readonly vendor?: string;
  /**
   * World Wide Name.
   * @default - not used
   */
  readonly wwn?: string;
}

/** The facts of one physical server. */
export interface HostSpec {
  /** Name of the BareMetalHost object, unique in the namespace (and, by convention, the fleet). DNS-1123 subdomain. */
  readonly name: string;
  /** MAC address of the NIC that PXE/virtual-media boots and that Ironic inspects. */
  readonly bootMACAddress: string;
  /** How to reach the server's BMC, with its credentials. */
  readonly bmc: Bmc;
  /**
   * Which disk receives the OS image.
   * @default - Ironic picks the first suitable disk
   */
  readonly rootDeviceHints?: RootDeviceHints;
  /**
   * Firmware boot mode.
   * @default - the operator's default (UEFI)
   */
  readonly bootMode?: BootMode;
  /**
   * Disk cleaning before and after provisioning.
   * @default - the operator's default (metadata)
   */
  readonly automatedCleaningMode?: AutomatedCleaningMode;
  /**
   * Static networking, written into a Secret that `preprovisioningNetworkDataName` names.
   * @default - DHCP / SLAAC
   */
  readonly networkData?: NetworkData;
  /**
   * Name of the Secret that holds `networkData`.
   * @default `<name>-networkdata`
   */
  readonly networkDataSecretName?: string;
  /**
   * Power the server on.
   * @default true
   */
  readonly online?: boolean;
}

/** Props of {@link BareMetalHost}. */
export interface BareMetalHostProps extends HostSpec {
  /**
   * Namespace of the BareMetalHost and of the Secrets it defines.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Labels of the BareMetalHost; machine templates select hosts by them.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations of the BareMetalHost.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

const BOOT_MODES: readonly BootMode[] = ['UEFI', 'UEFISecureBoot', 'legacy'];
const CLEANING_MODES: readonly AutomatedCleaningMode[] = ['metadata', 'disabled'];

/**
 * A server registered with the Metal3 baremetal-operator: the `BareMetalHost`, a reference to
 * (or, on opt-in, the definition of) its BMC credentials Secret, and the Secret holding its static
 * network configuration when it has one.
 */
export class BareMetalHost extends Construct {
  /** Name of the BareMetalHost object. */
  public readonly name: string;
  /** Canonical boot MAC address. */
  public readonly bootMACAddress: MacAddress;
  /** The BMC. */
  public readonly bmc: Bmc;
  /** Labels set on the host. */
  public readonly labels: Record<string, string>;
  /** Name of the BMC credentials Secret. */
  public readonly credentialsName: string;
  /** Static networking, when given. */
  public readonly networkData?: NetworkData;
  /** Name of the network data Secret, when there is one. */
  public readonly networkDataSecretName?: string;
  /** The generated API object. */
  public readonly apiObject: BareMetalHostObject;

  constructor(scope: Construct, id: string, props: BareMetalHostProps) {
    super(scope, id);
    const host = validateHostSpec(props, at(this, 'host'));
    const labels = validateLabels(props.labels, at(this, 'labels'));
    const annotations = validateLabels(props.annotations, at(this, 'annotations'), true);
    const namespace =
      props.namespace === undefined ? undefined : validateDns1123Label(props.namespace, at(this, 'namespace'));
    const ns = namespace ? { namespace } : {};
    this.name = host.name;
    this.bootMACAddress = host.bootMAC;
    this.bmc = props.bmc;
    this.labels = labels;
    this.networkData = props.networkData;

    const fleet = FleetRegistry.of(this);
    const owner = this.node.path;
    fleet.claim('host name', this.name, at(this, 'host.name'), owner);
    fleet.claim('boot MAC address', this.bootMACAddress.toString(), at(this, 'host.bootMACAddress'), owner);
    // The same server reached through another driver (redfish vs redfish-virtualmedia) is still
    // the same BMC; a different port or system ID (VirtualBMC, multi-node chassis) is not.
    const bmcKey = `${props.bmc.host}${props.bmc.port !== undefined ? `:${props.bmc.port}` : ''}${props.bmc.systemPath ?? ''}`;
    fleet.claim('BMC address', bmcKey, at(this, 'host.bmc'), owner);
    for (const address of props.networkData?.addresses ?? []) {
      fleet.claim('IP address', address.toString(), at(this, 'host.networkData'), owner);
    }

    this.credentialsName = props.bmc.credentials.bind(this, 'Credentials', {
      defaultName: `${this.name}-bmc`,
      requiredKeys: ['username', 'password'],
      where: at(this, 'bmc.credentials'),
      namespace,
    });

    if (props.networkData) {
      this.networkDataSecretName = props.networkDataSecretName ?? `${this.name}-networkdata`;
      validateDns1123Subdomain(this.networkDataSecretName, at(this, 'networkDataSecretName'));
      new kplus.Secret(this, 'NetworkData', {
        // Network configuration, not a credential: written on purpose, and marked as such.
        metadata: {
          name: this.networkDataSecretName,
          ...ns,
          annotations: { [SECRET_MATERIAL_ANNOTATION]: 'network-data' },
        },
        stringData: { networkData: props.networkData.render() },
        type: 'Opaque',
      });
    }

    this.apiObject = new BareMetalHostObject(this, 'Resource', {
      metadata: {
        name: this.name,
        ...ns,
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        online: props.online ?? true,
        bootMacAddress: this.bootMACAddress.toString(),
        ...(props.bootMode ? { bootMode: props.bootMode as BareMetalHostSpecBootMode } : {}),
        ...(props.automatedCleaningMode
          ? { automatedCleaningMode: props.automatedCleaningMode as BareMetalHostSpecAutomatedCleaningMode }
          : {}),
        ...(props.rootDeviceHints ? { rootDeviceHints: host.rootDeviceHints } : {}),
        bmc: {
          address: props.bmc.address,
          credentialsName: this.credentialsName,
          ...(props.bmc.disableCertificateVerification ? { disableCertificateVerification: true } : {}),
        },
        ...(this.networkDataSecretName ? { preprovisioningNetworkDataName: this.networkDataSecretName } : {}),
      },
    });
  }
}

interface ValidatedHost {
  readonly name: string;
  readonly bootMAC: MacAddress;
  readonly rootDeviceHints?: BareMetalHostSpecRootDeviceHints;
}

/** Validates the facts of a host; `where.prop` is the prefix of the props named in errors. */
export function validateHostSpec(spec: HostSpec, where: At): ValidatedHost {
  expectObject(spec, where, 'pass { name, bootMACAddress, bmc }');
  const name = validateDns1123Subdomain(spec.name, child(where, 'name'));
  const bootMAC = MacAddress.parse(spec.bootMACAddress, child(where, 'bootMACAddress'));
  if (!(spec.bmc instanceof Bmc)) {
    fail(
      child(where, 'bmc'),
      'is not a Bmc',
      spec.bmc,
      'build it with Bmc.redfishVirtualMedia(...) or Bmc.fromAddress(...)',
    );
  }
  expectOptionalBoolean(spec.online, child(where, 'online'));
  if (spec.bootMode !== undefined && !BOOT_MODES.includes(spec.bootMode)) {
    fail(child(where, 'bootMode'), 'is not a boot mode', spec.bootMode, `use one of ${BOOT_MODES.join(', ')}`);
  }
  if (spec.automatedCleaningMode !== undefined && !CLEANING_MODES.includes(spec.automatedCleaningMode)) {
    fail(
      child(where, 'automatedCleaningMode'),
      'is not a cleaning mode',
      spec.automatedCleaningMode,
      `use one of ${CLEANING_MODES.join(', ')}`,
    );
  }
  if (spec.networkData !== undefined && !(spec.networkData instanceof NetworkData)) {
    fail(
      child(where, 'networkData'),
      'is not a NetworkData',
      spec.networkData,
      'build it with NetworkData.nmstate({...})',
    );
  }
  if (spec.networkData && !spec.networkData.macAddresses.some((m) => m.equals(bootMAC))) {
    fail(
      child(where, 'networkData'),
      'declares no interface with the boot MAC address',
      spec.networkData.macAddresses.map(String),
      `add an ethernet interface with macAddress ${bootMAC}`,
    );
  }
  return {
    name,
    bootMAC,
    rootDeviceHints: validateRootDeviceHints(spec.rootDeviceHints, child(where, 'rootDeviceHints')),
  };
}

function validateRootDeviceHints(
  hints: RootDeviceHints | undefined,
  where: At,
): BareMetalHostSpecRootDeviceHints | undefined {
  if (hints === undefined) return undefined;
  expectObject(hints, where, 'pass hints such as { deviceName: "/dev/nvme0n1" }');
  const known = ['deviceName', 'hctl', 'minSizeGigabytes', 'model', 'rotational', 'serialNumber', 'vendor', 'wwn'];
  const keys = Object.keys(hints);
  for (const key of keys) {
    if (!known.includes(key)) fail(child(where, key), 'is not a root device hint', key, `use ${known.join(', ')}`);
  }
  if (keys.length === 0) fail(where, 'holds no hint', hints, 'give at least one hint or leave rootDeviceHints out');
  for (const key of ['hctl', 'model', 'serialNumber', 'vendor', 'wwn'] as const) {
    if (hints[key] !== undefined) expectString(hints[key], child(where, key));
  }
  if (hints.deviceName !== undefined) {
    const d = expectString(hints.deviceName, child(where, 'deviceName'));
    if (!d.startsWith('/dev/'))
      fail(
        child(where, 'deviceName'),
        'is not a device path',
        d,
        'use a path such as /dev/nvme0n1 or /dev/disk/by-path/...',
      );
  }
  if (hints.hctl !== undefined && !/^\d+:\d+:\d+:\d+$/.test(hints.hctl)) {
    fail(child(where, 'hctl'), 'is not a SCSI address', hints.hctl, 'write host:channel:target:lun such as 0:0:0:0');
  }
  if (hints.minSizeGigabytes !== undefined)
    expectInteger(hints.minSizeGigabytes, child(where, 'minSizeGigabytes'), 1, 1_000_000);
  expectOptionalBoolean(hints.rotational, child(where, 'rotational'));
  return { ...hints };
}

const LABEL_KEY =
  /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Validates Kubernetes label (or, with `annotations`, annotation) maps. */
export function validateLabels(
  map: Record<string, string> | undefined,
  where: At,
  annotations = false,
): Record<string, string> {
  if (map === undefined) return {};
  expectObject(map, where, 'pass an object of string values');
  for (const [key, value] of Object.entries(map)) {
    if (!LABEL_KEY.test(key) || key.length > 316) {
      fail(
        child(where, key),
        'is not a valid key',
        key,
        'use [prefix/]name with a DNS prefix and a name of at most 63 characters',
      );
    }
    if (typeof value !== 'string') fail(child(where, key), 'must be a string', value, 'quote the value');
    if (!annotations && (value.length > 63 || !LABEL_VALUE.test(value))) {
      fail(
        child(where, key),
        'is not a valid label value',
        value,
        'use at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric',
      );
    }
  }
  return { ...map };
}
