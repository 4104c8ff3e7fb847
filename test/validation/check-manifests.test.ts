import * as fc from 'fast-check';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkEmbeddedIgnition,
  checkManifests,
  checkObject,
  duplicateProblems,
  manifestConfigMaps,
  placeOfObject,
} from '../../lib/validation/check-manifests';
import { loadManifests } from '../../lib/validation/load-manifests';
import { RUNS, SEED } from '../arbitraries';

const golden = (name: string) => join(__dirname, '..', 'golden', `${name}.k8s.yaml`);

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'check-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('loadManifests', () => {
  test('reads folders recursively in sorted order and names bad documents by file', () => {
    const dir = dirWith({
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
      'a/a.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nfoo: [\n',
      'c.txt': 'x',
    });
    const { objects, problems } = loadManifests([dir]);
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['a', 'b']);
    expect(problems).toEqual([expect.objectContaining({ file: join(dir, 'a/a.yml'), check: 'yaml' })]);
  });

  test('reports a document whose alias has no anchor instead of throwing', () => {
    const { objects, problems } = loadManifests([dirWith({ 'a.yaml': 'kind: *nowhere\n' })]);
    expect(objects).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ check: 'yaml', message: expect.stringMatching(/Unresolved alias/) }),
    ]);
  });

  test('refuses documents that are not Kubernetes objects', () => {
    const { problems } = loadManifests([dirWith({ 'x.yaml': 'just: data\n' })]);
    expect(problems[0].message).toMatch(/not a Kubernetes object/);
  });
});

describe('checkManifests', () => {
  test('a golden file passes every check when its external Secret is declared', () => {
    const { objects } = loadManifests([golden('ha-metallb')]);
    const external = [1, 2, 3, 4, 5].map((n) => `Secret/node${n}-example-credentials`);
    expect(checkManifests(objects, { external })).toEqual([]);
  });

  test('finds a schema error, an embedded schema error, a broken reference and secret material', () => {
    const text = readFileSync(golden('ha-metallb'), 'utf8')
      .replace('online: true', 'online: "yes"')
      .replace(/- 192\.168\.122\.100\/32/, '- not-an-address')
      .replace('name: multinode-cluster-controlplane-template\n', 'name: typo-template\n');
    const dir = dirWith({
      'site.yaml': text,
      'leak.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: leak}\nstringData: {password: hunter2}\n',
    });
    const problems = checkManifests(loadManifests([dir]).objects, {
      external: [1, 2, 3, 4, 5].map((n) => `Secret/node${n}-example-credentials`),
    });
    const checks = problems.map((p) => p.check);
    expect(checks).toEqual(expect.arrayContaining(['schema', 'references', 'secrets']));
    expect(problems.find((p) => p.check === 'schema')!.message).toMatch(/'\/spec\/online' must be boolean/);
    expect(problems.find((p) => p.check === 'references')!.message).toMatch(
      /names Metal3DataTemplate\/multinode-cluster-controlplane-template/,
    );
    expect(problems.find((p) => p.check === 'secrets')!.message).not.toContain('hunter2');
  });

  test('checks manifests embedded in RKE2 first-boot configs', () => {
    const text = readFileSync(golden('ha-metallb'), 'utf8').replace(
      'ipAddressPools:\n                      - kubernetes-vip-ip-pool',
      'ipAddressPools:\n                      - other-pool',
    );
    const problems = checkManifests(loadManifests([dirWith({ 's.yaml': text })]).objects, {
      external: [1, 2, 3, 4, 5].map((n) => `Secret/node${n}-example-credentials`),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        check: 'metallb',
        message: expect.stringContaining("names no IPAddressPool 'other-pool'"),
      }),
    ]);
  });

  test('finds a bad Ignition field in the kmod golden file', () => {
    // GIVEN the kmod golden with one file mode written as an octal string
    const text = readFileSync(golden('kmod-machineconfig'), 'utf8').replace(
      'mode: 420\n          overwrite: true\n          path: /etc/modules-load.d/ip_vs.conf',
      'mode: "0644"\n          overwrite: true\n          path: /etc/modules-load.d/ip_vs.conf',
    );
    // WHEN
    const problems = checkManifests(loadManifests([dirWith({ 'k.yaml': text })]).objects);
    // THEN
    expect(problems).toEqual([
      expect.objectContaining({
        check: 'embedded',
        message: expect.stringContaining(
          "in MachineConfig/50-worker-kmod-ip-vs spec.config: Ignition 3.2.0 at '/storage/files/0/mode': must be integer",
        ),
      }),
    ]);
  });

  test('the kmod golden file passes every check', () => {
    expect(checkManifests(loadManifests([golden('kmod-machineconfig')]).objects)).toEqual([]);
  });
});

