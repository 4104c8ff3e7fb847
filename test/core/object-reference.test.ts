import { ApiObject } from 'cdk8s';
import { referenceTo } from '../../lib/core/object-reference';
import { testChart } from '../util';

test('referenceTo copies apiVersion, kind and name of the emitted object', () => {
  const { chart } = testChart();
  const obj = new ApiObject(chart, 'x', { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'thing-1' } });
  expect(referenceTo(obj)).toEqual({ apiVersion: 'example.com/v1', kind: 'Thing', name: 'thing-1' });
});
