import { JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  MultiClusterEngine as MultiClusterEngineObject,
  MultiClusterEngineSpecOverridesComponents,
} from '../../imports/multiclusterengines-multicluster.openshift.io';
import { validateLabels } from '../metal3/bare-metal-host';
import { singletonObject } from '../core/singleton';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { at, child, expectObject, expectOptionalBoolean, fail } from '../private/errors';
import { validateOutput } from '../validation/construct-validation';

/** Components of multicluster engine (backplane-operator) that `spec.overrides.components` toggles. */
export const MCE_COMPONENTS = [
  'assisted-service',
  'cluster-api',
  'cluster-api-provider-aws',
  'cluster-api-provider-metal3',
  'cluster-api-provider-openshift-assisted',
  'cluster-lifecycle',
  'cluster-manager',
  'cluster-proxy-addon',
  'console-mce',
  'discovery',
  'hive',
  'hypershift',
  'hypershift-local-hosting',
  'image-based-install-operator',
  'local-cluster',
  'managedserviceaccount',
  'server-foundation',
] as const;

/** A component of multicluster engine, or its technology-preview variant (`<component>-preview`). */
export type MceComponent = (typeof MCE_COMPONENTS)[number] | `${(typeof MCE_COMPONENTS)[number]}-preview`;

/** Props of {@link MultiClusterEngine}. */
export interface MultiClusterEngineProps {
  /**
   * Name of the MultiClusterEngine (cluster-scoped; one per cluster).
   * @default 'multiclusterengine'
   */
  readonly name?: string;
  /**
   * Namespace the engine's components run in.
   * @default 'multicluster-engine'
   */
  readonly targetNamespace?: string;
  /**
   * Enable HyperShift (Hosted Control Planes): the `hypershift` and `hypershift-local-hosting`
   * components and `local-cluster`, on which the hypershift-addon runs.
   * @default true
   */
  readonly hostedControlPlanes?: boolean;
  /**
   * Enable Assisted Service (Central Infrastructure Management, the Agent platform).
   * @default true
   */
  readonly assistedService?: boolean;
  /**
   * Further components to switch on (`true`) or off (`false`); they win over the two switches above.
   * @default - none
   */
  readonly components?: Partial<Record<MceComponent, boolean>>;
  /**
   * Replicas of the engine's pods: `High` (2, for production) or `Basic` (1).
   * @default 'High'
   */
  readonly availabilityConfig?: 'High' | 'Basic';
  /**
   * Secret (in `targetNamespace`) for pulling the engine's images from a private registry.
   * @default - none
   */
  readonly imagePullSecret?: string;
  /**
   * Node selector of the engine's pods, such as `{ 'node-role.kubernetes.io/infra': '' }`.
   * @default - none
   */
  readonly nodeSelector?: Record<string, string>;
}

/**
 * The `MultiClusterEngine` (multicluster.openshift.io/v1) of a management cluster, with the
 * components that Hosted Control Planes on bare metal need switched on: HyperShift (with
 * `local-cluster` for its addon) and Assisted Service.
 *
 * Checked: component names; HyperShift not enabled while `local-cluster` is off (the
 * hypershift-addon runs on it); `hypershift-local-hosting` not without `hypershift`.
 */
export class MultiClusterEngine extends Construct {
  /** Name of the MultiClusterEngine. */
  public readonly name: string;
  /** Namespace of the engine's components, where Assisted Service and its ConfigMaps live. */
  public readonly targetNamespace: string;
  /** The state of every component this object sets. */
  public readonly components: Readonly<Partial<Record<MceComponent, boolean>>>;
  /** The generated API object. */
  public readonly apiObject: MultiClusterEngineObject;

  constructor(scope: Construct, id: string, props: MultiClusterEngineProps = {}) {
    super(scope, id);
    expectObject(props, at(this, 'props'));
    this.name = validateDns1123Subdomain(props.name ?? 'multiclusterengine', at(this, 'name'));
    this.targetNamespace = validateDns1123Label(
      props.targetNamespace ?? 'multicluster-engine',
      at(this, 'targetNamespace'),
    );
    const hcp = expectOptionalBoolean(props.hostedControlPlanes, at(this, 'hostedControlPlanes')) ?? true;
    const assisted = expectOptionalBoolean(props.assistedService, at(this, 'assistedService')) ?? true;
    if (props.availabilityConfig !== undefined && !['High', 'Basic'].includes(props.availabilityConfig)) {
      fail(at(this, 'availabilityConfig'), 'is not an availability', props.availabilityConfig, "use 'High' or 'Basic'");
    }
    const components: Partial<Record<MceComponent, boolean>> = {};
    if (hcp) Object.assign(components, { hypershift: true, 'hypershift-local-hosting': true, 'local-cluster': true });
    if (assisted) components['assisted-service'] = true;
    const given =
      props.components === undefined
        ? {}
        : expectObject<Record<string, unknown>>(props.components, at(this, 'components'));
    for (const [name, enabled] of Object.entries(given)) {
      const w = child(at(this, 'components'), name);
      const base = name.replace(/-preview$/, '');
      if (!(MCE_COMPONENTS as readonly string[]).includes(base)) {
        fail(w, 'is not a multicluster engine component', name, `use one of ${MCE_COMPONENTS.join(', ')}`);
      }
      if (typeof enabled !== 'boolean') fail(w, 'must be true or false', enabled, 'pass a boolean');
      components[name as MceComponent] = enabled;
    }
    if (components.hypershift && components['local-cluster'] === false) {
      fail(
        child(at(this, 'components'), 'local-cluster'),
        'is off while hypershift is on',
        false,
        'the hypershift-addon runs on local-cluster; leave local-cluster on',
      );
    }
    if (components['hypershift-local-hosting'] && components.hypershift === false) {
      fail(
        child(at(this, 'components'), 'hypershift'),
        'is off while hypershift-local-hosting is on',
        false,
        'switch both on or both off',
      );
    }
    if (props.imagePullSecret !== undefined)
      validateDns1123Subdomain(props.imagePullSecret, at(this, 'imagePullSecret'));
    const nodeSelector = validateLabels(props.nodeSelector, at(this, 'nodeSelector'));
    this.components = { ...components };

    const list: MultiClusterEngineSpecOverridesComponents[] = Object.entries(components)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, enabled]) => ({ name, enabled: enabled === true }));
    validateOutput(this);
    const spec = {
      targetNamespace: this.targetNamespace,
      ...(props.availabilityConfig ? { availabilityConfig: props.availabilityConfig } : {}),
      ...(props.imagePullSecret ? { imagePullSecret: props.imagePullSecret } : {}),
      ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
      ...(list.length > 0 ? { overrides: { components: list } } : {}),
    };
    // One engine per cluster: a second, identical one shares the first's object.
    this.apiObject = singletonObject(this, at(this, 'props'), {
      apiVersion: 'multicluster.openshift.io/v1',
      kind: 'MultiClusterEngine',
      name: this.name,
      content: { spec },
      strategy: 'equal',
      fix: 'a cluster has one multicluster engine: define it once and share it',
      define: () => {
        const object = new MultiClusterEngineObject(this, 'Resource', { metadata: { name: this.name }, spec });
        // Cluster-scoped: no namespace, whatever the chart says.
        if (object.metadata.namespace !== undefined) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
        return object;
      },
    });
  }
}
