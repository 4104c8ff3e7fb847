import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, YAMLError } from 'yaml';
import { documentValue } from '../private/yaml-document';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A Kubernetes object read from a file. */
export interface LoadedObject {
  /** File it was read from. */
  readonly file: string;
  /** The object. */
  readonly object: any;
  /**
   * Position of its document in the file, from 1.
   * @default 1
   */
  readonly document?: number;
  /**
   * Line its document starts on, from 1.
   * @default - unknown
   */
  readonly line?: number;
}

/** One problem found in a set of manifests. */
export interface ManifestProblem {
  /** File of the object (or `''` for problems of the whole set). */
  readonly file: string;
  /**
   * Which check found it: `read`, `yaml`, `duplicates`, `schema`, `references`, `secrets`,
   * `metallb` or `embedded`.
   */
  readonly check: string;
  /** What is wrong. Never holds a value of the manifests that could be secret. */
  readonly message: string;
  /**
   * Line in `file` the problem is at, from 1.
   * @default - not tied to a line
   */
  readonly line?: number;
  /**
   * Column in `file` the problem is at, from 1.
   * @default - not tied to a column
   */
  readonly column?: number;
}

/** Where a loaded object is, for messages: `file (document 2, line 14)`. */
export function placeOf(o: LoadedObject): string {
  const parts = [`document ${o.document ?? 1}`, ...(o.line !== undefined ? [`line ${o.line}`] : [])];
  return `${o.file} (${parts.join(', ')})`;
}

/** What each error code of the `yaml` package means, in words that quote nothing from the source. */
const YAML_ERRORS: Record<string, string> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'an alias names no anchor',
  BAD_DIRECTIVE: 'a directive is not valid',
  BAD_DQ_ESCAPE: 'a double-quoted string has an invalid escape sequence',
  BAD_INDENT: 'the indentation is wrong',
  BAD_PROP_ORDER: 'an anchor or tag is misplaced',
  BAD_SCALAR_START: 'a plain value starts with a reserved character',
  BLOCK_AS_IMPLICIT_KEY: 'a mapping is nested in a single-line key or value (a stray ": "?)',
  BLOCK_IN_FLOW: 'a block collection is inside a flow collection',
  DUPLICATE_KEY: 'a mapping repeats a key',
  IMPOSSIBLE: 'the parser reached an impossible state',
  MISSING_CHAR: 'a closing quote, bracket or brace is missing',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines',
  MULTIPLE_ANCHORS: 'a node has two anchors',
  MULTIPLE_DOCS: 'several documents where one is expected',
  MULTIPLE_TAGS: 'a node has two tags',
  NON_STRING_KEY: 'a key is not a string',
  RESOURCE_EXHAUSTION: 'aliases expand beyond any reasonable size (an alias bomb?)',
  TAB_AS_INDENT: 'a tab is used for indentation',
  TAG_RESOLVE_FAILED: 'a value does not fit its tag',
  UNEXPECTED_TOKEN: 'unexpected content',
  BAD_COLLECTION_TYPE: 'a collection does not fit its tag',
};

/**
 * A YAML syntax error as position and kind only: the `yaml` package's message quotes the source
 * line (and tokens of it), which may hold a password.
 */
export function describeYamlError(e: YAMLError): { message: string; line?: number; column?: number } {
  const pos = e.linePos?.[0];
  const what = YAML_ERRORS[e.code] ?? 'not valid YAML';
  if (!pos) return { message: `YAML syntax error: ${what} (${e.code})` };
  return {
    message: `YAML syntax error at line ${pos.line}, column ${pos.col}: ${what} (${e.code})`,
    line: pos.line,
    column: pos.col,
  };
}

/**
 * Why a document has no value, without quoting it: the first line of the `yaml` package's message
 * up to its first colon (an unresolved alias names the alias after it).
 */
function describeValueError(error: string): string {
  return error.split(':')[0].trim();
}

/** Whether `object` is the content of a Rancher Fleet `fleet.yaml` (a mapping without apiVersion and kind). */
function isFleetBundle(file: string, object: unknown): boolean {
  if (!/(^|[\\/])fleet\.ya?ml$/.test(file) || object === null || typeof object !== 'object' || Array.isArray(object))
    return false;
  const o = object as { apiVersion?: unknown; kind?: unknown };
  return o.apiVersion === undefined && o.kind === undefined;
}

/** Why a file's bytes are not YAML text, or `undefined` when they are UTF-8 text. */
function binaryReason(bytes: Buffer): string | undefined {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `not a text file (a NUL byte at offset ${nul}); name YAML files or folders`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'not UTF-8 text; Kubernetes manifests are UTF-8';
  }
  return undefined;
}

/** A file-system error in words, without the raw `Error` text. */
function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist (or is a symbolic link to nothing)';
    case 'ELOOP':
      return 'is a symbolic link loop';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'EISDIR':
      return 'is a folder';
    case 'ENOTDIR':
      return 'is not a folder but is used as one in the path';
    default:
      return `cannot be read (${code ?? 'unknown error'})`;
  }
}

/**
 * Reads every Kubernetes object in `paths`: a file named explicitly is read whatever its name; a
 * folder is walked recursively in sorted order for `.yaml`/`.yml` files (a folder reached twice
 * through symbolic links is read once; a link back to a folder being read is a loop). A path that
 * cannot be read, a file that is not UTF-8 text, and a document that is not valid YAML or not a
 * Kubernetes object are problems with check `read` or `yaml`, which name the file, the line and the
 * kind of error, never the content.
 */