describe('the seed YAML of sections 42.4 and 42.5', () => {
  const fixture = (name: string) => join(__dirname, '..', 'fixtures', name);

  test('passes every check, hosts without namespace being in the default namespace', () => {
    // GIVEN the seed YAML without its literal Secrets, which are declared external
    const { objects, problems } = loadManifests([fixture('seed-42.4'), fixture('seed-42.5')]);
    const external = [
      'Secret/example-demo-credentials',
      ...[1, 2, 3].map((n) => `Secret/node${n}-example-credentials`),
    ];
    // WHEN / THEN
    expect(problems).toEqual([]);
    expect(objects).toHaveLength(14);
    expect(checkManifests(objects, { external })).toEqual([]);
  });

  test('fails when applied to another namespace: the hosts are not where the machine template is', () => {
    const { objects } = loadManifests([fixture('seed-42.4')]);
    const problems = checkManifests(objects, { external: ['Secret/example-demo-credentials'], namespace: 'other' });
    expect(problems.map((p) => p.message)).toEqual([
      "[Metal3MachineTemplate/single-node-cluster-controlplane] 'spec.template.spec.hostSelector' matches 0 BareMetalHost(s) but 1 machine(s) use it",
    ]);
  });
});

describe('duplicates', () => {
  const cm = (apiVersion: string, ns = '', data = 'a') =>
    `apiVersion: ${apiVersion}\nkind: ConfigMap\nmetadata:\n  name: cm\n${ns ? `  namespace: ${ns}\n` : ''}data: {k: ${data}}\n`;

  test('fails when an object is written twice, naming both places', () => {
    // GIVEN the same ConfigMap twice, once without namespace, once in default, with other data
    const dir = dirWith({ 'a.yaml': cm('v1'), 'b.yaml': `${cm('v1', 'other')}---\n${cm('v1', 'default', 'b')}` });
    // WHEN
    const problems = checkManifests(loadManifests([dir]).objects);
    // THEN
    expect(problems).toEqual([
      {
        file: join(dir, 'b.yaml'),
        check: 'duplicates',
        message:
          `[ConfigMap/default/cm] is written twice: in ${join(dir, 'a.yaml')} (document 1, line 1) and in ` +
          `${join(dir, 'b.yaml')} (document 2, line 8) (same API group, kind, namespace and name); keep one, ` +
          'as the one applied last replaces the other',
      },
    ]);
  });

  test('the same group in another version is the same object; --namespace moves objects without one', () => {
    const bmh = (v: string) =>
      `apiVersion: metal3.io/${v}\nkind: BareMetalHost\nmetadata: {name: h, namespace: site}\nspec: {online: true}\n`;
    const dir = dirWith({ 'a.yaml': bmh('v1alpha1'), 'b.yaml': bmh('v1beta1') });
    const problems = checkManifests(loadManifests([dir]).objects).filter((p) => p.check === 'duplicates');
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^\[BareMetalHost.metal3.io\/site\/h\] is written twice/),
    ]);
    const moved = dirWith({ 'a.yaml': cm('v1'), 'b.yaml': cm('v1', 'default') });
    expect(checkManifests(loadManifests([moved]).objects, { namespace: 'site' })).toEqual([]);
  });
});

describe('secret values never appear in messages', () => {
  const PASSWORD_HASH = '$6$rounds=4096$SaltSaltSalt$CorrectHorseBatteryStapleHashValue';
  const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz';

  test('a MachineConfig passwordHash failing the Ignition schema is named by path only', () => {
    // GIVEN a password hash given as a list where a string is expected
    const mc = {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: '99-worker-core', labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
      spec: {
        config: {
          ignition: { version: '3.2.0' },
          passwd: { users: [{ name: 'core', passwordHash: [PASSWORD_HASH] }] },
        },
      },
    };
    // WHEN
    const problems = checkManifests(loadManifests([dirWith({ 'mc.yaml': JSON.stringify(mc) })]).objects);
    // THEN
    expect(problems.map((p) => p.message)).toEqual([
      "in MachineConfig/99-worker-core spec.config: Ignition 3.2.0 at '/passwd/users/0/passwordHash': must be string,null",
    ]);
    expect(JSON.stringify(problems)).not.toContain('CorrectHorse');
  });

  test('an Ignition override that is not JSON is reported without quoting it', () => {
    // GIVEN text that V8's JSON.parse quotes in its message
    const [problem] = checkEmbeddedIgnition(`{"passwd": ${PASSWORD_HASH}}`, 'InfraEnv/x spec.ignitionConfigOverride');
    // THEN the message says what is wrong but quotes nothing
    expect(problem).toBe('in InfraEnv/x spec.ignitionConfigOverride: not valid JSON');
    expect(checkEmbeddedIgnition('{"a": 1} x', 'here')).toEqual(['in here: not valid JSON (error at character 9)']);
  });

  test('a private key in a wrong-typed field is not echoed', () => {
    // GIVEN a key pasted where a boolean is expected
    const bmh = {
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: { name: 'h', namespace: 'site' },
      spec: { online: KEY },
    };
    const problems = checkManifests(loadManifests([dirWith({ 'h.yaml': JSON.stringify(bmh) })]).objects);
    expect(problems.map((p) => p.message)).toEqual([
      "[BareMetalHost/h] '/spec/online' must be boolean (got a value not shown as it may be secret)",
    ]);
  });

  test('a broken YAML entry of a manifests ConfigMap is reported by position, not quoted', () => {
    const aci = {
      apiVersion: 'extensions.hive.openshift.io/v1beta1',
      kind: 'AgentClusterInstall',
      metadata: { name: 'c', namespace: 'c' },
      spec: {
        imageSetRef: { name: 'img' },
        clusterDeploymentRef: { name: 'c' },
        networking: { userManagedNetworking: false },
        provisionRequirements: { controlPlaneAgents: 3 },
        manifestsConfigMapRefs: [{ name: 'm' }],
      },
    };
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'm', namespace: 'c' },
      data: { 'a.yaml': `password: "${PASSWORD_HASH}" : oops\n` },
    };
    const problems = checkManifests(
      loadManifests([dirWith({ 'aci.yaml': JSON.stringify(aci), 'cm.yaml': JSON.stringify(cm) })]).objects,
      { external: ['ClusterImageSet/img', 'ClusterDeployment/c/c'] },
    );
    expect(problems.map((p) => p.message)).toEqual([
      'in ConfigMap/m data[\'a.yaml\']: YAML syntax error at line 1, column 11: a mapping is nested in a single-line key or value (a stray ": "?) (BLOCK_AS_IMPLICIT_KEY)',
    ]);
  });
});

