import { Construct } from 'constructs';
import { validateOutput } from '../validation/construct-validation';
import { BareMetalHost, HostSpec, validateHostSpec, validateLabels } from '../metal3/bare-metal-host';
import { FleetRegistry } from '../fleet/fleet-registry';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { At, at, child, expectArray, expectObject, expectString, fail, redacted } from '../private/errors';

/** Label of a BareMetalHost that names the InfraEnv whose discovery image it boots. */
export const INFRAENV_LABEL = 'infraenvs.agent-install.openshift.io';
/** BMAC annotation: the host name the Agent (and so the node) takes. */
export const BMAC_HOSTNAME_ANNOTATION = 'bmac.agent-install.openshift.io/hostname';
/** BMAC annotation: the Agent's role. */
export const BMAC_ROLE_ANNOTATION = 'bmac.agent-install.openshift.io/role';
/** BMAC annotation: extra coreos-installer arguments, a JSON list of strings. */
export const BMAC_INSTALLER_ARGS_ANNOTATION = 'bmac.agent-install.openshift.io/installer-args';
/** BMAC annotation: Ignition (JSON) merged into the host's installed system. */
export const BMAC_IGNITION_OVERRIDES_ANNOTATION = 'bmac.agent-install.openshift.io/ignition-config-overrides';
/** BMAC annotation: the MachineConfigPool of the node. */
export const BMAC_MACHINE_CONFIG_POOL_ANNOTATION = 'bmac.agent-install.openshift.io/machine-config-pool';
/** Prefix of BMAC annotations copied into `Agent.spec.nodeLabels`: `<prefix><label key>: <value>`. */
export const BMAC_NODE_LABEL_PREFIX = 'bmac.agent-install.openshift.io.node-label.';
/** Prefix of BMAC annotations copied into the Agent's labels: `<prefix><label key>: <value>`. */
export const BMAC_AGENT_LABEL_PREFIX = 'bmac.agent-install.openshift.io.agent-label.';
/** Annotation that keeps Ironic from inspecting the host; Assisted Service inspects it instead. */
export const INSPECT_ANNOTATION = 'inspect.metal3.io';

/** Roles an Agent takes in its cluster. */
export type AgentRole = 'master' | 'worker' | 'auto-assign';
const ROLES: readonly AgentRole[] = ['master', 'worker', 'auto-assign'];

/**
 * A server that boots an InfraEnv's discovery image and becomes an Assisted Service Agent: the
 * host facts plus what the Bare Metal Agent Controller (BMAC) copies onto its Agent.
 */
export interface AgentHostOptions extends HostSpec {
  /**
   * Host name of the Agent and of the node (`bmac.agent-install.openshift.io/hostname`).
   * @default - the host's `name`
   */
  readonly hostname?: string;
  /**
   * Role of the Agent (`bmac.agent-install.openshift.io/role`). HyperShift NodePools take any
   * Agent; Assisted-installed clusters need `master` for control-plane hosts.
   * @default - none: Assisted Service assigns it (`auto-assign`)
   */
  readonly role?: AgentRole;
  /**
   * Extra `coreos-installer install` arguments, such as `['--append-karg', 'nameserver=10.0.0.1']`,
   * written as a JSON list to `bmac.agent-install.openshift.io/installer-args`.
   * @default - none
   */
  readonly installerArgs?: string[];
  /**
   * Labels the node gets when it joins (one `bmac.agent-install.openshift.io.node-label.<key>`
   * annotation each, copied into `Agent.spec.nodeLabels`).
   * @default - none
   */
  readonly nodeLabels?: Record<string, string>;
  /**
   * Labels of the Agent (one `bmac.agent-install.openshift.io.agent-label.<key>` annotation
   * each); a HyperShift NodePool's `agentLabelSelector` selects Agents by them.
   * @default - none
   */
  readonly agentLabels?: Record<string, string>;
  /**
   * MachineConfigPool of the node (`bmac.agent-install.openshift.io/machine-config-pool`).
   * @default - the pool of its role
   */
  readonly machineConfigPool?: string;
  /**
   * Ignition config (JSON text) merged into the installed system of this host
   * (`bmac.agent-install.openshift.io/ignition-config-overrides`).
   * @default - none
   */
  readonly ignitionConfigOverrides?: string;
}

/** Props of {@link AgentBareMetalHost}. */
export interface AgentBareMetalHostProps extends AgentHostOptions {
  /** Name of the InfraEnv whose discovery image the host boots (label `infraenvs.agent-install.openshift.io`). */
  readonly infraEnvName: string;
  /**
   * Namespace of the BareMetalHost: the InfraEnv's namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * A BareMetalHost on the Agent platform (Assisted Service's Bare Metal Agent Controller): it
 * boots the discovery image of its InfraEnv and registers as an Agent. Labelled
 * `infraenvs.agent-install.openshift.io: <infraenv>`, annotated `inspect.metal3.io: disabled`
 * and with the BMAC annotations (hostname, role, installer args, node and agent labels),
 * `automatedCleaningMode: disabled`, online, BMC credentials by reference. Static networking is
 * not written here: the InfraEnv carries it as an NMStateConfig (see {@link InfraEnv.addHost}).
 */
export class AgentBareMetalHost extends Construct {
  /** Name of the BareMetalHost. */
  public readonly name: string;
  /** Host name of the Agent and node. */
  public readonly hostname: string;
  /** Role, when given. */
  public readonly role?: AgentRole;
  /** Labels the Agent gets. */
  public readonly agentLabels: Record<string, string>;
  /** Labels the node gets. */
  public readonly nodeLabels: Record<string, string>;
  /** The Metal3 host (BareMetalHost and, on opt-in, its credentials Secret). */
  public readonly host: BareMetalHost;

