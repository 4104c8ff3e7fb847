// Three control-plane hosts behind a MetalLB VIP, plus one worker pool: Metal3, Cluster API, RKE2.
// Every value below is a placeholder: replace it with your site's facts, then `npm run synth`.
// Credentials are never written here: the BMC Secrets are created on the management cluster by
// your secret manager (see `external:` in cdk8s.yaml).
import { App, Chart } from 'cdk8s';
import { Bmc, HaClusterWithMetalLB, OsImage, SecretRef } from 'cdk8s-baremetal';

export function build(app: App): Chart {
  const site = new Chart(app, 'site-01', { namespace: 'site-01' });

  const host = (n: number) => ({
    name: `site-01-node${n}`,
    bootMACAddress: `00:00:5e:00:53:0${n}`,
    bmc: Bmc.redfishVirtualMedia(`192.0.2.1${n}`, '1', SecretRef.fromName(`site-01-node${n}-bmc`)),
  });

  const cluster = new HaClusterWithMetalLB(site, 'Cluster', {
    clusterName: 'site-01',
    rke2Version: 'v1.32.4+rke2r1',
    vip: '198.51.100.100',
    machineNetwork: '198.51.100.0/24',
    controlPlaneHosts: [host(1), host(2), host(3)],
    image: OsImage.fromUrl('http://imagecache.example.internal:8080/eib-output.raw', { checksumType: 'sha256' }),
  });

  cluster.addWorkerPool('workers', { hosts: [host(4), host(5)], replicas: 2 });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
