import { ApiObject, App, Chart, JsonPatch, Testing, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { BareMetalHost } from '../../imports/baremetalhosts-metal3.io';
import {
  captureValidatedJson,
  checkDuplicates,
  validateOutput,
  validateScope,
} from '../../lib/validation/construct-validation';
import { testChart } from '../util';

/** A BareMetalHost with `online` of the wrong type: the schema says boolean. */
function badHost(scope: Construct, id: string) {
  return new ApiObject(scope, id, {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name: id },
    spec: { online: 'yes' },
  });
}

function synthErrors(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('validateOutput', () => {
  test('fails synth on an object under the scope that breaks its CRD schema, naming the construct path', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    const scope = new Construct(chart, 'Cluster');
    badHost(scope, 'node1');
    // WHEN
    validateOutput(scope);
    // THEN
    expect(synthErrors(app)).toMatch(/\[site\/Cluster\/node1\] BareMetalHost\/node1 '\/spec\/online' must be boolean/);
  });

  test('checks objects outside the scope only when something registers them', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    badHost(chart, 'stray');
    validateOutput(new Construct(chart, 'Empty'));
    expect(synthErrors(app)).toBe('');
  });

  test('leaves a nested scope that validates itself to do so, so each object is reported once', () => {
    // GIVEN a cluster scope holding a worker-pool scope, both validated, with one bad host in the pool
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    const cluster = new Construct(chart, 'Cluster');
    const pool = new Construct(cluster, 'Pool');
    badHost(pool, 'worker1');
    validateOutput(cluster);
    validateOutput(pool);
    // WHEN synthesized, THEN the problem appears once
    expect(synthErrors(app).match(/BareMetalHost\/worker1/g)).toHaveLength(1);
  });

  test('validates embedded manifests with where they are written', () => {
    const app = Testing.app();
    const scope = new Construct(new Chart(app, 'site'), 'Cluster');
    validateOutput(scope, () => [
      {
        path: '/var/lib/rancher/rke2/server/manifests/pool.yaml',
        objects: [
          { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p' }, spec: { addresses: 7 } },
        ],
      },
    ]);
    expect(synthErrors(app)).toMatch(
      /embedded in \/var\/lib\/rancher\/rke2\/server\/manifests\/pool\.yaml: .*IPAddressPool\/p/,
    );
  });

  test('refuses literal secret material under the scope without printing it', () => {
    const app = Testing.app();
    const scope = new Construct(new Chart(app, 'site'), 'Cluster');
    new ApiObject(scope, 'bmc', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bmc' },
      stringData: { password: 'hunter2' },
    });
    validateOutput(scope);
    const message = synthErrors(app);
    expect(message).toMatch(/Secret\/bmc/);
    expect(message).not.toContain('hunter2');
  });
});

describe('checkDuplicates', () => {
  const cm = (scope: Construct, id: string, apiVersion = 'v1', data: Record<string, string> = {}) =>
    new ApiObject(scope, id, { apiVersion, kind: 'ConfigMap', metadata: { name: 'same', namespace: 'ns' }, data });

  test('fails synth when two objects share group, kind, namespace and name, naming both constructs', () => {
    // GIVEN two constructs that each define ConfigMap ns/same (with other data)
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    cm(new Construct(chart, 'A'), 'Resource', 'v1', { a: '1' });
    const b = new Construct(chart, 'B');
    cm(b, 'Resource', 'v1', { a: '2' });
    // WHEN a library construct registers the output check
    validateOutput(b);
    // THEN synth names both
    expect(synthErrors(app)).toMatch(
      /\[site\/B\/Resource\] ConfigMap ns\/same is also defined by \[site\/A\/Resource\] in the same output \(got v1 and v1\); applied together the last one wins/,
    );
  });

  test('counts two versions of one group as one object', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    new ApiObject(chart, 'A', { apiVersion: 'metal3.io/v1alpha1', kind: 'BareMetalHost', metadata: { name: 'h' } });
    new ApiObject(chart, 'B', { apiVersion: 'metal3.io/v1beta1', kind: 'BareMetalHost', metadata: { name: 'h' } });
    checkDuplicates(chart);
    expect(synthErrors(app)).toMatch(/\[site\/B\] BareMetalHost\/h is also defined by \[site\/A\]/);
  });

  test('passes the same name in another namespace, kind or chart', () => {
    const app = Testing.app();
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    cm(one, 'A');
    cm(two, 'A');
    new ApiObject(one, 'B', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'same', namespace: 'ns' } });
    new ApiObject(one, 'C', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'other' } });
    checkDuplicates(one);
    checkDuplicates(two);
    expect(synthErrors(app)).toBe('');
  });
});

