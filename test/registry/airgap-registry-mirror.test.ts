import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import {
  Rke2ControlPlaneV1Beta1,
  Rke2ControlPlaneV1Beta1SpecPrivateRegistriesConfig,
  Rke2ControlPlaneV1Beta1SpecRolloutStrategyRollingUpdateMaxSurge,
} from '../../imports/rke2controlplanes-controlplane.cluster.x-k8s.io';
import { HaClusterWithMetalLB } from '../../lib/clusters/ha-cluster-with-metallb';
import { SecretRef } from '../../lib/core/secret-ref';
import { BaremetalApp, SiteFile } from '../../lib/core/site-file';
import { Bmc } from '../../lib/metal3/bmc';
import { OsImage } from '../../lib/metal3/os-image';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { AirgapRegistryMirrorProps } from '../../lib/registry/airgap-registry-mirror-props';
import { ImageReference } from '../../lib/registry/image-reference';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { SingleNodeCluster } from '../../lib/clusters/single-node-cluster';
import { TelcoProfile } from '../../lib/telco/telco-profile';
import { formatIssue, validateManifests } from '../../lib/validation/schema-validator';
import { findSecretMaterial } from '../../lib/validation/secret-safety';
import { checkConstruct, garbage, mostly } from '../arbitraries';
import { Manifest, testChart } from '../util';
import { Construct } from 'constructs';
import { validateOutput } from '../../lib/validation/construct-validation';
import { CA_1 } from './certificates';
import { unknownImageSetKeys } from './oc-mirror-keys';
import { D, mirrorIn, props, REGISTRY, synth } from './mirror-fixtures';

/** A construct standing for an RKE2 cluster: its output is validated at synth like a cluster's. */
function rke2Cluster(chart: Chart, id = 'Cluster'): Construct {
  const c = new Construct(chart, id);
  validateOutput(c);
  return c;
}

/** An RKE2ControlPlane manifest carrying `config`, for schema checks. */
function controlPlaneWith(config: Rke2ControlPlaneV1Beta1SpecPrivateRegistriesConfig): unknown {
  return Rke2ControlPlaneV1Beta1.manifest({
    metadata: { name: 'c', namespace: 'default' },
    spec: {
      version: 'v1.32.4+rke2r1',
      rolloutStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: Rke2ControlPlaneV1Beta1SpecRolloutStrategyRollingUpdateMaxSurge.fromNumber(0) },
      },
      privateRegistriesConfig: config,
    },
  });
}

/** Applies RKE2 (k3s) rewrite rules to a repository name; every matching rule must agree. */
function rewriteRepo(rewrite: Record<string, string> | undefined, repo: string): string {
  const results = Object.entries(rewrite ?? {})
    .filter(([re]) => new RegExp(re).test(repo))
    .map(([re, to]) => repo.replace(new RegExp(re), to));
  expect(new Set(results).size).toBeLessThanOrEqual(1);
  return results[0] ?? repo;
}

