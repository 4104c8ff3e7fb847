// Seed §42.4 (dual-stack variant) + §42.6: one node with static IPv4/IPv6 addresses and a VLAN,
// given to the host through an nmstate networkData Secret.
import { App, Chart } from 'cdk8s';
import { Bmc, NetworkData, OsImage, SecretRef, SingleNodeCluster } from '../../lib';

export function build(app: App): Chart {
  const site = new Chart(app, 'single-node-static', { namespace: 'default' });

  const network = NetworkData.nmstate({
    interfaces: [
      {
        type: 'ethernet',
        name: 'eth0',
        macAddress: '00:0c:29:3e:3e:3e',
        mtu: 1500,
        ipv4: { addresses: ['192.168.100.10/24'] },
        ipv6: { addresses: ['fd00:100::10/64'] },
      },
      { type: 'vlan', name: 'floating', baseInterface: 'eth0', id: 100 },
    ],
    routes: [
      { destination: '0.0.0.0/0', nextHopAddress: '192.168.100.1', nextHopInterface: 'eth0' },
      { destination: '::/0', nextHopAddress: 'fd00:100::1', nextHopInterface: 'eth0' },
    ],
    dnsServers: ['192.168.100.2'],
  });

  new SingleNodeCluster(site, 'Cluster', {
    clusterName: 'single-node-cluster',
    rke2Version: 'v1.32.4+rke2r1',
    host: {
      name: 'example-demo',
      bootMACAddress: '00:0c:29:3e:3e:3e',
      bmc: Bmc.redfishVirtualMedia('192.168.200.75', '1', SecretRef.fromName('example-demo-credentials'), {
        disableCertificateVerification: true,
      }),
      rootDeviceHints: { deviceName: '/dev/nvme0n1' },
      networkData: network,
      networkDataSecretName: 'controlplane-0-networkdata',
    },
    image: OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw', { checksumType: 'sha256' }),
    controlPlaneEndpoint: '192.168.100.10',
    podCidrs: ['192.168.0.0/18', 'fd00:bad:cafe::/48'],
    serviceCidrs: ['10.96.0.0/12', 'fd00:bad:bad:cafe::/112'],
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
