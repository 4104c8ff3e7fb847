// Worker thread of checkFiles: reads and checks the files the main thread posts, and returns
// their problems and compact summaries (never the parsed objects).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { checkFile, FileCheck, FileJob } from './check-files';

/** Checks each job of a batch in order. */
export function checkBatch(jobs: readonly FileJob[], namespace: string): FileCheck[] {
  return jobs.map((j) => checkFile(j.file, namespace, j.checked, j.extraMaps));
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { namespace } = workerData as { namespace: string };
  port.on('message', (msg: { start: number; jobs: FileJob[] }) => {
    port.postMessage({ start: msg.start, checks: checkBatch(msg.jobs, namespace) });
  });
}
