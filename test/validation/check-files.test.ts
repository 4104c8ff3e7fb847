import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFile, checkFiles, checkFilesSync } from '../../lib/validation/check-files';
import { checkManifests } from '../../lib/validation/check-manifests';
import { loadManifests, ManifestProblem } from '../../lib/validation/load-manifests';
import { SUMMARY_CACHE_FILE } from '../../lib/validation/summary-cache';

const goldenDir = join(__dirname, '..', 'golden');

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'check-files-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const sorted = (ps: readonly ManifestProblem[]) =>
  ps.map((p) => `${p.file}|${p.check}|${p.line ?? ''}|${p.column ?? ''}|${p.message}`).sort();

/** What validate reported before files were checked one by one: loadManifests + checkManifests. */
function reference(paths: string[], external: string[] = []): string[] {
  const { objects, problems } = loadManifests(paths);
  return sorted([...problems, ...checkManifests(objects, { external })]);
}

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
const manifests = (inline: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cn2-manifests', namespace: 'cn2' },
    data: { 'a.yaml': inline },
  });
const external = ['ClusterImageSet/img', 'ClusterDeployment/cn2/cn2'];
/** A MachineConfig whose Ignition version does not exist: an `embedded` problem when checked as a manifest. */
const BAD_MC =
  'apiVersion: machineconfiguration.openshift.io/v1\nkind: MachineConfig\nmetadata: {name: x}\nspec: {config: {ignition: {version: "9.9.9"}}}\n';

describe('checkFiles', () => {
  test('finds exactly what checkManifests finds on every golden file, in the calling thread and on workers', async () => {
    // GIVEN every golden file in one folder
    const dir = mkdtempSync(join(tmpdir(), 'check-files-golden-'));
    for (const name of readdirSync(goldenDir).filter((n) => n.endsWith('.k8s.yaml')))
      cpSync(join(goldenDir, name), join(dir, name));
    const expected = reference([dir]);
    // WHEN checked file by file, THEN the problems are the same
    const inThread = checkFilesSync([dir]);
    expect(sorted(inThread.problems)).toEqual(expected);
    const onWorkers = await checkFiles([dir], { workers: 2 });
    expect(sorted(onWorkers.problems)).toEqual(expected);
    expect(onWorkers.objects).toBe(loadManifests([dir]).objects.length);
  }, 60000);

  test('checks a manifests ConfigMap that another file names', () => {
    // GIVEN the AgentClusterInstall and its extra-manifests ConfigMap in two files, one manifest broken
    const dir = dirWith({ 'a-aci.yaml': aci, 'b-cm.yaml': manifests(BAD_MC) });
    // WHEN checked, THEN the embedded manifest is checked as when both sit in one file
    const found = checkFilesSync([dir], { external }).problems.filter((p) => p.check === 'embedded');
    expect(found).toEqual([expect.objectContaining({ file: join(dir, 'b-cm.yaml') })]);
    expect(sorted(checkFilesSync([dir], { external }).problems)).toEqual(reference([dir], external));
  });

  describe('changedFrom', () => {
    const host = (name: string, mac: string, online: unknown = true) =>
      [
        'apiVersion: metal3.io/v1alpha1',
        'kind: BareMetalHost',
        `metadata: {name: ${name}, namespace: s}`,
        'spec:',
        `  online: ${String(online)}`,
        `  bootMACAddress: "${mac}"`,
        '  bmc: {address: "redfish://10.0.0.1/redfish/v1/Systems/1", credentialsName: bmc}',
        '',
      ].join('\n');
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: bmc, namespace: s}\n';

    test('checks object by object only the files that differ, and the references across all files', () => {
      // GIVEN an old folder, with a schema problem in a file that does not change
      const old = dirWith({
        'h1.yaml': host('h1', '00:00:00:00:00:01', '"yes"'),
        'h2.yaml': host('h2', '00:00:00:00:00:02'),
        's.yaml': secret,
      });
      // WHEN the new folder changes h2 and drops the Secret h1 refers to
      const next = dirWith({
        'h1.yaml': host('h1', '00:00:00:00:00:01', '"yes"'),
        'h2.yaml': host('h2', '00:00:00:00:00:03'),
      });
      const r = checkFilesSync([next], { changedFrom: old });
      // THEN only h2 was checked on its own, the unchanged h1's schema problem is not repeated,
      // AND the references of both hosts to the removed Secret are reported
      expect(r.checkedFiles).toBe(1);
      expect(r.problems.map((p) => p.check)).toEqual(['references', 'references']);
      expect(r.problems.map((p) => p.message).join('\n')).toMatch(/BareMetalHost\/h1\].*Secret\/bmc/);
      // AND a full check reports h1's schema problem too
      expect(checkFilesSync([next]).problems.map((p) => p.check)).toContain('schema');
    });

    test('checks a ConfigMap in an unchanged file when a changed file names it as manifests', () => {
      const cm = manifests(BAD_MC);
      const old = dirWith({ 'aci.yaml': aci.replace('cn2-manifests', 'other'), 'cm.yaml': cm });
      const next = dirWith({ 'aci.yaml': aci, 'cm.yaml': cm });
      const r = checkFilesSync([next], { changedFrom: old, external });
      expect(r.problems.filter((p) => p.check === 'embedded')).toEqual([
        expect.objectContaining({ file: join(next, 'cm.yaml') }),
      ]);
    });
  });

  describe('cacheDir', () => {
    test('a second run takes every file from the cache and finds the same problems', () => {
      const dir = mkdtempSync(join(tmpdir(), 'check-files-cache-'));
      for (const name of ['single-node.k8s.yaml', 'ha-metallb.k8s.yaml'])
        cpSync(join(goldenDir, name), join(dir, name));
      const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
      const first = checkFilesSync([dir], { cacheDir });
      const second = checkFilesSync([dir], { cacheDir });
      expect(first.cachedFiles).toBe(0);
      expect(second.cachedFiles).toBe(2);
      expect(sorted(second.problems)).toEqual(sorted(first.problems));
    });

    test('a cache edited by hand is ignored with a note', () => {
      const dir = dirWith({ 'h.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
      const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
      checkFilesSync([dir], { cacheDir });
      const file = join(cacheDir, SUMMARY_CACHE_FILE);
      const text = require('node:fs').readFileSync(file, 'utf8') as string;
      writeFileSync(file, text.replace('"objects":1', '"objects":7'));
      const r = checkFilesSync([dir], { cacheDir });
      expect(r.notes).toEqual([expect.stringMatching(/does not match its checksum .* ignored/)]);
      expect(r.cachedFiles).toBe(0);
      expect(r.objects).toBe(1);
      writeFileSync(file, '{not json');
      expect(checkFilesSync([dir], { cacheDir }).notes).toEqual([expect.stringMatching(/is not valid JSON; ignored/)]);
    });
  });

  test('checkFile keeps summaries, not objects', () => {
    const dir = dirWith({
      'h.yaml': aci,
      'b.yaml':
        'apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata: {name: h}\nspec: {online: true, bmc: {credentialsName: s}}\n',
    });
    const c = checkFile(join(dir, 'h.yaml'), 'default', true);
    expect(c).toMatchObject({ objects: 1, checked: true, manifestMaps: ['cn2/cn2-manifests'], configMaps: [] });
    const h = checkFile(join(dir, 'b.yaml'), 'default', false);
    expect(h.views).toEqual([
      {
        apiVersion: 'metal3.io/v1alpha1',
        kind: 'BareMetalHost',
        metadata: { name: 'h' },
        spec: { bmc: { credentialsName: 's' } },
      },
    ]);
    expect(c.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
