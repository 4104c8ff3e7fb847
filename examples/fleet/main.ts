// A fleet is one app: three single-node sites, each in its own namespace. Boot MACs, BMC
// addresses, host names and static IPs are checked for uniqueness across all of them.
import { App, Chart } from 'cdk8s';
import { Bmc, OsImage, SecretRef, SingleNodeCluster } from '../../lib';

/** The inventory: one line per site (in real fleets, read from a file). */
export const SITES = [
  { name: 'berlin-01', bmc: '10.10.1.10', mac: '0c:c4:7a:10:01:01', endpoint: '10.10.1.20' },
  { name: 'munich-01', bmc: '10.10.2.10', mac: '0c:c4:7a:10:02:01', endpoint: '10.10.2.20' },
  { name: 'hamburg-01', bmc: '10.10.3.10', mac: '0c:c4:7a:10:03:01', endpoint: '10.10.3.20' },
];

export function build(app: App, sites = SITES): Chart[] {
  const image = OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw', { checksumType: 'sha256' });
  return sites.map((s) => {
    const chart = new Chart(app, s.name, { namespace: `site-${s.name}` });
    new SingleNodeCluster(chart, 'Cluster', {
      clusterName: s.name,
      rke2Version: 'v1.32.4+rke2r1',
      host: {
        name: `${s.name}-node1`,
        bootMACAddress: s.mac,
        bmc: Bmc.redfishVirtualMedia(s.bmc, '1', SecretRef.fromName(`${s.name}-node1-bmc`)),
      },
      image,
      controlPlaneEndpoint: s.endpoint,
    });
    return chart;
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
