import { Construct } from 'constructs';
import { validateOutput } from '../validation/construct-validation';
import { NmStateConfig as NmStateConfigObject } from '../../imports/nmstateconfigs-agent-install.openshift.io';
import { NetworkData } from '../metal3/network-data';
import { validateLabels } from '../metal3/bare-metal-host';
import { MacAddress } from '../net/mac-address';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { At, at, child, expectArray, expectNonEmptyString, expectObject, fail } from '../private/errors';

/** One entry of `NMStateConfig.spec.interfaces`: which NIC an interface name of the config means. */
export interface NMStateInterfaceMapping {
  /** Interface name used in the nmstate config, for example `eth0`. */
  readonly name: string;
  /** MAC address of the NIC that the name stands for. */
  readonly macAddress: string;
}

/** Props of {@link NMStateConfig}. */
export interface NMStateConfigProps {
  /** Name of the NMStateConfig, DNS-1123 subdomain; by convention the host's name. */
  readonly name: string;
  /**
   * Namespace of the NMStateConfig: the InfraEnv's namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The host's static networking (see {@link NetworkData.nmstate}). */
  readonly networkData: NetworkData;
  /**
   * Labels; an InfraEnv's `nmStateConfigLabelSelector` selects the config by them.
   * @default - none (no InfraEnv selects the config)
   */
  readonly labels?: Record<string, string>;
  /**
   * Interface name ↔ MAC mapping (`spec.interfaces`). Every ethernet interface of the config
   * must be listed, with the MAC the config gives it.
   * @default - every ethernet interface of `networkData` with its MAC address
   */
  readonly interfaces?: NMStateInterfaceMapping[];
}

/**
 * Static networking of one host booting an Assisted Service discovery image
 * (`agent-install.openshift.io/v1beta1` `NMStateConfig`): the nmstate config and the mapping
 * from its interface names to the host's MAC addresses, by which Assisted Service finds the
 * host the config belongs to. An InfraEnv picks it up through its `nmStateConfigLabelSelector`.
 *
 * Checked: every ethernet interface of the config has a MAC mapping, every mapping names an
 * interface of the config, with that interface's MAC, once.
 */
export class NMStateConfig extends Construct {
  /** Name of the NMStateConfig. */
  public readonly name: string;
  /** Labels of the NMStateConfig. */
  public readonly labels: Record<string, string>;
  /** The interface ↔ MAC mapping written to `spec.interfaces`. */
  public readonly interfaces: readonly { readonly name: string; readonly macAddress: MacAddress }[];
  /** The generated API object. */
  public readonly apiObject: NmStateConfigObject;

  constructor(scope: Construct, id: string, props: NMStateConfigProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { name, networkData }');
    this.name = validateDns1123Subdomain(props.name, at(this, 'name'));
    const namespace =
      props.namespace === undefined ? undefined : validateDns1123Label(props.namespace, at(this, 'namespace'));
    if (!(props.networkData instanceof NetworkData)) {
      fail(
        at(this, 'networkData'),
        'is not a NetworkData',
        props.networkData,
        'build it with NetworkData.nmstate({ interfaces: [...] })',
      );
    }
    this.labels = validateLabels(props.labels, at(this, 'labels'));
    this.interfaces = resolveInterfaces(props.networkData, props.interfaces, at(this, 'interfaces'));

    validateOutput(this);
    this.apiObject = new NmStateConfigObject(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(namespace ? { namespace } : {}),
        ...(Object.keys(this.labels).length > 0 ? { labels: this.labels } : {}),
      },
      spec: {
        config: props.networkData.toObject({ identifyByMacAddress: false }),
        interfaces: this.interfaces.map((i) => ({ name: i.name, macAddress: i.macAddress.toString() })),
      },
    });
  }
}

function resolveInterfaces(
  networkData: NetworkData,
  given: NMStateInterfaceMapping[] | undefined,
  where: At,
): { name: string; macAddress: MacAddress }[] {
  const ethernet = networkData.ethernetInterfaces;
  if (given === undefined) {
    if (ethernet.length === 0) {
      fail(
        where,
        'cannot be derived: the config has no ethernet interface',
        networkData.interfaceNames,
        'declare the NICs as ethernet interfaces with their macAddress',
      );
    }
    return ethernet.map((e) => ({ name: e.name, macAddress: e.macAddress }));
  }
  const list = expectArray<NMStateInterfaceMapping>(given, where, 'pass [{ name, macAddress }]');
  if (list.length === 0) fail(where, 'must hold at least one mapping', list, 'map each NIC of the config to its MAC');
  const seenNames = new Set<string>();
  const seenMacs = new Set<string>();
  const out = list.map((m, i) => {
    const w = child(where, i);
    expectObject(m, w, 'pass { name, macAddress }');
    const name = expectNonEmptyString(m.name, child(w, 'name'));
    const mac = MacAddress.parse(m.macAddress, child(w, 'macAddress'));
    if (!networkData.interfaceNames.includes(name)) {
      fail(
        child(w, 'name'),
        'names no interface of the config',
        name,
        `map one of ${networkData.interfaceNames.join(', ')}`,
      );
    }
    const declared = ethernet.find((e) => e.name === name);
    if (declared && !declared.macAddress.equals(mac)) {
      fail(
        child(w, 'macAddress'),
        `differs from the MAC the config gives ${name} (${declared.macAddress})`,
        m.macAddress,
        'give the same MAC in both places',
      );
    }
    if (seenNames.has(name)) fail(child(w, 'name'), 'is mapped twice', name, 'map each interface once');
    if (seenMacs.has(mac.toString())) {
      fail(child(w, 'macAddress'), 'is mapped twice', m.macAddress, 'give each interface its own NIC');
    }
    seenNames.add(name);
    seenMacs.add(mac.toString());
    return { name, macAddress: mac };
  });
  for (const e of ethernet) {
    if (!seenNames.has(e.name)) {
      fail(
        where,
        `has no MAC mapping for the interface ${e.name} of the config`,
        list.map((m) => m?.name),
        `add { name: '${e.name}', macAddress: '${e.macAddress}' }`,
      );
    }
  }
  return out;
}
