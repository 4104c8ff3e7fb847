import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBatch } from '../../lib/validation/check-worker';

describe('checkBatch', () => {
  test('checks each job in order and returns summaries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-worker-'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    writeFileSync(join(dir, 'b.yaml'), 'foo: [\n');
    const out = checkBatch(
      [
        { index: 0, file: join(dir, 'a.yaml'), checked: true, extraMaps: [] },
        { index: 1, file: join(dir, 'b.yaml'), checked: false, extraMaps: [] },
      ],
      'default',
    );
    expect(out.map((c) => [c.objects, c.problems.map((p) => p.check)])).toEqual([
      [1, []],
      [0, ['yaml']],
    ]);
  });
});
