import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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

describe('the worker thread', () => {
  test('answers each batch posted to it with the checks of its jobs and the batch start', async () => {
    // GIVEN the worker module loaded in a real worker thread (its TypeScript transpiled on the fly)
    const dir = mkdtempSync(join(tmpdir(), 'check-worker-'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: n}\n');
    writeFileSync(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    const boot = `
      const { readFileSync } = require('node:fs');
      const ts = require(${JSON.stringify(require.resolve('typescript'))});
      require.extensions['.ts'] = (m, filename) => m._compile(
        ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText,
        filename,
      );
      require(${JSON.stringify(join(__dirname, '..', '..', 'lib', 'validation', 'check-worker.ts'))});
    `;
    const worker = new Worker(boot, { eval: true, workerData: { namespace: 'site' } });
    // A worker that never answers must not keep the test process alive once the test has failed
    worker.unref();
    try {
      // WHEN a batch is posted
      const reply = await new Promise<{
        start: number;
        checks: { file: string; objects: number; configMaps: string[] }[];
      }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({
          start: 7,
          jobs: [
            { index: 7, file: join(dir, 'a.yaml'), checked: true, extraMaps: [] },
            { index: 8, file: join(dir, 'b.yaml'), checked: false, extraMaps: [] },
          ],
        });
      });
      // THEN the reply names the batch start and holds each job's check, with the worker's namespace
      expect(reply.start).toBe(7);
      expect(reply.checks.map((c) => [c.file, c.objects, c.configMaps])).toEqual([
        [join(dir, 'a.yaml'), 1, ['n/a']],
        [join(dir, 'b.yaml'), 1, ['site/b']],
      ]);
    } finally {
      await worker.terminate();
    }
  });
});
