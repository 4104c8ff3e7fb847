import { SecretRef } from '../../lib/core/secret-ref';
import { WorkerPool, WorkerPoolProps } from '../../lib/clusters/worker-pool';
import { Bmc } from '../../lib/metal3/bmc';
import { OsImage } from '../../lib/metal3/os-image';
import { Rke2Version } from '../../lib/rke2/rke2-version';
import { TelcoProfile } from '../../lib/telco/telco-profile';
import { Manifest, testChart } from '../util';

function props(overrides: Partial<WorkerPoolProps> = {}): WorkerPoolProps {
  const host = (n: number) => ({
    name: `w${n}`,
    bootMACAddress: `00:00:00:00:01:0${n}`,
    bmc: Bmc.redfishVirtualMedia(`10.0.1.${n}`, '1', SecretRef.fromName(`w${n}-bmc`)),
  });
  return {
    name: 'edge',
    clusterName: 'c1',
    version: Rke2Version.parse('v1.32.4+rke2r1'),
    clusterImage: OsImage.fromUrl('http://images/os.raw'),
    hosts: [host(1), host(2), host(3)],
    ...overrides,
  };
}

function make(p: WorkerPoolProps) {
  const { chart } = testChart();
  const pool = new WorkerPool(chart, 'Pool', p);
  return { pool, m: Manifest.of(chart) };
}

describe('WorkerPool', () => {
  test('defaults to one machine per host, in-place rollout and the cluster image', () => {
    const { m } = make(props());
    expect(m.get('MachineDeployment', 'c1-edge').spec).toMatchObject({
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
    });
    expect(m.get('Metal3MachineTemplate', 'c1-edge').spec.template.spec.image.url).toBe('http://images/os.raw');
  });

  test('scaling is a one-line change of replicas', () => {
    expect(make(props({ replicas: 1 })).m.get('MachineDeployment', 'c1-edge').spec.replicas).toBe(1);
  });

  test('a spare host allows maxSurge 1', () => {
    const { m } = make(props({ replicas: 2, maxSurge: 1 }));
    expect(m.get('MachineDeployment', 'c1-edge').spec.strategy.rollingUpdate).toEqual({
      maxSurge: 1,
      maxUnavailable: 0,
    });
  });

  test('uses its own image when given', () => {
    const { m } = make(props({ image: OsImage.fromUrl('http://images/worker.qcow2') }));
    expect(m.get('Metal3MachineTemplate', 'c1-edge').spec.template.spec.image).toMatchObject({
      url: 'http://images/worker.qcow2',
      format: 'qcow2',
    });
  });

  test('a telco profile tunes the workers and loads vfio-pci before RKE2', () => {
    const telco = TelcoProfile.suseEdgePreset({
      sriov: [{ resourceName: 'du1', interface: 'eth0', driver: 'vfio-pci', numVfs: 4 }],
    });
    const spec = make(props({ telco })).m.get('RKE2ConfigTemplate', 'c1-edge').spec.template.spec;
    expect(spec.preRKE2Commands).toEqual(['modprobe vfio-pci enable_sriov=1 disable_idle_d3=1']);
    expect(spec.agentConfig.additionalUserData.config).toContain('nohz_full=1-30,33-62');
    expect(spec.agentConfig.additionalUserData.config).not.toContain('sriov-custom-auto-vfs.service');
  });

  test('fails when telco is not a TelcoProfile', () => {
    expect(() => make(props({ telco: {} as never }))).toThrow(/'telco' is not a TelcoProfile/);
  });

  test('fails when the pool has no hosts', () => {
    expect(() => make(props({ hosts: [] }))).toThrow(/'hosts' must hold at least one host/);
  });

  test('fails when replicas is negative or fractional', () => {
    expect(() => make(props({ replicas: -1 }))).toThrow(/'replicas' must be an integer/);
    expect(() => make(props({ replicas: 1.5 }))).toThrow(/'replicas' must be an integer/);
  });

  test('fails when the image is not an OsImage', () => {
    expect(() => make(props({ image: 'x' as never }))).toThrow(/'image' is not an OsImage/);
  });

  test('fails when the object name would not be a DNS-1123 label', () => {
    expect(() => make(props({ name: 'x'.repeat(62) }))).toThrow(/'name' is not a DNS-1123 label/);
  });
});
