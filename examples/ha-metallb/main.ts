// Seed §42.5: three control-plane hosts behind a MetalLB VIP, plus one worker pool.
import { App, Chart } from 'cdk8s';
import { Bmc, HaClusterWithMetalLB, OsImage, SecretRef } from '../../lib';

export function build(app: App): Chart {
  const site = new Chart(app, 'ha-metallb', { namespace: 'default' });

  const host = (n: number, mac: string) => ({
    name: `node${n}-example`,
    bootMACAddress: mac,
    bmc: Bmc.redfishVirtualMedia(`192.168.200.${74 + n}`, '1', SecretRef.fromName(`node${n}-example-credentials`), {
      disableCertificateVerification: true,
    }),
  });

  const cluster = new HaClusterWithMetalLB(site, 'Cluster', {
    clusterName: 'multinode-cluster',
    rke2Version: 'v1.32.4+rke2r1',
    vip: '192.168.122.100',
    machineNetwork: '192.168.122.0/24',
    sslipName: true,
    controlPlaneHosts: [host(1, '00:f3:65:8a:a3:b0'), host(2, '00:f3:65:8a:a3:b1'), host(3, '00:f3:65:8a:a3:b2')],
    image: OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw', { checksumType: 'sha256' }),
    podCidrs: ['192.168.0.0/18'],
    serviceCidrs: ['10.96.0.0/12'],
    cni: { plugin: 'cilium', multus: true },
  });

  cluster.addWorkerPool('workers', {
    hosts: [host(4, '00:f3:65:8a:a3:b3'), host(5, '00:f3:65:8a:a3:b4')],
    replicas: 2,
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
