import { isIP } from 'node:net';
import { Environment } from '@marcbachmann/cel-js';
import { Cidr } from '../net/cidr';
import { IpAddress } from '../net/ip-address';

/**
 * A `x-kubernetes-validations` rule of a shipped schema. Rules are written in CEL; the schema
 * validator lists them per kind and {@link evaluateCelRules} evaluates them.
 */
export interface CelRule {
  /**
   * Where the rule applies: a JSON pointer into the object in which `*` stands for every item of
   * a list or every value of a map, for example `/spec/platform/agent` or `/spec/services/*`.
   * `''` is the object itself.
   */
  readonly path: string;
  /** The CEL expression, evaluated with `self` bound to the value at `path`. */
  readonly rule: string;
  /** Message when the rule fails. @default - derived from the rule by the API server */
  readonly message?: string;
  /** CEL expression that yields the message. @default - `message` is used */
  readonly messageExpression?: string;
  /** Machine-readable reason, such as `FieldValueInvalid`. @default - `FieldValueInvalid` */
  readonly reason?: string;
  /** Field path, relative to `path`, reported when the rule fails. @default - `path` itself */
  readonly fieldPath?: string;
  /** Whether the rule is evaluated on create, with `oldSelf` unset. @default false */
  readonly optionalOldSelf?: boolean;
}

/** The outcome of evaluating the CEL rules of one object. */
export interface CelResult {
  /** Rules that evaluated to false: the API server would refuse the object. */
  readonly failures: { readonly path: string; readonly rule: string; readonly message: string }[];
  /** Rules evaluated. */
  readonly evaluated: number;
  /**
   * Rules not evaluated: transition rules (they need the stored object, `oldSelf`) and rules
   * that use a function this evaluator lacks. Counted so that a report can say so.
   */
  readonly skipped: number;
}

type Program = (vars: Record<string, unknown>) => unknown;

/** CEL values for the Kubernetes `ip()` / `cidr()` / `url()` libraries. */
class CelIp {
  constructor(readonly ip: IpAddress) {}
}
class CelCidr {
  constructor(readonly cidr: Cidr) {}
}
class CelUrl {
  constructor(readonly url: URL) {}
}

let environment: Environment | undefined;

/**
 * A CEL environment with the Kubernetes extension libraries the shipped CRDs use: strings
 * (`split`, `lowerAscii`), regex (`find`), IP and CIDR (`isIP`, `ip`, `family`, `isCIDR`, `cidr`,
 * `prefixLength`), and URL (`isURL`, `url`, `getScheme`, `getHost`, `getQuery`).
 */
function env(): Environment {
  if (environment) return environment;
  const e = new Environment({
    unlistedVariablesAreDyn: true,
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
  });
  // Functions the library already has (it grows with each release) are kept as they are.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const define = (signature: string, handler: (...args: any[]) => unknown) => {
    try {
      e.registerFunction(signature, handler);
    } catch (err) {
      if (!/overlaps with existing overload|already/i.test((err as Error).message)) throw err;
    }
  };
  e.registerType('net.IP', CelIp);
  e.registerType('net.CIDR', CelCidr);
  e.registerType('net.URL', CelUrl);
  define('string.split(string): list<string>', (s: string, sep: string) => s.split(sep));
  define('string.split(string, int): list<string>', (s: string, sep: string, n: bigint) => {
    // Go's strings.SplitN: n < 0 all parts, n == 0 none, else at most n parts.
    if (n === 0n) return [];
    const parts = s.split(sep);
    return n < 0n || parts.length <= Number(n)
      ? parts
      : [...parts.slice(0, Number(n) - 1), parts.slice(Number(n) - 1).join(sep)];
  });
  define('string.lowerAscii(): string', (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()));
  define('string.find(string): string', (s: string, re: string) => new RegExp(re).exec(s)?.[0] ?? '');
  define('isIP(string): bool', (s: string) => IpAddress.isValid(s));
  define('ip(string): net.IP', (s: string) => new CelIp(IpAddress.parse(s)));
  define('net.IP.family(): int', (ip: CelIp) => (ip.ip.family === 'ipv4' ? 4n : 6n));
  define('isCIDR(string): bool', (s: string) => isCidrText(s));
  define('cidr(string): net.CIDR', (s: string) => new CelCidr(parseCidrText(s)));
  define('net.CIDR.prefixLength(): int', (c: CelCidr) => BigInt(c.cidr.prefixLength));
  define('net.CIDR.ip(): net.IP', (c: CelCidr) => new CelIp(c.cidr.network));
  define('isURL(string): bool', (s: string) => URL.canParse(s));
  define('url(string): net.URL', (s: string) => new CelUrl(new URL(s)));
  define('net.URL.getScheme(): string', (u: CelUrl) => u.url.protocol.replace(/:$/, ''));
  define('net.URL.getHost(): string', (u: CelUrl) => u.url.host);
  define('net.URL.getHostname(): string', (u: CelUrl) => u.url.hostname.replace(/^\[|\]$/g, ''));
  define('net.URL.getEscapedPath(): string', (u: CelUrl) => u.url.pathname);
  define('net.URL.getQuery(): map<string, list<string>>', (u: CelUrl) => {
    const out = new Map<string, string[]>();
    for (const [k, v] of u.url.searchParams) out.set(k, [...(out.get(k) ?? []), v]);
    return out;
  });
  environment = e;
  return e;
}

