import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import index from '../schemas/index.json';

const ROOT = join(__dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'import.mjs');

/** The CRD mirror `npm run import` reads, or '' when there is none (the script then fetches URLs). */
const mirror = execFileSync(process.execPath, [SCRIPT, '--mirror'], { cwd: ROOT, encoding: 'utf8' }).trim();

/** The names of the `name:=url` imports pinned in cdk8s.yaml. */
function pinnedNames(): string[] {
  const config = parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports?: string[] };
  return (config.imports ?? []).map((entry) => entry.slice(0, entry.indexOf(':=')));
}

describe('imports/ and schemas/ freshness', () => {
  if (mirror) {
    test(`imports/ and schemas/ match a fresh regeneration from the CRD mirror ${mirror}`, () => {
      // GIVEN the pinned CRDs in the local mirror
      // WHEN the import script regenerates them into a temporary folder and compares
      const run = spawnSync(process.execPath, [SCRIPT, '--check'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
      // THEN nothing differs (otherwise run 'npm run import' and commit the result)
      expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toMatch(/match a fresh regeneration/);
    }, 300_000);
  } else {
    test.skip('imports/ and schemas/ match a fresh regeneration (skipped: no CRD mirror; set CDK8S_CRD_MIRROR or provide ../shared/crds)', () => {
      // Without a mirror the check would fetch 31 URLs from GitHub; the suite stays offline.
    });
  }

  test('schemas/index.json lists exactly the CRDs pinned in cdk8s.yaml', () => {
    // GIVEN the pinned import names and the imports each index entry came from
    const pinned = pinnedNames();
    const indexed = new Set(Object.values(index).map((e) => e.import));
    // WHEN compared / THEN every pinned CRD has a served version in the index, and no other does
    expect(pinned).toHaveLength(new Set(pinned).size);
    expect([...indexed].sort()).toEqual([...pinned].sort());
  });

  test('imports/ holds one generated file per CRD pinned in cdk8s.yaml', () => {
    // GIVEN the generated files, named <import>-<group>.ts
    const files = readdirSync(join(ROOT, 'imports')).filter((f) => f.endsWith('.ts'));
    // WHEN matched to the pinned names and the index's groups / THEN one file each, no stray file
    const expected = Object.values(index).map((e) => `${e.import}-${e.apiVersion.split('/')[0]}.ts`);
    expect(files.sort()).toEqual([...new Set(expected)].sort());
    expect(files).toHaveLength(pinnedNames().length);
  });
});
