import { Document, isScalar, Scalar, visit } from 'yaml';
import type { Tags } from 'yaml';

/**
 * The options cdk8s passes to the yaml package in `Yaml.stringify` (cdk8s 2.70): keep undefined
 * values, never fold lines, YAML 1.1 schema (so that `yes`, `on`, `0755` and sexagesimal numbers
 * are quoted).
 */
export const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/** Options of {@link stringifyManifest} beyond cdk8s's defaults. */
export interface YamlWriterOptions {
  /**
   * YAML version of the output's layout. `1.1` is what cdk8s writes
   * (`yaml.stringify(doc, CDK8S_YAML_OPTIONS)`: undefined values kept); `1.2` is the yaml
   * package's default (`new Document(doc).toString({ lineWidth: 0 })`: undefined values dropped),
   * as files placed on hosts (nmstate, Butane, RKE2 manifests) are written. Either way every
   * string that YAML 1.1 or YAML 1.2 would read as something else (`on`, `y`, `no`, `1_000`,
   * `1:30`, `0o17`, `017`, `.inf`, `2001-12-14`, `~`, `<<`) is quoted, so the text reads back
   * the same under both (Kubernetes reads YAML 1.1, Kustomize and nmstate YAML 1.2).
   * @default '1.1'
   */
  readonly version?: '1.1' | '1.2';
  /**
   * A line comment for the number or boolean value of a map key, e.g. the octal form of a file
   * mode: `mode: 420 # 0644`. Return undefined for no comment.
   * @default - no comments
   */
  readonly comment?: (key: string, value: number | boolean) => string | undefined;
}

/**
 * Renders Kubernetes objects as a multi-document YAML string, as cdk8s's `Yaml.stringify(...docs)`
 * does (documents joined by `---`), but several times faster. It is byte for byte the same but
 * for strings that cdk8s leaves plain although a YAML reader takes them for something else: the
 * YAML 1.2 octal `0o17` (an integer to Kustomize and to go-yaml v2 built with Go 1.13 or later)
 * and the YAML 1.1 merge key `<<`; this writer quotes them (see {@link YamlWriterOptions.version}).
 *
 * The yaml package builds a node tree for every document before printing it; for the plain JSON
 * that `ApiObject.toJson()` returns (maps, lists, strings, finite numbers, booleans) this writer
 * prints directly, deciding each string's style with the yaml package's own rules and schema
 * tests (ported from yaml 2.x `stringifyString`, ISC licence, for `lineWidth: 0`). A document
 * holding anything else (null, undefined, a non-plain object, a top-level scalar, a key longer
 * than 1024 characters) is handed to the yaml package itself, so the output never differs.
 */
export function stringifyManifests(docs: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) out += '---\n';
    out += docs[i] === undefined ? '\n' : stringifyManifest(docs[i]);
  }
  return out;
}

/**
 * One document, as `yaml.stringify(doc, CDK8S_YAML_OPTIONS)`, or with `version: '1.2'` as
 * `new Document(doc).toString({ lineWidth: 0 })`, with every string that either YAML version
 * reads as another type quoted; see {@link stringifyManifests}.
 */
export function stringifyManifest(doc: unknown, options: YamlWriterOptions = {}): string {
  const context = writerContext(options);
  if (isPlainObject(doc) || Array.isArray(doc)) {
    try {
      return `${collection(doc, '', context)}\n`;
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
    }
  }
  const document =
    context.version === '1.1'
      ? new Document(doc, { ...CDK8S_YAML_OPTIONS, customTags: withoutMerge })
      : new Document(doc, { version: '1.2' });
  quoteAmbiguousStrings(document);
  const comment = options.comment;
  if (comment) {
    visit(document, {
      Pair(_, pair) {
        if (!isScalar(pair.key) || typeof pair.key.value !== 'string' || !isScalar(pair.value)) return;
        const value = pair.value.value;
        if (typeof value !== 'number' && typeof value !== 'boolean') return;
        const text = comment(pair.key.value, value);
        if (text !== undefined) pair.value.comment = ` ${text}`;
      },
    });
  }
  return document.toString({ lineWidth: 0 });
}

