import * as fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFilesSync, digestOf } from '../../lib/validation/check-files';
import { loadManifests } from '../../lib/validation/load-manifests';
import { planChanges } from '../../lib/validation/plan';
import { planFiles } from '../../lib/validation/plan-files';
import { SUMMARY_CACHE_FILE, SummaryCache } from '../../lib/validation/summary-cache';
import { RUNS, SEED } from '../arbitraries';

/** A folder of files, each a list of objects as YAML documents (JSON is YAML). */
function folder(files: Record<string, object[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-files-'));
  for (const [name, objects] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), objects.map((o) => JSON.stringify(o)).join('\n---\n'));
  }
  return dir;
}

const host = (name: string, mac: string, ns?: string) => ({
  apiVersion: 'metal3.io/v1alpha1',
  kind: 'BareMetalHost',
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
  spec: { bootMACAddress: mac, online: true },
});

describe('planFiles', () => {
  test('equals planChanges on all objects for random edits (change, move, add, remove, rename files)', () => {
    const edit = fc.record({
      object: fc.nat(9),
      action: fc.constantFrom('change', 'move', 'remove', 'add', 'namespace'),
      file: fc.nat(3),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 6 }), fc.boolean(), (edits, withCache) => {
        // GIVEN ten hosts spread over four files
        const place = Array.from({ length: 10 }, (_, i) => i % 4);
        const objects: (object | undefined)[] = Array.from({ length: 10 }, (_, i) =>
          host(`h${i}`, `00:00:00:00:00:0${i}`),
        );
        const files = () => {
          const out: Record<string, object[]> = {};
          objects.forEach((o, i) => {
            if (o) (out[`site-${place[i]}/m.yaml`] ??= []).push(o);
          });
          return out;
        };
        const old = folder(files());
        // WHEN edited
        for (const e of edits) {
          if (e.action === 'change' && objects[e.object])
            objects[e.object] = host(`h${e.object}`, `00:00:00:00:01:0${e.file}`);
          if (e.action === 'move') place[e.object] = e.file;
          if (e.action === 'remove') objects[e.object] = undefined;
          if (e.action === 'add') objects[e.object] ??= host(`h${e.object}`, '00:00:00:00:02:00');
          if (e.action === 'namespace' && objects[e.object])
            objects[e.object] = host(`h${e.object}`, '00:00:00:00:00:00', 'default');
        }
        const next = folder(files());
        // THEN the file-by-file plan is the plan of all objects
        const expected = planChanges(
          loadManifests([old]).objects.map((o) => o.object),
          loadManifests([next]).objects.map((o) => o.object),
        );
        const cacheDir = withCache ? mkdtempSync(join(tmpdir(), 'plan-cache-')) : undefined;
        const options = cacheDir ? { cacheDir } : {};
        expect(planFiles(old, next, options)).toMatchObject({ changes: expected, problems: [] });
        // AND again, with the cache filled
        expect(planFiles(old, next, options).changes).toEqual(expected);
      }),
      { numRuns: Math.min(RUNS, 40), seed: SEED },
    );
  });

  test('does not parse files that are the same on both sides when the cache has them', () => {
    const old = folder({ 'a.yaml': [host('a', '00:00:00:00:00:01')], 'b.yaml': [host('b', '00:00:00:00:00:02')] });
    const next = folder({ 'a.yaml': [host('a', '00:00:00:00:00:01')], 'b.yaml': [host('b', '00:00:00:00:00:03')] });
    const r = planFiles(old, next);
    expect(r).toMatchObject({ sameFiles: 1, differingFiles: 1 });
    expect(r.changes).toEqual([expect.objectContaining({ id: 'BareMetalHost/default/b', risk: 'rejected' })]);
  });

  test('an object written twice where nothing changed does not stop the plan; a file that cannot be parsed does', () => {
    // GIVEN an unchanged file that writes one host twice in namespace other, and a change in namespace site
    const twice = [host('t', '00:00:00:00:00:09', 'other'), host('t', '00:00:00:00:00:09', 'other')];
    const old = folder({ 'o.yaml': twice, 's.yaml': [host('a', '00:00:00:00:00:01', 'site')] });
    const next = folder({ 'o.yaml': twice, 's.yaml': [host('a', '00:00:00:00:00:02', 'site')] });
    for (const options of [{}, { cacheDir: mkdtempSync(join(tmpdir(), 'plan-cache-')) }]) {
      // WHEN planned (twice with the cache: filled, then used), THEN the change is planned
      for (let run = 0; run < 2; run++) {
        const r = planFiles(old, next, options);
        expect(r.problems).toEqual([]);
        expect(r.changes).toEqual([expect.objectContaining({ id: 'BareMetalHost/site/a' })]);
      }
    }
    // AND once the change touches namespace other, the host written twice is a problem
    const touching = folder({ 'o.yaml': twice, 's.yaml': [host('a', '00:00:00:00:00:02', 'other')] });
    expect(planFiles(old, touching).problems.map((p) => p.check)).toEqual(['duplicates', 'duplicates']);
    // AND an unchanged file that is not YAML is reported whatever the change touches
    const broken = folder({ 'o.yaml': [], 's.yaml': [host('a', '00:00:00:00:00:01', 'site')] });
    writeFileSync(join(broken, 'o.yaml'), 'a: [');
    const brokenNext = folder({ 'o.yaml': [], 's.yaml': [host('a', '00:00:00:00:00:02', 'site')] });
    writeFileSync(join(brokenNext, 'o.yaml'), 'a: [');
    const cacheDir = mkdtempSync(join(tmpdir(), 'plan-cache-'));
    for (let run = 0; run < 2; run++) {
      const r = planFiles(broken, brokenNext, { cacheDir });
      expect(r.changes).toEqual([]);
      expect(r.problems.map((p) => `${p.file}|${p.check}`)).toEqual([`${join(brokenNext, 'o.yaml')}|yaml`]);
    }
  });

  test('fails when a changed file writes an object that an unchanged file already holds', () => {
    const a = host('a', '00:00:00:00:00:01');
    const old = folder({ 'a.yaml': [a], 'b.yaml': [host('b', '00:00:00:00:00:02')] });
    const next = folder({ 'a.yaml': [a], 'b.yaml': [host('b', '00:00:00:00:00:02'), a] });
    const r = planFiles(old, next);
    expect(r.changes).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({
        check: 'duplicates',
        message: expect.stringMatching(
          /^\[BareMetalHost.metal3.io\/default\/a\] is written twice in the new manifests/,
        ),
      }),
    ]);
  });
});

