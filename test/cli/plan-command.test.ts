import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../../lib/cli/plan-command';

describe('cdk8s-baremetal plan', () => {
  const golden = readFileSync(join(__dirname, '..', 'golden', 'single-node.k8s.yaml'), 'utf8');
  const dir = (text: string) => {
    const d = mkdtempSync(join(tmpdir(), 'plan-'));
    writeFileSync(join(d, 'site.k8s.yaml'), text);
    return d;
  };
  beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test('exits 0 for identical folders', () => {
    expect(runPlan(dir(golden), dir(golden), {})).toBe(0);
  });

  test('exits 2 when a change would be rejected by a controller', () => {
    expect(runPlan(dir(golden), dir(golden.replace('00:0c:29:3e:3e:3e', '00:0c:29:3e:3e:3f')), {})).toBe(2);
  });

  test('--format markdown prints the pull-request comment', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = runPlan(dir(golden), dir(golden.replace('00:0c:29:3e:3e:3e', '00:0c:29:3e:3e:3f')), {
      format: 'markdown',
    });
    expect(code).toBe(2);
    expect(String(out.mock.calls[0][0])).toMatch(/^\*\*Plan:\*\* 1 object\(s\) differ: \*\*1 rejected\*\*/);
  });
});
