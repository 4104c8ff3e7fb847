import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CachedSite,
  folderMatches,
  libraryFingerprint,
  parseCache,
  planReuse,
  renderCache,
  runContext,
  sha256,
  siteKey,
} from '../../lib/fleet/fleet-cache';
import { SiteDescription } from '../../lib/fleet/site-description';

const tmp = () => mkdtempSync(join(tmpdir(), 'fleet-cache-'));
const SITE: SiteDescription = {
  name: 'a-1',
  kind: 'single-node',
  rke2Version: 'v1.32.4+rke2r1',
  image: { url: 'http://img/os.raw' },
  hosts: [{ name: 'a-1-n1', bootMACAddress: '02:00:00:00:00:01', bmcAddress: '10.0.0.1' }],
};
const CONTEXT = runContext('fast', undefined);

function entry(name: string, files: [string, string][]): CachedSite {
  return {
    name,
    key: 'k',
    objects: 1,
    bytes: 2,
    files: files.map(([p, t]) => [p, Buffer.byteLength(t), sha256(t)] as const),
    claims: [
      {
        fact: 'boot MAC address',
        value: '02:00:00:00:00:01',
        where: { path: `${name}/Host`, prop: 'host.bootMACAddress' },
      },
    ],
  };
}

describe('siteKey', () => {
  test('GIVEN the same entry read from another line THEN the key is the same', () => {
    const moved = { ...SITE, source: { file: 'x.csv', line: 9 } };
    expect(siteKey(moved, CONTEXT)).toBe(siteKey(SITE, CONTEXT));
  });

  test('GIVEN another value, writer or kinds module THEN the key differs', () => {
    const other = { ...SITE, hosts: [{ ...SITE.hosts[0], bmcAddress: '10.0.0.2' }] };
    expect(siteKey(other, CONTEXT)).not.toBe(siteKey(SITE, CONTEXT));
    expect(siteKey(SITE, runContext('cdk8s', undefined))).not.toBe(siteKey(SITE, CONTEXT));
    const kinds = join(tmp(), 'kinds.js');
    writeFileSync(kinds, '// one\n');
    const one = runContext('fast', kinds);
    writeFileSync(kinds, '// two\n');
    expect(runContext('fast', kinds)).not.toBe(one);
    expect(siteKey(SITE, one)).not.toBe(siteKey(SITE, CONTEXT));
  });
});

describe('libraryFingerprint', () => {
  test('GIVEN the same code THEN the same fingerprint, led by the version', () => {
    expect(libraryFingerprint()).toMatch(/^\d+\.\d+\.\d+[^:]*:[0-9a-f]{32}$/);
    expect(libraryFingerprint()).toBe(libraryFingerprint());
  });
});

describe('renderCache and parseCache', () => {
  const sites = [entry('b-1', [['b-1/x.yaml', 'b']]), entry('a-1', [['a-1/x.yaml', 'a']])];

  test('GIVEN sites in any order THEN the text is the same, one line per site, and reads back', () => {
    const text = renderCache(CONTEXT, sites);
    expect(renderCache(CONTEXT, [...sites].reverse())).toBe(text);
    expect(text.split('\n')).toHaveLength(4);
    const read = parseCache(text, CONTEXT);
    expect(read.note).toBeUndefined();
    expect(read.sites?.get('a-1')).toEqual(sites[1]);
  });

  test.each([
    ['another context', (t: string) => t, 'other', /written by another version of the library/],
    ['a wrong site count', (t: string) => t.replace('"sites":2', '"sites":3'), CONTEXT, /number of sites/],
    ['another format', (t: string) => t.replace('"format":3', '"format":4'), CONTEXT, /another format/],
    ['a line that is not JSON', (t: string) => `${t.split('\n')[0]}\n`, CONTEXT, /checksum/],
  ])('GIVEN %s THEN it is refused with the reason', (_what, edit, context, note) => {
    expect(parseCache(edit(renderCache(CONTEXT, sites)), context).note).toMatch(note);
  });

  test('GIVEN the same library with another kinds module THEN it says so', () => {
    const kinds = join(tmp(), 'k.js');
    writeFileSync(kinds, '1;\n');
    expect(parseCache(renderCache(CONTEXT, sites), runContext('fast', kinds)).note).toBe(
      'was written with another kinds module, writer or report setting',
    );
  });
});

describe('folderMatches and planReuse', () => {
  function output() {
    const outdir = tmp();
    mkdirSync(join(outdir, 'a-1', 'sub'), { recursive: true });
    writeFileSync(join(outdir, 'a-1', 'x.yaml'), 'x');
    writeFileSync(join(outdir, 'a-1', 'sub', 'y.yaml'), 'y');
    return {
      outdir,
      site: entry('a-1', [
        ['a-1/sub/y.yaml', 'y'],
        ['a-1/x.yaml', 'x'],
      ]),
    };
  }

  test('GIVEN the folder as written THEN it matches; a changed byte, a missing or an extra file THEN not', () => {
    const { outdir, site } = output();
    expect(folderMatches(outdir, site)).toBe(true);
    writeFileSync(join(outdir, 'a-1', 'x.yaml'), 'z');
    expect(folderMatches(outdir, site)).toBe(false);
    writeFileSync(join(outdir, 'a-1', 'x.yaml'), 'x');
    writeFileSync(join(outdir, 'a-1', 'sub', 'extra'), '');
    expect(folderMatches(outdir, site)).toBe(false);
    expect(folderMatches(outdir, { ...site, name: 'b-1' })).toBe(false);
  });

  test('GIVEN duplicate site names THEN nothing is reused and no cache may be written', () => {
    const plan = planReuse({ outdir: tmp(), owned: [] }, [SITE, SITE], CONTEXT, false);
    expect(plan).toMatchObject({ cacheable: false, reuse: new Map() });
  });

  test('GIVEN a cache the output does not own THEN it is not read', () => {
    const { outdir, site } = output();
    const key = siteKey({ ...SITE }, CONTEXT);
    writeFileSync(join(outdir, '.cdk8s-baremetal-fleet.cache'), renderCache(CONTEXT, [{ ...site, key }]));
    expect(planReuse({ outdir, owned: ['a-1'] }, [SITE], CONTEXT, false).reuse.size).toBe(0);
    expect(
      planReuse({ outdir, owned: ['a-1', '.cdk8s-baremetal-fleet.cache'] }, [SITE], CONTEXT, false).reuse.size,
    ).toBe(1);
    expect(
      planReuse({ outdir, owned: ['a-1', '.cdk8s-baremetal-fleet.cache'] }, [SITE], CONTEXT, true).reuse.size,
    ).toBe(0);
  });
});
