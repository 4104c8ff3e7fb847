import { ButaneConfig } from '../../lib/butane/butane-config';
import {
  addKubernetesVip,
  DEFAULT_ENDPOINT_COPIER_CHART,
  DEFAULT_METALLB_CHART,
} from '../../lib/metallb/kubernetes-vip';
import { checkMetalLbObjects } from '../../lib/metallb/metallb-checks';
import { IpAddress } from '../../lib/net/ip-address';

/** The MetalLB objects addKubernetesVip writes: a consistent set to break one way at a time. */
function objects(): any[] {
  const config = new ButaneConfig();
  addKubernetesVip(config, {
    vip: IpAddress.parse('10.0.0.100'),
    apiPort: 6443,
    metalLB: DEFAULT_METALLB_CHART,
    endpointCopier: DEFAULT_ENDPOINT_COPIER_CHART,
  });
  return config.embeddedManifests().flatMap((e) => [...e.objects]);
}

describe('checkMetalLbObjects', () => {
  test('reports an L2Advertisement that names no pool', () => {
    const objs = objects().map((o) =>
      o.kind === 'L2Advertisement' ? { ...o, spec: { ipAddressPools: ['typo-pool'] } } : o,
    );
    expect(checkMetalLbObjects(objs)).toEqual([
      "[L2Advertisement/ip-pool-l2-adv] 'spec.ipAddressPools' names no IPAddressPool 'typo-pool'",
    ]);
  });

  test('reports a pool whose selector matches no Service', () => {
    const objs = objects().map((o) =>
      o.kind === 'Service' ? { ...o, metadata: { ...o.metadata, labels: { serviceType: 'other' } } } : o,
    );
    expect(checkMetalLbObjects(objs)).toEqual([
      "[IPAddressPool/kubernetes-vip-ip-pool] 'spec.serviceAllocation' selects none of the LoadBalancer Services defined with it",
    ]);
  });

  test('honours the pool namespaces and the other selector operators', () => {
    const base = objects();
    const moved = base.map((o) =>
      o.kind === 'Service' ? { ...o, metadata: { ...o.metadata, namespace: 'kube-system' } } : o,
    );
    expect(checkMetalLbObjects(moved)).toHaveLength(1);
    const withOps = base.map((o) =>
      o.kind === 'IPAddressPool'
        ? {
            ...o,
            spec: {
              ...o.spec,
              serviceAllocation: {
                serviceSelectors: [
                  {
                    matchLabels: { serviceType: 'kubernetes-vip' },
                    matchExpressions: [
                      { key: 'serviceType', operator: 'Exists' },
                      { key: 'x', operator: 'DoesNotExist' },
                      { key: 'serviceType', operator: 'NotIn', values: ['a'] },
                    ],
                  },
                ],
              },
            },
          }
        : o,
    );
    expect(checkMetalLbObjects(withOps)).toEqual([]);
  });
});
