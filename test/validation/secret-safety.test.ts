import { SecretRef } from '../../lib/core/secret-ref';
import { BareMetalHost } from '../../lib/metal3/bare-metal-host';
import { Bmc } from '../../lib/metal3/bmc';
import { validateOutput } from '../../lib/validation/construct-validation';
import { toDataUrl } from '../../lib/ignition/data-url';
import { findSecretMaterial, isSensitiveValue, secretMaterialIn } from '../../lib/validation/secret-safety';
import { KubeConfigMap, KubeSecret } from 'cdk8s-plus-29/lib/imports/k8s';
import { testChart } from '../util';

const secret = (extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', ...extra },
  stringData: { password: 'hunter2' },
});

describe('findSecretMaterial', () => {
  test('refuses a Secret with literal data and no opt-in, naming keys but never values', () => {
    const [problem] = findSecretMaterial([secret()]);
    expect(problem).toMatch(/^\[Secret\/s\] writes literal data \(keys password\) into the manifests/);
    expect(problem).not.toContain('hunter2');
  });

  test('accepts a Secret that carries the opt-in annotation, and a Secret without data', () => {
    expect(findSecretMaterial([secret({ annotations: { 'cdk8s-baremetal/secret-material': 'opted-in' } })])).toEqual(
      [],
    );
    expect(findSecretMaterial([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }])).toEqual([]);
  });

  test('flags ConfigMap values that look like credentials', () => {
    const cm = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data,
    });
    expect(findSecretMaterial([cm({ 'tls.key': '-----BEGIN RSA PRIVATE KEY-----\nMII' })])).toEqual([
      "[ConfigMap/c] data key 'tls.key' holds a PEM private key; keep credentials in a Secret created outside git",
    ]);
    expect(findSecretMaterial([cm({ 'config.json': '{"auths":{"r":{"auth":"dXNlcjpwYXNz"}}}' })])[0]).toMatch(
      /holds registry credentials/,
    );
    expect(findSecretMaterial([cm({ password: 'x' })])[0]).toMatch(/has a key named like a credential \('password'\)/);
  });

  test('accepts public material: CA bundles, certificates, registries.conf', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { 'ca-bundle.crt': '-----BEGIN CERTIFICATE-----', 'registries.conf': '[[registry]]' },
    };
    expect(findSecretMaterial([cm])).toEqual([]);
  });

  test('flags annotations that look like credentials', () => {
    const o = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { 'example.com/api-token': 'abc' } },
    };
    expect(findSecretMaterial([o])[0]).toMatch(/annotation 'example.com\/api-token' has a key named like a credential/);
  });
});

describe('findSecretMaterial on MachineConfigs', () => {
  const mc = (contents: string, annotations: object = {}) => ({
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name: '99-worker-x', annotations },
    spec: {
      config: {
        ignition: { version: '3.2.0' },
        storage: { files: [{ path: '/etc/pki/entitlement/1-key.pem', contents: toDataUrl(contents) }] },
      },
    },
  });
  const KEY = `-----BEGIN RSA PRIVATE KEY-----\n${'c2VjcmV0'.repeat(40)}\n-----END RSA PRIVATE KEY-----\n`;

  test('flags a file holding a private key, gzip-compressed or not, never showing it', () => {
    const problems = findSecretMaterial([mc(KEY), mc('-----BEGIN PRIVATE KEY-----')]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /\[MachineConfig\/99-worker-x\] file '\/etc\/pki\/entitlement\/1-key.pem' holds a PEM private key; .*secretMaterial prop/,
    );
    expect(problems.join()).not.toContain('c2VjcmV0');
  });

  test('accepts plain files, undecodable sources and the opt-in', () => {
    expect(findSecretMaterial([mc('KMOD_NAMES="simple-kmod"\n')])).toEqual([]);
    expect(findSecretMaterial([mc(KEY, { 'cdk8s-baremetal/secret-material': 'opted-in' })])).toEqual([]);
    const remote = mc('x');
    (remote.spec.config.storage.files[0] as any).contents = { source: 'https://example.com/x' };
    expect(findSecretMaterial([remote])).toEqual([]);
  });
});