/**
 * Whether a YAML 1.1 or YAML 1.2 reader (the yaml package's schemas, which cover go-yaml v2's
 * booleans, integers with `_`, sexagesimal numbers, octals, floats, timestamps and nulls) would
 * read `value`, written plain, as anything but this string; or it is the merge key `<<`.
 */
export function isAmbiguousString(value: string): boolean {
  if (value === '<<') return true;
  if (value !== '' && !MAYBE_TAGGED.test(value)) return false;
  return ambiguityTests().some((t) => t.test.test(value));
}

/**
 * Marks every string scalar of a yaml `Document` that {@link isAmbiguousString} to be written
 * double-quoted, so that YAML 1.1 and 1.2 readers both read it back as the same string. For a
 * YAML 1.1 document, create it with `customTags` {@link withoutMerge} too, or `<<` stays plain.
 */
export function quoteAmbiguousStrings(document: Document): void {
  visit(document, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && isAmbiguousString(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
}

/** A yaml `customTags` option that drops the YAML 1.1 merge tag, which prints `<<` bare. */
export function withoutMerge(tags: Tags): Tags {
  return tags.filter((t) => (typeof t === 'string' ? t !== 'merge' : t.tag !== 'tag:yaml.org,2002:merge'));
}

let unionTests: readonly TagTest[] | undefined;

/** The tag tests of YAML 1.1 and YAML 1.2 together. */
function ambiguityTests(): readonly TagTest[] {
  return (unionTests ??= [...tagTests('1.1'), ...tagTests('1.2')]);
}

interface WriterContext {
  readonly version: '1.1' | '1.2';
  readonly tests: readonly TagTest[];
  readonly comment?: (key: string, value: number | boolean) => string | undefined;
}

function writerContext(options: YamlWriterOptions): WriterContext {
  const version = options.version ?? '1.1';
  if (version !== '1.1' && version !== '1.2') {
    throw new Error(
      `[stringifyManifest] 'version' is not a YAML version (got ${JSON.stringify(version)}); use '1.1' or '1.2'`,
    );
  }
  return { version, tests: ambiguityTests(), comment: options.comment };
}

/** Thrown inside the fast path for a value it leaves to the yaml package. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported('unsupported value');

const INDENT_STEP = '  ';
const MIN_MULTI_LINE_LENGTH = 40; // yaml's doubleQuotedMinMultiLineLength default

interface TagTest {
  readonly test: RegExp;
}

const schemaTests = new Map<string, readonly TagTest[]>();

/** The tests of every default, non-string tag of a YAML version's schema (bool, null, int, float, …). */
function tagTests(version: '1.1' | '1.2'): readonly TagTest[] {
  let tests = schemaTests.get(version);
  if (!tests) {
    const schema = new Document(null, { version }).schema;
    tests = [...schema.tags, ...(schema.compat ?? [])].filter(
      (t): t is typeof t & TagTest => !!t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp,
    );
    schemaTests.set(version, tests);
  }
  return tests;
}

// Every YAML 1.1 and 1.2 tag test above needs its first character in this set, or an empty string.
const MAYBE_TAGGED = /^[-+0-9.eE~<yYnNtTfFoO]/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A map or list; `indent` is the indentation of its items' lines (after the first). */
function collection(value: Record<string, unknown> | unknown[], indent: string, context: WriterContext): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const itemIndent = indent + INDENT_STEP;
    let out = '';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += `\n${indent}`;
      out += `- ${node(value[i], itemIndent, context)}`;
    }
    return out;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  const pairIndent = indent + INDENT_STEP;
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += `\n${indent}`;
    const key = keys[i];
    const keyStr = scalarString(key, pairIndent, true, context.tests);
    if (keyStr.length > 1024) throw UNSUPPORTED; // yaml switches to an explicit `? key`
    const item = value[key];
    if (Array.isArray(item) || isPlainObject(item)) {
      const empty = Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0;
      out += empty
        ? `${keyStr}: ${collection(item, pairIndent, context)}`
        : `${keyStr}:\n${pairIndent}${collection(item, pairIndent, context)}`;
    } else {
      out += `${keyStr}: ${scalar(item, pairIndent, context.tests)}`;
      if (context.comment && (typeof item === 'number' || typeof item === 'boolean')) {
        const text = context.comment(key, item);
        if (text !== undefined) {
          // yaml prints a comment line by line; one line after a value is all this path writes
          if (/[\r\n\u2028\u2029]/.test(text)) throw UNSUPPORTED;
          out += ` ${` ${text}`.replace(/^(?!$)(?: $)?/, '#')}`; // yaml's commentString
        }
      }
    }
  }
  return out;
}

