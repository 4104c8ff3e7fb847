import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { validateOutput } from '../validation/construct-validation';
import {
  InfraEnv as InfraEnvObject,
  InfraEnvSpecKernelArgumentsOperation,
} from '../../imports/infraenvs-agent-install.openshift.io';
import { SecretRef } from '../core/secret-ref';
import { validateLabels } from '../metal3/bare-metal-host';
import { IpAddress } from '../net/ip-address';
import { isDns1123Subdomain, validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import {
  At,
  at,
  child,
  expectArray,
  expectNonEmptyString,
  expectObject,
  expectString,
  fail,
  redacted,
} from '../private/errors';
import { AgentBareMetalHost, AgentHostOptions, INFRAENV_LABEL, validateIgnitionJson } from './agent-host';
import { NMStateConfig } from './nmstate-config';
import { RegistryCa } from '../registry/registry-ca';

/** CPU architectures of Assisted Service discovery images. */
export type CpuArchitecture = 'x86_64' | 'aarch64' | 'arm64' | 'ppc64le' | 's390x';
/** The CPU architectures Assisted Service builds discovery images for. */
export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ['x86_64', 'aarch64', 'arm64', 'ppc64le', 's390x'];

/** A namespaced object reference. */
export interface NamespacedName {
  /** Name of the object. */
  readonly name: string;
  /** Namespace of the object. */
  readonly namespace: string;
}

/** HTTP proxy of the discovery image and of the cluster installed from it. */
export interface InfraEnvProxy {
  /**
   * Proxy for HTTP requests, `http://host:port`.
   * @default - none
   */
  readonly httpProxy?: string;
  /**
   * Proxy for HTTPS requests, `http://host:port`.
   * @default - none
   */
  readonly httpsProxy?: string;
  /**
   * Destinations that bypass the proxy: domains (`.example.com`), addresses and CIDRs, `*`.
   * @default - none
   */
  readonly noProxy?: string[];
}

/** A change to the discovery image's kernel command line. */
export interface KernelArgument {
  /** What to do with `value`. */
  readonly operation: 'append' | 'replace' | 'delete';
  /** The argument, such as `rd.net.timeout.carrier=60`. */
  readonly value: string;
}

/** Props of {@link InfraEnv}. */
export interface InfraEnvProps {
  /** Name of the InfraEnv; hosts name it in their `infraenvs.agent-install.openshift.io` label. DNS-1123 label. */
  readonly name: string;
  /**
   * Namespace of the InfraEnv, its hosts and NMStateConfigs.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Pull secret of the discovery image and the installed nodes (key `.dockerconfigjson`), in the InfraEnv's namespace. */
  readonly pullSecret: SecretRef;
  /**
   * SSH public key of the `core` user on the discovery image (`ssh-rsa AAAA…`, `ssh-ed25519 …`).
   * @default - no SSH access to booted hosts
   */
  readonly sshAuthorizedKey?: string;
  /**
   * CPU architecture of the hosts.
   * @default 'x86_64'
   */
  readonly cpuArchitecture?: CpuArchitecture;
  /**
   * NTP servers (host names or addresses) added to every host.
   * @default - none
   */
  readonly additionalNTPSources?: string[];
  /**
   * The ClusterDeployment that the hosts install (Assisted-installed clusters). Leave it out for
   * late binding, as HyperShift NodePools do.
   * @default - none: hosts are bound later
   */
  readonly clusterRef?: NamespacedName;
  /**
   * Ignition config (JSON text) merged into the discovery image, for example from
   * `IgnitionConfig`.
   * @default - none
   */
  readonly ignitionConfigOverride?: string;
  /**
   * HTTP proxy.
   * @default - no proxy
   */
  readonly proxy?: InfraEnvProxy;
  /**
   * Labels every Agent of this InfraEnv gets.
   * @default - none
   */
  readonly agentLabels?: Record<string, string>;
  /**
   * Kernel arguments of the discovery image.
   * @default - none
   */
  readonly kernelArguments?: KernelArgument[];
  /**
   * PEM certificates the discovery image and the installed hosts trust.
   * @default - none
   */
  readonly additionalTrustBundle?: string;
  /**
   * ConfigMap with `registries.conf` (and `ca-bundle.crt`) embedded into the discovery image, for
   * example from `AirgapRegistryMirror.addAssistedServiceConfigMap()`.
   * @default - the mirror configuration of the AgentServiceConfig only
   */
  readonly mirrorRegistryRef?: NamespacedName;
  /**
   * Kind of discovery ISO.
   * @default - Assisted Service's default (`minimal-iso` on the Agent platform)
   */
  readonly imageType?: 'full-iso' | 'minimal-iso';
  /**
   * OpenShift version of the discovery image (an `openshiftVersion` of the AgentServiceConfig's
   * `osImages`); not together with `clusterRef`.
   * @default - the newest OS image of the architecture
   */
  readonly osImageVersion?: string;
  /**
   * Labels by which the InfraEnv selects the NMStateConfigs of its hosts
   * (`nmStateConfigLabelSelector.matchLabels`); set only when a host has static networking.
   * @default { 'infraenvs.agent-install.openshift.io': <name> }
   */
  readonly nmStateConfigLabels?: Record<string, string>;
  /**
   * Hosts that boot the discovery image; add more with {@link InfraEnv.addHost}.
   * @default - none
   */
  readonly hosts?: AgentHostOptions[];
}

/**
 * An Assisted Service `InfraEnv` (`agent-install.openshift.io/v1beta1`): the discovery image that
 * hosts boot to become Agents, with its pull secret, SSH key, architecture, NTP, proxy and
 * Ignition override, and the hosts that boot it ({@link addHost}: an Agent-platform
 * BareMetalHost each, plus an NMStateConfig for a host with static networking, which the
 * InfraEnv then selects through `nmStateConfigLabelSelector`).
 *
 * Used for HyperShift hosted-cluster workers (late binding, no `clusterRef`) and for
 * Assisted-installed clusters (`clusterRef` to the ClusterDeployment).
 */
export class InfraEnv extends Construct {
  /** Name of the InfraEnv. */
  public readonly name: string;
  /** Namespace, when given. */
  public readonly namespace?: string;
  /** CPU architecture of the hosts. */
  public readonly cpuArchitecture: CpuArchitecture;
  /** Name of the pull secret. */
  public readonly pullSecretName: string;
  /** Labels that select the NMStateConfigs of this InfraEnv. */
  public readonly nmStateConfigLabels: Record<string, string>;
  /** Labels every Agent of this InfraEnv gets (besides `infraenvs.agent-install.openshift.io: <name>`). */
  public readonly agentLabels: Record<string, string>;
  /** The generated API object. */
  public readonly apiObject: InfraEnvObject;
  private readonly _hosts: AgentBareMetalHost[] = [];
  private readonly _nmStateConfigs: NMStateConfig[] = [];

  constructor(scope: Construct, id: string, props: InfraEnvProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { name, pullSecret }');
    this.name = validateDns1123Label(props.name, at(this, 'name'));
    this.namespace =
      props.namespace === undefined ? undefined : validateDns1123Label(props.namespace, at(this, 'namespace'));
    if (!(props.pullSecret instanceof SecretRef)) {
      fail(at(this, 'pullSecret'), 'is not a SecretRef', redacted(), "pass SecretRef.fromName('pull-secret')");
    }
    this.cpuArchitecture = props.cpuArchitecture ?? 'x86_64';
    if (!CPU_ARCHITECTURES.includes(this.cpuArchitecture)) {
      fail(
        at(this, 'cpuArchitecture'),
        'is not a CPU architecture of Assisted Service',
        props.cpuArchitecture,
        `use one of ${CPU_ARCHITECTURES.join(', ')}`,
      );
    }
    const sshKey =
      props.sshAuthorizedKey === undefined
        ? undefined
        : validateSshPublicKey(props.sshAuthorizedKey, at(this, 'sshAuthorizedKey'));
    const ntp = validateNtpSources(props.additionalNTPSources, at(this, 'additionalNTPSources'));
    const clusterRef = props.clusterRef && validateNamespacedName(props.clusterRef, at(this, 'clusterRef'));
    const mirrorRef =
      props.mirrorRegistryRef && validateNamespacedName(props.mirrorRegistryRef, at(this, 'mirrorRegistryRef'));
    const ignition =
      props.ignitionConfigOverride === undefined
        ? undefined
        : validateIgnitionJson(props.ignitionConfigOverride, at(this, 'ignitionConfigOverride'));
    const proxy = props.proxy && validateProxy(props.proxy, at(this, 'proxy'));
    const agentLabels = validateLabels(props.agentLabels, at(this, 'agentLabels'));
    this.agentLabels = agentLabels;
    const kernelArguments = validateKernelArguments(props.kernelArguments, at(this, 'kernelArguments'));
    if (props.imageType !== undefined && props.imageType !== 'full-iso' && props.imageType !== 'minimal-iso') {
      fail(at(this, 'imageType'), 'is not an image type', props.imageType, "use 'full-iso' or 'minimal-iso'");
    }
    if (props.osImageVersion !== undefined) {
      if (clusterRef) {
        fail(
          at(this, 'osImageVersion'),
          'cannot be given with clusterRef',
          props.osImageVersion,
          'leave it out: the cluster decides the version',
        );
      }
      if (!/^\d+\.\d+$/.test(expectString(props.osImageVersion, at(this, 'osImageVersion')))) {
        fail(at(this, 'osImageVersion'), 'is not an OpenShift x.y version', props.osImageVersion, 'write e.g. "4.19"');
      }
    }
    const trustBundle =
      props.additionalTrustBundle === undefined
        ? undefined
        : RegistryCa.checkBundle(props.additionalTrustBundle, at(this, 'additionalTrustBundle')).pem;
    this.nmStateConfigLabels = validateLabels(
      props.nmStateConfigLabels ?? { [INFRAENV_LABEL]: this.name },
      at(this, 'nmStateConfigLabels'),
    );
    if (Object.keys(this.nmStateConfigLabels).length === 0) {
      fail(at(this, 'nmStateConfigLabels'), 'is empty', {}, 'give at least one label, or leave it out');
    }

    const ns = this.namespace;
    this.pullSecretName = props.pullSecret.bind(this, 'PullSecret', {
      defaultName: `${this.name}-pull-secret`,
      requiredKeys: ['.dockerconfigjson'],
      where: at(this, 'pullSecret'),
      namespace: ns,
    });

    this.apiObject = new InfraEnvObject(this, 'Resource', {
      metadata: { name: this.name, ...(ns ? { namespace: ns } : {}) },
      spec: {
        pullSecretRef: { name: this.pullSecretName },
        cpuArchitecture: this.cpuArchitecture,
        ...(sshKey ? { sshAuthorizedKey: sshKey } : {}),
        ...(ntp.length > 0 ? { additionalNtpSources: ntp } : {}),
        ...(clusterRef ? { clusterRef } : {}),
        ...(mirrorRef ? { mirrorRegistryRef: mirrorRef } : {}),
        ...(ignition ? { ignitionConfigOverride: ignition } : {}),
        ...(proxy ? { proxy } : {}),
        ...(Object.keys(agentLabels).length > 0 ? { agentLabels } : {}),
        ...(kernelArguments.length > 0 ? { kernelArguments } : {}),
        ...(trustBundle ? { additionalTrustBundle: trustBundle } : {}),
        ...(props.imageType ? { imageType: props.imageType } : {}),
        ...(props.osImageVersion ? { osImageVersion: props.osImageVersion } : {}),
        nmStateConfigLabelSelector: Lazy.any({
          produce: () =>
            this._nmStateConfigs.length > 0 ? { matchLabels: { ...this.nmStateConfigLabels } } : undefined,
        }) as never,
      },
    });

    validateOutput(this);
    expectArray<AgentHostOptions>(props.hosts ?? [], at(this, 'hosts')).forEach((h, i) =>
      this.addHost(h, child(at(this, 'hosts'), i)),
    );
  }

  /** The hosts that boot this InfraEnv, in the order added. */
  public get hosts(): readonly AgentBareMetalHost[] {
    return [...this._hosts];
  }

  /** The NMStateConfigs of the hosts with static networking. */
  public get nmStateConfigs(): readonly NMStateConfig[] {
    return [...this._nmStateConfigs];
  }

  /**
   * Adds a host that boots this InfraEnv's discovery image: an Agent-platform BareMetalHost in
   * the InfraEnv's namespace and, when the host has `networkData`, an NMStateConfig named after
   * the host that the InfraEnv selects.
   */
  public addHost(options: AgentHostOptions, where?: At): AgentBareMetalHost {
    expectObject(options, where ?? at(this, 'addHost'), 'pass { name, bootMACAddress, bmc }');
    const id =
      typeof options.name === 'string' && isDns1123Subdomain(options.name) ? options.name : `${this._hosts.length}`;
    if (this.node.tryFindChild(`Host-${id}`)) {
      fail(
        child(where ?? at(this, 'addHost'), 'name'),
        'is already a host of this InfraEnv',
        options.name,
        'give each host its own name',
      );
    }
    const host = new AgentBareMetalHost(this, `Host-${id}`, {
      ...options,
      infraEnvName: this.name,
      namespace: this.namespace,
    });
    this._hosts.push(host);
    if (options.networkData) {
      this._nmStateConfigs.push(
        new NMStateConfig(this, `NMStateConfig-${id}`, {
          name: host.name,
          namespace: this.namespace,
          networkData: options.networkData,
          labels: this.nmStateConfigLabels,
        }),
      );
    }
    return host;
  }
}

/** Checks an OpenSSH public key line: type, base64 body, optional comment. */
export function validateSshPublicKey(value: unknown, where: At): string {
  const text = expectNonEmptyString(
    value,
    where,
    'pass an OpenSSH public key such as "ssh-ed25519 AAAA… user@host"',
  ).trim();
  if (/-----BEGIN|PRIVATE KEY/.test(text)) {
    fail(where, 'is a private key', redacted(), 'pass the public key (the .pub file), never the private key');
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (const line of lines) {
    const m =
      /^(ssh-rsa|ssh-ed25519|ssh-dss|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) ([A-Za-z0-9+/]+={0,2})( .*)?$/.exec(
        line.trim(),
      );
    if (!m) {
      fail(
        where,
        'is not an OpenSSH public key',
        line,
        'pass the line of the .pub file: "<type> <base64> [comment]", such as "ssh-ed25519 AAAAC3Nza…"',
      );
    }
  }
  return lines.map((l) => l.trim()).join('\n');
}

function validateNtpSources(value: unknown, where: At): string[] {
  if (value === undefined) return [];
  const list = expectArray<string>(value, where, 'pass a list of NTP servers');
  return list.map((s, i) => {
    const w = child(where, i);
    const text = expectNonEmptyString(s, w, 'pass a host name or address');
    if (IpAddress.isValid(text)) return IpAddress.parse(text, w).toString();
    if (!isDns1123Subdomain(text.toLowerCase())) {
      fail(w, 'is neither an IP address nor a host name', s, 'pass e.g. "ntp.example.com" or "10.0.0.1"');
    }
    return text;
  });
}

function validateNamespacedName(value: NamespacedName, where: At): { name: string; namespace: string } {
  expectObject(value, where, 'pass { name, namespace }');
  return {
    name: validateDns1123Subdomain(value.name, child(where, 'name')),
    namespace: validateDns1123Label(value.namespace, child(where, 'namespace')),
  };
}

function validateProxy(value: InfraEnvProxy, where: At): { httpProxy?: string; httpsProxy?: string; noProxy?: string } {
  expectObject(value, where, 'pass { httpProxy, httpsProxy, noProxy }');
  const url = (prop: 'httpProxy' | 'httpsProxy') => {
    const v = value[prop];
    if (v === undefined) return undefined;
    const text = expectString(v, child(where, prop));
    let parsed: URL | undefined;
    try {
      parsed = new URL(text);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
      fail(child(where, prop), 'is not an http(s) URL', text, 'write e.g. "http://proxy.example.com:3128"');
    }
    if (parsed.username || parsed.password) {
      fail(child(where, prop), 'embeds credentials', redacted(), 'Assisted Service proxies take no credentials here');
    }
    return text;
  };
  const httpProxy = url('httpProxy');
  const httpsProxy = url('httpsProxy');
  const noProxy =
    value.noProxy === undefined
      ? undefined
      : expectArray<string>(value.noProxy, child(where, 'noProxy')).map((n, i) => {
          const t = expectNonEmptyString(n, child(child(where, 'noProxy'), i));
          if (/[\s,]/.test(t))
            fail(child(child(where, 'noProxy'), i), 'holds a space or comma', t, 'give one entry per item');
          return t;
        });
  if (!httpProxy && !httpsProxy) {
    fail(where, 'names no proxy', value, 'give httpProxy or httpsProxy, or leave proxy out');
  }
  return {
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(noProxy && noProxy.length > 0 ? { noProxy: noProxy.join(',') } : {}),
  };
}

function validateKernelArguments(
  value: unknown,
  where: At,
): { operation: InfraEnvSpecKernelArgumentsOperation; value: string }[] {
  if (value === undefined) return [];
  return expectArray<KernelArgument>(value, where).map((k, i) => {
    const w = child(where, i);
    expectObject(k, w, "pass { operation: 'append', value: 'rd.debug' }");
    if (!['append', 'replace', 'delete'].includes(k.operation)) {
      fail(child(w, 'operation'), 'is not an operation', k.operation, 'use append, replace or delete');
    }
    const v = expectNonEmptyString(k.value, child(w, 'value'));
    if (!/^(?:(?:[^ \t\n\r"]+)|(?:"[^"]*"))+$/.test(v)) {
      fail(child(w, 'value'), 'is not one kernel argument', v, 'give one argument per entry; quote values with spaces');
    }
    return { operation: k.operation as InfraEnvSpecKernelArgumentsOperation, value: v };
  });
}