describe('AirgapRegistryMirror', () => {
  describe('Assisted Service', () => {
    test('defines custom-registries with ca-bundle.crt and a registries.conf that reads back as the mirrors', () => {
      // GIVEN
      const { chart } = testChart();
      const mirror = mirrorIn(
        chart,
        props({
          unqualifiedSearchRegistries: ['registry.access.redhat.com', 'docker.io'],
          mirrors: [
            { source: 'registry.redhat.io/openshift4' },
            { source: 'docker.io/library', mirror: 'hub/library', pullByDigestOnly: false },
            { source: 'docker.io/library', mirror: 'hub2/library', pullByDigestOnly: false },
          ],
        }),
      );
      // WHEN
      const cm = mirror.addAssistedServiceConfigMap();
      // THEN
      expect(cm.name).toBe('custom-registries');
      const obj = synth(chart).get('ConfigMap', 'custom-registries');
      expect(obj.metadata).toMatchObject({ namespace: 'multicluster-engine', labels: { app: 'assisted-service' } });
      expect(Object.keys(obj.data).sort()).toEqual(['ca-bundle.crt', 'registries.conf']);
      expect(obj.data['ca-bundle.crt']).toBe(CA_1);
      expect(parseToml(obj.data['registries.conf'])).toEqual({
        'unqualified-search-registries': ['registry.access.redhat.com', 'docker.io'],
        registry: [
          {
            prefix: '',
            location: 'registry.redhat.io/openshift4',
            'mirror-by-digest-only': true,
            mirror: [{ location: `${REGISTRY}/openshift4` }],
          },
          {
            prefix: '',
            location: 'docker.io/library',
            mirror: [{ location: `${REGISTRY}/hub/library` }, { location: `${REGISTRY}/hub2/library` }],
          },
        ],
      });
    });

    test('takes another namespace and name, and writes insecure mirrors for a plain-HTTP registry', () => {
      const { chart } = testChart();
      mirrorIn(chart, props({ ca: undefined, insecure: true })).addAssistedServiceConfigMap({
        namespace: 'mce',
        name: 'mirror-registries',
      });
      const obj = synth(chart).get('ConfigMap', 'mirror-registries');
      expect(obj.metadata.namespace).toBe('mce');
      expect(obj.data['ca-bundle.crt']).toBeUndefined();
      const conf = parseToml(obj.data['registries.conf']) as { registry: any[] };
      expect(conf.registry[0].mirror[0]).toEqual({ location: `${REGISTRY}/openshift/release`, insecure: true });
      expect(conf.registry.at(-1)).toEqual({ prefix: '', location: REGISTRY, insecure: true });
    });

    test('fails when there is no mirror to write', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart, props({ mirrors: [] }));
      expect(() => mirror.addAssistedServiceConfigMap()).toThrow(
        /\[test\/Mirror\] 'mirrors' is empty \(got \[\]\); assisted-service takes its mirrors from registries.conf/,
      );
    });
  });

  describe('release images', () => {
    test('accepts a digest under a digest-only mirror, and an image in the registry', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart);
      const digest = `quay.io/openshift-release-dev/ocp-release@${D('e')}`;
      expect(mirror.checkReleaseImage(digest).toString()).toBe(digest);
      expect(mirror.checkReleaseImage(`${REGISTRY}/openshift/release-images@${D('e')}`).isDigest).toBe(true);
      expect(mirror.mirroredReference(digest).toString()).toBe(`${REGISTRY}/openshift/release-images@${D('e')}`);
    });

    test('fails when a release image is a tag on a digest-only mirror', () => {
      const { chart } = testChart();
      expect(() =>
        mirrorIn(chart).checkReleaseImage(`${REGISTRY}/openshift/release-images:4.19.0-x86_64`, {
          path: 'site/HostedCluster',
          prop: 'release.image',
        }),
      ).toThrow(
        /\[site\/HostedCluster\] 'release.image' is a tag, but quay.io\/openshift-release-dev\/ocp-release is mirrored by digest only \(got "registry.example.com:5000\/openshift\/release-images:4.19.0-x86_64"\); give the release by digest/,
      );
    });

    test('fails when a release image is neither mirrored nor in the registry', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart).checkReleaseImage(`quay.io/other/release@${D('e')}`)).toThrow(
        /'releaseImage' is neither in registry.example.com:5000 nor under a mirrored source/,
      );
    });
  });

  describe('ImageSetConfiguration', () => {
    test('is written as a site file with what to mirror', () => {
      // GIVEN
      const outdir = mkdtempSync(join(tmpdir(), 'isc-'));
      const app = new BaremetalApp({ outdir });
      const chart = new Chart(app, 'edge');
      const mirror = mirrorIn(
        chart,
        props({
          releases: { channels: [{ name: 'stable-4.19', minVersion: '4.19.1', maxVersion: '4.19.3' }], graph: true },
          additionalImages: ['registry.redhat.io/ubi9/ubi:latest'],
        }),
      );
      // WHEN
      const file = mirror.addImageSetConfiguration();
      app.synth();
      // THEN
      expect(file.path).toBe('edge/imageset-config.yaml');
      const doc = parseYaml(readFileSync(join(outdir, 'edge/imageset-config.yaml'), 'utf8'));
      expect(unknownImageSetKeys(doc)).toEqual([]);
      expect(doc).toEqual({
        apiVersion: 'mirror.openshift.io/v2alpha1',
        kind: 'ImageSetConfiguration',
        mirror: {
          platform: {
            channels: [{ name: 'stable-4.19', minVersion: '4.19.1', maxVersion: '4.19.3', type: 'ocp' }],
            graph: true,
          },
          operators: [
            { catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19', packages: [{ name: 'lvms-operator' }] },
          ],
          additionalImages: [{ name: 'registry.redhat.io/ubi9/ubi:latest' }],
        },
      });
      expect(mirror.imageSetConfiguration()).toEqual(doc);
    });

    test('fails when there is nothing to mirror', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart, props({ operators: [] })).addImageSetConfiguration()).toThrow(
        /'releases' is empty, and so are operators and additionalImages/,
      );
    });

    test('fails when the archive size is not a whole number', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart).addImageSetConfiguration({ archiveSize: 0.5 })).toThrow(
        /'addImageSetConfiguration.archiveSize' must be a whole number of GB/,
      );
    });
  });

  describe('RKE2', () => {
    const rke2Mirrors = [
      { source: 'docker.io' },
      { source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' },
      { source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirror: 'openshift/release' },
      { source: 'registry.suse.com/rancher', mirror: 'mirrored' },
    ];

    test('maps sources to the registry endpoint with rewrites, and one configs entry with auth and TLS references', () => {
      // GIVEN
      const { chart } = testChart('default');
      const mirror = mirrorIn(
        chart,
        props({ mirrors: rke2Mirrors, auth: SecretRef.fromName('private-registry-auth'), name: 'edge-mirror' }),
      );
      // WHEN
      const config = mirror.rke2PrivateRegistriesConfig(rke2Cluster(chart));
      // THEN
      expect(Object.keys(config.mirrors!).sort()).toEqual(['docker.io', 'quay.io', 'registry.suse.com']);
      for (const m of Object.values(config.mirrors!)) expect(m.endpoint).toEqual([`https://${REGISTRY}`]);
      expect(config.mirrors!['docker.io'].rewrite).toBeUndefined();
      const quay = config.mirrors!['quay.io'].rewrite;
      expect(rewriteRepo(quay, 'openshift-release-dev/ocp-release')).toBe('openshift/release-images');
      expect(rewriteRepo(quay, 'openshift-release-dev/ocp-v4.0-art-dev')).toBe('openshift/release');
      expect(rewriteRepo(quay, 'openshift-release-dev/ocp-release-extra')).toBe(
        'openshift-release-dev/ocp-release-extra',
      );
      expect(rewriteRepo(config.mirrors!['registry.suse.com'].rewrite, 'rancher/hardened-sriov-cni')).toBe(
        'mirrored/hardened-sriov-cni',
      );
      expect(config.configs).toEqual({
        [REGISTRY]: {
          authSecret: { apiVersion: 'v1', kind: 'Secret', name: 'private-registry-auth', namespace: 'default' },
          tls: { tlsConfigSecret: { apiVersion: 'v1', kind: 'Secret', name: 'edge-mirror-ca', namespace: 'default' } },
        },
      });
      // The CA Secret holds only the (public) CA certificate, and says so.
      const secret = synth(chart).get('Secret', 'edge-mirror-ca');
      expect(secret.stringData).toEqual({ 'ca.crt': CA_1 });
      expect(secret.metadata.annotations).toEqual({ 'cdk8s-baremetal/secret-material': 'public-ca-certificate' });
      expect(Object.keys(secret.data ?? {})).toEqual([]);
    });

    test('is valid in an RKE2ControlPlane', () => {
      const { chart } = testChart('default');
      const config = mirrorIn(
        chart,
        props({ mirrors: rke2Mirrors, auth: SecretRef.fromName('a') }),
      ).rke2PrivateRegistriesConfig(chart);
      expect(validateManifests([controlPlaneWith(config)]).map(formatIssue)).toEqual([]);
    });

    test('binds Secrets once per namespace however many clusters use the mirror', () => {
      const { chart } = testChart('default');
      const mirror = mirrorIn(chart);
      const a = new Chart(chart, 'a', { namespace: 'default' });
      const b = new Chart(chart, 'b', { namespace: 'default' });
      mirror.rke2PrivateRegistriesConfig(a);
      mirror.rke2PrivateRegistriesConfig(b);
      expect([...Manifest.of(a).all('Secret'), ...Manifest.of(b).all('Secret')]).toHaveLength(1);
    });

    test('uses an existing CA Secret, and a literal auth Secret only on opt-in', () => {
      const { chart } = testChart('default');
      const config = mirrorIn(
        chart,
        props({
          caSecret: SecretRef.fromName('private-registry-cert'),
          auth: SecretRef.fromLiteral({ username: 'u', password: 'p' }, { writeSecretMaterialToManifests: true }),
        }),
      ).rke2PrivateRegistriesConfig(rke2Cluster(chart));
      expect(config.configs![REGISTRY].tls!.tlsConfigSecret!.name).toBe('private-registry-cert');
      expect(config.configs![REGISTRY].authSecret!.name).toBe('registry-example-com-5000-auth');
      const m = synth(chart);
      expect(m.get('Secret', 'registry-example-com-5000-auth').stringData).toEqual({ username: 'u', password: 'p' });
      expect(m.all('Secret')).toHaveLength(1);
    });

    test('takes its credentials from an ExternalSecret', () => {
      const { chart } = testChart('default');
      const config = mirrorIn(
        chart,
        props({ auth: SecretRef.fromExternalSecret({ storeName: 'vault', remoteKey: 'registry/hub' }) }),
      ).rke2PrivateRegistriesConfig(rke2Cluster(chart));
      expect(config.configs![REGISTRY].authSecret!.name).toBe('registry-example-com-5000-auth');
      expect(synth(chart).get('ExternalSecret', 'registry-example-com-5000-auth').spec.target).toMatchObject({
        name: 'registry-example-com-5000-auth',
      });
    });

    test('writes an http endpoint and no configs for an anonymous plain-HTTP registry', () => {
      const { chart } = testChart();
      const config = mirrorIn(
        chart,
        props({ ca: undefined, insecure: true, mirrors: [{ source: 'docker.io' }] }),
      ).rke2PrivateRegistriesConfig(chart);
      expect(config).toEqual({ mirrors: { 'docker.io': { endpoint: [`http://${REGISTRY}`] } } });
    });

    test('rewrites a whole registry into a path, and a path onto the registry root', () => {
      const { chart } = testChart();
      const config = mirrorIn(
        chart,
        props({
          ca: RegistryCa.publiclyTrusted(),
          mirrors: [
            { source: 'docker.io', mirror: 'dockerhub' },
            { source: 'ghcr.io/org', mirror: REGISTRY },
          ],
        }),
      ).rke2PrivateRegistriesConfig(chart);
      expect(rewriteRepo(config.mirrors!['docker.io'].rewrite, 'library/nginx')).toBe('dockerhub/library/nginx');
      expect(rewriteRepo(config.mirrors!['ghcr.io'].rewrite, 'org/tool')).toBe('tool');
      expect(config.configs).toBeUndefined();
    });

    test('accepts nested sources whose mirrors agree', () => {
      const { chart } = testChart();
      const config = mirrorIn(
        chart,
        props({
          mirrors: [
            { source: 'quay.io/a', mirror: 'm/a' },
            { source: 'quay.io/a/b', mirror: 'm/a/b' },
          ],
        }),
      ).rke2PrivateRegistriesConfig(chart);
      expect(rewriteRepo(config.mirrors!['quay.io'].rewrite, 'a/b/c')).toBe('m/a/b/c');
    });

    test('fails when Secrets would be referenced without a namespace', () => {
      const { chart } = testChart();
      const noNs = new Chart(Testing.app(), 'plain');
      const mirror = mirrorIn(chart, props({ auth: SecretRef.fromName('a') }));
      expect(() => mirror.rke2PrivateRegistriesConfig(noNs)).toThrow(
        /\[test\/Mirror\] 'auth' cannot be referenced from a chart without a namespace \(got "plain"\); the RKE2 provider looks the Secret up in the namespace of the reference, so an empty one silently loses it/,
      );
    });

    test('fails when one source has mirrors at several paths', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(
        chart,
        props({
          mirrors: [
            { source: 'quay.io/a', mirror: 'x' },
            { source: 'quay.io/a', mirror: 'y' },
          ],
        }),
      );
      expect(() => mirror.rke2PrivateRegistriesConfig(chart)).toThrow(
        /'mirrors' maps quay.io\/a to 2 different paths, which RKE2 cannot express/,
      );
    });

    test('fails when nested sources disagree', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(
        chart,
        props({
          mirrors: [
            { source: 'quay.io/a', mirror: 'm/a' },
            { source: 'quay.io/a/b', mirror: 'other' },
          ],
        }),
      );
      expect(() => mirror.rke2PrivateRegistriesConfig(chart)).toThrow(
        /'mirrors' nests quay.io\/a\/b inside quay.io\/a with a different mirror path.*mirror quay.io\/a\/b to registry.example.com:5000\/m\/a\/b/,
      );
    });
  });

  describe('RKE2 preload lists', () => {
    function cluster(chart: Chart): void {
      const host = (n: number) => ({
        name: `node${n}`,
        bootMACAddress: `00:f3:65:8a:a3:b${n}`,
        bmc: Bmc.redfishVirtualMedia(`192.168.200.${70 + n}`, '1', SecretRef.fromName(`node${n}-bmc`)),
      });
      new HaClusterWithMetalLB(chart, 'Cluster', {
        clusterName: 'edge',
        rke2Version: 'v1.32.4+rke2r1',
        vip: '192.168.122.100',
        machineNetwork: '192.168.122.0/24',
        controlPlaneHosts: [host(1), host(2), host(3)],
        image: OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw'),
      });
    }

    test('lists the additional images and the OCI charts the clusters install', () => {
      const outdir = mkdtempSync(join(tmpdir(), 'preload-'));
      const app = new BaremetalApp({ outdir });
      const chart = new Chart(app, 'edge', { namespace: 'default' });
      const mirror = mirrorIn(
        chart,
        props({
          additionalImages: [
            'registry.suse.com/rancher/hardened-sriov-cni:v2.8.1-build20240820',
            'registry.suse.com/rancher/hardened-sriov-cni:v2.8.1-build20240820',
          ].slice(0, 1),
        }),
      );
      const lists = mirror.addRke2PreloadLists({
        images: [`registry.suse.com/rancher/hardened-sriov-network-operator@${D('f')}`],
        charts: [{ chart: 'oci://registry.suse.com/edge/charts/sriov-crd', version: '303.0.2+up1.5.0' }],
      });
      cluster(chart);
      app.synth();
      const read = (f: SiteFile) =>
        readFileSync(join(outdir, f.path), 'utf8')
          .split('\n')
          .filter((l) => l && !l.startsWith('#'));
      expect(lists.images.path).toBe('edge/preload/edge-release-images.txt');
      expect(readFileSync(join(outdir, lists.images.path), 'utf8')).toMatch(/^# Fully qualified images, one a line/);
      expect(readFileSync(join(outdir, lists.charts.path), 'utf8')).toMatch(/^# Fully qualified OCI Helm charts/);
      expect(read(lists.images)).toEqual([
        'registry.suse.com/rancher/hardened-sriov-cni:v2.8.1-build20240820',
        `registry.suse.com/rancher/hardened-sriov-network-operator@${D('f')}`,
      ]);
      const charts = read(lists.charts);
      expect(charts).toContain('registry.suse.com/edge/charts/sriov-crd:303.0.2+up1.5.0');
      expect(charts.some((c) => c.startsWith('registry.suse.com/edge/charts/metallb:'))).toBe(true);
      expect(charts.some((c) => c.startsWith('registry.suse.com/edge/charts/endpoint-copier-operator:'))).toBe(true);
    });

    test('writes entries relative to a source registry for the SUSE helper scripts', () => {
      const app = new BaremetalApp({ outdir: mkdtempSync(join(tmpdir(), 'preload-')) });
      const chart = new Chart(app, 'edge');
      const lists = mirrorIn(
        chart,
        props({ additionalImages: ['registry.suse.com/rancher/hardened-sriov-cni:v2.8.1'] }),
      ).addRke2PreloadLists({ relativeTo: 'registry.suse.com' });
      cluster(chart);
      expect(lists.images.render()).toBe(
        '# Images relative to registry.suse.com, one a line, for edge-save-images.sh -s registry.suse.com -l <this file>\n' +
          'rancher/hardened-sriov-cni:v2.8.1\n',
      );
      expect(lists.charts.render()).toMatch(
        /^# OCI Helm charts relative to registry.suse.com, chart and version a line, for edge-save-oci-artefacts.sh -s registry.suse.com -al <this file>\nedge\/charts\/endpoint-copier-operator:.*\nedge\/charts\/metallb:/,
      );
    });

    test('fails when an entry is not from the relativeTo registry', () => {
      const { chart } = testChart();
      const lists = mirrorIn(chart, props({ additionalImages: ['quay.io/a/b:1'] })).addRke2PreloadLists({
        relativeTo: 'registry.suse.com',
      });
      expect(() => lists.images.render()).toThrow(
        /'addRke2PreloadLists.images' lists quay.io\/a\/b, which is not in registry.suse.com/,
      );
    });
  });

  describe('mirror rules that share a mirror path (seed §42.9)', () => {
    /** The seed's 7 SR-IOV images (§42.3.2.7), as pulled from registry.suse.com. */
    const SRIOV_IMAGES = [
      'rancher/hardened-sriov-network-operator:v1.3.0-build20240816',
      'rancher/hardened-sriov-network-config-daemon:v1.3.0-build20240816',
      'rancher/hardened-sriov-cni:v2.8.1-build20240820',
      'rancher/hardened-ib-sriov-cni:v1.1.1-build20240816',
      'rancher/hardened-sriov-network-device-plugin:v3.7.0-build20240816',
      'rancher/hardened-sriov-network-resources-injector:v1.6.0-build20240816',
      'rancher/hardened-sriov-network-webhook:v1.3.0-build20240816',
    ];
    const SEED_REGISTRY = '192.168.100.22:5000';

    /** The seed's layout: docker.io and SUSE's chart repository both at the registry's root. */
    function seedSite(mirrors: { source: string; mirror?: string }[]) {
      const app = new BaremetalApp({ outdir: mkdtempSync(join(tmpdir(), 'seed-929-')) });
      const chart = new Chart(app, 'airgap', { namespace: 'default' });
      const mirror = new AirgapRegistryMirror(chart, 'Registry', {
        registry: SEED_REGISTRY,
        ca: RegistryCa.fromPem(CA_1),
        auth: SecretRef.fromName('private-registry-auth'),
        mirrors,
        additionalImages: SRIOV_IMAGES.map((i) => `registry.suse.com/${i}`),
      });
      const cluster = new SingleNodeCluster(chart, 'Cluster', {
        clusterName: 'single-node-cluster',
        rke2Version: 'v1.32.4+rke2r1',
        host: {
          name: 'example-demo',
          bootMACAddress: '00:0c:29:3e:3e:3e',
          bmc: Bmc.redfishVirtualMedia('192.168.200.75', '1', SecretRef.fromName('example-demo-credentials')),
        },
        image: OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw'),
        controlPlaneEndpoint: '192.168.200.80',
        telco: TelcoProfile.suseEdgePreset({
          sriov: [{ resourceName: 'sriov-resource-du1', interface: 'eth0', driver: 'vfio-pci', numVfs: 8 }],
        }),
        registryMirror: mirror,
        airGapped: true,
      });
      return { cluster, mirror, lists: mirror.addRke2PreloadLists({ relativeTo: 'registry.suse.com' }) };
    }

    const entries = (f: SiteFile) =>
      f
        .render()
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));

    test.each([
      [
        'docker.io first',
        [
          { source: 'docker.io', mirror: SEED_REGISTRY },
          { source: 'registry.suse.com/edge/charts', mirror: SEED_REGISTRY },
        ],
      ],
      [
        'charts first',
        [
          { source: 'registry.suse.com/edge/charts', mirror: SEED_REGISTRY },
          { source: 'docker.io', mirror: SEED_REGISTRY },
        ],
      ],
    ])('%s: charts come from the root, the preload lists name only registry.suse.com sources', (_, mirrors) => {
      // GIVEN the seed's mirror layout, in either order
      const { cluster, lists } = seedSite(mirrors);
      // WHEN the first-boot HelmCharts and the lists are rendered
      const charts = cluster.userData
        .embeddedManifests()
        .flatMap((m) => [...m.objects])
        .filter((o: any) => o.kind === 'HelmChart') as any[];
      // THEN the HelmCharts pull from the registry's root, as the seed's oci://${PRIVATE_REGISTRY_URL}/sriov-crd
      expect(charts.map((c) => c.spec.chart).sort()).toEqual([
        `oci://${SEED_REGISTRY}/sriov-crd`,
        `oci://${SEED_REGISTRY}/sriov-network-operator`,
      ]);
      // AND both lists are relative to registry.suse.com: no docker.io/sriov-crd, no failure
      expect(entries(lists.charts)).toEqual([
        'edge/charts/sriov-crd:303.0.2+up1.5.0',
        'edge/charts/sriov-network-operator:303.0.2+up1.5.0',
      ]);
      expect(entries(lists.images)).toEqual([...SRIOV_IMAGES].sort());
    });

    test('a reference the mirror did not rebase is traced through the longest source prefix', () => {
      const { mirror } = seedSite([
        { source: 'docker.io', mirror: SEED_REGISTRY },
        { source: 'registry.suse.com/edge/charts', mirror: SEED_REGISTRY },
      ]);
      expect(mirror.sourceReference(ImageReference.parse(`${SEED_REGISTRY}/metallb:1.0`)).toString()).toBe(
        'registry.suse.com/edge/charts/metallb:1.0',
      );
      // A longer mirror path still wins over a longer source.
      const nested = mirrorIn(
        testChart().chart,
        props({
          mirrors: [
            { source: 'registry.suse.com/edge/charts', mirror: REGISTRY },
            { source: 'docker.io/library', mirror: 'library' },
          ],
        }),
      );
      expect(nested.sourceReference(ImageReference.parse(`${REGISTRY}/library/nginx:1.27`)).toString()).toBe(
        'docker.io/library/nginx:1.27',
      );
    });

    test('fails when two sources of the same length share a mirror path, naming both', () => {
      const mirror = mirrorIn(
        testChart().chart,
        props({
          mirrors: [
            { source: 'docker.io', mirror: REGISTRY },
            { source: 'quay.io', mirror: REGISTRY },
          ],
        }),
      );
      expect(() => mirror.sourceReference(ImageReference.parse(`${REGISTRY}/a/b:1`))).toThrow(
        /\[test\/Mirror\] 'mirrors' mirrors both docker.io and quay.io to registry.example.com:5000, so registry.example.com:5000\/a\/b cannot be traced back to one source \(got "registry.example.com:5000\/a\/b:1"\); give one of the two its own mirror path/,
      );
    });
  });

  describe('checks', () => {
    const build = (p: Partial<AirgapRegistryMirrorProps>) => mirrorIn(testChart().chart, props(p));

    test('fails when the registry is not host[:port]', () => {
      expect(() => build({ registry: 'https://registry.example.com:5000' })).toThrow(
        /\[test\/Mirror\] 'registry' carries a URL scheme \(got "https:\/\/registry.example.com:5000"\)/,
      );
      expect(() => build({ registry: 'registry.example.com:5000/openshift' })).toThrow(/'registry' has a path/);
    });

    test('fails when an HTTPS registry has no CA', () => {
      expect(() => build({ ca: undefined })).toThrow(
        /'ca' is required for an HTTPS registry \(got undefined\); pass RegistryCa.fromFile\(path\) for a private CA/,
      );
    });

    test('fails when a plain-HTTP registry is given a CA', () => {
      expect(() => build({ insecure: true })).toThrow(/'ca' is given for a plain-HTTP registry \(insecure: true\)/);
    });

    test('fails when ca is not a RegistryCa', () => {
      expect(() => build({ ca: CA_1 as never })).toThrow(/'ca' is not a RegistryCa/);
    });

    test('fails when auth is not a SecretRef, without echoing it', () => {
      expect(() => build({ auth: 'user:secret' as never })).toThrow(/'auth' is not a SecretRef \(got "string"\)/);
    });

    test('fails when caSecret is given without a private CA', () => {
      expect(() => build({ ca: RegistryCa.publiclyTrusted(), caSecret: SecretRef.fromName('x') })).toThrow(
        /'caSecret' is given without a private ca/,
      );
    });

    test('fails when a mirror source is a tag or a digest', () => {
      expect(() => build({ mirrors: [{ source: 'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64' }] })).toThrow(
        /'mirrors\[0\].source' is an image tag, not a repository prefix/,
      );
      expect(() => build({ mirrors: [{ source: `quay.io/a/b@${D('a')}` }] })).toThrow(
        /'mirrors\[0\].source' is an image digest, not a repository prefix/,
      );
    });

    test('fails when a source is in the mirror registry itself', () => {
      expect(() => build({ mirrors: [{ source: `${REGISTRY}/openshift` }] })).toThrow(
        /'mirrors\[0\].source' is in the mirror registry itself/,
      );
    });

    test('fails when a mirror is on another registry, saying why', () => {
      expect(() => build({ mirrors: [{ source: 'quay.io/a', mirror: 'other.example.com/a' }] })).toThrow(
        /'mirrors\[0\].mirror' is not in the mirror registry registry.example.com:5000 \(got "other.example.com\/a"\); every mirror lives in registry.example.com:5000 \(the RKE2 provider keeps one registry credentials entry, so a second registry's credentials would be lost\)/,
      );
    });

    test('fails when a mirror is not a path', () => {
      expect(() => build({ mirrors: [{ source: 'quay.io/a', mirror: '/abs' }] })).toThrow(
        /'mirrors\[0\].mirror' is not a path in the mirror registry/,
      );
      expect(() => build({ mirrors: [{ source: 'quay.io/a', mirror: 'a:tag' as string }] })).toThrow(
        /'mirrors\[0\].mirror'/,
      );
    });

    test('fails when two mirrors of one source disagree on digest-only', () => {
      expect(() =>
        build({
          mirrors: [
            { source: 'quay.io/a', mirror: 'x' },
            { source: 'quay.io/a', mirror: 'y', pullByDigestOnly: false },
          ],
        }),
      ).toThrow(
        /'mirrors\[1\].pullByDigestOnly' conflicts with mirrors\[0\] for the same source quay.io\/a \(got false\)/,
      );
    });

    test('fails when two mirrors of one source disagree on the source policy', () => {
      expect(() =>
        build({
          mirrors: [
            { source: 'quay.io/a', mirror: 'x' },
            { source: 'quay.io/a', mirror: 'y', neverContactSource: true },
          ],
        }),
      ).toThrow(/'mirrors\[1\].neverContactSource' conflicts with mirrors\[0\]/);
    });

    test('fails when a mirror repeats', () => {
      expect(() =>
        build({ mirrors: [{ source: 'quay.io/a' }, { source: 'quay.io/a', mirror: `${REGISTRY}/a` }] }),
      ).toThrow(/'mirrors\[1\].mirror' repeats mirrors\[0\]/);
    });

    test('fails when a catalog or an additional image repeats', () => {
      const c = { catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19' };
      expect(() => build({ operators: [c, c] })).toThrow(/'operators\[1\].catalog' repeats the catalog at index 0/);
      expect(() => build({ additionalImages: ['quay.io/a/b:1', 'quay.io/a/b:1'] })).toThrow(
        /'additionalImages\[1\]' repeats the image at index 0/,
      );
    });

    test('fails when the name is not a DNS-1123 label', () => {
      expect(() => build({ name: 'Hub_Mirror' })).toThrow(/'name' is not a DNS-1123 label/);
    });

    test('fails when a search registry is not host[:port]', () => {
      expect(() => build({ unqualifiedSearchRegistries: ['docker.io/library'] })).toThrow(
        /'unqualifiedSearchRegistries\[0\]' has a path/,
      );
    });
  });

  describe('properties', () => {
    const repo = fc.constantFrom(
      'quay.io/openshift-release-dev/ocp-release',
      'quay.io/openshift-release-dev',
      'quay.io/openshift-release-dev/ocp-v4.0-art-dev',
      'registry.redhat.io/redhat',
      'registry.redhat.io',
      'docker.io',
      'docker.io/library',
      'ghcr.io/org/tool',
    );
    const mirrorPath = fc.oneof(
      {
        weight: 12,
        arbitrary: fc.constantFrom(undefined, 'openshift/release', 'mirror', 'hub/library', `${REGISTRY}/x`),
      },
      fc.constantFrom(REGISTRY, 'other.io/x', '/bad'),
    );
    const mirrorArb = fc.record(
      {
        source: mostly(repo),
        mirror: mostly(mirrorPath),
        pullByDigestOnly: fc.option(mostly(fc.boolean()), { nil: undefined }),
        neverContactSource: fc.option(mostly(fc.boolean(), 40), { nil: undefined }),
      },
      { requiredKeys: ['source'] },
    );
    const catalog = fc.record(
      {
        catalog: mostly(
          fc.constantFrom(
            'registry.redhat.io/redhat/redhat-operator-index:v4.19',
            'registry.redhat.io/redhat/certified-operator-index:v4.19',
            `registry.redhat.io/redhat/community-operator-index@${D('1')}`,
          ),
        ),
        packages: fc.option(
          fc.uniqueArray(
            fc.record({ name: mostly(fc.constantFrom('lvms-operator', 'odf-operator', 'metallb-operator')) }),
            {
              maxLength: 2,
              selector: (p) => String(p.name),
            },
          ),
          { nil: undefined },
        ),
      },
      { requiredKeys: ['catalog'] },
    );

    test('random props give valid output or the library error, never a TypeError', () => {
      checkConstruct(
        fc.record({
          registry: fc.oneof(
            { weight: 24, arbitrary: fc.constantFrom(REGISTRY, REGISTRY, '10.0.0.5:5000') },
            fc.constantFrom('https://x', 'a/b', 'registry.example.com:99999'),
            garbage,
          ),
          trust: fc.oneof(
            { weight: 10, arbitrary: fc.constant({ ca: RegistryCa.fromPem(CA_1) }) },
            { weight: 3, arbitrary: fc.constant({ ca: RegistryCa.publiclyTrusted() }) },
            { weight: 2, arbitrary: fc.constant({ insecure: true }) },
            fc.record({ ca: garbage, insecure: fc.option(fc.boolean(), { nil: undefined }) }),
          ),
          auth: fc.option(mostly(fc.constant(SecretRef.fromName('registry-auth'))), { nil: undefined }),
          mirrors: fc.option(mostly(fc.array(mirrorArb, { maxLength: 4 })), { nil: undefined }),
          operators: fc.option(mostly(fc.uniqueArray(catalog, { maxLength: 2, selector: (c) => String(c.catalog) })), {
            nil: undefined,
          }),
          additionalImages: fc.option(
            mostly(fc.uniqueArray(fc.constantFrom('quay.io/a/b:1', 'docker.io/library/nginx:1.27'), { maxLength: 2 })),
            { nil: undefined },
          ),
          releases: fc.option(
            mostly(
              fc.constantFrom(
                { channels: [{ name: 'stable-4.19', minVersion: '4.19.0', maxVersion: '4.19.2' }], graph: true },
                { release: `quay.io/openshift-release-dev/ocp-release@${D('a')}` },
              ),
            ),
            { nil: undefined },
          ),
          outputs: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 6 }),
        }),
        ({ outputs, trust, ...p }) => {
          const { app, chart } = testChart('default');
          const mirror = new AirgapRegistryMirror(chart, 'Mirror', { ...p, ...trust } as any);
          for (const o of new Set(outputs)) {
            [
              () => mirror.addAssistedServiceConfigMap(),
              () => mirror.addOpenShiftTrust(),
              () => mirror.addHostedClusterTrustBundle(),
              () => mirror.addImageDigestMirrorSet(),
              () => mirror.addImageTagMirrorSet(),
              () => mirror.addImageContentSourcePolicy(),
              () => mirror.addCatalogSources(),
              () => mirror.hostedClusterCatalogAnnotations({ pinCatalogImages: outputs.length > 5 }),
              () => mirror.addImageSetConfiguration().render(),
              () =>
                expect(
                  validateManifests([controlPlaneWith(mirror.rke2PrivateRegistriesConfig(rke2Cluster(chart)))]).map(
                    formatIssue,
                  ),
                ).toEqual([]),
              () => mirror.imageContentSources(),
              () => {
                // Reverse lookups from the mirror registry: a source, or the library error naming both rules.
                for (const path of ['x/a:1', 'mirror/a/b:1', 'openshift/release/a:1', 'a:1']) {
                  const ref = ImageReference.parse(`${mirror.registry}/${path}`);
                  const source = mirror.sourceReference(ref);
                  if (!source.equals(ref)) expect(source.registry.equals(mirror.registry)).toBe(false);
                }
                mirror.addRke2PreloadLists().charts.render();
              },
            ][o]();
          }
          const yaml = app.synthYaml();
          const objects = Manifest.of(chart).objects;
          expect(validateManifests(objects).map(formatIssue)).toEqual([]);
          expect(findSecretMaterial(objects)).toEqual([]);
          return yaml;
        },
      );
    });
  });

  describe('example disconnected-hub', () => {
    test('writes the ImageSetConfiguration of seed §6.3.8 next to the manifests when run alone', () => {
      const compiled = join(__dirname, '..', '..', 'build', 'examples', 'disconnected-hub', 'main.js');
      if (!existsSync(compiled)) throw new Error(`${compiled} is missing; run 'npm run build' first (npm test does)`);
      const out = mkdtempSync(join(tmpdir(), 'disconnected-hub-'));
      try {
        execFileSync(process.execPath, [compiled], { env: { ...process.env, CDK8S_OUTDIR: out }, stdio: 'pipe' });
        const doc = parseYaml(readFileSync(join(out, 'disconnected-hub', 'imageset-config.yaml'), 'utf8'));
        expect(unknownImageSetKeys(doc)).toEqual([]);
        expect(doc).toEqual({
          apiVersion: 'mirror.openshift.io/v2alpha1',
          kind: 'ImageSetConfiguration',
          mirror: {
            platform: {
              channels: [{ name: 'candidate-4.19', minVersion: '4.19.0', maxVersion: '4.19.2', type: 'ocp' }],
              kubeVirtContainer: true,
              graph: true,
            },
            operators: [
              {
                catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19',
                packages: [
                  'lvms-operator',
                  'local-storage-operator',
                  'odf-csi-addons-operator',
                  'odf-operator',
                  'mcg-operator',
                  'ocs-operator',
                  'metallb-operator',
                  'kubevirt-hyperconverged',
                ].map((name) => ({ name })),
              },
            ],
          },
        });
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    test('its manifests carry the seed names and keys', () => {
      const { build } = require('../../examples/disconnected-hub/main') as { build: (app: App) => Chart };
      const m = synth(build(Testing.app()));
      expect(m.ids()).toEqual([
        'CatalogSource/cs-redhat-operator-index-v4-19',
        'ConfigMap/custom-registries',
        'ConfigMap/registry-config',
        'Image/cluster',
        'ImageDigestMirrorSet/registry-dns-base-domain-name-5000',
      ]);
      const conf = parseToml(m.get('ConfigMap', 'custom-registries').data['registries.conf']) as any;
      expect(conf['unqualified-search-registries']).toEqual(['registry.access.redhat.com', 'docker.io']);
      expect(conf.registry[0]).toEqual({
        prefix: '',
        location: 'registry.redhat.io/openshift4',
        'mirror-by-digest-only': true,
        mirror: [{ location: 'registry.dns.base.domain.name:5000/openshift4' }],
      });
      expect(Object.keys(m.get('ConfigMap', 'registry-config').data)).toEqual(['registry.dns.base.domain.name..5000']);
    });
  });
});
