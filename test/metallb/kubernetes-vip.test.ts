import { ButaneConfig } from '../../lib/butane/butane-config';
import {
  addKubernetesVip,
  checkMetalLbObjects,
  DEFAULT_ENDPOINT_COPIER_CHART,
  DEFAULT_METALLB_CHART,
} from '../../lib/metallb/kubernetes-vip';
import { IpAddress } from '../../lib/net/ip-address';
import { formatIssue, validateManifests } from '../../lib/validation/schema-validator';

function objects(apiPort = 6443): any[] {
  const config = new ButaneConfig();
  addKubernetesVip(config, {
    vip: IpAddress.parse('10.0.0.100'),
    apiPort,
    metalLB: DEFAULT_METALLB_CHART,
    endpointCopier: DEFAULT_ENDPOINT_COPIER_CHART,
  });
  return config.embeddedManifests().flatMap((e) => [...e.objects]);
}

describe('addKubernetesVip', () => {
  test('every embedded object passes its upstream schema', () => {
    expect(validateManifests(objects()).map(formatIssue)).toEqual([]);
  });

  test('the pool and the Service agree', () => {
    expect(checkMetalLbObjects(objects())).toEqual([]);
  });

  test('the API port of the VIP follows the endpoint port, the target stays 6443', () => {
    const svc = objects(443).find((o) => o.kind === 'Service');
    expect(svc.spec.ports[1]).toEqual({ name: 'k8s-api', port: 443, protocol: 'TCP', targetPort: 6443 });
  });
});