describe('manifests and Ignition configs embedded in OpenShift objects', () => {
  const machineConfig = (config: object, name = '99-worker-kmod') => ({
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name, labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
    spec: { config },
  });
  const aci = [
    'apiVersion: extensions.hive.openshift.io/v1beta1',
    'kind: AgentClusterInstall',
    'metadata: {name: cn2, namespace: cn2}',
    'spec:',
    '  imageSetRef: {name: img}',
    '  clusterDeploymentRef: {name: cn2}',
    '  networking: {userManagedNetworking: false}',
    '  provisionRequirements: {controlPlaneAgents: 3}',
    '  manifestsConfigMapRefs: [{name: cn2-manifests}]',
    '',
  ].join('\n');
  function manifestsConfigMap(data: Record<string, string>) {
    return JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cn2-manifests', namespace: 'cn2' },
      data,
    });
  }
  const check = (files: Record<string, string>) =>
    checkManifests(loadManifests([dirWith(files)]).objects, {
      external: ['ClusterImageSet/img', 'ClusterDeployment/cn2/cn2'],
    }).filter((p) => p.check === 'embedded');

  test('an Ignition config a MachineConfig carries is checked against its own spec version', () => {
    // GIVEN a MachineConfig whose file mode is a string, as written by hand from an octal literal
    const bad = machineConfig({
      ignition: { version: '3.2.0' },
      storage: { files: [{ path: '/etc/modules-load.d/x.conf', mode: '0644' }] },
    });
    // WHEN checked, THEN the problem names the object, the spec version and the JSON pointer
    expect(check({ 'mc.yaml': JSON.stringify(bad) })).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^in MachineConfig\/99-worker-kmod spec.config: Ignition 3.2.0 at '\/storage\/files\/0\/mode': must be integer/,
        ),
      }),
    ]);
    // AND the same config with a numeric mode passes
    const good = machineConfig({
      ignition: { version: '3.2.0' },
      storage: { files: [{ path: '/etc/modules-load.d/x.conf', mode: 420 }] },
    });
    expect(check({ 'mc.yaml': JSON.stringify(good) })).toEqual([]);
  });

  test('an InfraEnv ignition override must be JSON of a known Ignition version', () => {
    expect(checkEmbeddedIgnition('{"ignition": ', 'InfraEnv/x spec.ignitionConfigOverride')[0]).toMatch(
      /^in InfraEnv\/x spec.ignitionConfigOverride: not valid JSON/,
    );
    expect(checkEmbeddedIgnition('{"ignition": {"version": "2.2.0"}}', 'here')).toEqual([
      'in here: \'ignition.version\' "2.2.0" is not one of 3.2.0, 3.3.0, 3.4.0, 3.5.0',
    ]);
    expect(checkEmbeddedIgnition('{"ignition": {"version": "3.4.0"}, "passwd": {"userz": []}}', 'here')).toEqual([
      "in here: Ignition 3.4.0 at '/passwd': unknown field 'userz'",
    ]);
  });

  test('extra manifests of an AgentClusterInstall are parsed and checked; third-party kinds are left alone', () => {
    // GIVEN an extra-manifests ConfigMap with a broken YAML entry, a non-object, a MachineConfig with a bad
    // Ignition config, a known kind with a schema error, and a CNI's own custom resource
    const cm = manifestsConfigMap({
      'a-broken.yaml': 'kind: [',
      'b-scalar.yaml': 'just text',
      'c-mc.yaml': JSON.stringify(machineConfig({ ignition: { version: '3.9.0' } })),
      'd-nad.yaml':
        'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: n}\nspec: {config: 42}\n',
      'e-cn2.yaml':
        'apiVersion: core.contrail.juniper.net/v1\nkind: Contrail\nmetadata: {name: cn2}\nspec: {anything: 1}\n',
    });
    // WHEN checked with the AgentClusterInstall that names it
    const problems = check({ 'aci.yaml': aci, 'cm.yaml': cm }).map((p) => p.message);
    // THEN each problem names its ConfigMap entry, in key order, and the CN2 resource raises nothing
    expect(problems).toEqual([
      "in ConfigMap/cn2-manifests data['a-broken.yaml']: YAML syntax error at line 1, column 8: the indentation is wrong (BAD_INDENT)",
      "in ConfigMap/cn2-manifests data['b-scalar.yaml']: a document is not a Kubernetes object (no apiVersion/kind)",
      expect.stringMatching(
        /^in ConfigMap\/cn2-manifests data\['c-mc.yaml'\] MachineConfig\/99-worker-kmod spec.config: 'ignition.version' "3.9.0"/,
      ),
      expect.stringMatching(
        /^in ConfigMap\/cn2-manifests data\['d-nad.yaml'\] NetworkAttachmentDefinition\/n: .*config.*must be string/,
      ),
    ]);
  });

  test('a ConfigMap nothing installs as manifests is not parsed', () => {
    expect(check({ 'cm.yaml': manifestsConfigMap({ 'a.yaml': 'kind: [' }) })).toEqual([]);
  });
});