/** A list item. */
function node(value: unknown, indent: string, context: WriterContext): string {
  return Array.isArray(value) || isPlainObject(value)
    ? collection(value, indent, context)
    : scalar(value, indent, context.tests);
}

function scalar(value: unknown, indent: string, tests: readonly TagTest[]): string {
  switch (typeof value) {
    case 'string':
      return scalarString(value, indent, false, tests);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw UNSUPPORTED;
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    default:
      // null, undefined (yaml prints maps of nulls as sets), bigint, symbols, functions
      throw UNSUPPORTED;
  }
}

// ---------------------------------------------------------------------------------------------
// Strings: yaml 2.x stringifyString for block context, lineWidth 0 (no folding), no comments.

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u; // eslint-disable-line no-control-regex
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
// yaml's blockEndNewlines: newline runs not at the end of the string
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

function scalarString(value: string, indent: string, implicitKey: boolean, tests: readonly TagTest[]): string {
  // '<<' is the YAML 1.1 merge key: yaml (and cdk8s) print it bare, which go-yaml v2 merges.
  if (value === '<<') return doubleQuoted(value, indent, implicitKey);
  if (CONTROL.test(value)) return doubleQuoted(value, indent, implicitKey);
  return plain(value, indent, implicitKey, tests);
}

function plain(value: string, indent: string, implicitKey: boolean, tests: readonly TagTest[]): string {
  const multiLine = value.includes('\n');
  if (implicitKey && multiLine) return quoted(value, indent, implicitKey);
  if (NOT_PLAIN.test(value)) {
    return implicitKey || !multiLine ? quoted(value, indent, implicitKey) : block(value, indent, implicitKey);
  }
  if (!implicitKey && multiLine) return block(value, indent, implicitKey);
  // indent is never empty here: every scalar this writer prints is inside a map or list
  if (implicitKey && indent === INDENT_STEP && DOCUMENT_MARKER.test(value)) return quoted(value, indent, implicitKey);
  if (value === '' || MAYBE_TAGGED.test(value)) {
    for (const tag of tests) {
      if (tag.test.test(value)) return quoted(value, indent, implicitKey);
    }
  }
  return value;
}

function quoted(value: string, indent: string, implicitKey: boolean): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle ? singleQuoted(value, indent, implicitKey) : doubleQuoted(value, indent, implicitKey);
}

function singleQuoted(value: string, indent: string, implicitKey: boolean): string {
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) {
    return doubleQuoted(value, indent, implicitKey);
  }
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`)}'`;
}

const NAMED_ESCAPES: Record<string, string> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};

function doubleQuoted(value: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  let str = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // a space before a newline is escaped so that it is not folded away
      str += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch === '\\') {
      switch (json[i + 1]) {
        case 'u': {
          str += json.slice(start, i);
          const code = json.substr(i + 2, 4);
          str += NAMED_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.substr(2)}` : json.substr(i, 6));
          i += 5;
          start = i + 1;
          break;
        }
        case 'n':
          if (implicitKey || json[i + 2] === '"' || json.length < MIN_MULTI_LINE_LENGTH) {
            i += 1;
          } else {
            // folding eats the first newline
            str += `${json.slice(start, i)}\n\n`;
            while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
              str += '\n';
              i += 2;
            }
            str += indent;
            if (json[i + 2] === ' ') str += '\\';
            i += 1;
            start = i + 1;
          }
          break;
        default:
          i += 1;
      }
    }
  }
  return start ? str + json.slice(start) : json;
}

function block(input: string, indent: string, implicitKey: boolean): string {
  // A block cannot end in whitespace unless its last line is not empty.
  if (/\n[\t ]+$/.test(input)) return quoted(input, indent, implicitKey);
  let value = input;
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf('\n');
  let chomp: string;
  if (endNlPos === -1) chomp = '-';
  else if (value === end || endNlPos !== end.length - 1) chomp = '+';
  else chomp = '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}
