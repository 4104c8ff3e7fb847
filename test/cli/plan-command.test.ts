import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../../lib/cli/plan-command';

const PASSWORD = 'CorrectHorseBatteryStaple';

describe('cdk8s-baremetal plan', () => {
  const golden = readFileSync(join(__dirname, '..', 'golden', 'single-node.k8s.yaml'), 'utf8');
  const dir = (text: string, more: Record<string, string> = {}) => {
    const d = mkdtempSync(join(tmpdir(), 'plan-'));
    writeFileSync(join(d, 'site.k8s.yaml'), text);
    for (const [name, t] of Object.entries(more)) writeFileSync(join(d, name), t);
    return d;
  };
  let stdout: string[];
  let stderr: string[];
  beforeEach(() => {
    stdout = [];
    stderr = [];
    jest.spyOn(console, 'log').mockImplementation((s: string) => void stdout.push(s));
    jest.spyOn(console, 'error').mockImplementation((s: string) => void stderr.push(s));
  });
  afterEach(() => jest.restoreAllMocks());

  test('exits 0 for identical folders', () => {
    expect(runPlan(dir(golden), dir(golden), {})).toBe(0);
  });

  test('exits 2 when a change would be rejected by a controller', () => {
    expect(runPlan(dir(golden), dir(golden.replace('00:0c:29:3e:3e:3e', '00:0c:29:3e:3e:3f')), {})).toBe(2);
  });

  test('--format markdown prints the pull-request comment', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = runPlan(dir(golden), dir(golden.replace('00:0c:29:3e:3e:3e', '00:0c:29:3e:3e:3f')), {
      format: 'markdown',
    });
    expect(code).toBe(2);
    expect(String(out.mock.calls[0][0])).toMatch(/^\*\*Plan:\*\* 1 object\(s\) differ: \*\*1 rejected\*\*/);
  });

  test('fails (exit 1, no plan) when a file of the new folder cannot be parsed, never quoting it', () => {
    // GIVEN a broken file next to the site in the new folder
    const broken = `apiVersion: v1\nkind: Secret\nstringData:\n  password: "${PASSWORD}" : oops\n`;
    const newDir = dir(golden, { 'secret.yaml': broken });
    // WHEN / THEN: text
    expect(runPlan(dir(golden), newDir, {})).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([
      `${join(newDir, 'secret.yaml')}:4:13: yaml: YAML syntax error at line 4, column 13: a mapping is nested in a single-line key or value (a stray ": "?) (BLOCK_AS_IMPLICIT_KEY)`,
      'no plan: 1 problem(s) in the manifests; fix them and run plan again',
    ]);
    // AND JSON
    expect(runPlan(dir(golden), newDir, { json: true })).toBe(1);
    expect(JSON.parse(stdout.join('\n'))).toMatchObject({ problems: [{ check: 'yaml', line: 4, column: 13 }] });
    expect(stdout.join('\n') + stderr.join('\n')).not.toContain(PASSWORD);
  });

  test('fails (exit 1) when a folder cannot be read', () => {
    expect(runPlan(join(tmpdir(), 'no-such-folder-for-plan'), dir(golden), {})).toBe(1);
    expect(stderr[0]).toMatch(/no-such-folder-for-plan: read: does not exist/);
  });

  test('fails (exit 1) when an object is written twice on one side: old and new would be ambiguous', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n';
    const newDir = dir(golden, { 'a.yaml': cm, 'b.yaml': cm });
    expect(runPlan(dir(golden), newDir, {})).toBe(1);
    expect(stderr[0]).toBe(
      `${join(newDir, 'b.yaml')}: duplicates: [ConfigMap/default/cm] is written twice in the new manifests: ` +
        `in ${join(newDir, 'a.yaml')} (document 1, line 1) and in ${join(newDir, 'b.yaml')} (document 1, line 1); ` +
        'the plan cannot tell which one to compare; keep one',
    );
  });

  test('--namespace: objects without namespace are those of the apply namespace', () => {
    const cm = (ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm${ns}}\ndata: {a: b}\n`;
    expect(runPlan(dir(cm('')), dir(cm(', namespace: site')), { namespace: 'site' })).toBe(0);
    expect(stdout.pop()).toBe('0 object(s) differ: 0 rejected by a controller, 0 disruptive');
  });

  test('a changed Secret value is shown as redacted, in text and JSON', () => {
    const secret = (v: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: site}\nstringData: {password: ${v}}\n`;
    expect(runPlan(dir(secret(`old-${PASSWORD}`)), dir(secret(`new-${PASSWORD}`)), {})).toBe(0);
    expect(runPlan(dir(secret(`old-${PASSWORD}`)), dir(secret(`new-${PASSWORD}`)), { json: true })).toBe(0);
    expect(stdout.join('\n')).toContain('stringData.password: <redacted> -> <redacted>');
    expect(stdout.join('\n')).not.toContain(PASSWORD);
  });
});