describe('properties', () => {
  test('a credential in broken seed YAML never reaches a message, and nothing throws', () => {
    // GIVEN the seed 42.4 YAML with a credential-named key inserted at any line and indentation,
    // and YAML punctuation inserted anywhere
    const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'seed-42.4', name), 'utf8');
    const lines = `${fixture('bmh-example.yaml')}---\n${fixture('capi-provisioning-example.yaml')}`.split('\n');
    const dir = mkdtempSync(join(tmpdir(), 'leak-'));
    const MARK = 'Zq9SecretMarker';
    const punctuation = fc.constantFrom(
      ':',
      ': ',
      '"',
      "'",
      '[',
      ']',
      '{',
      '}',
      '\n',
      '\t',
      '- ',
      '#',
      '&a',
      '*a',
      '!',
      '|',
      '>',
      '%',
      '@',
      ' ',
      '---\n',
    );
    fc.assert(
      fc.property(
        fc.nat({ max: lines.length }),
        fc.nat({ max: 12 }),
        fc.constantFrom('password', 'token', 'apiKey', 'passwordHash', 'bmcPassword'),
        fc.array(fc.tuple(fc.nat({ max: lines.length - 1 }), fc.nat({ max: 40 }), punctuation), { maxLength: 4 }),
        (at, indent, key, edits) => {
          const text = [...lines];
          for (const [line, column, inserted] of edits) {
            text[line] = text[line].slice(0, column) + inserted + text[line].slice(column);
          }
          text.splice(at, 0, `${' '.repeat(indent)}${key}: "${MARK}-${key}"`);
          const file = join(dir, 'f.yaml');
          writeFileSync(file, text.join('\n'));
          // WHEN
          const { objects, problems } = loadManifests([file]);
          const all = [...problems, ...checkManifests(objects)];
          // THEN
          expect(JSON.stringify(all)).not.toContain(MARK);
        },
      ),
      { numRuns: Math.ceil(RUNS / 4), seed: SEED },
    );
  });
});

