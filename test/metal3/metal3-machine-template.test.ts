import { Metal3MachineTemplate } from '../../lib/metal3/metal3-machine-template';
import { OsImage } from '../../lib/metal3/os-image';
import { Manifest, testChart } from '../util';

describe('Metal3MachineTemplate', () => {
  const make = () => {
    const { chart } = testChart();
    const t = new Metal3MachineTemplate(chart, 'T', {
      name: 'c1-workers',
      clusterName: 'c1',
      hostSelector: { role: 'worker' },
      image: OsImage.fromUrl('https://images.example/os.qcow2', { checksumType: 'sha512' }),
    });
    return { t, m: Manifest.of(chart) };
  };

  test('names its data template and selects hosts by label', () => {
    const { m } = make();
    expect(m.get('Metal3MachineTemplate', 'c1-workers').spec.template.spec).toMatchObject({
      dataTemplate: { name: 'c1-workers-template' },
      hostSelector: { matchLabels: { role: 'worker' } },
      image: { url: 'https://images.example/os.qcow2', checksumType: 'sha512', format: 'qcow2' },
    });
    expect(m.get('Metal3DataTemplate', 'c1-workers-template').spec.clusterName).toBe('c1');
  });

  test('gives a typed reference for infrastructureRef', () => {
    expect(make().t.toObjectReference()).toEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'Metal3MachineTemplate',
      name: 'c1-workers',
    });
  });
});
