import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { isAlias, isMap, isScalar, isSeq, LineCounter, Node, Pair, parseDocument, YAMLMap } from 'yaml';
import { BaremetalValidationError } from '../errors';
import { MacAddress } from '../net/mac-address';
import { isDns1123Label, isDns1123Subdomain } from '../net/dns';
import { IpAddress } from '../net/ip-address';
import { Cidr } from '../net/cidr';
import { At, fail, show } from '../private/errors';
import { documentValue } from '../private/yaml-document';
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

/**
 * CSV columns, one row per host; the site columns are given on a site's first row and are empty
 * (or equal) on its other rows. Their YAML names are the keys of {@link SiteDescription} and
 * {@link SiteHost}.
 */
export const CSV_COLUMNS = {
  site: 'name',
  kind: 'kind',
  rke2_version: 'rke2Version',
  image_url: 'image.url',
  image_checksum: 'image.checksum',
  image_checksum_type: 'image.checksumType',
  vip: 'vip',
  control_plane_endpoint: 'controlPlaneEndpoint',
  machine_network: 'machineNetwork',
  gateway: 'gateway',
  dns_servers: 'dnsServers',
  pod_cidr: 'podCidr',
  service_cidr: 'serviceCidr',
  host: 'host.name',
  boot_mac: 'host.bootMACAddress',
  bmc_address: 'host.bmcAddress',
  bmc_system_id: 'host.bmcSystemId',
  bmc_credentials: 'host.bmcCredentialsSecret',
  bmc_secret_store: 'bmcSecretStore',
  bmc_remote_key: 'host.bmcRemoteKey',
  host_address: 'host.address',
} as const;

type Located = { readonly line: number; readonly column: number };

/** Collects problems; `check` runs a validation and records its error at a place. */
class Problems {
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
  if (!m || !IpAddress.isValid(m[1])) {
    fail(where, 'is not an address with prefix length', value, 'write it as 10.1.2.21/24');
  }
  if (IpAddress.parse(m[1], where).family === 'ipv6') {
    fail(
      where,
      'is an IPv6 address',
      value,
      'inventories give hosts an IPv4 address (CSV host_address, YAML address); write one such as 10.1.2.21/24, or leave it empty for DHCP',
    );
  }
  if (Number(m[2]) > 32) fail(where, 'has a prefix length above 32', value, 'write it as 10.1.2.21/24');
}

const REQUIRED_SITE_FIELDS = ['name', 'kind', 'rke2Version', 'image.url'];
const REQUIRED_HOST_FIELDS = ['host.name', 'host.bootMACAddress', 'host.bmcAddress'];

/** A site under construction: flat fields (dotted names) and hosts. */
interface Draft {
  readonly where: Located;
  readonly fields: Map<string, { value: string | string[]; where: Located }>;
  readonly hosts: { fields: Map<string, { value: string; where: Located }>; where: Located; refused?: Set<string> }[];
  /** Fields given with a value that was refused (reported already): not also "missing". */
  readonly refused?: Set<string>;
}

