import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { parse } from 'yaml';
import { BaremetalApp } from '../../lib/core/site-file';
import { SecretRef } from '../../lib/core/secret-ref';
import { CLUSTER_LABEL } from '../../lib/clusters/rke2-metal3-cluster';
import { POOL_LABEL, WorkerPool, WorkerPoolProps } from '../../lib/clusters/worker-pool';
import { BuildSecret } from '../../lib/eib/build-secret';
import { EdgeImageDefinition } from '../../lib/eib/edge-image-definition';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import { Bmc } from '../../lib/metal3/bmc';
import { OsImage } from '../../lib/metal3/os-image';
import { Rke2Version } from '../../lib/rke2/rke2-version';
import { TelcoProfile } from '../../lib/telco/telco-profile';
import { Manifest, testChart } from '../util';

function props(overrides: Partial<WorkerPoolProps> = {}): WorkerPoolProps {
  const host = (n: number) => ({
    name: `w${n}`,
    bootMACAddress: `00:00:00:00:01:0${n}`,
    bmc: Bmc.redfishVirtualMedia(`10.0.1.${n}`, '1', SecretRef.fromName(`w${n}-bmc`)),
  });
  return {
    name: 'edge',
    clusterName: 'c1',
    version: Rke2Version.parse('v1.32.4+rke2r1'),
    clusterImage: OsImage.fromUrl('http://images/os.raw'),
    hosts: [host(1), host(2), host(3)],
    ...overrides,
  };
}

function make(p: WorkerPoolProps) {
  const { chart } = testChart();
  const pool = new WorkerPool(chart, 'Pool', p);
  return { pool, m: Manifest.of(chart) };
}

describe('WorkerPool', () => {
  test('defaults to one machine per host, in-place rollout and the cluster image', () => {
    const { m } = make(props());
    expect(m.get('MachineDeployment', 'c1-edge').spec).toMatchObject({
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
    });
    expect(m.get('Metal3MachineTemplate', 'c1-edge').spec.template.spec.image.url).toBe('http://images/os.raw');
  });

  test('scaling is a one-line change of replicas', () => {
    expect(make(props({ replicas: 1 })).m.get('MachineDeployment', 'c1-edge').spec.replicas).toBe(1);
  });

  test('a spare host allows maxSurge 1', () => {
    const { m } = make(props({ replicas: 2, maxSurge: 1 }));
    expect(m.get('MachineDeployment', 'c1-edge').spec.strategy.rollingUpdate).toEqual({
      maxSurge: 1,
      maxUnavailable: 0,
    });
  });

  test('uses its own image when given', () => {
    const { m } = make(props({ image: OsImage.fromUrl('http://images/worker.qcow2') }));
    expect(m.get('Metal3MachineTemplate', 'c1-edge').spec.template.spec.image).toMatchObject({
      url: 'http://images/worker.qcow2',
      format: 'qcow2',
    });
  });

  test('a telco profile tunes the workers and loads vfio-pci before RKE2', () => {
    const telco = TelcoProfile.suseEdgePreset({
      sriov: [{ resourceName: 'du1', interface: 'eth0', driver: 'vfio-pci', numVfs: 4 }],
    });
    const spec = make(props({ telco })).m.get('RKE2ConfigTemplate', 'c1-edge').spec.template.spec;
    expect(spec.preRKE2Commands).toEqual(['modprobe vfio-pci enable_sriov=1 disable_idle_d3=1']);
    expect(spec.agentConfig.additionalUserData.config).toContain('nohz_full=1-30,33-62');
    expect(spec.agentConfig.additionalUserData.config).not.toContain('sriov-custom-auto-vfs.service');
  });

  test('fails when telco is not a TelcoProfile', () => {
    expect(() => make(props({ telco: {} as never }))).toThrow(/'telco' is not a TelcoProfile/);
  });

  test('fails when the pool has no hosts', () => {
    expect(() => make(props({ hosts: [] }))).toThrow(/'hosts' must hold at least one host/);
  });

  test('fails when replicas is negative or fractional', () => {
    expect(() => make(props({ replicas: -1 }))).toThrow(/'replicas' must be an integer/);
    expect(() => make(props({ replicas: 1.5 }))).toThrow(/'replicas' must be an integer/);
  });

  test('fails when the image is not an OsImage', () => {
    expect(() => make(props({ image: 'x' as never }))).toThrow(/'image' is not an OsImage/);
  });

  test('fails when the object name would not be a DNS-1123 label', () => {
    expect(() => make(props({ name: 'x'.repeat(62) }))).toThrow(/'name' is not a DNS-1123 label/);
  });
});