describe('checkEmbeddedIgnition at its limits', () => {
  test('text that is not JSON is placed by character, never quoted', () => {
    expect(checkEmbeddedIgnition('{"a" 1}', 'here')).toEqual(['in here: not valid JSON (error at character 5)']);
    // V8 quotes the text in some messages: then no position, and never the text
    expect(checkEmbeddedIgnition('{"ignition": secret}', 'here')).toEqual(['in here: not valid JSON']);
  });

  test('JSON that is not an object, and versions that are not a short version text', () => {
    expect(checkEmbeddedIgnition('42', 'here')).toEqual(['in here: an Ignition config must be a JSON object']);
    expect(checkEmbeddedIgnition('null', 'here')).toEqual(['in here: an Ignition config must be a JSON object']);
    expect(checkEmbeddedIgnition(null, 'here')).toEqual(['in here: an Ignition config must be a JSON object']);
    const versions = 'is not one of 3.2.0, 3.3.0, 3.4.0, 3.5.0';
    expect(checkEmbeddedIgnition({ ignition: { version: 3 } }, 'here')).toEqual([
      `in here: 'ignition.version' number ${versions}`,
    ]);
    expect(checkEmbeddedIgnition({}, 'here')).toEqual([`in here: 'ignition.version' undefined ${versions}`]);
    expect(checkEmbeddedIgnition({ ignition: { version: 'a'.repeat(16) } }, 'here')).toEqual([
      `in here: 'ignition.version' "${'a'.repeat(16)}" ${versions}`,
    ]);
    expect(checkEmbeddedIgnition({ ignition: { version: 'a'.repeat(17) } }, 'here')).toEqual([
      `in here: 'ignition.version' string ${versions}`,
    ]);
    expect(checkEmbeddedIgnition({ ignition: { version: '3.2.0 secret' } }, 'here')).toEqual([
      `in here: 'ignition.version' string ${versions}`,
    ]);
    expect(checkEmbeddedIgnition({ ignition: { version: '' } }, 'here')).toEqual([
      `in here: 'ignition.version' string ${versions}`,
    ]);
    expect(checkEmbeddedIgnition({ ignition: { version: 'v3.2.0+x-1_a' } }, 'here')).toEqual([
      `in here: 'ignition.version' "v3.2.0+x-1_a" ${versions}`,
    ]);
  });

  test('a config given as an object is checked as it is; the value at fault is never shown', () => {
    expect(checkEmbeddedIgnition({ ignition: { version: '3.2.0' } }, 'here')).toEqual([]);
    expect(
      checkEmbeddedIgnition(
        { ignition: { version: '3.2.0' }, passwd: { users: [{ name: 'core', passwordHash: 7 }] } },
        'here',
      ),
    ).toEqual(["in here: Ignition 3.2.0 at '/passwd/users/0/passwordHash': must be string,null"]);
    expect(checkEmbeddedIgnition({ ignition: { version: '3.2.0' }, passwd: 1 }, 'here')).toEqual([
      "in here: Ignition 3.2.0 at '/passwd': must be object",
    ]);
  });
});

describe('manifestConfigMaps', () => {
  test('names the ConfigMaps an AgentClusterInstall or a NodePool installs, in their effective namespace', () => {
    const o = (object: object) => ({ file: 'f', object });
    const maps = manifestConfigMaps(
      [
        o({
          apiVersion: 'extensions.hive.openshift.io/v1beta1',
          kind: 'AgentClusterInstall',
          metadata: { name: 'a', namespace: 'cn2' },
          spec: {
            manifestsConfigMapRef: { name: 'one' },
            manifestsConfigMapRefs: [{ name: 'two' }, { name: 7 }, null],
          },
        }),
        o({
          apiVersion: 'hypershift.openshift.io/v1beta1',
          kind: 'NodePool',
          metadata: { name: 'np' },
          spec: { config: [{ name: 'mc' }] },
        }),
        o({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, spec: { config: [{ name: 'no' }] } }),
        o({ apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'NodePool', metadata: { name: 'bare' } }),
      ],
      'site',
    );
    expect([...maps]).toEqual(['cn2/one', 'cn2/two', 'site/mc']);
  });
});

describe('checkObject details', () => {
  const cmObject = (data: Record<string, unknown> | undefined) => ({
    file: 'f.yaml',
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'extra', namespace: 'cn2' },
      ...(data ? { data } : {}),
    },
  });

  test('a manifests ConfigMap: entries in key order, text only, empty documents skipped, secrets found', () => {
    const problems = checkObject(
      cmObject({
        'z.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n',
        'a.yaml': '---\n---\nkind: 7\n',
        'm.yaml': 42,
      }),
      new Set(['cn2/extra']),
      'default',
    );
    expect(problems.map((p) => [p.check, p.message.slice(0, 60)])).toEqual([
      ['embedded', "in ConfigMap/extra data['a.yaml']: a document is not a Kuber"],
      ['secrets', expect.stringMatching(/^\[Secret\/s\]/)],
    ]);
    expect(problems.map((p) => p.message).join('\n')).not.toContain('hunter2');
    expect(checkObject(cmObject(undefined), new Set(['cn2/extra']), 'default')).toEqual([]);
    expect(checkObject(cmObject({ 'a.yaml': 'kind: [' }), new Set(['other/extra']), 'default')).toEqual([]);
  });

  test('a document of a manifests ConfigMap without apiVersion is not an object', () => {
    const problems = checkObject(
      cmObject({ 'a.yaml': 'kind: ConfigMap\nmetadata: {name: x}\n' }),
      new Set(['cn2/extra']),
      'default',
    );
    expect(problems.map((p) => p.message)).toEqual([
      "in ConfigMap/extra data['a.yaml']: a document is not a Kubernetes object (no apiVersion/kind)",
    ]);
  });

  test("manifests in an RKE2ConfigTemplate's first-boot config are checked; other files and broken configs are not", () => {
    const butane = (files: unknown[]) => JSON.stringify({ variant: 'fcos', version: '1.4.0', storage: { files } });
    const bad = 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p}\nspec: {addresses: 7}\n';
    const template = (config: unknown) => ({
      file: 't.yaml',
      object: {
        apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
        kind: 'RKE2ConfigTemplate',
        metadata: { name: 't' },
        spec: { template: { spec: { agentConfig: { additionalUserData: { config } } } } },
      },
    });
    const embedded = (config: unknown) =>
      checkObject(template(config), new Set(), 'default')
        .filter((p) => p.check === 'embedded')
        .map((p) => p.message);
    expect(
      embedded(butane([{ path: '/var/lib/rancher/rke2/server/manifests/p.yml', contents: { inline: bad } }])),
    ).toEqual([
      expect.stringMatching(
        /^in RKE2ConfigTemplate\/t \/var\/lib\/rancher\/rke2\/server\/manifests\/p\.yml: \[IPAddressPool\/p\]/,
      ),
    ]);
    expect(embedded(butane([{ path: '/etc/p.yaml', contents: { inline: bad } }]))).toEqual([]);
    expect(
      embedded(butane([{ path: '/var/lib/rancher/rke2/server/manifests/p.yaml.bak', contents: { inline: bad } }])),
    ).toEqual([]);
    expect(
      embedded(butane([{ path: '/var/lib/rancher/rke2/server/manifests/sub/p.yaml', contents: { inline: bad } }])),
    ).toEqual([]);
    expect(
      embedded(butane([{ path: '/var/lib/rancher/rke2/server/manifests/p.yaml', contents: { source: 'data:,x' } }])),
    ).toEqual([]);
    expect(embedded(butane([{ contents: { inline: bad } }, null]))).toEqual([]);
    expect(embedded('storage: [')).toEqual([]);
    expect(embedded(7)).toEqual([]);
  });
});