function toSite(draft: Draft, file: string): SiteDescription {
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
    for (const k of YAML_HOST_KEYS) {
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
function checkDraft(draft: Draft, problems: Problems): boolean {
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

/**
 * The line of the quote that leaves a field open to the end of the text: csv-parse reports the
 * last line instead. Follows its reading: `""` inside a quoted field is a quote, a line whose
 * first character (after blanks) is `#` is a comment.
 */
function unclosedQuoteLine(text: string): number {
  let line = 1;
  let opened = 1;
  let quoted = false;
  let comment = false;
  let lineStart = true; // only blanks so far on this line
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\n') line++;
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
    } else if (c === '\n') {
      line++;
      comment = false;
      lineStart = true;
    } else if (comment) {
      continue;
    } else if (c === '#' && lineStart) {
      comment = true;
    } else if (c === '"') {
      quoted = true;
      opened = line;
      lineStart = false;
    } else if (c !== ' ' && c !== '\t' && c !== '\r') {
      lineStart = false;
    }
  }
  return opened;
}

/** Reads a CSV inventory (one row per host). */
export function parseCsvInventory(
  text: string,
  file: string,
): { sites: SiteDescription[]; problems: InventoryProblem[] } {
  const problems = new Problems(file);
  let rows: string[][];
  let lineOf: number[];
  try {
    const records = parseCsv(text, {
      relax_column_count: false,
      skip_empty_lines: true,
      // only whole lines are comments: a # inside a field (a URL fragment) is kept
      comment: '#',
      comment_no_infix: true,
      trim: true,
      info: true,
      bom: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    rows = records.map((r) => r.record);
    // info.lines is the record's last line: step back over newlines inside quoted fields.
    lineOf = records.map((r) => r.info.lines - (r.record.join('').match(/\n/g)?.length ?? 0));
  } catch (err) {
    const e = err as { lines?: number; message: string; code?: string };
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      const opening = unclosedQuoteLine(text);
      problems.add(
        { line: opening, column: 1 },
        '(csv)',
        `has a quote that opens on line ${opening} and is never closed; close it with " (write "" for a quote inside a quoted field)`,
      );
    } else {
      problems.add({ line: e.lines ?? 1, column: 1 }, '(csv)', `cannot be read: ${e.message}`);
    }
    return { sites: [], problems: problems.list };
  }
  if (rows.length === 0) {
    problems.add({ line: 1, column: 1 }, '(csv)', 'has no header row; start with site,kind,rke2_version,...');
    return { sites: [], problems: problems.list };
  }
  const header = rows[0];
  const columns: (string | undefined)[] = header.map((name, i) => {
    const field = (CSV_COLUMNS as Record<string, string>)[name];
    if (!field) {
      problems.add(
        { line: lineOf[0], column: i + 1 },
        name,
        `is not a known column; use ${Object.keys(CSV_COLUMNS).join(', ')}`,
      );
    } else if (header.indexOf(name) !== i) {
      problems.add({ line: lineOf[0], column: i + 1 }, name, 'is a second column of that name; remove one');
    }
    return field;
  });
  for (const required of ['site', 'kind', 'host', 'boot_mac', 'bmc_address']) {
    if (!header.includes(required)) problems.add({ line: lineOf[0], column: 1 }, required, 'column is missing');
  }
  if (problems.list.length > 0) return { sites: [], problems: problems.list };

  const drafts: Draft[] = [];
  const seen = new Map<string, Located>();
  let current: Draft | undefined;
  for (let r = 1; r < rows.length; r++) {
    const line = lineOf[r];
    const row = rows[r];
    const siteName = row[header.indexOf('site')];
    const here = { line, column: header.indexOf('site') + 1 };
    if (siteName === '') {
      problems.add(here, 'site', 'is empty; every row names its site');
      continue;
    }
    if (!current || current.fields.get('name')!.value !== siteName) {
      const first = seen.get(siteName);
      if (first) {
        problems.add(
          here,
          'site',
          `repeats site ${siteName} of line ${first.line}; list each site once, its hosts on consecutive rows`,
        );
        current = undefined;
        continue;
      }
      seen.set(siteName, here);
      current = { where: { line, column: 1 }, fields: new Map(), hosts: [] };
      drafts.push(current);
    }
    const host: Draft['hosts'][number] = { fields: new Map(), where: { line, column: 1 } };
    row.forEach((value, i) => {
      const field = columns[i]!;
      if (value === '') return;
      const where = { line, column: i + 1 };
      if (field.startsWith('host.')) {
        host.fields.set(field, { value, where });
        return;
      }
      const v = field === 'dnsServers' ? value.split(/[\s;]+/).filter((s) => s !== '') : value;
      const previous = current!.fields.get(field);
      if (previous && show(previous.value) !== show(v)) {
        problems.add(
          where,
          header[i],
          `differs from line ${previous.where.line} of the same site (got ${show(value)}); leave it empty on a site's later rows`,
        );
      } else if (!previous) {
        current!.fields.set(field, { value: v, where });
      }
    });
    current.hosts.push(host);
  }
  const sites = drafts.filter((d) => checkDraft(d, problems)).map((d) => toSite(d, file));
  return { sites, problems: problems.list };
}

const YAML_SITE_KEYS: Record<string, true> = {
  name: true,
  kind: true,
  rke2Version: true,
  image: true,
  hosts: true,
  vip: true,
  controlPlaneEndpoint: true,
  machineNetwork: true,
  gateway: true,
  dnsServers: true,
  podCidr: true,
  serviceCidr: true,
  bmcSecretStore: true,
};
const YAML_HOST_KEYS = [
  'name',
  'bootMACAddress',
  'bmcAddress',
  'bmcSystemId',
  'bmcCredentialsSecret',
  'bmcRemoteKey',
  'address',
];
const YAML_IMAGE_KEYS = ['url', 'checksum', 'checksumType'];

/**
 * Reads a YAML inventory: `sites:` (a list of {@link SiteDescription}s, hosts nested) and optional
 * `defaults:` (site fields every site inherits unless it sets them).
 */
export function parseYamlInventory(
  text: string,
  file: string,
): { sites: SiteDescription[]; problems: InventoryProblem[] } {
  const problems = new Problems(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: '1.2' });
  const pos = (node: unknown): Located => {
    const range = (node as Node | undefined)?.range;
    const p = lineCounter.linePos(range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      problems.add(
        { line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1 },
        '(yaml)',
        e.message.split('\n')[0],
      );
    return { sites: [], problems: problems.list };
  }
  // Aliases are followed below; an alias bomb (or an alias without its anchor) stops here.
  const built = documentValue(doc);
  if (built.error !== undefined) {
    problems.add({ line: 1, column: 1 }, '(yaml)', `cannot be read: ${built.error}`);
    return { sites: [], problems: problems.list };
  }
  /** The node an alias stands for; any other node itself. */
  const deref = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  /**
   * The pairs of a map with `<<` merge keys applied: its own keys first, then those of the merged
   * maps that it does not set (the first merged map wins), as YAML merge keys do.
   */
  const pairsOf = (map: YAMLMap, merging: Set<YAMLMap> = new Set()): Pair[] => {
    merging.add(map);
    const own = map.items.filter((p) => keyOf(p) !== '<<');
    const seen = new Set(own.map(keyOf));
    const merged: Pair[] = [];
    for (const m of map.items.filter((p) => keyOf(p) === '<<')) {
      const source = deref(m.value);
      const sources = isSeq(source) ? source.items.map(deref) : [source];
      for (const src of sources) {
        if (!isMap(src) || merging.has(src)) {
          problems.add(
            pos(m.value),
            '<<',
            'merges something that is not a map (or itself); merge a map (<<: *defaults)',
          );
          continue;
        }
        for (const p of pairsOf(src, merging)) {
          if (seen.has(keyOf(p))) continue;
          seen.add(keyOf(p));
          merged.push(p);
        }
      }
    }
    return [...own, ...merged];
  };
  const get = (pairs: Pair[], key: string) => pairs.find((p) => keyOf(p) === key);
  const root = deref(doc.contents);
  if (!isMap(root)) {
    problems.add(pos(root), '(yaml)', 'is not a map; write sites: [...] and optionally defaults: {...}');
    return { sites: [], problems: problems.list };
  }
  const rootPairs = pairsOf(root);
  for (const pair of rootPairs) {
    const key = keyOf(pair);
    if (key !== 'sites' && key !== 'defaults' && !key.startsWith('x-'))
      problems.add(
        pos(pair.key),
        key,
        'is not a known key; use sites and defaults (keys starting with x- may hold anchors and are ignored)',
      );
  }
  /**
   * The text of a scalar. Text is never converted: a plain scalar YAML reads as something else (a
   * number, a boolean, a YAML 1.1 sexagesimal or octal number) is refused with the quoted form
   * to write, except a whole number written as such (`bmcSystemId: 1`), which reads back the same.
   */
  const scalarText = (raw: unknown, field: string): string | undefined => {
    const node = deref(raw);
    const key = field.split('.').pop();
    if (!isScalar(node)) {
      problems.add(
        pos(raw),
        field,
        `must be text (got ${show((node as { toJSON?: () => unknown })?.toJSON?.() ?? node)})`,
      );
      return undefined;
    }
    if (typeof node.value === 'string') return node.value;
    const source = node.range ? text.slice(node.range[0], node.range[1]).trim() : String(node.value);
    if (node.value === null || node.value === undefined) {
      problems.add(
        pos(raw),
        field,
        `is empty (got ${source === '' ? 'nothing' : source}); give it a value or leave the key out`,
      );
      return undefined;
    }
    if (typeof node.value === 'number' && /^-?(0|[1-9][0-9]{0,14})$/.test(source) && String(node.value) === source) {
      return source;
    }
    const what =
      typeof node.value === 'number'
        ? `the number ${show(node.value)}`
        : typeof node.value === 'boolean'
          ? `the boolean ${node.value}`
          : `a ${node.value instanceof Date ? 'timestamp' : typeof node.value}`;
    const v11 = doc.directives?.yaml.version === '1.1' ? ' under %YAML 1.1' : '';
    problems.add(
      pos(raw),
      field,
      `is read as ${what}${v11}, not as the text written (got ${source}); quote it: ${key}: ${JSON.stringify(source)}`,
    );
    return undefined;
  };
  /** Reads site fields of a map into `fields` (dotted names). */
  const readSiteFields = (pairs: Pair[], fields: Draft['fields'], allowHosts: boolean, refused: Set<string>) => {
    for (const pair of pairs) {
      const key = keyOf(pair);
      if (!YAML_SITE_KEYS[key] || (key === 'hosts' && !allowHosts) || (key === 'name' && !allowHosts)) {
        problems.add(
          pos(pair.key),
          key,
          `is not a known ${allowHosts ? 'site' : 'defaults'} key; use ${Object.keys(YAML_SITE_KEYS)
            .filter((k) => allowHosts || (k !== 'hosts' && k !== 'name'))
            .join(', ')}`,
        );
        continue;
      }
      if (key === 'hosts') continue;
      const value = deref(pair.value);
      if (key === 'image') {
        if (!isMap(value)) {
          problems.add(pos(pair.value), 'image', 'must be a map with url, checksum, checksumType');
          continue;
        }
        for (const ip of pairsOf(value)) {
          const ik = keyOf(ip);
          if (!YAML_IMAGE_KEYS.includes(ik)) {
            problems.add(pos(ip.key), `image.${ik}`, `is not a known image key; use ${YAML_IMAGE_KEYS.join(', ')}`);
            continue;
          }
          const v = scalarText(ip.value, `image.${ik}`);
          if (v !== undefined) fields.set(`image.${ik}`, { value: v, where: pos(ip.value) });
          else refused.add(`image.${ik}`);
        }
        continue;
      }
      if (key === 'dnsServers') {
        if (!isSeq(value)) {
          problems.add(pos(pair.value), key, 'must be a list of addresses');
          continue;
        }
        const values = value.items.map((i) => scalarText(i, key)).filter((v): v is string => v !== undefined);
        fields.set(key, { value: values, where: pos(pair.value) });
        continue;
      }
      const v = scalarText(pair.value, key);
      if (v !== undefined) fields.set(key, { value: v, where: pos(pair.value) });
      else refused.add(key);
    }
  };

  const defaults: Draft['fields'] = new Map();
  const defaultsRefused = new Set<string>();
  const defaultsPair = get(rootPairs, 'defaults');
  if (defaultsPair !== undefined) {
    const defaultsNode = deref(defaultsPair.value);
    if (isMap(defaultsNode)) readSiteFields(pairsOf(defaultsNode), defaults, false, defaultsRefused);
    else problems.add(pos(defaultsPair.value), 'defaults', 'must be a map of site fields');
  }
  const sitesPair = get(rootPairs, 'sites');
  const sitesNode = deref(sitesPair?.value);
  if (!isSeq(sitesNode)) {
    problems.add(pos(sitesPair?.value ?? root), 'sites', 'must be a list of sites');
    return { sites: [], problems: problems.list };
  }
  const drafts: Draft[] = [];
  const seen = new Map<string, Located>();
  for (const raw of sitesNode.items) {
    const item = deref(raw);
    if (!isMap(item)) {
      problems.add(pos(raw), 'sites', 'holds an entry that is not a map');
      continue;
    }
    const pairs = pairsOf(item);
    const fields: Draft['fields'] = new Map(defaults);
    const refused = new Set(defaultsRefused);
    readSiteFields(pairs, fields, true, refused);
    const draft: Draft = { where: pos(raw), fields, hosts: [], refused };
    const name = get(pairs, 'name')?.value;
    if (name === undefined) {
      problems.add(pos(raw), 'name', 'is missing; every site needs a name');
      continue;
    }
    const n = fields.get('name')?.value as string | undefined;
    if (n !== undefined) {
      const first = seen.get(n);
      if (first) {
        problems.add(pos(name), 'name', `repeats site ${n} of line ${first.line}; list each site once`);
        continue;
      }
      seen.set(n, pos(name));
    }
    const hostsPair = get(pairs, 'hosts');
    const hosts = deref(hostsPair?.value);
    if (!isSeq(hosts)) {
      problems.add(pos(hostsPair?.value ?? raw), 'hosts', 'must be a list of hosts');
      continue;
    }
    for (const rawHost of hosts.items) {
      const h = deref(rawHost);
      if (!isMap(h)) {
        problems.add(pos(rawHost), 'hosts', 'holds an entry that is not a map');
        continue;
      }
      const hf: Draft['hosts'][number]['fields'] = new Map();
      const hostRefused = new Set<string>();
      for (const pair of pairsOf(h)) {
        const key = keyOf(pair);
        if (!YAML_HOST_KEYS.includes(key)) {
          problems.add(pos(pair.key), `host.${key}`, `is not a known host key; use ${YAML_HOST_KEYS.join(', ')}`);
          continue;
        }
        const v = scalarText(pair.value, `host.${key}`);
        if (v !== undefined) hf.set(`host.${key}`, { value: v, where: pos(pair.value) });
        else hostRefused.add(`host.${key}`);
      }
      draft.hosts.push({ fields: hf, where: pos(rawHost), refused: hostRefused });
    }
    drafts.push(draft);
  }
  const sites = drafts.filter((d) => checkDraft(d, problems)).map((d) => toSite(d, file));
  return { sites, problems: problems.list };
}

/** The key of a pair as text (`String` of a scalar key's value). */
function keyOf(pair: Pair): string {
  const key = pair.key;
  return String(isScalar(key) ? key.value : (key as { toString?: () => string })?.toString?.());
}

/**
 * Loads sites from inventory files (`.csv`, `.yaml`/`.yml`), in file order. Throws an
 * {@link InventoryError} listing every problem (file, line, column) when any file has one, or
 * when a site appears in two files.
 */
export function loadInventory(files: readonly string[]): SiteDescription[] {
  const sites: SiteDescription[] = [];
  const problems: InventoryProblem[] = [];
  const seen = new Map<string, SiteDescription>();
  for (const file of files) {
    const ext = extname(file).toLowerCase();
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      problems.push({
        file,
        line: 1,
        column: 1,
        field: '(file)',
        message: `cannot be read: ${(err as Error).message}`,
      });
      continue;
    }
    const parsed =
      ext === '.csv'
        ? parseCsvInventory(text, file)
        : ext === '.yaml' || ext === '.yml'
          ? parseYamlInventory(text, file)
          : undefined;
    if (!parsed) {
      problems.push({ file, line: 1, column: 1, field: '(file)', message: 'is neither .csv nor .yaml; rename it' });
      continue;
    }
    problems.push(...parsed.problems);
    for (const site of parsed.sites) {
      const first = seen.get(site.name);
      if (first) {
        problems.push({
          file,
          line: site.source!.line,
          column: 1,
          field: 'site',
          message: `repeats site ${site.name} of ${first.source!.file}:${first.source!.line}; list each site once`,
        });
        continue;
      }
      seen.set(site.name, site);
      sites.push(site);
    }
  }
  if (problems.length > 0) throw new InventoryError(problems);
  return sites;
}
