// Seed 001 §6.3.10–§6.3.12: a disconnected OpenShift hosted cluster on bare metal (HyperShift,
// Agent platform). The hub side (multicluster engine with HyperShift and Assisted Service, the
// AgentServiceConfig with its mirror ConfigMap) and the hosted cluster (namespaces, Secrets by
// reference, user-ca-bundle, RBAC, HostedCluster, NodePool, InfraEnv, one BareMetalHost per
// worker) come from one description; synth also writes the DNS records of §6.3.4.
// The seed's BMC addresses are kcli's ksushy form (`redfish-virtualmedia://[192.168.126.1]:9000/
// redfish/v1/Systems/local/<vm>`); Bmc.fromAddress takes them as written and drops the brackets
// around the IPv4 address, which Ironic's URL parser refuses.
import { App, Chart } from 'cdk8s';
import {
  AgentServiceConfig,
  AirgapRegistryMirror,
  BaremetalApp,
  Bmc,
  HostedClusterAgent,
  MultiClusterEngine,
  RegistryCa,
  SecretRef,
} from '../../lib';
import { REGISTRY_CA } from '../shared/test-registry-ca';

/** §6.3.12.3: the SSH public key of the `core` user (public material). */
const SSH_PUBLIC_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDk7ICaUE+/k4zTpxLk4+xFdHi4ZuDi5qjeF52afsNkw0w/glILHhwpL5gnp5WkRuL8GwJuZ1VqLC9EKrdmegn4MrmUlq7WTsP0VFOZFBfq2XRUxo1wrRdor2z0Bbh93ytR+ZsDbbLlGngXaMa0Vbt+z74FqlcajbHTZ6zBmTpBVq5RHtDPgKITdpE1fongp7+ZXQNBlkaavaqv8bnyrP4BWahLP4iO9/xJF9lQYboYwEEDzmnKLMW1VtCE6nJzEgWCufACTbxpNS7GvKtoHT/OVzw8ArEXhZXQUS1UY8zKsX2iXwmyhw5Sj6YboA8WICs4z+TrFP89LmxXY0j6536TQFyRz1iB4WWvCbH5n6W+ABV2e8ssJB1AmEy8QYNwpJQJNpSxzoKBjI73XxvPYYC/IjPFMySwZqrSZCkJYqQ023ySkaQxWZT7in4KeMu7eS2tC+Kn4deJ7KwwUycx8n6RHMeD8Qg9flTHCv3gmab8JKZJqN3hW1D378JuvmIX4V0=';

export function build(app: App): Chart {
  const site = new Chart(app, 'hosted-cluster-agent');

  // The mirror registry of §6.3.5/§6.3.8, defined as in examples/disconnected-hub.
  const mirror = new AirgapRegistryMirror(site, 'Registry', {
    registry: 'registry.dns.base.domain.name:5000',
    ca: RegistryCa.fromPem(REGISTRY_CA),
    unqualifiedSearchRegistries: ['registry.access.redhat.com', 'docker.io'],
    mirrors: [
      { source: 'registry.redhat.io/openshift4' },
      { source: 'registry.redhat.io/rhacm2' },
      { source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirror: 'openshift/release' },
      { source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' },
      { source: 'registry.redhat.io/redhat' },
    ],
    operators: [{ catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19' }],
  });

  // §6.3.11.1: the hub trusts the registry CA (registry-config and the cluster Image).
  mirror.addOpenShiftTrust();

  // §6.3.1 step 5: multicluster engine with HyperShift and Assisted Service.
  const engine = new MultiClusterEngine(site, 'Engine');

  // §6.3.10: Assisted Service, with the registries ConfigMap (custom-registries) from the mirror.
  new AgentServiceConfig(site, 'AgentServiceConfig', {
    multiClusterEngine: engine,
    unsupportedConfigMap: 'assisted-service-config',
    mirrorRegistry: mirror,
    databaseStorage: { storageClassName: 'lvms-vg1', size: '10Gi' },
    filesystemStorage: { storageClassName: 'lvms-vg1', size: '20Gi' },
    osImages: [
      {
        openshiftVersion: '4.14',
        rootFSUrl:
          'http://registry.dns.base.domain.name:8080/images/rhcos-414.92.202308281054-0-live-rootfs.x86_64.img',
        url: 'http://registry.dns.base.domain.name:8080/images/rhcos-414.92.202308281054-0-live.x86_64.iso',
        version: '414.92.202308281054-0',
      },
      {
        openshiftVersion: '4.15',
        rootFSUrl:
          'http://registry.dns.base.domain.name:8080/images/rhcos-415.92.202403270524-0-live-rootfs.x86_64.img',
        url: 'http://registry.dns.base.domain.name:8080/images/rhcos-415.92.202403270524-0-live.x86_64.iso',
        version: '415.92.202403270524-0',
      },
    ],
  });

  // §6.3.12: the hosted cluster, its three workers and their NodePool.
  new HostedClusterAgent(site, 'Hosted', {
    name: 'hosted',
    namespace: 'clusters',
    baseDomain: 'dns.base.domain.name',
    releaseImage:
      'registry.dns.base.domain.name:5000/openshift/release-images@sha256:e3ba11bd1e5e8ea5a0b36a75791c90f29afb0fdbe4125be4e48f69c76a5c47a0',
    pullSecret: SecretRef.fromName('hosted-pull-secret'),
    infraEnvPullSecret: SecretRef.fromName('pull-secret'),
    etcdEncryptionKey: SecretRef.fromName('hosted-etcd-encryption-key'),
    sshPublicKey: SSH_PUBLIC_KEY,
    registryMirror: mirror, // imageContentSources, user-ca-bundle, catalog annotations
    olmCatalogPlacement: 'guest',
    controllerAvailabilityPolicy: 'SingleReplica',
    clusterNetwork: ['10.132.0.0/14', 'fd01::/48'],
    serviceNetwork: ['172.31.0.0/16', 'fd02::/112'],
    apiServer: { type: 'LoadBalancer' },
    workers: [0, 1, 2].map((n) => ({
      name: `worker${n}`,
      bootMACAddress: `aa:aa:aa:aa:02:1${n + 1}`,
      bmc: Bmc.fromAddress(
        `redfish-virtualmedia://[192.168.126.1]:9000/redfish/v1/Systems/local/hosted-worker${n}`,
        SecretRef.fromName(`hosted-worker${n}-bmc-secret`),
        { disableCertificateVerification: true },
      ),
    })),
    nodePools: [{ replicas: 3 }], // §6.3.12.5: scaling the pool is this one number
    dns: {
      apiAddresses: ['192.168.126.10', '2620:52:0:1306::2'],
      ingressAddresses: ['192.168.126.11', '2620:52:0:1306::3'],
    },
  });

  return site;
}

if (require.main === module) {
  const app = new BaremetalApp();
  build(app);
  app.synth();
}
