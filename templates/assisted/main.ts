// An OpenShift cluster installed by Assisted Service from the management cluster, declaratively:
// ClusterDeployment, AgentClusterInstall, InfraEnv and one BareMetalHost per node, and the
// release as a ClusterImageSet. Three control-plane nodes that also run workloads.
// Every value below is a placeholder: replace it with your site's facts, then `npm run synth`.
// Credentials are never written here: the pull secret and the BMC Secrets are created on the
// management cluster by your secret manager (see `external:` in cdk8s.yaml).
import { App, Chart } from 'cdk8s';
import { AssistedCluster, Bmc, ClusterImageSet, SecretRef } from 'cdk8s-baremetal';

export function build(app: App): Chart {
  const site = new Chart(app, 'cluster-01', { namespace: 'cluster-01' });

  const release = new ClusterImageSet(site, 'Release', {
    releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64',
  });

  new AssistedCluster(site, 'Cluster', {
    clusterName: 'cluster-01',
    baseDomain: 'example.internal',
    imageSet: release,
    pullSecret: SecretRef.fromName('cluster-01-pull-secret'),
    sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmBTL3cVbNwFu7ccMf0aR0t3JvElxRVwKN9iwBmcmwZ admin@example',
    networking: {
      machineNetworks: ['198.51.100.0/24'],
      clusterNetworks: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
      serviceNetworks: ['172.30.0.0/16'],
      apiVIPs: ['198.51.100.100'],
      ingressVIPs: ['198.51.100.101'],
    },
    hosts: [1, 2, 3].map((n) => ({
      name: `cluster-01-master${n}`,
      role: 'master' as const,
      bootMACAddress: `00:00:5e:00:53:1${n}`,
      bmc: Bmc.redfishVirtualMedia(`192.0.2.1${n}`, '1', SecretRef.fromName(`cluster-01-master${n}-bmc`)),
    })),
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
