import { BaremetalValidationError } from '../../lib/errors';
import {
  assertValidManifests,
  celRulesFor,
  formatIssue,
  hasSchema,
  ManifestSchemaError,
  schemaFor,
  shippedSchemas,
  UNCHECKED_CORE_KINDS,
  UNCHECKED_GITOPS_KINDS,
  validateManifest,
  validateManifests,
} from '../../lib/validation/schema-validator';
import { gitOpsManifests } from '../../lib/fleet/fleet-synth';

// Manifests are free-form JSON here: tests build broken ones on purpose.

type Json = Record<string, any>;

/** A minimal valid BareMetalHost; `spec` is merged over the valid one. */
function host(spec: Json = {}, metadata: Json = { name: 'node1', namespace: 'site' }): Json {
  return {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata,
    spec: {
      online: true,
      bootMACAddress: '00:0c:29:3e:3e:3e',
      bmc: { address: 'redfish-virtualmedia://192.168.200.75/redfish/v1/Systems/1', credentialsName: 'node1-bmc' },
      ...spec,
    },
  };
}

function obj(apiVersion: string, kind: string, spec: Json, name = 'x'): Json {
  return { apiVersion, kind, metadata: { name, namespace: 'site' }, spec };
}

/** The formatted issues of one object. */
function problems(manifest: unknown): string[] {
  return validateManifest(manifest).map(formatIssue);
}

describe('validateManifest: BareMetalHost', () => {
  test('a minimal valid BareMetalHost has no issue', () => {
    // GIVEN a host with online, a BMC address and credentials, and a boot MAC address
    // WHEN it is validated
    // THEN nothing is reported
    expect(validateManifest(host())).toEqual([]);
  });

  test('fails when a field is unknown, naming the object that holds it and a close match', () => {
    // GIVEN a misspelt field
    const manifest = host({ bootMacAddres: '00:0c:29:3e:3e:3e' });
    // WHEN validated
    const issues = validateManifest(manifest);
    // THEN the issue points at /spec and names the field
    expect(issues).toEqual([
      {
        apiVersion: 'metal3.io/v1alpha1',
        kind: 'BareMetalHost',
        name: 'node1',
        namespace: 'site',
        path: '/spec',
        message: "unknown field 'bootMacAddres'; did you mean 'bootMACAddress'?",
      },
    ]);
    expect(formatIssue(issues[0])).toBe(
      "[BareMetalHost/node1] '/spec' unknown field 'bootMacAddres'; did you mean 'bootMACAddress'?",
    );
  });

  test('fails when a nested field is unknown', () => {
    // GIVEN an unknown field inside spec.bmc
    const manifest = host({ bmc: { address: 'ipmi://10.0.0.1', credentialsName: 'c', port: 623 } });
    // WHEN validated / THEN the path is /spec/bmc
    expect(problems(manifest)).toEqual(["[BareMetalHost/node1] '/spec/bmc' unknown field 'port'"]);
  });

  test('fails when a value has the wrong type', () => {
    // GIVEN online as a string
    // WHEN validated / THEN the message names the expected type and the value
    expect(problems(host({ online: 'yes' }))).toEqual([
      `[BareMetalHost/node1] '/spec/online' must be boolean (got "yes")`,
    ]);
  });

  test('fails when a value is outside its enum, listing the allowed values', () => {
    // GIVEN a boot mode upstream does not know
    // WHEN validated / THEN every allowed value is listed
    expect(problems(host({ bootMode: 'bios' }))).toEqual([
      `[BareMetalHost/node1] '/spec/bootMode' must be one of "UEFI", "UEFISecureBoot", "legacy" (got "bios")`,
    ]);
  });

  test('fails when a required field is missing', () => {
    // GIVEN a host without spec.online
    const manifest = host();
    delete manifest.spec.online;
    // WHEN validated / THEN spec is said to miss it
    expect(problems(manifest)).toEqual([`[BareMetalHost/node1] '/spec' missing required field 'online'`]);
  });

  test('fails when a pattern does not match', () => {
    // GIVEN a boot MAC address that is not one
    // WHEN validated / THEN the pattern is named
    expect(problems(host({ bootMACAddress: 'not-a-mac' }))).toEqual([
      expect.stringMatching(
        /^\[BareMetalHost\/node1\] '\/spec\/bootMACAddress' must match \/.+\/ \(got "not-a-mac"\)$/,
      ),
    ]);
  });

  test('reports every issue of an object, not only the first', () => {
    // GIVEN three independent faults
    const manifest = host({ online: 1, bootMode: 'bios', extra: true });
    // WHEN validated / THEN three issues come back
    expect(validateManifest(manifest).map((i) => i.path)).toEqual(
      expect.arrayContaining(['/spec', '/spec/online', '/spec/bootMode']),
    );
    expect(validateManifest(manifest)).toHaveLength(3);
  });

  test('null is accepted where the field is nullable and refused elsewhere', () => {
    // GIVEN spec.raid.hardwareRAIDVolumes (nullable) and spec.image (not nullable) set to null
    // WHEN validated / THEN only the image is reported
    expect(problems(host({ raid: { hardwareRAIDVolumes: null } }))).toEqual([]);
    expect(problems(host({ image: null }))).toEqual([`[BareMetalHost/node1] '/spec/image' must be object (got null)`]);
  });
});

