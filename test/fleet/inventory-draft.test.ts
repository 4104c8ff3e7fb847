import { BaremetalValidationError } from '../../lib/errors';
import {
  checkDraft,
  collectProblems,
  Draft,
  formatInventoryProblem,
  InventoryError,
  toSite,
} from '../../lib/fleet/inventory-draft';

const at = (line: number, column = 1) => ({ line, column });
const field = (value: string | string[], line = 2, column = 1) => ({ value, where: at(line, column) });

/** A single-node draft with one host, as both readers build it. */
function draft(extra: Partial<Draft> = {}): Draft {
  return {
    where: at(2),
    fields: new Map<string, { value: string | string[]; where: { line: number; column: number } }>([
      ['name', field('s1')],
      ['kind', field('single-node', 2, 2)],
      ['rke2Version', field('v1.32.4+rke2r1', 2, 3)],
      ['image.url', field('http://img/os.raw', 2, 4)],
    ]),
    hosts: [
      {
        where: at(2),
        fields: new Map([
          ['host.name', { value: 'h1', where: at(2, 5) }],
          ['host.bootMACAddress', { value: '02:00:00:00:00:01', where: at(2, 6) }],
          ['host.bmcAddress', { value: '10.0.0.1', where: at(2, 7) }],
        ]),
      },
    ],
    ...extra,
  };
}

describe('checkDraft and toSite', () => {
  test('GIVEN a complete draft THEN it passes and becomes a SiteDescription with its source', () => {
    const problems = collectProblems('f.csv');
    const d = draft();
    expect(checkDraft(d, problems)).toBe(true);
    expect(problems.list).toEqual([]);
    expect(toSite(d, 'f.csv')).toEqual({
      name: 's1',
      kind: 'single-node',
      rke2Version: 'v1.32.4+rke2r1',
      image: { url: 'http://img/os.raw' },
      hosts: [{ name: 'h1', bootMACAddress: '02:00:00:00:00:01', bmcAddress: '10.0.0.1' }],
      source: { file: 'f.csv', line: 2 },
    });
  });

  test('GIVEN a field missing THEN it is reported; GIVEN it was refused already THEN not twice', () => {
    const d = draft();
    d.fields.delete('rke2Version');
    const problems = collectProblems('f.yaml');
    expect(checkDraft(d, problems)).toBe(false);
    expect(problems.list.map(formatInventoryProblem)).toEqual([
      `f.yaml:2:1 'rke2Version' is missing; every site needs a rke2Version`,
    ]);
    const refused = collectProblems('f.yaml');
    expect(checkDraft({ ...d, refused: new Set(['rke2Version']) }, refused)).toBe(true);
  });

  test('fails for a site name over 58 characters, with the reason', () => {
    const d = draft();
    d.fields.set('name', field('a'.repeat(59)));
    const problems = collectProblems('f.csv');
    checkDraft(d, problems);
    expect(problems.list.map((p) => p.message)).toEqual([
      `is longer than 58 characters (got "${'a'.repeat(59)}"); shorten it: the site's namespace site-<name> is a DNS-1123 label, at most 63 characters`,
    ]);
  });
});

describe('InventoryError', () => {
  test('lists every problem as file:line:column', () => {
    const error = new InventoryError([
      { file: 'a.csv', line: 3, column: 2, field: 'kind', message: 'is not a site kind' },
    ]);
    expect(error.message).toBe(`the inventory has 1 problem(s):\n  a.csv:3:2 'kind' is not a site kind`);
  });
});

describe('checkDraft: host address prefix limits', () => {
  /** The problems of a draft whose host has `address`. */
  const problemsOf = (address: string) => {
    const d = draft();
    d.hosts[0].fields.set('host.address', { value: address, where: at(2, 8) });
    const problems = collectProblems('sites.csv');
    checkDraft(d, problems);
    return problems.list.map(formatInventoryProblem);
  };

  test('accepts /32, the longest IPv4 prefix', () => {
    expect(problemsOf('10.1.0.1/32')).toEqual([]);
    expect(problemsOf('10.1.0.1/24')).toEqual([]);
  });

  test('fails for /33, one past the limit', () => {
    expect(problemsOf('10.1.0.1/33')).toEqual([
      `sites.csv:2:8 'host.address' has a prefix length above 32 (got "10.1.0.1/33"); write it as 10.1.2.21/24`,
    ]);
  });

  test('fails for an IPv6 address, whatever its prefix', () => {
    for (const address of ['fd00:1::21/64', 'fd00:1::21/128']) {
      expect(problemsOf(address)).toEqual([expect.stringMatching(/^sites.csv:2:8 'host.address' is an IPv6 address/)]);
    }
  });

  test('fails for an address without prefix, a four-digit prefix or a bad address', () => {
    for (const address of ['10.1.0.1', '10.1.0.1/0024', '10.1.0.300/24', 'x/10.1.0.1/24']) {
      expect(problemsOf(address)).toEqual([
        `sites.csv:2:8 'host.address' is not an address with prefix length (got "${address}"); write it as 10.1.2.21/24`,
      ]);
    }
  });
});

