import { ErrorObject } from 'ajv';
import { show } from '../private/errors';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, LABEL_VALUE, QUALIFIED_NAME, QUANTITY } from './k8s-formats';

// ajv errors → human messages

type Schema = Record<string, unknown>;

/** Human names of the patterns that recur, used in messages in place of the expression. */
export const PATTERN_NAMES: Record<string, string> = {
  [DNS1123_SUBDOMAIN]:
    "a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)",
  [DNS1123_LABEL]: "a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)",
  [LABEL_VALUE]: "a label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
  [QUALIFIED_NAME]: "a qualified name ([dns-subdomain/]name, the name of letters, digits, '-', '_' and '.')",
  [QUANTITY]: 'a Kubernetes quantity such as 500m, 8Gi or 1.5',
};

/** What a format means, for messages. */
const FORMAT_NAMES: Record<string, string> = {
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  byte: 'base64-encoded data',
  datetime: 'an RFC 3339 date-time',
  date: 'a date (YYYY-MM-DD)',
  uri: 'an absolute URI',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  cidr: 'a CIDR (address/prefix length)',
  mac: 'a MAC address',
  duration: "a duration such as '30s' or '1h30m'",
  k8sshortname: PATTERN_NAMES[DNS1123_LABEL],
  k8slongname: PATTERN_NAMES[DNS1123_SUBDOMAIN],
  k8sipsloppy: 'an IP address',
};

/** One problem, as a JSON pointer into the object and a message. */
export interface Described {
  readonly path: string;
  readonly message: string;
}

/**
 * Whether the value at a JSON pointer must not be shown in a message (it may be secret).
 * @param path JSON pointer into the checked object
 * @param value the value there
 */
export type HideValue = (path: string, value: unknown) => boolean;

/** Values longer than this (as JSON) are described, not shown. */
const MAX_SHOWN = 64;

/**
 * How a value at fault is shown in a message: short values as JSON; long ones by their type and
 * size (a long value is more likely to be a key, a certificate or a config than a typo); values
 * `hide` says may be secret, not at all.
 */
export function shownValue(path: string, value: unknown, hide: HideValue = () => false): string {
  if (hide(path, value)) return 'a value not shown as it may be secret';
  const text = show(value);
  if (text.length <= MAX_SHOWN) return text;
  if (typeof value === 'string') return `a string of ${[...value].length} characters`;
  if (Array.isArray(value)) return `a list of ${value.length} items`;
  if (isPlainObject(value)) return `an object with ${Object.keys(value).length} fields`;
  return typeof value;
}

/**
 * One message per problem: the errors of the branches of an anyOf/oneOf are folded into one.
 * Values at fault are shown only when short and when `hide` allows.
 */
