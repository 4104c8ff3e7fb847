// Seed 002: a CN2 OpenShift cluster with cluster-managed networking (three control-plane nodes,
// two workers), installed by Assisted Service from the management cluster's API instead of
// curl calls to the hosted Assisted Installer. Machine network 172.16.0.0/24 on the first NIC,
// the CN2 control/data network 10.16.0.0/24 on the second; API and ingress VIPs .100/.101.
// The seed gives the nodes their addresses by DHCP; here they are static (NMStateConfigs), with
// the seed's 10.16.0.11-15 on the data network. Leave networkData out to keep DHCP.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import {
  AssistedCluster,
  BaremetalApp,
  Bmc,
  ClusterImageSet,
  ExtraManifests,
  IgnitionConfig,
  MachineConfig,
  NetworkData,
  SecretRef,
} from '../../lib';

/** The CN2 manifests directory (a stand-in here), found from the sources or the compiled example. */
const MANIFESTS = [
  join(__dirname, 'manifests'),
  join(__dirname, '..', '..', '..', 'examples', 'assisted-cn2', 'manifests'),
].find((d) => existsSync(d))!;

/** Static networking of node n: 172.16.0.1n on the first NIC, 10.16.0.1n on the second. */
function nodeNetwork(n: number): NetworkData {
  return NetworkData.nmstate({
    interfaces: [
      {
        type: 'ethernet',
        name: 'eth0',
        macAddress: `52:54:00:16:00:1${n}`,
        ipv4: { addresses: [`172.16.0.1${n}/24`] },
      },
      {
        type: 'ethernet',
        name: 'eth1',
        macAddress: `52:54:00:10:16:1${n}`,
        ipv4: { addresses: [`10.16.0.1${n}/24`] },
      },
    ],
    routes: [{ destination: '0.0.0.0/0', nextHopAddress: '172.16.0.1', nextHopInterface: 'eth0' }],
    dnsServers: ['172.16.0.10'], // the Assisted Installer client machine serves DNS/DHCP (seed step 5)
  });
}

export function build(app: App): Chart {
  const site = new Chart(app, 'assisted-cn2', { namespace: 'mycluster' });

  // The release (seed step 3.a: the OpenShift version CN2 supports).
  const release = new ClusterImageSet(site, 'Release', {
    releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.14.38-x86_64',
  });

  // Step 9: the CN2 manifests, plus a day-1 MachineConfig (hugepages for DPDK) installed with them.
  const hugepages = new MachineConfig(site, 'Hugepages', {
    role: 'worker',
    name: 'hugepages',
    order: 50,
    kernelArguments: ['default_hugepagesz=1G', 'hugepagesz=1G', 'hugepages=8'],
    applyDirectly: false, // day 1: installed by the cluster, not applied to the management cluster
  });
  const cn2 = new ExtraManifests(site, 'Cn2Manifests', {
    name: 'cn2-manifests',
    directory: MANIFESTS,
    machineConfigs: [hugepages],
  });

  // Step 4.c: the discovery image gets the extension API server's certificate setup.
  const discoveryIgnition = new IgnitionConfig()
    .addFile({
      path: '/usr/local/bin/cn2-apiserver-certs.sh',
      mode: 0o755,
      contents:
        "#!/bin/bash\n# Stand-in for the seed's encoded script that installs the extension API server certificates.\nexit 0\n",
    })
    .addUnit({
      name: 'cn2-apiserver-certs.service',
      enabled: true,
      contents:
        '[Unit]\nDescription=CN2 extension API server certificates\nBefore=agent.service\n\n[Service]\nType=oneshot\nExecStart=/usr/local/bin/cn2-apiserver-certs.sh\n\n[Install]\nWantedBy=multi-user.target\n',
    });

  const bmc = (n: number) => Bmc.redfishVirtualMedia(`192.168.100.1${n}`, '1', SecretRef.fromName(`ocp${n}-bmc`));
  // Step 8: the workers run the DPDK data path.
  const dpdk = { 'agent-mode': 'dpdk' };

  new AssistedCluster(site, 'Cluster', {
    clusterName: 'mycluster',
    baseDomain: 'contrail.lan',
    imageSet: release,
    pullSecret: SecretRef.fromName('mycluster-pull-secret'),
    sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmBTL3cVbNwFu7ccMf0aR0t3JvElxRVwKN9iwBmcmwZ admin@ai-client',
    networking: {
      machineNetworks: ['172.16.0.0/24'],
      clusterNetworks: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
      serviceNetworks: ['172.31.0.0/16'],
      apiVIPs: ['172.16.0.100'],
      ingressVIPs: ['172.16.0.101'],
      networkType: 'Contrail', // CN2, set through the install-config overrides
    },
    extraManifests: [cn2],
    discovery: { ignitionConfigOverride: discoveryIgnition },
    hosts: [
      { name: 'ocp1', role: 'master', bootMACAddress: '52:54:00:16:00:11', bmc: bmc(1), networkData: nodeNetwork(1) },
      { name: 'ocp2', role: 'master', bootMACAddress: '52:54:00:16:00:12', bmc: bmc(2), networkData: nodeNetwork(2) },
      { name: 'ocp3', role: 'master', bootMACAddress: '52:54:00:16:00:13', bmc: bmc(3), networkData: nodeNetwork(3) },
      {
        name: 'ocp4',
        role: 'worker',
        bootMACAddress: '52:54:00:16:00:14',
        bmc: bmc(4),
        networkData: nodeNetwork(4),
        nodeLabels: dpdk,
      },
      {
        name: 'ocp5',
        role: 'worker',
        bootMACAddress: '52:54:00:16:00:15',
        bmc: bmc(5),
        networkData: nodeNetwork(5),
        nodeLabels: dpdk,
      },
    ],
  });

  return site;
}

if (require.main === module) {
  const app = new BaremetalApp();
  build(app);
  app.synth();
}
