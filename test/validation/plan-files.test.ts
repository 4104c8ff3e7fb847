import * as fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '../../lib/validation/check-files';
import { loadManifests } from '../../lib/validation/load-manifests';
import { planChanges } from '../../lib/validation/plan';
import { planFiles } from '../../lib/validation/plan-files';
import { SummaryCache } from '../../lib/validation/summary-cache';
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
