import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { MachineConfig } from '../../imports/machineconfigs-machineconfiguration.openshift.io';
import { ExtraManifests, parseManifestFile } from '../../lib/assisted/extra-manifests';
import { checkConstruct, garbage, hostileConfigMap, mostly, RUNS, SEED } from '../arbitraries';
import { Manifest, testChart } from '../util';

const NETWORK_CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: contrail-network-config
  namespace: contrail
data:
  CONTROL_NODES: 10.16.0.11,10.16.0.12,10.16.0.13
`;
const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: contrail
`;

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'manifests-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), content);
  }
  return d;
}

function day1Chart(): Chart {
  const chart = new Chart(new App(), 'day1');
  new MachineConfig(chart, 'Hugepages', {
    metadata: { name: '50-worker-hugepages', labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
    spec: { kernelArguments: ['default_hugepagesz=1G', 'hugepagesz=1G', 'hugepages=16'] },
  });
  return chart;
}

describe('ExtraManifests', () => {
  test('reads a directory recursively into one ConfigMap, keys flattened and sorted', () => {
    // GIVEN a manifests directory with a subdirectory and a non-manifest file
    const d = dir({
      '99-network-configmap.yaml': NETWORK_CM,
      'cn2/00-namespace.yml': NAMESPACE,
      'README.md': '# notes',
    });
    const { chart } = testChart('mycluster');
    // WHEN ExtraManifests reads it
    const m = new ExtraManifests(chart, 'Cn2', { name: 'cn2-manifests', directory: d });
    // THEN one ConfigMap holds every manifest file, keyed by flattened name
    const cm = Manifest.of(chart).get('ConfigMap', 'cn2-manifests');
    expect(Object.keys(cm.data)).toEqual(['99-network-configmap.yaml', 'cn2-00-namespace.yml']);
    expect(cm.data['99-network-configmap.yaml']).toBe(NETWORK_CM);
    expect(m.configMapNames).toEqual(['cn2-manifests']);
    expect(m.files.map((f) => f.name)).toEqual(['99-network-configmap.yaml', 'cn2-00-namespace.yml']);
  });

  test('renders cdk8s objects from another app, one file each', () => {
    const { chart } = testChart('mycluster');
    const day1 = day1Chart();
    const single = new ApiObject(new Chart(new App(), 'other'), 'Ns', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'cn2' },
    });
    new ExtraManifests(chart, 'Day1', { name: 'day1', objects: [day1, single] });
    const cm = Manifest.of(chart).get('ConfigMap', 'day1');
    expect(Object.keys(cm.data).sort()).toEqual(['day1.yaml', 'namespace-cn2.yaml']);
    expect(parseAllDocuments(cm.data['day1.yaml']).map((doc) => doc.toJS())).toMatchObject([
      { kind: 'MachineConfig', metadata: { name: '50-worker-hugepages' } },
    ]);
  });

  test('properties: cdk8s objects holding YAML-hostile strings read back the same under YAML 1.1 and 1.2', () => {
    fc.assert(
      fc.property(hostileConfigMap, (cm) => {
        const { chart } = testChart('mycluster');
        const obj = new ApiObject(new Chart(new App(), 'other'), 'Cm', cm);
        const extra = new ExtraManifests(chart, 'Day1', { name: 'day1', objects: [obj] });
        const text = extra.files[0].content;
        for (const version of ['1.1', '1.2'] as const) {
          expect(parseAllDocuments(text, { version }).map((d) => d.toJS())).toEqual([cm]);
        }
      }),
      { numRuns: Math.ceil(RUNS / 4), seed: SEED },
    );
  });

  test('takes files given as text', () => {
    const { chart } = testChart('mycluster');
    new ExtraManifests(chart, 'M', { name: 'm', files: { 'ns.yaml': NAMESPACE } });
    expect(Manifest.of(chart).get('ConfigMap', 'm').data).toEqual({ 'ns.yaml': NAMESPACE });
  });

  test('spreads files over several ConfigMaps when one would exceed the limit', () => {
    // GIVEN three files of 600 bytes and a limit of 1300 bytes
    const pad = (name: string) => `${NAMESPACE.replace('contrail', name)}# ${'x'.repeat(560)}\n`;
    const { chart } = testChart('mycluster');
    const m = new ExtraManifests(chart, 'M', {
      name: 'big',
      files: { 'a.yaml': pad('a'), 'b.yaml': pad('b'), 'c.yaml': pad('c') },
      maxConfigMapBytes: 1300,
    });
    // THEN two ConfigMaps, in file order
    const out = Manifest.of(chart);
    expect(m.configMapNames).toEqual(['big-1', 'big-2']);
    expect(Object.keys(out.get('ConfigMap', 'big-1').data)).toEqual(['a.yaml', 'b.yaml']);
    expect(Object.keys(out.get('ConfigMap', 'big-2').data)).toEqual(['c.yaml']);
  });

  test('checks objects with a shipped schema at synth', () => {
    const { chart } = testChart('mycluster');
    const bad = `apiVersion: machineconfiguration.openshift.io/v1\nkind: MachineConfig\nmetadata:\n  name: x\nspec:\n  kernelArguments: 5\n`;
    new ExtraManifests(chart, 'M', { name: 'm', files: { 'mc.yaml': bad } });
    expect(() => Manifest.of(chart)).toThrow(/embedded in m\/mc.yaml: \[MachineConfig\/x\] '\/spec\/kernelArguments'/);
  });

  test('fails when a file is not valid YAML, naming the file', () => {
    const d = dir({ 'broken.yaml': 'kind: [unclosed\n' });
    const { chart } = testChart();
    expect(() => new ExtraManifests(chart, 'M', { name: 'm', directory: d })).toThrow(
      /\[test\/M\] 'manifests\[broken.yaml\]' is not valid YAML/,
    );
  });

  test('fails when a file holds an alias without its anchor, naming the file (found by npm run fuzz)', () => {
    const { chart } = testChart();
    expect(() => new ExtraManifests(chart, 'M', { name: 'm', files: { 'a.yaml': '*!' } })).toThrow(
      /\[test\/M\] 'manifests\[a.yaml\]' is not valid YAML \(document 1\): Unresolved alias/,
    );
  });

  test('fails when a document is not a Kubernetes object, naming the file', () => {
    const { chart } = testChart();
    expect(
      () => new ExtraManifests(chart, 'M', { name: 'm', files: { 'list.yaml': NAMESPACE + '---\n- a\n' } }),
    ).toThrow(/'manifests\[list.yaml\]' document 2 is not a Kubernetes object \(not a mapping\)/);
    expect(
      () => new ExtraManifests(chart, 'N', { name: 'n', files: { 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\n' } }),
    ).toThrow(/'manifests\[x.yaml\]' document 1 is not a Kubernetes object \(no metadata.name\)/);
  });

  test('fails when a file holds no object', () => {
    const { chart } = testChart();
    expect(() => new ExtraManifests(chart, 'M', { name: 'm', files: { 'empty.yaml': '# nothing\n' } })).toThrow(
      /'manifests\[empty.yaml\]' holds no Kubernetes object/,
    );
  });

  test('fails when two files define the same object', () => {
    const { chart } = testChart();
    expect(
      () => new ExtraManifests(chart, 'M', { name: 'm', files: { 'a.yaml': NAMESPACE, 'b.yaml': NAMESPACE } }),
    ).toThrow(/'manifests\[b.yaml\]' defines Namespace\/contrail, which a.yaml defines too/);
  });

  test('fails when flattening makes two files one key', () => {
    const d = dir({ 'a-b.yaml': NAMESPACE, 'a/b.yaml': NETWORK_CM });
    const { chart } = testChart();
    expect(() => new ExtraManifests(chart, 'M', { name: 'm', directory: d })).toThrow(
      /'directory' adds the file a-b.yaml twice/,
    );
  });

  test('fails when a file name is not a manifest name', () => {
    const { chart } = testChart();
    expect(() => new ExtraManifests(chart, 'M', { name: 'm', files: { 'ns.txt': NAMESPACE } })).toThrow(
      /'files.ns.txt' gives the file name "ns.txt", which assisted-service refuses/,
    );
  });

  test('fails when one file exceeds the ConfigMap limit', () => {
    const { chart } = testChart();
    expect(
      () =>
        new ExtraManifests(chart, 'M', {
          name: 'm',
          files: { 'a.yaml': NAMESPACE + '#' + 'x'.repeat(2000) },
          maxConfigMapBytes: 1024,
        }),
    ).toThrow(/'manifests\[a.yaml\]' is \d+ bytes, more than one ConfigMap holds \(1024\)/);
  });

  test('fails when the directory does not exist', () => {
    const { chart } = testChart();
    expect(() => new ExtraManifests(chart, 'M', { name: 'm', directory: '/nonexistent/manifests' })).toThrow(
      /'directory' is not a directory/,
    );
  });

  test('takes plain Kubernetes objects, one file each', () => {
    const { chart } = testChart('mycluster');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', namespace: 'x' }, data: { a: 'on' } };
    const extra = new ExtraManifests(chart, 'Day1', { name: 'day1', objects: [cm] });
    expect(extra.files.map((f) => f.name)).toEqual(['configmap-flags.yaml']);
    expect(parseAllDocuments(extra.files[0].content, { version: '1.1' }).map((d) => d.toJS())).toEqual([cm]);
  });

  test('fails when an object is neither a construct nor a plain Kubernetes object, saying why', () => {
    const { chart } = testChart();
    expect(() => new ExtraManifests(chart, 'M', { name: 'm', objects: [{ kind: 'ConfigMap' }] })).toThrow(
      "[test/M] 'objects[0].apiVersion' must be a non-empty string (got undefined); give every object its apiVersion and kind",
    );
    expect(() => new ExtraManifests(chart, 'M2', { name: 'm', objects: ['x' as never] })).toThrow(
      /\[test\/M2\] 'objects\[0\]' is not a Kubernetes object \(a plain object\) \(got a string\)/,
    );
  });

  test('fails when an object belongs to this app', () => {
    const { chart } = testChart();
    const obj = new ApiObject(chart, 'Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cn2' } });
    expect(() => new ExtraManifests(chart, 'M', { name: 'm', objects: [obj] })).toThrow(
      /'objects\[0\]' \(test\/Ns\) is in this app, so it would also be applied to the management cluster/,
    );
  });

  test('fails when nothing is given', () => {
    const { chart } = testChart();
    expect(() => new ExtraManifests(chart, 'M', { name: 'm' })).toThrow(/'props' names no manifest/);
  });

  test('parseManifestFile skips empty documents', () => {
    expect(parseManifestFile('a.yaml', `---\n${NAMESPACE}---\n`, { path: 'p', prop: 'x' })).toHaveLength(1);
  });

  describe('properties', () => {
    test('any props are accepted or refused with a library error', () => {
      const text = (key: string) =>
        mostly(
          fc.constantFrom(
            NAMESPACE.replace('contrail', key.replace(/[^a-z]/g, '')),
            `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"j${key.replace(/[^a-z]/g, '')}"}}`,
            'a: [',
            '- 1',
          ),
          8,
        );
      const files = fc
        .tuple(
          fc.subarray(['a.yaml', 'b.yml', 'c.json'], { minLength: 1 }),
          fc.oneof(
            { weight: 9, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.constantFrom('d.txt', 'x/y.yaml') },
          ),
        )
        .map(([good, bad]) => (bad ? [...good, bad] : good))
        .chain((keys) => fc.tuple(...keys.map((k) => text(k).map((t) => [k, t] as const))))
        .map((entries) => Object.fromEntries(entries));
      const arb = fc.record({
        name: mostly(fc.constantFrom('cn2', 'extra-manifests')),
        files: mostly(files),
        objects: fc.option(mostly(fc.constant([])), { nil: undefined }),
        maxConfigMapBytes: fc.option(mostly(fc.constantFrom(1024, 2048, 1048576)), { nil: undefined }),
        junk: fc.option(garbage, { nil: undefined }),
      });
      checkConstruct(arb, (p) => {
        const { chart } = testChart();
        new ExtraManifests(chart, 'M', p as never);
        return Manifest.of(chart)
          .objects.map((o) => JSON.stringify(o))
          .join('\n');
      });
    });
  });
});
