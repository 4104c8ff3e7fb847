import { celRuleSupported, evaluateCelRules } from '../../lib/validation/cel';
import { celRulesFor, shippedSchemas, validateManifest } from '../../lib/validation/schema-validator';

const rule = (r: string, path = '') => ({ path, rule: r, message: `failed: ${r}` });

describe('evaluateCelRules', () => {
  test('binds self to every value at the rule path, expanding * over lists and maps', () => {
    const obj = { spec: { hosts: [{ port: 1 }, { port: 70000 }], byName: { a: { port: 2 } } } };
    const res = evaluateCelRules(obj, [
      rule('self.port < 65536', '/spec/hosts/*'),
      rule('self.port > 0', '/spec/byName/*'),
    ]);
    expect(res.evaluated).toBe(3);
    expect(res.failures).toEqual([
      { path: '/spec/hosts/1', rule: 'self.port < 65536', message: 'failed: self.port < 65536' },
    ]);
  });

  test('skips rules whose value is absent, as the API server does', () => {
    expect(evaluateCelRules({ spec: {} }, [rule('self.size() > 0', '/spec/list')]).evaluated).toBe(0);
  });

  test('treats whole numbers as CEL ints', () => {
    expect(evaluateCelRules({ n: 3 }, [rule('self.n == 3 && self.n > 2')]).failures).toEqual([]);
  });

  test('skips transition rules on create and counts them', () => {
    const res = evaluateCelRules({ a: 1 }, [rule('self == oldSelf')]);
    expect(res).toMatchObject({ evaluated: 0, skipped: 1, failures: [] });
  });

  test('a rule that fails on the data counts as failed', () => {
    expect(evaluateCelRules({ a: {} }, [rule('self.a.b == 1')]).failures).toHaveLength(1);
  });

  test('appends the rule fieldPath to the reported path', () => {
    const res = evaluateCelRules({ spec: { x: 1 } }, [{ ...rule('self.x == 2', '/spec'), fieldPath: '.x' }]);
    expect(res.failures[0].path).toBe('/spec/x');
  });

  test.each([
    ["'a/b/c'.split('/', 2) == ['a', 'b/c']", true],
    ["'a/b'.split('/')[1] == 'b'", true],
    ["'ABC'.lowerAscii() == 'abc'", true],
    ["'a#frag'.find('#(.+)$') == '#frag'", true],
    ["isCIDR('10.0.0.0/8') && cidr('10.0.0.0/8').prefixLength() == 8", true],
    ["isCIDR('10.0.0.1/33')", false],
    ["isIP('fd00::1') && ip('fd00::1').family() == 6", true],
    ["isURL('https://x.example/p?q=1') && url('https://x.example/p').getScheme() == 'https'", true],
    ["url('https://x.example/p').getQuery() == {}", true],
    ["duration('15m') > duration('1ms')", true],
  ])('Kubernetes library function: %s', (expr, expected) => {
    expect(evaluateCelRules({}, [rule(expr)]).failures.length === 0).toBe(expected);
  });
});

describe('Kubernetes library functions at their limits', () => {
  test.each([
    ["isCIDR('10.0.0.1/32')", true],
    ["isCIDR('10.0.0.1/8')", true],
    ["isCIDR('10.0.0.0')", false],
    ["isCIDR('10.0.0/8')", false],
    ["isCIDR('10.0.0.0/x')", false],
    ["isCIDR('10.0.0.0/8x')", false],
    ["isCIDR('10.0.0.0/0032')", false],
    ["isCIDR('10.0.0.0/+8')", false],
    ["isCIDR('10.0.0.0/ 8')", false],
    ["isCIDR('10.0.0.0/8 ')", false],
    ["isCIDR('10.0.0.0/1e1')", false],
    ["[1, 'a'].size() == 2", true],
    ['optional.of(1).hasValue()', true],
    ["isCIDR('fd00::/128')", true],
    ["isCIDR('fd00::/129')", false],
    ["cidr('10.1.2.3/8').prefixLength() == 8 && cidr('10.1.2.3/8').ip().family() == 4", true],
    ["cidr('fd00::1/64').ip().family() == 6", true],
    ["isIP('10.0.0.255') && !isIP('10.0.0.256')", true],
    ["ip('10.0.0.1').family() == 4", true],
    ["'abc'.find('x') == ''", true],
    ["'abc'.find('b.') == 'bc'", true],
    ["isURL('not a url')", false],
    ["url('https://x.example:8443/p').getHost() == 'x.example:8443'", true],
    ["url('https://[fd00::1]:8443/').getHostname() == 'fd00::1'", true],
    ["url('https://x.example/a%20b').getEscapedPath() == '/a%20b'", true],
    ["url('https://x.example/?q=1&q=2&r=3').getQuery() == {'q': ['1', '2'], 'r': ['3']}", true],
    ["url('ftp://x.example/').getScheme() == 'ftp'", true],
  ])('%s is %s', (expr, expected) => {
    // GIVEN a rule that is only the expression WHEN it is evaluated THEN it fails exactly when false
    const res = evaluateCelRules({}, [rule(expr)]);
    expect(res).toMatchObject({ evaluated: 1, skipped: 0 });
    expect(res.failures.length === 0).toBe(expected);
  });
});