describe('WorkerPool objects', () => {
  test('the MachineDeployment selects its machines by cluster and pool and points at its templates', () => {
    const { pool, m } = make(props());
    expect(pool.name).toBe('edge');
    const selector = { 'cluster.x-k8s.io/cluster-name': 'c1', [POOL_LABEL]: 'edge' };
    expect(m.get('MachineDeployment', 'c1-edge').spec).toEqual({
      clusterName: 'c1',
      replicas: 3,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: { labels: selector },
        spec: {
          clusterName: 'c1',
          version: 'v1.32.4+rke2r1',
          bootstrap: {
            configRef: {
              apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
              kind: 'RKE2ConfigTemplate',
              name: 'c1-edge',
            },
          },
          infrastructureRef: {
            apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
            kind: 'Metal3MachineTemplate',
            name: 'c1-edge',
          },
        },
      },
    });
  });

  test('the RKE2ConfigTemplate boots with Ignition, the Metal3 provider ID and the node identity unit, and nothing else by default', () => {
    const spec = make(props()).m.get('RKE2ConfigTemplate', 'c1-edge').spec.template.spec;
    expect(Object.keys(spec)).toEqual(['agentConfig']);
    expect(spec.agentConfig).toMatchObject({
      format: 'ignition',
      kubelet: { extraArgs: ['provider-id=metal3://BAREMETALHOST_UUID'] },
      nodeName: 'localhost.localdomain',
    });
    expect(spec.agentConfig).not.toHaveProperty('airGapped');
    const butane = parse(spec.agentConfig.additionalUserData.config);
    expect(butane.systemd.units.map((u: { name: string }) => u.name)).toContain('rke2-preinstall.service');
  });

  test('files added to userData after construction reach the workers', () => {
    const { chart } = testChart();
    const pool = new WorkerPool(chart, 'Pool', props());
    pool.userData.addFile({ path: '/etc/late.conf', contents: 'x' });
    const spec = Manifest.of(chart).get('RKE2ConfigTemplate', 'c1-edge').spec;
    expect(spec.template.spec.agentConfig.additionalUserData.config).toContain('/etc/late.conf');
  });

  test('each host carries the role, cluster and pool labels, which the host selector requires', () => {
    const { pool, m } = make(props());
    expect(pool.hosts.map((h) => h.node.id)).toEqual(['Host0', 'Host1', 'Host2']);
    const labels = { 'cluster-role': 'worker', [CLUSTER_LABEL]: 'c1', [POOL_LABEL]: 'edge' };
    for (const name of ['w1', 'w2', 'w3']) expect(m.get('BareMetalHost', name).metadata.labels).toEqual(labels);
    expect(m.get('Metal3MachineTemplate', 'c1-edge').spec.template.spec.hostSelector.matchLabels).toEqual(labels);
    const custom = make(props({ hostLabels: { tier: 'edge' } })).m;
    expect(custom.get('BareMetalHost', 'w1').metadata.labels).toEqual({
      tier: 'edge',
      [CLUSTER_LABEL]: 'c1',
      [POOL_LABEL]: 'edge',
    });
  });

  test('behind a mirror the workers pull through it; air-gapped, they install from the image', () => {
    const { chart } = testChart();
    const mirror = new AirgapRegistryMirror(chart, 'Mirror', {
      registry: 'registry.example.com:5000',
      ca: RegistryCa.fromPem(REGISTRY_CA),
      mirrors: [{ source: 'docker.io' }],
    });
    new WorkerPool(chart, 'Pool', props({ registryMirror: mirror, airGapped: true }));
    const spec = Manifest.of(chart).get('RKE2ConfigTemplate', 'c1-edge').spec.template.spec;
    expect(spec.privateRegistriesConfig.mirrors['docker.io'].endpoint).toEqual(['https://registry.example.com:5000']);
    expect(spec.agentConfig.airGapped).toBe(true);
  });
});

