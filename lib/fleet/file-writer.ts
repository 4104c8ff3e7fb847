// The file writer of synthesizeFleet: a thread of its own that creates folders and writes files
// while the synthesizing threads build the next sites. On this project's machines creating a
// file costs ~0.1 ms of kernel time, a tenth of a fleet's synthesis when done in line.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMainThread, MessageChannel, MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';

/** The files of one site, written together; a failure is reported against the site. */
export interface SiteFiles {
  /** Site name, for the error report. */
  readonly site: string;
  /** Absolute (or working-folder relative) paths and their contents; folders are created. */
  readonly files: readonly (readonly [path: string, text: string])[];
}

/** Where the synthesizing code hands the files of each site. */
export interface FileSink {
  /** Queues (or writes) the files of one site. */
  write(files: SiteFiles): void;
}

/** Options of {@link FileWriter.start}. */
export interface FileWriterOptions {
  /**
   * Characters queued ahead of the writer thread before a sender waits for it; bounds the memory
   * held by files not yet written.
   * @default 67108864 (64 Mi)
   */
  readonly maxInFlight?: number;
}

// Shared counters: [characters queued, batches queued, the limit].
const CHARS = 0;
const BATCHES = 1;
const LIMIT = 2;

/** Writes the files of one site in the calling thread; returns the error message, if any. */
export function writeFilesSync(files: SiteFiles, madeDirs?: Set<string>): string | undefined {
  try {
    for (const [path, text] of files.files) {
      const dir = dirname(path);
      if (!madeDirs?.has(dir)) {
        mkdirSync(dir, { recursive: true });
        madeDirs?.add(dir);
      }
      writeFileSync(path, text);
    }
    return undefined;
  } catch (err) {
    return `cannot write the site's files: ${(err as Error)?.message ?? String(err)}`;
  }
}

/** Sends files to a {@link FileWriter} thread over a port, waiting while too much is in flight. */
class PortSink implements FileSink {
  constructor(
    private readonly port: MessagePort | Worker,
    private readonly counters: Int32Array,
  ) {}

  public write(files: SiteFiles): void {
    let chars = 0;
    for (const [, text] of files.files) chars += text.length;
    // Wait (this thread only) until the writer has caught up, so that memory stays bounded.
    const limit = Atomics.load(this.counters, LIMIT);
    let queued = Atomics.load(this.counters, CHARS);
    while (queued > 0 && queued + chars > limit) {
      Atomics.wait(this.counters, CHARS, queued, 50);
      queued = Atomics.load(this.counters, CHARS);
    }
    Atomics.add(this.counters, CHARS, chars);
    Atomics.add(this.counters, BATCHES, 1);
    this.port.postMessage({ files, chars });
  }
}

/** A sink another worker thread can post to: a port of the writer and the shared counters. */
export interface FileSinkHandle {
  /** Port to the writer thread (transfer it to the worker). */
  readonly port: MessagePort;
  /** The writer's shared counters. */
  readonly counters: SharedArrayBuffer;
}

/** Turns a {@link FileSinkHandle} received in a worker thread into a sink. */
export function fileSinkFrom(handle: FileSinkHandle): FileSink {
  return new PortSink(handle.port, new Int32Array(handle.counters));
}

/** Resolves the compiled writer script, or undefined (under ts-jest, before `npm run build`). */
function writerScript(): string | undefined {
  const here = join(__dirname, 'file-writer.js');
  if (existsSync(here)) return here;
  const built = join(__dirname, '..', '..', 'build', 'lib', 'fleet', 'file-writer.js');
  return existsSync(built) ? built : undefined;
}

/**
 * Writes the files of a fleet on a thread of its own, so that folder creation and file writes
 * (kernel time) overlap with synthesis. Senders wait while `maxInFlight` characters are queued.
 * Where the compiled script is missing (tests under ts-jest), files are written in the calling
 * thread instead.
 */
export class FileWriter implements FileSink {
  /** Starts a writer (a thread when the compiled script is there). */
  public static start(options: FileWriterOptions = {}): FileWriter {
    return new FileWriter(writerScript(), options.maxInFlight ?? 64 * 1024 * 1024);
  }

  private readonly counters = new SharedArrayBuffer(12);
  private readonly worker?: Worker;
  private readonly sink?: PortSink;
  private readonly inline = new Map<string, string>();
  private readonly madeDirs = new Set<string>();

  private constructor(script: string | undefined, maxInFlight: number) {
    if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 0x3fffffff) {
      throw new Error(
        `[FileWriter] 'maxInFlight' is not an integer from 1 to 1073741823 (got ${String(maxInFlight)}); pass a number of characters such as 67108864`,
      );
    }
    Atomics.store(new Int32Array(this.counters), LIMIT, maxInFlight);
    if (script) {
      this.worker = new Worker(script, { workerData: { fileWriter: true, counters: this.counters } });
      this.sink = new PortSink(this.worker, new Int32Array(this.counters));
    }
  }

  /** Queues the files of one site. */
  public write(files: SiteFiles): void {
    if (this.sink) {
      this.sink.write(files);
    } else {
      const error = writeFilesSync(files, this.madeDirs);
      if (error) this.inline.set(files.site, error);
    }
  }

  /** A handle a worker thread turns into a sink with {@link fileSinkFrom}; transfer its port. */
  public connect(): FileSinkHandle | undefined {
    if (!this.worker) return undefined;
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ port: port2 }, [port2]);
    return { port: port1, counters: this.counters };
  }

  /**
   * Waits until every queued file is written and stops the thread. Returns the sites whose files
   * could not be written, with the reason.
   */
  public async close(): Promise<Map<string, string>> {
    const worker = this.worker;
    if (!worker) return this.inline;
    try {
      return await new Promise<Map<string, string>>((resolve, reject) => {
        worker.once('message', (msg: { errors: [string, string][] }) => resolve(new Map(msg.errors)));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`file writer exited early with code ${code}`)));
        worker.postMessage({ close: true });
      });
    } finally {
      await worker.terminate();
    }
  }
}

if (!isMainThread && parentPort && (workerData as { fileWriter?: boolean })?.fileWriter) {
  const parent = parentPort;
  const counters = new Int32Array((workerData as { counters: SharedArrayBuffer }).counters);
  const errors = new Map<string, string>();
  const madeDirs = new Set<string>();
  let closing = false;
  const finishIfDone = () => {
    if (closing && Atomics.load(counters, BATCHES) === 0) parent.postMessage({ errors: [...errors] });
  };
  const onFiles = (msg: { files: SiteFiles; chars: number }) => {
    try {
      const error = writeFilesSync(msg.files, madeDirs);
      if (error) errors.set(msg.files.site, error);
    } finally {
      // even on an unexpected failure, so that no sender waits forever
      Atomics.sub(counters, CHARS, msg.chars);
      Atomics.sub(counters, BATCHES, 1);
      Atomics.notify(counters, CHARS);
    }
    finishIfDone();
  };
  parent.on('message', (msg: { files?: SiteFiles; chars?: number; port?: MessagePort; close?: boolean }) => {
    if (msg.port) {
      msg.port.on('message', onFiles);
    } else if (msg.close) {
      closing = true;
      finishIfDone();
    } else {
      onFiles(msg as { files: SiteFiles; chars: number });
    }
  });
}
