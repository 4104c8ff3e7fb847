// Seed §42.8–42.9: an air-gapped single-node telco site. The registry is described once, by an
// AirgapRegistryMirror; the RKE2 registries config, the chart sources, the chart CA and pull
// secret, and the preload lists all come from it: relative to registry.suse.com, as
// edge-save-*.sh -s registry.suse.com reads them (§42.3.2.7). docker.io and registry.rancher.com
// share the registry's root; SUSE's charts keep their path under it.
import { App, Chart } from 'cdk8s';
import {
  AirgapRegistryMirror,
  BaremetalApp,
  Bmc,
  OsImage,
  RegistryCa,
  SecretRef,
  SingleNodeCluster,
  TelcoProfile,
} from '../../lib';
import { REGISTRY_CA } from '../shared/test-registry-ca';

export function build(app: App): Chart {
  const site = new Chart(app, 'airgap-sno', { namespace: 'default' });

  const mirror = new AirgapRegistryMirror(site, 'Registry', {
    registry: '192.168.100.22:5000',
    ca: RegistryCa.fromPem(REGISTRY_CA),
    auth: SecretRef.fromName('private-registry-auth'),
    mirrors: [{ source: 'docker.io' }, { source: 'registry.suse.com/edge' }, { source: 'registry.rancher.com' }],
    // The SR-IOV images of §42.3.2.7, pulled from registry.suse.com by the save script.
    additionalImages: [
      'registry.suse.com/rancher/hardened-sriov-network-operator:v1.3.0-build20240816',
      'registry.suse.com/rancher/hardened-sriov-network-config-daemon:v1.3.0-build20240816',
      'registry.suse.com/rancher/hardened-sriov-cni:v2.8.1-build20240820',
      'registry.suse.com/rancher/hardened-ib-sriov-cni:v1.1.1-build20240816',
      'registry.suse.com/rancher/hardened-sriov-network-device-plugin:v3.7.0-build20240816',
      'registry.suse.com/rancher/hardened-sriov-network-resources-injector:v1.6.0-build20240816',
      'registry.suse.com/rancher/hardened-sriov-network-webhook:v1.3.0-build20240816',
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
    telco: TelcoProfile.suseEdgePreset({
      sriov: [
        { resourceName: 'sriov-resource-du1', interface: 'eth0', vfRange: [2, 5], driver: 'vfio-pci', numVfs: 8 },
        { resourceName: 'sriov-resource-du2', interface: 'eth1', vfRange: [2, 5], driver: 'vfio-pci', numVfs: 8 },
      ],
    }),
    registryMirror: mirror,
    airGapped: true,
    chartPullSecret: { secret: SecretRef.fromName('private-registry-chart-pull') },
  });

  mirror.addRke2PreloadLists({ relativeTo: 'registry.suse.com' });
  return site;
}

if (require.main === module) {
  const app = new BaremetalApp();
  build(app);
  app.synth();
}
