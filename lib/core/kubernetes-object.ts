import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BaremetalValidationError } from '../errors';
import { At, child } from '../private/errors';

/** A Kubernetes object as plain JSON: apiVersion, kind, metadata.name, and JSON values only. */
export type KubernetesObjectJson = Record<string, unknown> & {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string } & Record<string, unknown>;
};

/**
 * `value` as a plain Kubernetes object, for APIs that embed objects in files: a cdk8s
 * `ApiObject` is rendered with its `toJson()` (as it is at this call); a plain object must have a
 * string `apiVersion`, `kind` and `metadata.name` and hold JSON values only (maps, lists,
 * strings, finite numbers, booleans, null; an undefined member is left out). Anything else (a
 * Chart or other construct, a class instance, a function, a cycle) is refused with the reason and
 * the path of the offending member, never its value (it may be a Secret's).
 */
export function toKubernetesObject(value: unknown, where: At): KubernetesObjectJson {
  if (ApiObject.isApiObject(value)) return toKubernetesObject(value.toJson(), where);
  if (Construct.isConstruct(value)) {
    refuse(
      where,
      `is a construct (${value.node.path || value.node.id || 'the app'}), not one Kubernetes object`,
      describe(value),
      'pass ApiObjects or plain objects; for a Chart, pass chart.toJson()',
    );
  }
  if (!isPlainObject(value)) {
    refuse(
      where,
      'is not a Kubernetes object (a plain object)',
      describe(value),
      'pass { apiVersion, kind, metadata: { name } }',
    );
  }
  for (const key of ['apiVersion', 'kind'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') {
      refuse(
        child(where, key),
        'must be a non-empty string',
        describe(value[key]),
        'give every object its apiVersion and kind',
      );
    }
  }
  const metadata = value.metadata;
  if (!isPlainObject(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    refuse(
      child(where, 'metadata.name'),
      'must be a non-empty string',
      describe(isPlainObject(metadata) ? metadata.name : metadata),
      'give every object a name',
    );
  }
  checkJson(value, where, new Set());
  return JSON.parse(JSON.stringify(value)) as KubernetesObjectJson;
}

function checkJson(value: unknown, where: At, path: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || value === undefined) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse(where, 'is not a JSON number', describe(value), 'use a finite number');
    return;
  }
  if (typeof value !== 'object') {
    refuse(where, 'is not a JSON value', describe(value), 'use maps, lists, strings, numbers, booleans or null');
  }
  if (path.has(value))
    refuse(where, 'refers back to an object that contains it', 'a cycle', 'pass a tree of plain values');
  if (Array.isArray(value)) {
    path.add(value);
    value.forEach((v, i) => checkJson(v, child(where, i), path));
    path.delete(value);
    return;
  }
  if (!isPlainObject(value)) {
    refuse(where, 'is not a JSON value', describe(value), 'use maps, lists, strings, numbers, booleans or null');
  }
  path.add(value);
  for (const [k, v] of Object.entries(value)) checkJson(v, child(where, k), path);
  path.delete(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** What a value is, without its content. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return isPlainObject(value) ? 'a map' : `an instance of ${name || 'a class'}`;
  }
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return typeof value === 'number' ? String(value) : typeof value;
}

/** Throws the library's error with `got` as written (a description, never a value). */
function refuse(where: At, problem: string, got: string, fix: string): never {
  throw new BaremetalValidationError(where.path, where.prop, problem, got, fix);
}
