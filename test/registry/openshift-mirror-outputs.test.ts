import { Chart, Testing } from 'cdk8s';
import { CatalogSource } from '../../imports/catalogsources-operators.coreos.com';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { OLM_CATALOGS_REGISTRY_OVERRIDES_ANNOTATION } from '../../lib/registry/openshift-mirror-outputs';
import { Manifest, testChart } from '../util';
import { CA_1, CA_2 } from './certificates';
import { D, mirrorIn, props, REGISTRY, synth } from './mirror-fixtures';

// The OpenShift outputs of AirgapRegistryMirror: trust of its CA, mirror sets, OLM catalogs.
describe('AirgapRegistryMirror OpenShift outputs', () => {
  describe('OpenShift trust', () => {
    test('defines registry-config keyed <host>..<port> and the cluster Image, without a namespace on the Image', () => {
      const { chart } = testChart('site');
      const trust = mirrorIn(chart).addOpenShiftTrust();
      const m = synth(chart);
      expect(m.get('ConfigMap', 'registry-config')).toMatchObject({
        metadata: { namespace: 'openshift-config' },
        data: { 'registry.example.com..5000': CA_1 },
      });
      const image = m.get('Image', 'cluster');
      expect(image).toEqual({
        apiVersion: 'config.openshift.io/v1',
        kind: 'Image',
        metadata: { name: 'cluster' },
        spec: { additionalTrustedCA: { name: 'registry-config' } },
      });
      expect(trust.image.name).toBe('cluster');
    });

    test('writes the CA as a YAML literal block that keeps its final newline', () => {
      const { app, chart } = testChart();
      mirrorIn(chart).addOpenShiftTrust();
      expect(app.synthYaml()).toMatch(/registry\.example\.com\.\.5000: \|\n {4}-----BEGIN CERTIFICATE-----/);
    });

    test('defines user-ca-bundle for a hosted cluster in its namespace', () => {
      const { chart } = testChart('clusters');
      const cm = mirrorIn(chart, props({ ca: RegistryCa.fromPem(CA_1 + CA_2) })).addHostedClusterTrustBundle();
      expect(cm.name).toBe('user-ca-bundle');
      const obj = synth(chart).get('ConfigMap', 'user-ca-bundle');
      expect(obj.metadata.namespace).toBe('clusters');
      expect(obj.data).toEqual({ 'ca-bundle.crt': CA_1 + CA_2 });
    });

    test('two mirrors share one registry-config (a key each) and one cluster Image', () => {
      // GIVEN two registries, each trusted on the same OpenShift cluster (seed 001 §6.3.11)
      const { chart } = testChart('site');
      const a = new AirgapRegistryMirror(chart, 'MirrorA', props());
      const b = new AirgapRegistryMirror(
        chart,
        'MirrorB',
        props({ registry: 'registry2.example.com:8443', ca: RegistryCa.fromPem(CA_2) }),
      );
      // WHEN both add OpenShift trust
      const ta = a.addOpenShiftTrust();
      const tb = b.addOpenShiftTrust();
      // THEN there is one ConfigMap with both keys and one Image naming it
      const m = synth(chart);
      expect(m.get('ConfigMap', 'registry-config').data).toEqual({
        'registry.example.com..5000': CA_1,
        'registry2.example.com..8443': CA_2,
      });
      expect(m.get('Image', 'cluster').spec).toEqual({ additionalTrustedCA: { name: 'registry-config' } });
      expect(tb.configMap).toBe(ta.configMap);
      expect(tb.image).toBe(ta.image);
    });

    test('fails when two mirrors name different ConfigMaps for the one cluster Image', () => {
      const { chart } = testChart('site');
      new AirgapRegistryMirror(chart, 'MirrorA', props()).addOpenShiftTrust();
      const b = new AirgapRegistryMirror(chart, 'MirrorB', props({ registry: 'registry2.example.com:8443' }));
      expect(() => b.addOpenShiftTrust({ configMapName: 'other-config' })).toThrow(
        /^\[test\/MirrorB\] 'addOpenShiftTrust.configMapName' needs 'spec.additionalTrustedCA.name' in the one Image\/cluster of test that \[test\/MirrorA\] 'addOpenShiftTrust.configMapName' already set otherwise \(got "other-config"\); the cluster Image names one ConfigMap/,
      );
    });

    test('fails when two mirrors of one registry give it different CAs', () => {
      const { chart } = testChart('site');
      new AirgapRegistryMirror(chart, 'MirrorA', props()).addOpenShiftTrust();
      const b = new AirgapRegistryMirror(chart, 'MirrorB', props({ ca: RegistryCa.fromPem(CA_2), name: 'other' }));
      expect(() => b.addOpenShiftTrust()).toThrow(
        /\[test\/MirrorB\] .* needs 'data.registry.example.com..5000' in the one ConfigMap openshift-config\/registry-config of test that \[test\/MirrorA\] .*; give each registry \(host and port\) one CA bundle/,
      );
    });

    test('two mirrors share one user-ca-bundle per namespace, holding both CAs', () => {
      const { chart } = testChart('clusters');
      new AirgapRegistryMirror(chart, 'MirrorA', props()).addHostedClusterTrustBundle();
      new AirgapRegistryMirror(
        chart,
        'MirrorB',
        props({ registry: 'registry2.example.com:8443', ca: RegistryCa.fromPem(CA_2 + CA_1) }),
      ).addHostedClusterTrustBundle();
      expect(synth(chart).get('ConfigMap', 'user-ca-bundle').data).toEqual({ 'ca-bundle.crt': CA_1 + CA_2 });
    });

    test('fails when the CA is publicly trusted, as there is nothing to distribute', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart, props({ ca: RegistryCa.publiclyTrusted() }));
      expect(() => mirror.addOpenShiftTrust()).toThrow(
        /'ca' has no private CA for addOpenShiftTrust\(\) \(got "RegistryCa.publiclyTrusted\(\)"\)/,
      );
      expect(() => mirror.addHostedClusterTrustBundle()).toThrow(/has no private CA for addHostedClusterTrustBundle/);
    });

    test('fails when the registry is an IPv6 address, which cannot be a ConfigMap key', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart, props({ registry: '[fd00::10]:5000', mirrors: [], operators: [] }));
      expect(() => mirror.addOpenShiftTrust()).toThrow(
        /'registry' is an IPv6 address, which cannot be a ConfigMap key/,
      );
    });
  });

  describe('OpenShift trust: options and refusals', () => {
    test('configMapName names the ConfigMap and the Image points at it; a bad name is refused', () => {
      const { chart } = testChart();
      const trust = mirrorIn(chart).addOpenShiftTrust({ configMapName: 'mirror-cas' });
      expect(trust.configMap.name).toBe('mirror-cas');
      expect(synth(chart).get('Image', 'cluster').spec).toEqual({ additionalTrustedCA: { name: 'mirror-cas' } });
      const { chart: c2 } = testChart();
      expect(() => mirrorIn(c2).addOpenShiftTrust({ configMapName: 'Mirror_CAs' })).toThrow(
        /\[test\/Mirror\] 'addOpenShiftTrust.configMapName' /,
      );
    });

    test('a plain-HTTP registry has no CA to distribute, and the refusal says so', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart, props({ ca: undefined, insecure: true }));
      expect(() => mirror.addOpenShiftTrust()).toThrow(
        `[test/Mirror] 'ca' has no private CA for addOpenShiftTrust() (got "insecure: true"); nodes already trust a public CA, so there is nothing to distribute; leave addOpenShiftTrust() out`,
      );
      expect(() => mirror.addHostedClusterTrustBundle()).toThrow(
        `[test/Mirror] 'ca' has no private CA for addHostedClusterTrustBundle() (got "insecure: true")`,
      );
    });

    test('the hosted-cluster trust bundle takes a name and a namespace, and refuses bad ones', () => {
      const { chart } = testChart();
      const cm = mirrorIn(chart).addHostedClusterTrustBundle({ name: 'mirror-ca', namespace: 'clusters' });
      expect(cm.name).toBe('mirror-ca');
      expect(synth(chart).get('ConfigMap', 'mirror-ca')).toMatchObject({
        metadata: { namespace: 'clusters' },
        data: { 'ca-bundle.crt': CA_1 },
      });
      const { chart: c2 } = testChart();
      expect(() => mirrorIn(c2).addHostedClusterTrustBundle({ namespace: 'Clusters' })).toThrow(
        /\[test\/Mirror\] 'addHostedClusterTrustBundle.namespace' /,
      );
      const { chart: c3 } = testChart();
      expect(() => mirrorIn(c3).addHostedClusterTrustBundle({ name: 'Mirror_CA' })).toThrow(
        /\[test\/Mirror\] 'addHostedClusterTrustBundle.name' /,
      );
    });
  });

  describe('mirror sets', () => {
    const mirrors = [
      { source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' },
      { source: 'quay.io/openshift-release-dev/ocp-release', mirror: `${REGISTRY}/backup/release-images` },
      { source: 'docker.io/library', pullByDigestOnly: false, neverContactSource: true },
    ];

    test('ImageDigestMirrorSet lists every source with its mirrors in order, and the source policy', () => {
      const { chart } = testChart('site');
      mirrorIn(chart, props({ mirrors, name: 'hub-mirror' })).addImageDigestMirrorSet();
      const idms = synth(chart).get('ImageDigestMirrorSet', 'hub-mirror');
      expect(idms.metadata.namespace).toBeUndefined();
      expect(idms.spec.imageDigestMirrors).toEqual([
        {
          source: 'quay.io/openshift-release-dev/ocp-release',
          mirrors: [`${REGISTRY}/openshift/release-images`, `${REGISTRY}/backup/release-images`],
        },
        { source: 'docker.io/library', mirrors: [`${REGISTRY}/library`], mirrorSourcePolicy: 'NeverContactSource' },
      ]);
    });

    test('ImageTagMirrorSet lists only the sources mirrored for tags', () => {
      const { chart } = testChart();
      mirrorIn(chart, props({ mirrors })).addImageTagMirrorSet({ name: 'tags' });
      expect(synth(chart).get('ImageTagMirrorSet', 'tags').spec.imageTagMirrors).toEqual([
        { source: 'docker.io/library', mirrors: [`${REGISTRY}/library`], mirrorSourcePolicy: 'NeverContactSource' },
      ]);
    });

    test('ImageContentSourcePolicy lists every source, without policy', () => {
      const { chart } = testChart();
      mirrorIn(chart, props({ mirrors })).addImageContentSourcePolicy();
      const icsp = synth(chart).get('ImageContentSourcePolicy', 'registry-example-com-5000');
      expect(icsp.apiVersion).toBe('operator.openshift.io/v1alpha1');
      expect(icsp.spec.repositoryDigestMirrors).toEqual([
        {
          source: 'quay.io/openshift-release-dev/ocp-release',
          mirrors: [`${REGISTRY}/openshift/release-images`, `${REGISTRY}/backup/release-images`],
        },
        { source: 'docker.io/library', mirrors: [`${REGISTRY}/library`] },
      ]);
    });

    test('imageContentSources is the HostedCluster field value', () => {
      const { chart } = testChart();
      expect(mirrorIn(chart).imageContentSources()).toEqual([
        { source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirrors: [`${REGISTRY}/openshift/release`] },
        { source: 'quay.io/openshift-release-dev/ocp-release', mirrors: [`${REGISTRY}/openshift/release-images`] },
        { source: 'registry.redhat.io/redhat', mirrors: [`${REGISTRY}/redhat`] },
      ]);
    });

    test('objects defined in another scope land in its chart and are schema-checked there', () => {
      // GIVEN a mirror in the hub chart
      const app = Testing.app();
      const hub = new Chart(app, 'hub');
      const guest = new Chart(app, 'guest', { namespace: 'clusters' });
      const mirror = mirrorIn(hub);
      // WHEN output is asked for in the guest chart
      mirror.addCatalogSources({ scope: guest });
      // THEN it is there, not in the hub
      expect(Manifest.of(guest).ids()).toEqual(['CatalogSource/cs-redhat-operator-index-v4-19']);
      expect(Manifest.of(hub).ids()).toEqual([]);
      // AND a bad object next to it fails synthesis
      const group = guest.node.findChild('MirrorCatalogSources');
      new CatalogSource(group, 'Bad', {
        metadata: { name: 'bad' },
        spec: { sourceType: 'grpc', priority: 'high' as never },
      });
      expect(() => app.synthYaml()).toThrow(/CatalogSource\/bad '\/spec\/priority'/);
    });

    test('fails when the same output is asked for twice in one scope', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart);
      mirror.addImageDigestMirrorSet();
      expect(() => mirror.addImageDigestMirrorSet()).toThrow(
        /\[test\/Mirror\] 'ImageDigestMirrorSet' is already defined in this scope/,
      );
    });

    test('fails when no mirror pulls by tag', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart).addImageTagMirrorSet()).toThrow(
        /'mirrors' has no mirror for pulls by tag .*set pullByDigestOnly: false/,
      );
    });

    test('fails when there are no mirrors for a mirror set', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart, props({ mirrors: [] })).addImageDigestMirrorSet()).toThrow(
        /'mirrors' is empty, so addImageDigestMirrorSet\(\) has nothing to write/,
      );
    });
  });

  describe('mirror sets: names, scopes and refusals', () => {
    test('the tag mirror set and the content source policy are cluster-scoped in a namespaced chart', () => {
      const { chart } = testChart('site');
      const mirror = mirrorIn(
        chart,
        props({ mirrors: [{ source: 'docker.io/library', pullByDigestOnly: false }], name: 'hub-mirror' }),
      );
      mirror.addImageTagMirrorSet();
      mirror.addImageContentSourcePolicy({ name: 'legacy' });
      const m = synth(chart);
      expect(m.get('ImageTagMirrorSet', 'hub-mirror').metadata).toEqual({ name: 'hub-mirror' });
      expect(m.get('ImageContentSourcePolicy', 'legacy').metadata).toEqual({ name: 'legacy' });
    });

    test('a set name that is not a DNS subdomain is refused under the method that took it', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart, props({ mirrors: [{ source: 'docker.io/library', pullByDigestOnly: false }] }));
      expect(() => mirror.addImageDigestMirrorSet({ name: 'Bad_Name' })).toThrow(
        /\[test\/Mirror\] 'addImageDigestMirrorSet.name' /,
      );
      expect(() => mirror.addImageTagMirrorSet({ name: 'Bad_Name' })).toThrow(/'addImageTagMirrorSet.name' /);
      expect(() => mirror.addImageContentSourcePolicy({ name: 'Bad_Name' })).toThrow(
        /'addImageContentSourcePolicy.name' /,
      );
    });

    test('refusals of an empty mirror list name the method, and the tag refusal lists the sources', () => {
      const { chart } = testChart();
      const empty = mirrorIn(chart, props({ mirrors: [] }));
      expect(() => empty.addImageContentSourcePolicy()).toThrow(
        `[test/Mirror] 'mirrors' is empty, so addImageContentSourcePolicy() has nothing to write (got []); list at least one mirror`,
      );
      const { chart: c2 } = testChart();
      expect(() => mirrorIn(c2).addImageTagMirrorSet()).toThrow(
        `[test/Mirror] 'mirrors' has no mirror for pulls by tag (got ["quay.io/openshift-release-dev/ocp-v4.0-art-dev","quay.io/openshift-release-dev/ocp-release","re...); set pullByDigestOnly: false on the mirrors whose images are pulled by tag`,
      );
    });

    test('an output asked for twice in another scope is refused naming that scope; a scope must be a construct', () => {
      const app = Testing.app();
      const hub = new Chart(app, 'hub');
      const guest = new Chart(app, 'guest');
      const mirror = mirrorIn(hub);
      mirror.addImageDigestMirrorSet({ scope: guest });
      expect(guest.node.findChild('MirrorImageDigestMirrorSet')).toBeDefined();
      expect(() => mirror.addImageDigestMirrorSet({ scope: guest })).toThrow(
        `[hub/Mirror] 'ImageDigestMirrorSet' is already defined in this scope (got "guest"); define it once, or pass another scope`,
      );
      // the mirror's own scope is free: the first set went to the guest chart
      mirror.addImageDigestMirrorSet();
      expect(() => mirror.addImageContentSourcePolicy({ scope: 'guest' as never })).toThrow(
        `[hub/Mirror] 'ImageContentSourcePolicy.scope' is not a construct (got "string"); pass a Chart or another construct`,
      );
    });
  });

  describe('OLM catalogs', () => {
    test('defines a CatalogSource per catalog pointing at the mirrored catalog', () => {
      const { chart } = testChart();
      const sources = mirrorIn(
        chart,
        props({
          operators: [
            { catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19' },
            {
              catalog: 'registry.redhat.io/redhat/certified-operator-index:v4.19',
              catalogSourceName: 'certified',
              displayName: 'Certified',
            },
          ],
        }),
      ).addCatalogSources();
      expect(sources.map((s) => s.name)).toEqual(['cs-redhat-operator-index-v4-19', 'certified']);
      const m = synth(chart);
      expect(m.get('CatalogSource', 'cs-redhat-operator-index-v4-19')).toMatchObject({
        metadata: { namespace: 'openshift-marketplace' },
        spec: { sourceType: 'grpc', image: `${REGISTRY}/redhat/redhat-operator-index:v4.19` },
      });
      expect(m.get('CatalogSource', 'certified').spec.displayName).toBe('Certified');
    });

    test('annotates a HostedCluster with registry overrides and, on request, the four pinned catalogs', () => {
      const { chart } = testChart();
      const indexes = [
        'redhat-operator-index',
        'certified-operator-index',
        'community-operator-index',
        'redhat-marketplace-index',
      ];
      const mirror = mirrorIn(
        chart,
        props({ operators: indexes.map((n, i) => ({ catalog: `registry.redhat.io/redhat/${n}@${D(String(i))}` })) }),
      );
      expect(mirror.hostedClusterCatalogAnnotations()).toEqual({
        [OLM_CATALOGS_REGISTRY_OVERRIDES_ANNOTATION]: `registry.redhat.io/redhat=${REGISTRY}/redhat`,
      });
      expect(mirror.hostedClusterCatalogAnnotations({ pinCatalogImages: true })).toEqual({
        [OLM_CATALOGS_REGISTRY_OVERRIDES_ANNOTATION]: `registry.redhat.io/redhat=${REGISTRY}/redhat`,
        'hypershift.openshift.io/redhat-operators-catalog-image': `${REGISTRY}/redhat/redhat-operator-index@${D('0')}`,
        'hypershift.openshift.io/certified-operators-catalog-image': `${REGISTRY}/redhat/certified-operator-index@${D('1')}`,
        'hypershift.openshift.io/community-operators-catalog-image': `${REGISTRY}/redhat/community-operator-index@${D('2')}`,
        'hypershift.openshift.io/redhat-marketplace-catalog-image': `${REGISTRY}/redhat/redhat-marketplace-index@${D('3')}`,
      });
    });

    test('fails when pinned catalog images lack one of the four or are tags', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart).hostedClusterCatalogAnnotations({ pinCatalogImages: true })).toThrow(
        /'operators' has no certified-operator-index catalog/,
      );
      const { chart: c2 } = testChart();
      const tags = [
        'redhat-operator-index',
        'certified-operator-index',
        'community-operator-index',
        'redhat-marketplace-index',
      ];
      expect(() =>
        mirrorIn(
          c2,
          props({ operators: tags.map((n) => ({ catalog: `registry.redhat.io/redhat/${n}:v4.19` })) }),
        ).hostedClusterCatalogAnnotations({ pinCatalogImages: true }),
      ).toThrow(/'operators\[0\].catalog' is a tag, but pinned catalog images must be digests/);
    });

    test('fails when a catalog is not under a mirrored source', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(chart, props({ mirrors: [{ source: 'quay.io/openshift-release-dev' }] }));
      expect(() => mirror.addCatalogSources()).toThrow(
        /'operators\[0\].catalog' is not under any mirrored source \(got "registry.redhat.io\/redhat\/redhat-operator-index:v4.19"\); add a mirror such as \{ source: "registry.redhat.io\/redhat" \}/,
      );
      expect(() => mirror.hostedClusterCatalogAnnotations()).toThrow(/is not under any mirrored source/);
    });

    test('fails when there are no operator catalogs', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart, props({ operators: [] })).addCatalogSources()).toThrow(/'operators' is empty/);
    });

    test('fails when two catalogs would share a CatalogSource name', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(
        chart,
        props({
          operators: [
            { catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19' },
            { catalog: 'registry.redhat.io/other/redhat-operator-index:v4.19' },
          ],
          mirrors: [{ source: 'registry.redhat.io' }],
        }),
      );
      expect(() => mirror.addCatalogSources()).toThrow(
        /'operators\[1\].catalogSourceName' repeats the CatalogSource name at index 0/,
      );
    });
  });
  describe('OLM catalogs: options and overrides', () => {
    test('CatalogSources go to the namespace asked for; a bad namespace is refused', () => {
      const { chart } = testChart();
      mirrorIn(chart).addCatalogSources({ namespace: 'olm' });
      expect(synth(chart).get('CatalogSource', 'cs-redhat-operator-index-v4-19').metadata.namespace).toBe('olm');
      const { chart: c2 } = testChart();
      expect(() => mirrorIn(c2).addCatalogSources({ namespace: 'OLM' })).toThrow(
        /\[test\/Mirror\] 'addCatalogSources.namespace' /,
      );
    });

    test('a CatalogSource without displayName has none', () => {
      const { chart } = testChart();
      mirrorIn(chart).addCatalogSources();
      expect(synth(chart).get('CatalogSource', 'cs-redhat-operator-index-v4-19').spec).toEqual({
        sourceType: 'grpc',
        image: `${REGISTRY}/redhat/redhat-operator-index:v4.19`,
      });
    });

    test('registry overrides: one pair per source, in catalog order; catalogs already in the registry add none', () => {
      const { chart } = testChart();
      const mirror = mirrorIn(
        chart,
        props({
          mirrors: [{ source: 'registry.redhat.io/redhat' }, { source: 'quay.io/catalogs', mirror: 'olm' }],
          operators: [
            { catalog: 'quay.io/catalogs/one:v1' },
            { catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19' },
            { catalog: 'quay.io/catalogs/two:v1' },
            { catalog: `${REGISTRY}/own/catalog:v1` },
          ],
        }),
      );
      expect(mirror.hostedClusterCatalogAnnotations()).toEqual({
        [OLM_CATALOGS_REGISTRY_OVERRIDES_ANNOTATION]: `quay.io/catalogs=${REGISTRY}/olm,registry.redhat.io/redhat=${REGISTRY}/redhat`,
      });
      const { chart: c2 } = testChart();
      const own = mirrorIn(c2, props({ operators: [{ catalog: `${REGISTRY}/own/catalog:v1` }] }));
      expect(own.hostedClusterCatalogAnnotations()).toEqual({});
    });

    test('pinCatalogImages must be a boolean', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart).hostedClusterCatalogAnnotations({ pinCatalogImages: 'yes' as never })).toThrow(
        /\[test\/Mirror\] 'hostedClusterCatalogAnnotations.pinCatalogImages' /,
      );
    });

    test('the refusal of a missing default catalog lists the catalogs given and the fix', () => {
      const { chart } = testChart();
      expect(() => mirrorIn(chart).hostedClusterCatalogAnnotations({ pinCatalogImages: true })).toThrow(
        `[test/Mirror] 'operators' has no certified-operator-index catalog (got ["registry.redhat.io/redhat/redhat-operator-index:v4.19"]); HyperShift takes the four default catalog images together; add certified-operator-index (by digest) or drop pinCatalogImages`,
      );
    });

    test('a pinned catalog given by tag is refused at its index, with the fix', () => {
      const { chart } = testChart();
      const indexes = [
        'redhat-operator-index',
        'certified-operator-index',
        'community-operator-index',
        'redhat-marketplace-index',
      ];
      const operators = indexes.map((n, i) => ({
        catalog: `registry.redhat.io/redhat/${n}${i === 2 ? ':v4.19' : `@${D(String(i))}`}`,
      }));
      expect(() =>
        mirrorIn(chart, props({ operators })).hostedClusterCatalogAnnotations({ pinCatalogImages: true }),
      ).toThrow(
        `[test/Mirror] 'operators[2].catalog' is a tag, but pinned catalog images must be digests (got "registry.redhat.io/redhat/community-operator-index:v4.19"); give the catalog by digest ("…@sha256:…"), as HyperShift refuses tags here`,
      );
    });
  });
});