describe('evaluateCelRules details', () => {
  test('a failure without a message names the rule', () => {
    const res = evaluateCelRules({ a: 1 }, [{ path: '', rule: 'self.a == 2' }]);
    expect(res.failures).toEqual([{ path: '', rule: 'self.a == 2', message: 'failed rule: self.a == 2' }]);
  });

  test('a rule that yields something other than true fails', () => {
    expect(evaluateCelRules({ a: 1 }, [rule('self.a')]).failures).toHaveLength(1);
  });

  test('numbers nested in lists and maps are CEL ints, fractions stay doubles; text, booleans and null stay as they are', () => {
    const obj = { list: [1, 2], map: { n: 3 }, x: 1.5, none: null, s: 'abc', b: true };
    const res = evaluateCelRules(obj, [
      rule('self.list[0] + 1 == 2 && self.map.n - 1 == 2'),
      rule('self.x == 1.5'),
      rule('self.none == null'),
      rule("self.s == 'abc' && self.b == true"),
    ]);
    expect(res).toEqual({ failures: [], evaluated: 4, skipped: 0 });
  });

  test('path keys unescape ~1 and ~0 and the reported path keeps them escaped', () => {
    const obj = { metadata: { annotations: { 'a/b': 'x', 'c~d': 'y' } } };
    const res = evaluateCelRules(obj, [
      rule("self == 'no'", '/metadata/annotations/a~1b'),
      rule("self == 'no'", '/metadata/annotations/c~0d'),
    ]);
    expect(res.failures.map((f) => f.path)).toEqual(['/metadata/annotations/a~1b', '/metadata/annotations/c~0d']);
  });

  test('a path through a scalar, a list (without *) or an inherited key finds no value', () => {
    const obj = { spec: { name: 'a', list: ['x'] } };
    const res = evaluateCelRules(obj, [
      rule('false', '/spec/name/x'),
      rule('false', '/spec/list/0'),
      rule('false', '/spec/toString'),
      rule('false', '/spec/missing'),
    ]);
    expect(res).toEqual({ failures: [], evaluated: 0, skipped: 0 });
  });

  test('a rule whose function has no overload for the data is skipped once, not failed', () => {
    const res = evaluateCelRules({ items: [1, 2] }, [rule("self.lowerAscii() == 'a'", '/items/*')]);
    expect(res).toEqual({ failures: [], evaluated: 0, skipped: 1 });
  });

  test('a rule that does not compile is skipped', () => {
    expect(evaluateCelRules({}, [rule('self.(')])).toEqual({ failures: [], evaluated: 0, skipped: 1 });
  });

  test('a nested fieldPath becomes a JSON pointer below the rule path', () => {
    const res = evaluateCelRules({ spec: { a: { b: 1 } } }, [{ ...rule('false', '/spec'), fieldPath: '.a.b' }]);
    expect(res.failures[0].path).toBe('/spec/a/b');
  });
});

describe('celRuleSupported', () => {
  test('a plain rule is supported; a transition rule and a rule that does not compile are not', () => {
    expect(celRuleSupported('self.a == 1')).toBe(true);
    expect(celRuleSupported('self.a == oldSelf.a')).toBe(false);
    expect(celRuleSupported('self.(')).toBe(false);
  });
});

describe('CEL in validateManifest', () => {
  test('refuses what the RKE2 provider CEL rule refuses', () => {
    const cp = {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
      kind: 'RKE2ControlPlane',
      metadata: { name: 'a' },
      spec: {
        rolloutStrategy: { type: 'RollingUpdate' },
        agentConfig: { additionalUserData: { config: 'x', data: { a: 'b' } } },
      },
    };
    expect(validateManifest(cp)).toEqual([
      expect.objectContaining({
        path: '/spec/agentConfig/additionalUserData',
        message: expect.stringContaining('Only config or data could be populated at once'),
      }),
    ]);
  });

  test('every non-transition CEL rule of the shipped CRDs compiles', () => {
    const unsupported = shippedSchemas().flatMap((s) =>
      celRulesFor(s.apiVersion, s.kind)
        .filter((r) => !/\boldSelf\b/.test(r.rule) && !celRuleSupported(r.rule))
        .map((r) => `${s.kind}: ${r.rule}`),
    );
    expect(unsupported).toEqual([]);
  });
});