describe('planFiles in detail', () => {
  test('two files named directly are compared with each other', () => {
    const old = folder({ 'a.yaml': [host('a', '00:00:00:00:00:01')] });
    const next = folder({ 'b.yaml': [host('a', '00:00:00:00:00:02')] });
    const r = planFiles(join(old, 'a.yaml'), join(next, 'b.yaml'));
    expect(r).toMatchObject({ differingFiles: 1, sameFiles: 0, problems: [], notes: [] });
    expect(r.changes.map((c) => [c.id, c.action])).toEqual([['BareMetalHost/default/a', 'change']]);
    // AND the same file on both sides has no change
    expect(planFiles(join(old, 'a.yaml'), join(old, 'a.yaml'))).toMatchObject({
      changes: [],
      differingFiles: 0,
      sameFiles: 1,
    });
  });

  test('an object that moves to another file is compared, not removed and added; files on one side add or remove', () => {
    const old = folder({
      'a.yaml': [host('a', '00:00:00:00:00:01'), host('b', '00:00:00:00:00:02')],
      'gone.yaml': [host('g', '00:00:00:00:00:07')],
    });
    const next = folder({
      'a.yaml': [host('b', '00:00:00:00:00:02')],
      'c.yaml': [host('a', '00:00:00:00:00:01')],
      'new.yaml': [host('n', '00:00:00:00:00:08')],
    });
    const r = planFiles(old, next);
    expect(r).toMatchObject({ problems: [], differingFiles: 4, sameFiles: 0 });
    expect(r.changes.map((c) => [c.id, c.action])).toEqual([
      ['BareMetalHost/default/g', 'remove'],
      ['BareMetalHost/default/n', 'add'],
    ]);
  });

  test('objects without a namespace are placed in the namespace given', () => {
    const old = folder({ 'a.yaml': [host('a', '00:00:00:00:00:01')] });
    const next = folder({ 'a.yaml': [host('a', '00:00:00:00:00:02')] });
    expect(planFiles(old, next, { namespace: 'site' }).changes.map((c) => c.id)).toEqual(['BareMetalHost/site/a']);
  });

  test('an object written twice names both places and the side', () => {
    const a = host('a', '00:00:00:00:00:01');
    const old = folder({ 'x.yaml': [a, host('b', '00:00:00:00:00:02'), a] });
    const next = folder({ 'x.yaml': [a] });
    const r = planFiles(old, next);
    expect(r.changes).toEqual([]);
    expect(r).toMatchObject({ differingFiles: 1, sameFiles: 0 });
    expect(r.problems).toEqual([
      {
        file: join(old, 'x.yaml'),
        check: 'duplicates',
        message:
          `[BareMetalHost.metal3.io/default/a] is written twice in the old manifests: in ${join(old, 'x.yaml')} (document 1, line 1) ` +
          `and in ${join(old, 'x.yaml')} (document 3, line 5); the plan cannot tell which one to compare; keep one`,
      },
    ]);
  });

  test('an object written twice in a file the same on both sides, in a namespace the change touches, is found on both sides', () => {
    const twice = [host('t', '00:00:00:00:00:09', 'n'), host('t', '00:00:00:00:00:09', 'n')];
    const old = folder({ 'o.yaml': twice, 's.yaml': [host('a', '00:00:00:00:00:01', 'n')] });
    const next = folder({ 'o.yaml': twice, 's.yaml': [host('a', '00:00:00:00:00:02', 'n')] });
    for (const options of [{}, { cacheDir: mkdtempSync(join(tmpdir(), 'plan-cache-')) }]) {
      const r = planFiles(old, next, options);
      expect(r.problems.map((p) => [p.file, p.message.split(':')[0]])).toEqual([
        [join(old, 'o.yaml'), '[BareMetalHost.metal3.io/n/t] is written twice in the old manifests'],
        [join(next, 'o.yaml'), '[BareMetalHost.metal3.io/n/t] is written twice in the new manifests'],
      ]);
      expect(r).toMatchObject({ changes: [], differingFiles: 1, sameFiles: 1 });
    }
  });

  test('a path that cannot be read and a cache that cannot be used are reported', () => {
    const next = folder({ 'a.yaml': [host('a', '00:00:00:00:00:01')] });
    const missing = join(next, 'nothing');
    const r = planFiles(missing, next);
    expect(r.problems).toEqual([
      { file: missing, check: 'read', message: 'does not exist (or is a symbolic link to nothing)' },
    ]);
    expect(r.changes).toEqual([]);
    const cacheDir = mkdtempSync(join(tmpdir(), 'plan-cache-'));
    writeFileSync(join(cacheDir, 'validate-summaries.json'), '{not json');
    expect(planFiles(next, next, { cacheDir }).notes).toEqual([
      `note: the validate cache in ${cacheDir} is not valid JSON; ignored`,
    ]);
  });

  test('the cache is written when it lacked a file the same on both sides, and then used', () => {
    const same = [host('s', '00:00:00:00:00:05', 'other')];
    const old = folder({ 's.yaml': same, 'a.yaml': [host('a', '00:00:00:00:00:01')] });
    const next = folder({ 's.yaml': same, 'a.yaml': [host('a', '00:00:00:00:00:02')] });
    const cacheDir = mkdtempSync(join(tmpdir(), 'plan-cache-'));
    planFiles(old, next, { cacheDir });
    const cache = SummaryCache.open(cacheDir, 'default');
    expect(cache.scope(digestOf(readFileSync(join(next, 's.yaml'))))).toMatchObject({ namespaces: ['other'] });
    expect(cache.scope(digestOf(readFileSync(join(next, 'a.yaml'))))).toMatchObject({ namespaces: ['default'] });
  });
});

