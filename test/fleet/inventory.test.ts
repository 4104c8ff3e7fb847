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

describe('parseYamlInventory', () => {
  const yaml = (sites: string) =>
    `defaults:\n  rke2Version: v1.32.4+rke2r1\n  image: { url: ${IMG} }\nsites:\n${sites}`;
  const site = `  - name: s1\n    kind: single-node\n    hosts:\n      - { name: h1, bootMACAddress: "02:00:00:00:00:01", bmcAddress: 10.0.0.1, address: 10.1.0.1/24 }\n`;

  test('GIVEN defaults and a site THEN the site inherits them', () => {
    const { sites, problems } = parseYamlInventory(yaml(site), 'f.yaml');
    expect(problems).toEqual([]);
    expect(sites[0]).toMatchObject({
      name: 's1',
      rke2Version: 'v1.32.4+rke2r1',
      image: { url: IMG },
      source: { file: 'f.yaml', line: 5 },
    });
  });

  const problemsOf = (text: string) => parseYamlInventory(text, 'f.yaml').problems.map(formatInventoryProblem);

  test('fails for an unknown key at each level, naming line and column', () => {
    expect(problemsOf(`${yaml(site)}    rack: r1\n`)).toEqual([
      expect.stringMatching(/^f.yaml:9:5 'rack' is not a known site key/),
    ]);
    expect(problemsOf(yaml(site.replace('address: 10.1.0.1/24', 'ip: 10.1.0.1/24')))).toEqual([
      expect.stringMatching(/^f.yaml:8:.* 'host.ip' is not a known host key; use name, bootMACAddress/),
    ]);
    expect(problemsOf(`color: red\n${yaml(site)}`)[0]).toBe(
      `f.yaml:1:1 'color' is not a known key; use sites and defaults`,
    );
    expect(problemsOf(yaml(site).replace('defaults:\n', 'defaults:\n  name: x\n'))[0]).toMatch(
      /^f.yaml:2:3 'name' is not a known defaults key/,
    );
  });

  test('fails for a duplicate site', () => {
    expect(problemsOf(yaml(site + site.replace(/02:00:00:00:00:01/, '02:00:00:00:00:02')))).toEqual([
      `f.yaml:9:11 'name' repeats site s1 of line 5; list each site once`,
    ]);
  });

  test('fails for a bad MAC at its line and column', () => {
    expect(problemsOf(yaml(site.replace('"02:00:00:00:00:01"', 'nope')))).toEqual([
      expect.stringMatching(/^f.yaml:8:37 'host.bootMACAddress' is not a MAC address \(got "nope"\)/),
    ]);
  });

  test('fails for a document that is not an inventory', () => {
    expect(problemsOf('- a\n')).toEqual([
      `f.yaml:1:1 '(yaml)' is not a map; write sites: [...] and optionally defaults: {...}`,
    ]);
    expect(problemsOf('sites: {a: 1}\n')).toEqual([`f.yaml:1:8 'sites' must be a list of sites`]);
    expect(problemsOf('sites: [a: [}\n')[0]).toMatch(/^f.yaml:1:\d+ '\(yaml\)' /);
    expect(problemsOf(yaml('  - name: s1\n    kind: single-node\n    hosts: h1\n'))).toEqual([
      `f.yaml:7:12 'hosts' must be a list of hosts`,
    ]);
    expect(problemsOf(yaml('  - name: [x]\n'))[0]).toMatch(/^f.yaml:5:11 'name' must be text/);
  });

  describe('properties', () => {
    test('any YAML yields sites or located problems, never a TypeError', () => {
      const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
      fc.assert(
        fc.property(
          fc.dictionary(
            fc.constantFrom('sites', 'defaults', 'x'),
            fc.oneof(
              value,
              fc.array(fc.dictionary(fc.constantFrom('name', 'kind', 'hosts', 'vip', 'image'), value), {
                maxLength: 2,
              }),
            ),
          ),
          (doc) => {
            const { problems } = parseYamlInventory(JSON.stringify(doc), 'f.yaml');
            for (const p of problems) expect(p.line).toBeGreaterThanOrEqual(1);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    });
  });
});

describe('parseCsvInventory: host address prefix limits', () => {
  const withAddress = (address: string) =>
    `${HEADER}\ns1,single-node,v1.32.4+rke2r1,${IMG},h1,02:00:00:00:00:01,10.0.0.1,${address},\n`;

  test('accepts /32 for an IPv4 and /128 for an IPv6 host address', () => {
    for (const address of ['10.1.0.1/32', 'fd00:1::21/128']) {
      const { sites, problems } = parseCsvInventory(withAddress(address), 'sites.csv');
      expect(problems).toEqual([]);
      expect(sites[0].hosts[0].address).toBe(address);
    }
  });

  test('fails for /33 on IPv4 and /129 on IPv6, one past the limit', () => {
    expect(problemsOfCsv(withAddress('10.1.0.1/33'))).toEqual([
      `sites.csv:2:8 'host.address' has a prefix length above 32 (got "10.1.0.1/33"); write it as 10.1.2.21/24`,
    ]);
    expect(problemsOfCsv(withAddress('fd00:1::21/129'))).toEqual([
      `sites.csv:2:8 'host.address' has a prefix length above 128 (got "fd00:1::21/129"); write it as 10.1.2.21/24`,
    ]);
  });

  test('fails for an address without prefix, a four-digit prefix or a bad address', () => {
    for (const address of ['10.1.0.1', '10.1.0.1/0024', '10.1.0.300/24']) {
      expect(problemsOfCsv(withAddress(address))).toEqual([
        `sites.csv:2:8 'host.address' is not an address with prefix length (got "${address}"); write it as 10.1.2.21/24`,
      ]);
    }
  });
});