describe('validateManifest: metadata, apiVersion and kind', () => {
  test('fails when metadata.name is not a DNS-1123 subdomain', () => {
    // GIVEN an upper-case name with an underscore
    // WHEN validated / THEN the rule is spelt out
    expect(problems(host({}, { name: 'Node_1' }))).toEqual([
      `[BareMetalHost/Node_1] '/metadata/name' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit) (got "Node_1")`,
    ]);
  });

  test('fails when metadata.name is longer than 253 characters', () => {
    // GIVEN a 254-character name
    const name = 'a'.repeat(254);
    // WHEN validated / THEN its length is reported
    expect(validateManifest(host({}, { name }))).toEqual([
      expect.objectContaining({ path: '/metadata/name', message: 'must be at most 253 characters long (got 254)' }),
    ]);
  });

  test('fails when metadata has no name, or an unknown field', () => {
    // GIVEN metadata with only an unknown field
    // WHEN validated / THEN both are reported on /metadata
    expect(validateManifest(host({}, { nam: 'node1' })).map((i) => `${i.path} ${i.message}`)).toEqual([
      "/metadata missing required field 'name'",
      "/metadata unknown field 'nam'; did you mean 'name'?",
    ]);
  });

  test('fails when a label value is not one', () => {
    // GIVEN an RKE2 version, which holds '+', as a label value
    const manifest = host({}, { name: 'node1', labels: { 'example.com/rke2': 'v1.32.4+rke2r1', ok: 'yes' } });
    // WHEN validated / THEN the label is reported (JSON pointer escapes the '/')
    expect(validateManifest(manifest)).toEqual([
      expect.objectContaining({
        path: '/metadata/labels/example.com~1rke2',
        message: expect.stringMatching(/^must be a label value/),
      }),
    ]);
  });

  test('fails when labels or annotations are not string maps', () => {
    // GIVEN a numeric label value and a list of annotations
    const manifest = host({}, { name: 'node1', labels: { replicas: 3 }, annotations: ['a'] });
    // WHEN validated / THEN both are reported
    expect(validateManifest(manifest).map((i) => `${i.path} ${i.message}`)).toEqual([
      '/metadata/labels/replicas must be string (got 3)',
      '/metadata/annotations must be object (got ["a"])',
    ]);
  });

  test('reports an apiVersion without a shipped schema, naming the shipped version', () => {
    // GIVEN a Cluster of the unserved v1alpha3
    const manifest = { apiVersion: 'cluster.x-k8s.io/v1alpha3', kind: 'Cluster', metadata: { name: 'c1' }, spec: {} };
    // WHEN validated / THEN it is reported, with the version to use
    expect(problems(manifest)).toEqual([
      "[Cluster/c1] '/' no schema shipped for cluster.x-k8s.io/v1alpha3 Cluster; Cluster is shipped as cluster.x-k8s.io/v1beta1: use the version-suffixed generated class",
    ]);
  });

  test('reports a kind without a shipped schema', () => {
    // GIVEN a kind from a CRD that is not pinned
    const manifest = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    // WHEN validated / THEN it is reported
    expect(problems(manifest)).toEqual([
      "[Widget/w] '/' no schema shipped for example.com/v1 Widget; add its CRD to cdk8s.yaml and run 'npm run import'",
    ]);
  });

  test('core kinds are not reported, but their metadata is checked', () => {
    // GIVEN one object of every unchecked core kind, and a Secret with a bad name
    const core = UNCHECKED_CORE_KINDS.map((key) => {
      const slash = key.lastIndexOf('/');
      return {
        apiVersion: key.slice(0, slash),
        kind: key.slice(slash + 1),
        metadata: { name: 'ok' },
        anything: { goes: 1 },
      };
    });
    const badSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'Bad' }, stringData: {} };
    // WHEN validated / THEN only the bad name is reported
    expect(core.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['Secret', 'ConfigMap', 'ClusterRoleBinding', 'DaemonSet']),
    );
    expect(validateManifests(core)).toEqual([]);
    expect(validateManifests([badSecret]).map((i) => i.path)).toEqual(['/metadata/name']);
  });

  test('the GitOps objects fleet synth writes are not reported, but their metadata is checked', () => {
    // GIVEN the ApplicationSet and GitRepo of a fleet output
    const { applicationSet, gitRepo } = gitOpsManifests('/srv/fleet/out', { repoURL: 'https://git.example.com/f.git' });
    expect(UNCHECKED_GITOPS_KINDS).toEqual(['argoproj.io/v1alpha1/ApplicationSet', 'fleet.cattle.io/v1alpha1/GitRepo']);
    // WHEN validated / THEN no problem
    expect(validateManifests([applicationSet, gitRepo])).toEqual([]);
    // AND a bad name is still found, and another version of the kind is still unknown
    expect(problems({ ...gitRepo, metadata: { name: 'Bad_Name' } })).toEqual([
      expect.stringMatching(/^\[GitRepo\/Bad_Name\] '\/metadata\/name' /),
    ]);
    expect(problems({ ...applicationSet, apiVersion: 'argoproj.io/v1beta1' })).toEqual([
      expect.stringContaining('no schema shipped for argoproj.io/v1beta1 ApplicationSet'),
    ]);
  });

  test('reports an object without apiVersion or kind, and a value that is not an object', () => {
    // GIVEN malformed input
    // WHEN validated / THEN each is reported, none throws
    expect(validateManifest({ metadata: { name: 'x' } }).map((i) => i.message)).toEqual([
      "missing required field 'apiVersion'",
      "missing required field 'kind'",
    ]);
    expect(validateManifest('kind: Secret')).toEqual([
      { apiVersion: '', kind: '', name: '', path: '', message: 'must be an object (got "kind: Secret")' },
    ]);
  });
});

