import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { show } from '../private/errors';
import {
  checkDraft,
  collectProblems,
  Draft,
  InventoryError,
  InventoryProblem,
  Located,
  toSite,
} from './inventory-draft';
import { SiteDescription } from './site-description';
import { parseYamlInventory } from './yaml-inventory';

export { formatInventoryProblem, InventoryError } from './inventory-draft';
export type { InventoryProblem } from './inventory-draft';
export { parseYamlInventory } from './yaml-inventory';

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
  const problems = collectProblems(file);
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