describe('credentials in URLs', () => {
  const host = (address: string) => ({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: 'h' },
    spec: { bmc: { address, credentialsName: 'c' } },
  });

  test('fails when a BMC address holds credentials, naming the field and not the value', () => {
    const problems = findSecretMaterial([host('redfish-virtualmedia://admin:pw@192.168.200.75/redfish/v1/Systems/1')]);
    expect(problems).toEqual([
      "[BareMetalHost/h] 'spec.bmc.address' holds credentials in the URL (user information before '@'); put the user name and password in the Secret that 'spec.bmc.credentialsName' names",
    ]);
    expect(problems[0]).not.toContain('admin:pw');
  });

  test('the BMC address rule reads BareMetalHosts only, and a string address only', () => {
    const withCredentials = 'redfish-virtualmedia://admin:pw@192.168.200.75/redfish/v1/Systems/1';
    // Another kind with the same field is not a BareMetalHost (its schema, if any, says what it means).
    expect(findSecretMaterial([{ ...host(withCredentials), kind: 'HostFirmwareSettings' }])).toEqual([]);
    // An address that is not a string is the schema check's to refuse; this rule does not read it as text.
    expect(findSecretMaterial([host([withCredentials] as any)])).toEqual([]);
  });

  test('a BareMetalHost without spec or without bmc is read without a TypeError', () => {
    const noSpec: any = host('x');
    delete noSpec.spec;
    expect(findSecretMaterial([noSpec, { ...host('x'), spec: {} }])).toEqual([]);
  });

  test('a BMC address without user information passes', () => {
    expect(findSecretMaterial([host('redfish-virtualmedia://192.168.200.75/redfish/v1/Systems/1')])).toEqual([]);
  });

  test('fails when a ConfigMap value holds a URL with credentials', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { url: 'https://u:p@git.example' },
    };
    expect(findSecretMaterial([cm])).toEqual([
      "[ConfigMap/c] data key 'url' holds a URL with credentials (user information before '@'); keep credentials in a Secret created outside git",
    ]);
  });
});

describe('isSensitiveValue', () => {
  test.each([
    [{ kind: 'Secret' }, ['data', 'anything'], 'x', true],
    [{ kind: 'Secret' }, ['metadata', 'name'], 'x', false],
    [{ kind: 'MachineConfig' }, ['spec', 'config', 'storage'], 1, true],
    [{ kind: 'InfraEnv' }, ['spec', 'ignitionConfigOverride'], '{}', true],
    [{ kind: 'RKE2ControlPlane' }, ['spec', 'agentConfig', 'additionalUserData', 'config'], 'x', true],
    [{ kind: 'X' }, ['spec', 'password'], 'x', true],
    [{ kind: 'X' }, ['spec', 'ca.crt'], 'x', false],
    [{ kind: 'X' }, ['spec', 'online'], '-----BEGIN PRIVATE KEY-----', true],
    [{ kind: 'X' }, ['spec', 'online'], { nested: ['-----BEGIN EC PRIVATE KEY-----'] }, true],
    [{ kind: 'X' }, ['spec', 'online'], { apiToken: 'x' }, true],
    [{ kind: 'X' }, ['spec', 'online'], 'yes', false],
    [{ kind: 'X' }, ['spec', 'bmc', 'credentialsName'], 'node1-bmc', false],
    [{ kind: 'X' }, ['spec', 'pullSecretRef'], { name: 'ps' }, false],
    [{ kind: 'X' }, ['spec', 'users', '0', 'passwordHash'], '$6$x', true],
    // Each kind's rule holds for that kind and that path only.
    [{ kind: 'Secret' }, ['stringData', 'anything'], 'x', true],
    [{ kind: 'Secret' }, ['type'], 'Opaque', false],
    [{ kind: 'X' }, ['data', 'anything'], 'x', false],
    [{ kind: 'X' }, ['stringData', 'anything'], 'x', false],
    [{ kind: 'MachineConfig' }, ['spec', 'osImageURL'], 'quay.io/x', false],
    [{ kind: 'MachineConfig' }, ['metadata', 'config'], 'x', false],
    [{ kind: 'X' }, ['spec', 'config', 'storage'], 'x', false],
    [{ kind: 'InfraEnv' }, ['spec', 'sshAuthorizedKey'], 'ssh-ed25519 AAAA', false],
    [{ kind: 'InfraEnv' }, ['status', 'ignitionConfigOverride'], '{}', false],
    [{ kind: 'X' }, ['spec', 'ignitionConfigOverride'], '{}', false],
    [undefined, ['spec', 'online'], 'yes', false],
  ])('%j at %j holding %j: %s', (object, path, value, sensitive) => {
    expect(isSensitiveValue(object, path, value)).toBe(sensitive);
  });

  test('secretMaterialIn names the kind of material', () => {
    expect(secretMaterialIn('ssh://git:pw@host/repo')).toBe('a URL with credentials');
    expect(secretMaterialIn('https://host/repo')).toBeUndefined();
  });
});

