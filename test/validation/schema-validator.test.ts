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
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('validateManifest: every ObjectMeta field', () => {
  const meta = (metadata: Json) =>
    validateManifest(host({}, { name: 'node1', ...metadata })).map((i) => `${i.path} ${i.message}`);

  test('label and annotation keys must be qualified names; a namespace a DNS-1123 label', () => {
    expect(meta({ labels: { 'example.com/ok': 'v' }, annotations: { 'example.com/ok': 'any value at all' } })).toEqual(
      [],
    );
    expect(meta({ labels: { 'bad key': 'v' } })).toEqual([
      expect.stringMatching(/^\/metadata\/labels key 'bad key' must be a qualified name/),
    ]);
    expect(meta({ annotations: { 'bad key': 'v' } })).toEqual([
      expect.stringMatching(/^\/metadata\/annotations key 'bad key' must be a qualified name/),
    ]);
    expect(meta({ labels: { [`${'d'.repeat(254)}/${'n'.repeat(63)}`]: 'v' } })).toEqual([
      `/metadata/labels key '${'d'.repeat(254)}/${'n'.repeat(63)}' must be at most 317 characters long (got 318)`,
    ]);
    expect(meta({ annotations: { a: 1 } })).toEqual(['/metadata/annotations/a must be string (got 1)']);
    expect(meta({ namespace: 'Site_A' })).toEqual([
      expect.stringMatching(/^\/metadata\/namespace must be a DNS-1123 label/),
    ]);
    expect(meta({ namespace: 1 })).toEqual(['/metadata/namespace must be string (got 1)']);
  });

  test('the other fields have their types', () => {
    expect(
      meta({
        generateName: 'node-',
        selfLink: '/x',
        deletionGracePeriodSeconds: 30,
        creationTimestamp: '2025-01-01T00:00:00Z',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u', controller: true, blockOwnerDeletion: false },
        ],
      }),
    ).toEqual([]);
    expect(
      meta({
        generateName: 1,
        selfLink: 2,
        uid: 3,
        resourceVersion: 4,
        deletionGracePeriodSeconds: 'x',
        creationTimestamp: 5,
        deletionTimestamp: 6,
        managedFields: 'x',
        finalizers: 'x',
        ownerReferences: {},
      }).sort(),
    ).toEqual(
      [
        '/metadata/generateName must be string (got 1)',
        '/metadata/selfLink must be string (got 2)',
        '/metadata/uid must be string (got 3)',
        '/metadata/resourceVersion must be string (got 4)',
        '/metadata/deletionGracePeriodSeconds must be integer (got "x")',
        '/metadata/creationTimestamp must be string or null (got 5)',
        '/metadata/deletionTimestamp must be string or null (got 6)',
        '/metadata/managedFields must be array (got "x")',
        '/metadata/finalizers must be array (got "x")',
        '/metadata/ownerReferences must be array (got {})',
      ].sort(),
    );
  });

  test('an owner reference needs apiVersion, kind, name and uid, of the right types, and nothing else', () => {
    expect(meta({ ownerReferences: [{}] })).toEqual([
      "/metadata/ownerReferences/0 missing required field 'apiVersion'",
      "/metadata/ownerReferences/0 missing required field 'kind'",
      "/metadata/ownerReferences/0 missing required field 'name'",
      "/metadata/ownerReferences/0 missing required field 'uid'",
    ]);
    expect(
      meta({ ownerReferences: [{ apiVersion: 1, kind: 2, name: 3, uid: 4, blockOwnerDeletion: 'no', extra: 1 }] }),
    ).toEqual([
      "/metadata/ownerReferences/0 unknown field 'extra'",
      '/metadata/ownerReferences/0/apiVersion must be string (got 1)',
      '/metadata/ownerReferences/0/kind must be string (got 2)',
      '/metadata/ownerReferences/0/name must be string (got 3)',
      '/metadata/ownerReferences/0/uid must be string (got 4)',
      '/metadata/ownerReferences/0/blockOwnerDeletion must be boolean (got "no")',
    ]);
    expect(meta({ ownerReferences: ['x'] })).toEqual(['/metadata/ownerReferences/0 must be object (got "x")']);
  });

  test('metadata is required and an object', () => {
    const { metadata: _m, ...noMeta } = host();
    void _m;
    expect(validateManifest(noMeta).map((i) => [i.path, i.message])).toEqual([
      ['', "missing required field 'metadata'"],
    ]);
    expect(validateManifest({ ...host(), metadata: [] }).map((i) => [i.path, i.message])).toEqual([
      ['/metadata', 'must be object (got [])'],
    ]);
  });
});

