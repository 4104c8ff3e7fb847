import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * docs/api/ is generated from the TSDoc by `npm run docs` (typedoc + typedoc-plugin-markdown) and
 * committed, so that it reads on any Git host. A fresh generation into a temporary folder must
 * equal it file for file: a changed doc comment without `npm run docs` fails here.
 */
const root = join(__dirname, '..');

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

test('docs/api is what npm run docs generates from the current sources', () => {
  // GIVEN a fresh generation into a temporary folder
  const fresh = mkdtempSync(join(tmpdir(), 'api-docs-'));
  const r = spawnSync(join(root, 'node_modules', '.bin', 'typedoc'), ['--out', fresh], { cwd: root, encoding: 'utf8' });
  expect([r.status, r.stdout + r.stderr]).toEqual([0, expect.any(String)]);
  // THEN it holds the same files with the same text as the committed docs/api
  const generated = files(fresh);
  const committed = files(join(root, 'docs', 'api'));
  expect([...committed.keys()]).toEqual([...generated.keys()]);
  const stale = [...generated].filter(([file, text]) => committed.get(file) !== text).map(([file]) => file);
  expect(stale).toEqual([]);
  // AND every public construct has its page
  expect(generated.has('classes/SingleNodeCluster.md')).toBe(true);
  expect(generated.get('interfaces/SingleNodeClusterProps.md')).toMatch(/clusterName/);
}, 600_000);
