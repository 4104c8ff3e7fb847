import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../lib/private/package-root';

describe('packageRoot', () => {
  test('finds the folder of the cdk8s-baremetal package.json, which holds the shipped schemas', () => {
    const root = packageRoot();
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('cdk8s-baremetal');
    expect(existsSync(join(root, 'schemas', 'index.json'))).toBe(true);
    expect(packageRoot()).toBe(root);
  });
});