describe('checkDraft: every rule, with its message', () => {
  /** The problems of `d`, formatted. */
  const problemsOf = (d: Draft) => {
    const problems = collectProblems('f.csv');
    const ok = checkDraft(d, problems);
    const list = problems.list.map(formatInventoryProblem);
    expect(ok).toBe(list.length === 0);
    return list;
  };
  const withField = (name: string, value: string | string[], column = 9) => {
    const d = draft();
    d.fields.set(name, field(value, 2, column));
    return d;
  };
  const withHostField = (name: string, value: string, column = 9) => {
    const d = draft();
    d.hosts[0].fields.set(name, { value, where: at(2, column) });
    return d;
  };

  test('accepts a site name of 58 characters and one character', () => {
    expect(problemsOf(withField('name', 'a'.repeat(58), 1))).toEqual([]);
    expect(problemsOf(withField('name', 'a', 1))).toEqual([]);
  });

  test('fails for a site name that is not a DNS-1123 label', () => {
    expect(problemsOf(withField('name', 'S1', 1))).toEqual([
      `f.csv:2:1 'name' is not a DNS-1123 label (got "S1"); use lower-case letters, digits and "-", at most 58`,
    ]);
  });

  test('fails for an unknown kind, listing the kinds', () => {
    expect(problemsOf(withField('kind', 'sno', 2))).toEqual([
      `f.csv:2:2 'kind' is not a site kind (got "sno"); use one of single-node, ha-metallb`,
    ]);
  });

  test('fails for a host name that is not a DNS-1123 subdomain', () => {
    expect(problemsOf(withHostField('host.name', 'H_1', 5))).toEqual([
      `f.csv:2:5 'host.name' is not a DNS-1123 subdomain (got "H_1"); use lower-case letters, digits, "-" and "."`,
    ]);
  });

  test('checks MAC, VIP-less addresses, gateway, networks and DNS servers where they are', () => {
    expect(problemsOf(withHostField('host.bootMACAddress', '02:00:00:00:00'))).toEqual([
      expect.stringMatching(/^f\.csv:2:9 'host\.bootMACAddress' is not a MAC address/),
    ]);
    expect(problemsOf(withField('gateway', '10.0.0'))).toEqual([
      expect.stringMatching(/^f\.csv:2:9 'gateway' is not a dotted-quad IPv4 address/),
    ]);
    expect(problemsOf(withField('podCidr', '10.0.0.1/8'))).toEqual([
      expect.stringMatching(/^f\.csv:2:9 'podCidr' has host bits set/),
    ]);
    expect(problemsOf(withField('serviceCidr', '10.0.0.0'))).toEqual([
      expect.stringMatching(/^f\.csv:2:9 'serviceCidr' has no prefix length/),
    ]);
    expect(problemsOf(withField('dnsServers', ['10.0.0.53', 'dns', '10.0.0.300']))).toEqual([
      expect.stringMatching(/^f\.csv:2:9 'dnsServers' is not a dotted-quad IPv4 address \(got "dns"\)/),
      expect.stringMatching(/^f\.csv:2:9 'dnsServers' is not a dotted-quad IPv4 address \(got "10\.0\.0\.300"\)/),
    ]);
    expect(problemsOf(withField('dnsServers', ['10.0.0.53', 'fd00::53']))).toEqual([]);
  });

  test('a value shared by several sites is judged at each: a bad one is reported at each place', () => {
    // GIVEN one collector over three sites: two share a bad pod CIDR, two a good one
    const problems = collectProblems('f.csv');
    const site = (line: number, podCidr: string) =>
      draft({ fields: new Map([...draft().fields, ['podCidr', field(podCidr, line, 9)]]) });
    // WHEN each is checked
    const verdicts = [
      site(2, '10.0.0.1/8'),
      site(3, '10.0.0.1/8'),
      site(4, '10.42.0.0/16'),
      site(5, '10.42.0.0/16'),
    ].map((d) => checkDraft(d, problems));
    // THEN both bad ones fail with their own line, both good ones pass
    expect(verdicts).toEqual([false, false, true, true]);
    expect(problems.list.map((p) => `${p.line}:${p.field}`)).toEqual(['2:podCidr', '3:podCidr']);
  });

  test('accepts the three checksum types and refuses others', () => {
    for (const t of ['sha256', 'sha512', 'md5']) expect(problemsOf(withField('image.checksumType', t))).toEqual([]);
    expect(problemsOf(withField('image.checksumType', 'sha1'))).toEqual([
      `f.csv:2:9 'image.checksumType' is not a checksum type (got "sha1"); use sha256, sha512 or md5`,
    ]);
  });

  test('fails for a field the kind does not use, but not for the fields every kind takes', () => {
    expect(problemsOf(withField('vip', '10.0.0.5'))).toEqual([
      `f.csv:2:9 'vip' is not used by kind single-node; leave it empty`,
    ]);
    expect(problemsOf(withField('image.checksum', 'abc'))).toEqual([]);
    expect(problemsOf(withField('bmcSecretStore', 'vault'))).toEqual([]);
    expect(problemsOf(withField('controlPlaneEndpoint', '10.0.0.5'))).toEqual([]);
  });

  test('fails when the kind requires a field the site lacks', () => {
    const d = draft();
    d.fields.set('kind', field('ha-metallb', 2, 2));
    d.hosts.push({ ...d.hosts[0] }, { ...d.hosts[0] });
    expect(problemsOf(d)).toEqual([`f.csv:2:1 'vip' is required by kind ha-metallb`]);
  });

  test('fails for a host count the kind does not take, with the rule', () => {
    const d = draft();
    d.hosts.push({ ...d.hosts[0] });
    expect(problemsOf(d)).toEqual([`f.csv:2:1 'hosts' lists 2 host(s); a single-node site needs exactly 1`]);
  });

  test('checks nothing kind-specific for an unknown kind', () => {
    const d = withField('kind', 'sno', 2);
    d.fields.set('vip', field('10.0.0.5', 2, 9));
    d.hosts.push({ ...d.hosts[0] });
    expect(problemsOf(d)).toEqual([
      `f.csv:2:2 'kind' is not a site kind (got "sno"); use one of single-node, ha-metallb`,
    ]);
  });

  test('a host remote key needs a site secret store', () => {
    expect(problemsOf(withHostField('host.bmcRemoteKey', 'bmc/h1'))).toEqual([
      `f.csv:2:9 'host.bmcRemoteKey' needs the site to have a bmcSecretStore; set one or leave it empty`,
    ]);
    const d = withHostField('host.bmcRemoteKey', 'bmc/h1');
    d.fields.set('bmcSecretStore', field('vault'));
    expect(problemsOf(d)).toEqual([]);
  });

  test('every host needs a name, a boot MAC and a BMC address, unless the value was refused already', () => {
    const d = draft();
    d.hosts[0].fields.delete('host.bootMACAddress');
    d.hosts[0].fields.delete('host.bmcAddress');
    expect(problemsOf(d)).toEqual([
      `f.csv:2:1 'host.bootMACAddress' is missing; every host needs a bootMACAddress`,
      `f.csv:2:1 'host.bmcAddress' is missing; every host needs a bmcAddress`,
    ]);
    d.hosts[0].refused = new Set(['host.bootMACAddress', 'host.bmcAddress']);
    expect(problemsOf(d)).toEqual([]);
  });

  test('an IPv6 host address says which inventory fields hold it', () => {
    expect(problemsOf(withHostField('host.address', 'fd00::21/64'))).toEqual([
      `f.csv:2:9 'host.address' is an IPv6 address (got "fd00::21/64"); inventories give hosts an IPv4 address (CSV host_address, YAML address); write one such as 10.1.2.21/24, or leave it empty for DHCP`,
    ]);
  });

  test('a problem keeps only the reason of a validation error, not its construct path', () => {
    const problems = collectProblems('f.csv');
    expect(problems.check(at(3, 4), 'vip', (w) => expect(w).toEqual({ path: 'f.csv:3:4', prop: 'vip' }))).toBe(true);
    expect(problems.list).toEqual([]);
    expect(() =>
      problems.check(at(3, 4), 'vip', () => {
        throw new TypeError('boom');
      }),
    ).toThrow(TypeError);
  });
});