describe('validateManifest: Kubernetes extensions and formats', () => {
  test('int-or-string accepts an integer and a string, and nothing else', () => {
    // GIVEN RKE2ControlPlane rollingUpdate.maxSurge as 1, '1' and true
    const cp = (maxSurge: unknown) =>
      obj('controlplane.cluster.x-k8s.io/v1beta1', 'RKE2ControlPlane', {
        rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge } },
      });
    const issuesAt = (m: Json) => validateManifest(m).filter((i) => i.path.startsWith('/spec/rolloutStrategy'));
    // WHEN validated / THEN only the boolean is refused
    expect(issuesAt(cp(1))).toEqual([]);
    expect(issuesAt(cp('1'))).toEqual([]);
    expect(issuesAt(cp(true)).map((i) => i.message)).toEqual(['must be integer or string (got true)']);
  });

  test('int-or-string quantities must match the quantity pattern when a string', () => {
    // GIVEN AgentServiceConfig storage requests of 10Gi, 10 and 'lots'
    const asc = (storage: unknown) =>
      obj('agent-install.openshift.io/v1beta1', 'AgentServiceConfig', {
        databaseStorage: { resources: { requests: { storage } } },
        filesystemStorage: { resources: { requests: { storage: '10Gi' } } },
      });
    // WHEN validated / THEN only 'lots' is refused, in words
    expect(validateManifest(asc('10Gi'))).toEqual([]);
    expect(validateManifest(asc(10))).toEqual([]);
    expect(problems(asc('lots'))).toEqual([
      `[AgentServiceConfig/x] '/spec/databaseStorage/resources/requests/storage' must be a Kubernetes quantity such as 500m, 8Gi or 1.5 (got "lots")`,
    ]);
  });

  test('x-kubernetes-preserve-unknown-fields accepts any content', () => {
    // GIVEN HelmChart spec.values with arbitrary nested values
    const chart = (values: unknown) => obj('helm.cattle.io/v1', 'HelmChart', { chart: 'metallb', values });
    // WHEN validated / THEN they pass, while a sibling unknown field does not
    expect(validateManifest(chart({ controller: { image: { tag: 'v0.14.9' } }, speaker: [1, 'two', null] }))).toEqual(
      [],
    );
    expect(validateManifest(chart('a string'))).toEqual([]);
    expect(problems({ ...chart({}), spec: { chart: 'metallb', value: {} } })).toEqual([
      "[HelmChart/x] '/spec' unknown field 'value'; did you mean 'values'?",
    ]);
  });

  test('an object with no properties takes no fields', () => {
    // GIVEN ClusterDeployment spec.platform.none, an empty struct upstream, with a field
    const cd = (none: Json) =>
      validateManifest(obj('hive.openshift.io/v1', 'ClusterDeployment', { platform: { none } })).filter((i) =>
        i.path.startsWith('/spec/platform'),
      );
    // WHEN validated / THEN the field is unknown
    expect(cd({})).toEqual([]);
    expect(cd({ vip: '10.0.0.1' }).map((i) => i.message)).toEqual(["unknown field 'vip'; this object takes no fields"]);
  });

  test('a required field with a default may be omitted', () => {
    // GIVEN a HostedCluster spec without etcd and networking, which upstream requires but defaults
    const hc = validateManifest(obj('hypershift.openshift.io/v1beta1', 'HostedCluster', {}));
    // WHEN validated / THEN the fields without defaults are missing, the defaulted ones are not
    const missing = hc.filter((i) => i.path === '/spec').map((i) => i.message);
    expect(missing).toContain("missing required field 'pullSecret'");
    expect(missing).not.toContain("missing required field 'etcd'");
    expect(missing).not.toContain("missing required field 'networking'");
  });

  test('fails when an x-kubernetes-list-type map repeats a key', () => {
    // GIVEN two Cluster availabilityGates with the same conditionType
    const cluster = obj('cluster.x-k8s.io/v1beta1', 'Cluster', {
      availabilityGates: [{ conditionType: 'Ready' }, { conditionType: 'Synced' }, { conditionType: 'Ready' }],
    });
    // WHEN validated / THEN the second is reported
    expect(problems(cluster)).toEqual([
      `[Cluster/x] '/spec/availabilityGates/2' duplicates item 0 (same conditionType="Ready")`,
    ]);
  });

  test('fails when an x-kubernetes-list-type set repeats a value', () => {
    // GIVEN an ImageDigestMirrorSet listing a mirror twice
    const idms = obj('config.openshift.io/v1', 'ImageDigestMirrorSet', {
      imageDigestMirrors: [
        { source: 'quay.io/openshift', mirrors: ['registry.local/openshift', 'registry.local/openshift'] },
      ],
    });
    // WHEN validated / THEN the list is reported
    expect(problems(idms)).toEqual([
      `[ImageDigestMirrorSet/x] '/spec/imageDigestMirrors/0/mirrors' must not repeat a value (items 0 and 1 are equal)`,
    ]);
  });

  test('int32 fields refuse values beyond 32 bits', () => {
    // GIVEN HelmChart backOffLimit of 2^31
    const chart = (backOffLimit: number) => obj('helm.cattle.io/v1', 'HelmChart', { chart: 'c', backOffLimit });
    // WHEN validated / THEN it is refused and 2^31-1 is not
    expect(validateManifest(chart(2 ** 31 - 1))).toEqual([]);
    expect(problems(chart(2 ** 31))).toEqual([
      `[HelmChart/x] '/spec/backOffLimit' must be a 32-bit integer (got 2147483648)`,
    ]);
  });

  test('duration and date-time formats are checked as the API server does', () => {
    // GIVEN ClusterDeployment ingress timeouts and a BareMetalHost status time
    const timeout = (clientTimeout: string) =>
      validateManifest(
        obj('hive.openshift.io/v1', 'ClusterDeployment', {
          ingress: [{ name: 'default', tuningOptions: { clientTimeout } }],
        }),
      ).filter((i) => i.path.includes('tuningOptions'));
    const started = (start: string) =>
      validateManifest({ ...host(), status: { operationHistory: { inspect: { start } } } }).filter((i) =>
        i.path.startsWith('/status/'),
      );
    // WHEN validated / THEN Go durations and RFC 3339 times pass, ISO 8601 durations and bare dates do not
    expect(timeout('30s')).toEqual([]);
    expect(timeout('1h30m')).toEqual([]);
    expect(timeout('PT30S').map((i) => i.message)).toEqual([
      `must be a duration such as '30s' or '1h30m' (got "PT30S")`,
    ]);
    expect(started('2025-01-02T03:04:05Z')).toEqual([]);
    expect(started('2025-01-02').map((i) => i.message)).toEqual(['must be an RFC 3339 date-time (got "2025-01-02")']);
  });

  test('apiVersion and kind must be the ones of the schema', () => {
    // GIVEN the raw schema of BareMetalHost
    const schema = schemaFor('metal3.io/v1alpha1', 'BareMetalHost');
    // WHEN read / THEN it is the upstream one (x-kubernetes-* kept, frozen)
    expect(schema).toMatchObject({ type: 'object', properties: { spec: { required: ['online'] } } });
    expect(Object.isFrozen(schema)).toBe(true);
    expect(schemaFor('metal3.io/v1alpha1', 'Widget')).toBeUndefined();
  });
});

