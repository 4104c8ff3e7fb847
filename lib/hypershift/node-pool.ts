import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  NodePool as NodePoolObject,
  NodePoolSpecArch,
  NodePoolSpecManagementUpgradeType,
  NodePoolSpecPlatformType,
  NodePoolSpecTaintsEffect,
} from '../../imports/nodepools-hypershift.openshift.io';
import { validateLabels } from '../metal3/bare-metal-host';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import {
  At,
  at,
  child,
  expectArray,
  expectInteger,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
} from '../private/errors';
import { ImageReference } from '../registry/image-reference';
import { validateOutput } from '../validation/construct-validation';

/** Architectures of HyperShift NodePools (Go names). */
export type NodePoolArch = 'amd64' | 'arm64' | 'ppc64le' | 's390x';
const ARCHES: readonly NodePoolArch[] = ['amd64', 'arm64', 'ppc64le', 's390x'];

/** A taint of every node of a pool. */
export interface NodePoolTaint {
  /** Taint key. */
  readonly key: string;
  /**
   * Taint value.
   * @default - none
   */
  readonly value?: string;
  /** Effect on pods that do not tolerate it. */
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Options of a NodePool on the Agent platform. */
export interface AgentNodePoolOptions {
  /**
   * Name of the NodePool, in the HostedCluster's namespace.
   * @default - the hosted cluster's name (the seed's convention for the first pool)
   */
  readonly name?: string;
  /** Number of nodes: Agents the pool claims. At most the hosts its selector offers. */
  readonly replicas: number;
  /**
   * Labels of the Agents the pool may claim (`platform.agent.agentLabelSelector.matchLabels`).
   * Agents carry `infraenvs.agent-install.openshift.io: <infraenv>`, the InfraEnv's
   * `agentLabels` and their host's `agentLabels`.
   * @default - the Agents of the hosted cluster's InfraEnv
   */
  readonly agentLabelSelector?: Record<string, string>;
  /**
   * CPU architecture of the nodes.
   * @default - from the hosted cluster (`amd64` for `x86_64`)
   */
  readonly arch?: NodePoolArch;
  /**
   * Release image of the nodes, by digest.
   * @default - the HostedCluster's release
   */
  readonly releaseImage?: string;
  /**
   * Replace nodes that fail health checks. Bare-metal Agents are not recreated, hence off.
   * @default false
   */
  readonly autoRepair?: boolean;
  /**
   * How nodes are upgraded: `InPlace` reuses the same machine (bare metal), `Replace` reprovisions.
   * @default 'InPlace'
   */
  readonly upgradeType?: 'InPlace' | 'Replace';
  /**
   * How long to drain a node before removing it, a Go duration; `0s` waits forever.
   * @default '0s'
   */
  readonly nodeDrainTimeout?: string;
  /**
   * ConfigMaps (names or objects, in the HostedCluster's namespace) holding MachineConfigs,
   * KubeletConfigs or other node configuration (`spec.config`).
   * @default - none
   */
  readonly config?: (string | ApiObject)[];
  /**
   * Labels of every node of the pool.
   * @default - none
   */
  readonly nodeLabels?: Record<string, string>;
  /**
   * Taints of every node of the pool.
   * @default - none
   */
  readonly taints?: NodePoolTaint[];
}

/** Props of {@link AgentNodePool}. */
export interface AgentNodePoolProps extends AgentNodePoolOptions {
  /** Name of the HostedCluster the pool belongs to. */
  readonly clusterName: string;
  /**
   * Namespace of the HostedCluster.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Release image, by digest (`…@sha256:…`). */
  readonly releaseImage: string;
}

/** Go durations such as `0s`, `30m`, `1h30m`. */
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * A HyperShift `NodePool` (hypershift.openshift.io/v1beta1) on the Agent platform: bare-metal
 * Agents claimed by label, `autoRepair: false` and `upgradeType: InPlace` by default (bare metal
 * is not recreated), node drain timeout, release by digest, replicas, node configuration
 * ConfigMaps, node labels and taints.
 */
export class AgentNodePool extends Construct {
  /** Name of the NodePool. */
  public readonly name: string;
  /** Replicas. */
  public readonly replicas: number;
  /** Agent labels the pool selects. */
  public readonly agentLabelSelector: Record<string, string>;
  /** Names of the node configuration ConfigMaps. */
  public readonly configMapNames: readonly string[];
  /** The generated API object. */
  public readonly apiObject: NodePoolObject;

