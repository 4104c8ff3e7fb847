import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import { NOT_SHOWN, show } from '../private/errors';
import { packageRoot } from '../private/package-root';
import { isCredentialKey } from '../private/secret-patterns';

/** The Ignition config spec versions this library writes and checks. */
export type IgnitionSpecVersion = '3.2.0' | '3.3.0' | '3.4.0' | '3.5.0';

/** Every {@link IgnitionSpecVersion}, oldest first. */
export const IGNITION_SPEC_VERSIONS: readonly IgnitionSpecVersion[] = ['3.2.0', '3.3.0', '3.4.0', '3.5.0'];

/** One way an Ignition config breaks the schema of its spec version. */
export interface IgnitionIssue {
  /** JSON pointer to the value at fault (for an unknown field, the object holding it); `''` is the config. */
  readonly path: string;
  /** What is wrong, for example `must be integer (got "0644")` or `unknown field 'shouldExists'`. */
  readonly message: string;
}

type Schema = { readonly [k: string]: unknown };

const validators = new Map<IgnitionSpecVersion, { readonly validate: ValidateFunction; readonly schema: Schema }>();

function compiled(version: IgnitionSpecVersion): { readonly validate: ValidateFunction; readonly schema: Schema } {
  let entry = validators.get(version);
  if (!entry) {
    const file = join(packageRoot(), 'schemas', 'ignition', `v${version.slice(0, 3).replace('.', '_')}.json`);
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema;
    const ajv = new Ajv04({ allErrors: true, strict: false, verbose: true });
    entry = { validate: ajv.compile(schema), schema };
    validators.set(version, entry);
  }
  return entry;
}

/**
 * Checks an Ignition config (as JSON) against the JSON Schema of spec `version`, mirrored from
 * coreos/ignition v2.26.0 into `schemas/ignition/`. Unlike the schema alone, which allows any
 * extra property, fields the spec does not define are reported too, as Ignition refuses them;
 * `ignition.version` must be `version`. Returns every problem, empty when the config is valid.
 */
export function validateIgnition(config: unknown, version: IgnitionSpecVersion): IgnitionIssue[] {
  if (!IGNITION_SPEC_VERSIONS.includes(version)) {
    return [{ path: '', message: `no schema for Ignition spec ${show(version)}` }];
  }
  const { validate, schema } = compiled(version);
  if (!validate(config)) return (validate.errors ?? []).map(describe);
  const issues = unknownFields(config, schema, schema, '');
  const actual = (config as { ignition?: { version?: unknown } }).ignition?.version;
  if (actual !== version)
    issues.push({ path: '/ignition/version', message: `must be "${version}" (got ${show(actual)})` });
  return issues;
}

function describe(e: ErrorObject): IgnitionIssue {
  if (e.keyword === 'required')
    return { path: e.instancePath, message: `missing required field '${e.params.missingProperty}'` };
  const got = sensitivePath(e.instancePath) ? NOT_SHOWN : show(e.data);
  return { path: e.instancePath, message: `${e.message ?? e.keyword} (got ${got})` };
}

/**
 * Whether a value of an Ignition config at `pointer` must not be shown: below a credential-named
 * key (`passwordHash`) or inside a file's contents, which may be anything, keys included.
 */
function sensitivePath(pointer: string): boolean {
  const segments = pointer.split('/').slice(1);
  return segments.some((s) => isCredentialKey(s)) || segments.includes('contents') || segments.includes('append');
}

/** Resolves a local `$ref` (`#/definitions/a/definitions/b`). */
function resolve(node: Schema, root: Schema): Schema {
  let current = node;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 16; hops++) {
    const parts = (current.$ref as string).replace(/^#\/?/, '').split('/').filter(Boolean);
    current = parts.reduce<Schema>((s, p) => (s[p] ?? {}) as Schema, root);
  }
  return current;
}

/** The properties a schema node allows: its own and those of every `allOf` member. */
function propertiesOf(node: Schema, root: Schema): Record<string, Schema> | undefined {
  const own = node.properties as Record<string, Schema> | undefined;
  const parts = ((node.allOf as Schema[] | undefined) ?? []).map((s) => propertiesOf(resolve(s, root), root));
  if (!own && parts.every((p) => p === undefined)) return undefined;
  return Object.assign({}, ...parts.filter(Boolean), own ?? {});
}

function unknownFields(value: unknown, node: Schema, root: Schema, path: string): IgnitionIssue[] {
  const schema = resolve(node, root);
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return items ? value.flatMap((v, i) => unknownFields(v, items, root, `${path}/${i}`)) : [];
  }
  if (value === null || typeof value !== 'object') return [];
  const props = propertiesOf(schema, root);
  if (!props) return [];
  const issues: IgnitionIssue[] = [];
  for (const [key, v] of Object.entries(value)) {
    const sub = props[key];
    if (!sub) issues.push({ path, message: `unknown field '${key}'` });
    else issues.push(...unknownFields(v, sub, root, `${path}/${key}`));
  }
  return issues;
}
