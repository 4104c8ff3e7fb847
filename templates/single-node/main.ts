// One server that is its own control plane: Metal3 BareMetalHost, Cluster API and RKE2.
// Every value below is a placeholder: replace it with your site's facts, then `npm run synth`.
// Credentials are never written here: the BMC Secret is created on the management cluster by
// your secret manager (see `external:` in cdk8s.yaml).
import { App, Chart } from 'cdk8s';
import { Bmc, OsImage, SecretRef, SingleNodeCluster } from 'cdk8s-baremetal';

export function build(app: App): Chart {
  const site = new Chart(app, 'site-01', { namespace: 'site-01' });

  new SingleNodeCluster(site, 'Cluster', {
    clusterName: 'site-01',
    rke2Version: 'v1.32.4+rke2r1',
    host: {
      name: 'site-01-node1',
      bootMACAddress: '00:00:5e:00:53:01',
      bmc: Bmc.redfishVirtualMedia('192.0.2.10', '1', SecretRef.fromName('site-01-node1-bmc')),
    },
    image: OsImage.fromUrl('http://imagecache.example.internal:8080/eib-output.raw', { checksumType: 'sha256' }),
    controlPlaneEndpoint: '198.51.100.10',
  });

  return site;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
