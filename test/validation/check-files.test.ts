import * as fc from 'fast-check';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkFile, checkFiles, checkFilesSync } from '../../lib/validation/check-files';
import { checkManifests } from '../../lib/validation/check-manifests';
import * as loadModule from '../../lib/validation/load-manifests';
import { loadManifests, ManifestProblem } from '../../lib/validation/load-manifests';
import { SUMMARY_CACHE_FILE, SummaryCache } from '../../lib/validation/summary-cache';
import { RUNS, SEED } from '../arbitraries';

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

/**
 * Two versions of a set: `both.yaml` holds an AgentClusterInstall and the manifests ConfigMap it
 * names (with a bad MachineConfig), unchanged; `other.yaml`'s AgentClusterInstall starts naming
 * that ConfigMap too.
 */
function secondAciNamesTheManifests(): { old: string; next: string } {
  const aci2 = (maps: string) =>
    aci.replace('name: cn2, namespace: cn2', 'name: cn3, namespace: cn2').replace('cn2-manifests', maps);
  const both = `${aci}---\n${manifests(BAD_MC)}`;
  return {
    old: dirWith({ 'both.yaml': both, 'other.yaml': aci2('other') }),
    next: dirWith({ 'both.yaml': both, 'other.yaml': aci2('cn2-manifests') }),
  };
}

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

    test('finds what a full check finds in the namespaces the change touches, for random edits', () => {
      // Objects over three namespaces (each named after its namespace, so that a problem tells its
      // namespace), in six files, some holding two namespaces; hosts refer to Secrets, templates
      // select hosts for a control plane's replicas, Namespace objects are cluster-scoped.
      type Spec = { kind: string; ns: string; k: number; ref: number; file: number };
      const spec = fc.record({
        kind: fc.constantFrom('Secret', 'BareMetalHost', 'Metal3MachineTemplate', 'RKE2ControlPlane', 'Namespace'),
        ns: fc.constantFrom('n0', 'n1', 'n2', 'n3', 'n4'),
        k: fc.nat(2),
        ref: fc.nat(2),
        file: fc.nat(5),
      });
      const object = (o: Spec): object => {
        const metadata = { name: `${o.ns}-${o.k}`, namespace: o.ns };
        switch (o.kind) {
          case 'Namespace':
            return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.ns } };
          case 'BareMetalHost':
            return {
              apiVersion: 'metal3.io/v1alpha1',
              kind: o.kind,
              metadata: { ...metadata, labels: { role: `r${o.ref % 2}` } },
              spec: { online: true, bmc: { address: 'redfish://10.0.0.1/x', credentialsName: `${o.ns}-${o.ref}` } },
            };
          case 'Metal3MachineTemplate':
            return {
              apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
              kind: o.kind,
              metadata,
              spec: { template: { spec: { hostSelector: { matchLabels: { role: `r${o.ref % 2}` } } } } },
            };
          case 'RKE2ControlPlane':
            return {
              apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
              kind: o.kind,
              metadata,
              spec: {
                replicas: o.ref,
                machineTemplate: { infrastructureRef: { kind: 'Metal3MachineTemplate', name: `${o.ns}-${o.k}` } },
              },
            };
          default:
            return { apiVersion: 'v1', kind: 'Secret', metadata };
        }
      };
      const write = (objects: (Spec | undefined)[]) => {
        const files: Record<string, string[]> = {};
        for (const o of objects) if (o) (files[`f${o.file}/m.yaml`] ??= []).push(JSON.stringify(object(o)));
        return dirWith(Object.fromEntries(Object.entries(files).map(([f, docs]) => [f, docs.join('\n---\n')])));
      };
      /** The namespace (or the cluster-scoped Namespace) a problem is about, from the object it names first. */
      const about = (message: string) => {
        const m = /^\[([^/\]]+)\/([^\]]*)\]/.exec(message);
        if (!m) throw new Error(`a problem that names no object: ${message}`);
        return m[1] === 'Namespace' ? `cluster:${m[2]}` : m[2].split('/').pop()!.split('-')[0];
      };
      const edit = fc.record({
        object: fc.nat(11),
        action: fc.constantFrom('change', 'move', 'remove', 'drop file'),
        to: spec,
      });
      fc.assert(
        fc.property(
          fc.array(spec, { minLength: 1, maxLength: 12 }),
          fc.array(edit, { maxLength: 4 }),
          (first, edits) => {
            // GIVEN an old set of files
            const objects: (Spec | undefined)[] = [...first];
            const old = write(objects);
            // WHEN some objects change, move to another file, are removed or added
            for (const e of edits) {
              const o = objects[e.object];
              if (e.action === 'change') objects[e.object] = o ? { ...o, ref: (o.ref + 1) % 3 } : e.to;
              if (e.action === 'move' && o) objects[e.object] = { ...o, file: e.to.file };
              if (e.action === 'remove') objects[e.object] = undefined;
              if (e.action === 'drop file')
                objects.forEach((x, i) => x?.file === e.to.file && (objects[i] = undefined));
            }
            const next = write(objects);
            // THEN validate --changed reports the per-object problems of the changed files and the
            // problems across objects that a full check finds in what the changed files hold
            const full = checkFilesSync([next]).problems;
            const text = (dir: string, f: string) => {
              try {
                return readFileSync(join(dir, f), 'utf8');
              } catch {
                return undefined;
              }
            };
            const names = [...new Set([...readdirSync(old), ...readdirSync(next)])].map((d) => `${d}/m.yaml`);
            const changed = names.filter((f) => text(old, f) !== text(next, f));
            const touched = new Set<string>();
            for (const f of changed) {
              for (const dir of [old, next]) {
                for (const doc of (text(dir, f) ?? '').split('\n---\n').filter(Boolean)) {
                  const o = JSON.parse(doc) as { kind: string; metadata: { name: string; namespace?: string } };
                  touched.add(o.kind === 'Namespace' ? `cluster:${o.metadata.name}` : o.metadata.namespace!);
                }
              }
            }
            const expected = full.filter((p) =>
              p.check === 'references' || p.check === 'duplicates'
                ? touched.has(about(p.message))
                : changed.some((f) => p.file === join(next, f)),
            );
            const fast = checkFilesSync([next], { changedFrom: old }).problems;
            expect(sorted(fast)).toEqual(sorted(expected));
            // AND the same with the cache a check of the old set left
            const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
            checkFilesSync([old], { cacheDir });
            const cached = checkFilesSync([next], { changedFrom: old, cacheDir });
            expect(sorted(cached.problems)).toEqual(sorted(expected));
            expect(cached.objects).toBe(objects.filter(Boolean).length);
          },
        ),
        { numRuns: Math.min(RUNS, 60), seed: SEED },
      );
    }, 120000);

    test('checks across every file when an object refers across namespaces', () => {
      // GIVEN a NodePool (its hosts live in another namespace) in a file that does not change
      const nodePool =
        'apiVersion: hypershift.openshift.io/v1beta1\nkind: NodePool\nmetadata: {name: np, namespace: clusters}\nspec: {clusterName: hc, replicas: 1}\n';
      const old = dirWith({ 'np.yaml': nodePool, 'h.yaml': host('h1', '00:00:00:00:00:01'), 's.yaml': secret });
      const next = dirWith({ 'np.yaml': nodePool, 'h.yaml': host('h1', '00:00:00:00:00:02'), 's.yaml': secret });
      // WHEN only the host changes, THEN the NodePool's unresolved HostedCluster is still reported
      const r = checkFilesSync([next], { changedFrom: old });
      expect(r.checkedFiles).toBe(1);
      expect(r.problems.map((p) => p.message).join('\n')).toMatch(/NodePool\/np\].*HostedCluster\/hc/);
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

describe('checkFiles in detail', () => {
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: s}\n`;
  const badHost =
    'apiVersion: metal3.io/v1alpha1\nkind: BareMetalHost\nmetadata: {name: h, namespace: s}\nspec: {online: "yes", bmc: {address: "redfish://10.0.0.1/x", credentialsName: bmc}}\n';

  test('counts files, objects, checked and cached files', () => {
    const dir = dirWith({ 'a.yaml': `${cm('a')}---\n${cm('b')}`, 'b.yaml': cm('c'), 'c.txt': cm('d') });
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    expect(checkFilesSync([dir], { cacheDir })).toEqual({
      files: 2,
      objects: 3,
      checkedFiles: 2,
      cachedFiles: 0,
      problems: [],
      notes: [],
    });
    expect(checkFilesSync([dir], { cacheDir })).toMatchObject({
      files: 2,
      objects: 3,
      checkedFiles: 2,
      cachedFiles: 2,
    });
  });

  test('the cache is rewritten when at least one file in a hundred was checked, not for fewer', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 99; i++) files[`f${String(i).padStart(3, '0')}.yaml`] = cm(`c${i}`);
    const dir = dirWith(files);
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    expect(checkFilesSync([dir], { cacheDir }).cachedFiles).toBe(0);
    // GIVEN a 100th file: one job in 100 files, the cache is written
    writeFileSync(join(dir, 'g100.yaml'), cm('g100'));
    expect(checkFilesSync([dir], { cacheDir }).cachedFiles).toBe(99);
    expect(checkFilesSync([dir], { cacheDir }).cachedFiles).toBe(100);
    // AND a 101st file: one job in 101 files, it is not
    writeFileSync(join(dir, 'g101.yaml'), cm('g101'));
    expect(checkFilesSync([dir], { cacheDir }).cachedFiles).toBe(100);
    expect(checkFilesSync([dir], { cacheDir }).cachedFiles).toBe(100);
  });

  test('an entry a plan left (not checked object by object) is not taken for a check', () => {
    const dir = dirWith({
      'h.yaml': `${badHost}---\napiVersion: v1\nkind: Secret\nmetadata: {name: bmc, namespace: s}\n`,
    });
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    const summary = checkFile(join(dir, 'h.yaml'), 'default', false);
    expect(summary.problems).toEqual([]);
    // GIVEN the cache holds only the unchecked summary of the file
    const cache = SummaryCache.open(cacheDir, 'default');
    cache.set(summary);
    cache.save([summary]);
    // WHEN validated, THEN the file is checked and its schema problem found
    const r = checkFilesSync([dir], { cacheDir });
    expect(r).toMatchObject({ cachedFiles: 0, checkedFiles: 1 });
    expect(r.problems.map((p) => p.check)).toEqual(['schema']);
    // AND the checked result replaces it
    expect(checkFilesSync([dir], { cacheDir })).toMatchObject({ cachedFiles: 1 });
    expect(checkFilesSync([dir], { cacheDir }).problems.map((p) => p.check)).toEqual(['schema']);
  });

  test('changedFrom compares a file named directly with the old file, and checks everything for several paths', () => {
    const old = dirWith({ 'h.yaml': badHost, 'c.yaml': cm('a') });
    const same = dirWith({ 'h.yaml': badHost, 'c.yaml': cm('a') });
    const changed = dirWith({ 'h.yaml': badHost.replace('redfish', 'ipmi'), 'c.yaml': cm('a') });
    const one = (dir: string) => checkFilesSync([join(dir, 'h.yaml')], { changedFrom: join(old, 'h.yaml') });
    expect(one(same)).toMatchObject({ checkedFiles: 0, problems: [] });
    expect(one(changed)).toMatchObject({ checkedFiles: 1 });
    expect(one(changed).problems.map((p) => p.check)).toContain('schema');
    // Several paths: no file is known unchanged
    expect(checkFilesSync([join(same, 'h.yaml'), join(same, 'c.yaml')], { changedFrom: old })).toMatchObject({
      checkedFiles: 2,
    });
  });

  test('changedFrom: an unchanged file of a touched namespace is summarized, the rest known by scope; objects are counted either way', () => {
    const other = cm('o').replace('namespace: s', 'namespace: o');
    const old = dirWith({ 'a.yaml': cm('a'), 'b.yaml': cm('b'), 'o.yaml': other });
    const next = dirWith({ 'a.yaml': `${cm('a')}---\n${cm('a2')}`, 'b.yaml': cm('b'), 'o.yaml': other });
    for (const cacheDir of [undefined, mkdtempSync(join(tmpdir(), 'cache-'))]) {
      const options = cacheDir ? { changedFrom: old, cacheDir } : { changedFrom: old };
      if (cacheDir) checkFilesSync([old], { cacheDir });
      expect(checkFilesSync([next], options)).toMatchObject({ files: 3, objects: 4, checkedFiles: 1, problems: [] });
    }
    // AND a duplicate in the touched namespace is found across files
    const dup = dirWith({ 'a.yaml': `${cm('a')}---\n${cm('b')}`, 'b.yaml': cm('b'), 'o.yaml': other });
    expect(checkFilesSync([dup], { changedFrom: old }).problems.map((p) => p.check)).toEqual(['duplicates']);
  });

  test('the ConfigMaps of a file are named with their namespace, the default one when unset', () => {
    const dir = dirWith({ 'c.yaml': `${cm('a')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n` });
    expect(checkFile(join(dir, 'c.yaml'), 'site', false).configMaps).toEqual(['s/a', 'site/b']);
    expect(checkFile(join(dir, 'c.yaml'), 'site', false)).toMatchObject({
      objects: 2,
      checked: false,
      manifestMaps: [],
    });
    expect(checkFile(join(dir, 'gone.yaml'), 'site', true)).toMatchObject({ digest: '', objects: 0, checked: true });
  });

  test('worker threads give the results in file order whatever the batch size', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 70; i++)
      files[`f${String(i).padStart(2, '0')}.yaml`] =
        i % 7 === 0 ? badHost.replace('name: h,', `name: h${i},`) : cm(`c${i}`);
    const dir = dirWith(files);
    const expected = checkFilesSync([dir]);
    for (const workers of [undefined, 1, 3]) {
      const r = await checkFiles([dir], workers === undefined ? {} : { workers });
      expect(sorted(r.problems)).toEqual(sorted(expected.problems));
      expect(r.problems.map((p) => p.file)).toEqual(expected.problems.map((p) => p.file));
      expect(r.objects).toBe(70);
    }
  }, 60000);

  /** The files `run` parses (reads as YAML), in order. */
  function parsedBy(run: () => unknown): string[] {
    const spy = jest.spyOn(loadModule, 'loadManifestFile');
    try {
      run();
      return spy.mock.calls.map((c) => c[0]);
    } finally {
      spy.mockRestore();
    }
  }
  const other = cm('o').replace('namespace: s', 'namespace: o');
  /** An old set in namespaces s and o, and a new one where only a.yaml (namespace s) changes. */
  const changeInS = () => {
    const old = dirWith({ 'a.yaml': cm('a'), 'b.yaml': cm('b'), 'o.yaml': other });
    const next = dirWith({ 'a.yaml': `${cm('a')}---\n${cm('a2')}`, 'b.yaml': cm('b'), 'o.yaml': other });
    return { old, next };
  };

  test('a ConfigMap without metadata is summarized, not an error', () => {
    const dir = dirWith({ 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\n' });
    const c = checkFile(join(dir, 'c.yaml'), 'site', true);
    expect(c.objects).toBe(1);
    expect(c.configMaps).toEqual(['site/undefined']);
  });

  test('changedFrom with several paths compares no file with the old set', () => {
    const old = dirWith({ 'h.yaml': badHost, 'c.yaml': cm('a') });
    const same = dirWith({ 'h.yaml': badHost, 'c.yaml': cm('a') });
    const more = dirWith({ 'd.yaml': cm('d') });
    const r = checkFilesSync([same, more], { changedFrom: old });
    expect(r).toMatchObject({ files: 3, checkedFiles: 3 });
    expect(r.problems.map((p) => p.check)).toContain('schema');
  });

  test('changedFrom with a cache: unchanged files count as cached when their scope is in it, not otherwise', () => {
    const { old, next } = changeInS();
    // An empty cache: nothing comes from it
    expect(checkFilesSync([next], { changedFrom: old, cacheDir: mkdtempSync(join(tmpdir(), 'cache-')) })).toMatchObject(
      { checkedFiles: 1, cachedFiles: 0, objects: 4, problems: [] },
    );
    // The cache of a check of the old set: the two unchanged files come from it, without being parsed
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    checkFilesSync([old], { cacheDir });
    let r: ReturnType<typeof checkFilesSync> | undefined;
    const parsed = parsedBy(() => (r = checkFilesSync([next], { changedFrom: old, cacheDir })));
    expect(r).toMatchObject({ checkedFiles: 1, cachedFiles: 2, objects: 4, problems: [], notes: [] });
    // only the changed file is parsed, once (b.yaml, in the touched namespace, comes from the cache)
    expect(parsed).toEqual([join(next, 'a.yaml')]);
  });

  test('changedFrom without a cache parses each file once', () => {
    const { old, next } = changeInS();
    const parsed = parsedBy(() => checkFilesSync([next], { changedFrom: old }));
    expect(parsed.sort()).toEqual(
      [join(old, 'a.yaml'), join(next, 'a.yaml'), join(next, 'b.yaml'), join(next, 'o.yaml')].sort(),
    );
  });

  test('changedFrom with a cache: an unchanged file of an untouched namespace is known by its scope, its body not read', () => {
    const { old, next } = changeInS();
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    checkFilesSync([old], { cacheDir });
    // GIVEN the body of o.yaml's entry edited (the table and its checksum intact)
    const file = join(cacheDir, SUMMARY_CACHE_FILE);
    const text = readFileSync(file, 'utf8');
    const at = text.lastIndexOf('"namespace":"o"') >= 0 ? text.lastIndexOf('o/o') : -1;
    expect(at).toBeGreaterThan(text.indexOf('\n'));
    writeFileSync(file, `${text.slice(0, at)}o/p${text.slice(at + 3)}`);
    // WHEN only a.yaml changes, THEN o.yaml counts as cached, no note is given, and only a.yaml is parsed
    let r: ReturnType<typeof checkFilesSync> | undefined;
    expect(parsedBy(() => (r = checkFilesSync([next], { changedFrom: old, cacheDir })))).toEqual([
      join(next, 'a.yaml'),
    ]);
    expect(r).toMatchObject({
      checkedFiles: 1,
      cachedFiles: 2,
      objects: 4,
      problems: [],
      notes: [],
    });
  });

  test('changedFrom with a cache: a new file with the content of an old version is checked, not taken from the cache', () => {
    const old = dirWith({ 'a.yaml': badHost });
    const next = dirWith({ 'a.yaml': cm('a'), 'b.yaml': badHost });
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    const r = checkFilesSync([next], { changedFrom: old, cacheDir });
    expect(r).toMatchObject({ checkedFiles: 2, cachedFiles: 0 });
    expect(r.problems.map((p) => `${p.check} ${p.file}`)).toContain(`schema ${join(next, 'b.yaml')}`);
  });

  test('changedFrom: a change away from an object whose references cross namespaces checks across every file', () => {
    const nodePool =
      'apiVersion: hypershift.openshift.io/v1beta1\nkind: NodePool\nmetadata: {name: np, namespace: clusters}\nspec: {clusterName: hc, replicas: 1}\n';
    // h.yaml (namespace s, unchanged) names a Secret that is nowhere
    const old = dirWith({ 'a.yaml': nodePool, 'h.yaml': badHost.replace('"yes"', 'true') });
    const next = dirWith({ 'a.yaml': other, 'h.yaml': badHost.replace('"yes"', 'true') });
    const r = checkFilesSync([next], { changedFrom: old });
    expect(r.checkedFiles).toBe(1);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/BareMetalHost\/h\].*Secret\/bmc/);
  });

  test('changedFrom with a cache and a file whose references cross namespaces: per-object problems of the changed files only', () => {
    const nodePool =
      'apiVersion: hypershift.openshift.io/v1beta1\nkind: NodePool\nmetadata: {name: np, namespace: clusters}\nspec: {clusterName: hc, replicas: 1}\n';
    const old = dirWith({ 'np.yaml': nodePool, 'h.yaml': badHost, 'c.yaml': cm('a') });
    const next = dirWith({ 'np.yaml': nodePool, 'h.yaml': badHost, 'c.yaml': cm('b') });
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    expect(checkFilesSync([old], { cacheDir }).problems.map((p) => p.check)).toContain('schema');
    const r = checkFilesSync([next], { changedFrom: old, cacheDir });
    expect(r).toMatchObject({ files: 3, checkedFiles: 1, cachedFiles: 2 });
    expect(r.problems.map((p) => p.check)).not.toContain('schema');
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/NodePool\/np\].*HostedCluster\/hc/);
  });

  test('changedFrom: a manifests ConfigMap named and held by unchanged files is not checked again', () => {
    const old = dirWith({ 'aci.yaml': aci, 'cm.yaml': manifests(BAD_MC), 'x.yaml': cm('a') });
    const next = dirWith({ 'aci.yaml': aci, 'cm.yaml': manifests(BAD_MC), 'x.yaml': cm('b') });
    const r = checkFilesSync([next], { changedFrom: old, external });
    expect(r.checkedFiles).toBe(1);
    expect(r.problems.filter((p) => p.check === 'embedded')).toEqual([]);
  });

  test('changedFrom: an unchanged file holding the manifests ConfigMap it names is checked again when a changed file names it too', () => {
    const { old, next } = secondAciNamesTheManifests();
    const r = checkFilesSync([next], { changedFrom: old, external });
    expect(r.checkedFiles).toBe(2);
    expect(r.problems.filter((p) => p.check === 'embedded')).toEqual([
      expect.objectContaining({ file: join(next, 'both.yaml') }),
    ]);
  });

  test('problems listing the paths are reported, with and without changedFrom', () => {
    const { old, next } = changeInS();
    const gone = join(next, 'gone');
    expect(checkFilesSync([gone]).problems).toEqual([expect.objectContaining({ file: gone, check: 'read' })]);
    rmSync(join(next, 'a.yaml'));
    const r = checkFilesSync([next, gone], { changedFrom: old });
    expect(r.problems).toContainEqual(expect.objectContaining({ file: gone, check: 'read' }));
    const local = checkFilesSync([gone], { changedFrom: old });
    expect(local.problems).toContainEqual(expect.objectContaining({ file: gone, check: 'read' }));
  });

  test('changedFrom: objects outside the files are taken into account for the namespaces the change touches', () => {
    const old = dirWith({ 'h.yaml': badHost.replace('"yes"', 'true'), 'o.yaml': other });
    const next = dirWith({
      'h.yaml': badHost.replace('"yes"', 'true').replace('10.0.0.1', '10.0.0.2'),
      'o.yaml': other,
    });
    expect(checkFilesSync([next], { changedFrom: old }).problems.map((p) => p.check)).toEqual(['references']);
    expect(checkFilesSync([next], { changedFrom: old, external: ['Secret/s/bmc'] })).toMatchObject({
      checkedFiles: 1,
      problems: [],
    });
  });

  test('a run over no file leaves the cache as it was', () => {
    const dir = dirWith({ 'a.yaml': cm('a'), 'b.yaml': cm('b') });
    const empty = dirWith({});
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    checkFilesSync([dir], { cacheDir });
    expect(checkFilesSync([empty], { cacheDir })).toMatchObject({ files: 0, cachedFiles: 0 });
    expect(checkFilesSync([dir], { cacheDir })).toMatchObject({ cachedFiles: 2 });
  });

  test('no worker threads when asked for none, with a cache', async () => {
    const dir = dirWith({ 'a.yaml': cm('a'), 'b.yaml': badHost, 'c.yaml': cm('c') });
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    const r = await checkFiles([dir], { workers: 0, cacheDir });
    expect(r).toMatchObject({ files: 3, checkedFiles: 3, cachedFiles: 0 });
    expect(r.problems.map((p) => p.check).sort()).toEqual(['references', 'schema']);
    expect(await checkFiles([dir], { workers: 0, cacheDir })).toMatchObject({ cachedFiles: 3 });
  });

  test('changedFrom with a cache whose entry of an unchanged file is edited: that file is read again, and checked again when a changed file names its ConfigMap', () => {
    const { old, next } = secondAciNamesTheManifests();
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    checkFilesSync([old], { cacheDir, external });
    // GIVEN the body of both.yaml's entry edited (the table and its checksum intact)
    const file = join(cacheDir, SUMMARY_CACHE_FILE);
    const text = readFileSync(file, 'utf8');
    const at = text.lastIndexOf('cn2/cn2-manifests');
    expect(at).toBeGreaterThan(text.indexOf('\n'));
    writeFileSync(file, `${text.slice(0, at)}cn2/cn2-manifestz${text.slice(at + 17)}`);
    // WHEN other.yaml names both.yaml's ConfigMap, THEN both.yaml is checked again, its broken manifest found
    const r = checkFilesSync([next], { changedFrom: old, cacheDir, external });
    expect(r).toMatchObject({ checkedFiles: 2, cachedFiles: 1 });
    expect(r.problems.filter((p) => p.check === 'embedded')).toEqual([
      expect.objectContaining({ file: join(next, 'both.yaml') }),
    ]);
  });

  test('worker threads read objects without a namespace in the namespace given', async () => {
    const dir = dirWith({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      'b.yaml': cm('x').replace('namespace: s', 'namespace: site'),
    });
    const inThread = checkFilesSync([dir], { namespace: 'site' });
    expect(inThread.problems.map((p) => p.check)).toEqual(['duplicates']);
    const r = await checkFiles([dir], { namespace: 'site', workers: 2 });
    expect(sorted(r.problems)).toEqual(sorted(inThread.problems));
  }, 60000);

  test('worker threads with a cache: every file checked once on them, then taken from the cache', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`f${i}.yaml`] = i === 3 ? badHost : cm(`c${i}`);
    const dir = dirWith(files);
    const cacheDir = mkdtempSync(join(tmpdir(), 'cache-'));
    const first = await checkFiles([dir], { workers: 2, cacheDir });
    expect(first).toMatchObject({ files: 6, objects: 6, checkedFiles: 6, cachedFiles: 0 });
    expect(sorted(first.problems)).toEqual(sorted(checkFilesSync([dir]).problems));
    expect(await checkFiles([dir], { workers: 2, cacheDir })).toMatchObject({ cachedFiles: 6 });
  }, 60000);

  test('worker threads are stopped when done, and one that fails or exits early fails the check', async () => {
    const dir = dirWith({ 'a.yaml': cm('a'), 'b.yaml': cm('b') });
    const terminate = jest.spyOn(Worker.prototype, 'terminate');
    try {
      expect(await checkFiles([dir], { workers: 2 })).toMatchObject({ files: 2, problems: [] });
      expect(terminate).toHaveBeenCalledTimes(2);
    } finally {
      terminate.mockRestore();
    }
    /** `p`, or a rejection when it does not settle within 10 s (a check that hangs). */
    const within = async <T>(p: Promise<T>): Promise<T> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<T>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10000);
      });
      try {
        return await Promise.race([p, late]);
      } finally {
        clearTimeout(timer);
      }
    };
    // GIVEN workers that, instead of checking the files posted to them, fail or exit
    const failures: [(w: Worker) => void, RegExp][] = [
      [(w) => w.emit('error', new Error('boom')), /^boom$/],
      [(w) => w.emit('exit', 3), /^check worker exited early with code 3$/],
    ];
    for (const [fail, message] of failures) {
      const post = jest.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker) {
        setImmediate(() => fail(this));
      });
      try {
        // THEN the check fails with that error
        await expect(within(checkFiles([dir], { workers: 2 }))).rejects.toThrow(message);
      } finally {
        post.mockRestore();
      }
    }
  }, 60000);
});