describe('duplicateProblems and placeOfObject', () => {
  test('a place without a line names its document only; places can be given directly', () => {
    const a = placeOfObject(
      { file: 'a.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } },
      'site',
    );
    expect(a).toStrictEqual({ file: 'a.yaml', identity: expect.any(String), id: 'ConfigMap/site/x', document: 1 });
    const b = placeOfObject(
      {
        file: 'b.yaml',
        object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
        document: 3,
        line: 9,
      },
      'site',
    );
    expect(b).toMatchObject({ document: 3, line: 9 });
    expect(duplicateProblems([a, b])).toEqual([
      {
        file: 'b.yaml',
        check: 'duplicates',
        message:
          '[ConfigMap/site/x] is written twice: in a.yaml (document 1) and in b.yaml (document 3, line 9) (same API group, kind, namespace and name); keep one, as the one applied last replaces the other',
      },
    ]);
    expect(duplicateProblems([a, { ...b, identity: 'other' }])).toEqual([]);
  });
});

describe('checkObject on partial objects and odd entries', () => {
  const at = (object: unknown) => ({ file: 'f.yaml', object });

  test('objects without a spec, or with a partial one, are checked without throwing', () => {
    const partial = [
      undefined,
      {},
      { agentConfig: {} },
      { agentConfig: { additionalUserData: {} } },
      { template: {} },
      { template: { spec: {} } },
      { template: { spec: { agentConfig: {} } } },
      { template: { spec: { agentConfig: { additionalUserData: {} } } } },
      { agentConfig: { additionalUserData: { config: 'variant: fcos\nversion: 1.4.0\n' } } },
      { agentConfig: { additionalUserData: { config: 'storage: {files: [null, {path: /x}]}\n' } } },
      { template: { spec: { agentConfig: { additionalUserData: { config: 'storage: {}\n' } } } } },
    ];
    for (const kind of [
      'RKE2ControlPlane',
      'RKE2ConfigTemplate',
      'MachineConfig',
      'InfraEnv',
      'AgentClusterInstall',
      'NodePool',
    ]) {
      for (const spec of partial) {
        const object = { apiVersion: 'v1', kind, metadata: { name: 'x' }, ...(spec ? { spec } : {}) };
        expect(() => checkObject(at(object), new Set(), 'default')).not.toThrow();
        expect(() => manifestConfigMaps([at(object)], 'default')).not.toThrow();
      }
    }
    expect(() =>
      checkObject(
        at({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'kind: [' } }),
        new Set(['default/undefined']),
        'default',
      ),
    ).not.toThrow();
  });

  test("an InfraEnv's ignition override is checked, the same field on another kind is not", () => {
    const override = '{"ignition": {"version": "2.2.0"}}';
    const infraEnv = {
      apiVersion: 'agent-install.openshift.io/v1beta1',
      kind: 'InfraEnv',
      metadata: { name: 'e' },
      spec: { ignitionConfigOverride: override },
    };
    expect(
      checkObject(at(infraEnv), new Set(), 'default')
        .filter((p) => p.check === 'embedded')
        .map((p) => p.message),
    ).toEqual([
      'in InfraEnv/e spec.ignitionConfigOverride: \'ignition.version\' "2.2.0" is not one of 3.2.0, 3.3.0, 3.4.0, 3.5.0',
    ]);
    const other = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      spec: { ignitionConfigOverride: override, config: override },
    };
    expect(checkObject(at(other), new Set(), 'default').filter((p) => p.check === 'embedded')).toEqual([]);
    const noConfig = {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: 'm' },
      spec: {},
    };
    expect(checkObject(at(noConfig), new Set(), 'default').filter((p) => p.check === 'embedded')).toEqual([]);
  });

  test('manifests ConfigMap entries: problems in key order, unresolved aliases, documents without kind, only ConfigMaps', () => {
    const cm = (data: Record<string, string>, kind = 'ConfigMap') =>
      at({ apiVersion: 'v1', kind, metadata: { name: 'extra', namespace: 'cn2' }, data });
    const maps = new Set(['cn2/extra']);
    const problems = checkObject(
      cm({ 'z.yaml': 'kind: [', 'a.yaml': 'kind: [', 'm.yaml': 'apiVersion: v1\nmetadata: {name: x}\n' }),
      maps,
      'default',
    );
    expect(problems.map((p) => p.message.slice(0, 35))).toEqual([
      "in ConfigMap/extra data['a.yaml']: ",
      "in ConfigMap/extra data['m.yaml']: ",
      "in ConfigMap/extra data['z.yaml']: ",
    ]);
    expect(problems[1].message).toBe(
      "in ConfigMap/extra data['m.yaml']: a document is not a Kubernetes object (no apiVersion/kind)",
    );
    const alias = checkObject(cm({ 'a.yaml': 'apiVersion: v1\nkind: *nowhere\n' }), maps, 'default');
    expect(alias.map((p) => p.message)).toEqual([expect.stringMatching(/^in ConfigMap\/extra data\['a\.yaml'\]: /)]);
    expect(
      checkObject(cm({ 'a.yaml': 'kind: [' }, 'Secret'), maps, 'default').filter((p) => p.check === 'embedded'),
    ).toEqual([]);
  });

  test('scalar documents of a first-boot manifest are not objects to check', () => {
    const config = JSON.stringify({
      variant: 'fcos',
      version: '1.4.0',
      storage: {
        files: [{ path: '/var/lib/rancher/rke2/server/manifests/x.yaml', contents: { inline: '--- just text\n' } }],
      },
    });
    const cp = {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
      kind: 'RKE2ControlPlane',
      metadata: { name: 'c' },
      spec: { agentConfig: { additionalUserData: { config } } },
    };
    expect(checkObject(at(cp), new Set(), 'default').filter((p) => p.check === 'embedded')).toEqual([]);
  });

  test('a JSON error position past 9 is given whole; reference problems belong to no file', () => {
    expect(checkEmbeddedIgnition('{"abcdefghij" 1}', 'here')).toEqual([
      'in here: not valid JSON (error at character 14)',
    ]);
    const host = {
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: { name: 'h' },
      spec: { online: true, bmc: { address: 'redfish://10.0.0.1/x', credentialsName: 'gone' } },
    };
    expect(checkManifests([at(host)]).filter((p) => p.check === 'references')).toEqual([
      { file: '', check: 'references', message: expect.stringContaining('names Secret/gone') },
    ]);
  });
});