describe('secret safety at synth', () => {
  test('synth fails when a construct writes a Secret without opting in', () => {
    const { app, chart } = testChart();
    validateOutput(chart);
    new KubeSecret(chart, 'S', { metadata: { name: 'leak' }, stringData: { password: 'hunter2' } });
    expect(() => app.synthYaml()).toThrow(/\[Secret\/leak\] writes literal data/);
    try {
      app.synthYaml();
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  test('synth fails on a ConfigMap holding a private key', () => {
    const { app, chart } = testChart();
    validateOutput(chart);
    new KubeConfigMap(chart, 'C', { metadata: { name: 'c' }, data: { id_rsa: '-----BEGIN OPENSSH PRIVATE KEY-----' } });
    expect(() => app.synthYaml()).toThrow(/\[ConfigMap\/c\] data key 'id_rsa' holds a PEM private key/);
  });

  test('the explicit literal opt-in synthesizes and is visible in the output', () => {
    const { app, chart } = testChart();
    const creds = SecretRef.fromLiteral({ username: 'u', password: 'p' }, { writeSecretMaterialToManifests: true });
    const host = new BareMetalHost(chart, 'H', {
      name: 'h1',
      bootMACAddress: '00:00:00:00:00:01',
      bmc: Bmc.redfish('10.0.0.1', '1', creds),
    });
    validateOutput(host);
    expect(app.synthYaml()).toContain('cdk8s-baremetal/secret-material: opted-in');
  });
});

describe('findSecretMaterial: credential-like keys in any letter case', () => {
  const cm = (data: Record<string, string>, annotations?: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', annotations },
    data,
  });

  test('flags upper- and mixed-case ConfigMap keys such as PASSWORD and Api_Token', () => {
    expect(findSecretMaterial([cm({ PASSWORD: 'x', Api_Token: 'y' })])).toEqual([
      "[ConfigMap/c] data key 'PASSWORD' has a key named like a credential ('PASSWORD'); keep credentials in a Secret created outside git",
      "[ConfigMap/c] data key 'Api_Token' has a key named like a credential ('Api_Token'); keep credentials in a Secret created outside git",
    ]);
  });

  test('flags an upper-case annotation key', () => {
    expect(findSecretMaterial([cm({}, { 'example.com/DB_PASSWORD': 'x' })])).toEqual([
      expect.stringMatching(/annotation 'example.com\/DB_PASSWORD' has a key named like a credential/),
    ]);
  });

  test('accepts upper-case public keys and an empty credential-named value', () => {
    expect(findSecretMaterial([cm({ 'CA-BUNDLE.CRT': 'x', PASSWORD: '' })])).toEqual([]);
  });

  test('matches a credential word only at a name boundary', () => {
    expect(findSecretMaterial([cm({ passport: 'x', tokenizer: 'y', AUTHOR: 'z' })])).toEqual([]);
  });
});

describe('findSecretMaterial: each credential pattern at its edge', () => {
  const cm = (data: Record<string, string>, extra: object = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c' },
    data,
    ...extra,
  });
  const flagged = (key: string, value = 'x') => findSecretMaterial([cm({ [key]: value })]).length === 1;

  test.each([
    'password',
    'passwd',
    'pass',
    'token',
    'secret',
    'apikey',
    'api-key',
    'api_key',
    'privatekey',
    'private-key',
    'private_key',
    'credential',
    'credentials',
    'auth',
    'db.password',
    'db-password',
    'db_password',
    'password.txt',
    'password-file',
    'password_file',
  ])('a key named %s is flagged', (key) => {
    expect(flagged(key)).toBe(true);
  });

  test.each(['passwords', 'tokens', 'mysecret', 'apikeys', 'xauth', 'author', 'db/password', 'password/x', 'api.key'])(
    'a key named %s is not a credential name',
    (key) => {
      expect(flagged(key)).toBe(false);
    },
  );

  test.each([
    'ca',
    'ca-bundle',
    'trusted-ca',
    'tls.crt',
    'ca.crt',
    'cert',
    'certificate',
    'x.crt',
    'x.pem',
    'ssh-authorized',
    'ssh_public',
    'sshpublic',
  ])('a credential-named key that is also public by name (%s) is accepted', (suffix) => {
    // GIVEN a key that names both a credential and public material
    const key = suffix.startsWith('ssh')
      ? `${suffix}-token`
      : suffix.startsWith('x.')
        ? `token${suffix.slice(1)}`
        : `token-${suffix}`;
    expect(flagged(key)).toBe(false);
  });

  test('public-looking words must stand at a name boundary too', () => {
    expect(flagged('token-cacert')).toBe(true);
    expect(flagged('token-crt')).toBe(true);
    expect(flagged('token.pem.bak')).toBe(true);
    expect(flagged('my-ssh-public-token')).toBe(true);
  });

  test('a PEM private key is found with or without an algorithm word, and only with the whole marker', () => {
    expect(flagged('k', '-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(flagged('k', 'x\n-----BEGIN EC PRIVATE KEY-----\ny')).toBe(true);
    expect(flagged('k', '-----BEGIN ENCRYPTED PRIVATE KEY-----')).toBe(true);
    expect(flagged('k', '-----BEGIN PUBLIC KEY-----')).toBe(false);
    expect(flagged('k', '----BEGIN PRIVATE KEY-----')).toBe(false);
    expect(flagged('k', '-----BEGIN rsa PRIVATE KEY-----')).toBe(false);
  });

  test('a docker config auth is found from 8 characters on, under "auths" or "auth"', () => {
    expect(flagged('config.json', '{"auths":{"r":{"auth":"12345678"}}}')).toBe(true);
    expect(flagged('config.json', '{"auths":{"r":{"auth":"1234567"}}}')).toBe(false);
    expect(flagged('config.json', '{"auth" : {"r":{"auth" : "dXNlcjpwYXNz"}}}')).toBe(true);
    expect(flagged('config.json', '{"auths":{"r":{"auth":"dXNl cjpw"}}}')).toBe(false);
    expect(flagged('config.json', '{"auths":{}}')).toBe(false);
  });

  test('ConfigMap binaryData is checked as well as data', () => {
    expect(findSecretMaterial([cm({}, { binaryData: { password: 'eA==' } })])).toEqual([
      "[ConfigMap/c] data key 'password' has a key named like a credential ('password'); keep credentials in a Secret created outside git",
    ]);
  });

  test('only core v1 Secrets and ConfigMaps are read as such', () => {
    const other = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'x' } };
    expect(findSecretMaterial([other])).toEqual([]);
    expect(findSecretMaterial([{ ...cm({ password: 'x' }), apiVersion: 'example.com/v1' }])).toEqual([]);
    expect(findSecretMaterial([null, 'text', 42])).toEqual([]);
  });

  test('a Secret lists the keys of data and of stringData', () => {
    const s = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'eA==' },
      stringData: { b: 'x' },
    };
    expect(findSecretMaterial([s])).toEqual([
      '[Secret/s] writes literal data (keys a, b) into the manifests; reference an existing Secret (SecretRef.fromName), use SecretRef.fromExternalSecret, or opt in with SecretRef.fromLiteral',
    ]);
    expect(findSecretMaterial([{ ...s, data: {}, stringData: {} }])).toEqual([]);
  });

  test('annotations of any object are checked, and the opt-in annotation itself is not', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        annotations: { token: 'abc', 'cdk8s-baremetal/secret-material': '-----BEGIN PRIVATE KEY-----' },
      },
    };
    expect(findSecretMaterial([pod])).toEqual([
      "[Pod/p] annotation 'token' has a key named like a credential ('token'); keep credentials in a Secret created outside git",
    ]);
  });
});

