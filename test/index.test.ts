import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as api from '../lib';

/** Every class of a public module (not lib/private, not the CLI) is reachable from the package entry. */
describe('lib/index', () => {
  test('exports every public class, so users never import from a deep path', () => {
    const lib = join(__dirname, '..', 'lib');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk(lib);
    const missing: string[] = [];
    let classes = 0;
    for (const file of files) {
      const rel = relative(lib, file);
      if (/^(private|cli)\//.test(rel) || rel === 'index.ts') continue;
      const module = require(file) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        const isClass = typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
        if (isClass) classes++;
        if (isClass && (api as Record<string, unknown>)[name] !== value) missing.push(`${rel}: ${name}`);
      }
    }
    expect(classes).toBeGreaterThan(40); // the scan sees the constructs, so an empty list means something
    expect(missing).toEqual([]);
  });
});
