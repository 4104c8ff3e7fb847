import { ButaneConfig } from '../../lib/butane/butane-config';
import { Rke2ControlPlane } from '../../lib/rke2/rke2-control-plane';
import { Rke2Version } from '../../lib/rke2/rke2-version';
import { Manifest, testChart } from '../util';

describe('Rke2ControlPlane', () => {
  const base = {
    name: 'c1',
    replicas: 3,
    version: Rke2Version.parse('v1.32.4+rke2r1'),
    machineTemplate: {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'Metal3MachineTemplate',
      name: 'c1-controlplane',
    },
    cni: { cni: 'calico' as const, cniMultusEnable: true },
    maxSurge: 1 as const,
  };

  test('uses machineTemplate.infrastructureRef (not the deprecated spec.infrastructureRef)', () => {
    const { chart } = testChart();
    new Rke2ControlPlane(chart, 'CP', { ...base, userData: new ButaneConfig() });
    const spec = Manifest.of(chart).get('RKE2ControlPlane', 'c1').spec;
    expect(spec.machineTemplate.infrastructureRef.name).toBe('c1-controlplane');
    expect(spec).not.toHaveProperty('infrastructureRef');
  });

  test('passes replicas, surge, registration and TLS SANs', () => {
    const { chart } = testChart();
    new Rke2ControlPlane(chart, 'CP', {
      ...base,
      userData: new ButaneConfig(),
      registrationMethod: 'control-plane-endpoint',
      tlsSan: ['192.168.1.100', 'api.example'],
    });
    expect(Manifest.of(chart).get('RKE2ControlPlane', 'c1').spec).toMatchObject({
      replicas: 3,
      registrationMethod: 'control-plane-endpoint',
      rolloutStrategy: { rollingUpdate: { maxSurge: 1 } },
      serverConfig: { cni: 'calico', cniMultusEnable: true, tlsSan: ['192.168.1.100', 'api.example'] },
    });
  });

  test('renders the Butane config at synth time', () => {
    const { chart } = testChart();
    const userData = new ButaneConfig();
    new Rke2ControlPlane(chart, 'CP', { ...base, userData });
    userData.addFile({ path: '/etc/added-later', contents: '' });
    expect(Manifest.of(chart).get('RKE2ControlPlane', 'c1').spec.agentConfig.additionalUserData.config).toContain(
      '/etc/added-later',
    );
  });
});
