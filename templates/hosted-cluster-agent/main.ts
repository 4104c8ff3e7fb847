// OpenShift Hosted Control Planes on bare metal (HyperShift, Agent platform): the hub side
// (multicluster engine with HyperShift and Assisted Service) and one hosted cluster with its
// InfraEnv, three worker BareMetalHosts and their NodePool.
// Every value below is a placeholder: replace it with your site's facts, then `npm run synth`.
// Credentials are never written here: pull secrets, the etcd encryption key and the BMC Secrets
// are created on the management cluster by your secret manager (see `external:` in cdk8s.yaml).
import { App, Chart } from 'cdk8s';
import { AgentServiceConfig, Bmc, HostedClusterAgent, MultiClusterEngine, SecretRef } from 'cdk8s-baremetal';

export function build(app: App): Chart {
  const site = new Chart(app, 'hub-01');

  const engine = new MultiClusterEngine(site, 'Engine');

  new AgentServiceConfig(site, 'AgentServiceConfig', {
    multiClusterEngine: engine,
    databaseStorage: { storageClassName: 'lvms-vg1', size: '10Gi' },
    filesystemStorage: { storageClassName: 'lvms-vg1', size: '20Gi' },
    osImages: [
      {
        openshiftVersion: '4.19',
        version: '9.6.20250523-0',
        url: 'http://images.example.internal:8080/rhcos-live-iso.x86_64.iso',
        rootFSUrl: 'http://images.example.internal:8080/rhcos-live-rootfs.x86_64.img',
      },
    ],
  });

  new HostedClusterAgent(site, 'Hosted', {
    name: 'hosted-01',
    namespace: 'clusters',
    baseDomain: 'example.internal',
    // by digest: `oc adm release info quay.io/openshift-release-dev/ocp-release:<version>-x86_64`
    releaseImage:
      'quay.io/openshift-release-dev/ocp-release@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    pullSecret: SecretRef.fromName('hosted-01-pull-secret'),
    etcdEncryptionKey: SecretRef.fromName('hosted-01-etcd-encryption-key'),
    sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmBTL3cVbNwFu7ccMf0aR0t3JvElxRVwKN9iwBmcmwZ admin@example',
    workers: [1, 2, 3].map((n) => ({
      name: `worker${n}`,
      bootMACAddress: `00:00:5e:00:53:1${n}`,
      bmc: Bmc.redfishVirtualMedia(`192.0.2.1${n}`, '1', SecretRef.fromName(`hosted-01-worker${n}-bmc`)),
    })),
    nodePools: [{ replicas: 3 }],
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
