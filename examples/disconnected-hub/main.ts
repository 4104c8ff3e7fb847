// Seed 001 §6.3: the management-cluster side of a disconnected Hosted Control Plane site.
// One mirror definition yields the Assisted Service registries ConfigMap (§6.3.1, §6.3.10),
// the registry CA trust of the hub (§6.3.11.1), the digest mirrors and catalog source applied
// to it (§6.3.9), and the oc-mirror ImageSetConfiguration (§6.3.8, written as a site file).
import { App, Chart } from 'cdk8s';
import { AirgapRegistryMirror, BaremetalApp, RegistryCa } from '../../lib';
import { REGISTRY_CA } from '../shared/test-registry-ca';

export function build(app: App): Chart {
  const hub = new Chart(app, 'disconnected-hub');

  const mirror = new AirgapRegistryMirror(hub, 'Registry', {
    registry: 'registry.dns.base.domain.name:5000',
    ca: RegistryCa.fromPem(REGISTRY_CA),
    unqualifiedSearchRegistries: ['registry.access.redhat.com', 'docker.io'],
    mirrors: [
      { source: 'registry.redhat.io/openshift4' },
      { source: 'registry.redhat.io/rhacm2' },
      { source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirror: 'openshift/release' },
      { source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' },
      { source: 'registry.redhat.io/redhat' },
    ],
    releases: {
      channels: [{ name: 'candidate-4.19', minVersion: '4.19.0', maxVersion: '4.19.2', type: 'ocp' }],
      kubeVirtContainer: true,
      graph: true,
    },
    operators: [
      {
        catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
        packages: [
          { name: 'lvms-operator' },
          { name: 'local-storage-operator' },
          { name: 'odf-csi-addons-operator' },
          { name: 'odf-operator' },
          { name: 'mcg-operator' },
          { name: 'ocs-operator' },
          { name: 'metallb-operator' },
          { name: 'kubevirt-hyperconverged' },
        ],
      },
    ],
  });

  mirror.addImageSetConfiguration(); // §6.3.8: disconnected-hub/imageset-config.yaml
  mirror.addImageDigestMirrorSet(); // §6.3.9
  mirror.addCatalogSources(); // §6.3.9
  mirror.addAssistedServiceConfigMap(); // §6.3.10: custom-registries, for AgentServiceConfig.spec.mirrorRegistryRef
  mirror.addOpenShiftTrust(); // §6.3.11.1: registry-config and the cluster Image

  return hub;
}

if (require.main === module) {
  const app = new BaremetalApp();
  build(app);
  app.synth();
}
