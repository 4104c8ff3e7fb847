import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkAttachmentDefinition as NetworkAttachmentDefinitionObject } from '../../imports/network-attachment-definitions-k8s.cni.cncf.io';
import { FleetRegistry } from '../fleet/fleet-registry';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { at, fail } from '../private/errors';
import { validateOutput } from '../validation/construct-validation';
import { AttachmentExclusivity, INetworkAttachment } from './attach';
import { AttachmentPlugin } from './attachment-plugin';
import { claimObjectName } from './internal';
import { Ipam } from './ipam';

/** Versions of the CNI specification a config may declare. */
export type CniVersion = '0.3.0' | '0.3.1' | '0.4.0' | '1.0.0' | '1.1.0';

/** The CNI versions accepted. */
export const CNI_VERSIONS: readonly CniVersion[] = ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'];

/** The CNI version written when none is given: the one seed 004 uses, which every plugin supports. */
export const DEFAULT_CNI_VERSION: CniVersion = '0.3.1';

/** Annotation of a NetworkAttachmentDefinition that names the device-plugin resource of its devices. */
export const RESOURCE_NAME_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';

/** Props of {@link NetworkAttachmentDefinition}. */
export interface NetworkAttachmentDefinitionProps {
  /** Name of the NetworkAttachmentDefinition, which pods name in their annotation. DNS-1123 subdomain. */
  readonly name: string;
  /**
   * Namespace of the NetworkAttachmentDefinition.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The CNI plugin and its settings, for example `AttachmentPlugin.hostDevice({ device: 'ens5' })`. */
  readonly plugin: AttachmentPlugin;
  /**
   * IP address management, for example `Ipam.static({ addresses: [...] })`.
   * @default - no IPAM: the interface gets no address from CNI
   */
  readonly ipam?: Ipam;
  /**
   * CNI specification version of the config.
   * @default DEFAULT_CNI_VERSION ('0.3.1')
   */
  readonly cniVersion?: CniVersion;
  /**
   * Node whose device or address this attachment uses; `attachNetworks` then gives the pods a
   * required node affinity to it.
   * @default - not bound to a node
   */
  readonly nodeName?: string;
}

/**
 * A Multus `NetworkAttachmentDefinition` (k8s.cni.cncf.io/v1): a secondary network pods attach to
 * through the `k8s.v1.cni.cncf.io/networks` annotation (see `attachNetworks`). The typed plugin
 * and IPAM are rendered as the CNI config JSON in `spec.config`.
 *
 * Checked, besides what `AttachmentPlugin` and `Ipam` check: name and namespace, an IPAM for plugins that
 * need one, static addresses unique across the app, one object per name and namespace in the chart.
 */
export class NetworkAttachmentDefinition extends Construct implements INetworkAttachment {
  /** Name of the NetworkAttachmentDefinition. */
  public readonly name: string;
  /** Namespace of the NetworkAttachmentDefinition, when the props or the chart set one. */
  public readonly namespace?: string;
  /** The CNI plugin. */
  public readonly plugin: AttachmentPlugin;
  /** The IPAM, when there is one. */
  public readonly ipam?: Ipam;
  /** The CNI version of the config. */
  public readonly cniVersion: CniVersion;
  /** The node the attachment is bound to, when it is. */
  public readonly nodeName?: string;
  /** How many pods may use the attachment at a time. */
  public readonly exclusivity: AttachmentExclusivity;
  /** The generated API object. */
  public readonly apiObject: NetworkAttachmentDefinitionObject;

  constructor(scope: Construct, id: string, props: NetworkAttachmentDefinitionProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      fail(at(this, 'props'), 'must be an object', props, 'pass { name, plugin, ipam }');
    }
    this.name = validateDns1123Subdomain(props.name, at(this, 'name'));
    this.namespace =
      props.namespace !== undefined
        ? validateDns1123Label(props.namespace, at(this, 'namespace'))
        : Chart.of(this).namespace;
    if (!(props.plugin instanceof AttachmentPlugin)) {
      fail(
        at(this, 'plugin'),
        'is not a AttachmentPlugin',
        props.plugin,
        'build it with AttachmentPlugin.hostDevice(...), AttachmentPlugin.macvlan(...), …',
      );
    }
    if (props.ipam !== undefined && !(props.ipam instanceof Ipam)) {
      fail(at(this, 'ipam'), 'is not an Ipam', props.ipam, 'build it with Ipam.static(...), Ipam.whereabouts(...), …');
    }
    if (props.plugin.requiresIpam && props.ipam === undefined) {
      fail(
        at(this, 'ipam'),
        `is required by the ${props.plugin.type} plugin`,
        undefined,
        'add an IPAM, e.g. Ipam.whereabouts(...)',
      );
    }
    if (props.cniVersion !== undefined && !CNI_VERSIONS.includes(props.cniVersion)) {
      fail(
        at(this, 'cniVersion'),
        'is not a CNI specification version',
        props.cniVersion,
        `use one of ${CNI_VERSIONS.join(', ')}`,
      );
    }
    this.plugin = props.plugin;
    this.ipam = props.ipam;
    this.cniVersion = props.cniVersion ?? DEFAULT_CNI_VERSION;
    this.nodeName =
      props.nodeName !== undefined ? validateDns1123Subdomain(props.nodeName, at(this, 'nodeName')) : undefined;
    this.exclusivity =
      this.ipam?.type === 'static' || (this.plugin.onePodPerNode && this.nodeName !== undefined)
        ? 'one-pod'
        : this.plugin.onePodPerNode
          ? 'one-pod-per-node'
          : 'shared';

    claimObjectName(
      this,
      `NetworkAttachmentDefinition/${this.namespace ?? ''}/${this.name}`,
      at(this, 'name'),
      this.node.path,
    );
    const fleet = FleetRegistry.of(this);
    for (const address of this.ipam?.staticAddresses ?? []) {
      fleet.claim('IP address', address.toString(), at(this, 'ipam'), this.node.path);
    }

    this.apiObject = new NetworkAttachmentDefinitionObject(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(props.namespace !== undefined ? { namespace: this.namespace } : {}),
        ...(this.plugin.resourceName ? { annotations: { [RESOURCE_NAME_ANNOTATION]: this.plugin.resourceName } } : {}),
      },
      spec: { config: this.toCniConfig() },
    });
    validateOutput(this);
  }

  /**
   * The CNI config: `cniVersion`, `name` (the object's name, as Multus fills it in when missing),
   * the plugin's fields and `ipam`.
   */
  public cniConfig(): Record<string, unknown> {
    return {
      cniVersion: this.cniVersion,
      name: this.name,
      ...this.plugin.toJson(),
      ...(this.ipam ? { ipam: this.ipam.toJson() } : {}),
    };
  }

  /** The CNI config as the JSON text of `spec.config`. */
  public toCniConfig(): string {
    return JSON.stringify(this.cniConfig(), null, 2);
  }
}