export function loadManifests(paths: readonly string[]): { objects: LoadedObject[]; problems: ManifestProblem[] } {
  const { files, problems } = listManifestFiles(paths);
  const objects: LoadedObject[] = [];
  for (const file of files) {
    const loaded = loadManifestFile(file);
    objects.push(...loaded.objects);
    problems.push(...loaded.problems);
  }
  return { objects, problems };
}

/**
 * The files {@link loadManifests} reads for `paths`, in the order it reads them, and the paths
 * that cannot be read. `listing`, when given, names a folder's entries instead of reading the
 * folder (`name/` a folder, `name` a regular file, `name?` anything else; `undefined` to read it):
 * a file digest index that knows the folder unchanged (see `FileDigests.listing`).
 */
export function listManifestFiles(
  paths: readonly string[],
  listing?: (dir: string) => string[] | undefined,
): { files: string[]; problems: ManifestProblem[] } {
  const problems: ManifestProblem[] = [];
  const files: string[] = [];
  const seenDirs = new Set<string>();
  // `plainReal`: the real path of `p` when it is known to be a folder reached without a symbolic
  // link (its parent's real path and its name), so that neither a stat nor a real-path lookup is
  // needed (a fleet has tens of thousands of folders).
  const walk = (p: string, explicit: boolean, ancestors: readonly string[], plainReal?: string) => {
    let isDir: boolean;
    let real: string;
    if (plainReal !== undefined) {
      isDir = true;
      real = plainReal;
    } else {
      try {
        isDir = statSync(p).isDirectory();
        // Only folders need their real path (for loops).
        real = isDir ? realpathSync(p) : p;
      } catch (err) {
        // A folder only the listing knows (the previous version of an output, see OutputChangeView).
        if (!explicit || listing?.(p) === undefined) {
          problems.push({ file: p, check: 'read', message: readError(err) });
          return;
        }
        isDir = true;
        real = p;
      }
    }
    if (!isDir) {
      if (explicit || /\.ya?ml$/.test(p)) files.push(p);
      return;
    }
    if (ancestors.includes(real)) {
      problems.push({
        file: p,
        check: 'read',
        message: 'is a symbolic link loop (it leads back to a folder it is in)',
      });
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    // Names with their type: a folder, a regular file, or something else (a link) that needs a stat.
    let entries: { name: string; type: 'dir' | 'file' | 'other' }[];
    const known = listing?.(p);
    try {
      entries = (
        known
          ? known.map((n) =>
              n.endsWith('/')
                ? { name: n.slice(0, -1), type: 'dir' as const }
                : n.endsWith('?')
                  ? { name: n.slice(0, -1), type: 'other' as const }
                  : { name: n, type: 'file' as const },
            )
          : readdirSync(p, { withFileTypes: true }).map((e) => ({
              name: e.name,
              type: e.isFile() ? ('file' as const) : e.isDirectory() ? ('dir' as const) : ('other' as const),
            }))
      ).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    } catch (err) {
      problems.push({ file: p, check: 'read', message: readError(err) });
      return;
    }
    const inside = [...ancestors, real];
    for (const e of entries) {
      // A regular file needs no stat (a fleet has tens of thousands); folders and links do.
      if (e.type === 'file') {
        if (/\.ya?ml$/.test(e.name)) files.push(join(p, e.name));
      } else if (e.type === 'dir') walk(join(p, e.name), false, inside, join(real, e.name));
      else walk(join(p, e.name), false, inside);
    }
  };
  for (const p of paths) walk(p, true, []);
  return { files, problems };
}

/**
 * The Kubernetes objects of one file (see {@link loadManifests}), its problems, and its bytes
 * (`undefined` when it cannot be read).
 */
export function loadManifestFile(
  file: string,
  given?: Buffer,
): { objects: LoadedObject[]; problems: ManifestProblem[]; bytes?: Buffer } {
  const objects: LoadedObject[] = [];
  const problems: ManifestProblem[] = [];
  let bytes: Buffer;
  try {
    bytes = given ?? readFileSync(file);
  } catch (err) {
    problems.push({ file, check: 'read', message: readError(err) });
    return { objects, problems };
  }
  const binary = binaryReason(bytes);
  if (binary !== undefined) {
    problems.push({ file, check: 'read', message: binary });
    return { objects, problems, bytes };
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, logLevel: 'error' });
  for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    const document = i + 1;
    const start = doc.contents?.range?.[0] ?? doc.range?.[0];
    const line = start !== undefined ? lineCounter.linePos(start).line : undefined;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push({ file, check: 'yaml', ...describeYamlError(e) });
      continue;
    }
    const { value: object, error } = documentValue<any>(doc);
    if (error !== undefined) {
      problems.push({
        file,
        check: 'yaml',
        message: `document ${document}: ${describeValueError(error)}`,
        ...(line !== undefined ? { line } : {}),
      });
      continue;
    }
    if (object === null || object === undefined) continue;
    // A Rancher Fleet bundle file (fleet.yaml) configures the deployment; it is not applied.
    if (isFleetBundle(file, object)) continue;
    if (typeof object !== 'object' || typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') {
      problems.push({
        file,
        check: 'yaml',
        message: `document ${document} is not a Kubernetes object (no apiVersion/kind)`,
        ...(line !== undefined ? { line } : {}),
      });
      continue;
    }
    if (object.kind === 'Kustomization' && !object.metadata) continue; // kustomization.yaml files
    objects.push({ file, object, document, ...(line !== undefined ? { line } : {}) });
  }
  return { objects, problems, bytes };
}
