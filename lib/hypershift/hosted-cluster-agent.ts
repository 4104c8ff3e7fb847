import { ApiObject, JsonPatch } from 'cdk8s';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct } from 'constructs';
import {
  HostedCluster,
  HostedClusterSpecControllerAvailabilityPolicy,
  HostedClusterSpecEtcdManagedStoragePersistentVolumeSize,
  HostedClusterSpecEtcdManagedStorageType,
  HostedClusterSpecEtcdManagementType,
  HostedClusterSpecNetworkingNetworkType,
  HostedClusterSpecOlmCatalogPlacement,
  HostedClusterSpecPlatformType,
  HostedClusterSpecSecretEncryptionType,
  HostedClusterSpecServices,
  HostedClusterSpecServicesService,
  HostedClusterSpecServicesServicePublishingStrategyType,
} from '../../imports/hostedclusters-hypershift.openshift.io';
import { AgentHostOptions, INFRAENV_LABEL } from '../agent/agent-host';
import { CpuArchitecture, InfraEnv, validateSshPublicKey } from '../agent/infra-env';
import { SECRET_MATERIAL_ANNOTATION, SecretRef } from '../core/secret-ref';
import { singletonObject } from '../core/singleton';
import { Cidr } from '../net/cidr';
import { IpAddress } from '../net/ip-address';
import { isDns1123Subdomain, validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import {
  At,
  at,
  child,
  expectArray,
  expectInteger,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
  redacted,
} from '../private/errors';
import { validateStorageSize } from '../private/quantity';
import { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import { ImageReference } from '../registry/image-reference';
import { RegistryCa, userCaBundle } from '../registry/registry-ca';
import { validateOutput } from '../validation/construct-validation';
import {
  HostedClusterAgentProps,
  HostedClusterDnsOptions,
  HostedClusterInfraEnvOptions,
  HostedClusterServices,
  ServicePublishing,
} from './hosted-cluster-agent-props';
import { HostedClusterDnsRecords } from './hosted-cluster-dns';
import { AgentNodePool, AgentNodePoolOptions, NodePoolArch, validateReleaseDigest } from './node-pool';

export * from './hosted-cluster-agent-props';

const ARCH_OF: Record<CpuArchitecture, NodePoolArch> = {
  x86_64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
};

/**
 * An OpenShift hosted cluster on bare metal (HyperShift Agent platform, seed §6.3.12): the
 * namespaces, Secrets (by reference, ExternalSecret or explicit opt-in), the `user-ca-bundle`,
 * the `capi-provider-role` Role, the `HostedCluster` (release by digest, mirrors, trust bundle,
 * networking, etcd, secret encryption, service publishing), its `NodePool`s, the `InfraEnv` of
 * its workers with one Agent-platform `BareMetalHost` (and `NMStateConfig` for static networks)
 * per worker, and the pre-flight DNS records as site files.
 *
 * Checked: release a digest (served by the mirror), base domain, names, networks disjoint and
 * ordered by family, NodePool replicas at most the hosts offered, trust bundle source.
 */
export class HostedClusterAgent extends Construct {
  /** Name of the hosted cluster. */
  public readonly name: string;
  /** Namespace of the HostedCluster and NodePools. */
  public readonly namespace: string;
  /** Namespace of the hosted control plane, the Agents and their hosts: `<namespace>-<name>`. */
  public readonly controlPlaneNamespace: string;
  /** The release image. */
  public readonly releaseImage: ImageReference;
  /** Whether the cluster is dual stack. */
  public readonly dualStack: boolean;
  /** The InfraEnv of the workers. */
  public readonly infraEnv: InfraEnv;
  /** The HostedCluster object. */
  public readonly hostedCluster: HostedCluster;
  /** The DNS artefact, when `dns` is given. */
  public readonly dnsRecords?: HostedClusterDnsRecords;
  private readonly _nodePools: AgentNodePool[] = [];
  private readonly nodePoolArch: NodePoolArch;

  constructor(scope: Construct, id: string, props: HostedClusterAgentProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { name, baseDomain, releaseImage, pullSecret, etcdEncryptionKey }');
    this.name = validateDns1123Label(props.name, at(this, 'name'));
    this.namespace = validateDns1123Label(props.namespace ?? 'clusters', at(this, 'namespace'));
    this.controlPlaneNamespace = `${this.namespace}-${this.name}`;
    if (this.controlPlaneNamespace.length > 63) {
      fail(
        at(this, 'name'),
        `makes the control-plane namespace ${this.controlPlaneNamespace} longer than 63 characters`,
        this.name,
        'shorten the cluster name or the namespace',
      );
    }
    const baseDomain = validateBaseDomain(props.baseDomain, at(this, 'baseDomain'));
    if (`api-int.${this.name}.${baseDomain}`.length > 253) {
      fail(
        at(this, 'baseDomain'),
        `makes api-int.${this.name}.${baseDomain} longer than 253 characters`,
        baseDomain,
        'use a shorter base domain',
      );
    }
    const mirror = props.registryMirror;
    if (mirror !== undefined && !(mirror instanceof AirgapRegistryMirror)) {
      fail(
        at(this, 'registryMirror'),
        'is not an AirgapRegistryMirror',
        mirror,
        'pass the site’s AirgapRegistryMirror',
      );
    }
    this.releaseImage = validateReleaseDigest(props.releaseImage, at(this, 'releaseImage'));
    if (mirror) mirror.checkReleaseImage(props.releaseImage, at(this, 'releaseImage'));
    for (const prop of ['pullSecret', 'etcdEncryptionKey'] as const) {
      if (!(props[prop] instanceof SecretRef)) {
        fail(
          at(this, prop),
          'is not a SecretRef',
          redacted(),
          `pass SecretRef.fromName(...) or SecretRef.fromExternalSecret(...)`,
        );
      }
    }
    for (const prop of ['infraEnvPullSecret', 'sshKey'] as const) {
      if (props[prop] !== undefined && !(props[prop] instanceof SecretRef)) {
        fail(at(this, prop), 'is not a SecretRef', redacted(), `pass SecretRef.fromName(...) or leave it out`);
      }
    }
    const olm = props.olmCatalogPlacement ?? 'management';
    if (olm !== 'management' && olm !== 'guest') {
      fail(
        at(this, 'olmCatalogPlacement'),
        'is not a placement',
        props.olmCatalogPlacement,
        "use 'management' or 'guest'",
      );
    }
    const availability = props.controllerAvailabilityPolicy ?? 'SingleReplica';
    if (availability !== 'SingleReplica' && availability !== 'HighlyAvailable') {
      fail(
        at(this, 'controllerAvailabilityPolicy'),
        'is not a policy',
        availability,
        "use 'SingleReplica' or 'HighlyAvailable'",
      );
    }
    const networkType = props.networkType ?? 'OVNKubernetes';
    if (networkType !== 'OVNKubernetes' && networkType !== 'Other') {
      fail(
        at(this, 'networkType'),
        'is not a network type for bare metal',
        networkType,
        "use 'OVNKubernetes' or 'Other'",
      );
    }
    const etcdSize = validateStorageSize(props.etcdStorageSize ?? '8Gi', at(this, 'etcdStorageSize')).text;
    const etcdClass =
      props.etcdStorageClassName === undefined
        ? undefined
        : validateDns1123Subdomain(props.etcdStorageClassName, at(this, 'etcdStorageClassName'));
    const networks = validateNetworks(props, at(this, 'clusterNetwork'));
    this.dualStack = networks.clusterNetwork.length === 2;
    const apiServer = validatePublishing(props.apiServer ?? { type: 'LoadBalancer' }, at(this, 'apiServer'), true);
    const services =
      props.services === undefined ? {} : expectObject<HostedClusterServices>(props.services, at(this, 'services'));
    const others = (['oauthServer', 'oidc', 'konnectivity', 'ignition'] as const).map((key) => {
      const p = validatePublishing(services[key] ?? { type: 'Route' }, child(at(this, 'services'), key), false);
      return p;
    });
    const catalogAnnotations = expectOptionalBoolean(props.catalogAnnotations, at(this, 'catalogAnnotations')) ?? true;
    const cpuArchitecture = props.cpuArchitecture ?? 'x86_64';
    this.nodePoolArch = ARCH_OF[cpuArchitecture] ?? 'amd64';
    const createNamespaces = expectOptionalBoolean(props.createNamespaces, at(this, 'createNamespaces')) ?? true;

    validateOutput(this);

    // Namespaces (cluster-scoped).
    if (createNamespaces) {
      for (const [id, name] of [
        ['Namespace', this.namespace],
        ['ControlPlaneNamespace', this.controlPlaneNamespace],
      ]) {
        // Two hosted clusters in one namespace share its Namespace object.
        singletonObject(this, at(this, 'namespace'), {
          apiVersion: 'v1',
          kind: 'Namespace',
          name,
          content: {},
          fix: 'set createNamespaces: false on one of them',
          define: () => clusterScoped(new k8s.KubeNamespace(this, id, { metadata: { name } })),
        });
      }
    }

    // Secrets and ConfigMaps in the HostedCluster namespace.
    const ns = this.namespace;
    const pullSecretName = props.pullSecret.bind(this, 'PullSecret', {
      defaultName: `${this.name}-pull-secret`,
      requiredKeys: ['.dockerconfigjson'],
      where: at(this, 'pullSecret'),
      namespace: ns,
    });
    const etcdKeyName = props.etcdEncryptionKey.bind(this, 'EtcdEncryptionKey', {
      defaultName: `${this.name}-etcd-encryption-key`,
      requiredKeys: ['key'],
      where: at(this, 'etcdEncryptionKey'),
      namespace: ns,
    });
    let sshKeyName: string | undefined;
    if (props.sshKey) {
      sshKeyName = props.sshKey.bind(this, 'SshKey', {
        defaultName: `sshkey-cluster-${this.name}`,
        requiredKeys: ['id_rsa.pub'],
        where: at(this, 'sshKey'),
        namespace: ns,
      });
    } else if (props.sshPublicKey !== undefined) {
      sshKeyName = `sshkey-cluster-${this.name}`;
      // Public material: written on purpose, and marked as such.
      new k8s.KubeSecret(this, 'SshKey', {
        metadata: { name: sshKeyName, namespace: ns, annotations: { [SECRET_MATERIAL_ANNOTATION]: 'public-key' } },
        stringData: { 'id_rsa.pub': validateSshPublicKey(props.sshPublicKey, at(this, 'sshPublicKey')) },
      });
    }

    let trustBundleName: string | undefined;
    if (props.additionalTrustBundle !== undefined) {
      const pem = RegistryCa.checkBundle(props.additionalTrustBundle, at(this, 'additionalTrustBundle')).pem!;
      if (mirror?.caPem) {
        fail(
          at(this, 'additionalTrustBundle'),
          'is given while the registry mirror has a private CA, which provides user-ca-bundle',
          'a PEM bundle',
          'leave additionalTrustBundle out, or add the certificates to the mirror’s CA bundle',
        );
      }
      trustBundleName = 'user-ca-bundle';
      userCaBundle(
        this,
        at(this, 'additionalTrustBundle'),
        trustBundleName,
        ns,
        pem,
        () =>
          new k8s.KubeConfigMap(this, 'TrustBundle', {
            metadata: { name: 'user-ca-bundle', namespace: ns },
            data: { 'ca-bundle.crt': pem },
          }),
      );
    } else if (mirror?.caPem) {
      trustBundleName = mirror.addHostedClusterTrustBundle({ scope: this, namespace: ns }).name;
    }

    // RBAC: CAPI provider manages the Agents in the control-plane namespace.
    new k8s.KubeRole(this, 'CapiProviderRole', {
      metadata: { name: 'capi-provider-role', namespace: this.controlPlaneNamespace },
      rules: [{ apiGroups: ['agent-install.openshift.io'], resources: ['agents'], verbs: ['*'] }],
    });

    const annotations =
      mirror && catalogAnnotations && mirror.content.operators.length > 0
        ? mirror.hostedClusterCatalogAnnotations()
        : {};
    const imageContentSources = mirror ? mirror.imageContentSources() : [];
    const toServices = (service: HostedClusterSpecServicesService, p: ParsedPublishing): HostedClusterSpecServices => ({
      service,
      servicePublishingStrategy: {
        type: p.type as HostedClusterSpecServicesServicePublishingStrategyType,
        ...(p.type === 'NodePort' ? { nodePort: { address: p.address!, ...(p.port ? { port: p.port } : {}) } } : {}),
        ...(p.type === 'Route' && p.hostname ? { route: { hostname: p.hostname } } : {}),
        ...(p.type === 'LoadBalancer' && p.hostname ? { loadBalancer: { hostname: p.hostname } } : {}),
      },
    });

    this.hostedCluster = new HostedCluster(this, 'HostedCluster', {
      metadata: {
        name: this.name,
        namespace: ns,
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        ...(trustBundleName ? { additionalTrustBundle: { name: trustBundleName } } : {}),
        olmCatalogPlacement: olm as HostedClusterSpecOlmCatalogPlacement,
        ...(imageContentSources.length > 0 ? { imageContentSources } : {}),
        controllerAvailabilityPolicy: availability as HostedClusterSpecControllerAvailabilityPolicy,
        dns: { baseDomain },
        etcd: {
          managementType: HostedClusterSpecEtcdManagementType.MANAGED,
          managed: {
            storage: {
              type: HostedClusterSpecEtcdManagedStorageType.PERSISTENT_VOLUME,
              persistentVolume: {
                size: HostedClusterSpecEtcdManagedStoragePersistentVolumeSize.fromString(etcdSize),
                ...(etcdClass ? { storageClassName: etcdClass } : {}),
              },
            },
          },
        },
        networking: {
          clusterNetwork: networks.clusterNetwork.map((c) => ({ cidr: c.toString() })),
          serviceNetwork: networks.serviceNetwork.map((c) => ({ cidr: c.toString() })),
          ...(networks.machineNetwork.length > 0
            ? { machineNetwork: networks.machineNetwork.map((c) => ({ cidr: c.toString() })) }
            : {}),
          networkType: networkType as HostedClusterSpecNetworkingNetworkType,
        },
        platform: { type: HostedClusterSpecPlatformType.AGENT, agent: { agentNamespace: this.controlPlaneNamespace } },
        pullSecret: { name: pullSecretName },
        release: { image: this.releaseImage.toString() },
        secretEncryption: {
          type: HostedClusterSpecSecretEncryptionType.AESCBC,
          aescbc: { activeKey: { name: etcdKeyName } },
        },
        services: [
          toServices(HostedClusterSpecServicesService.API_SERVER, apiServer),
          toServices(HostedClusterSpecServicesService.O_AUTH_SERVER, others[0]),
          toServices(HostedClusterSpecServicesService.OIDC, others[1]),
          toServices(HostedClusterSpecServicesService.KONNECTIVITY, others[2]),
          toServices(HostedClusterSpecServicesService.IGNITION, others[3]),
        ],
        ...(sshKeyName ? { sshKey: { name: sshKeyName } } : {}),
      },
    });

    // The InfraEnv of the workers, in the control-plane namespace.
    const infraEnvOptions =
      props.infraEnv === undefined
        ? {}
        : expectObject<HostedClusterInfraEnvOptions>(props.infraEnv, at(this, 'infraEnv'), 'pass InfraEnv settings');
    this.infraEnv = new InfraEnv(this, 'InfraEnv', {
      ...infraEnvOptions,
      name: this.name,
      namespace: this.controlPlaneNamespace,
      pullSecret: props.infraEnvPullSecret ?? props.pullSecret,
      sshAuthorizedKey: props.sshPublicKey,
      cpuArchitecture,
      additionalNTPSources: props.additionalNTPSources,
    });
    const workers = expectArray<AgentHostOptions>(props.workers ?? [], at(this, 'workers'));
    workers.forEach((w, i) => {
      const where = child(at(this, 'workers'), i);
      expectObject(w, where, 'pass { name, bootMACAddress, bmc }');
      const name = validateDns1123Subdomain(w.name, child(where, 'name'));
      this.infraEnv.addHost({ ...w, name: `${this.name}-${name}` }, where);
    });

    const pools = props.nodePools ?? [{ replicas: workers.length }];
    expectArray<AgentNodePoolOptions>(pools, at(this, 'nodePools')).forEach((p, i) =>
      this.addNodePool(p, child(at(this, 'nodePools'), i)),
    );

    if (props.dns !== undefined) {
      const dns = expectObject<HostedClusterDnsOptions>(
        props.dns,
        at(this, 'dns'),
        'pass { apiAddresses, ingressAddresses }',
      );
      let apiAddresses = dns.apiAddresses;
      if (apiAddresses === undefined) {
        if (apiServer.type !== 'NodePort' || !IpAddress.isValid(apiServer.address)) {
          fail(
            child(at(this, 'dns'), 'apiAddresses'),
            'is missing, and the API server has no NodePort IP address to default to',
            undefined,
            'give the addresses of the API load balancer (or of the nodes serving the NodePort)',
          );
        }
        apiAddresses = [apiServer.address!];
      }
      this.dnsRecords = new HostedClusterDnsRecords(this, 'Dns', {
        clusterName: this.name,
        baseDomain,
        apiAddresses,
        ingressAddresses: dns.ingressAddresses,
        dualStack: this.dualStack,
      });
    }
  }

  /** The NodePools, in the order added. */
  public get nodePools(): readonly AgentNodePool[] {
    return [...this._nodePools];
  }

  /**
   * Adds a NodePool on the Agent platform. Its replicas must not exceed the hosts its Agent
   * label selector offers (counted among the workers added so far), nor may all pools together
   * claim more hosts than they select.
   */
  public addNodePool(options: AgentNodePoolOptions, where: At = at(this, 'addNodePool')): AgentNodePool {
    expectObject(options, where, 'pass { replicas }');
    const name = options.name ?? this.name;
    const id = isDns1123Subdomain(name) ? name : `${this._nodePools.length}`;
    if (this.node.tryFindChild(`NodePool-${id}`)) {
      fail(child(where, 'name'), 'is already a NodePool of this cluster', name, 'give each NodePool its own name');
    }
    const selector = options.agentLabelSelector ?? { [INFRAENV_LABEL]: this.infraEnv.name };
    const pool = new AgentNodePool(this, `NodePool-${id}`, {
      arch: this.nodePoolArch,
      ...options,
      agentLabelSelector: selector,
      releaseImage: options.releaseImage ?? this.releaseImage.toString(),
      clusterName: this.name,
      namespace: this.namespace,
    });
    const offered = this.hostsSelectedBy(pool.agentLabelSelector);
    if (pool.replicas > offered.length) {
      fail(
        child(where, 'replicas'),
        `asks for ${pool.replicas} nodes, but the pool's agent selector offers only ${offered.length} host(s)`,
        pool.replicas,
        `lower replicas to ${offered.length} or add workers whose agent labels match ${JSON.stringify(pool.agentLabelSelector)}`,
      );
    }
    const pools = [...this._nodePools, pool];
    const union = new Set(pools.flatMap((p) => this.hostsSelectedBy(p.agentLabelSelector)));
    const total = pools.reduce((sum, p) => sum + p.replicas, 0);
    if (total > union.size) {
      fail(
        child(where, 'replicas'),
        `brings the NodePools to ${total} nodes, but they select only ${union.size} host(s) together`,
        pool.replicas,
        'lower the replicas or add workers',
      );
    }
    this._nodePools.push(pool);
    return pool;
  }

  /** Names of the worker hosts whose Agents carry every label of `selector`. */
  private hostsSelectedBy(selector: Record<string, string>): string[] {
    const envLabels = { [INFRAENV_LABEL]: this.infraEnv.name, ...this.infraEnv.agentLabels };
    return this.infraEnv.hosts
      .filter((h) => {
        const labels: Record<string, string> = { ...envLabels, ...h.agentLabels };
        return Object.entries(selector).every(([k, v]) => labels[k] === v);
      })
      .map((h) => h.name);
  }
}

/** Keeps cluster-scoped objects free of the chart's namespace. */
function clusterScoped<T extends ApiObject>(obj: T): T {
  if (obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}

function validateBaseDomain(value: unknown, where: At): string {
  const text = validateDns1123Subdomain(value, where);
  if (text.endsWith('.') || text.split('.').some((l) => l.length === 0)) {
    fail(where, 'is not a DNS subdomain', value, 'write it without a trailing dot, e.g. "example.com"');
  }
  return text;
}

interface ParsedPublishing {
  readonly type: 'Route' | 'LoadBalancer' | 'NodePort';
  readonly hostname?: string;
  readonly address?: string;
  readonly port?: number;
}

function validatePublishing(value: ServicePublishing, where: At, apiServer: boolean): ParsedPublishing {
  expectObject(value, where, "pass { type: 'Route' } or { type: 'NodePort', address }");
  const allowed = apiServer ? ['LoadBalancer', 'NodePort'] : ['Route', 'NodePort', 'LoadBalancer'];
  if (!allowed.includes(value.type)) {
    fail(
      child(where, 'type'),
      `is not a publishing strategy for this service`,
      value.type,
      `use ${allowed.join(' or ')}`,
    );
  }
  if (value.type === 'NodePort') {
    const address = expectString(
      value.address,
      child(where, 'address'),
      'pass the IP address or DNS name of a management node',
    );
    if (!IpAddress.isValid(address) && !isDns1123Subdomain(address)) {
      fail(child(where, 'address'), 'is neither an IP address nor a DNS name', address, 'pass e.g. "192.168.126.10"');
    }
    const port = value.port === undefined ? undefined : expectInteger(value.port, child(where, 'port'), 30000, 32767);
    return {
      type: 'NodePort',
      address: IpAddress.isValid(address) ? IpAddress.parse(address).toString() : address,
      ...(port ? { port } : {}),
    };
  }
  const hostname =
    value.hostname === undefined ? undefined : validateDns1123Subdomain(value.hostname, child(where, 'hostname'));
  return { type: value.type, ...(hostname ? { hostname } : {}) };
}

interface Networks {
  readonly clusterNetwork: Cidr[];
  readonly serviceNetwork: Cidr[];
  readonly machineNetwork: Cidr[];
}

function validateNetworks(props: HostedClusterAgentProps, where: At): Networks {
  const prop = (p: string): At => ({ path: where.path, prop: p });
  const list = (value: unknown, p: string, optional: boolean): Cidr[] => {
    if (value === undefined && optional) return [];
    const l = expectArray<unknown>(value, prop(p), 'pass a list of one or two CIDR blocks');
    if (l.length < 1 || l.length > 2) {
      fail(
        prop(p),
        'must hold one CIDR (single stack) or two (dual stack)',
        value,
        'give one IPv4 or IPv6 block, or one of each',
      );
    }
    const cidrs = l.map((c, i) => Cidr.parse(c, child(prop(p), i)));
    if (cidrs.length === 2 && cidrs[0].family === cidrs[1].family) {
      fail(prop(p), 'holds two blocks of the same family', value, 'dual stack needs one IPv4 and one IPv6 block');
    }
    return cidrs;
  };
  const clusterNetwork = list(props.clusterNetwork ?? ['10.132.0.0/14'], 'clusterNetwork', false);
  const serviceNetwork = list(props.serviceNetwork ?? ['172.31.0.0/16'], 'serviceNetwork', false);
  const machineNetwork = list(props.machineNetwork, 'machineNetwork', true);
  for (const [p, cidrs] of [
    ['serviceNetwork', serviceNetwork],
    ['machineNetwork', machineNetwork],
  ] as const) {
    if (cidrs.length === 0) continue;
    if (cidrs.length !== clusterNetwork.length) {
      fail(
        prop(p),
        `has ${cidrs.length} block(s) while clusterNetwork has ${clusterNetwork.length}`,
        cidrs.map(String),
        'give every list one block per family (one for single stack, two for dual stack)',
      );
    }
    cidrs.forEach((c, i) => {
      if (c.family !== clusterNetwork[i].family) {
        fail(
          prop(p),
          `lists ${c.family} where clusterNetwork lists ${clusterNetwork[i].family} at position ${i}`,
          cidrs.map(String),
          'order every list by the same family, primary family first',
        );
      }
    });
  }
  const named: [string, Cidr][] = [
    ...clusterNetwork.map((c): [string, Cidr] => ['clusterNetwork', c]),
    ...serviceNetwork.map((c): [string, Cidr] => ['serviceNetwork', c]),
    ...machineNetwork.map((c): [string, Cidr] => ['machineNetwork', c]),
  ];
  for (let i = 0; i < named.length; i++) {
    for (let j = i + 1; j < named.length; j++) {
      if (named[i][0] !== named[j][0] && named[i][1].overlaps(named[j][1])) {
        fail(
          prop(named[j][0]),
          `${named[j][1]} overlaps the ${named[i][0]} ${named[i][1]}`,
          named[j][1].toString(),
          'pick disjoint cluster, service and machine networks',
        );
      }
    }
  }
  return { clusterNetwork, serviceNetwork, machineNetwork };
}
