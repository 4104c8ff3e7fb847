// What both inventory readers share: problems located by file, line and column, the field
// checks, and the site drafts they fill and turn into SiteDescriptions.
import { BaremetalValidationError } from '../errors';
import { MacAddress } from '../net/mac-address';
import { isDns1123Label, isDns1123Subdomain } from '../net/dns';
import { IpAddress } from '../net/ip-address';
import { Cidr } from '../net/cidr';
import { At, fail } from '../private/errors';
import { MAX_SITE_NAME_LENGTH, SiteDescription, SiteHost, SiteImage, SiteKinds } from './site-description';

/** One problem of an inventory, located by file, line (row) and column. */
export interface InventoryProblem {
  /** Inventory file. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (CSV: the field's position in the row; YAML: the character column). */
  readonly column: number;
  /** CSV column or YAML key at fault. */
  readonly field: string;
  /** What is wrong and what to do. */
  readonly message: string;
}

/** Thrown by {@link loadInventory} with every problem found in the files. */
export class InventoryError extends Error {
  /** The problems, in file order. */
  public readonly problems: readonly InventoryProblem[];

  constructor(problems: readonly InventoryProblem[]) {
    super(
      `the inventory has ${problems.length} problem(s):\n${problems.map((p) => `  ${formatInventoryProblem(p)}`).join('\n')}`,
    );
    this.name = 'InventoryError';
    this.problems = problems;
  }
}

/** `file:line:column 'field' problem`. */
export function formatInventoryProblem(p: InventoryProblem): string {
  return `${p.file}:${p.line}:${p.column} '${p.field}' ${p.message}`;
}

/** A place in an inventory file. */
export type Located = { readonly line: number; readonly column: number };

/** Collects the problems of one file. */
export interface ProblemCollector {
  /** The problems so far, in the order found. */
  readonly list: InventoryProblem[];
  /** Records a problem of `field` at a place. */
  add(where: Located, field: string, message: string): void;
  /** Runs `validate` with an `At` for the field; a thrown validation error becomes a problem. */
  check(where: Located, field: string, validate: (at: At) => void): boolean;
}

/** A collector for the problems of `file`. */
export function collectProblems(file: string): ProblemCollector {
  return new Problems(file);
}

/** Collects problems; `check` runs a validation and records its error at a place. */
class Problems implements ProblemCollector {
  public readonly list: InventoryProblem[] = [];
  constructor(private readonly file: string) {}

  public add(where: Located, field: string, message: string): void {
    this.list.push({ file: this.file, line: where.line, column: where.column, field, message });
  }

  /** Runs `validate` with an `At` for the field; a thrown validation error becomes a problem. */
  public check(where: Located, field: string, validate: (at: At) => void): boolean {
    try {
      validate({ path: `${this.file}:${where.line}:${where.column}`, prop: field });
      return true;
    } catch (err) {
      if (!(err instanceof BaremetalValidationError)) throw err;
      this.add(where, field, err.message.replace(/^\[[^\]]*\] '[^']*' /, ''));
      return false;
    }
  }
}

/** Field-level checks shared by both formats: they run where the position is known. */
const FIELD_CHECKS: Record<string, (value: string, at: At) => void> = {
  name: (v, at) => {
    if (!isDns1123Label(v))
      fail(at, 'is not a DNS-1123 label', v, `use lower-case letters, digits and "-", at most ${MAX_SITE_NAME_LENGTH}`);
    if (v.length > MAX_SITE_NAME_LENGTH)
      fail(
        at,
        `is longer than ${MAX_SITE_NAME_LENGTH} characters`,
        v,
        `shorten it: the site's namespace site-<name> is a DNS-1123 label, at most 63 characters`,
      );
  },
  kind: (v, at) => {
    if (!SiteKinds.get(v)) fail(at, 'is not a site kind', v, `use one of ${SiteKinds.names().join(', ')}`);
  },
  'host.name': (v, at) => {
    if (!isDns1123Subdomain(v))
      fail(at, 'is not a DNS-1123 subdomain', v, 'use lower-case letters, digits, "-" and "."');
  },
  'host.bootMACAddress': (v, at) => void MacAddress.parse(v, at),
  'host.address': (v, at) => void interfaceAddress(v, at),
  vip: (v, at) => void IpAddress.parse(v, at),
  gateway: (v, at) => void IpAddress.parse(v, at),
  machineNetwork: (v, at) => void Cidr.parse(v, at),
  podCidr: (v, at) => void Cidr.parse(v, at),
  serviceCidr: (v, at) => void Cidr.parse(v, at),
  'image.checksumType': (v, at) => {
    if (!['sha256', 'sha512', 'md5'].includes(v)) fail(at, 'is not a checksum type', v, 'use sha256, sha512 or md5');
  },
};

function interfaceAddress(value: string, where: At): void {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  let address: IpAddress | undefined;
  try {
    if (m) address = IpAddress.parse(m[1], where);
  } catch {
    // reported below, with the form to write
  }
  if (!m || !address) {
    fail(where, 'is not an address with prefix length', value, 'write it as 10.1.2.21/24');
  }
  if (address.family === 'ipv6') {
    fail(
      where,
      'is an IPv6 address',
      value,
      'inventories give hosts an IPv4 address (CSV host_address, YAML address); write one such as 10.1.2.21/24, or leave it empty for DHCP',
    );
  }
  if (Number(m[2]) > 32) fail(where, 'has a prefix length above 32', value, 'write it as 10.1.2.21/24');
}