describe('validateManifest: values that are hidden', () => {
  test('a key is read as written (JSON-pointer escapes undone) to tell whether it names a credential', () => {
    const label = (key: string) => problems(host({}, { name: 'node1', labels: { [key]: 'bad value!' } }));
    expect(label('pass/word')).toEqual([expect.stringContaining('(got "bad value!")')]);
    expect(label('pass~word').filter((p) => p.includes('/metadata/labels/'))).toEqual([
      expect.stringContaining('(got "bad value!")'),
    ]);
    expect(label('my-password')).toEqual([expect.stringContaining('a value not shown as it may be secret')]);
  });

  test('the whole path counts: a MachineConfig config of the wrong type is not shown', () => {
    const mc = {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: 'm' },
      spec: { config: 'plain secret text' },
    };
    expect(problems(mc)).toEqual([
      "[MachineConfig/m] '/spec/config' must be object (got a value not shown as it may be secret)",
    ]);
  });

  test('null is not an object', () => {
    expect(validateManifest(null)).toEqual([
      { apiVersion: '', kind: '', name: '', path: '', message: 'must be an object (got null)' },
    ]);
    expect(validateManifest({ ...host(), metadata: null })[0]).toMatchObject({ name: '', path: '/metadata' });
  });

  test('an object without a namespace and one with an empty namespace are the same object in the count', () => {
    expect(() =>
      assertValidManifests(
        [host({ online: 'yes' }, { name: 'node1' }), host({ online: 'yes' }, { name: 'node1', namespace: '' })],
        'site',
      ),
    ).toThrow(/'manifests' 1 object fails its CRD schema/);
  });
});