/** Kubernetes `isCIDR` accepts a network or an interface address with its prefix (`10.0.0.1/8`). */
function isCidrText(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0 || isIP(s.slice(0, slash)) === 0 || !/^\d{1,3}$/.test(s.slice(slash + 1))) return false;
  const prefix = Number(s.slice(slash + 1));
  return prefix <= (isIP(s.slice(0, slash)) === 4 ? 32 : 128);
}

function parseCidrText(s: string): Cidr {
  const slash = s.indexOf('/');
  return Cidr.fromAddress(s.slice(0, slash), Number(s.slice(slash + 1)));
}

const programs = new Map<string, Program | null>();

function program(rule: string): Program | null {
  if (!programs.has(rule)) {
    let compiled: Program | null;
    try {
      compiled = env().parse(rule) as unknown as Program;
    } catch {
      compiled = null; // a function or syntax this evaluator lacks: the rule is skipped
    }
    programs.set(rule, compiled);
  }
  return programs.get(rule)!;
}

/** Whether this evaluator can compile `rule` (transition rules on `oldSelf` excepted). */
export function celRuleSupported(rule: string): boolean {
  return !/\boldSelf\b/.test(rule) && program(rule) !== null;
}

/** JSON → CEL values: whole numbers are CEL ints (as the API server decodes integer fields). */
function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

/** Values at a rule path (`/spec/items/*`); `*` expands over list items and map values. */
function valuesAt(root: unknown, path: string): { path: string; value: unknown }[] {
  let current: { path: string; value: unknown }[] = [{ path: '', value: root }];
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const next: { path: string; value: unknown }[] = [];
    for (const { path: p, value } of current) {
      if (value === null || typeof value !== 'object') continue;
      if (key === '*') {
        const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
        for (const [k, v] of entries) next.push({ path: `${p}/${k}`, value: v });
      } else if (!Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, key)) {
        next.push({ path: `${p}/${raw}`, value: (value as Record<string, unknown>)[key] });
      }
    }
    current = next;
  }
  return current;
}

/**
 * Evaluates `rules` (from `celRulesFor`) against `manifest` as the API server does on create:
 * each rule with `self` bound to every value at its path that is present. Transition rules
 * (`oldSelf`) and rules using functions this evaluator lacks are skipped and counted; a rule
 * that fails at run time on data (a missing key) is counted as failed, as the API server does.
 */
export function evaluateCelRules(manifest: unknown, rules: readonly CelRule[]): CelResult {
  const failures: { path: string; rule: string; message: string }[] = [];
  let evaluated = 0;
  let skipped = 0;
  for (const rule of rules) {
    if (/\boldSelf\b/.test(rule.rule)) {
      skipped++;
      continue;
    }
    const prog = program(rule.rule);
    if (!prog) {
      skipped++;
      continue;
    }
    for (const { path, value } of valuesAt(manifest, rule.path)) {
      let ok: unknown;
      try {
        ok = prog({ self: toCel(value) });
      } catch (err) {
        const text = (err as Error).message ?? '';
        if (/no such (overload|function)|unknown function|not supported|found no matching overload/i.test(text)) {
          skipped++;
          break;
        }
        ok = false;
      }
      evaluated++;
      if (ok !== true) {
        failures.push({
          path: path + (rule.fieldPath ? rule.fieldPath.replace(/^\./, '/').replace(/\./g, '/') : ''),
          rule: rule.rule,
          message: rule.message ?? `failed rule: ${rule.rule}`,
        });
      }
    }
  }
  return { failures, evaluated, skipped };
}
