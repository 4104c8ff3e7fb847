import { join } from 'node:path';
import { runValidate } from '../../lib/cli/validate-command';

const golden = join(__dirname, '..', 'golden', 'single-node.k8s.yaml');

describe('cdk8s-baremetal validate', () => {
  let out: string[];
  beforeEach(() => {
    out = [];
    jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  });
  afterEach(() => jest.restoreAllMocks());

  test('exits 0 and says so when everything checks', () => {
    expect(runValidate([golden], { external: ['Secret/example-demo-credentials'] })).toBe(0);
    expect(out.pop()).toBe('6 object(s) checked, 0 problem(s)');
  });

  test('exits 1 and lists problems otherwise; --json gives a machine-readable report', () => {
    expect(runValidate([golden], { json: true })).toBe(1);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ objects: 6, problems: [{ check: 'references' }] });
  });
});