describe('list maps, frozen schemas and rendering errors', () => {
  test('list-map items that are not objects are left to the type check, never counted as duplicates', () => {
    const cluster = obj('cluster.x-k8s.io/v1beta1', 'Cluster', { availabilityGates: ['a', 'a', 7, 7] });
    expect(problems(cluster).filter((p) => p.includes('duplicates'))).toEqual([]);
    expect(problems(cluster)).toHaveLength(4);
  });

  test('a list-map item without its key collides with another without it', () => {
    const cluster = obj('cluster.x-k8s.io/v1beta1', 'Cluster', { availabilityGates: [{}, {}] });
    expect(problems(cluster).filter((p) => p.includes('duplicates'))).toEqual([
      `[Cluster/x] '/spec/availabilityGates/1' duplicates item 0 (same conditionType=undefined)`,
    ]);
  });

  test('the schema handed out is frozen all the way down', () => {
    const schema = schemaFor('metal3.io/v1alpha1', 'BareMetalHost') as Json;
    expect(Object.isFrozen(schema.properties)).toBe(true);
    expect(Object.isFrozen(schema.properties.spec.properties.bmc)).toBe(true);
    expect(Object.isFrozen(schema.properties.spec.required)).toBe(true);
    expect(schemaFor('metal3.io/v1alpha1', 'BareMetalHost')).toBe(schema);
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

/**
 * The converter on CRD features no pinned CRD uses today (embedded objects, a narrowed metadata,
 * nullable enums, Go regular-expression flags, …): a fresh copy of the module reads a schema folder
 * written here instead of the shipped one, so each feature is checked as a new upstream CRD would
 * bring it.
 */
function withSchemas(schemas: Record<string, Json>): typeof import('../../lib/validation/schema-validator') {
  const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
  mkdirSync(join(dir, 'schemas'));
  const index: Record<string, Json> = {};
  for (const [key, schema] of Object.entries(schemas)) {
    const slash = key.lastIndexOf('/');
    const apiVersion = slash < 0 ? 'example.com/v1' : key.slice(0, slash);
    const kind = key.slice(slash + 1);
    const file = `${key.replace(/\W/g, '-').toLowerCase()}.json`;
    index[`${apiVersion}/${kind}`] = { apiVersion, kind, scope: 'Namespaced', file, import: 'x' };
    writeFileSync(join(dir, 'schemas', file), JSON.stringify(schema));
  }
  writeFileSync(join(dir, 'schemas', 'index.json'), JSON.stringify(index));
  let mod: typeof import('../../lib/validation/schema-validator') | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../lib/private/package-root', () => ({ packageRoot: () => dir }));
    mod = require('../../lib/validation/schema-validator');
  });
  return mod!;
}

/** A CRD root schema whose spec has `props`. */
const crd = (props: Json, more: Json = {}): Json => ({
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: { type: 'object', properties: props },
  },
  ...more,
});

describe('validateManifest: CRD features the pinned CRDs do not use yet', () => {
  const widget = (spec: Json, metadata: Json = { name: 'w' }, more: Json = {}) => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata,
    spec,
    ...more,
  });

  test('an embedded resource needs apiVersion and kind, and its metadata is ObjectMeta without a required name', () => {
    const sv = withSchemas({
      Widget: crd({
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        typed: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          required: ['spec'],
          properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
        },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => `${i.path} ${i.message}`);
    // GIVEN an embedded object with apiVersion, kind and a metadata without name
    expect(issues({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 'b' } }, other: 1 } })).toEqual(
      [],
    );
    // WHEN apiVersion and kind are missing or empty, or its metadata is not ObjectMeta, THEN each is refused
    expect(issues({ template: { metadata: {} } })).toEqual([
      "/spec/template missing required field 'apiVersion'",
      "/spec/template missing required field 'kind'",
    ]);
    expect(issues({ template: { apiVersion: '', kind: '' } })).toEqual([
      '/spec/template/apiVersion must be at least 1 characters long (got 0)',
      '/spec/template/kind must be at least 1 characters long (got 0)',
    ]);
    expect(issues({ template: { apiVersion: 1, kind: true } })).toEqual([
      '/spec/template/apiVersion must be string (got 1)',
      '/spec/template/kind must be string (got true)',
    ]);
    expect(issues({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Bad_Name', extra: 1 } } })).toEqual([
      "/spec/template/metadata unknown field 'extra'",
      expect.stringMatching(/^\/spec\/template\/metadata\/name must be a DNS-1123 subdomain/),
    ]);
    // AND the embedded object's own required fields are kept, beside apiVersion and kind
    expect(issues({ typed: { apiVersion: 'v1', kind: 'X' } })).toEqual(["/spec/typed missing required field 'spec'"]);
    expect(issues({ typed: { apiVersion: 'v1', kind: 'X', spec: { size: 'big' } } })).toEqual([
      '/spec/typed/spec/size must be integer (got "big")',
    ]);
    expect(issues({ typed: { apiVersion: 'v1', kind: 'X', spec: {}, extra: 1 } })).toEqual([
      "/spec/typed unknown field 'extra'",
    ]);
  });

  test('a CRD may narrow metadata but not widen it', () => {
    const sv = withSchemas({
      Widget: crd(
        {},
        {
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } },
            spec: { type: 'object' },
          },
        },
      ),
    });
    const issues = (metadata: Json) => sv.validateManifest(widget({}, metadata)).map((i) => `${i.path} ${i.message}`);
    expect(issues({ name: 'a'.repeat(10) })).toEqual([]);
    expect(issues({ name: 'a'.repeat(11) })).toEqual(['/metadata/name must be at most 10 characters long (got 11)']);
    // ObjectMeta still applies: its name rule, its known fields
    expect(issues({ name: 'A' })).toEqual([expect.stringMatching(/^\/metadata\/name must be a DNS-1123 subdomain/)]);
    expect(issues({ name: 'a', labels: { a: 1 } })).toEqual(['/metadata/labels/a must be string (got 1)']);
  });

  test('a root that preserves unknown fields takes any top-level field; otherwise one is refused', () => {
    const open = withSchemas({ Widget: crd({}, { 'x-kubernetes-preserve-unknown-fields': true }) });
    const closed = withSchemas({ Widget: crd({}) });
    const manifest = widget({}, { name: 'w' }, { data: { any: 1 } });
    expect(open.validateManifest(manifest)).toEqual([]);
    expect(closed.validateManifest(manifest).map((i) => [i.path, i.message])).toEqual([['', "unknown field 'data'"]]);
    // apiVersion and kind must be the schema's, and metadata is required, whatever the CRD says
    expect(open.validateManifest({ ...manifest, metadata: undefined }).map((i) => i.message)).toEqual([
      "missing required field 'metadata'",
    ]);
  });

  test('nullable: null is accepted in an enum and an int-or-string field, and only there', () => {
    const sv = withSchemas({
      Widget: crd({
        mode: { type: 'string', enum: ['a', 'b'], nullable: true },
        size: { 'x-kubernetes-int-or-string': true, nullable: true },
        strict: { 'x-kubernetes-int-or-string': true },
        name: { type: 'string', nullable: true },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => `${i.path} ${i.message}`);
    expect(issues({ mode: null, size: null, name: null })).toEqual([]);
    expect(issues({ mode: 'a', size: 1, name: 'n' })).toEqual([]);
    expect(issues({ mode: 'c' })).toEqual(['/spec/mode must be one of "a", "b", null (got "c")']);
    expect(issues({ size: true })).toEqual(['/spec/size must be integer or string or null (got true)']);
    expect(issues({ strict: null })).toEqual(['/spec/strict must be integer or string (got null)']);
  });

  test('int-or-string with an anyOf of other branches keeps them', () => {
    const sv = withSchemas({
      Widget: crd({
        plain: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        bounded: {
          'x-kubernetes-int-or-string': true,
          anyOf: [
            { type: 'integer', minimum: 1 },
            { type: 'string', pattern: '^[0-9]+%$' },
          ],
        },
        percent: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+%$' }],
        },
        percentOnly: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { pattern: '^[0-9]+%$' }] },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => i.path);
    expect(issues({ plain: 0, bounded: 1 })).toEqual([]);
    expect(issues({ plain: 'x', bounded: '5%' })).toEqual([]);
    expect(issues({ bounded: 0 })).not.toEqual([]);
    expect(issues({ bounded: 'x' })).not.toEqual([]);
    // one plain branch beside a constrained one, or a one-keyword branch that is not a type, keeps them all
    expect(issues({ percent: 5, percentOnly: 5 })).toEqual([]);
    expect(issues({ percent: '5%', percentOnly: '5%' })).toEqual([]);
    expect(issues({ percent: 'x' })).toEqual(['/spec/percent']);
    expect(issues({ percentOnly: 'x' })).toEqual(['/spec/percentOnly']);
  });

  test('patterns are read as Go reads them: (?i) flags, escapes JavaScript refuses in unicode mode, and what JavaScript cannot express is not enforced', () => {
    const sv = withSchemas({
      Widget: crd({
        caseless: { type: 'string', pattern: '(?i)^abc$' },
        escaped: { type: 'string', pattern: '^[a-z\\-]+$' },
        named: { type: 'string', pattern: '^(?P<x>a)$' },
        plain: { type: 'string', pattern: '^abc$' },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => i.path);
    expect(issues({ caseless: 'ABC', escaped: 'a-b', named: 'anything', plain: 'abc' })).toEqual([]);
    expect(issues({ caseless: 'abd' })).toEqual(['/spec/caseless']);
    expect(issues({ escaped: 'A' })).toEqual(['/spec/escaped']);
    expect(issues({ plain: 'ABC' })).toEqual(['/spec/plain']);
  });

  test('more Go pattern flags: several at once, and flags that are not at the start are not enforced', () => {
    const sv = withSchemas({
      Widget: crd({
        two: { type: 'string', pattern: '(?is)^a.b$' },
        middle: { type: 'string', pattern: '^a(?i)b$' },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => i.path);
    expect(issues({ two: 'A\nB', middle: 'anything' })).toEqual([]);
    expect(issues({ two: 'ab' })).toEqual(['/spec/two']);
  });

  test('a field with properties but no type is an object without unknown fields; a list map without keys is a plain list', () => {
    const sv = withSchemas({
      Widget: crd({
        untyped: { properties: { a: { type: 'string' } } },
        list: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          items: { type: 'object', properties: { a: { type: 'string' } } },
        },
        either: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'string' } },
          anyOf: [
            { properties: { a: { type: 'string' } }, required: ['a'] },
            { properties: { b: { type: 'string' } }, required: ['b'] },
          ],
        },
        untypedEmbedded: { 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => `${i.path} ${i.message}`);
    expect(issues({ untyped: { a: 'x' }, list: [{ a: 'x' }, { a: 'x' }], either: { a: 'x', b: 'y' } })).toEqual([]);
    expect(issues({ untyped: { b: 'x' } })).toEqual(["/spec/untyped unknown field 'b'"]);
    expect(issues({ either: {} }).length).toBeGreaterThan(0);
    expect(issues({ untypedEmbedded: 'x' })).toEqual(['/spec/untypedEmbedded must be object (got "x")']);
  });

  test('formats the API server does not know are ignored, without a warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const sv = withSchemas({
        Widget: crd({
          ratio: { type: 'number', format: 'double' },
          name: { type: 'string', format: 'made-up' },
          n: { format: 7 },
        }),
      });
      expect(sv.validateManifest(widget({ ratio: 1.5, name: 'anything', n: 'x' }))).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
      error.mockRestore();
    }
  });

  test('value validations (anyOf, allOf, oneOf, not) are converted too, without the structural rules', () => {
    const date = { format: 'date-time' };
    const sv = withSchemas({
      Widget: crd({
        any: { type: 'string', anyOf: [date] },
        all: { type: 'string', allOf: [date] },
        one: { type: 'string', oneOf: [date] },
        none: { type: 'string', not: date },
        notA: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'string' } },
          not: { properties: { a: { type: 'string' } }, required: ['a'] },
        },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => i.path);
    const t = '2025-01-02T03:04:05Z';
    expect(issues({ any: t, all: t, one: t, none: 'x', notA: { b: 'y' } })).toEqual([]);
    expect(issues({ any: 'x' })).toContain('/spec/any');
    expect(issues({ all: 'x' })).toContain('/spec/all');
    expect(issues({ one: 'x' })).toContain('/spec/one');
    expect(issues({ none: t })).toContain('/spec/none');
    // a "not" branch is not closed to unknown fields: an object that has 'a' fails it whatever else it holds
    expect(issues({ notA: { a: 'x', b: 'y' } })).toContain('/spec/notA');
  });

  test('maps convert their values; a CRD may close an object with additionalProperties: false', () => {
    const sv = withSchemas({
      Widget: crd({
        map: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { a: { type: 'string', format: 'date-time' } } },
        },
        closed: { type: 'object', additionalProperties: false },
        open: { type: 'object', additionalProperties: true },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => `${i.path} ${i.message}`);
    expect(issues({ map: { k: { a: '2025-01-02T03:04:05Z' } }, closed: {}, open: { anything: 1 } })).toEqual([]);
    expect(issues({ map: { k: { b: 1 } } })).toEqual(["/spec/map/k unknown field 'b'"]);
    expect(issues({ map: { k: { a: 'x' } } })).toEqual(['/spec/map/k/a must be an RFC 3339 date-time (got "x")']);
    expect(issues({ closed: { x: 1 } })).toEqual(["/spec/closed unknown field 'x'; this object takes no fields"]);
  });

  test('a required field without a schema of its own is still required', () => {
    const sv = withSchemas({ Widget: crd({}, {}) });
    const withGhost = withSchemas({
      Widget: {
        ...crd({ a: { type: 'string' } }),
        properties: {
          ...crd({ a: { type: 'string' } }).properties,
          spec: { type: 'object', properties: { a: { type: 'string' } }, required: ['ghost', 'a'] },
        },
      },
    });
    expect(sv.validateManifest(widget({}))).toEqual([]);
    expect(withGhost.validateManifest(widget({})).map((i) => i.message)).toEqual([
      "missing required field 'ghost'",
      "missing required field 'a'",
    ]);
  });

  test('a list map with several keys names each key of a duplicate', () => {
    const sv = withSchemas({
      Widget: crd({
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string' } } },
        },
      }),
    });
    const issues = (spec: Json) => sv.validateManifest(widget(spec)).map((i) => `${i.path} ${i.message}`);
    expect(
      issues({
        ports: [
          { port: 1, protocol: 'TCP' },
          { port: 1, protocol: 'UDP' },
        ],
      }),
    ).toEqual([]);
    expect(
      issues({
        ports: [
          { port: 1, protocol: 'TCP' },
          { port: 1, protocol: 'TCP' },
        ],
      }),
    ).toEqual(['/spec/ports/1 duplicates item 0 (same port=1, protocol="TCP")']);
  });

  test('CEL rules still run on an object whose list maps are valid', () => {
    const sv = withSchemas({
      Widget: crd({
        list: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['a'],
          items: { type: 'object', properties: { a: { type: 'string' } } },
        },
        x: { type: 'integer' },
      }),
    });
    const root = sv.celRulesFor('example.com/v1', 'Widget');
    expect(root).toEqual([]);
    const ruled = withSchemas({
      Widget: {
        ...crd({}),
        properties: {
          ...crd({}).properties,
          spec: {
            type: 'object',
            properties: {
              list: {
                type: 'array',
                'x-kubernetes-list-type': 'map',
                'x-kubernetes-list-map-keys': ['a'],
                items: { type: 'object', properties: { a: { type: 'string' } } },
              },
              x: { type: 'integer' },
            },
            'x-kubernetes-validations': [{ rule: 'self.x == 1', message: 'x must be 1' }],
          },
        },
      },
    });
    expect(ruled.validateManifest(widget({ list: [{ a: '1' }, { a: '2' }], x: 1 }))).toEqual([]);
    expect(
      ruled.validateManifest(widget({ list: [{ a: '1' }, { a: '2' }], x: 2 })).map((i) => `${i.path} ${i.message}`),
    ).toEqual(['/spec x must be 1 (rule: self.x == 1)']);
  });

  test('a pattern matches characters as Go does, not UTF-16 halves', () => {
    const sv = withSchemas({ Widget: crd({ one: { type: 'string', pattern: '^.$' } }) });
    expect(sv.validateManifest(widget({ one: '😀' }))).toEqual([]);
    expect(sv.validateManifest(widget({ one: 'ab' })).map((i) => i.path)).toEqual(['/spec/one']);
  });

  test('a kind shipped in several versions names each', () => {
    const sv = withSchemas({ 'example.com/v1/Widget': crd({}), 'example.com/v2/Widget': crd({}) });
    expect(sv.validateManifest({ apiVersion: 'example.com/v3', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      expect.objectContaining({
        path: '',
        message:
          'no schema shipped for example.com/v3 Widget; Widget is shipped as example.com/v1, example.com/v2: use the version-suffixed generated class',
      }),
    ]);
  });

  test('CEL rules are collected on the structural part of the schema, with JSON-pointer paths, not inside anyOf or not', () => {
    const rule = (r: string) => ({ 'x-kubernetes-validations': [{ rule: r, message: r }] });
    const sv = withSchemas({
      Widget: crd({
        'a/b': { type: 'string', ...rule('one') },
        'c~d': { type: 'string', ...rule('two') },
        list: { type: 'array', items: { type: 'string', ...rule('three') } },
        map: { type: 'object', additionalProperties: { type: 'string', ...rule('four') } },
        either: { type: 'string', anyOf: [{ ...rule('five') }], not: { ...rule('six') } },
      }),
    });
    expect(sv.celRulesFor('example.com/v1', 'Widget').map((r) => `${r.path} ${r.rule}`)).toEqual([
      '/spec/a~1b one',
      '/spec/c~0d two',
      '/spec/list/* three',
      '/spec/map/* four',
    ]);
  });
});
