import { ApiObject, App, Chart } from 'cdk8s';
import { toKubernetesObject } from '../../lib/core/kubernetes-object';

const where = { path: 'Test', prop: 'objects[0]' };

describe('toKubernetesObject', () => {
  test('renders an ApiObject with toJson()', () => {
    // GIVEN an ApiObject in a chart of its own
    const chart = new Chart(new App(), 'c', { namespace: 'ns' });
    const o = new ApiObject(chart, 'O', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    // WHEN / THEN
    expect(toKubernetesObject(o, where)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'ns' },
    });
  });

  test('copies a plain object, leaving undefined members out', () => {
    const given = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: undefined }, data: { a: 'b' } };
    const copy = toKubernetesObject(given, where);
    expect(copy).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } });
    expect(copy.data).not.toBe(given.data);
  });

  test('fails without showing a value when a member is not JSON', () => {
    expect(() =>
      toKubernetesObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 10n } }, where),
    ).toThrow(
      "[Test] 'objects[0].data.password' is not a JSON value (got bigint); use maps, lists, strings, numbers, booleans or null",
    );
  });

  test('fails for a list, a string or null, naming what it is', () => {
    expect(() => toKubernetesObject([], where)).toThrow(
      /'objects\[0\]' is not a Kubernetes object \(a plain object\) \(got a list\)/,
    );
    expect(() => toKubernetesObject('kind: ConfigMap', where)).toThrow(/\(got a string\)/);
    expect(() => toKubernetesObject(null, where)).toThrow(/\(got null\)/);
  });
});
