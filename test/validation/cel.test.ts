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
