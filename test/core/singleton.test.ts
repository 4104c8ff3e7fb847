import { ApiObject, App, Chart, Testing, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { apiGroup, objectKey, singletonObject, SingletonOptions, synthUnit } from '../../lib/core/singleton';
import { at } from '../../lib/private/errors';
import { testChart } from '../util';

/** A ConfigMap `cm` in `ns` that `owner` needs with `data`. */
function configMap(owner: Construct, data: Record<string, unknown>, extra: Partial<SingletonOptions<ApiObject>> = {}) {
  return singletonObject(owner, at(owner, 'data'), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'ns',
    name: 'cm',
    content: { data },
    fix: 'use one value',
    define: () =>
      new ApiObject(owner, 'Resource', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cm', namespace: 'ns' },
        data,
      }),
    ...extra,
  });
}

describe('singletonObject', () => {
  test('the second construct merges its keys into the first one’s object', () => {
    // GIVEN two constructs that need one ConfigMap
    const { chart } = testChart();
    const a = configMap(new Construct(chart, 'A'), { one: '1', 'a/b~c': 'x' });
    // WHEN the second one asks with other keys and a key both give with the same value
    const b = configMap(new Construct(chart, 'B'), { two: '2', one: '1' });
    // THEN one object carries every key
    expect(b).toBe(a);
    const objects = Testing.synth(chart);
    expect(objects).toHaveLength(1);
    expect(objects[0].data).toEqual({ one: '1', 'a/b~c': 'x', two: '2' });
  });

  test('fails when a key both give has different values, naming both constructs', () => {
    const { chart } = testChart();
    configMap(new Construct(chart, 'A'), { one: '1' });
    expect(() => configMap(new Construct(chart, 'B'), { one: '2' })).toThrow(
      "[test/B] 'data' needs 'data.one' in the one ConfigMap ns/cm of test that [test/A] 'data' already set otherwise (got \"2\"); use one value",
    );
  });

  test('combine() decides how two values of one key merge', () => {
    const { chart } = testChart();
    const combine = (_: readonly string[], x: unknown, y: unknown) => `${x}+${y}`;
    configMap(new Construct(chart, 'A'), { one: '1' }, { combine });
    configMap(new Construct(chart, 'B'), { one: '2' }, { combine });
    expect(Testing.synth(chart)[0].data).toEqual({ one: '1+2' });
  });

  test("with strategy 'equal' an identical content shares the object", () => {
    const { chart } = testChart();
    const a = configMap(new Construct(chart, 'A'), { one: '1' }, { strategy: 'equal' });
    expect(configMap(new Construct(chart, 'B'), { one: '1' }, { strategy: 'equal' })).toBe(a);
  });

  test("fails with strategy 'equal' when the contents differ at all", () => {
    const { chart } = testChart();
    configMap(new Construct(chart, 'A'), { one: '1' }, { strategy: 'equal' });
    expect(() => configMap(new Construct(chart, 'B'), { one: '1', two: '2' }, { strategy: 'equal' })).toThrow(
      /^\[test\/B\] 'data' needs 'data.two' in the one ConfigMap ns\/cm of test that \[test\/A\] 'data' already set otherwise \(got "2"\)/,
    );
  });

  test('each chart (each output file) has its own object', () => {
    const app = Testing.app();
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    configMap(new Construct(one, 'A'), { one: '1' });
    configMap(new Construct(two, 'A'), { one: '2' });
    expect(Testing.synth(one)[0].data).toEqual({ one: '1' });
    expect(Testing.synth(two)[0].data).toEqual({ one: '2' });
  });

  test('an app that writes one file for all charts has one object', () => {
    const app = new App({ outdir: Testing.app().outdir, yamlOutputType: YamlOutputType.FILE_PER_APP });
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    expect(synthUnit(one)).toBe(app);
    configMap(new Construct(one, 'A'), { one: '1' });
    expect(() => configMap(new Construct(two, 'A'), { one: '2' })).toThrow(/of the app that \[one\/A\]/);
  });
});

describe('objectKey', () => {
  test('ignores the version of the group', () => {
    expect(objectKey('metal3.io/v1alpha1', 'BareMetalHost', 'a', 'b')).toBe(
      objectKey('metal3.io/v1', 'BareMetalHost', 'a', 'b'),
    );
    expect(objectKey('v1', 'ConfigMap', 'a', 'b')).not.toBe(objectKey('v1', 'ConfigMap', 'b', 'b'));
    expect(apiGroup('v1')).toBe('');
  });
});