describe('findSecretMaterial: what each check reads', () => {
  const PEM = '-----BEGIN PRIVATE KEY-----';

  test('a public word at the start of a key also makes it public', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'ca-token': 'x' } };
    expect(findSecretMaterial([cm])).toEqual([]);
  });

  test('a pretty-printed docker config is found', () => {
    const config = JSON.stringify({ auths: { 'registry.example.com': { auth: 'dXNlcjpwYXNz' } } }, null, 2);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'config.json': config } };
    expect(findSecretMaterial([cm])).toEqual([
      '[ConfigMap/c] data key \'config.json\' holds registry credentials (a docker config "auth"); keep credentials in a Secret created outside git',
    ]);
  });

  test('objects without metadata, and undefined entries, are read without a TypeError', () => {
    expect(findSecretMaterial([undefined, { apiVersion: 'v1', kind: 'ConfigMap', data: { token: 'x' } }])).toEqual([
      "[ConfigMap/undefined] data key 'token' has a key named like a credential ('token'); keep credentials in a Secret created outside git",
    ]);
  });

  test('data and files of other kinds are not read as ConfigMap data or MachineConfig files', () => {
    const files = {
      config: { storage: { files: [{ path: '/k', contents: { source: `data:,${encodeURIComponent(PEM)}` } }] } },
    };
    expect(
      findSecretMaterial([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, data: { password: 'x' } }]),
    ).toEqual([]);
    expect(findSecretMaterial([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: files }])).toEqual(
      [],
    );
  });

  test('a MachineConfig file without compression is read; one without spec, config or storage is skipped', () => {
    const mc = (spec: object | undefined) => ({
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: 'm' },
      spec,
    });
    const plain = {
      config: { storage: { files: [{ path: '/k', contents: { source: `data:,${encodeURIComponent(PEM)}` } }] } },
    };
    expect(findSecretMaterial([mc(plain)])).toEqual([
      expect.stringMatching(/^\[MachineConfig\/m\] file '\/k' holds a PEM private key/),
    ]);
    expect(findSecretMaterial([mc(undefined), mc({}), mc({ config: {} }), mc({ config: { storage: {} } })])).toEqual(
      [],
    );
  });

  test('annotations that do not look like credentials are not flagged', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations: { 'example.com/owner': 'team-a' } },
    };
    expect(findSecretMaterial([pod])).toEqual([]);
  });
});

describe('findSecretMaterial: a credential-named key without a value', () => {
  test('a null value (a YAML key left empty) holds no secret and is not flagged', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { password: null } };
    expect(findSecretMaterial([cm])).toEqual([]);
  });
});