describe('toSite: optional fields', () => {
  test('carries every optional site and host field that is set, and no other', () => {
    const d = draft();
    for (const [k, v] of [
      ['image.checksum', 'abc'],
      ['image.checksumType', 'sha256'],
      ['controlPlaneEndpoint', '10.0.0.5'],
      ['gateway', '10.0.0.1'],
      ['podCidr', '10.42.0.0/16'],
      ['serviceCidr', '10.43.0.0/16'],
      ['bmcSecretStore', 'vault'],
    ] as const)
      d.fields.set(k, field(v));
    d.fields.set('dnsServers', field(['10.0.0.53']));
    d.hosts[0].fields.set('host.address', { value: '10.0.0.21/24', where: at(2) });
    d.hosts[0].fields.set('host.bmcRemoteKey', { value: 'bmc/h1', where: at(2) });
    expect(toSite(d, 'f.csv')).toEqual({
      name: 's1',
      kind: 'single-node',
      rke2Version: 'v1.32.4+rke2r1',
      image: { url: 'http://img/os.raw', checksum: 'abc', checksumType: 'sha256' },
      controlPlaneEndpoint: '10.0.0.5',
      gateway: '10.0.0.1',
      podCidr: '10.42.0.0/16',
      serviceCidr: '10.43.0.0/16',
      bmcSecretStore: 'vault',
      dnsServers: ['10.0.0.53'],
      hosts: [
        {
          name: 'h1',
          bootMACAddress: '02:00:00:00:00:01',
          bmcAddress: '10.0.0.1',
          address: '10.0.0.21/24',
          bmcRemoteKey: 'bmc/h1',
        },
      ],
      source: { file: 'f.csv', line: 2 },
    });
  });
});

