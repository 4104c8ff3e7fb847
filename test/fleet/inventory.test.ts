import * as fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatInventoryProblem,
  InventoryError,
  loadInventory,
  parseCsvInventory,
  parseYamlInventory,
} from '../../lib/fleet/inventory';
import { RUNS, SEED } from '../arbitraries';
import { parse as parseYamlDoc } from 'yaml';
import { SiteDescription } from '../../lib/fleet/site-description';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'fleet-inventory');
const HEADER = 'site,kind,rke2_version,image_url,host,boot_mac,bmc_address,host_address,vip';
const IMG = 'http://img.local/os.raw';
const row = (site: string, host: string, mac: string, extra = '', kind = 'single-node') =>
  `${site},${kind},v1.32.4+rke2r1,${IMG},${host},${mac},10.0.0.${mac.slice(-1)},10.1.0.${mac.slice(-1)}/24,${extra}`;

function problemsOfCsv(text: string): string[] {
  return parseCsvInventory(text, 'sites.csv').problems.map(formatInventoryProblem);
}

function tmp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'inv-')), name);
  writeFileSync(file, text);
  return file;
}

describe('loadInventory', () => {
  test('GIVEN the 1,000-site example CSV WHEN loaded THEN every site is typed, with its hosts and source row', () => {
    const sites = loadInventory([join(EXAMPLES, 'sites.csv')]);
    expect(sites).toHaveLength(1000);
    expect(sites.filter((s) => s.kind === 'ha-metallb')).toHaveLength(250);
    expect(sites[0]).toMatchObject({
      name: 'edge-00000',
      kind: 'ha-metallb',
      vip: '10.0.0.100',
      dnsServers: ['10.0.0.2'],
      image: { url: 'http://imagecache.local:8080/eibimage-output-telco.raw', checksumType: 'sha256' },
      source: { line: 2 },
    });
    expect(sites[0].hosts.map((h) => h.name)).toEqual(['edge-00000-node1', 'edge-00000-node2', 'edge-00000-node3']);
    expect(sites[1]).toMatchObject({ kind: 'single-node', source: { line: 5 } });
    expect(sites[1].vip).toBeUndefined();
  });

  test('GIVEN the hand-readable YAML THEN defaults apply to every site unless it sets the field', () => {
    const sites = loadInventory([join(EXAMPLES, 'sites.yaml')]);
    expect(sites.map((s) => s.name)).toEqual(['berlin-01', 'munich-01', 'hamburg-01']);
    expect(sites[0]).toMatchObject({ rke2Version: 'v1.32.4+rke2r1', podCidr: '172.30.0.0/16', gateway: '10.10.1.1' });
    expect(sites[1].hosts[0]).toMatchObject({ bmcCredentialsSecret: 'munich-bmc' });
    expect(sites[2].hosts).toHaveLength(3);
  });

  test('fails when a site is in two files, naming both', () => {
    const a = tmp('a.csv', `${HEADER}\n${row('s1', 'h1', '02:00:00:00:00:01')}\n`);
    const b = tmp('b.csv', `${HEADER}\n${row('s1', 'h2', '02:00:00:00:00:02')}\n`);
    expect(() => loadInventory([a, b])).toThrow(new RegExp(`b.csv:2:1 'site' repeats site s1 of .*a.csv:2`));
  });

  test('fails for a file that is neither CSV nor YAML, and lists every problem of every file', () => {
    const bad = tmp('sites.txt', 'x');
    const csv = tmp('c.csv', `${HEADER},color\n`);
    let error: InventoryError | undefined;
    try {
      loadInventory([bad, csv]);
    } catch (err) {
      error = err as InventoryError;
    }
    expect(error).toBeInstanceOf(InventoryError);
    expect(error!.problems.map((p) => p.field)).toEqual(['(file)', 'color']);
    expect(error!.problems[0]).toMatchObject({ file: bad, line: 1, message: 'is neither .csv nor .yaml; rename it' });
    expect(error!.message).toMatch(/the inventory has 2 problem\(s\)/);
  });
});

