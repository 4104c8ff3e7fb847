import { formatPlan, planChanges, REDACTED, summarizePlan } from '../../lib/validation/plan';

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

  test('an object without namespace is the one in the apply namespace', () => {
    const noNs = { ...bmh('00:00:00:00:00:01'), metadata: { name: 'h1' } };
    const inDefault = { ...bmh('00:00:00:00:00:01'), metadata: { name: 'h1', namespace: 'default' } };
    expect(planChanges([noNs], [inDefault])).toEqual([]);
    const inSite = { ...bmh('00:00:00:00:00:01'), metadata: { name: 'h1', namespace: 'site' } };
    expect(planChanges([noNs], [inSite], { namespace: 'site' })).toEqual([]);
    expect(planChanges([noNs], [inSite]).map((c) => `${c.action} ${c.id}`)).toEqual([
      'remove BareMetalHost/default/h1',
      'add BareMetalHost/site/h1',
    ]);
  });

  test('objects are matched by API group, not version', () => {
    const v = (apiVersion: string) => ({ ...bmh('00:00:00:00:00:01'), apiVersion });
    expect(planChanges([v('metal3.io/v1alpha1')], [v('metal3.io/v1beta1')])).toEqual([
      expect.objectContaining({ action: 'change', fields: [expect.objectContaining({ path: 'apiVersion' })] }),
    ]);
  });

  test('values that may be secret are redacted in the changes and the report', () => {
    // GIVEN a Secret, a credential-looking annotation and a BMC address with credentials that change
    const secret = (password: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'site', annotations: { 'example.com/api-token': password } },
      stringData: { password },
    });
    const changes = planChanges(
      [secret('old-hunter2'), bmh('00:00:00:00:00:01')],
      [secret('new-hunter2'), bmh('00:00:00:00:00:01', 'redfish://admin:new-hunter2@10.0.0.1/redfish/v1/Systems/1')],
    );
    // THEN
    expect(changes.flatMap((c) => c.fields)).toEqual([
      { path: 'spec.bmc.address', before: REDACTED, after: REDACTED, redacted: true },
      { path: 'metadata.annotations.example.com/api-token', before: REDACTED, after: REDACTED, redacted: true },
      { path: 'stringData.password', before: REDACTED, after: REDACTED, redacted: true },
    ]);
    const text = `${formatPlan(changes)}${JSON.stringify(changes)}`;
    expect(text).not.toContain('hunter2');
    expect(formatPlan(changes)).toContain(
      'stringData.password: <redacted> -> <redacted> (values not shown: they may be secret)',
    );
  });

  test('a new field keeps absent as absent when redacted', () => {
    const s = (data: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    expect(planChanges([s({})], [s({ token: 'c2VjcmV0' })])[0].fields).toEqual([
      { path: 'data.token', before: undefined, after: REDACTED, redacted: true },
    ]);
  });

  test('summarizePlan counts by risk', () => {
    const changes = planChanges([bmh('00:00:00:00:00:01')], [bmh('00:00:00:00:00:02')]);
    expect(summarizePlan(changes)).toEqual({ differ: 1, rejected: 1, disruptive: 0 });
  });
});
