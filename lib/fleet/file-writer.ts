// The file writer of synthesizeFleet: a thread of its own that creates folders and writes files
// while the synthesizing threads build the next sites. On this project's machines creating a
// file costs 0.1-0.3 ms of kernel time: a quarter to a third of a fleet's CPU time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMainThread, MessageChannel, MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import { compiledScript } from '../private/package-root';
import { describeFsError } from './fleet-output';

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
  /** Sends what is queued on to the writer; call before reporting the sites as done. */
  flush(): void;
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

/** Characters a sender gathers before posting them as one message (one message per site costs more). */
const MESSAGE_CHARS = 256 * 1024;
// Shared counters: [characters queued, messages queued, the limit].
const CHARS = 0;
const MESSAGES = 1;
const LIMIT = 2;

/** Writes the files of one site in the calling thread; returns the error message (path, code, what to do), if any. */
export function writeFilesSync(files: SiteFiles, madeDirs?: Set<string>): string | undefined {
  let current = '';
  try {
    for (const [path, text] of files.files) {
      const dir = dirname(path);
      if (!madeDirs?.has(dir)) {
        current = dir;
        mkdirSync(dir, { recursive: true });
        madeDirs?.add(dir);
      }
      current = path;
      writeFileSync(path, text);
    }
    return undefined;
  } catch (err) {
    return `the site's files: ${describeFsError(err, current)}`;
  }
}

/** One message to the writer thread: the files of several sites. */
interface FilesMessage {
  readonly sites: SiteFiles[];
  readonly chars: number;
}

/**
 * Sends files to a {@link FileWriter} thread over a port, several sites per message, and waits
 * (this thread only) while the writer is `maxInFlight` characters behind, so memory stays bounded.
 */
class PortSink implements FileSink {
  private pending: SiteFiles[] = [];
  private pendingChars = 0;

  constructor(
    private readonly port: MessagePort | Worker,
    private readonly counters: Int32Array,
  ) {}

  public write(files: SiteFiles): void {
    this.pending.push(files);
    for (const [, text] of files.files) this.pendingChars += text.length;
    if (this.pendingChars >= MESSAGE_CHARS) this.flush();
  }

  public flush(): void {
    if (this.pending.length === 0) return;
    const message: FilesMessage = { sites: this.pending, chars: this.pendingChars };
    this.pending = [];
    this.pendingChars = 0;
    const limit = Atomics.load(this.counters, LIMIT);
    let queued = Atomics.load(this.counters, CHARS);
    while (queued > 0 && queued + message.chars > limit) {
      Atomics.wait(this.counters, CHARS, queued, 50);
      queued = Atomics.load(this.counters, CHARS);
    }
    Atomics.add(this.counters, CHARS, message.chars);
    Atomics.add(this.counters, MESSAGES, 1);
    this.port.postMessage(message);
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

/**
 * Writes the files of a fleet on a thread of its own, so that folder creation and file writes
 * (kernel time) overlap with synthesis. Senders wait while `maxInFlight` characters are queued.
 * Where the compiled script is missing (tests under ts-jest), files are written in the calling
 * thread instead.
 */
export class FileWriter implements FileSink {
  /** Starts a writer (a thread when the compiled script is there). */
  public static start(options: FileWriterOptions = {}): FileWriter {
    return new FileWriter(compiledScript(__dirname, 'file-writer.js'), options.maxInFlight ?? 64 * 1024 * 1024);
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

  /** Sends what this thread queued on to the writer. */
  public flush(): void {
    this.sink?.flush();
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
    this.flush();
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
    if (closing && Atomics.load(counters, MESSAGES) === 0) parent.postMessage({ errors: [...errors] });
  };
  const onFiles = (msg: FilesMessage) => {
    try {
      for (const site of msg.sites) {
        const error = writeFilesSync(site, madeDirs);
        if (error) errors.set(site.site, error);
      }
    } finally {
      // even on an unexpected failure, so that no sender waits forever
      Atomics.sub(counters, CHARS, msg.chars);
      Atomics.sub(counters, MESSAGES, 1);
      Atomics.notify(counters, CHARS);
    }
    finishIfDone();
  };
  parent.on('message', (msg: FilesMessage | { port: MessagePort } | { close: true }) => {
    if ('port' in msg) {
      msg.port.on('message', onFiles);
    } else if ('close' in msg) {
      closing = true;
      finishIfDone();
    } else {
      onFiles(msg);
    }
  });
}