  constructor(scope: Construct, id: string, props: AgentBareMetalHostProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { name, bootMACAddress, bmc, infraEnvName }');
    const where = at(this, 'host');
    validateHostSpec(props, where);
    const infraEnvName = validateDns1123Subdomain(props.infraEnvName, at(this, 'infraEnvName'));
    if (infraEnvName.length > 63) {
      fail(at(this, 'infraEnvName'), 'is longer than a label value (63)', infraEnvName, 'use a shorter InfraEnv name');
    }
    const namespace =
      props.namespace === undefined ? undefined : validateDns1123Label(props.namespace, at(this, 'namespace'));
    const parsed = validateAgentOptions(props, where);
    this.name = props.name;
    this.hostname = parsed.hostname;
    this.role = parsed.role;
    this.agentLabels = parsed.agentLabels;
    this.nodeLabels = parsed.nodeLabels;

    // The network config goes to an NMStateConfig, not to the BareMetalHost; claim its addresses here.
    for (const address of props.networkData?.addresses ?? []) {
      FleetRegistry.of(this).claim('IP address', address.toString(), child(where, 'networkData'), this.node.path);
    }

    validateOutput(this);
    this.host = new BareMetalHost(this, 'Host', {
      ...props,
      networkData: undefined,
      networkDataSecretName: undefined,
      namespace,
      automatedCleaningMode: props.automatedCleaningMode ?? 'disabled',
      online: props.online ?? true,
      labels: { [INFRAENV_LABEL]: infraEnvName },
      annotations: parsed.annotations,
    });
  }
}

interface ParsedAgentOptions {
  readonly hostname: string;
  readonly role?: AgentRole;
  readonly agentLabels: Record<string, string>;
  readonly nodeLabels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Validates the Agent part of a host and returns the BMAC annotations. */
export function validateAgentOptions(options: AgentHostOptions, where: At): ParsedAgentOptions {
  const hostname =
    options.hostname === undefined ? options.name : validateHostname(options.hostname, child(where, 'hostname'));
  if (options.role !== undefined && !ROLES.includes(options.role)) {
    fail(child(where, 'role'), 'is not an Agent role', options.role, `use one of ${ROLES.join(', ')}`);
  }
  const annotations: Record<string, string> = {
    [INSPECT_ANNOTATION]: 'disabled',
    [BMAC_HOSTNAME_ANNOTATION]: hostname,
  };
  if (options.role) annotations[BMAC_ROLE_ANNOTATION] = options.role;
  if (options.installerArgs !== undefined) {
    const args = expectArray<string>(options.installerArgs, child(where, 'installerArgs'), 'pass a list of strings');
    args.forEach((a, i) => {
      expectString(a, child(child(where, 'installerArgs'), i));
      if (a.length === 0) fail(child(child(where, 'installerArgs'), i), 'is empty', a, 'remove it');
    });
    if (args.length > 0) annotations[BMAC_INSTALLER_ARGS_ANNOTATION] = JSON.stringify(args);
  }
  if (options.machineConfigPool !== undefined) {
    annotations[BMAC_MACHINE_CONFIG_POOL_ANNOTATION] = validateDns1123Subdomain(
      options.machineConfigPool,
      child(where, 'machineConfigPool'),
    );
  }
  if (options.ignitionConfigOverrides !== undefined) {
    annotations[BMAC_IGNITION_OVERRIDES_ANNOTATION] = validateIgnitionJson(
      options.ignitionConfigOverrides,
      child(where, 'ignitionConfigOverrides'),
    );
  }
  const nodeLabels = validateLabels(options.nodeLabels, child(where, 'nodeLabels'));
  const agentLabels = validateLabels(options.agentLabels, child(where, 'agentLabels'));
  for (const [prefix, labels, prop] of [
    [BMAC_NODE_LABEL_PREFIX, nodeLabels, 'nodeLabels'],
    [BMAC_AGENT_LABEL_PREFIX, agentLabels, 'agentLabels'],
  ] as const) {
    for (const [key, value] of Object.entries(labels)) {
      const annotation = `${prefix}${key}`;
      // `<prefix><name>` without a "/" must itself be a name of at most 63 characters.
      const name = annotation.includes('/') ? annotation.slice(annotation.lastIndexOf('/') + 1) : annotation;
      if (name.length > 63) {
        fail(
          child(child(where, prop), key),
          `makes the annotation key ${annotation}, longer than 63 characters`,
          key,
          'use a shorter key, or a prefixed one such as node-role.kubernetes.io/infra',
        );
      }
      annotations[annotation] = value;
    }
  }
  validateLabels(annotations, child(where, 'annotations'), true);
  return { hostname, role: options.role, agentLabels, nodeLabels, annotations };
}

/** An RFC 1123 host name, lower case (a node name). */
function validateHostname(value: unknown, where: At): string {
  return validateDns1123Subdomain(value, where);
}

/** Checks that `text` is a JSON object (an Ignition config), returns it unchanged. */
export function validateIgnitionJson(text: unknown, where: At): string {
  const s = expectString(text, where, 'pass Ignition config JSON text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    fail(where, 'is not JSON', redacted(), 'pass Ignition config JSON, e.g. from IgnitionConfig.toJson()');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail(
      where,
      'is not a JSON object',
      redacted(),
      'pass an Ignition config object: {"ignition":{"version":"3.2.0"},...}',
    );
  }
  const version = (parsed as { ignition?: { version?: unknown } }).ignition?.version;
  if (typeof version !== 'string') {
    fail(
      where,
      'has no ignition.version',
      redacted(),
      'an Ignition config starts with {"ignition":{"version":"3.2.0"}}',
    );
  }
  return s;
}