describe('WorkerPool limits', () => {
  test('replicas from 0 up to the number of hosts; one more is refused with what to do', () => {
    expect(make(props({ replicas: 0 })).m.get('MachineDeployment', 'c1-edge').spec.replicas).toBe(0);
    expect(make(props({ replicas: 3 })).m.get('MachineDeployment', 'c1-edge').spec.replicas).toBe(3);
    expect(() => make(props({ replicas: 4 }))).toThrow(
      "[test/Pool] 'replicas' asks for 4 machines but the pool has 3 host(s) (got 4); add hosts to the pool or lower replicas",
    );
    expect(() => make(props({ replicas: 10_001 }))).toThrow(/'replicas' must be an integer from 0 to 10000/);
  });

  test('maxSurge is 0 or 1, and 1 needs a host that runs no machine', () => {
    expect(() => make(props({ maxSurge: 2 }))).toThrow(
      "[test/Pool] 'maxSurge' must be 0 or 1 (got 2); use 0 (replace in place) or 1 (spare host first)",
    );
    expect(() => make(props({ maxSurge: -1 }))).toThrow(/'maxSurge' must be 0 or 1/);
    expect(() => make(props({ maxSurge: 1 }))).toThrow(
      "[test/Pool] 'maxSurge' needs a spare host but every host runs a machine (got 1); add a host to the pool or use 0",
    );
    expect(
      make(props({ maxSurge: 0, replicas: 3 })).m.get('MachineDeployment', 'c1-edge').spec.strategy.rollingUpdate,
    ).toEqual({
      maxSurge: 0,
      maxUnavailable: 1,
    });
  });

  test('refusals name the prop and say what to do', () => {
    expect(() => make(props({ hosts: 'w1' as never }))).toThrow(
      '[test/Pool] \'hosts\' must be a list (got "w1"); pass the servers of the pool',
    );
    expect(() => make(props({ hosts: [] }))).toThrow(
      "[test/Pool] 'hosts' must hold at least one host (got []); add the servers of the pool",
    );
    expect(() => make(props({ image: 'x' as never }))).toThrow(
      '[test/Pool] \'image\' is not an OsImage (got "x"); build it with OsImage.fromUrl(url)',
    );
    expect(() => make(props({ clusterImage: 'x' as never }))).toThrow(/'image' is not an OsImage/);
    expect(() => make(props({ telco: {} as never }))).toThrow(
      "[test/Pool] 'telco' is not a TelcoProfile (got {}); build it with new TelcoProfile({...})",
    );
    expect(() => make(props({ name: 'Edge' }))).toThrow(/\[test\/Pool\] 'name'/);
    expect(() => make(props({ hostLabels: { 'a b': 'x' } }))).toThrow(/\[test\/Pool\] 'hostLabels/);
  });

  test('the object name <cluster>-<pool> must itself be a DNS-1123 label', () => {
    expect(() => make(props({ name: 'x'.repeat(61) }))).toThrow(/\[test\/Pool\] 'name' is not a DNS-1123 label/);
    expect(make(props({ name: 'x'.repeat(61), clusterName: 'c' })).m.ids()).toContain(
      `MachineDeployment/c-${'x'.repeat(61)}`,
    );
  });
});

describe('WorkerPool with an image built by an EdgeImageDefinition', () => {
  function imageChart(cni?: { plugin: 'cilium' | 'calico'; multus: boolean }) {
    const chart = new Chart(new BaremetalApp({ outdir: mkdtempSync(join(tmpdir(), 'worker-pool-')) }), 'site', {
      namespace: 'site',
    });
    const image = new EdgeImageDefinition(chart, 'Image', {
      baseImage: 'SL-Micro.x86_64-6.1-Base-GM.raw',
      outputImageName: 'workers.raw',
      sccRegistrationCode: BuildSecret.fromEnv('SCC_REGISTRATION_CODE'),
      airGap: { rke2Version: 'v1.32.4+rke2r1', ...(cni ? { cni } : {}) },
    });
    return { chart, image: image.toOsImage('http://images') };
  }

  test('a pool image is checked against the cluster: air gap, release and CNI', () => {
    const ok = imageChart({ plugin: 'calico', multus: true });
    expect(() => new WorkerPool(ok.chart, 'Pool', props({ image: ok.image, airGapped: true }))).not.toThrow();
    const connected = imageChart();
    expect(() => new WorkerPool(connected.chart, 'Pool', props({ image: connected.image }))).toThrow(
      /\[site\/Pool\] 'airGapped' is false, but the image of \[site\/Image\] \(workers\.raw\) is the air-gapped variant/,
    );
    const release = imageChart();
    expect(
      () =>
        new WorkerPool(
          release.chart,
          'Pool',
          props({ image: release.image, airGapped: true, version: Rke2Version.parse('v1.32.5+rke2r1') }),
        ),
    ).toThrow(/'rke2Version' is v1\.32\.5\+rke2r1, but the image/);
    const cni = imageChart({ plugin: 'calico', multus: true });
    expect(
      () =>
        new WorkerPool(
          cni.chart,
          'Pool',
          props({ image: cni.image, airGapped: true, cni: { cni: 'cilium' } as never }),
        ),
    ).toThrow(/'cni' is cilium without Multus, but the image .* carries the image archives of calico with Multus/);
    const multus = imageChart({ plugin: 'cilium', multus: true });
    expect(
      () =>
        new WorkerPool(
          multus.chart,
          'Pool',
          props({ image: multus.image, airGapped: true, cni: { cni: 'cilium', cniMultusEnable: true } as never }),
        ),
    ).not.toThrow();
  });

  test('without its own image the pool is not checked again: the cluster checked its image', () => {
    const { chart, image } = imageChart();
    expect(() => new WorkerPool(chart, 'Pool', props({ clusterImage: image }))).not.toThrow();
  });
});

describe('WorkerPool first-boot config', () => {
  test("reports its own problems under the pool's userData", () => {
    const { pool } = make(props());
    expect(() => pool.userData.addManifests('/var/lib/rancher/rke2/agent/x.yaml', [])).toThrow(
      `[test/Pool] 'userData.manifests' must hold at least one object (got []); pass the objects to embed`,
    );
  });
});
