import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { BaremetalApp } from '../../lib/core/site-file';
import { parse, parseAllDocuments } from 'yaml';
import { build } from '../../examples/airgap-sno/main';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import { ButaneConfig } from '../../lib/butane/butane-config';
import { validateClusterNetwork } from '../../lib/clusters/cluster-network';
import { SecretRef } from '../../lib/core/secret-ref';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import {
  airGapChartPlacement,
  chartPullSecretFile,
  clusterDnsAddress,
  rke2GlobalChartValues,
} from '../../lib/rke2/air-gap';
import { testChart } from '../util';

const where = { path: 'site/C', prop: 'registryMirror' };
const network = (pods: string[], services: string[]) =>
  validateClusterNetwork(
    { podCidrs: pods, serviceCidrs: services },
    pods[0].includes(':') ? 'fd00:99::1' : '192.168.200.80',
    6443,
    where,
  );

describe('air gap', () => {
  test('cluster DNS is the tenth address of the first service CIDR', () => {
    expect(clusterDnsAddress(network(['10.42.0.0/16'], ['10.43.0.0/16'])).toString()).toBe('10.43.0.10');
    expect(
      clusterDnsAddress(network(['fd00:1::/48', '10.42.0.0/16'], ['fd00:2::/112', '10.43.0.0/16'])).toString(),
    ).toBe('fd00:2::a');
  });

  test('global chart values come from the cluster networks', () => {
    expect(
      rke2GlobalChartValues(
        network(['192.168.0.0/18', 'fd00:bad:cafe::/48'], ['10.96.0.0/12', 'fd00:bad:bad:cafe::/112']),
      ),
    ).toEqual({
      'global.clusterCIDR': '192.168.0.0/18,fd00:bad:cafe::/48',
      'global.clusterCIDRv4': '192.168.0.0/18',
      'global.clusterCIDRv6': 'fd00:bad:cafe::/48',
      'global.clusterDNS': '10.96.0.10',
      'global.clusterDomain': 'cluster.local',
      'global.rke2DataDir': '/var/lib/rancher/rke2',
      'global.serviceCIDR': '10.96.0.0/12,fd00:bad:bad:cafe::/112',
    });
  });

  function mirror(withCa = true) {
    const { chart } = testChart();
    return new AirgapRegistryMirror(chart, 'M', {
      registry: '192.168.100.22:5000',
      ...(withCa ? { ca: RegistryCa.fromPem(REGISTRY_CA) } : { insecure: true }),
      mirrors: [{ source: 'registry.suse.com/edge' }],
    });
  }

  test('re-points OCI charts to the mirror with CA ConfigMap, pull secret and values', () => {
    const config = new ButaneConfig();
    const place = airGapChartPlacement(
      mirror(),
      network(['10.42.0.0/16'], ['10.43.0.0/16']),
      config,
      { secret: SecretRef.fromName('pull') },
      where,
    );
    expect(place({ chart: 'oci://registry.suse.com/edge/charts/metallb', version: '1' })).toMatchObject({
      chart: 'oci://192.168.100.22:5000/edge/charts/metallb',
      dockerRegistrySecret: { name: 'private-registry-auth' },
      repoCAConfigMap: { name: 'private-registry-ca' },
      set: { 'global.clusterDNS': '10.43.0.10' },
    });
    const [cm] = config.embeddedManifests();
    expect(cm.objects[0]).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'private-registry-ca', namespace: 'kube-system' },
    });
  });

  test('without a CA or a pull secret, neither is referenced', () => {
    const config = new ButaneConfig();
    const placed = airGapChartPlacement(
      mirror(false),
      network(['10.42.0.0/16'], ['10.43.0.0/16']),
      config,
      undefined,
      where,
    )({
      chart: 'oci://registry.suse.com/edge/charts/metallb',
      version: '1',
    });
    expect(placed).not.toHaveProperty('dockerRegistrySecret');
    expect(placed).not.toHaveProperty('repoCAConfigMap');
    expect(config.isEmpty).toBe(true);
  });

  test('fails when a chart is not OCI or not under a mirrored source', () => {
    const place = airGapChartPlacement(
      mirror(),
      network(['10.42.0.0/16'], ['10.43.0.0/16']),
      new ButaneConfig(),
      undefined,
      where,
    );
    expect(() => place({ chart: 'https://charts.example.com/x-1.0.0.tgz', version: '1' })).toThrow(
      /only OCI charts can be preloaded/,
    );
    expect(() => place({ chart: 'oci://quay.io/metallb/chart', version: '1' })).toThrow(
      /is not under any mirrored source/,
    );
  });

  test('the chart pull Secret is copied from the management cluster, never written', () => {
    expect(chartPullSecretFile({ secret: SecretRef.fromName('x') }, () => 'pull-manifest')).toEqual({
      path: '/var/lib/rancher/rke2/server/manifests/private-registry-auth.yaml',
      owner: 'root:root',
      permissions: '0600',
      contentFrom: { secret: { name: 'pull-manifest', key: 'private-registry-auth.yaml' } },
    });
  });

  describe('the airgap-sno example', () => {
    const app = new App();
    const chart: Chart = build(app);
    const objects = parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
    const cp = objects.find((o) => o.kind === 'RKE2ControlPlane');
    const embedded = parse(cp.spec.agentConfig.additionalUserData.config)
      .storage.files.filter((f: any) => f.path.endsWith('.yaml'))
      .flatMap((f: any) => parseAllDocuments(f.contents.inline).map((d) => d.toJS()));

    test('pulls nothing from a public registry: every chart and image reference is in the mirror', () => {
      const refs: string[] = [];
      const walk = (v: any, key = '') => {
        if (typeof v === 'string' && (key === 'chart' || key === 'image' || /^oci:\/\//.test(v))) refs.push(v);
        else if (Array.isArray(v)) v.forEach((x) => walk(x));
        else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, k));
      };
      [...objects, ...embedded].forEach((o) => walk(o));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).toMatch(/^(oci:\/\/)?192\.168\.100\.22:5000\//);
    });

    test('installs RKE2 from the image and sends every registry of the site to the mirror', () => {
      expect(cp.spec.agentConfig.airGapped).toBe(true);
      expect(Object.keys(cp.spec.privateRegistriesConfig.mirrors).sort()).toEqual([
        'docker.io',
        'registry.rancher.com',
        'registry.suse.com',
      ]);
      expect(cp.spec.privateRegistriesConfig.configs['192.168.100.22:5000'].authSecret.name).toBe(
        'private-registry-auth',
      );
    });

    test('the preload lists name the charts and the 7 SR-IOV images of §42.3.2.7 relative to registry.suse.com', () => {
      const out = mkdtempSync(join(tmpdir(), 'airgap-'));
      const siteApp = new BaremetalApp({ outdir: out });
      build(siteApp);
      siteApp.synth();
      const read = (file: string) => readFileSync(join(out, 'airgap-sno/preload', file), 'utf8').split('\n');
      const [chartHeader, ...charts] = read('edge-release-helm-oci-artifacts.txt');
      expect(chartHeader).toMatch(/^# OCI Helm charts relative to registry.suse.com/);
      expect(charts).toEqual([
        'edge/charts/sriov-crd:303.0.2+up1.5.0',
        'edge/charts/sriov-network-operator:303.0.2+up1.5.0',
        '',
      ]);
      const [imageHeader, ...images] = read('edge-release-images.txt');
      expect(imageHeader).toMatch(/^# Images relative to registry.suse.com/);
      expect(images.filter(Boolean)).toEqual([
        'rancher/hardened-ib-sriov-cni:v1.1.1-build20240816',
        'rancher/hardened-sriov-cni:v2.8.1-build20240820',
        'rancher/hardened-sriov-network-config-daemon:v1.3.0-build20240816',
        'rancher/hardened-sriov-network-device-plugin:v3.7.0-build20240816',
        'rancher/hardened-sriov-network-operator:v1.3.0-build20240816',
        'rancher/hardened-sriov-network-resources-injector:v1.6.0-build20240816',
        'rancher/hardened-sriov-network-webhook:v1.3.0-build20240816',
      ]);
    });

    test('writes no credential into the manifests', () => {
      expect(
        objects
          .filter((o) => o.kind === 'Secret')
          .map((o) => o.metadata.annotations?.['cdk8s-baremetal/secret-material']),
      ).toEqual(['public-ca-certificate']);
      expect(chart.node.id).toBe('airgap-sno');
    });
  });
});