describe('parseCsvInventory', () => {
  test('GIVEN one row per host WHEN a site has three hosts THEN site columns come from its first row', () => {
    const text = [
      HEADER,
      row('ha1', 'cp1', '02:00:00:00:00:01', '10.1.0.100', 'ha-metallb'),
      'ha1,,,,cp2,02:00:00:00:00:02,10.0.0.2,10.1.0.2/24,',
      'ha1,,,,cp3,02:00:00:00:00:03,10.0.0.3,10.1.0.3/24,',
    ].join('\n');
    const { sites, problems } = parseCsvInventory(text, 'sites.csv');
    expect(problems).toEqual([]);
    expect(sites[0]).toMatchObject({ name: 'ha1', kind: 'ha-metallb', vip: '10.1.0.100' });
    expect(sites[0].hosts[2]).toEqual({
      name: 'cp3',
      bootMACAddress: '02:00:00:00:00:03',
      bmcAddress: '10.0.0.3',
      address: '10.1.0.3/24',
    });
  });

  test('skips comments and blank lines, and still names the right line', () => {
    const text = `# fleet\n${HEADER}\n\n# site one\n${row('s1', 'h1', 'zz:00:00:00:00:01')}\n`;
    expect(problemsOfCsv(text)).toEqual([
      expect.stringMatching(
        /^sites.csv:5:6 'host.bootMACAddress' is not a MAC address \(got "zz:00:00:00:00:01"\); write six hex/,
      ),
    ]);
  });

  test('counts the lines of quoted fields that span lines', () => {
    const text = `${HEADER}\ns1,single-node,v1,"http://img/\nos.raw",h1,02:00:00:00:00:01,10.0.0.1,,\n${row('s2', 'h2', 'zz:00:00:00:00:02')}\n`;
    expect(problemsOfCsv(text)).toEqual([
      expect.stringMatching(/^sites.csv:4:6 'host.bootMACAddress' is not a MAC address/),
    ]);
  });

  test('fails for an unknown column, naming its position', () => {
    expect(problemsOfCsv(`${HEADER},rack\n`)).toEqual([
      expect.stringMatching(/^sites.csv:1:10 'rack' is not a known column; use site, kind, /),
    ]);
  });

  test('fails for a column given twice', () => {
    expect(problemsOfCsv(`${HEADER},vip\n`)).toEqual([
      `sites.csv:1:10 'vip' is a second column of that name; remove one`,
    ]);
  });

  test('fails when a required column is missing', () => {
    expect(problemsOfCsv('site,kind,host,boot_mac\n')).toEqual([`sites.csv:1:1 'bmc_address' column is missing`]);
  });

  test('fails for a duplicate site (rows that are not consecutive)', () => {
    const text = [
      HEADER,
      row('s1', 'h1', '02:00:00:00:00:01'),
      row('s2', 'h2', '02:00:00:00:00:02'),
      row('s1', 'h3', '02:00:00:00:00:03'),
    ].join('\n');
    expect(problemsOfCsv(text)).toEqual([
      `sites.csv:4:1 'site' repeats site s1 of line 2; list each site once, its hosts on consecutive rows`,
    ]);
  });

  test('fails when a later row of a site gives another value for a site column', () => {
    const text = [
      HEADER,
      row('s1', 'h1', '02:00:00:00:00:01', '', 'ha-metallb'),
      's1,single-node,,,h2,02:00:00:00:00:02,10.0.0.2,,',
    ].join('\n');
    expect(problemsOfCsv(text)[0]).toBe(
      `sites.csv:3:2 'kind' differs from line 2 of the same site (got "single-node"); leave it empty on a site's later rows`,
    );
  });

  test('fails for a field the kind does not use', () => {
    expect(problemsOfCsv(`${HEADER}\n${row('s1', 'h1', '02:00:00:00:00:01', '10.1.0.100')}\n`)).toEqual([
      `sites.csv:2:9 'vip' is not used by kind single-node; leave it empty`,
    ]);
  });

  test('fails for a wrong number of hosts and a missing VIP of an HA site', () => {
    expect(problemsOfCsv(`${HEADER}\n${row('s1', 'h1', '02:00:00:00:00:01', '', 'ha-metallb')}\n`)).toEqual([
      `sites.csv:2:1 'vip' is required by kind ha-metallb`,
      `sites.csv:2:1 'hosts' lists 1 host(s); a ha-metallb site needs an odd number, at least 3`,
    ]);
  });

  test('fails for an unknown kind, a bad site name, a bad address and a bad VIP', () => {
    const text = `${HEADER}\nS_1,tiny,v1,${IMG},h1,02:00:00:00:00:01,10.0.0.1,10.1.0.1/99,\n`;
    expect(problemsOfCsv(text)).toEqual([
      expect.stringMatching(/^sites.csv:2:1 'name' is not a DNS-1123 label/),
      expect.stringMatching(
        /^sites.csv:2:2 'kind' is not a site kind \(got "tiny"\); use one of single-node, ha-metallb/,
      ),
      `sites.csv:2:8 'host.address' has a prefix length above 32 (got "10.1.0.1/99"); write it as 10.1.2.21/24`,
    ]);
  });

  test('GIVEN a BMC secret store THEN hosts may name their remote keys; without one they may not', () => {
    const header = `${HEADER},bmc_secret_store,bmc_remote_key`;
    const { sites, problems } = parseCsvInventory(
      `${header}\n${row('s1', 'h1', '02:00:00:00:00:01')},vault,bmc/h1\n`,
      'f.csv',
    );
    expect(problems).toEqual([]);
    expect(sites[0]).toMatchObject({ bmcSecretStore: 'vault', hosts: [{ bmcRemoteKey: 'bmc/h1' }] });
    expect(problemsOfCsv(`${header}\n${row('s1', 'h1', '02:00:00:00:00:01')},,bmc/h1\n`)).toEqual([
      `sites.csv:2:11 'host.bmcRemoteKey' needs the site to have a bmcSecretStore; set one or leave it empty`,
    ]);
  });

  test('fails for an empty site cell and for rows of the wrong length', () => {
    expect(problemsOfCsv(`${HEADER}\n,single-node,v1,${IMG},h1,02:00:00:00:00:01,10.0.0.1,,\n`)).toEqual([
      `sites.csv:2:1 'site' is empty; every row names its site`,
    ]);
    expect(problemsOfCsv(`${HEADER}\na,b\n`)[0]).toMatch(/^sites.csv:2:1 '\(csv\)' cannot be read: /);
  });

  describe('properties', () => {
    test('any text yields sites or located problems, never a TypeError', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc
              .array(fc.constantFrom(HEADER, row('s', 'h', '02:00:00:00:00:01'), ',', '"', '\n', 'x'))
              .map((a) => a.join('\n')),
          ),
          (text) => {
            const { problems } = parseCsvInventory(text, 'f.csv');
            for (const p of problems) expect(p.line).toBeGreaterThanOrEqual(1);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    });
  });
});

