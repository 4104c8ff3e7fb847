import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compiledScript, packageRoot } from '../../lib/private/package-root';

describe('packageRoot', () => {
  test('finds the folder of the cdk8s-baremetal package.json, which holds the shipped schemas', () => {
    const root = packageRoot();
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('cdk8s-baremetal');
    expect(existsSync(join(root, 'schemas', 'index.json'))).toBe(true);
    expect(packageRoot()).toBe(root);
  });
});

describe('compiledScript', () => {
  test('GIVEN a library folder under ts-jest THEN the compiled file under build/ (npm run build)', () => {
    const script = compiledScript(join(packageRoot(), 'lib', 'fleet'), 'fleet-worker.js');
    expect(script).toBe(join(packageRoot(), 'build', 'lib', 'fleet', 'fleet-worker.js'));
  });

  test('GIVEN the compiled folder itself THEN the file next to it', () => {
    const dir = join(packageRoot(), 'build', 'lib', 'fleet');
    expect(compiledScript(dir, 'file-writer.js')).toBe(join(dir, 'file-writer.js'));
  });

  test('GIVEN a file that is built nowhere THEN undefined', () => {
    expect(compiledScript(join(packageRoot(), 'lib', 'fleet'), 'no-such-worker.js')).toBeUndefined();
  });
});
