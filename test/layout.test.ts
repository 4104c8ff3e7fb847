import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The house layout: one test file per source file, at the same path under test/. */
describe('layout', () => {
  test('every lib/**/*.ts has test/**/*.test.ts', () => {
    const root = join(__dirname, '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(relative(join(root, 'lib'), path));
      }
    };
    walk(join(root, 'lib'));
    const missing = files
      .map((f) => join('test', f.replace(/\.ts$/, '.test.ts')))
      .filter((t) => !existsSync(join(root, t)));
    expect(missing).toEqual([]);
  });
});