describe('CSV value fidelity', () => {
  test('GIVEN a UTF-8 BOM before the CSV header THEN it is read as the header', () => {
    const { sites, problems } = parseCsvInventory(
      `\ufeff${HEADER}\n${row('s1', 'h1', '02:00:00:00:00:01')}\n`,
      'f.csv',
    );
    expect(problems).toEqual([]);
    expect(sites.map((s) => s.name)).toEqual(['s1']);
  });

  test('GIVEN a quote that is never closed THEN the line where it opens is named', () => {
    const text = [
      HEADER,
      row('s1', 'h1', '02:00:00:00:00:01'),
      `s2,single-node,"v1,${IMG},h2`,
      row('s3', 'h3', '02:00:00:00:00:03'),
      '',
    ].join('\n');
    expect(problemsOfCsv(text)).toEqual([
      `sites.csv:3:1 '(csv)' has a quote that opens on line 3 and is never closed; close it with " (write "" for a quote inside a quoted field)`,
    ]);
  });

  test('GIVEN a # inside a CSV field (a URL fragment) THEN it is kept; a # line is a comment', () => {
    const { sites, problems } = parseCsvInventory(
      `${HEADER}\n# a comment\n${row('s1', 'h1', '02:00:00:00:00:01').replace(IMG, `${IMG}#v2`)}\n`,
      'f.csv',
    );
    expect(problems).toEqual([]);
    expect(sites[0].image.url).toBe(`${IMG}#v2`);
  });

  test('GIVEN a site name of 59 characters THEN it is refused with the reason; 58 pass', () => {
    const long = 'a'.repeat(59);
    expect(problemsOfCsv(`${HEADER}\n${row(long, 'h1', '02:00:00:00:00:01')}\n`)).toEqual([
      `sites.csv:2:1 'name' is longer than 58 characters (got "${long}"); shorten it: the site's namespace site-<name> is a DNS-1123 label, at most 63 characters`,
    ]);
    expect(problemsOfCsv(`${HEADER}\n${row(long.slice(1), 'h1', '02:00:00:00:00:01')}\n`)).toEqual([]);
  });

  test('GIVEN an IPv6 host address THEN the message names the inventory fields', () => {
    const text = `${HEADER}\n${row('s1', 'h1', '02:00:00:00:00:01').replace('10.1.0.1/24', 'fd00::1/64')}\n`;
    expect(problemsOfCsv(text)).toEqual([
      `sites.csv:2:8 'host.address' is an IPv6 address (got "fd00::1/64"); inventories give hosts an IPv4 address (CSV host_address, YAML address); write one such as 10.1.2.21/24, or leave it empty for DHCP`,
    ]);
  });
});

