import { parse } from 'yaml';
import { ButaneConfig } from '../../lib/butane/butane-config';
import { applyCni } from '../../lib/rke2/cni';

const where = { path: 'site/Cluster', prop: 'cni' };

describe('applyCni', () => {
  test('defaults to Cilium without Multus and adds no file', () => {
    const config = new ButaneConfig();
    expect(applyCni(undefined, config, where)).toEqual({ cni: 'cilium' });
    expect(config.isEmpty).toBe(true);
  });

  test('Multus with Cilium sets cniMultusEnable and makes Cilium non-exclusive', () => {
    const config = new ButaneConfig();
    expect(applyCni({ multus: true }, config, where)).toEqual({ cni: 'cilium', cniMultusEnable: true });
    const [embedded] = config.embeddedManifests();
    expect(embedded.path).toBe('/var/lib/rancher/rke2/server/manifests/rke2-cilium-config.yaml');
    expect(embedded.objects[0]).toMatchObject({
      kind: 'HelmChartConfig',
      spec: { valuesContent: 'cni:\n  exclusive: false' },
    });
    expect(parse((embedded.objects[0] as { spec: { valuesContent: string } }).spec.valuesContent)).toEqual({
      cni: { exclusive: false },
    });
  });

  test('Multus with Calico needs no Cilium config', () => {
    const config = new ButaneConfig();
    expect(applyCni({ plugin: 'calico', multus: true }, config, where)).toEqual({
      cni: 'calico',
      cniMultusEnable: true,
    });
    expect(config.isEmpty).toBe(true);
  });

  test('fails when the plugin is unknown', () => {
    expect(() => applyCni({ plugin: 'flannel' as never }, new ButaneConfig(), where)).toThrow(
      /\[site\/Cluster\] 'cni' is not a CNI plugin the RKE2 provider knows \(got "flannel"\); use one of cilium, calico, canal, none/,
    );
  });

  test('fails when Multus has no primary plugin', () => {
    expect(() => applyCni({ plugin: 'none', multus: true }, new ButaneConfig(), where)).toThrow(
      /enables Multus without a primary CNI/,
    );
  });

  test('fails when multus is not a boolean', () => {
    expect(() => applyCni({ multus: 'yes' as never }, new ButaneConfig(), where)).toThrow(
      /'multus' must be true or false/,
    );
  });
});
