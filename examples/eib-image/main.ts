// Seed §42.2 and §42.3: the Edge Image Builder folders of the downstream cluster image, connected
// and air-gapped, with the telco extras. They are site files, not Kubernetes objects: this
// example's manifest is empty, and `new BaremetalApp().synth()` writes the two folders under eib/.
import { App, Chart } from 'cdk8s';
import {
  BaremetalApp,
  BuildSecret,
  DEFAULT_SRIOV_CRD_CHART,
  DEFAULT_SRIOV_OPERATOR_CHART,
  EdgeImageDefinition,
  EdgeImageDefinitionProps,
} from '../../lib';

const ADMIN_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBD1Xg0oUk+xbZFVPwI+e9J5JN0yIaxvkMv/leVn0+b7 admin@example.com';

export function build(app: App): Chart {
  const site = new Chart(app, 'eib-image');

  const common: EdgeImageDefinitionProps = {
    baseImage: 'SL-Micro.x86_64-6.1-Base-GM.raw',
    outputImageName: 'eibimage-output-telco.raw',
    arch: 'x86_64',
    users: [{ username: 'root', encryptedPassword: BuildSecret.fromEnv('ROOT_PASSWORD_HASH'), sshKeys: [ADMIN_KEY] }],
    sccRegistrationCode: BuildSecret.fromEnv('SCC_REGISTRATION_CODE'),
    telco: { performanceSettings: true, sriovAutoFiller: true },
  };

  new EdgeImageDefinition(site, 'Connected', { ...common, dir: 'eib/connected' });

  new EdgeImageDefinition(site, 'AirGapped', {
    ...common,
    dir: 'eib/airgap',
    airGap: {
      rke2Version: 'v1.32.4+rke2r1',
      cni: { plugin: 'cilium', multus: true },
      // Both lists relative to registry.suse.com, as edge-save-*.sh -s registry.suse.com reads them.
      preloadRelativeTo: 'registry.suse.com',
      preloadHelmCharts: [DEFAULT_SRIOV_CRD_CHART, DEFAULT_SRIOV_OPERATOR_CHART],
      preloadImages: [
        'rancher/hardened-sriov-network-operator:v1.3.0-build20240816',
        'rancher/hardened-sriov-network-config-daemon:v1.3.0-build20240816',
        'rancher/hardened-sriov-cni:v2.8.1-build20240820',
        'rancher/hardened-ib-sriov-cni:v1.1.1-build20240816',
        'rancher/hardened-sriov-network-device-plugin:v3.7.0-build20240816',
        'rancher/hardened-sriov-network-resources-injector:v1.6.0-build20240816',
        'rancher/hardened-sriov-network-webhook:v1.3.0-build20240816',
      ],
    },
  });

  return site;
}

if (require.main === module) {
  const app = new BaremetalApp();
  build(app);
  app.synth();
}
