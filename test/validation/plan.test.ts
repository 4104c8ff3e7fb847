import { formatPlan, planChanges } from '../../lib/validation/plan';

const bmh = (mac: string, address = 'redfish://10.0.0.1/redfish/v1/Systems/1') => ({
  apiVersion: 'metal3.io/v1alpha1',
  kind: 'BareMetalHost',
  metadata: { name: 'h1', namespace: 'site' },
  spec: { bootMACAddress: mac, bmc: { address, credentialsName: 'c' }, online: true },
});

describe('planChanges', () => {
  test('no change, no entry', () => {
    expect(planChanges([bmh('00:00:00:00:00:01')], [bmh('00:00:00:00:00:01')])).toEqual([]);
  });

  test('flags a boot MAC or BMC address change as rejected, with advice', () => {
    const [c] = planChanges(
      [bmh('00:00:00:00:00:01')],
      [bmh('00:00:00:00:00:02', 'redfish://10.0.0.2/redfish/v1/Systems/1')],
    );
    expect(c).toMatchObject({ id: 'BareMetalHost/site/h1', action: 'change', risk: 'rejected' });
    expect(c.fields.map((f) => f.path)).toEqual(['spec.bmc.address', 'spec.bootMACAddress']);
    expect(c.advice).toHaveLength(2);
  });

  test('a harmless change is safe', () => {
    const b = { ...bmh('00:00:00:00:00:01'), spec: { ...bmh('00:00:00:00:00:01').spec, online: false } };
    expect(planChanges([bmh('00:00:00:00:00:01')], [b])[0]).toMatchObject({ risk: 'safe', advice: [] });
  });

  test('removing a host is disruptive, adding one is safe', () => {
    expect(planChanges([bmh('00:00:00:00:00:01')], [])[0]).toMatchObject({
      action: 'remove',
      risk: 'disruptive',
      advice: [expect.stringMatching(/deprovisions/)],
    });
    expect(planChanges([], [bmh('00:00:00:00:00:01')])[0]).toMatchObject({ action: 'add', risk: 'safe' });
  });

  test.each([
    [
      'AgentClusterInstall',
      { networking: { clusterNetwork: [{ cidr: '10.128.0.0/14' }] } },
      { networking: { clusterNetwork: [{ cidr: '10.132.0.0/14' }] } },
      'rejected',
    ],
    ['HostedCluster', { platform: { type: 'Agent' } }, { platform: { type: 'None' } }, 'rejected'],
    ['HostedCluster', { dns: { baseDomain: 'a.example' } }, { dns: { baseDomain: 'b.example' } }, 'rejected'],
    [
      'HostedCluster',
      { etcd: { managed: { storage: { persistentVolume: { size: '8Gi' } } } } },
      { etcd: { managed: { storage: { persistentVolume: { size: '16Gi' } } } } },
      'rejected',
    ],
    ['NodePool', { arch: 'amd64' }, { arch: 'arm64' }, 'rejected'],
    ['NodePool', { release: { image: 'a@sha256:1' } }, { release: { image: 'a@sha256:2' } }, 'disruptive'],
    ['NodePool', { config: [{ name: 'a' }] }, { config: [{ name: 'b' }] }, 'disruptive'],
    ['NodePool', { replicas: 2 }, { replicas: 3 }, 'safe'],
    [
      'Metal3MachineTemplate',
      { template: { spec: { image: { url: 'a' } } } },
      { template: { spec: { image: { url: 'b' } } } },
      'rejected',
    ],
    ['RKE2ControlPlane', { version: 'v1.32.4+rke2r1' }, { version: 'v1.32.5+rke2r1' }, 'disruptive'],
  ])('%s change is %s', (kind, before, after, risk) => {
    const o = (spec: object) => ({ apiVersion: 'x/v1', kind, metadata: { name: 'n' }, spec });
    expect(planChanges([o(before)], [o(after)])[0].risk).toBe(risk);
  });

  test('formats a readable report with a summary line', () => {
    const text = formatPlan(planChanges([bmh('00:00:00:00:00:01')], [bmh('00:00:00:00:00:02')]));
    expect(text).toContain('!! change BareMetalHost/site/h1');
    expect(text).toContain('spec.bootMACAddress: "00:00:00:00:00:01" -> "00:00:00:00:00:02"');
    expect(text).toMatch(/1 object\(s\) differ: 1 rejected by a controller, 0 disruptive$/);
  });
});

describe('planChanges: one change hitting several rules', () => {
  const nodePool = (spec: object) => ({
    apiVersion: 'hypershift.openshift.io/v1beta1',
    kind: 'NodePool',
    metadata: { name: 'np', namespace: 'clusters' },
    spec,
  });

  test('a rejected rule followed by a disruptive rule stays rejected, with both advices', () => {
    // GIVEN a NodePool whose architecture (rejected) and release (disruptive) both change
    const [c] = planChanges(
      [nodePool({ arch: 'amd64', release: { image: 'r@sha256:1' } })],
      [nodePool({ arch: 'arm64', release: { image: 'r@sha256:2' } })],
    );
    // THEN the change is rejected, and both rules say why
    expect(c).toMatchObject({ id: 'NodePool/clusters/np', action: 'change', risk: 'rejected' });
    expect(c.advice).toEqual([
      expect.stringMatching(/refuses a new architecture/),
      expect.stringMatching(/every node of the pool is updated/),
    ]);
  });

  test('a disruptive rule alone makes the change disruptive, not rejected', () => {
    const [c] = planChanges(
      [nodePool({ arch: 'amd64', tuningConfig: [] })],
      [nodePool({ arch: 'amd64', tuningConfig: [{ name: 't' }] })],
    );
    expect(c).toMatchObject({ risk: 'disruptive', advice: [expect.stringMatching(/every node of the pool/)] });
  });

  test('a safe field next to a disruptive one leaves the change disruptive', () => {
    const [c] = planChanges(
      [nodePool({ replicas: 2, release: { image: 'r@sha256:1' } })],
      [nodePool({ replicas: 3, release: { image: 'r@sha256:2' } })],
    );
    expect(c.risk).toBe('disruptive');
    expect(c.fields.map((f) => f.path)).toEqual(['spec.release.image', 'spec.replicas']);
  });
});