  constructor(scope: Construct, id: string, props: AgentNodePoolProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { clusterName, releaseImage, replicas }');
    const clusterName = validateDns1123Label(props.clusterName, at(this, 'clusterName'));
    const namespace =
      props.namespace === undefined ? undefined : validateDns1123Label(props.namespace, at(this, 'namespace'));
    this.name = validateDns1123Subdomain(props.name ?? clusterName, at(this, 'name'));
    this.replicas = expectInteger(props.replicas, at(this, 'replicas'), 0, 10_000);
    const release = validateReleaseDigest(props.releaseImage, at(this, 'releaseImage'));
    this.agentLabelSelector = validateLabels(props.agentLabelSelector, at(this, 'agentLabelSelector'));
    const arch = props.arch ?? 'amd64';
    if (!ARCHES.includes(arch))
      fail(at(this, 'arch'), 'is not a NodePool architecture', props.arch, `use one of ${ARCHES.join(', ')}`);
    const autoRepair = expectOptionalBoolean(props.autoRepair, at(this, 'autoRepair')) ?? false;
    const upgradeType = props.upgradeType ?? 'InPlace';
    if (upgradeType !== 'InPlace' && upgradeType !== 'Replace') {
      fail(at(this, 'upgradeType'), 'is not an upgrade type', props.upgradeType, "use 'InPlace' or 'Replace'");
    }
    const drain = expectString(props.nodeDrainTimeout ?? '0s', at(this, 'nodeDrainTimeout'));
    if (!DURATION.test(drain))
      fail(at(this, 'nodeDrainTimeout'), 'is not a duration', drain, "write a Go duration such as '0s' or '30m'");
    this.configMapNames = expectArray<string | ApiObject>(props.config ?? [], at(this, 'config')).map((c, i) => {
      const w = child(at(this, 'config'), i);
      if (ApiObject.isApiObject(c)) {
        if (c.kind !== 'ConfigMap')
          fail(w, `is a ${c.kind}, not a ConfigMap`, c.name, 'wrap the configuration in a ConfigMap');
        return c.name;
      }
      if (Construct.isConstruct(c)) {
        fail(
          w,
          `is a construct (${(c as Construct).node.path}), not a ConfigMap`,
          (c as Construct).constructor.name,
          'pass a ConfigMap or its name, e.g. machineConfig.toNodePoolConfigMap({ namespace })',
        );
      }
      return validateDns1123Subdomain(c, w);
    });
    if (new Set(this.configMapNames).size !== this.configMapNames.length) {
      fail(at(this, 'config'), 'names a ConfigMap twice', this.configMapNames, 'give each ConfigMap once');
    }
    const nodeLabels = validateLabels(props.nodeLabels, at(this, 'nodeLabels'));
    const taints = expectArray<NodePoolTaint>(props.taints ?? [], at(this, 'taints')).map((t, i) => {
      const w = child(at(this, 'taints'), i);
      expectObject(t, w, "pass { key, value, effect: 'NoSchedule' }");
      validateLabels({ [expectNonEmptyString(t.key, child(w, 'key'))]: t.value ?? '' }, w);
      if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
        fail(child(w, 'effect'), 'is not a taint effect', t.effect, 'use NoSchedule, PreferNoSchedule or NoExecute');
      }
      return {
        key: t.key,
        ...(t.value !== undefined ? { value: t.value } : {}),
        effect: t.effect as NodePoolSpecTaintsEffect,
      };
    });

    validateOutput(this);
    this.apiObject = new NodePoolObject(this, 'Resource', {
      metadata: { name: this.name, ...(namespace ? { namespace } : {}) },
      spec: {
        arch: arch as NodePoolSpecArch,
        clusterName,
        management: { autoRepair, upgradeType: upgradeType as NodePoolSpecManagementUpgradeType },
        nodeDrainTimeout: drain,
        platform: {
          type: NodePoolSpecPlatformType.AGENT,
          // Always present: the CRD requires platform.agent for arm64 pools.
          agent:
            Object.keys(this.agentLabelSelector).length > 0
              ? { agentLabelSelector: { matchLabels: { ...this.agentLabelSelector } } }
              : {},
        },
        release: { image: release.toString() },
        replicas: this.replicas,
        ...(this.configMapNames.length > 0 ? { config: this.configMapNames.map((name) => ({ name })) } : {}),
        ...(Object.keys(nodeLabels).length > 0 ? { nodeLabels } : {}),
        ...(taints.length > 0 ? { taints } : {}),
      },
    });
  }
}

/** A release image that must be given by digest; returns it parsed. */
export function validateReleaseDigest(value: unknown, where: At): ImageReference {
  const ref = ImageReference.parseImage(value, where);
  if (!ref.isDigest) {
    fail(
      where,
      'is a tag, not a digest',
      ref.toString(),
      `give the release by digest ("…@sha256:…"); \`oc adm release info ${ref} | grep "Pull From"\` prints it`,
    );
  }
  return ref;
}
