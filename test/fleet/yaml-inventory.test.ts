import * as fc from 'fast-check';
import { formatInventoryProblem } from '../../lib/fleet/inventory-draft';
import { parseYamlInventory } from '../../lib/fleet/yaml-inventory';
import { RUNS, SEED } from '../arbitraries';

const IMG = 'http://img.local/os.raw';

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
      `f.yaml:1:1 'color' is not a known key; use sites and defaults (keys starting with x- may hold anchors and are ignored)`,
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

describe('parseYamlInventory value fidelity', () => {
  const yaml = (sites: string, head = '') =>
    `${head}defaults:\n  rke2Version: v1.32.4+rke2r1\n  image: { url: ${IMG} }\nsites:\n${sites}`;
  const siteWith = (name: string, hostExtra = '') =>
    `  - name: ${name}\n    kind: single-node\n    hosts:\n      - { name: h1, bootMACAddress: "02:00:00:00:00:01", bmcAddress: 10.0.0.1, address: 10.1.0.1/24${hostExtra} }\n`;
  const problemsOf = (text: string) => parseYamlInventory(text, 'f.yaml').problems.map(formatInventoryProblem);

  test.each([
    ['0042', 'the number 42'],
    ['0x1f', 'the number 31'],
    ['1e3', 'the number 1000'],
    ['1.10', 'the number 1.1'],
    ['true', 'the boolean true'],
  ])('GIVEN name: %s THEN it is refused with the quoted form to write, never converted', (text, what) => {
    expect(problemsOf(yaml(siteWith(text)))).toEqual([
      `f.yaml:5:11 'name' is read as ${what}, not as the text written (got ${text}); quote it: name: "${text}"`,
    ]);
  });

  test('GIVEN quoted numbers THEN they stay text; a whole number written plainly reads back the same', () => {
    const { sites, problems } = parseYamlInventory(
      yaml(
        siteWith('"0042"', ", bmcSystemId: '1.10'") +
          siteWith('s2', ', bmcSystemId: 1').replace('02:00:00:00:00:01', '02:00:00:00:00:02'),
      ),
      'f.yaml',
    );
    expect(problems).toEqual([]);
    expect(sites.map((s) => s.name)).toEqual(['0042', 's2']);
    expect(sites[0].hosts[0].bmcSystemId).toBe('1.10');
    expect(sites[1].hosts[0].bmcSystemId).toBe('1');
  });

  test('GIVEN %YAML 1.1 THEN sexagesimal numbers and unquoted MACs are refused with the quoted form', () => {
    const text = yaml(
      siteWith('s1', ', bmcSystemId: 1:30').replace('"02:00:00:00:00:01"', '45:12:00:00:00:00'),
      '%YAML 1.1\n---\n',
    );
    expect(problemsOf(text)).toEqual([
      `f.yaml:10:37 'host.bootMACAddress' is read as the number 35147520000 under %YAML 1.1, not as the text written (got 45:12:00:00:00:00); quote it: bootMACAddress: "45:12:00:00:00:00"`,
      `f.yaml:10:113 'host.bmcSystemId' is read as the number 90 under %YAML 1.1, not as the text written (got 1:30); quote it: bmcSystemId: "1:30"`,
    ]);
  });

  test('GIVEN an empty value THEN it says so', () => {
    expect(problemsOf(yaml(`${siteWith('s1')}    gateway:\n`))).toEqual([
      `f.yaml:9:13 'gateway' is empty (got nothing); give it a value or leave the key out`,
    ]);
  });

  test('GIVEN anchors, aliases and merge keys that resolve to valid values THEN they are accepted', () => {
    const text = [
      'x-common: &common',
      '  kind: single-node',
      '  rke2Version: v1.32.4+rke2r1',
      `  image: &img { url: ${IMG} }`,
      'x-bmc: &bmc { bmcAddress: 10.0.0.9, bmcSystemId: "7" }',
      'sites:',
      '  - <<: *common',
      '    name: s1',
      '    hosts: &hosts',
      '      - { <<: *bmc, name: h1, bootMACAddress: &mac "02:00:00:00:00:01" }',
      '  - <<: *common',
      '    name: s2',
      '    image: *img',
      '    hosts:',
      '      - { <<: *bmc, name: h2, bootMACAddress: *mac }',
    ].join('\n');
    const { sites, problems } = parseYamlInventory(text, 'f.yaml');
    expect(problems).toEqual([]);
    expect(sites.map((s) => [s.name, s.kind, s.rke2Version, s.image.url])).toEqual([
      ['s1', 'single-node', 'v1.32.4+rke2r1', IMG],
      ['s2', 'single-node', 'v1.32.4+rke2r1', IMG],
    ]);
    expect(sites[1].hosts[0]).toEqual({
      name: 'h2',
      bootMACAddress: '02:00:00:00:00:01',
      bmcAddress: '10.0.0.9',
      bmcSystemId: '7',
    });
  });

  test('GIVEN an alias bomb THEN it is refused, not expanded', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(`${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
    bomb.push('sites: [*i]');
    expect(problemsOf(bomb.join('\n'))).toEqual([
      expect.stringMatching(/^f.yaml:1:1 '\(yaml\)' cannot be read: .*alias/i),
    ]);
  });
});