describe('schema index', () => {
  test('hasSchema is true for shipped kinds only', () => {
    expect(hasSchema('metal3.io/v1alpha1', 'BareMetalHost')).toBe(true);
    expect(hasSchema('hypershift.openshift.io/v1beta1', 'HostedCluster')).toBe(true);
    expect(hasSchema('cluster.x-k8s.io/v1alpha3', 'Cluster')).toBe(false);
    expect(hasSchema('v1', 'Secret')).toBe(false);
  });

  test('every shipped schema compiles and refuses an empty spec object of the wrong type', () => {
    // GIVEN every shipped kind with spec as a number
    // WHEN validated / THEN each reports exactly its spec (so every schema loads and compiles)
    for (const s of shippedSchemas()) {
      const issues = validateManifest({ apiVersion: s.apiVersion, kind: s.kind, metadata: { name: 'x' }, spec: 1 });
      expect(issues.map((i) => `${s.kind} ${i.path} ${i.message}`)).toEqual([`${s.kind} /spec must be object (got 1)`]);
    }
  });

  test('CEL rules are kept for a later evaluator, with the place they apply to', () => {
    // GIVEN HelmChart, whose spec.driver is immutable by a CEL rule
    // WHEN its rules are listed / THEN the rule is there with its path
    expect(celRulesFor('helm.cattle.io/v1', 'HelmChart')).toContainEqual({
      path: '/spec/driver',
      rule: '!oldSelf.hasValue() || self == oldSelf.value()',
      message: 'driver is immutable after creation',
      optionalOldSelf: true,
    });
    expect(celRulesFor('metal3.io/v1alpha1', 'Widget')).toEqual([]);
  });
});

