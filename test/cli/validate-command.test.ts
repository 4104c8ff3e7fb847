import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { formatProblem, namespaceArgument, runValidate } from '../../lib/cli/validate-command';

const golden = join(__dirname, '..', 'golden', 'single-node.k8s.yaml');
const fixture = (name: string) => join(__dirname, '..', 'fixtures', name);
const PASSWORD = 'CorrectHorseBatteryStaple';

function dirWith(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'validate-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('cdk8s-baremetal validate', () => {
  let out: string[];
  beforeEach(() => {
    out = [];
    jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    jest.spyOn(console, 'error').mockImplementation((s: string) => void out.push(s));
  });
  afterEach(() => jest.restoreAllMocks());

  /** Runs validate in text and in JSON; returns both exit codes and everything printed. */
  function both(paths: string[], options: { external?: string[]; namespace?: string } = {}) {
    out = [];
    const text = runValidate(paths, options);
    const textOut = out.join('\n');
    out = [];
    const json = runValidate(paths, { ...options, json: true });
    const jsonOut = out.join('\n');
    return { text, json, textOut, jsonOut, report: JSON.parse(jsonOut) };
  }

  test('exits 0 and says so when everything checks', () => {
    expect(runValidate([golden], { external: ['Secret/example-demo-credentials'] })).toBe(0);
    expect(out.pop()).toBe('6 object(s) checked, 0 problem(s)');
  });

  test('exits 1 and lists problems otherwise; --json gives a machine-readable report', () => {
    expect(runValidate([golden], { json: true })).toBe(1);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ objects: 6, problems: [{ check: 'references' }] });
  });

  test('the seed 42.4 and 42.5 YAML, Secrets declared external, has 0 problems', () => {
    const external = [
      'Secret/example-demo-credentials',
      ...[1, 2, 3].map((n) => `Secret/node${n}-example-credentials`),
    ];
    expect(runValidate([fixture('seed-42.4'), fixture('seed-42.5')], { external })).toBe(0);
    expect(out).toEqual(['14 object(s) checked, 0 problem(s)']);
  });

  test('--namespace moves objects without namespace: the 42.4 hosts no longer match in another namespace', () => {
    expect(
      runValidate([fixture('seed-42.4')], { external: ['Secret/example-demo-credentials'], namespace: 'elsewhere' }),
    ).toBe(1);
    expect(out.join('\n')).toMatch(/'spec.template.spec.hostSelector' matches 0 BareMetalHost\(s\) but 1 machine/);
  });

  test('reads a file named explicitly whatever its extension', () => {
    const dir = dirWith({ 'noext.txt': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n' });
    expect(runValidate([join(dir, 'noext.txt')], {})).toBe(0);
    expect(out).toEqual(['1 object(s) checked, 0 problem(s)']);
  });

  test('fails when a path is a symbolic link loop, with a message and no stack', () => {
    const dir = dirWith({});
    symlinkSync(join(dir, 'l.yaml'), join(dir, 'l.yaml'));
    expect(runValidate([join(dir, 'l.yaml')], {})).toBe(1);
    expect(out).toEqual([`${join(dir, 'l.yaml')}: read: is a symbolic link loop`, '0 object(s) checked, 1 problem(s)']);
  });

  test('fails when a .yaml file is binary, printing no byte of it', () => {
    const dir = dirWith({ 'b.yaml': Buffer.concat([Buffer.from(`password: ${PASSWORD}`), Buffer.from([0, 1, 2])]) });
    const r = both([dir]);
    expect([r.text, r.json]).toEqual([1, 1]);
    expect(r.textOut).toContain('read: not a text file');
    expect(r.textOut + r.jsonOut).not.toContain(PASSWORD);
  });

  test('fails when a YAML file is broken, giving file, line and column, never the line', () => {
    // GIVEN a password on a line with a syntax error
    const dir = dirWith({ 's.yaml': `apiVersion: v1\nkind: Secret\nstringData:\n  password: "${PASSWORD}" : oops\n` });
    // WHEN
    const r = both([dir]);
    // THEN
    expect([r.text, r.json]).toEqual([1, 1]);
    expect(r.textOut).toContain(`${join(dir, 's.yaml')}:4:13: yaml: YAML syntax error at line 4, column 13`);
    expect(r.report.problems[0]).toMatchObject({ check: 'yaml', line: 4, column: 13 });
    expect(r.textOut + r.jsonOut).not.toContain(PASSWORD);
  });

  test('fails when a MachineConfig passwordHash breaks the Ignition schema, never printing the hash', () => {
    const mc = {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: '99-core', labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
      spec: {
        config: { ignition: { version: '3.2.0' }, passwd: { users: [{ name: 'core', passwordHash: [PASSWORD] }] } },
      },
    };
    const r = both([dirWith({ 'mc.yaml': JSON.stringify(mc) })]);
    expect([r.text, r.json]).toEqual([1, 1]);
    expect(r.textOut).toContain("'/passwd/users/0/passwordHash': must be string");
    expect(r.textOut + r.jsonOut).not.toContain(PASSWORD);
  });

  test('fails when a private key sits in a wrong-typed field, never printing the key', () => {
    const key = `-----BEGIN OPENSSH PRIVATE KEY-----\\n${PASSWORD}`;
    const bmh = `apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata: {name: h}\nspec: {online: "${key}"}\n`;
    const r = both([dirWith({ 'h.yaml': bmh })]);
    expect([r.text, r.json]).toEqual([1, 1]);
    expect(r.textOut).toContain("[BareMetalHost/h] '/spec/online' must be boolean (got a value not shown");
    expect(r.textOut + r.jsonOut).not.toContain(PASSWORD);
    expect(r.textOut + r.jsonOut).not.toContain('BEGIN OPENSSH');
  });

  test('fails when a BMC address holds credentials, naming the field and not the value', () => {
    const bmh = [
      'apiVersion: metal3.io/v1alpha1',
      'kind: BareMetalHost',
      'metadata: {name: h}',
      'spec:',
      '  online: true',
      '  bmc:',
      `    address: redfish-virtualmedia://admin:${PASSWORD}@192.168.200.75/redfish/v1/Systems/1`,
      '    credentialsName: h-bmc',
      '',
    ].join('\n');
    const r = both([dirWith({ 'h.yaml': bmh })], { external: ['Secret/h-bmc'] });
    expect([r.text, r.json]).toEqual([1, 1]);
    expect(r.report.problems).toEqual([
      expect.objectContaining({
        check: 'secrets',
        message: expect.stringMatching(/^\[BareMetalHost\/h\] 'spec.bmc.address' holds credentials in the URL/),
      }),
    ]);
    expect(r.textOut + r.jsonOut).not.toContain(PASSWORD);
  });

  test('fails when an object is written twice, naming both places', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n';
    const dir = dirWith({ 'a.yaml': cm, 'b.yaml': cm.replace('{name: cm}', '{name: cm, namespace: default}') });
    expect(runValidate([dir], {})).toBe(1);
    expect(out[0]).toBe(
      `${join(dir, 'b.yaml')}: duplicates: [ConfigMap/default/cm] is written twice: in ${join(dir, 'a.yaml')} (document 1, line 1) ` +
        `and in ${join(dir, 'b.yaml')} (document 1, line 1) (same API group, kind, namespace and name); keep one, as the one applied last replaces the other`,
    );
  });

  test('--external takes patterns, and notes a declaration that matched no reference without failing', () => {
    const r = both([golden], { external: ['Secret/*-credentials', 'Secret/typo-*'] });
    expect([r.text, r.json]).toEqual([0, 0]);
    expect(r.textOut).toContain('note: --external Secret/typo-* matched no reference');
    expect(r.report.unusedExternal).toEqual(['Secret/typo-*']);
  });

  test('formatProblem puts the file, line and column first', () => {
    expect(formatProblem({ file: 'a.yaml', check: 'yaml', message: 'm', line: 2, column: 3 })).toBe(
      'a.yaml:2:3: yaml: m',
    );
    expect(formatProblem({ file: '', check: 'references', message: 'm' })).toBe('(all files): references: m');
  });

  test('fails when --namespace is not a namespace name', async () => {
    expect(namespaceArgument('site-1')).toBe('site-1');
    expect(() => namespaceArgument('Site_1')).toThrow(/give a namespace name/);
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'cdk8s-baremetal', 'validate', golden, '-n', 'Site_1'])).not.toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  test('the installed binary validates the seed YAML with --namespace and -e', () => {
    const bin = join(__dirname, '..', '..', 'bin', 'cdk8s-baremetal');
    const args = [bin, 'validate', fixture('seed-42.4'), '-n', 'default', '-e', 'Secret/example-demo-credentials'];
    expect(execFileSync(process.execPath, args, { encoding: 'utf8' })).toBe('6 object(s) checked, 0 problem(s)\n');
  });

  test('the installed binary prints no secret on stdout or stderr, in text or JSON', () => {
    // GIVEN a password in broken YAML, a passwordHash breaking the Ignition schema, a private key in a
    // wrong-typed field, a BMC URL with credentials, and a collection key (which yaml would warn about)
    const mc = {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: '99-core', labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
      spec: {
        config: { ignition: { version: '3.2.0' }, passwd: { users: [{ name: 'core', passwordHash: [PASSWORD] }] } },
      },
    };
    const dir = dirWith({
      'a.yaml': `apiVersion: v1\nkind: Secret\nstringData:\n  password: "${PASSWORD}" : oops\n`,
      'b.yaml': JSON.stringify(mc),
      'c.yaml': `apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata: {name: h}\nspec:\n  online: "-----BEGIN PRIVATE KEY-----${PASSWORD}"\n  bmc: {address: "redfish://admin:${PASSWORD}@10.0.0.1/x", credentialsName: c}\n`,
      'd.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n  ? [${PASSWORD}]\n  : x\n`,
    });
    const bin = join(__dirname, '..', '..', 'bin', 'cdk8s-baremetal');
    for (const json of [[], ['--json']]) {
      // WHEN
      const r = spawnSync(process.execPath, [bin, 'validate', dir, ...json], { encoding: 'utf8' });
      // THEN
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/passwordHash/);
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    }
  });
});