describe('planFiles: order, scope and cache', () => {
  const widget = (group: string, spec: object) => ({
    apiVersion: `${group}/v1`,
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'n' },
    spec,
  });

  test('changes come sorted by id, and by API group for equal ids, whatever file holds them', () => {
    const old = folder({
      'a.yaml': [host('z', '00:00:00:00:00:01'), widget('b.example.com', { x: 1 })],
      'b.yaml': [host('a', '00:00:00:00:00:02'), widget('a.example.com', { y: 1 })],
    });
    const next = folder({
      'a.yaml': [host('z', '00:00:00:00:00:03'), widget('b.example.com', { x: 2 })],
      'b.yaml': [host('a', '00:00:00:00:00:04'), widget('a.example.com', { y: 2 })],
    });
    const r = planFiles(old, next);
    expect(r.problems).toEqual([]);
    expect(r.changes.map((c) => [c.id, c.fields.map((f: any) => f.path).join()])).toEqual([
      ['BareMetalHost/default/a', expect.any(String)],
      ['BareMetalHost/default/z', expect.any(String)],
      ['Widget/n/w', expect.stringContaining('y')],
      ['Widget/n/w', expect.stringContaining('x')],
    ]);
    // AND the same when the files already hold them in that order
    const inOrder = (x: number) =>
      folder({
        'a.yaml': [widget('a.example.com', { y: x })],
        'b.yaml': [widget('b.example.com', { x })],
      });
    expect(planFiles(inOrder(1), inOrder(2)).changes.map((c) => c.fields.map((f: any) => f.path).join())).toEqual([
      expect.stringContaining('y'),
      expect.stringContaining('x'),
    ]);
    // AND the same when the objects move between files (compared at the end)
    const moved = folder({
      'c.yaml': [widget('b.example.com', { x: 2 }), host('z', '00:00:00:00:00:03')],
      'd.yaml': [widget('a.example.com', { y: 2 }), host('a', '00:00:00:00:00:04')],
    });
    expect(planFiles(old, moved).changes.map((c) => c.id)).toEqual([
      'BareMetalHost/default/a',
      'BareMetalHost/default/z',
      'Widget/n/w',
      'Widget/n/w',
    ]);
  });

  test('an object that moves to another file is placed in the namespace given', () => {
    const old = folder({ 'a.yaml': [host('a', '00:00:00:00:00:01')] });
    const next = folder({ 'b.yaml': [host('a', '00:00:00:00:00:02')] });
    expect(planFiles(old, next, { namespace: 'site' }).changes.map((c) => [c.id, c.action])).toEqual([
      ['BareMetalHost/site/a', 'change'],
    ]);
  });

  test('an object written twice names its places in file-name order, a file new on one side included', () => {
    const a = host('a', '00:00:00:00:00:01');
    const old = folder({ 'b.yaml': [a] });
    const next = folder({ 'a.yaml': [a], 'b.yaml': [a] });
    const [problem, ...rest] = planFiles(old, next).problems;
    expect(rest).toEqual([]);
    expect(problem.message).toContain(
      `is written twice in the new manifests: in ${join(next, 'a.yaml')} (document 1, line 1) and in ${join(next, 'b.yaml')} (document 1, line 1)`,
    );
  });

  test('a file the same on both sides that the change touches adds only its places in the touched namespaces', () => {
    // GIVEN an unchanged file holding a host in namespace site and one written twice in namespace other
    const same = [
      host('s', '00:00:00:00:00:05', 'site'),
      host('t', '00:00:00:00:00:09', 'other'),
      host('t', '00:00:00:00:00:09', 'other'),
    ];
    const old = folder({ 'o.yaml': same, 's.yaml': [host('a', '00:00:00:00:00:01', 'site')] });
    const next = folder({ 'o.yaml': same, 's.yaml': [host('a', '00:00:00:00:00:02', 'site')] });
    // WHEN a change touches namespace site only, THEN the duplicate in namespace other is not its concern
    const r = planFiles(old, next);
    expect(r.problems).toEqual([]);
    expect(r.changes.map((c) => c.id)).toEqual(['BareMetalHost/site/a']);
    // AND a host of the unchanged file written again in namespace site is
    const again = folder({
      'o.yaml': same,
      's.yaml': [host('a', '00:00:00:00:00:02', 'site'), host('s', '00:00:00:00:00:05', 'site')],
    });
    expect(planFiles(old, again).problems.map((p) => p.message.split(':')[0])).toEqual([
      '[BareMetalHost.metal3.io/site/s] is written twice in the new manifests',
    ]);
  });

  test('a file the same on both sides reports read problems (binary) but not the checks validate ran on it', () => {
    const bad = { ...host('b', '00:00:00:00:00:05', 'site'), spec: { online: 'yes' } };
    const old = folder({ 'o.yaml': [bad], 's.yaml': [host('a', '00:00:00:00:00:01', 'site')] });
    const next = folder({ 'o.yaml': [bad], 's.yaml': [host('a', '00:00:00:00:00:02', 'site')] });
    const cacheDir = mkdtempSync(join(tmpdir(), 'plan-cache-'));
    // GIVEN validate cached the unchanged file with its schema problem
    expect(checkFilesSync([next], { cacheDir }).problems.map((p) => p.check)).toContain('schema');
    // WHEN planned with that cache, THEN the schema problem is validate's, not the plan's
    const r = planFiles(old, next, { cacheDir });
    expect(r.problems).toEqual([]);
    expect(r.changes.map((c) => c.id)).toEqual(['BareMetalHost/site/a']);
    // AND a binary file the same on both sides is reported as unreadable
    for (const dir of [old, next]) writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0x61, 0x00, 0x62]));
    const binary = planFiles(old, next);
    expect(binary.problems.map((p) => `${p.file}|${p.check}`)).toEqual([`${join(next, 'bin.yaml')}|read`]);
    expect(binary.changes).toEqual([]);
  });

  test('the cache is not rewritten for fewer than 1% of the files missing from it (those a previous change wrote), but at 1%', () => {
    const files: Record<string, object[]> = {};
    for (let i = 0; i < 120; i++) files[`h${i}.yaml`] = [host(`h${i}`, `00:00:00:00:01:${(i + 16).toString(16)}`)];
    const old = folder(files);
    const next = folder(files);
    const cacheDir = mkdtempSync(join(tmpdir(), 'plan-cache-'));
    planFiles(old, next, { cacheDir });
    const cacheFile = join(cacheDir, SUMMARY_CACHE_FILE);
    const filled = readFileSync(cacheFile);
    // WHEN one same file is new to the cache (1 of 120)
    for (const dir of [old, next]) writeFileSync(join(dir, 'h0.yaml'), JSON.stringify(host('h0', '00:00:00:00:02:01')));
    expect(planFiles(old, next, { cacheDir })).toMatchObject({ changes: [], problems: [], sameFiles: 120 });
    // THEN the cache is as it was
    expect(readFileSync(cacheFile).equals(filled)).toBe(true);
    // AND WHEN two are (2 of 120, over 1%) THEN it is rewritten with them
    for (const dir of [old, next]) writeFileSync(join(dir, 'h1.yaml'), JSON.stringify(host('h1', '00:00:00:00:02:02')));
    planFiles(old, next, { cacheDir });
    const cache = SummaryCache.open(cacheDir, 'default');
    expect(cache.scope(digestOf(readFileSync(join(next, 'h0.yaml'))))).toBeDefined();
    expect(cache.scope(digestOf(readFileSync(join(next, 'h1.yaml'))))).toBeDefined();
  });

  test('the cache is not written for differing files alone', () => {
    const old = folder({ 'a.yaml': [host('a', '00:00:00:00:00:01')] });
    const next = folder({ 'a.yaml': [host('a', '00:00:00:00:00:02')] });
    const cacheDir = mkdtempSync(join(tmpdir(), 'plan-cache-'));
    expect(planFiles(old, next, { cacheDir })).toMatchObject({ differingFiles: 1, sameFiles: 0, notes: [] });
    expect(existsSync(join(cacheDir, SUMMARY_CACHE_FILE))).toBe(false);
    // AND it is written once a file is the same on both sides
    writeFileSync(join(old, 'b.yaml'), JSON.stringify(host('b', '00:00:00:00:00:03')));
    writeFileSync(join(next, 'b.yaml'), JSON.stringify(host('b', '00:00:00:00:00:03')));
    planFiles(old, next, { cacheDir });
    expect(existsSync(join(cacheDir, SUMMARY_CACHE_FILE))).toBe(true);
  });
});