/** The keys of a host (YAML; `host.<key>` as dotted field names). */
export const HOST_KEYS = [
  'name',
  'bootMACAddress',
  'bmcAddress',
  'bmcSystemId',
  'bmcCredentialsSecret',
  'bmcRemoteKey',
  'address',
];

const REQUIRED_SITE_FIELDS = ['name', 'kind', 'rke2Version', 'image.url'];
const REQUIRED_HOST_FIELDS = ['host.name', 'host.bootMACAddress', 'host.bmcAddress'];

/** A site under construction: flat fields (dotted names) and hosts. */
export interface Draft {
  readonly where: Located;
  readonly fields: Map<string, { value: string | string[]; where: Located }>;
  readonly hosts: { fields: Map<string, { value: string; where: Located }>; where: Located; refused?: Set<string> }[];
  /** Fields given with a value that was refused (reported already): not also "missing". */
  readonly refused?: Set<string>;
}

/** The SiteDescription of a checked draft. */
export function toSite(draft: Draft, file: string): SiteDescription {
  const f = (k: string) => draft.fields.get(k)?.value;
  const str = (k: string) => f(k) as string | undefined;
  const image: SiteImage = {
    url: str('image.url')!,
    ...(str('image.checksum') !== undefined ? { checksum: str('image.checksum') } : {}),
    ...(str('image.checksumType') !== undefined
      ? { checksumType: str('image.checksumType') as SiteImage['checksumType'] }
      : {}),
  };
  const hosts: SiteHost[] = draft.hosts.map((h) => {
    const hv = (k: string) => h.fields.get(`host.${k}`)?.value;
    const host: Record<string, string> = {};
    for (const k of HOST_KEYS) {
      if (hv(k) !== undefined) host[k] = hv(k)!;
    }
    return host as unknown as SiteHost;
  });
  const site: Record<string, unknown> = {
    name: str('name'),
    kind: str('kind'),
    rke2Version: str('rke2Version'),
    image,
    hosts,
  };
  for (const k of [
    'vip',
    'controlPlaneEndpoint',
    'machineNetwork',
    'gateway',
    'podCidr',
    'serviceCidr',
    'bmcSecretStore',
  ]) {
    if (f(k) !== undefined) site[k] = f(k);
  }
  if (f('dnsServers') !== undefined) site.dnsServers = f('dnsServers');
  site.source = { file, line: draft.where.line };
  return site as unknown as SiteDescription;
}

/** Checks a draft's fields (values, required fields, fields its kind does not use); true when fine. */
export function checkDraft(draft: Draft, problems: ProblemCollector): boolean {
  const before = problems.list.length;
  for (const [field, { value, where }] of draft.fields) {
    const check = FIELD_CHECKS[field];
    if (field === 'dnsServers') {
      for (const v of value as string[]) problems.check(where, field, (at) => void IpAddress.parse(v, at));
    } else if (check) {
      problems.check(where, field, (at) => check(value as string, at));
    }
  }
  for (const field of REQUIRED_SITE_FIELDS) {
    if (!draft.fields.has(field) && !draft.refused?.has(field))
      problems.add(draft.where, field, `is missing; every site needs a ${field}`);
  }
  const kind = SiteKinds.get(draft.fields.get('kind')?.value as string);
  if (kind) {
    for (const [field, { where }] of draft.fields) {
      const top = field.split('.')[0] as keyof SiteDescription;
      if (['name', 'kind', 'rke2Version', 'image', 'bmcSecretStore'].includes(top) || kind.fields.includes(top))
        continue;
      problems.add(where, field, `is not used by kind ${draft.fields.get('kind')!.value}; leave it empty`);
    }
    for (const field of kind.required ?? []) {
      if (!draft.fields.has(field))
        problems.add(draft.where, field, `is required by kind ${draft.fields.get('kind')!.value}`);
    }
    if (!kind.hosts.accepts(draft.hosts.length)) {
      problems.add(
        draft.where,
        'hosts',
        `lists ${draft.hosts.length} host(s); a ${draft.fields.get('kind')!.value} site needs ${kind.hosts.description}`,
      );
    }
  }
  for (const host of draft.hosts) {
    for (const [field, { value, where }] of host.fields) {
      const check = FIELD_CHECKS[field];
      if (check) problems.check(where, field, (at) => check(value, at));
    }
    const remoteKey = host.fields.get('host.bmcRemoteKey');
    if (remoteKey && !draft.fields.has('bmcSecretStore')) {
      problems.add(
        remoteKey.where,
        'host.bmcRemoteKey',
        'needs the site to have a bmcSecretStore; set one or leave it empty',
      );
    }
    for (const field of REQUIRED_HOST_FIELDS) {
      if (!host.fields.has(field) && !host.refused?.has(field))
        problems.add(host.where, field, `is missing; every host needs a ${field.slice(5)}`);
    }
  }
  return problems.list.length === before;
}
