import { IConstruct } from 'constructs';
import { BaremetalValidationError } from '../errors';
import { holdsSecret } from './secret-patterns';

/** Where a value came from: the construct path (or factory name) and the prop that holds it. */
export interface At {
  readonly path: string;
  readonly prop: string;
}

/** The place of `prop` on construct `scope`. */
export function at(scope: IConstruct, prop: string): At {
  return { path: scope.node.path || '<root>', prop };
}

/** The same place, one level deeper: `host` → `host.bmc`. */
export function child(where: At, prop: string | number): At {
  const sep = typeof prop === 'number' ? '' : '.';
  const key = typeof prop === 'number' ? `[${prop}]` : prop;
  return { path: where.path, prop: `${where.prop}${sep}${key}` };
}

/** Marks a value that must not be shown, such as a password. */
export class Redacted {
  public toString(): string {
    return '<redacted>';
  }
}

/** A value to print in place of a secret. */
export function redacted(): Redacted {
  return new Redacted();
}

/** What a message says in place of a value that holds secret material. */
export const NOT_SHOWN = 'a value not shown as it may be secret';

function holdsSecretSafely(value: unknown): boolean {
  try {
    return holdsSecret(value);
  } catch {
    return false; // a proxy or getter that throws: shown as its type below
  }
}

/**
 * Renders a user value for an error message: short, single line, never a secret (a value that
 * holds a private key, registry credentials, a URL with credentials or a credential-named key is
 * not shown at all).
 */
export function show(value: unknown): string {
  if (value instanceof Redacted) return value.toString();
  if (value === undefined) return 'undefined';
  if (holdsSecretSafely(value)) return NOT_SHOWN;
  // JSON-quoted, runs of spaces kept and other white space escaped, so that 'a  b' shows as "a  b"
  if (typeof value === 'string') return truncate(JSON.stringify(value).replace(/[^\S ]/g, unicodeEscape), false);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  try {
    return truncate(JSON.stringify(value) ?? String(value));
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function truncate(text: string, collapse = true): string {
  const oneLine = collapse ? text.replace(/\s+/g, ' ') : text;
  return oneLine.length > 100 ? `${oneLine.slice(0, 97)}...` : oneLine;
}

/** Throws the library's error for the value at `where`. */
export function fail(where: At, problem: string, got: unknown, fix: string): never {
  throw new BaremetalValidationError(where.path, where.prop, problem, show(got), fix);
}

/** Checks that `value` is a string; returns it typed. */
export function expectString(value: unknown, where: At, fix = 'pass a string'): string {
  if (typeof value !== 'string') fail(where, 'must be a string', value, fix);
  return value;
}

/** Checks that `value` is a non-empty string; returns it typed. */
export function expectNonEmptyString(value: unknown, where: At, fix = 'pass a non-empty string'): string {
  const s = expectString(value, where, fix);
  if (s.length === 0) fail(where, 'must not be empty', value, fix);
  return s;
}

/** Checks that `value` is an integer within [min, max]. */
export function expectInteger(value: unknown, where: At, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(where, `must be an integer from ${min} to ${max}`, value, `pass a whole number between ${min} and ${max}`);
  }
  return value;
}

/** Checks that `value` is a boolean, when given. */
export function expectOptionalBoolean(value: unknown, where: At): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail(where, 'must be true or false', value, 'pass a boolean');
  return value as boolean | undefined;
}

/** Checks that `value` is an array; returns it typed. */
export function expectArray<T>(value: unknown, where: At, fix = 'pass a list'): readonly T[] {
  if (!Array.isArray(value)) fail(where, 'must be a list', value, fix);
  return value as T[];
}

/** Checks that `value` is a plain object; returns it typed. */
export function expectObject<T extends object>(value: unknown, where: At, fix = 'pass an object'): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, 'must be an object', value, fix);
  return value as T;
}
