import * as fc from 'fast-check';
import { checkConstruct, mostly } from '../arbitraries';
import { AgentServiceConfig, AgentServiceConfigProps } from '../../lib/mce/agent-service-config';
import { MultiClusterEngine } from '../../lib/mce/multi-cluster-engine';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import { Manifest, testChart } from '../util';

const image414 = {
  openshiftVersion: '4.14',
  rootFSUrl: 'http://registry.dns.base.domain.name:8080/images/rhcos-414.92.202308281054-0-live-rootfs.x86_64.img',
  url: 'http://registry.dns.base.domain.name:8080/images/rhcos-414.92.202308281054-0-live.x86_64.iso',
  version: '414.92.202308281054-0',
};

function props(overrides: Partial<AgentServiceConfigProps> = {}): AgentServiceConfigProps {
  return {
    databaseStorage: { storageClassName: 'lvms-vg1', size: '10Gi' },
    filesystemStorage: { storageClassName: 'lvms-vg1', size: '20Gi' },
    osImages: [image414],
    ...overrides,
  };
}

function build(p: AgentServiceConfigProps): void {
  const { chart } = testChart();
  new AgentServiceConfig(chart, 'Asc', p);
}

describe('AgentServiceConfig', () => {
  test('a second, identical AgentServiceConfig shares the one named agent', () => {
    const { chart } = testChart();
    const a = new AgentServiceConfig(chart, 'A', props());
    expect(new AgentServiceConfig(chart, 'B', props()).apiObject).toBe(a.apiObject);
    expect(Manifest.of(chart).all('AgentServiceConfig')).toHaveLength(1);
  });

  test('a second, identical AgentServiceConfig with the mirror shares the mirror ConfigMap too', () => {
    const { chart } = testChart();
    const mirror = new AirgapRegistryMirror(chart, 'Mirror', {
      registry: 'registry.example.com:5000',
      ca: RegistryCa.fromPem(REGISTRY_CA),
      mirrors: [{ source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' }],
    });
    const a = new AgentServiceConfig(chart, 'A', props({ mirrorRegistry: mirror }));
    const b = new AgentServiceConfig(chart, 'B', props({ mirrorRegistry: mirror }));
    expect(b.apiObject).toBe(a.apiObject);
    expect(b.mirrorRegistryConfigMapName).toBe(a.mirrorRegistryConfigMapName);
    const m = Manifest.of(chart);
    expect(m.all('AgentServiceConfig')).toHaveLength(1);
    expect(m.all('ConfigMap').map((c) => c.metadata.name)).toEqual([a.mirrorRegistryConfigMapName]);
  });

  test('fails when two AgentServiceConfigs of one chart differ, naming both', () => {
    const { chart } = testChart();
    new AgentServiceConfig(chart, 'A', props());
    expect(() => new AgentServiceConfig(chart, 'B', props({ filesystemStorage: { size: '40Gi' } }))).toThrow(
      /^\[test\/B\] 'props' needs 'filesystemStorage.size' in the one AgentServiceConfig\/agent of test that \[test\/A\] 'props' already set otherwise \(got "40Gi"\)/,
    );
  });

  test('defines the seed §6.3.10 AgentServiceConfig named agent, cluster-scoped', () => {
    // GIVEN / WHEN
    const { chart } = testChart();
    new AgentServiceConfig(
      chart,
      'Asc',
      props({ unsupportedConfigMap: 'assisted-service-config', mirrorRegistry: 'custom-registries' }),
    );
    const asc = Manifest.of(chart).get('AgentServiceConfig', 'agent');
    // THEN
    expect(asc.metadata).toEqual({
      name: 'agent',
      annotations: { 'unsupported.agent-install.openshift.io/assisted-service-configmap': 'assisted-service-config' },
    });
    expect(asc.spec).toEqual({
      mirrorRegistryRef: { name: 'custom-registries' },
      databaseStorage: {
        storageClassName: 'lvms-vg1',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
      },
      filesystemStorage: {
        storageClassName: 'lvms-vg1',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '20Gi' } },
      },
      osImages: [{ cpuArchitecture: 'x86_64', ...image414 }],
    });
  });

  test('defines the mirror ConfigMap from an AirgapRegistryMirror in the Assisted Service namespace', () => {
    const { chart } = testChart();
    const mirror = new AirgapRegistryMirror(chart, 'Registry', {
      registry: 'registry.dns.base.domain.name:5000',
      ca: RegistryCa.fromPem(REGISTRY_CA),
      mirrors: [{ source: 'registry.redhat.io/openshift4' }],
    });
    new AgentServiceConfig(
      chart,
      'Asc',
      props({ mirrorRegistry: mirror, imageStorage: { size: '50Gi', accessModes: ['ReadWriteMany'] } }),
    );
    const m = Manifest.of(chart);
    expect(m.get('ConfigMap', 'custom-registries')).toMatchObject({
      metadata: { namespace: 'multicluster-engine', labels: { app: 'assisted-service' } },
      data: { 'ca-bundle.crt': expect.stringContaining('BEGIN CERTIFICATE') },
    });
    expect(m.get('AgentServiceConfig', 'agent').spec).toMatchObject({
      mirrorRegistryRef: { name: 'custom-registries' },
      imageStorage: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '50Gi' } } },
    });
  });

  test('takes the Assisted Service namespace from its MultiClusterEngine', () => {
    const { chart } = testChart();
    const engine = new MultiClusterEngine(chart, 'Engine', { targetNamespace: 'mce' });
    const asc = new AgentServiceConfig(chart, 'Asc', props({ multiClusterEngine: engine }));
    expect(asc.namespace).toBe('mce');
  });

  test('fails when its MultiClusterEngine has Assisted Service off, or another namespace', () => {
    const { chart } = testChart();
    const off = new MultiClusterEngine(chart, 'Off', { assistedService: false });
    expect(() => new AgentServiceConfig(chart, 'A', props({ multiClusterEngine: off }))).toThrow(
      /\[test\/A\] 'multiClusterEngine' has assisted-service off \(\[test\/Off\]\)/,
    );
    const on = new MultiClusterEngine(chart, 'On', { name: 'other' });
    expect(() => new AgentServiceConfig(chart, 'B', props({ multiClusterEngine: on, namespace: 'elsewhere' }))).toThrow(
      /'namespace' differs from the engine's targetNamespace multicluster-engine/,
    );
  });

  test('fails without OS images', () => {
    expect(() => build(props({ osImages: [] }))).toThrow(/\[test\/Asc\] 'osImages' must hold at least one image/);
  });

  test('fails on two images for one version and architecture', () => {
    expect(() => build(props({ osImages: [image414, { ...image414, cpuArchitecture: 'x86_64' }] }))).toThrow(
      /'osImages\[1\].openshiftVersion' repeats 4.14 for x86_64, already given at osImages\[0\]/,
    );
  });

  test('takes one image per architecture of a version', () => {
    expect(() => build(props({ osImages: [image414, { ...image414, cpuArchitecture: 'aarch64' }] }))).not.toThrow();
  });

  test('fails on URLs that are not http(s)', () => {
    expect(() => build(props({ osImages: [{ ...image414, url: 'ftp://x/rhcos.iso' }] }))).toThrow(
      /'osImages\[0\].url' is not an http\(s\) URL/,
    );
    expect(() => build(props({ osImages: [{ ...image414, rootFSUrl: '/images/rootfs.img' }] }))).toThrow(
      /'osImages\[0\].rootFSUrl' is not an http\(s\) URL/,
    );
    expect(() => build(props({ osImages: [{ ...image414, url: 'http://u:p@x/rhcos.iso' }] }))).toThrow(
      /'osImages\[0\].url' embeds credentials \(got <redacted>\)/,
    );
  });

  test('fails on a version that is not x.y or a malformed build version', () => {
    expect(() => build(props({ osImages: [{ ...image414, openshiftVersion: '4.14.3' }] }))).toThrow(
      /'osImages\[0\].openshiftVersion' is not an OpenShift x.y version/,
    );
    expect(() => build(props({ osImages: [{ ...image414, version: 'latest' }] }))).toThrow(
      /'osImages\[0\].version' is not an RHCOS build version/,
    );
  });

  test('fails on an unknown architecture', () => {
    expect(() => build(props({ osImages: [{ ...image414, cpuArchitecture: 'amd64' as never }] }))).toThrow(
      /'osImages\[0\].cpuArchitecture' is not a CPU architecture/,
    );
  });

  test('fails on a storage size, access mode or class that is invalid', () => {
    expect(() => build(props({ databaseStorage: { size: '10GB' } }))).toThrow(
      /'databaseStorage.size' is not a storage size/,
    );
    expect(() => build(props({ databaseStorage: { size: '0Gi' } }))).toThrow(
      /'databaseStorage.size' must be more than zero/,
    );
    expect(() => build(props({ filesystemStorage: { size: '1Gi', accessModes: ['RWO' as never] } }))).toThrow(
      /'filesystemStorage.accessModes\[0\]' is not an access mode/,
    );
    expect(() => build(props({ filesystemStorage: { size: '1Gi', accessModes: [] } }))).toThrow(
      /'filesystemStorage.accessModes' is empty/,
    );
    expect(() => build(props({ filesystemStorage: { size: '1Gi', storageClassName: 'LVM' } }))).toThrow(
      /'filesystemStorage.storageClassName' is not a DNS-1123 subdomain/,
    );
  });

  test('fails on an invalid ConfigMap name', () => {
    expect(() => build(props({ unsupportedConfigMap: 'Config Map' }))).toThrow(
      /'unsupportedConfigMap' is not a DNS-1123 subdomain/,
    );
  });
});

describe('AgentServiceConfig properties', () => {
  test('random configs give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        size: mostly(fc.constantFrom('10Gi', '500Mi', '1T')),
        images: fc.array(
          fc.record({
            openshiftVersion: mostly(fc.constantFrom('4.14', '4.15')),
            cpuArchitecture: fc.option(mostly(fc.constantFrom('x86_64', 'aarch64')), { nil: undefined }),
            url: mostly(fc.constantFrom('http://a/x.iso', 'https://b:8080/y.iso')),
            version: mostly(fc.constant('414.92.1-0')),
          }),
          { maxLength: 3 },
        ),
      }),
      ({ size, images }) => {
        const { app, chart } = testChart();
        new AgentServiceConfig(chart, 'Asc', {
          databaseStorage: { size },
          filesystemStorage: { size: '20Gi' },
          osImages: images as never,
        });
        return app.synthYaml();
      },
    );
  });
});
