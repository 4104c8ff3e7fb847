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

describe('parseYamlInventory structure and refusals', () => {
  const yaml = (sites: string) =>
    `defaults:\n  rke2Version: v1.32.4+rke2r1\n  image: { url: ${IMG} }\nsites:\n${sites}`;
  const siteWith = (siteExtra = '', hostExtra = '', name = 's1') =>
    `  - name: ${name}\n    kind: single-node\n${siteExtra}    hosts:\n      - { name: h1, bootMACAddress: "02:00:00:00:00:01", bmcAddress: 10.0.0.1, address: 10.1.0.1/24${hostExtra} }\n`;
  const read = (text: string) => {
    const { sites, problems } = parseYamlInventory(text, 'f.yaml');
    return { sites, problems: problems.map(formatInventoryProblem) };
  };
  const HOST =
    '      - { name: h1, bootMACAddress: "02:00:00:00:00:01", bmcAddress: 10.0.0.1, address: 10.1.0.1/24 }\n';

  test('merge keys: the map sets its own keys, and of several merged maps the first wins', () => {
    const text =
      'x-a: &a { kind: single-node, rke2Version: v1.32.4+rke2r1 }\n' +
      `x-b: &b { kind: ha, vip: 10.1.0.100, image: { url: ${IMG} } }\n` +
      `sites:\n  - <<: [*a, *b]\n    name: s1\n    hosts:\n${HOST}`;
    // kind comes from *a, the first: *b's vip is then a field single-node does not use
    expect(read(text).problems).toEqual([`f.yaml:2:26 'vip' is not used by kind single-node; leave it empty`]);
    // the site's own kind wins over both
    const own = text.replace('    name: s1\n', '    name: s1\n    kind: ha\n');
    expect(read(own).problems).not.toContainEqual(expect.stringMatching(/'vip' is not used/));
    // inside a nested map too: the image's own url wins over the merged one
    const { sites, problems } = read(
      `sites:\n  - name: s1\n    kind: single-node\n    rke2Version: v1.32.4+rke2r1\n    image: { url: ${IMG}, <<: { checksum: abc, url: other } }\n    hosts:\n${HOST}`,
    );
    expect(problems).toEqual([]);
    expect(sites[0].image).toEqual({ url: IMG, checksum: 'abc' });
  });

  test('a merge of something that is not a map, or of the map itself, is refused at the merged value', () => {
    expect(read('x-a: &a 5\nsites:\n  - <<: *a\n    name: s1\n').problems).toEqual([
      `f.yaml:3:9 '<<' merges something that is not a map (or itself); merge a map (<<: *defaults)`,
      `f.yaml:3:5 'hosts' must be a list of hosts`,
    ]);
    expect(read('sites:\n  - &s\n    name: s1\n    <<: *s\n').problems[0]).toBe(
      `f.yaml:4:9 '<<' merges something that is not a map (or itself); merge a map (<<: *defaults)`,
    );
  });

  test('keys starting with x- are ignored at the top; defaults and sites must have their shapes', () => {
    expect(read(`x-anything: 1\n${yaml(siteWith())}`).problems).toEqual([]);
    expect(read('defaults: [1]\nsites: []\n').problems).toEqual([
      `f.yaml:1:11 'defaults' must be a map of site fields`,
    ]);
    expect(read('defaults: {}\n').problems).toEqual([`f.yaml:1:1 'sites' must be a list of sites`]);
    expect(read(yaml('  - s1\n')).problems).toEqual([`f.yaml:5:5 'sites' holds an entry that is not a map`]);
    expect(read(yaml('  - kind: single-node\n    hosts: []\n')).problems).toEqual([
      `f.yaml:5:5 'name' is missing; every site needs a name`,
    ]);
    expect(read(yaml('  - name: s1\n    kind: single-node\n')).problems).toEqual([
      `f.yaml:5:5 'hosts' must be a list of hosts`,
    ]);
    expect(read(yaml('  - name: s1\n    kind: single-node\n    hosts: [h1]\n')).problems[0]).toBe(
      `f.yaml:7:13 'hosts' holds an entry that is not a map`,
    );
  });

  test('defaults may not hold hosts or name, and the hint lists only the keys defaults take', () => {
    expect(read(yaml(siteWith()).replace('defaults:\n', 'defaults:\n  hosts: []\n')).problems).toEqual([
      `f.yaml:2:3 'hosts' is not a known defaults key; use kind, rke2Version, image, vip, controlPlaneEndpoint, machineNetwork, gateway, dnsServers, podCidr, serviceCidr, bmcSecretStore`,
    ]);
    expect(read(`${yaml(siteWith())}    rack: r1\n`).problems).toEqual([
      `f.yaml:9:5 'rack' is not a known site key; use name, kind, rke2Version, image, hosts, vip, controlPlaneEndpoint, machineNetwork, gateway, dnsServers, podCidr, serviceCidr, bmcSecretStore`,
    ]);
  });

  test('image: a map of url, checksum and checksumType', () => {
    const { sites, problems } = read(
      yaml(siteWith('    image: { url: http://x/os.raw, checksum: abc123, checksumType: sha256 }\n')),
    );
    expect(problems).toEqual([]);
    expect(sites[0].image).toEqual({ url: 'http://x/os.raw', checksum: 'abc123', checksumType: 'sha256' });
    expect(read(yaml(siteWith('    image: http://x\n'))).problems).toEqual([
      `f.yaml:7:12 'image' must be a map with url, checksum, checksumType`,
    ]);
    expect(read(yaml(siteWith('    image: { url: http://x, sha: abc }\n'))).problems).toEqual([
      `f.yaml:7:29 'image.sha' is not a known image key; use url, checksum, checksumType`,
    ]);
  });

  test('dnsServers: a list of texts; an entry YAML reads as a number is refused, the others kept', () => {
    const { sites, problems } = read(yaml(siteWith('    dnsServers: [10.0.0.53, 1.10, 10.0.0.54]\n')));
    expect(problems).toEqual([
      `f.yaml:7:29 'dnsServers' is read as the number 1.1, not as the text written (got 1.10); quote it: dnsServers: "1.10"`,
    ]);
    expect(sites[0].dnsServers).toEqual(['10.0.0.53', '10.0.0.54']);
    expect(read(yaml(siteWith('    dnsServers: 10.0.0.53\n'))).problems).toEqual([
      `f.yaml:7:17 'dnsServers' must be a list of addresses`,
    ]);
  });

  test('a value that is not a scalar, or null, is refused with what was read', () => {
    expect(read(yaml(siteWith('    gateway: { a: 1 }\n'))).problems).toEqual([
      `f.yaml:7:14 'gateway' must be text (got {"a":1})`,
    ]);
    expect(read(yaml(siteWith('    gateway: ~\n'))).problems).toEqual([
      `f.yaml:7:14 'gateway' is empty (got ~); give it a value or leave the key out`,
    ]);
  });

  test('whole numbers read back as written up to 15 digits, negative ones too; 16 digits are refused', () => {
    const id = (v: string) => read(yaml(siteWith('', `, bmcSystemId: ${v}`)));
    expect(id('123456789012345').sites[0].hosts[0].bmcSystemId).toBe('123456789012345');
    expect(id('-5').sites[0].hosts[0].bmcSystemId).toBe('-5');
    expect(id('1234567890123456').problems).toEqual([
      `f.yaml:8:115 'host.bmcSystemId' is read as the number 1234567890123456, not as the text written (got 1234567890123456); quote it: bmcSystemId: "1234567890123456"`,
    ]);
    expect(id('1.5').problems).toEqual([
      `f.yaml:8:115 'host.bmcSystemId' is read as the number 1.5, not as the text written (got 1.5); quote it: bmcSystemId: "1.5"`,
    ]);
  });

  test('under %YAML 1.1 a date is read as a timestamp and refused with the quoted form', () => {
    expect(read(`%YAML 1.1\n---\n${yaml(siteWith('', '', '2001-12-14'))}`).problems).toEqual([
      `f.yaml:7:11 'name' is read as a timestamp under %YAML 1.1, not as the text written (got 2001-12-14); quote it: name: "2001-12-14"`,
    ]);
  });

  test('a default refused once is not reported again as missing at every site', () => {
    const text = `defaults:\n  rke2Version: 1.10\n  image: { url: 1.5 }\nsites:\n${siteWith()}${siteWith('', '', 's2').replace('02:00:00:00:00:01', '02:00:00:00:00:02')}`;
    expect(read(text).problems).toEqual([
      `f.yaml:2:16 'rke2Version' is read as the number 1.1, not as the text written (got 1.10); quote it: rke2Version: "1.10"`,
      `f.yaml:3:17 'image.url' is read as the number 1.5, not as the text written (got 1.5); quote it: url: "1.5"`,
    ]);
  });

  test('a key that is not a scalar is named by its text', () => {
    expect(read(yaml(siteWith('    ? [a]\n    : b\n'))).problems).toEqual([
      expect.stringMatching(/^f.yaml:7:7 '\["a"\]' is not a known site key/),
    ]);
  });
  test('a YAML syntax error is reported with the first line of its message', () => {
    expect(read(yaml(siteWith('    <<: {}\n    <<: {}\n'))).problems).toEqual([
      `f.yaml:8:5 '(yaml)' Map keys must be unique at line 8, column 5:`,
    ]);
  });

  test('a key without a value is refused as not text, with null shown, at the key', () => {
    expect(read(yaml(siteWith('    ? gateway\n'))).problems).toEqual([`f.yaml:7:7 'gateway' must be text (got null)`]);
    expect(read(yaml(siteWith('    image:\n      ? checksum\n'))).problems).toEqual([
      `f.yaml:8:9 'image.checksum' must be text (got null)`,
    ]);
  });

  test('-0 is refused: it reads as the number 0, not as written', () => {
    expect(read(yaml(siteWith('', ', bmcSystemId: -0'))).problems).toEqual([
      `f.yaml:8:115 'host.bmcSystemId' is read as the number 0, not as the text written (got -0); quote it: bmcSystemId: "-0"`,
    ]);
  });
});
