import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BaremetalValidationError } from '../errors';
import { show } from './errors';

let cached: string | undefined;

/**
 * The folder of this package: the nearest ancestor of this file whose package.json is named
 * cdk8s-baremetal. `schemas/` (shipped in the npm package) is found from there.
 */
export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'cdk8s-baremetal') {
          cached = dir;
          return dir;
        }
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    if (dirname(dir) === dir) {
      throw new BaremetalValidationError(
        'cdk8s-baremetal',
        'schemas',
        'folder not found above the library',
        show(__dirname),
        'install cdk8s-baremetal with its schemas/ folder (it ships in the npm package)',
      );
    }
  }
}

/**
 * The compiled JavaScript of a library module, for a worker thread: `<dir>/<file>` when this code
 * runs compiled, else (under ts-jest, which runs the TypeScript) the same file under `build/`;
 * undefined before `npm run build`. `dir` is the caller's `__dirname`.
 */
export function compiledScript(dir: string, file: string): string | undefined {
  const here = join(dir, file);
  if (existsSync(here)) return here;
  const built = join(packageRoot(), 'build', relative(packageRoot(), dir), file);
  return existsSync(built) ? built : undefined;
}