export function describeErrors(errors: readonly ErrorObject[], hide: HideValue = () => false): Described[] {
  // Errors of the branches of a failed anyOf/oneOf come before it, under its schema path: fold
  // them into one message per alternative group, outermost first.
  const groups = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  const consumed = new Set<ErrorObject>();
  const folded = new Map<ErrorObject, Described>();
  for (const group of groups) {
    if (consumed.has(group)) continue;
    const prefix = `${group.schemaPath}/`;
    const branches = new Map<string, Described[]>();
    for (const e of errors) {
      if (e === group || !e.schemaPath.startsWith(prefix)) continue;
      consumed.add(e);
      if (e.keyword === 'propertyNames' || e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0];
      const d = describe(e, hide);
      const relative = d.path.startsWith(group.instancePath) ? d.path.slice(group.instancePath.length) : d.path;
      const list = branches.get(branch) ?? [];
      list.push({ path: group.instancePath, message: relative ? `'${relative}' ${d.message}` : d.message });
      branches.set(branch, list);
    }
    const passing = (group.params as { passingSchemas?: number[] | null }).passingSchemas;
    const message =
      group.keyword === 'oneOf' && Array.isArray(passing)
        ? `must match exactly one of ${(group.schema as unknown[]).length} alternatives (matches ${passing.join(' and ')})`
        : `must satisfy one of: ${[...branches.values()].map((msgs) => msgs.map((m) => m.message).join(' and ')).join('; or ')}`;
    folded.set(group, { path: group.instancePath, message });
  }

  const out: Described[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (consumed.has(e) || e.keyword === 'propertyNames') continue;
    const d = folded.get(e) ?? describe(e, hide);
    const key = `${d.path}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

function describe(e: ErrorObject, hide: HideValue): Described {
  const got = ` (got ${shownValue(e.instancePath, e.data, hide)})`;
  const params = e.params as Record<string, unknown>;
  const key = e.propertyName !== undefined ? `key '${e.propertyName}' ` : '';
  const path = e.instancePath;
  switch (e.keyword) {
    case 'type': {
      const types = Array.isArray(e.schema) ? (e.schema as string[]) : [String(e.schema)];
      return { path, message: `must be ${types.join(' or ')}${got}` };
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((e.parentSchema?.properties as Schema | undefined) ?? {});
      const guess = closest(field, known);
      const hint = guess ? `; did you mean '${guess}'?` : known.length === 0 ? '; this object takes no fields' : '';
      return { path, message: `unknown field '${field}'${hint}` };
    }
    case 'required':
      return { path, message: `missing required field '${String(params.missingProperty)}'` };
    case 'enum': {
      const allowed = (e.schema as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { path, message: `must be one of ${allowed}${got}` };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(e.schema)}${got}` };
    case 'pattern': {
      const pattern = String(e.schema);
      const what = PATTERN_NAMES[pattern] ? `be ${PATTERN_NAMES[pattern]}` : `match /${pattern}/`;
      return { path, message: key ? `${key}must ${what}` : `must ${what}${got}` };
    }
    case 'format': {
      const format = String(e.schema);
      return { path, message: `must be ${FORMAT_NAMES[format] ?? `a valid ${format}`}${got}` };
    }
    case 'minLength':
    case 'maxLength': {
      const length = typeof e.data === 'string' ? [...e.data].length : undefined;
      const bound = e.keyword === 'minLength' ? 'at least' : 'at most';
      return { path, message: `${key}must be ${bound} ${String(e.schema)} characters long (got ${length})` };
    }
    case 'minimum':
      return { path, message: `must be >= ${String(e.schema)}${got}` };
    case 'maximum':
      return { path, message: `must be <= ${String(e.schema)}${got}` };
    case 'exclusiveMinimum':
      return { path, message: `must be > ${String(e.schema)}${got}` };
    case 'exclusiveMaximum':
      return { path, message: `must be < ${String(e.schema)}${got}` };
    case 'multipleOf':
      return { path, message: `must be a multiple of ${String(e.schema)}${got}` };
    case 'minItems':
      return { path, message: `must have at least ${String(e.schema)} items (got ${arrayLength(e.data)})` };
    case 'maxItems':
      return { path, message: `must have at most ${String(e.schema)} items (got ${arrayLength(e.data)})` };
    case 'minProperties':
      return { path, message: `must have at least ${String(e.schema)} fields (got ${fieldCount(e.data)})` };
    case 'maxProperties':
      return { path, message: `must have at most ${String(e.schema)} fields (got ${fieldCount(e.data)})` };
    case 'uniqueItems':
      return {
        path,
        message: `must not repeat a value (items ${Math.min(Number(params.i), Number(params.j))} and ${Math.max(Number(params.i), Number(params.j))} are equal)`,
      };
    case 'not':
      return { path, message: `must not match the excluded form${got}` };
    default:
      return { path, message: `${key}${e.message ?? `fails '${e.keyword}'`}` };
  }
}

function arrayLength(data: unknown): string {
  return Array.isArray(data) ? String(data.length) : typeof data;
}

function fieldCount(data: unknown): string {
  return isPlainObject(data) ? String(Object.keys(data).length) : typeof data;
}

/** The known field a misspelt one most likely meant: same letters ignoring case, or ≤ 2 edits. */
function closest(field: string, known: readonly string[]): string | undefined {
  const lower = field.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(field.length / 3) + 1);
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 4;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
