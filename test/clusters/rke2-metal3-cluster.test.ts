import { Construct } from 'constructs';
import { defineRke2Metal3Cluster, validateClusterBasics, CLUSTER_LABEL } from '../../lib/clusters/rke2-metal3-cluster';
import { SecretRef } from '../../lib/core/secret-ref';
import { Bmc } from '../../lib/metal3/bmc';
import { OsImage } from '../../lib/metal3/os-image';
import { at } from '../../lib/private/errors';
import { Manifest, testChart } from '../util';

const base = {
  clusterName: 'c1',
  rke2Version: 'v1.32.4+rke2r1',
  image: OsImage.fromUrl('http://images/os.raw'),
};
const host = {
  name: 'h1',
  bootMACAddress: '00:00:00:00:00:01',
  bmc: Bmc.redfish('10.0.0.1', '1', SecretRef.fromName('h1-bmc')),
};

describe('defineRke2Metal3Cluster', () => {
  test('runs the shape check with the validated network before defining anything', () => {
    const { chart } = testChart();
    const scope = new Construct(chart, 'C');
    let seen = '';
    expect(() =>
      defineRke2Metal3Cluster(
        scope,
        base,
        {
          hosts: [host],
          endpoint: '10.0.0.50',
          maxSurge: 0,
          check: (n) => {
            seen = n.endpointHost;
            throw new Error('stop');
          },
        },
        () => at(scope, 'host'),
      ),
    ).toThrow('stop');
    expect(seen).toBe('10.0.0.50');
    expect(scope.node.children).toHaveLength(0);
  });

  test('labels hosts with the cluster label and names the control plane objects', () => {
    const { chart } = testChart();
    const scope = new Construct(chart, 'C');
    defineRke2Metal3Cluster(
      scope,
      { ...base, hostLabels: { tier: 'edge' } },
      { hosts: [host], endpoint: '10.0.0.50', maxSurge: 0 },
      () => at(scope, 'host'),
    );
    const m = Manifest.of(chart);
    expect(m.get('BareMetalHost', 'h1').metadata.labels).toEqual({ tier: 'edge', [CLUSTER_LABEL]: 'c1' });
    expect(m.ids()).toContain('Metal3MachineTemplate/c1-controlplane');
  });
});

describe('validateClusterBasics', () => {
  test('fails naming each basic prop', () => {
    const { chart } = testChart();
    expect(() => validateClusterBasics(chart, { ...base, clusterName: '' })).toThrow(/'clusterName'/);
    expect(() => validateClusterBasics(chart, { ...base, rke2Version: 'latest' })).toThrow(/'rke2Version'/);
    expect(() => validateClusterBasics(chart, { ...base, image: {} as never })).toThrow(/'image' is not an OsImage/);
    expect(() => validateClusterBasics(chart, null as never)).toThrow(/'props' must be an object/);
  });
});
