import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkManifests, loadManifests } from '../../lib/validation/check-manifests';

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

  test('checks the Ignition config of each MachineConfig against its spec schema', () => {
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
        check: 'ignition',
        message: expect.stringContaining(
          "MachineConfig/50-worker-kmod-ip-vs spec.config: '/storage/files/0/mode' must be integer",
        ),
      }),
    ]);
  });

  test('the kmod golden file passes every check', () => {
    expect(checkManifests(loadManifests([golden('kmod-machineconfig')]).objects)).toEqual([]);
  });
});