/** Random choices of a rendering, from a seed fast-check picks (and shrinks). */
interface Rng {
  nextInt(min: number, max: number): number;
  nextBoolean(): boolean;
}

function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { nextInt: (min, max) => min + Math.floor(next() * (max - min + 1)), nextBoolean: () => next() < 0.5 };
}

describe('inventory readers', () => {
  /** Text values a careless writer would leave plain: numbers, booleans, YAML 1.1 forms, indicators. */
  const trickyText = fc.constantFrom(
    '1',
    '0042',
    '1.10',
    '0x1f',
    '1e3',
    'yes',
    'null',
    '~',
    '1:30',
    'Systems/#1',
    'a,b',
    'say "hi"',
    "it's",
    '- x',
    '[x]',
    '@x',
    'a: b',
    'x #y',
    '  ',
    'ünï',
  );
  const octet = fc.integer({ min: 1, max: 250 });
  const siteArb = fc.record({
    ha: fc.boolean(),
    rke2Version: fc.constantFrom('v1.32.4+rke2r1', '1.30', 'v1.31.0+rke2r2'),
    url: fc.constantFrom(IMG, `${IMG}#v2`, 'http://img.local/a b.raw'),
    checksumType: fc.option(fc.constantFrom('sha256', 'md5'), { nil: undefined }),
    gateway: fc.option(
      octet.map((o) => `10.9.0.${o}`),
      { nil: undefined },
    ),
    dnsServers: fc.option(
      fc.array(
        octet.map((o) => `10.8.0.${o}`),
        { minLength: 1, maxLength: 2 },
      ),
      {
        nil: undefined,
      },
    ),
    systemId: fc.option(
      trickyText.filter((t) => t.trim() === t),
      { nil: undefined },
    ),
    secret: fc.option(fc.constantFrom('bmc-creds', '0777', 'true'), { nil: undefined }),
    dhcp: fc.boolean(),
  });

  type Gen = typeof siteArb extends fc.Arbitrary<infer T> ? T : never;

  /** The site descriptions a generated fleet stands for (without `source`). */
  function expected(gens: Gen[]): SiteDescription[] {
    return gens.map((g, i) => {
      const name = `s${i}-x`;
      const hosts = Array.from({ length: g.ha ? 3 : 1 }, (_, h) => ({
        name: `${name}-n${h}`,
        bootMACAddress: `02:00:00:00:${i.toString(16).padStart(2, '0')}:${h.toString(16).padStart(2, '0')}`,
        bmcAddress: `10.7.${i}.${h + 1}`,
        ...(g.systemId !== undefined ? { bmcSystemId: g.systemId } : {}),
        ...(g.secret !== undefined ? { bmcCredentialsSecret: g.secret } : {}),
        ...(g.dhcp ? {} : { address: `10.6.${i}.${h + 10}/24` }),
      }));
      return {
        name,
        kind: g.ha ? 'ha-metallb' : 'single-node',
        rke2Version: g.rke2Version,
        image: { url: g.url, ...(g.checksumType !== undefined ? { checksumType: g.checksumType } : {}) },
        hosts,
        ...(g.ha ? { vip: `10.6.${i}.100` } : {}),
        ...(g.gateway !== undefined ? { gateway: g.gateway } : {}),
        ...(g.dnsServers !== undefined ? { dnsServers: g.dnsServers } : {}),
      } as SiteDescription;
    });
  }

  const withoutSource = (sites: SiteDescription[]) => sites.map(({ source: _source, ...rest }) => rest);

  /** One CSV rendering: random column order, quoting, blanks, comments, BOM and line ends. */
  function csvOf(sites: SiteDescription[], r: Rng): string {
    const cols: [
      string,
      (s: SiteDescription, h: SiteDescription['hosts'][number], first: boolean) => string | undefined,
    ][] = [
      ['site', (s) => s.name],
      ['kind', (s, _h, first) => (first ? s.kind : undefined)],
      ['rke2_version', (s, _h, first) => (first ? s.rke2Version : undefined)],
      ['image_url', (s, _h, first) => (first ? s.image.url : undefined)],
      ['image_checksum_type', (s, _h, first) => (first ? s.image.checksumType : undefined)],
      ['vip', (s, _h, first) => (first ? s.vip : undefined)],
      ['gateway', (s, _h, first) => (first ? s.gateway : undefined)],
      ['dns_servers', (s, _h, first) => (first ? s.dnsServers?.join(r.nextBoolean() ? ' ' : ';') : undefined)],
      ['host', (_s, h) => h.name],
      ['boot_mac', (_s, h) => h.bootMACAddress],
      ['bmc_address', (_s, h) => h.bmcAddress],
      ['bmc_system_id', (_s, h) => h.bmcSystemId],
      ['bmc_credentials', (_s, h) => h.bmcCredentialsSecret],
      ['host_address', (_s, h) => h.address],
    ];
    for (let i = cols.length - 1; i > 0; i--) {
      const j = r.nextInt(0, i);
      [cols[i], cols[j]] = [cols[j], cols[i]];
    }
    const cell = (v: string | undefined, atLineStart: boolean) => {
      if (v === undefined) return r.nextBoolean() ? '' : ' ';
      const plainOk = !/[,"\r\n]/.test(v) && v.trim() === v && !(atLineStart && v.startsWith('#'));
      const quoted = `"${v.replace(/"/g, '""')}"`;
      const text = plainOk && r.nextBoolean() ? v : quoted;
      return r.nextInt(0, 3) === 0 ? ` ${text} ` : text;
    };
    const eol = r.nextBoolean() ? '\r\n' : '\n';
    const lines = [cols.map(([c]) => c).join(',')];
    for (const s of sites) {
      s.hosts.forEach((h, k) => {
        // a site's later rows may repeat its columns or leave them empty
        const first = k === 0 || r.nextInt(0, 3) === 0;
        lines.push(cols.map(([, f], i) => cell(f(s, h, first), i === 0)).join(','));
        if (r.nextInt(0, 4) === 0) lines.push(r.nextBoolean() ? '# a comment, with "quotes"' : '');
      });
    }
    return `${r.nextBoolean() ? '\ufeff' : ''}${lines.join(eol)}${r.nextBoolean() ? eol : ''}`;
  }

  /** A scalar in a random style that YAML 1.2 reads back as the text itself. */
  function scalar(v: string, r: Rng, flow: boolean): string {
    const styles = [JSON.stringify(v), `'${v.replace(/'/g, "''")}'`];
    let plainOk = false;
    try {
      const back = (parseYamlDoc(flow ? `{k: ${v}}` : `k: ${v}`) as { k?: unknown })?.k;
      plainOk = back === v || (typeof back === 'number' && /^(0|[1-9][0-9]*)$/.test(v) && String(back) === v);
    } catch {
      plainOk = false;
    }
    if (plainOk) styles.push(v);
    return styles[r.nextInt(0, styles.length - 1)];
  }

  /** One YAML rendering: random scalar styles, flow or block maps, defaults, merge keys and aliases. */
  function yamlOf(sites: SiteDescription[], r: Rng): string {
    const out: string[] = [];
    const shared = sites.length > 0 && sites.every((s) => s.rke2Version === sites[0].rke2Version);
    const how = shared ? r.nextInt(0, 2) : 0; // 0: in each site, 1: defaults, 2: a merged anchor
    if (how === 1) out.push('defaults:', `  rke2Version: ${scalar(sites[0].rke2Version, r, false)}`);
    if (how === 2) out.push('x-common: &common', `  rke2Version: ${scalar(sites[0].rke2Version, r, false)}`);
    const anchors = new Map<string, string>();
    /** A value, once anchored and later aliased when the same text comes again. */
    const value = (v: string, flow: boolean) => {
      const alias = anchors.get(v);
      if (alias && r.nextBoolean()) return `*${alias}`;
      if (!alias && r.nextInt(0, 3) === 0) {
        const name = `a${anchors.size}`;
        anchors.set(v, name);
        return `&${name} ${scalar(v, r, flow)}`;
      }
      return scalar(v, r, flow);
    };
    out.push('sites:');
    for (const s of sites) {
      if (r.nextInt(0, 4) === 0) out.push('  # a comment');
      out.push(`  - name: ${value(s.name, false)}`);
      if (how === 2) out.push('    <<: *common');
      else if (how === 0) out.push(`    rke2Version: ${value(s.rke2Version, false)}`);
      out.push(`    kind: ${value(s.kind, false)}`);
      const image = [`url: ${value(s.image.url, true)}`];
      if (s.image.checksumType) image.push(`checksumType: ${value(s.image.checksumType, true)}`);
      out.push(`    image: { ${image.join(', ')} }`);
      for (const k of ['vip', 'gateway'] as const) if (s[k] !== undefined) out.push(`    ${k}: ${value(s[k]!, false)}`);
      if (s.dnsServers) out.push(`    dnsServers: [${s.dnsServers.map((d) => value(d, true)).join(', ')}]`);
      out.push('    hosts:');
      for (const h of s.hosts) {
        const entries = Object.entries(h);
        if (r.nextBoolean()) {
          out.push(`      - { ${entries.map(([k, v]) => `${k}: ${value(v, true)}`).join(', ')} }`);
        } else {
          entries.forEach(([k, v], i) => out.push(`${i === 0 ? '      - ' : '        '}${k}: ${value(v, false)}`));
        }
      }
    }
    return `${out.join('\n')}\n`;
  }

  describe('properties', () => {
    test('random valid fleets in random CSV and YAML styles give the same site descriptions as the canonical form', () => {
      fc.assert(
        fc.property(fc.array(siteArb, { minLength: 1, maxLength: 4 }), fc.integer(), (gens, seed) => {
          const want = expected(gens);
          const r = rng(seed);
          const csv = csvOf(want, r);
          const fromCsv = parseCsvInventory(csv, 'f.csv');
          expect({ csv, problems: fromCsv.problems, sites: withoutSource(fromCsv.sites) }).toEqual({
            csv,
            problems: [],
            sites: want,
          });
          const yamlText = yamlOf(want, r);
          const fromYaml = parseYamlInventory(yamlText, 'f.yaml');
          expect({ yamlText, problems: fromYaml.problems, sites: withoutSource(fromYaml.sites) }).toEqual({
            yamlText,
            problems: [],
            sites: want,
          });
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });

    test('random bytes as an inventory file give sites or an InventoryError, never a crash', () => {
      const dir = mkdtempSync(join(tmpdir(), 'inv-bytes-'));
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            fc
              .string({ unit: fc.constantFrom(...'\ufeff"\',\n\r#:-&*<>[]{}| \tsite,kind,x1.'.split('')) })
              .map((s) => new TextEncoder().encode(s)),
          ),
          fc.constantFrom('f.csv', 'f.yaml'),
          (bytes, name) => {
            const file = join(dir, name);
            writeFileSync(file, bytes);
            try {
              loadInventory([file]);
            } catch (err) {
              expect(err).toBeInstanceOf(InventoryError);
              for (const p of (err as InventoryError).problems) {
                expect(p.line).toBeGreaterThanOrEqual(1);
                expect(p.message).not.toMatch(/undefined|\[object Object\]/);
              }
            }
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    });
  });
});

describe('CSV reading details', () => {
  const HEADER_DNS = `${HEADER},dns_servers`;
  const ha = (host: string, mac: string, dns: string) => row('s1', host, mac, `10.1.0.100,${dns}`, 'ha-metallb');

  test('GIVEN quotes in comments and escaped quotes THEN the quote that is never closed is still found', () => {
    const text = [
      '# a "quote in a comment',
      HEADER,
      '  # an indented "comment',
      row('s1', 'h1', '02:00:00:00:00:01').replace(IMG, '"http://img/""x"".raw"'),
      `s2,single-node,"v1,${IMG},h2`,
      row('s3', 'h3', '02:00:00:00:00:03'),
      '',
    ].join('\n');
    expect(problemsOfCsv(text)).toEqual([
      `sites.csv:5:1 '(csv)' has a quote that opens on line 5 and is never closed; close it with " (write "" for a quote inside a quoted field)`,
    ]);
    // a quoted field that spans lines and closes: the next quote opens on the line it stands on
    expect(problemsOfCsv('x,"a\nb" ,"c\n')).toEqual([
      `sites.csv:2:1 '(csv)' has a quote that opens on line 2 and is never closed; close it with " (write "" for a quote inside a quoted field)`,
    ]);
  });

  test.each([
    ['an escaped quote inside the open field', '"a\nb""c\nd\n', 1],
    ['a comment with a quote on the first line', '# "x\n"a\n', 2],
    ['a comment after a tab', 'h\n\t# "c\n"a\n', 3],
    ['a comment after blanks', 'h\n  # "c\n"a\n', 3],
    ['a field that opens on line 1 and holds "" on line 2', 's,"v\nx""y\nz\n', 1],
    ['a comment holding a quote', 'h\n# "c\n"a\n', 3],
    ['a blank before the quote', 'a b,"c\n', 1],
    ['a # after text, which starts no comment', 'h\na#b,"c\n', 2],
    // The quote closes no text on its own line: the next line's first character is inside it.
    ['a quote that ends its line', 'h\na,"\nmore\n', 2],
    // A stray carriage return before # is a blank: the line is still a comment.
    ['a comment after a carriage return', 'h\n\r# "c\n"a\n', 3],
  ])('GIVEN %s THEN the unclosed quote is placed on its line', (_what, text, line) => {
    expect(problemsOfCsv(text)).toEqual([
      `sites.csv:${line}:1 '(csv)' has a quote that opens on line ${line} and is never closed; close it with " (write "" for a quote inside a quoted field)`,
    ]);
  });

  test('GIVEN no rows at all THEN the header is asked for', () => {
    const noHeader = `sites.csv:1:1 '(csv)' has no header row; start with site,kind,rke2_version,...`;
    expect(problemsOfCsv('')).toEqual([noHeader]);
    expect(problemsOfCsv('\n\n# only a comment\n')).toEqual([noHeader]);
  });

  test('GIVEN dns_servers THEN it is split at blanks and semicolons; a later row may repeat the list in another spelling', () => {
    const text = [
      HEADER_DNS,
      ha('h1', '02:00:00:00:00:01', '10.0.0.2; 10.0.0.3  10.0.0.4'),
      ha('h2', '02:00:00:00:00:02', '10.0.0.2 10.0.0.3;10.0.0.4'),
      ha('h3', '02:00:00:00:00:03', ''),
      '',
    ].join('\n');
    const { sites, problems } = parseCsvInventory(text, 'sites.csv');
    expect(problems).toEqual([]);
    expect(sites[0].dnsServers).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4']);
    // another list on a later row is refused at its cell
    const other = text.replace('10.0.0.2 10.0.0.3;10.0.0.4', '10.0.0.3');
    expect(problemsOfCsv(other)).toEqual([
      `sites.csv:3:10 'dns_servers' differs from line 2 of the same site (got "10.0.0.3"); leave it empty on a site's later rows`,
    ]);
  });
});

describe('CSV reading details, continued', () => {
  test('GIVEN dns_servers with separators at both ends THEN no empty entry is kept', () => {
    const text = `${HEADER},dns_servers\n${row('s1', 'h1', '02:00:00:00:00:01', ',";10.0.0.2;10.0.0.3;"')}\n`;
    const { sites, problems } = parseCsvInventory(text, 'sites.csv');
    expect(problems).toEqual([]);
    expect(sites[0].dnsServers).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  test("GIVEN a bad site value repeated on a site's later rows THEN it is reported at its first row", () => {
    const bad = (host: string, mac: string) => row('s1', host, mac, '10.1.0.999', 'ha-metallb');
    const text = [
      HEADER,
      bad('h1', '02:00:00:00:00:01'),
      bad('h2', '02:00:00:00:00:02'),
      bad('h3', '02:00:00:00:00:03'),
      '',
    ].join('\n');
    expect(problemsOfCsv(text)).toEqual([expect.stringMatching(/^sites.csv:2:9 'vip' /)]);
  });

  test('GIVEN a problem on a row whose quoted field spans lines THEN the row is named by its first line', () => {
    const text = `${HEADER}\ns1,single-node,v1,"http://img/\nos.raw",h1,zz:00:00:00:00:01,10.0.0.1,,\n`;
    expect(problemsOfCsv(text)).toEqual([expect.stringMatching(/^sites.csv:2:6 'host.bootMACAddress' is not a MAC/)]);
  });
});

describe('loadInventory files', () => {
  test('GIVEN a file that cannot be read THEN it is named with the reason', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'inv-')), 'missing.csv');
    let error: InventoryError | undefined;
    try {
      loadInventory([missing]);
    } catch (err) {
      error = err as InventoryError;
    }
    expect(error!.problems).toEqual([
      { file: missing, line: 1, column: 1, field: '(file)', message: expect.stringMatching(/^cannot be read: ENOENT/) },
    ]);
  });

  test('GIVEN .yml and upper-case extensions THEN they are read as YAML and CSV', () => {
    const yamlText = `sites:\n  - name: s1\n    kind: single-node\n    rke2Version: v1\n    image: { url: ${IMG} }\n    hosts:\n      - { name: h1, bootMACAddress: "02:00:00:00:00:01", bmcAddress: 10.0.0.1, address: 10.1.0.1/24 }\n`;
    const sites = loadInventory([
      tmp('A.YML', yamlText),
      tmp('b.Yaml', yamlText.replace('s1', 's2')),
      tmp('C.CSV', `${HEADER}\n${row('s3', 'h3', '02:00:00:00:00:03')}\n`),
    ]);
    expect(sites.map((s) => s.name)).toEqual(['s1', 's2', 's3']);
  });
});
