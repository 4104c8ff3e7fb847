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

describe('planChanges: every watched field, at its path and one step past it', () => {
  const o = (kind: string, spec: object) => ({
    apiVersion: 'x/v1',
    kind,
    metadata: { name: 'n', namespace: 'ns' },
    spec,
  });
  /** The change of `spec.<field>` from 1 to 2, as the planner judges it. */
  const judge = (kind: string, field: string) => {
    const set = (v: number) => field.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), v) as object;
    return planChanges([o(kind, set(1))], [o(kind, set(2))])[0];
  };

  test.each([
    ['BareMetalHost', 'bootMACAddress', 'rejected', /refuses to change bootMACAddress once the host is registered/],
    ['BareMetalHost', 'bmc.address', 'rejected', /refuses a new BMC address after registration/],
    [
      'AgentClusterInstall',
      'networking.machineNetwork',
      'rejected',
      /networking of an installed cluster cannot change/,
    ],
    ['AgentClusterInstall', 'apiVIPs', 'rejected', /networking of an installed cluster/],
    ['AgentClusterInstall', 'ingressVIPs', 'rejected', /networking of an installed cluster/],
    ['AgentClusterInstall', 'platformType', 'rejected', /only applies before installation starts/],
    ['HostedCluster', 'platform.type', 'rejected', /HyperShift treats platform and networking as immutable/],
    ['HostedCluster', 'networking.serviceNetwork', 'rejected', /create a new HostedCluster and migrate workloads/],
    ['HostedCluster', 'controllerAvailabilityPolicy', 'rejected', /refuses changes to availability policy/],
    ['HostedCluster', 'dns.baseDomain', 'rejected', /base domain/],
    ['HostedCluster', 'etcd.managementType', 'rejected', /etcd storage/],
    ['HostedCluster', 'fips', 'rejected', /FIPS/],
    ['HostedCluster', 'olmCatalogPlacement', 'rejected', /OLM catalog placement/],
    ['HostedCluster', 'infraID', 'rejected', /infra ID/],
    ['HostedCluster', 'issuerURL', 'rejected', /issuer URL; create a new HostedCluster/],
    ['NodePool', 'arch', 'rejected', /refuses a new architecture or platform; add a new NodePool/],
    ['NodePool', 'platform.type', 'rejected', /refuses a new architecture or platform/],
    ['NodePool', 'release.image', 'disruptive', /every node of the pool is updated .*plan a maintenance window/],
    ['NodePool', 'config', 'disruptive', /every node of the pool is updated/],
    ['NodePool', 'tuningConfig', 'disruptive', /every node of the pool is updated/],
    ['Cluster', 'clusterNetwork.pods', 'rejected', /Cluster API refuses changes to the cluster network/],
    ['Cluster', 'controlPlaneRef.name', 'rejected', /references of an existing Cluster/],
    ['Cluster', 'infrastructureRef.name', 'rejected', /references of an existing Cluster/],
    [
      'Metal3Cluster',
      'controlPlaneEndpoint.host',
      'rejected',
      /the control-plane endpoint of a provisioned cluster cannot move/,
    ],
    ['Metal3MachineTemplate', 'template.spec.image.url', 'rejected', /machine templates are immutable/],
    ['RKE2ControlPlane', 'version', 'disruptive', /rolls every control-plane machine/],
    ['RKE2ControlPlane', 'agentConfig.format', 'disruptive', /rolls every control-plane machine/],
    ['RKE2ControlPlane', 'serverConfig.cni', 'disruptive', /rolls every control-plane machine/],
    ['RKE2ControlPlane', 'machineTemplate.infrastructureRef', 'disruptive', /maxSurge is 0/],
    [
      'MachineDeployment',
      'template.spec.version',
      'disruptive',
      /rolls every machine of the pool; hosts are re-provisioned/,
    ],
  ])('%s spec.%s is %s', (kind, field, risk, advice) => {
    const c = judge(kind, field);
    expect(c).toMatchObject({ action: 'change', risk, fields: [{ path: `spec.${field}`, before: 1, after: 2 }] });
    expect(c.advice).toEqual([expect.stringMatching(advice)]);
  });

  test.each([
    ['BareMetalHost', 'bootMACAddressHint'],
    ['BareMetalHost', 'bmc.addressType'],
    ['HostedCluster', 'fipsMode'],
    ['HostedCluster', 'platformExtra'],
    ['NodePool', 'architecture'],
    ['NodePool', 'replicas'],
    ['Cluster', 'paused'],
    ['Metal3Cluster', 'noCloudProvider'],
    ['RKE2ControlPlane', 'replicas'],
    ['MachineDeployment', 'replicas'],
    ['Secret', 'template'],
  ])('%s spec.%s, next to a watched field, is safe', (kind, field) => {
    expect(judge(kind, field)).toMatchObject({ risk: 'safe', advice: [] });
  });

  test('removing a Cluster is disruptive; removing any other object is safe', () => {
    expect(planChanges([o('Cluster', {})], [])[0]).toEqual({
      id: 'Cluster/ns/n',
      action: 'remove',
      fields: [],
      risk: 'disruptive',
      advice: ['removing the Cluster deletes every machine and deprovisions its hosts'],
    });
    expect(planChanges([o('ConfigMap', {})], [])[0]).toEqual({
      id: 'ConfigMap/ns/n',
      action: 'remove',
      fields: [],
      risk: 'safe',
      advice: [],
    });
  });

  test('an object without namespace is identified with an empty namespace', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'site' } };
    expect(planChanges([], [ns])[0]).toEqual({
      id: 'Namespace//site',
      action: 'add',
      fields: [],
      risk: 'safe',
      advice: [],
    });
  });

  test('fields gone or new are listed with an absent side; arrays compare as a whole', () => {
    const [c] = planChanges([o('ConfigMap', { a: 1, list: [1, 2] })], [o('ConfigMap', { b: 2, list: [1, 3] })]);
    expect(c.fields).toEqual([
      { path: 'spec.a', before: 1, after: undefined },
      { path: 'spec.b', before: undefined, after: 2 },
      { path: 'spec.list', before: [1, 2], after: [1, 3] },
    ]);
  });

  test('the report marks each risk, shows absent values and counts each risk', () => {
    const text = formatPlan([
      {
        id: 'A/ns/a',
        action: 'change',
        fields: [{ path: 'spec.x', before: undefined, after: 'y' }],
        risk: 'disruptive',
        advice: ['roll'],
      },
      { id: 'B/ns/b', action: 'add', fields: [], risk: 'safe', advice: [] },
      { id: 'C/ns/c', action: 'remove', fields: [], risk: 'rejected', advice: ['no'] },
    ]);
    expect(text.split('\n')).toEqual([
      ' ! change A/ns/a',
      '         spec.x: (absent) -> "y"',
      '         disruptive: roll',
      '   add    B/ns/b',
      '!! remove C/ns/c',
      '         rejected: no',
      '3 object(s) differ: 1 rejected by a controller, 1 disruptive',
    ]);
  });

  test('the report cuts long values at 120 characters', () => {
    const long = 'x'.repeat(200);
    const text = formatPlan([
      {
        id: 'A/ns/a',
        action: 'change',
        fields: [{ path: 'spec.x', before: long, after: 1 }],
        risk: 'safe',
        advice: [],
      },
    ]);
    expect(text).toContain(`spec.x: ${JSON.stringify(long).slice(0, 120)} -> 1`);
    expect(text).not.toContain(JSON.stringify(long).slice(0, 121));
  });
});

describe('planChanges: identity, order and nulls', () => {
  test('changes come sorted by id, whatever the input order', () => {
    const o = (kind: string, name: string) => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'ns' } });
    expect(planChanges([], [o('Secret', 'b'), o('ConfigMap', 'z'), o('Secret', 'a')]).map((c) => c.id)).toEqual([
      'ConfigMap/ns/z',
      'Secret/ns/a',
      'Secret/ns/b',
    ]);
  });

  test('an object without metadata is identified without a TypeError', () => {
    expect(planChanges([], [{ kind: 'List' }])[0]).toMatchObject({
      id: expect.stringMatching(/^List\//),
      action: 'add',
    });
  });

  test('a field set to or from null is one change, not a walk into null', () => {
    const o = (spec: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' }, spec });
    expect(planChanges([o({ a: null })], [o({ a: { b: 1 } })])[0].fields).toEqual([
      { path: 'spec.a', before: null, after: { b: 1 } },
    ]);
    expect(planChanges([o({ a: { b: 1 } })], [o({ a: 'x' })])[0].fields).toEqual([
      { path: 'spec.a', before: { b: 1 }, after: 'x' },
    ]);
  });
});
