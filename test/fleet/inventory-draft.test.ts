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
    for (const address of ['10.1.0.1', '10.1.0.1/0024', '10.1.0.300/24']) {
      expect(problemsOf(address)).toEqual([
        `sites.csv:2:8 'host.address' is not an address with prefix length (got "${address}"); write it as 10.1.2.21/24`,
      ]);
    }
  });
});
