// Worker thread of synthesizeFleet: synthesizes the batches of sites the main thread posts.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FileSink, FileSinkHandle, fileSinkFrom } from './file-writer';
import { ManifestWriter, SiteOutcome, synthesizeSite } from './fleet-synth';
import { SiteDescription } from './site-description';

/** A batch of sites the main thread posts to a worker, numbered so results are merged in order. */
export interface SiteBatch {
  /** Position of the batch in the inventory. */
  readonly index: number;
  /** The sites, in inventory order. */
  readonly sites: SiteDescription[];
}

/**
 * Synthesizes each site of `batch` into `outdir` (its files handed to `sink` when given); the
 * outcomes keep the batch's order and index.
 */
export function synthesizeBatch(
  batch: SiteBatch,
  outdir: string,
  writer: ManifestWriter,
  sink?: FileSink,
  report: boolean | 'per-site' = false,
): { index: number; outcomes: SiteOutcome[] } {
  return {
    index: batch.index,
    outcomes: batch.sites.map((site) => synthesizeSite(site, outdir, writer, sink, report)),
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { outdir, kindsModule, writer, sink, report } = workerData as {
    outdir: string;
    kindsModule?: string;
    writer: ManifestWriter;
    sink?: FileSinkHandle;
    report?: boolean | 'per-site';
  };
  if (kindsModule) require(kindsModule);
  const files = sink ? fileSinkFrom(sink) : undefined;
  port.on('message', (batch: SiteBatch) => {
    const result = synthesizeBatch(batch, outdir, writer, files, report ?? false);
    files?.flush(); // the files reach the writer before the sites are reported done
    port.postMessage(result);
  });
}
