// Seed §42.7: a single-node telco site with CPU isolation, huge pages and two SR-IOV devices.
// The kernel arguments are derived from the CPU sets, not typed in.
import { App, Chart } from 'cdk8s';
import { Bmc, OsImage, SecretRef, SingleNodeCluster, TelcoProfile } from '../../lib';

export function build(app: App): Chart {
  const site = new Chart(app, 'telco-sno', { namespace: 'default' });

  const telco = TelcoProfile.suseEdgePreset({
    isolatedCpus: '1-30,33-62',
    cpuCount: 64,
    sriov: [
      { resourceName: 'sriov-resource-du1', interface: 'eth0', vfRange: [2, 5], driver: 'vfio-pci', numVfs: 8 },
      { resourceName: 'sriov-resource-du2', interface: 'eth1', vfRange: [2, 5], driver: 'vfio-pci', numVfs: 8 },
    ],
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
    },
    image: OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw', { checksumType: 'sha256' }),
    controlPlaneEndpoint: '192.168.200.80',
    telco,
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
