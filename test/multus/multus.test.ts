import fc from 'fast-check';
import { Chart } from 'cdk8s';
import { DEFAULT_MULTUS_VERSION, Multus } from '../../lib/multus/multus';
import { validateManifests } from '../../lib/validation/schema-validator';
import { checkConstruct, garbage, mostly } from '../arbitraries';
import { Manifest, testChart } from '../util';

describe('Multus', () => {
  test('deploys the thin plugin as seed 004 applies multus-daemonset.yml', () => {
    // GIVEN
    const { chart } = testChart('default');
    // WHEN
    new Multus(chart, 'Multus');
    // THEN
    const m = Manifest.of(chart);
    expect(m.ids()).toEqual([
      'ClusterRole/multus',
      'ClusterRoleBinding/multus',
      'CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io',
      'DaemonSet/kube-multus-ds',
      'ServiceAccount/multus',
    ]);
    const ds = m.get('DaemonSet', 'kube-multus-ds');
    expect(ds.metadata.namespace).toBe('kube-system');
    expect(ds.spec.template.spec).toMatchObject({
      hostNetwork: true,
      serviceAccountName: 'multus',
      containers: [
        {
          image: `ghcr.io/k8snetworkplumbingwg/multus-cni:${DEFAULT_MULTUS_VERSION}`,
          command: ['/thin_entrypoint'],
          args: expect.arrayContaining(['--multus-conf-file=auto']),
        },
      ],
      initContainers: [{ command: ['/install_multus'], args: ['--type', 'thin'] }],
      volumes: [
        { name: 'cni', hostPath: { path: '/etc/cni/net.d' } },
        { name: 'cnibin', hostPath: { path: '/opt/cni/bin' } },
      ],
    });
    expect(m.get('ClusterRoleBinding', 'multus').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'multus', namespace: 'kube-system' },
    ]);
    expect(validateManifests(m.objects)).toEqual([]);
  });

  test('leaves cluster-scoped objects without the chart namespace', () => {
    const { chart } = testChart('default');
    new Multus(chart, 'Multus');
    const m = Manifest.of(chart);
    for (const kind of ['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']) {
      expect(m.all(kind)[0].metadata).not.toHaveProperty('namespace');
    }
  });

  test('takes a version, a mirrored image, a namespace and RKE2 host folders', () => {
    const { chart } = testChart();
    const multus = new Multus(chart, 'Multus', {
      version: 'v4.2.0',
      image: 'registry.local:5000/k8snetworkplumbingwg/multus-cni:v4.2.0',
      namespace: 'multus',
      cniConfDir: '/var/lib/rancher/rke2/agent/etc/cni/net.d',
      cniBinDir: '/opt/cni/bin',
    });
    const ds = Manifest.of(chart).get('DaemonSet', 'kube-multus-ds');
    expect(multus.version).toBe('v4.2.0');
    expect(ds.metadata.namespace).toBe('multus');
    expect(ds.spec.template.spec.containers[0].image).toBe(
      'registry.local:5000/k8snetworkplumbingwg/multus-cni:v4.2.0',
    );
    expect(ds.spec.template.spec.volumes[0].hostPath.path).toBe('/var/lib/rancher/rke2/agent/etc/cni/net.d');
  });

  test('leaves the CRD to another owner when asked', () => {
    const { chart } = testChart();
    const multus = new Multus(chart, 'Multus', { installCrd: false });
    expect(multus.crd).toBeUndefined();
    expect(Manifest.of(chart).all('CustomResourceDefinition')).toEqual([]);
  });

  test('fails when props are not an object', () => {
    const { chart } = testChart();
    expect(() => new Multus(chart, 'Multus', 'v4' as never)).toThrow(/'props' must be an object/);
  });

  test('fails when the version is not a release or older than v3', () => {
    const { chart } = testChart();
    expect(() => new Multus(chart, 'A', { version: '4.1' })).toThrow(/\[test\/A\] 'version' is not a Multus release/);
    expect(() => new Multus(chart, 'B', { version: 'v2.0.0' })).toThrow(
      /\[test\/B\] 'version' is older than v3, whose DaemonSet this construct does not render \(got "v2.0.0"\)/,
    );
    expect(() => new Multus(chart, 'C', { image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v2.0.0' })).toThrow(
      /\[test\/C\] 'version' is older than v3/,
    );
  });

  describe('v3 images (seed 004: v3.7.1 for clusters older than Kubernetes 1.20)', () => {
    const daemonSet = (chart: Chart) => Manifest.of(chart).get('DaemonSet', 'kube-multus-ds');

    test('an image tagged v3.x gets the v3 DaemonSet: /entrypoint.sh, which copies the binary itself', () => {
      // GIVEN / WHEN the seed's image for older clusters
      const { chart } = testChart();
      const multus = new Multus(chart, 'M', { image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v3.7.1' });
      // THEN
      expect(multus.version).toBe('v3.7.1');
      const spec = daemonSet(chart).spec.template.spec;
      expect(spec.containers[0]).toMatchObject({
        image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v3.7.1',
        command: ['/entrypoint.sh'],
        args: ['--multus-conf-file=auto', '--cni-version=0.3.1'],
      });
      expect(spec).not.toHaveProperty('initContainers');
      expect(validateManifests(Manifest.of(chart).objects)).toEqual([]);
    });

    test('version v3.x gives the same, with the upstream image of that release', () => {
      const { chart } = testChart();
      new Multus(chart, 'M', { version: 'v3.7.1' });
      expect(daemonSet(chart).spec.template.spec.containers[0]).toMatchObject({
        image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v3.7.1',
        command: ['/entrypoint.sh'],
      });
    });

    test('an image by digest is of the given version: v4 unless told', () => {
      const digest = `registry.local:5000/multus-cni@sha256:${'a'.repeat(64)}`;
      const one = testChart();
      new Multus(one.chart, 'M', { image: digest });
      expect(daemonSet(one.chart).spec.template.spec.containers[0].command).toEqual(['/thin_entrypoint']);
      const two = testChart();
      new Multus(two.chart, 'M', { image: digest, version: 'v3.7.1' });
      expect(daemonSet(two.chart).spec.template.spec.containers[0].command).toEqual(['/entrypoint.sh']);
    });

    test('fails when the image tag and the version have different major versions', () => {
      const { chart } = testChart();
      expect(
        () => new Multus(chart, 'M', { version: 'v4.3.1', image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v3.7.1' }),
      ).toThrow(
        "[test/M] 'image' is a v3 release but 'version' is v4.3.1, whose DaemonSet differs (got \"ghcr.io/k8snetworkplumbingwg/multus-cni:v3.7.1\"); leave version out (the tag sets it), or use an image of that version",
      );
    });
  });

  test('fails when the image is not pinned, moves, or is the thick plugin', () => {
    const { chart } = testChart();
    expect(() => new Multus(chart, 'A', { image: 'multus-cni' })).toThrow(/'image' is not a pinned image reference/);
    expect(() => new Multus(chart, 'B', { image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:latest' })).toThrow(
      /'image' uses a moving tag/,
    );
    expect(() => new Multus(chart, 'C', { image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.2.0-thick' })).toThrow(
      /'image' is the thick plugin image/,
    );
  });

  test('fails when the namespace is not a label', () => {
    const { chart } = testChart();
    expect(() => new Multus(chart, 'A', { namespace: 'Kube_System' })).toThrow(/'namespace' is not a DNS-1123 label/);
  });

  test('fails when a host folder is not absolute', () => {
    const { chart } = testChart();
    expect(() => new Multus(chart, 'A', { cniConfDir: 'etc/cni' })).toThrow(/'cniConfDir' is not an absolute folder/);
    expect(() => new Multus(chart, 'B', { cniBinDir: '/opt/../bin' })).toThrow(/'cniBinDir' is not an absolute folder/);
  });

  test('fails when a chart gets a second Multus', () => {
    const { chart } = testChart();
    new Multus(chart, 'A');
    expect(() => new Multus(chart, 'B')).toThrow(/\[test\/B\] 'namespace' names the same object as \[test\/A\]/);
  });

  test('allows one Multus in each chart of an app', () => {
    const { app, chart } = testChart();
    new Multus(chart, 'A');
    expect(() => new Multus(new Chart(app, 'other'), 'A')).not.toThrow();
  });

  describe('properties', () => {
    test('any props build valid objects or throw the library error', () => {
      checkConstruct(
        fc.record({
          version: fc.option(mostly(fc.constantFrom('v4.0.0', 'v4.2.0', 'v4.3.1', 'v3.9.0')), { nil: undefined }),
          image: fc.option(
            mostly(fc.constantFrom('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.2.0', 'mirror.local/multus-cni:v4.2.0')),
            { nil: undefined },
          ),
          namespace: fc.option(mostly(fc.constantFrom('kube-system', 'multus')), { nil: undefined }),
          cniConfDir: fc.option(
            mostly(fc.constantFrom('/etc/cni/net.d', '/var/lib/rancher/rke2/agent/etc/cni/net.d')),
            {
              nil: undefined,
            },
          ),
          installCrd: fc.option(mostly(fc.boolean()), { nil: undefined }),
          noise: fc.option(garbage, { nil: undefined }),
        }),
        (p) => {
          const { app, chart } = testChart();
          new Multus(chart, 'Multus', { ...p, cniBinDir: p.noise as never });
          const yaml = app.synthYaml();
          expect(validateManifests(Manifest.of(chart).objects)).toEqual([]);
          return yaml;
        },
      );
    });
  });
});
