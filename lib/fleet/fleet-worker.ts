// Worker thread of synthesizeFleet: synthesizes the batches of sites the main thread posts.
import { parentPort, workerData } from 'node:worker_threads';
import { ManifestWriter, synthesizeSite } from './fleet-synth';
import { SiteDescription } from './site-description';

const { outdir, kindsModule, writer } = workerData as { outdir: string; kindsModule?: string; writer: ManifestWriter };
if (kindsModule) require(kindsModule);

parentPort!.on('message', (msg: { index: number; sites: SiteDescription[] }) => {
  const outcomes = msg.sites.map((site) => synthesizeSite(site, outdir, writer));
  parentPort!.postMessage({ index: msg.index, outcomes });
});