describe('assertValidManifests', () => {
  test('passes valid objects', () => {
    expect(() => assertValidManifests([host(), host({}, { name: 'node2' })], 'site')).not.toThrow();
  });

  test('fails listing every issue of every object', () => {
    // GIVEN two bad hosts
    const manifests = [host({ online: 'yes' }), host({ bootMode: 'bios' }, { name: 'node2' })];
    // WHEN asserted / THEN one error names both, in the library's error form
    let error: unknown;
    try {
      assertValidManifests(manifests, 'berlin-01');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BaremetalValidationError);
    expect(error).toBeInstanceOf(ManifestSchemaError);
    expect((error as ManifestSchemaError).issues).toHaveLength(2);
    expect((error as Error).message).toBe(
      `[berlin-01] 'manifests' 2 objects fail their CRD schema (got 2 issues: ` +
        `[BareMetalHost/node1] '/spec/online' must be boolean (got "yes"); ` +
        `[BareMetalHost/node2] '/spec/bootMode' must be one of "UEFI", "UEFISecureBoot", "legacy" (got "bios")); ` +
        'correct the fields at the paths shown; the schemas are the upstream CRDs pinned in cdk8s.yaml',
    );
  });
});

describe('validateManifest details', () => {
  test("an issue carries the object's apiVersion, kind, name and namespace when they are text", () => {
    expect(validateManifest(host({ online: 'yes' }))).toStrictEqual([
      {
        apiVersion: 'metal3.io/v1alpha1',
        kind: 'BareMetalHost',
        name: 'node1',
        namespace: 'site',
        path: '/spec/online',
        message: 'must be boolean (got "yes")',
      },
    ]);
    const odd = validateManifest({ apiVersion: 7, kind: ['x'], metadata: { name: 8, namespace: 9 } });
    expect(odd[0]).toStrictEqual({
      apiVersion: '',
      kind: '',
      name: '',
      path: '/apiVersion',
      message: 'must be string (got 7)',
    });
    expect(validateManifest(host({}, { name: 'node1' }))).toEqual([]);
    expect(validateManifest({ ...host(), metadata: 'x' })[0]).toMatchObject({ name: '', path: '/metadata' });
  });

  test.each([
    'v1/ConfigMap',
    'v1/Namespace',
    'v1/Pod',
    'v1/Secret',
    'v1/Service',
    'v1/ServiceAccount',
    'rbac.authorization.k8s.io/v1/ClusterRole',
    'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1/Role',
    'rbac.authorization.k8s.io/v1/RoleBinding',
    'apps/v1/DaemonSet',
    'apps/v1/Deployment',
    'apiextensions.k8s.io/v1/CustomResourceDefinition',
    'argoproj.io/v1alpha1/ApplicationSet',
    'fleet.cattle.io/v1alpha1/GitRepo',
  ])('%s is not reported as unknown', (key) => {
    const slash = key.lastIndexOf('/');
    expect(
      validateManifest({ apiVersion: key.slice(0, slash), kind: key.slice(slash + 1), metadata: { name: 'x' } }),
    ).toEqual([]);
  });

  test("an unknown kind is reported once, before its metadata problems; a known kind's CEL rules are named with the rule", () => {
    expect(problems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'Bad' } })).toEqual([
      "[Widget/Bad] '/' no schema shipped for example.com/v1 Widget; add its CRD to cdk8s.yaml and run 'npm run import'",
      expect.stringMatching(/^\[Widget\/Bad\] '\/metadata\/name' must be a DNS-1123 subdomain/),
    ]);
    expect(problems({ apiVersion: 'v1', kind: '', metadata: { name: 'x' } })).toEqual([
      "[<no kind>/x] '/kind' must be at least 1 characters long (got 0)",
    ]);
    expect(problems({ apiVersion: '', kind: 'Widget', metadata: { name: 'x' } })).toEqual([
      "[Widget/x] '/apiVersion' must be at least 1 characters long (got 0)",
    ]);
    const cp = {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
      kind: 'RKE2ControlPlane',
      metadata: { name: 'a' },
      spec: {
        rolloutStrategy: { type: 'RollingUpdate' },
        agentConfig: { additionalUserData: { config: 'x', data: { a: 'b' } } },
      },
    };
    expect(problems(cp)).toEqual([
      expect.stringMatching(
        /^\[RKE2ControlPlane\/a\] '\/spec\/agentConfig\/additionalUserData' Only config or data could be populated at once .*\(rule: .+\)$/,
      ),
    ]);
    // CEL rules run only once the object fits its structural schema
    expect(problems({ ...cp, spec: { ...cp.spec, replicas: 'x' } })).toEqual([
      '[RKE2ControlPlane/a] \'/spec/replicas\' must be integer (got "x")',
    ]);
  });

  test('a value at a path that may hold a secret is not shown', () => {
    const cp = {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
      kind: 'RKE2ControlPlane',
      metadata: { name: 'a' },
      spec: { rolloutStrategy: { type: 'RollingUpdate' }, agentConfig: { additionalUserData: { config: 12345 } } },
    };
    expect(problems(cp)).toEqual([
      "[RKE2ControlPlane/a] '/spec/agentConfig/additionalUserData/config' must be string (got a value not shown as it may be secret)",
    ]);
  });

  test('metadata is checked as the API server checks ObjectMeta, at its limits', () => {
    const meta = (metadata: Json) => problems(host({}, { name: 'node1', ...metadata }));
    expect(meta({ namespace: 'n'.repeat(63) })).toEqual([]);
    expect(meta({ namespace: 'n'.repeat(64) })).toEqual([
      `[BareMetalHost/node1] '/metadata/namespace' must be at most 63 characters long (got 64)`,
    ]);
    expect(meta({ labels: { a: 'v'.repeat(63) } })).toEqual([]);
    expect(meta({ labels: { a: 'v'.repeat(64) } })).toEqual([
      `[BareMetalHost/node1] '/metadata/labels/a' must be at most 63 characters long (got 64)`,
    ]);
    expect(meta({ labels: { [`${'d'.repeat(253)}/${'n'.repeat(63)}`]: 'v' } })).toEqual([]);
    expect(meta({ annotations: { [`${'d'.repeat(254)}/${'n'.repeat(63)}`]: 'v' } })).toEqual([
      `[BareMetalHost/node1] '/metadata/annotations' key '${'d'.repeat(254)}/${'n'.repeat(63)}' must be at most 317 characters long (got 318)`,
    ]);
    expect(meta({ finalizers: ['a', 1] })).toEqual([
      `[BareMetalHost/node1] '/metadata/finalizers/1' must be string (got 1)`,
    ]);
    expect(meta({ generation: 1.5 })).toEqual([
      `[BareMetalHost/node1] '/metadata/generation' must be integer (got 1.5)`,
    ]);
    expect(
      meta({ creationTimestamp: null, deletionTimestamp: null, uid: 'u', resourceVersion: '1', managedFields: [] }),
    ).toEqual([]);
    expect(meta({ ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x' }] })).toEqual([
      `[BareMetalHost/node1] '/metadata/ownerReferences/0' missing required field 'uid'`,
    ]);
    expect(
      meta({ ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: 'yes' }] }),
    ).toEqual([`[BareMetalHost/node1] '/metadata/ownerReferences/0/controller' must be boolean (got "yes")`]);
    expect(meta({ name: '' })).toContainEqual(
      `[BareMetalHost/<unnamed>] '/metadata/name' must be at least 1 characters long (got 0)`,
    );
  });

  test('a list-map duplicate names every key; items that are not objects are skipped', () => {
    const cluster = obj('cluster.x-k8s.io/v1beta1', 'Cluster', {
      availabilityGates: [
        { conditionType: 'A' },
        { conditionType: 'B' },
        { conditionType: 'A' },
        { conditionType: 'B' },
      ],
    });
    expect(problems(cluster)).toEqual([
      `[Cluster/x] '/spec/availabilityGates/2' duplicates item 0 (same conditionType="A")`,
      `[Cluster/x] '/spec/availabilityGates/3' duplicates item 1 (same conditionType="B")`,
    ]);
  });
});

describe('formatIssue and ManifestSchemaError', () => {
  test('an issue without kind, name or path is still one readable line', () => {
    expect(formatIssue({ apiVersion: '', kind: '', name: '', path: '', message: 'm' })).toBe(
      "[<no kind>/<unnamed>] '/' m",
    );
  });

  test('one object with one issue is counted in the singular; objects are told apart by namespace', () => {
    expect(() => assertValidManifests([host({ online: 'yes' })], 'site')).toThrow(
      "[site] 'manifests' 1 object fails its CRD schema (got 1 issue: [BareMetalHost/node1] '/spec/online' must be boolean (got \"yes\"));",
    );
    expect(() => assertValidManifests([host({ online: 'yes', bootMode: 'x' })], 'site')).toThrow(
      /'manifests' 1 object fails its CRD schema \(got 2 issues: /,
    );
    expect(() =>
      assertValidManifests(
        [host({ online: 'yes' }), host({ online: 'yes' }, { name: 'node1', namespace: 'other' })],
        'site',
      ),
    ).toThrow(/'manifests' 2 objects fail their CRD schema \(got 2 issues: /);
  });
});
