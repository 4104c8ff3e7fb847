// Seed §42.4: a single-node RKE2 cluster provisioned by Metal3 ("direct network provisioning").
import { App, Chart } from 'cdk8s';
import { Bmc, OsImage, SecretRef, SingleNodeCluster } from '../../lib';

export function build(app: App): Chart {
  const site = new Chart(app, 'single-node', { namespace: 'default' });

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
    podCidrs: ['192.168.0.0/18'],
    serviceCidrs: ['10.96.0.0/12'],
    cni: { plugin: 'cilium', multus: true },
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
