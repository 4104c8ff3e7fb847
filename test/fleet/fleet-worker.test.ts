import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { synthesizeBatch } from '../../lib/fleet/fleet-worker';
import { loadInventory } from '../../lib/fleet/inventory';

const inventory = join(__dirname, '..', '..', 'examples', 'fleet-inventory', 'sites.yaml');

describe('fleet worker', () => {
  test('synthesizes a batch in order, keeping its index, and writes each site folder', () => {
    // GIVEN the three sites of the example inventory
    const sites = loadInventory([inventory]);
    const outdir = mkdtempSync(join(tmpdir(), 'fleet-worker-'));
    // WHEN one batch is synthesized
    const result = synthesizeBatch({ index: 7, sites }, outdir, 'fast');
    // THEN the outcomes follow the batch, with claims for the fleet-wide checks
    expect(result.index).toBe(7);
    expect(result.outcomes.map((o) => o.name)).toEqual(sites.map((s) => s.name));
    for (const o of result.outcomes) {
      expect(o.errors).toEqual([]);
      expect(o.claims.length).toBeGreaterThan(0);
      expect(existsSync(join(outdir, o.name, 'kustomization.yaml'))).toBe(true);
    }
  });

  test('the compiled worker answers a posted batch (npm run build)', async () => {
    const script = join(__dirname, '..', '..', 'build', 'lib', 'fleet', 'fleet-worker.js');
    const sites = loadInventory([inventory]).slice(0, 1);
    const outdir = mkdtempSync(join(tmpdir(), 'fleet-worker-'));
    const worker = new Worker(script, { workerData: { outdir, writer: 'fast' } });
    try {
      const reply = await new Promise<{ index: number; outcomes: { name: string; objects: number }[] }>(
        (resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.postMessage({ index: 0, sites });
        },
      );
      expect(reply.index).toBe(0);
      expect(reply.outcomes).toEqual([expect.objectContaining({ name: sites[0].name })]);
      expect(reply.outcomes[0].objects).toBeGreaterThan(0);
      expect(readFileSync(join(outdir, sites[0].name, 'kustomization.yaml'), 'utf8')).toContain('resources:');
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