describe('validateOutput details', () => {
  test('a problem at the object root is reported at /, and problems follow the construct tree in order', () => {
    // GIVEN hosts a (nested one level down) and b, and c with an unknown top-level field
    const app = Testing.app();
    const scope = new Construct(new Chart(app, 'site'), 'Cluster');
    badHost(new Construct(scope, 'Inner'), 'a');
    badHost(scope, 'b');
    const c = new ApiObject(scope, 'c', {
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: { name: 'c' },
    });
    c.addJsonPatch(JsonPatch.add('/bogus', 1));
    validateOutput(scope);
    // WHEN
    const message = synthErrors(app);
    // THEN
    expect(message).toContain("[site/Cluster/c] BareMetalHost/c '/' unknown field 'bogus'");
    const order = ['[site/Cluster/Inner/a]', '[site/Cluster/b]', '[site/Cluster/c]'].map((t) => message.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });

  test('captureValidatedJson keeps the JSON each validation rendered, one live map per app', () => {
    // GIVEN an app whose output is captured, with objects in a scope and in a nested self-validating scope
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    const captured = captureValidatedJson(chart);
    expect(captureValidatedJson(app)).toBe(captured);
    const scope = new Construct(chart, 'Cluster');
    const inner = new Construct(scope, 'Pool');
    const a = new ApiObject(scope, 'a', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a' },
      data: { k: 'v' },
    });
    const b = new ApiObject(inner, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    validateOutput(scope);
    validateOutput(inner);
    // WHEN
    app.synth();
    // THEN
    expect(captured.size).toBe(2);
    expect(captured.get(a)).toEqual(a.toJson());
    expect(captured.get(b)).toEqual(b.toJson());
    // another app has its own map
    expect(captureValidatedJson(Testing.app())).not.toBe(captured);
  });

  test('embedded manifests are also checked for secret material', () => {
    const app = Testing.app();
    const scope = new Construct(new Chart(app, 'site'), 'Cluster');
    validateOutput(scope, () => [
      {
        path: '/etc/x.yaml',
        objects: [
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'inner' }, stringData: { password: 'hunter2' } },
        ],
      },
    ]);
    const message = synthErrors(app);
    expect(message).toMatch(/Secret\/inner/);
    expect(message).not.toContain('hunter2');
  });
});

describe('checkDuplicates details', () => {
  const cm = (scope: Construct, id: string, namespace = 'ns') =>
    new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace } });

  test('the message says what to do; registered twice for one chart it is reported once', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    cm(chart, 'A');
    cm(chart, 'B');
    checkDuplicates(chart);
    checkDuplicates(new Construct(chart, 'Other'));
    const message = synthErrors(app);
    expect(message.match(/is also defined by/g)).toHaveLength(1);
    expect(message).toContain(
      '[site/B] ConfigMap ns/same is also defined by [site/A] in the same output (got v1 and v1); applied together the last one wins: define it once, give one of them another name, or put them in charts for different clusters',
    );
  });

  test('a scope outside any chart is not checked, and does not fail', () => {
    const app = Testing.app();
    const loose = new Construct(app, 'Loose');
    expect(() => checkDuplicates(loose)).not.toThrow();
    expect(synthErrors(app)).toBe('');
  });

  test('a nested chart is its own output; one app file makes all charts one output', () => {
    const app = Testing.app();
    const outer = new Chart(app, 'outer');
    cm(outer, 'A');
    cm(new Chart(outer, 'inner'), 'A');
    checkDuplicates(outer);
    expect(synthErrors(app)).toBe('');
    const single = Testing.app({ yamlOutputType: YamlOutputType.FILE_PER_APP });
    const one = new Chart(single, 'one');
    cm(one, 'A');
    cm(new Chart(single, 'two'), 'A');
    checkDuplicates(one);
    expect(synthErrors(single)).toMatch(/\[two\/A\] ConfigMap ns\/same is also defined by \[one\/A\]/);
  });

  test('objects whose rendered namespaces differ (a patch removed one) are not duplicates; cluster-scoped ones are named without', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'site');
    cm(chart, 'A');
    cm(chart, 'B').addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    checkDuplicates(chart);
    expect(synthErrors(app)).toBe('');
    const app2 = Testing.app();
    const chart2 = new Chart(app2, 'site');
    new ApiObject(chart2, 'A', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
    new ApiObject(chart2, 'B', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
    checkDuplicates(chart2);
    expect(synthErrors(app2)).toContain('[site/B] Namespace/n is also defined by [site/A]');
  });
});