describe('checkDraft and toSite: an HA site', () => {
  /** An ha-metallb draft with three hosts, a VIP and a machine network. */
  function haDraft(): Draft {
    const d = draft();
    d.fields.set('kind', field('ha-metallb', 2, 2));
    d.fields.set('vip', field('10.0.0.5', 2, 9));
    d.fields.set('machineNetwork', field('10.0.0.0/24', 2, 10));
    const host = d.hosts[0];
    host.fields.set('host.bmcSystemId', { value: '1', where: at(2, 11) });
    host.fields.set('host.bmcCredentialsSecret', { value: 'bmc-h1', where: at(2, 12) });
    d.hosts.push({ ...host }, { ...host });
    return d;
  }

  test('passes with its VIP and machine network, and carries them and the BMC fields, nothing unset', () => {
    const d = haDraft();
    const problems = collectProblems('f.csv');
    expect(checkDraft(d, problems)).toBe(true);
    const host = {
      name: 'h1',
      bootMACAddress: '02:00:00:00:00:01',
      bmcAddress: '10.0.0.1',
      bmcSystemId: '1',
      bmcCredentialsSecret: 'bmc-h1',
    };
    expect(toSite(d, 'f.csv')).toStrictEqual({
      name: 's1',
      kind: 'ha-metallb',
      rke2Version: 'v1.32.4+rke2r1',
      image: { url: 'http://img/os.raw' },
      hosts: [host, host, host],
      vip: '10.0.0.5',
      machineNetwork: '10.0.0.0/24',
      source: { file: 'f.csv', line: 2 },
    });
  });

  test('checks the VIP and the machine network', () => {
    const d = haDraft();
    d.fields.set('vip', field('10.0.0', 2, 9));
    d.fields.set('machineNetwork', field('10.0.0.1/24', 2, 10));
    const problems = collectProblems('f.csv');
    expect(checkDraft(d, problems)).toBe(false);
    expect(problems.list.map(formatInventoryProblem)).toEqual([
      expect.stringMatching(/^f\.csv:2:9 'vip' is not a dotted-quad IPv4 address/),
      expect.stringMatching(/^f\.csv:2:10 'machineNetwork' has host bits set/),
    ]);
  });

  test('a refused value is reported as such and the check says false', () => {
    const problems = collectProblems('f.csv');
    expect(
      problems.check(at(3, 4), 'vip', (w) => {
        throw new BaremetalValidationError(w.path, w.prop, 'is wrong', '"x"', 'fix it');
      }),
    ).toBe(false);
    expect(problems.list.map(formatInventoryProblem)).toEqual([`f.csv:3:4 'vip' is wrong (got "x"); fix it`]);
  });

  test('InventoryError is named and lists problems one per line', () => {
    const error = new InventoryError([
      { file: 'a.csv', line: 3, column: 2, field: 'kind', message: 'x' },
      { file: 'a.csv', line: 4, column: 1, field: 'name', message: 'y' },
    ]);
    expect(error.name).toBe('InventoryError');
    expect(error.message).toBe(`the inventory has 2 problem(s):\n  a.csv:3:2 'kind' x\n  a.csv:4:1 'name' y`);
  });
});
