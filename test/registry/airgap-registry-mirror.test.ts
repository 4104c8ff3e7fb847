import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
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

    test('fails when the name or namespace given is not a DNS-1123 name, naming the option', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart);
      expect(() => mirror.addAssistedServiceConfigMap({ name: 'Custom_Registries' })).toThrow(
        `[test/Mirror] 'addAssistedServiceConfigMap.name' is not a DNS-1123 subdomain (got "Custom_Registries"); use at most 253 characters of dot-separated lower-case labels (letters, digits, "-")`,
      );
      expect(() => mirror.addAssistedServiceConfigMap({ namespace: 'multicluster.engine' })).toThrow(
        `[test/Mirror] 'addAssistedServiceConfigMap.namespace' is not a DNS-1123 label (got "multicluster.engine"); use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit`,
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

    test('fails when a release image is neither mirrored nor in the registry, saying what to do', () => {
      const { chart } = testChart();
      const image = `quay.io/other/release@${D('e')}`;
      expect(() => mirrorIn(chart).checkReleaseImage(image)).toThrow(
        `[test/Mirror] 'releaseImage' is neither in ${REGISTRY} nor under a mirrored source (got "${image}"); add a mirror whose source covers quay.io/other/release, or use the image from ${REGISTRY}`,
      );
    });

    test('fails for a tag in any mirror of a digest-only source, not only in its first', () => {
      // GIVEN a digest-only source with two mirror paths
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
      // THEN a tag under either mirror is refused
      for (const path of ['x', 'y']) {
        const image = `${REGISTRY}/${path}/release:4.19.0`;
        expect(() => mirror.checkReleaseImage(image)).toThrow(
          `[test/Mirror] 'releaseImage' is a tag, but quay.io/a is mirrored by digest only (got "${image}"); give the release by digest ("…@sha256:…"); \`oc adm release info ${image} | grep "Pull From"\` prints it`,
        );
      }
      // AND a digest under the second mirror is accepted
      expect(mirror.checkReleaseImage(`${REGISTRY}/y/release@${D('a')}`).toString()).toBe(
        `${REGISTRY}/y/release@${D('a')}`,
      );
    });
  });

  describe('mirroredReference', () => {
    test('returns a reference already in the mirror registry as it is', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart);
      const text = `${REGISTRY}/openshift/release-images@${D('e')}`;
      expect(mirror.mirroredReference(text).toString()).toBe(text);
      // also one that no mirror path covers
      expect(mirror.mirroredReference(`${REGISTRY}/elsewhere/tool:1`).toString()).toBe(`${REGISTRY}/elsewhere/tool:1`);
      const ref = ImageReference.parse(text);
      expect(mirror.mirroredReference(ref)).toBe(ref);
    });

    test('rebases a reference under a source onto its mirror', () => {
      const { chart } = testChart();
      expect(mirrorIn(chart).mirroredReference('registry.redhat.io/redhat/ubi9:9.4').toString()).toBe(
        `${REGISTRY}/redhat/ubi9:9.4`,
      );
    });

    test('fails for a reference under no source, suggesting its parent repository as a source', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart);
      expect(() => mirror.mirroredReference('ghcr.io/org/team/tool:1')).toThrow(
        `[test/Mirror] 'reference' is not under any mirrored source (got "ghcr.io/org/team/tool:1"); add a mirror such as { source: "ghcr.io/org/team" }`,
      );
      // a repository of one segment: the repository itself
      expect(() => mirror.mirroredReference('ghcr.io/tool:1')).toThrow(
        `[test/Mirror] 'reference' is not under any mirrored source (got "ghcr.io/tool:1"); add a mirror such as { source: "ghcr.io/tool" }`,
      );
      // the caller's place
      expect(() => mirror.mirroredReference('ghcr.io/org/tool:1', { path: 'site/App', prop: 'image' })).toThrow(
        /^\[site\/App\] 'image' is not under any mirrored source/,
      );
    });
  });

  describe('hostedClusterCatalogAnnotations', () => {
    test('overrides the source of each operator catalog with its mirror', () => {
      const { chart } = testChart();
      expect(mirrorIn(chart).hostedClusterCatalogAnnotations()).toEqual({
        'hypershift.openshift.io/olm-catalogs-is-registry-overrides': `registry.redhat.io/redhat=${REGISTRY}/redhat`,
      });
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
        "[test/Mirror] 'releases' is empty, and so are operators and additionalImages (got undefined); give something to mirror",
      );
    });

    test('is written for operator catalogs alone, or additional images alone', () => {
      const { chart } = testChart();
      const operatorsOnly = parseYaml(mirrorIn(chart).addImageSetConfiguration().render());
      expect(operatorsOnly.mirror).toEqual({
        operators: [
          { catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19', packages: [{ name: 'lvms-operator' }] },
        ],
      });
      const imagesOnly = new AirgapRegistryMirror(
        testChart().chart,
        'Images',
        props({ operators: [], additionalImages: ['quay.io/a/b:1'] }),
      );
      expect(parseYaml(imagesOnly.addImageSetConfiguration().render()).mirror).toEqual({
        additionalImages: [{ name: 'quay.io/a/b:1' }],
      });
    });

    test('writes the archive size, from 1 GB', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart);
      expect(parseYaml(mirror.addImageSetConfiguration({ archiveSize: 1 }).render()).archiveSize).toBe(1);
      const other = mirrorIn(testChart().chart);
      expect(parseYaml(other.addImageSetConfiguration({ archiveSize: 4 }).render())).toMatchObject({
        kind: 'ImageSetConfiguration',
        archiveSize: 4,
      });
    });

    test('fails when the archive size is not a whole number of 1 GB or more', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart);
      for (const archiveSize of [0.5, 1.5, 0, -2]) {
        expect(() => mirror.addImageSetConfiguration({ archiveSize })).toThrow(
          `[test/Mirror] 'addImageSetConfiguration.archiveSize' must be a whole number of GB (got ${archiveSize}); pass 1 or more`,
        );
      }
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
        `[test/Mirror] 'mirrors' maps quay.io/a to 2 different paths, which RKE2 cannot express (got ["${REGISTRY}/x","${REGISTRY}/y"]); containerd rewrites a repository to one path per registry endpoint; keep one mirror for this source on RKE2 clusters`,
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
        `[test/Mirror] 'mirrors' nests quay.io/a/b inside quay.io/a with a different mirror path, which RKE2 applies in no fixed order (got ["${REGISTRY}/m/a","${REGISTRY}/other"]); mirror quay.io/a/b to ${REGISTRY}/m/a/b, or drop one of the two`,
      );
    });

    test('writes configs with authSecret alone for a publicly trusted registry with credentials', () => {
      const { chart } = testChart('default');
      const config = mirrorIn(
        chart,
        props({ ca: RegistryCa.publiclyTrusted(), auth: SecretRef.fromName('private-registry-auth') }),
      ).rke2PrivateRegistriesConfig(rke2Cluster(chart));
      expect(config.configs).toEqual({
        [REGISTRY]: {
          authSecret: { apiVersion: 'v1', kind: 'Secret', name: 'private-registry-auth', namespace: 'default' },
        },
      });
      expect(Manifest.of(chart).all('Secret')).toEqual([]);
    });

    test('writes configs with tls alone for an anonymous registry with a private CA, in an Opaque Secret', () => {
      const { chart } = testChart('default');
      const config = mirrorIn(chart, props({ name: 'edge-mirror' })).rke2PrivateRegistriesConfig(rke2Cluster(chart));
      expect(config.configs).toEqual({
        [REGISTRY]: {
          tls: { tlsConfigSecret: { apiVersion: 'v1', kind: 'Secret', name: 'edge-mirror-ca', namespace: 'default' } },
        },
      });
      const secret = synth(chart).get('Secret', 'edge-mirror-ca');
      expect(secret.type).toBe('Opaque');
      expect(secret.stringData).toEqual({ 'ca.crt': CA_1 });
    });

    test('leaves out mirrors when there are none, keeping configs', () => {
      const { chart } = testChart('default');
      const config = mirrorIn(
        chart,
        props({ mirrors: [], auth: SecretRef.fromName('private-registry-auth') }),
      ).rke2PrivateRegistriesConfig(rke2Cluster(chart));
      expect(Object.keys(config)).toEqual(['configs']);
      expect(config.configs![REGISTRY].authSecret!.name).toBe('private-registry-auth');
    });

    test('needs no namespace when nothing refers to a Secret (publicly trusted, anonymous)', () => {
      const { chart } = testChart();
      const noNs = new Chart(Testing.app(), 'plain');
      const config = mirrorIn(
        chart,
        props({ ca: RegistryCa.publiclyTrusted(), mirrors: [{ source: 'docker.io' }] }),
      ).rke2PrivateRegistriesConfig(noNs);
      expect(config).toEqual({ mirrors: { 'docker.io': { endpoint: [`https://${REGISTRY}`] } } });
      expect(Object.keys(config)).toEqual(['mirrors']);
    });

    test('fails when the private CA Secret would be referenced without a namespace, naming ca', () => {
      const { chart } = testChart();
      const noNs = new Chart(Testing.app(), 'plain');
      expect(() => mirrorIn(chart).rke2PrivateRegistriesConfig(noNs)).toThrow(
        `[test/Mirror] 'ca' cannot be referenced from a chart without a namespace (got "plain"); the RKE2 provider looks the Secret up in the namespace of the reference, so an empty one silently loses it; give the chart a namespace`,
      );
    });

    test('asks an ExternalSecret for username and password', () => {
      const { chart } = testChart('default');
      mirrorIn(
        chart,
        props({ auth: SecretRef.fromExternalSecret({ storeName: 'vault', remoteKey: 'registry/hub' }) }),
      ).rke2PrivateRegistriesConfig(rke2Cluster(chart));
      const es = synth(chart).get('ExternalSecret', 'registry-example-com-5000-auth');
      expect(es.spec.data).toEqual([
        { secretKey: 'username', remoteRef: { key: 'registry/hub', property: 'username' } },
        { secretKey: 'password', remoteRef: { key: 'registry/hub', property: 'password' } },
      ]);
    });

    test('fails when a literal auth Secret has no password, naming auth and not echoing a value', () => {
      const { chart } = testChart('default');
      const mirror = mirrorIn(
        chart,
        props({
          auth: SecretRef.fromLiteral({ username: 'u', pass: 'hunter2' }, { writeSecretMaterialToManifests: true }),
        }),
      );
      let message = '';
      try {
        mirror.rke2PrivateRegistriesConfig(rke2Cluster(chart));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(
        `[test/Mirror] 'auth' has no key 'password' (got ["username","pass"]); add 'password' to the literal Secret data`,
      );
      expect(message).not.toContain('hunter2');
    });

    test('takes the CA from an ExternalSecret of ca.crt alone, named after the mirror', () => {
      const { chart } = testChart('default');
      const config = mirrorIn(
        chart,
        props({
          name: 'edge-mirror',
          caSecret: SecretRef.fromExternalSecret({ storeName: 'vault', remoteKey: 'registry/ca' }),
        }),
      ).rke2PrivateRegistriesConfig(rke2Cluster(chart));
      expect(config.configs![REGISTRY].tls!.tlsConfigSecret!.name).toBe('edge-mirror-ca');
      const m = synth(chart);
      expect(m.get('ExternalSecret', 'edge-mirror-ca').spec.data).toEqual([
        { secretKey: 'ca.crt', remoteRef: { key: 'registry/ca', property: 'ca.crt' } },
      ]);
      expect(m.all('Secret')).toEqual([]);
    });

    test('fails when the CA ExternalSecret maps a key other than ca.crt, naming caSecret', () => {
      const { chart } = testChart('default');
      const mirror = mirrorIn(
        chart,
        props({
          caSecret: SecretRef.fromExternalSecret({
            storeName: 'vault',
            remoteKey: 'registry/ca',
            properties: { 'ca.crt': 'ca', 'tls.crt': 'cert' },
          }),
        }),
      );
      expect(() => mirror.rke2PrivateRegistriesConfig(rke2Cluster(chart))).toThrow(
        `[test/Mirror] 'caSecret' maps key 'tls.crt', which the consumer does not read (got ["ca.crt","tls.crt"]); map only ca.crt`,
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

  describe('RKE2 preload lists: charts and options', () => {
    /** A raw object standing for a HelmChart (or another object) defined anywhere in the app. */
    function object(
      scope: Chart,
      id: string,
      spec: Record<string, string>,
      apiVersion = 'helm.cattle.io/v1',
      kind = 'HelmChart',
    ) {
      new ApiObject(scope, id, { apiVersion, kind, metadata: { name: id.toLowerCase() }, spec });
    }
    const entries = (f: SiteFile) =>
      f
        .render()
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));

    test('lists the oci:// HelmChart objects of every chart of the app, sorted, and only those', () => {
      // GIVEN the mirror in one chart, and objects in another chart of the app
      const app = Testing.app();
      const site = new Chart(app, 'site', { namespace: 'default' });
      const other = new Chart(app, 'other');
      const lists = mirrorIn(site).addRke2PreloadLists();
      object(other, 'Zeta', { chart: 'oci://registry.suse.com/edge/charts/zeta', version: '1.0.0' });
      object(other, 'Alpha', { chart: 'oci://registry.suse.com/edge/charts/alpha', version: '2.0.0' });
      object(other, 'AlphaAgain', { chart: 'oci://registry.suse.com/edge/charts/alpha', version: '2.0.0' });
      // a chart from an https repository cannot be preloaded into a registry
      object(other, 'FromRepo', { chart: 'metallb', repo: 'https://metallb.github.io/metallb', version: '0.14.9' });
      object(other, 'OciWithRepo', {
        chart: 'oci://registry.suse.com/edge/charts/with-repo',
        repo: 'https://charts.example.com',
        version: '1.0.0',
      });
      // a chart name without oci://, and no repo
      object(other, 'Bare', { chart: 'bare', version: '1.0.0' });
      // HelmChart of another API group, another kind of helm.cattle.io, another object with a chart
      object(
        other,
        'OtherGroup',
        { chart: 'oci://registry.suse.com/edge/charts/other-group', version: '1.0.0' },
        'example.com/v1',
      );
      object(
        other,
        'Config',
        { chart: 'oci://registry.suse.com/edge/charts/config', version: '1.0.0' },
        'helm.cattle.io/v1',
        'HelmChartConfig',
      );
      object(
        other,
        'Thing',
        { chart: 'oci://registry.suse.com/edge/charts/thing', version: '1.0.0' },
        'example.com/v1',
        'Thing',
      );
      // THEN only the two oci:// HelmCharts are listed, once each, sorted
      expect(entries(lists.charts)).toEqual([
        'registry.suse.com/edge/charts/alpha:2.0.0',
        'registry.suse.com/edge/charts/zeta:1.0.0',
      ]);
    });

    test('fails on a chart whose oci:// reference is not a repository, naming the option', () => {
      const { chart } = testChart();
      const lists = mirrorIn(chart).addRke2PreloadLists({
        charts: [{ chart: 'oci://quay.io/Charts/x', version: '1' }],
      });
      expect(() => lists.charts.render()).toThrow(
        `[test/Mirror] 'addRke2PreloadLists.charts' has an invalid repository path (got "quay.io/Charts/x"); use lower-case path components of letters and digits separated by "/", joined inside by ".", "_", "__" or "-"`,
      );
    });

    test('fails on a chart in the mirror registry that cannot be traced back to one source, naming the option', () => {
      const { chart } = testChart();
      const lists = mirrorIn(
        chart,
        props({
          mirrors: [
            { source: 'docker.io', mirror: REGISTRY },
            { source: 'quay.io', mirror: REGISTRY },
          ],
        }),
      ).addRke2PreloadLists({ charts: [{ chart: `oci://${REGISTRY}/a/b`, version: '1' }] });
      expect(() => lists.charts.render()).toThrow(
        `[test/Mirror] 'addRke2PreloadLists.charts' mirrors both docker.io and quay.io to ${REGISTRY}, so ${REGISTRY}/a/b cannot be traced back to one source (got "${REGISTRY}/a/b"); give one of the two its own mirror path`,
      );
    });

    test('fails on a chart not from the relativeTo registry, naming the option', () => {
      const { chart } = testChart();
      const lists = mirrorIn(chart).addRke2PreloadLists({
        relativeTo: 'registry.suse.com',
        charts: [{ chart: 'oci://quay.io/charts/x', version: '1' }],
      });
      expect(() => lists.charts.render()).toThrow(
        `[test/Mirror] 'addRke2PreloadLists.charts' lists quay.io/charts/x, which is not in registry.suse.com (got "quay.io/charts/x:1"); drop relativeTo, or preload it with a list of its own registry`,
      );
    });

    test('fails on options that are not what they should be, naming each option', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart);
      expect(() => mirror.addRke2PreloadLists({ images: 'quay.io/a/b:1' as never })).toThrow(
        `[test/Mirror] 'addRke2PreloadLists.images' must be a list (got "quay.io/a/b:1"); pass a list`,
      );
      expect(() => mirror.addRke2PreloadLists({ images: ['quay.io/a/b'] })).toThrow(
        `[test/Mirror] 'addRke2PreloadLists.images[0]' has neither a tag nor a digest (got "quay.io/a/b"); name one image with a tag (":v4.19") or, better, a digest ("@sha256:…")`,
      );
      expect(() => mirror.addRke2PreloadLists({ charts: 'x' as never })).toThrow(
        `[test/Mirror] 'addRke2PreloadLists.charts' must be a list (got "x"); pass a list`,
      );
      expect(() => mirror.addRke2PreloadLists({ charts: [{ chart: 'sriov-crd', version: '1' }] })).toThrow(
        `[test/Mirror] 'addRke2PreloadLists.charts[0].chart' is neither an oci:// or http(s):// reference nor used with a repo (got "sriov-crd"); give a full chart reference or set repo`,
      );
      expect(() => mirror.addRke2PreloadLists({ relativeTo: 'https://registry.suse.com' })).toThrow(
        `[test/Mirror] 'addRke2PreloadLists.relativeTo' carries a URL scheme (got "https://registry.suse.com"); write host[:port] only, such as "registry.suse.com"`,
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

    test('fails when props is not an object', () => {
      expect(() => new AirgapRegistryMirror(testChart().chart, 'Mirror', null as never)).toThrow(
        "[test/Mirror] 'props' must be an object (got null); pass { registry, ca, mirrors }",
      );
    });

    test('fails when insecure is not a boolean', () => {
      expect(() => build({ ca: undefined, insecure: 'yes' as never })).toThrow(
        `[test/Mirror] 'insecure' must be true or false (got "yes"); pass a boolean`,
      );
    });

    test('fails when a list prop is not a list, naming it', () => {
      expect(() => build({ unqualifiedSearchRegistries: 'docker.io' as never })).toThrow(
        `[test/Mirror] 'unqualifiedSearchRegistries' must be a list (got "docker.io"); pass a list`,
      );
      expect(() => build({ operators: 'registry.redhat.io/redhat/redhat-operator-index:v4.19' as never })).toThrow(
        `[test/Mirror] 'operators' must be a list (got "registry.redhat.io/redhat/redhat-operator-index:v4.19"); pass a list of { catalog, packages }`,
      );
      expect(() => build({ additionalImages: 'quay.io/a/b:1' as never })).toThrow(
        `[test/Mirror] 'additionalImages' must be a list (got "quay.io/a/b:1"); pass a list of image references`,
      );
      expect(() => build({ releases: 'stable-4.19' as never })).toThrow(
        `[test/Mirror] 'releases' must be an object (got "stable-4.19"); pass { channels, graph, kubeVirtContainer }`,
      );
    });

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
      expect(() => build({ insecure: true })).toThrow(
        `[test/Mirror] 'ca' is given for a plain-HTTP registry (insecure: true) (got "a private CA"); drop insecure to use HTTPS with this CA, or drop ca`,
      );
      expect(() => build({ insecure: true, ca: RegistryCa.publiclyTrusted() })).toThrow(
        `[test/Mirror] 'ca' is given for a plain-HTTP registry (insecure: true) (got "publiclyTrusted"); drop insecure to use HTTPS with this CA, or drop ca`,
      );
    });

    test('fails when ca is not a RegistryCa', () => {
      expect(() => build({ ca: CA_1 as never })).toThrow(
        /^\[test\/Mirror\] 'ca' is not a RegistryCa \(got "-----BEGIN CERTIFICATE/,
      );
      expect(() => build({ ca: 'ca.pem' as never })).toThrow(
        `[test/Mirror] 'ca' is not a RegistryCa (got "ca.pem"); build it with RegistryCa.fromFile(path) or RegistryCa.fromPem(text)`,
      );
    });

    test('fails when auth is not a SecretRef, without echoing it', () => {
      expect(() => build({ auth: 'user:secret' as never })).toThrow(/'auth' is not a SecretRef \(got "string"\)/);
    });

    test.each([
      ['auth', 'user:hunter2', 'string'],
      ['auth', { username: 'u', password: 'hunter2' }, 'object'],
      ['auth', null, 'null'],
      ['caSecret', '-----BEGIN hunter2-----', 'string'],
      ['caSecret', null, 'null'],
    ])('fails when %s is not a SecretRef (%p), showing only its kind', (key, value, kind) => {
      let message = '';
      try {
        build({ [key]: value as never });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(
        `[test/Mirror] '${key}' is not a SecretRef (got "${kind}"); use SecretRef.fromName("private-registry-auth")`,
      );
      expect(message).not.toContain('hunter2');
    });

    test('fails when caSecret is given without a private CA', () => {
      for (const trust of [{ ca: RegistryCa.publiclyTrusted() }, { ca: undefined, insecure: true }]) {
        expect(() => build({ ...trust, caSecret: SecretRef.fromName('x') })).toThrow(
          `[test/Mirror] 'caSecret' is given without a private ca (got "a SecretRef"); pass the private CA as ca, or drop caSecret`,
        );
      }
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