describe('checkObject: which configs and entries are read, and how they are reported', () => {
  const at = (object: unknown) => ({ file: 'f.yaml', object });
  const bad = 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p}\nspec: {addresses: 7}\n';
  const config = JSON.stringify({
    variant: 'fcos',
    version: '1.4.0',
    storage: { files: [{ path: '/var/lib/rancher/rke2/server/manifests/p.yaml', contents: { inline: bad } }] },
  });
  const embedded = (object: unknown) =>
    checkObject(at(object), new Set(), 'default').filter((p) => p.check === 'embedded');

  test("only an RKE2ControlPlane's and an RKE2ConfigTemplate's own config paths are read", () => {
    const agent = { agentConfig: { additionalUserData: { config } } };
    const templated = { template: { spec: agent } };
    expect(
      embedded({ apiVersion: 'v1', kind: 'Other', metadata: { name: 'o' }, spec: { ...agent, ...templated } }),
    ).toEqual([]);
    expect(embedded({ apiVersion: 'v1', kind: 'RKE2ControlPlane', metadata: { name: 'c' }, spec: templated })).toEqual(
      [],
    );
    expect(embedded({ apiVersion: 'v1', kind: 'RKE2ConfigTemplate', metadata: { name: 't' }, spec: agent })).toEqual(
      [],
    );
    expect(embedded({ apiVersion: 'v1', kind: 'RKE2ControlPlane', metadata: { name: 'c' }, spec: agent })).toHaveLength(
      1,
    );
  });

  test('an entry whose alias has no anchor, and an entry with several syntax errors, are one problem each', () => {
    const cm = (data: Record<string, string>) =>
      at({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'cn2' }, data });
    const maps = new Set(['cn2/extra']);
    expect(
      checkObject(cm({ 'a.yaml': 'apiVersion: v1\nkind: *nowhere\n' }), maps, 'default').map((p) => p.message),
    ).toEqual([
      "in ConfigMap/extra data['a.yaml']: not valid YAML (Unresolved alias (the anchor must be set before the alias))",
    ]);
    expect(checkObject(cm({ 'b.yaml': 'a: [\nb: {\n' }), maps, 'default').map((p) => p.message)).toEqual([
      "in ConfigMap/extra data['b.yaml']: YAML syntax error at line 2, column 1: the indentation is wrong (BAD_INDENT); YAML syntax error at line 3, column 1: the indentation is wrong (BAD_INDENT)",
    ]);
  });
});