/** The spec of a valid BareMetalHost (validateScope tests). */
function hostSpec() {
  return {
    online: true,
    bootMACAddress: '00:0c:29:3e:3e:3e',
    bmc: { address: 'redfish-virtualmedia://192.168.200.75/redfish/v1/Systems/1', credentialsName: 'node1-bmc' },
  };
}

describe('validateScope', () => {
  test('a chart of valid generated objects has no error', () => {
    // GIVEN a chart with a valid BareMetalHost
    const { chart } = testChart();
    new BareMetalHost(chart, 'Host', { metadata: { name: 'node1' }, spec: hostSpec() });
    // WHEN validated / THEN nothing is reported
    expect(validateScope(chart)).toEqual([]);
  });

  test('reports an invalid generated object, prefixed with its node path', () => {
    // GIVEN a BareMetalHost whose typed props were bypassed with a wrong value
    const { chart } = testChart();
    const bmh = new BareMetalHost(chart, 'Host', { metadata: { name: 'node1' }, spec: hostSpec() });
    bmh.addJsonPatch(JsonPatch.replace('/spec/online', 'yes'));
    // WHEN the scope is validated
    const errors = validateScope(chart);
    // THEN the error starts with the object's node path
    expect(errors).toEqual([`[test/Host] BareMetalHost/node1 '/spec/online' must be boolean (got "yes")`]);
  });

  test('makes app.synth() fail when registered as a validation', () => {
    // GIVEN a chart that validates itself, holding an object of an unshipped version
    const { app, chart } = testChart();
    chart.node.addValidation({ validate: () => validateScope(chart) });
    new ApiObject(chart, 'Old', { apiVersion: 'cluster.x-k8s.io/v1alpha3', kind: 'Cluster', metadata: { name: 'c1' } });
    // WHEN synthesized / THEN synthesis fails with the object's path
    expect(() => app.synth()).toThrow(
      /\[test\/Old\] Cluster\/c1 '\/' no schema shipped for cluster\.x-k8s\.io\/v1alpha3 Cluster/,
    );
  });
});

describe('validateScope details', () => {
  test('skip leaves out a subtree below the scope, never the scope itself', () => {
    const { chart } = testChart();
    const bad = (id: string, scope = chart) => {
      const b = new BareMetalHost(scope, id, { metadata: { name: id.toLowerCase() }, spec: hostSpec() });
      b.addJsonPatch(JsonPatch.replace('/spec/online', 'yes'));
      return b;
    };
    bad('A');
    const skipped = bad('B');
    new ApiObject(skipped, 'Child', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } });
    bad('C');
    expect(validateScope(chart, { skip: (c) => c === skipped }).map((e) => e.slice(0, 9))).toEqual([
      '[test/A] ',
      '[test/C] ',
    ]);
    expect(validateScope(skipped, { skip: (c) => c === skipped })).toEqual([
      `[test/B] BareMetalHost/b '/spec/online' must be boolean (got "yes")`,
      expect.stringMatching(/^\[test\/B\/Child\] ConfigMap\/Bad_Name '\/metadata\/name' must be a DNS-1123 subdomain/),
    ]);
  });

  test('an object whose rendering throws something other than an Error is reported with that value', () => {
    const { chart } = testChart();
    const odd = new ApiObject(chart, 'Odd', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o' } });
    odd.toJson = () => {
      throw 'not an error object';
    };
    expect(validateScope(chart)).toEqual(['[test/Odd] cannot be rendered: not an error object']);
  });

  test('an object that cannot be rendered is reported, and the rest still checked', () => {
    const { chart } = testChart();
    const broken = new ApiObject(chart, 'Broken', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    broken.addJsonPatch(JsonPatch.replace('/nothing/here', 1));
    const good = new BareMetalHost(chart, 'Host', { metadata: { name: 'node1' }, spec: hostSpec() });
    good.addJsonPatch(JsonPatch.replace('/spec/online', 'yes'));
    const errors = validateScope(chart);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^\[test\/Broken\] cannot be rendered: /);
    expect(errors[1]).toBe(`[test/Host] BareMetalHost/node1 '/spec/online' must be boolean (got "yes")`);
  });
});