describe('checkObject: edge cases of embedded manifests, Ignition messages and manifests ConfigMaps', () => {
  const at = (object: unknown) => ({ file: 'f.yaml', object });
  const bad = 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p}\nspec: {addresses: 7}\n';
  const controlPlane = (config: unknown, metadata: object | null = { name: 'c' }) => ({
    apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
    kind: 'RKE2ControlPlane',
    ...(metadata ? { metadata } : {}),
    spec: { agentConfig: { additionalUserData: { config } } },
  });
  const butane = (inline: string) =>
    JSON.stringify({
      variant: 'fcos',
      version: '1.4.0',
      storage: { files: [{ path: '/var/lib/rancher/rke2/server/manifests/p.yaml', contents: { inline } }] },
    });
  const embedded = (object: unknown, maps: ReadonlySet<string> = new Set()) =>
    checkObject(at(object), maps, 'default')
      .filter((p) => p.check === 'embedded')
      .map((p) => p.message);

  test('an empty or comment-only Butane config has no files and is skipped without a TypeError', () => {
    for (const config of ['', '# nothing yet\n', 'null\n']) {
      expect(embedded(controlPlane(config))).toEqual([]);
    }
  });

  test('an RKE2ControlPlane without metadata still has its embedded manifests checked', () => {
    expect(embedded(controlPlane(butane(bad), null))).toEqual([
      expect.stringMatching(
        /^in RKE2ControlPlane\/undefined \/var\/lib\/rancher\/rke2\/server\/manifests\/p\.yaml: \[IPAddressPool\/p\]/,
      ),
    ]);
  });

  test('a manifests ConfigMap entry without metadata is checked without a TypeError', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'extra', namespace: 'cn2' },
      data: { 'a.yaml': 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nspec: {addresses: 7}\n' },
    };
    const problems = embedded(cm, new Set(['cn2/extra']));
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^in ConfigMap\/extra data\['a\.yaml'\] IPAddressPool\/undefined: /);
  });

  test("a problem at the config's root is placed at '/'; a field name holding '(got …)' is not cut", () => {
    expect(checkEmbeddedIgnition({ ignition: { version: '3.2.0' }, 'a (got b) c': 1 }, 'here')).toEqual([
      "in here: Ignition 3.2.0 at '/': unknown field 'a (got b) c'",
    ]);
  });

  test('parsing Butane configs and embedded manifests prints no YAML warning (which may quote a key)', () => {
    // GIVEN collection keys, which the yaml package warns about quoting the key, in a Butane config,
    // in a manifest it embeds, and in an entry of a manifests ConfigMap
    const key = '? [Zq9Marker]\n: v\n';
    const inline = `${key}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n`;
    const config = `${key}variant: fcos\nversion: 1.4.0\n`;
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'extra', namespace: 'cn2' },
      data: { 'a.yaml': `${key}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n` },
    };
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const consoleWarn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // WHEN each is checked on its own
      checkObject(at(controlPlane(config, { name: 'w1' })), new Set(), 'default');
      expect(warn).not.toHaveBeenCalled();
      checkObject(at(controlPlane(butane(inline), { name: 'w2' })), new Set(), 'default');
      expect(warn).not.toHaveBeenCalled();
      checkObject(at(cm), new Set(['cn2/extra']), 'default');
      // THEN nothing was written to the console
      expect(warn).not.toHaveBeenCalled();
      expect(consoleWarn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      consoleWarn.mockRestore();
    }
  });
});

describe('manifestConfigMaps: only the fields of the kinds that install manifests', () => {
  const o = (object: object) => ({ file: 'f', object });

  test("a NodePool's config list may hold null and non-string names; other kinds' refs are not read", () => {
    const maps = manifestConfigMaps(
      [
        o({
          apiVersion: 'hypershift.openshift.io/v1beta1',
          kind: 'NodePool',
          metadata: { name: 'np', namespace: 'clusters' },
          spec: { config: [null, { name: 7 }, { name: 'mc' }] },
        }),
        o({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'plain', namespace: 'clusters' },
          spec: { manifestsConfigMapRef: { name: 'no' }, manifestsConfigMapRefs: [{ name: 'nor' }] },
        }),
      ],
      'site',
    );
    expect([...maps]).toEqual(['clusters/mc']);
  });

  test('an entry without an object names nothing and throws nothing', () => {
    expect([...manifestConfigMaps([{ file: 'f', object: null }], 'site')]).toEqual([]);
  });
});
