import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { build } from '../../examples/eib-image/main';
import { BaremetalApp, SiteFile } from '../../lib/core/site-file';
import { BuildSecret } from '../../lib/eib/build-secret';
import {
  DEFAULT_DISABLED_UNITS,
  EdgeImageDefinition,
  EdgeImageDefinitionProps,
  PERFORMANCE_SETTINGS_PATH,
  SRIOV_AUTO_FILLER_PATH,
} from '../../lib/eib/edge-image-definition';
import { OsImage } from '../../lib/metal3/os-image';
import { Bmc } from '../../lib/metal3/bmc';
import { SecretRef } from '../../lib/core/secret-ref';
import { HaClusterWithMetalLB } from '../../lib/clusters/ha-cluster-with-metallb';
import { SingleNodeCluster, SingleNodeClusterProps } from '../../lib/clusters/single-node-cluster';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { DEFAULT_SRIOV_CRD_CHART, DEFAULT_SRIOV_OPERATOR_CHART, TelcoProfile } from '../../lib/telco/telco-profile';
import { checkConstruct, mostly } from '../arbitraries';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBD1Xg0oUk+xbZFVPwI+e9J5JN0yIaxvkMv/leVn0+b7 admin@example.com';
const HAS_BASH = spawnSync('bash', ['--version']).status === 0;

/** The seed's image (§42.2.2.1 and §42.2.2.5), with a real key for $USERKEY1. */
const SEED: EdgeImageDefinitionProps = {
  baseImage: 'SL-Micro.x86_64-6.1-Base-GM.raw',
  outputImageName: 'eibimage-output-telco.raw',
  users: [{ username: 'root', encryptedPassword: BuildSecret.fromEnv('ROOT_PASSWORD_HASH'), sshKeys: [KEY] }],
  sccRegistrationCode: BuildSecret.fromEnv('SCC_REGISTRATION_CODE'),
};

function chart(id = 'edge-01'): Chart {
  return new Chart(new BaremetalApp({ outdir: mkdtempSync(join(tmpdir(), 'eib-')) }), id);
}

/** The image's files, by path relative to its folder, rendered as at synth. */
function filesOf(image: EdgeImageDefinition): Record<string, string> {
  return Object.fromEntries(SiteFile.all(image).map((f) => [relative(image.dir, f.path), f.render()]));
}

function definitionOf(image: EdgeImageDefinition): any {
  return parse(image.definitionFile.render());
}

function make(props: Partial<EdgeImageDefinitionProps> = {}, scope: Chart = chart()): EdgeImageDefinition {
  return new EdgeImageDefinition(scope, 'Image', { ...SEED, ...props });
}

/** Every file under `dir`, relative to it, sorted. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
    .sort();
}

function bashN(text: string): string {
  const r = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
}

describe('EdgeImageDefinition', () => {
  describe('connected variant (seed §42.2)', () => {
    test('writes the seed definition, with the secrets as placeholders', () => {
      // GIVEN / WHEN
      const image = make({ telco: {} });
      // THEN
      expect(definitionOf(image)).toEqual({
        apiVersion: '1.2',
        image: {
          imageType: 'raw',
          arch: 'x86_64',
          baseImage: 'SL-Micro.x86_64-6.1-Base-GM.raw',
          outputImageName: 'eibimage-output-telco.raw',
        },
        operatingSystem: {
          kernelArgs: ['ignition.platform.id=openstack', 'net.ifnames=1'],
          systemd: {
            disable: [
              'rebootmgr',
              'transactional-update.timer',
              'transactional-update-cleanup.timer',
              'fstrim',
              'time-sync.target',
            ],
          },
          users: [
            { username: 'root', encryptedPassword: '${ROOT_PASSWORD_HASH}', sshKeys: [KEY], createHomeDir: true },
          ],
          packages: {
            packageList: ['jq', 'dpdk', 'dpdk-tools', 'libdpdk-23', 'pf-bb-config'],
            sccRegistrationCode: '${SCC_REGISTRATION_CODE}',
          },
        },
      });
      expect(image.definitionFile.render()).toContain('apiVersion: "1.2"\n');
      expect(image.definitionFile.render()).toContain('encryptedPassword: "${ROOT_PASSWORD_HASH}"\n');
    });

    test('quotes strings a YAML 1.1 or 1.2 reader takes for another type, so both read the same definition', () => {
      const image = make({ packages: ['yes', 'n', '1_000', 'on'], kernelArgs: ['y', 'off'] });
      const text = image.definitionFile.render();
      expect(parse(text, { version: '1.1' })).toEqual(parse(text, { version: '1.2' }));
      const os = parse(text, { version: '1.1' }).operatingSystem;
      expect(os.kernelArgs).toEqual(expect.arrayContaining(['y', 'off']));
      expect(os.packages.packageList).toEqual(expect.arrayContaining(['yes', 'n', '1_000', 'on']));
    });

    test('writes the folder under eib/<chart id>/ with the growfs and network scripts', () => {
      const image = make();
      expect(image.dir).toBe('eib/edge-01');
      expect(image.definitionPath).toBe('eib/edge-01/downstream-cluster-config.yaml');
      expect(Object.keys(filesOf(image)).sort()).toEqual([
        '.gitignore',
        'custom/scripts/01-fix-growfs.sh',
        'downstream-cluster-config.yaml',
        'external-files.txt',
        'network/configure-network.sh',
        'prepare-build.sh',
      ]);
    });

    test('with telco, installs the performance and SR-IOV helpers that the telco profile runs', () => {
      const files = filesOf(make({ telco: {} }));
      expect(files['custom/scripts/03-performance.sh']).toContain(
        `install -D -m 0755 "\${source_file}" ${PERFORMANCE_SETTINGS_PATH}`,
      );
      expect(files['custom/scripts/04-sriov.sh']).toContain(
        `install -D -m 0755 "\${source_file}" ${SRIOV_AUTO_FILLER_PATH}`,
      );
      expect(files['external-files.txt']).toContain('custom/files/performance-settings.sh\t');
      expect(files['external-files.txt']).toContain('custom/files/sriov-auto-filler.sh\t');
    });

    test('telco options pick the helpers and the packages', () => {
      const image = make({ telco: { sriovAutoFiller: false, performanceSettings: false, packages: ['tuned'] } });
      expect(Object.keys(filesOf(image)).filter((f) => f.startsWith('custom/scripts/'))).toEqual([
        'custom/scripts/01-fix-growfs.sh',
      ]);
      expect(image.packages).toEqual(['jq', 'tuned']);
    });

    test('lists the external files and the secrets prepare-build.sh checks and fills in', () => {
      const image = make();
      const files = filesOf(image);
      expect(image.externalFiles).toEqual(['base-images/SL-Micro.x86_64-6.1-Base-GM.raw']);
      expect(image.secrets.map((s) => s.name)).toEqual(['ROOT_PASSWORD_HASH', 'SCC_REGISTRATION_CODE']);
      expect(files['prepare-build.sh']).toContain('check_secret ROOT_PASSWORD_HASH password-hash\n');
      expect(files['prepare-build.sh']).toContain('check_secret SCC_REGISTRATION_CODE text\n');
      expect(files['prepare-build.sh']).toContain('>downstream-cluster-config.rendered.yaml\n');
      expect(files['.gitignore'].split('\n')).toEqual(
        expect.arrayContaining([
          '/downstream-cluster-config.rendered.yaml',
          '/base-images/SL-Micro.x86_64-6.1-Base-GM.raw',
          '/eibimage-output-telco.raw',
        ]),
      );
    });

    test('without config drive networking there is no network folder', () => {
      expect(Object.keys(filesOf(make({ configDriveNetworking: false })))).not.toContain(
        'network/configure-network.sh',
      );
    });

    test('predictableNicNames: false gives net.ifnames=0', () => {
      expect(make({ predictableNicNames: false }).kernelArgs).toEqual([
        'ignition.platform.id=openstack',
        'net.ifnames=0',
      ]);
    });

    test('extra kernel arguments follow the Metal3 ones; repeating those with the same value is harmless', () => {
      const image = make({ kernelArgs: ['console=ttyS0,115200', 'net.ifnames=1', 'quiet'] });
      expect(definitionOf(image).operatingSystem.kernelArgs).toEqual([
        'ignition.platform.id=openstack',
        'net.ifnames=1',
        'console=ttyS0,115200',
        'quiet',
      ]);
    });

    test('writes units, disk size, repositories and packages as given', () => {
      const image = make({
        enabledUnits: ['chronyd.service'],
        disabledUnits: [...DEFAULT_DISABLED_UNITS, 'kdump.service'],
        diskSize: '32G',
        packages: ['vim', 'jq'],
        sccRegistrationCode: undefined,
        additionalRepos: [{ url: 'https://repo.example.com/edge', unsigned: true }],
      });
      expect(definitionOf(image).operatingSystem).toMatchObject({
        rawConfiguration: { diskSize: '32G' },
        systemd: { enable: ['chronyd.service'], disable: expect.arrayContaining(['kdump.service']) },
        packages: {
          packageList: ['jq', 'vim'],
          additionalRepos: [{ url: 'https://repo.example.com/edge', unsigned: true }],
        },
      });
      expect(definitionOf(image).operatingSystem.packages.sccRegistrationCode).toBeUndefined();
    });

    test('users with keys only or a password only', () => {
      const image = make({
        users: [
          { username: 'admin', sshKeys: [KEY] },
          { username: 'root', encryptedPassword: BuildSecret.fromEnv('ROOT_PASSWORD_HASH') },
        ],
      });
      expect(definitionOf(image).operatingSystem.users).toEqual([
        { username: 'admin', sshKeys: [KEY], createHomeDir: true },
        { username: 'root', encryptedPassword: '${ROOT_PASSWORD_HASH}' },
      ]);
    });

    test('an aarch64 image and another definition file name', () => {
      const image = make({
        arch: 'aarch64',
        baseImage: 'SL-Micro.aarch64-6.1-Base-GM.raw',
        definitionFileName: 'arm.yml',
        apiVersion: '1.3',
      });
      expect(definitionOf(image)).toMatchObject({ apiVersion: '1.3', image: { arch: 'aarch64' } });
      expect(image.definitionPath).toBe('eib/edge-01/arm.yml');
      expect(image.renderedDefinitionFileName).toBe('arm.rendered.yaml');
    });

    test('an iso image', () => {
      const image = make({
        imageType: 'iso',
        baseImage: 'SL-Micro.x86_64-6.1-Base-SelfInstall.iso',
        outputImageName: 'eib.iso',
      });
      expect(definitionOf(image).image).toMatchObject({ imageType: 'iso', outputImageName: 'eib.iso' });
    });
  });

  describe('air-gapped variant (seed §42.3)', () => {
    const airGap = { rke2Version: 'v1.32.4+rke2r1', cni: { plugin: 'cilium' as const, multus: true } };

    test('stages the RKE2 release and has no kubernetes section', () => {
      // GIVEN / WHEN
      const image = make({ airGap, telco: {} });
      const files = filesOf(image);
      // THEN
      expect(image.definitionPath).toBe('eib/edge-01/downstream-cluster-airgap-config.yaml');
      expect(definitionOf(image).kubernetes).toBeUndefined();
      expect(definitionOf(image).embeddedArtifactRegistry).toBeUndefined();
      expect(image.rke2Artifacts?.version.toString()).toBe('v1.32.4+rke2r1');
      expect(files['custom/scripts/02-airgap.sh']).toContain('rke2-images-multus.linux-amd64.tar.zst');
      expect(image.externalFiles).toEqual([
        'base-images/SL-Micro.x86_64-6.1-Base-GM.raw',
        'custom/files/install.sh',
        'custom/files/rke2.linux-amd64.tar.gz',
        'custom/files/rke2-images-core.linux-amd64.tar.zst',
        'custom/files/rke2-images-cilium.linux-amd64.tar.zst',
        'custom/files/rke2-images-multus.linux-amd64.tar.zst',
        'custom/files/sha256sum-amd64.txt',
        'custom/files/performance-settings.sh',
        'custom/files/sriov-auto-filler.sh',
      ]);
      expect(files['prepare-build.sh']).toContain('checksums=custom/files/sha256sum-amd64.txt\n');
    });

    test('writes the embedded registry images into the definition', () => {
      const image = make({
        airGap: { ...airGap, embeddedImages: ['registry.example.com/edge/app:1.0', 'nginx@sha256:' + 'a'.repeat(64)] },
      });
      expect(definitionOf(image).embeddedArtifactRegistry).toEqual({
        images: [{ name: 'registry.example.com/edge/app:1.0' }, { name: `nginx@sha256:${'a'.repeat(64)}` }],
      });
    });

    test('writes the preload lists fully qualified by default, saying so in their first line', () => {
      const files = filesOf(
        make({
          airGap: {
            ...airGap,
            preloadHelmCharts: [DEFAULT_SRIOV_CRD_CHART, DEFAULT_SRIOV_OPERATOR_CHART],
            preloadImages: ['registry.suse.com/rancher/hardened-sriov-cni:v2.8.1-build20240820'],
          },
        }),
      );
      const [chartHeader, ...charts] = files['preload/helm-charts.txt'].trimEnd().split('\n');
      expect(chartHeader).toMatch(/^# Fully qualified OCI Helm charts/);
      expect(charts).toEqual([
        'registry.suse.com/edge/charts/sriov-crd:303.0.2+up1.5.0',
        'registry.suse.com/edge/charts/sriov-network-operator:303.0.2+up1.5.0',
      ]);
      const [imageHeader, ...images] = files['preload/images.txt'].trimEnd().split('\n');
      expect(imageHeader).toMatch(/^# Fully qualified images/);
      expect(images).toEqual(['registry.suse.com/rancher/hardened-sriov-cni:v2.8.1-build20240820']);
    });

    test('with preloadRelativeTo, both lists are relative to the -s source of the SUSE save scripts', () => {
      // GIVEN the seed's lists (§42.3.2.7), short and qualified names mixed in the input
      const files = filesOf(
        make({
          airGap: {
            ...airGap,
            preloadRelativeTo: 'registry.suse.com',
            preloadHelmCharts: [DEFAULT_SRIOV_CRD_CHART],
            preloadImages: [
              'rancher/hardened-sriov-cni:v2.8.1-build20240820',
              'registry.suse.com/rancher/hardened-ib-sriov-cni:v1.1.1-build20240816',
            ],
          },
        }),
      );
      // THEN edge-save-oci-artefacts.sh -s registry.suse.com pulls oci://registry.suse.com/<line> (not
      // registry.suse.com/registry.suse.com/...), and edge-save-images.sh pulls registry.suse.com/<line>
      expect(files['preload/helm-charts.txt']).toBe(
        '# OCI Helm charts relative to registry.suse.com, chart and version a line, for edge-save-oci-artefacts.sh -s registry.suse.com -al <this file>\n' +
          'edge/charts/sriov-crd:303.0.2+up1.5.0\n',
      );
      expect(files['preload/images.txt']).toBe(
        '# Images relative to registry.suse.com, one a line, for edge-save-images.sh -s registry.suse.com -l <this file>\n' +
          'rancher/hardened-sriov-cni:v2.8.1-build20240820\n' +
          'rancher/hardened-ib-sriov-cni:v1.1.1-build20240816\n',
      );
    });

    test('fails when a preload image is a short name without preloadRelativeTo', () => {
      expect(() => make({ airGap: { ...airGap, preloadImages: ['rancher/hardened-sriov-cni:v2.8.1'] } })).toThrow(
        /'airGap\.preloadImages\[0\]' has no registry host, so the list would mix short and fully qualified names \(got "rancher\/hardened-sriov-cni:v2\.8\.1"\); write it fully qualified, such as "registry\.suse\.com\/rancher\/hardened-sriov-cni:v2\.8\.1", or set preloadRelativeTo/,
      );
    });

    test('fails when a preload entry is not in the preloadRelativeTo registry', () => {
      expect(() =>
        make({
          airGap: {
            ...airGap,
            preloadRelativeTo: 'registry.suse.com',
            preloadImages: ['docker.io/library/nginx:1.27'],
          },
        }),
      ).toThrow(
        /'airGap\.preloadImages\[0\]' lists docker\.io\/library\/nginx, which is not in registry\.suse\.com \(got "docker\.io\/library\/nginx:1\.27"\); drop relativeTo/,
      );
      expect(() =>
        make({
          airGap: {
            ...airGap,
            preloadRelativeTo: 'registry.rancher.com',
            preloadHelmCharts: [DEFAULT_SRIOV_CRD_CHART],
          },
        }),
      ).toThrow(
        /'airGap\.preloadHelmCharts\[0\]\.chart' lists registry\.suse\.com\/edge\/charts\/sriov-crd, which is not in registry\.rancher\.com/,
      );
    });

    test('fails when preloadRelativeTo is not a registry host', () => {
      expect(() => make({ airGap: { ...airGap, preloadRelativeTo: 'https://registry.suse.com' } })).toThrow(
        /'airGap\.preloadRelativeTo'/,
      );
    });
  });

  describe('addCustomFile', () => {
    test('writes the file into custom/files and takes it off the external files', () => {
      // GIVEN
      const image = make({ telco: {} });
      // WHEN
      const file = image.addCustomFile('performance-settings.sh', '#!/bin/bash\necho tuned\n');
      // THEN
      expect(file.path).toBe('eib/edge-01/custom/files/performance-settings.sh');
      expect(filesOf(image)['custom/files/performance-settings.sh']).toBe('#!/bin/bash\necho tuned\n');
      expect(image.externalFiles).not.toContain('custom/files/performance-settings.sh');
      expect(filesOf(image)['prepare-build.sh']).not.toContain('custom/files/performance-settings.sh');
    });

    test('an RKE2 file written as text is not checked against the release checksums', () => {
      const image = make({ airGap: { rke2Version: 'v1.32.4+rke2r1' } });
      image.addCustomFile('install.sh', '#!/bin/sh\n');
      expect(filesOf(image)['prepare-build.sh']).toContain('checksums=');
      image.addCustomFile('sha256sum-amd64.txt', 'x\n');
      expect(filesOf(image)['prepare-build.sh']).not.toContain('checksums=');
    });

    test('fails when an own sriov-auto-filler.sh reads the device ConfigMap from another namespace', () => {
      const image = make({ telco: {} });
      expect(() =>
        image.addCustomFile(
          'sriov-auto-filler.sh',
          '#!/bin/bash\nkubectl get cm sriov-custom-auto-config -n kube-system\n',
        ),
      ).toThrow(
        /\[edge-01\/Image\] 'contents' reads sriov-custom-auto-config from kube-system, but the telco profile writes it to sriov-network-operator/,
      );
      // Given as a function, the text is checked when it is rendered.
      const lazy = make({ telco: {} }, chart('edge-02')).addCustomFile(
        'sriov-auto-filler.sh',
        () => 'kubectl get configmap sriov-custom-auto-config --namespace=kube-system',
      );
      expect(() => lazy.render()).toThrow(/'contents' reads sriov-custom-auto-config from kube-system/);
      const good = make({ telco: {} }, chart('edge-03')).addCustomFile(
        'sriov-auto-filler.sh',
        'kubectl get cm sriov-custom-auto-config -n sriov-network-operator -ojson\n',
      );
      expect(good.render()).toContain('-n sriov-network-operator');
    });

    test('fails when a file is added twice', () => {
      const image = make();
      image.addCustomFile('a.sh', '');
      expect(() => image.addCustomFile('a.sh', '')).toThrow(
        '[edge-01/Image] \'name\' is already a custom file of this image (got "a.sh"); add each file once',
      );
    });

    test('fails when the name is not a plain file name', () => {
      expect(() => make().addCustomFile('../etc/passwd', '')).toThrow(/'name' is not a plain file name/);
    });
  });

  describe('checkCluster: the cluster installs what the image carries', () => {
    /** The seed's air-gapped telco site (§42.3, §42.9): image and cluster from the same facts. */
    function site(
      imageAirGap: EdgeImageDefinitionProps['airGap'],
      cluster: Partial<SingleNodeClusterProps> = {},
    ): { chart: Chart; image: EdgeImageDefinition; build: () => SingleNodeCluster } {
      const scope = chart('site');
      const image = new EdgeImageDefinition(scope, 'Image', { ...SEED, airGap: imageAirGap });
      const mirror = new AirgapRegistryMirror(scope, 'Registry', {
        registry: '192.168.100.22:5000',
        insecure: true,
        mirrors: [{ source: 'docker.io' }, { source: 'registry.suse.com/edge/charts', mirror: '192.168.100.22:5000' }],
      });
      const build = () =>
        new SingleNodeCluster(scope, 'Cluster', {
          clusterName: 'single-node-cluster',
          rke2Version: 'v1.32.4+rke2r1',
          host: {
            name: 'example-demo',
            bootMACAddress: '00:0c:29:3e:3e:3e',
            bmc: Bmc.redfishVirtualMedia('192.168.200.75', '1', SecretRef.fromName('example-demo-credentials')),
          },
          image: image.toOsImage('http://imagecache.local:8080'),
          controlPlaneEndpoint: '192.168.200.80',
          telco: TelcoProfile.suseEdgePreset({
            sriov: [{ resourceName: 'sriov-resource-du1', interface: 'eth0', driver: 'vfio-pci', numVfs: 8 }],
          }),
          registryMirror: mirror,
          airGapped: true,
          ...cluster,
        });
      return { chart: scope, image, build };
    }
    const CALICO_MULTUS = { plugin: 'calico', multus: true } as const;

    test('an image built for the cluster passes, and OsImages built otherwise are not checked', () => {
      const { image, build } = site({ rke2Version: 'v1.32.4+rke2r1', cni: CALICO_MULTUS });
      expect(() => build()).not.toThrow();
      expect(EdgeImageDefinition.of(image.toOsImage('http://imagecache.local:8080'))).toBe(image);
      expect(EdgeImageDefinition.of(OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw'))).toBe(
        undefined,
      );
    });

    test('fails when the cluster runs another RKE2 release than the image carries, naming both', () => {
      const { build } = site({ rke2Version: 'v1.32.4+rke2r1', cni: CALICO_MULTUS }, { rke2Version: 'v1.32.5+rke2r1' });
      expect(() => build()).toThrow(
        /\[site\/Cluster\] 'rke2Version' is v1\.32\.5\+rke2r1, but the image of \[site\/Image\] \(eibimage-output-telco\.raw\) carries the RKE2 v1\.32\.4\+rke2r1 artifacts \(got "v1\.32\.5\+rke2r1"\); give the cluster and the image's airGap\.rke2Version the same release/,
      );
    });

    test("fails when the image carries the seed's Cilium + Multus archives and the cluster runs Calico", () => {
      const { build } = site({ rke2Version: 'v1.32.4+rke2r1', cni: { plugin: 'cilium', multus: true } });
      expect(() => build()).toThrow(
        /\[site\/Cluster\] 'cni' is calico with Multus, but the image of \[site\/Image\] \(eibimage-output-telco\.raw\) carries the image archives of cilium with Multus \(got \{"plugin":"calico","multus":true\}\); give the image's airGap\.cni the cluster's choice: \{ plugin: 'calico', multus: true \}/,
      );
    });

    test('fails when only one of the two has Multus', () => {
      const { build } = site({ rke2Version: 'v1.32.4+rke2r1', cni: { plugin: 'calico' } });
      expect(() => build()).toThrow(
        /'cni' is calico with Multus, but .* carries the image archives of calico without Multus/,
      );
    });

    test('fails when an air-gapped cluster boots the connected image', () => {
      const { build } = site(undefined);
      expect(() => build()).toThrow(
        /\[site\/Cluster\] 'airGapped' is true, but the image of \[site\/Image\] \(eibimage-output-telco\.raw\) is the connected variant and carries no RKE2 artifacts to install from \(got true\); give the image airGap: \{ rke2Version: 'v1\.32\.4\+rke2r1' \}, or set airGapped: false/,
      );
    });

    test('fails when a connected cluster boots the air-gapped image', () => {
      const { build } = site(
        { rke2Version: 'v1.32.4+rke2r1', cni: CALICO_MULTUS },
        { airGapped: false, registryMirror: undefined },
      );
      expect(() => build()).toThrow(
        /\[site\/Cluster\] 'airGapped' is false, but the image of \[site\/Image\] \(eibimage-output-telco\.raw\) is the air-gapped variant: the install would download RKE2 instead of using the v1\.32\.4\+rke2r1 artifacts it carries \(got false\); set airGapped: true/,
      );
    });

    test("fails when a worker pool's own image carries another release than the cluster", () => {
      const scope = chart('pool-site');
      const workers = new EdgeImageDefinition(scope, 'Workers', {
        ...SEED,
        airGap: { rke2Version: 'v1.31.7+rke2r2' },
      });
      const node = (n: number) => ({
        name: `node${n}`,
        bootMACAddress: `00:f3:65:8a:a3:b${n}`,
        bmc: Bmc.redfishVirtualMedia(`192.168.200.${70 + n}`, '1', SecretRef.fromName(`node${n}-bmc`)),
      });
      const cluster = new HaClusterWithMetalLB(scope, 'Cluster', {
        clusterName: 'c1',
        rke2Version: 'v1.32.4+rke2r1',
        vip: '192.168.122.100',
        controlPlaneHosts: [node(1), node(2), node(3)],
        image: OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw'),
        registryMirror: new AirgapRegistryMirror(scope, 'Registry', {
          registry: '192.168.100.22:5000',
          insecure: true,
          mirrors: [{ source: 'docker.io' }, { source: 'registry.suse.com' }],
        }),
        airGapped: true,
      });
      expect(() =>
        cluster.addWorkerPool('workers', {
          hosts: [node(4)],
          image: workers.toOsImage('http://imagecache.local:8080'),
        }),
      ).toThrow(
        /\[pool-site\/Cluster\/Pool-workers\] 'rke2Version' is v1\.32\.4\+rke2r1, but the image of \[pool-site\/Workers\]/,
      );
    });
  });

  describe('toOsImage and checkOsImage', () => {
    test('gives the OsImage at <baseUrl>/<outputImageName>', () => {
      const image = make();
      const os = image.toOsImage('http://imagecache.local:8080/', { checksumType: 'sha256' });
      expect(os.toMetal3()).toEqual({
        url: 'http://imagecache.local:8080/eibimage-output-telco.raw',
        checksum: 'http://imagecache.local:8080/eibimage-output-telco.raw.sha256',
        checksumType: 'sha256',
        format: 'raw',
      });
      expect(() => image.checkOsImage(os)).not.toThrow();
    });

    test('fails when the image is an iso', () => {
      const image = make({ imageType: 'iso', baseImage: 'base.iso', outputImageName: 'eib.iso' });
      expect(() => image.toOsImage('http://imagecache.local:8080')).toThrow(
        /\[edge-01\/Image\] 'imageType' is iso, but Metal3 writes a raw disk image to the host/,
      );
    });

    test('fails when the base URL is not an http(s) URL', () => {
      expect(() => make().toOsImage('imagecache.local:8080')).toThrow(
        '[edge-01/Image] \'baseUrl\' is not an http(s) URL (got "imagecache.local:8080"); write the full URL, e.g. "http://imagecache.local:8080"',
      );
      expect(() => make().toOsImage('ftp://cache')).toThrow(/'baseUrl' is not an http\(s\) URL/);
    });

    test('fails when the base URL has a query', () => {
      expect(() => make().toOsImage('http://cache/?x=1')).toThrow(/'baseUrl' has a query or fragment/);
    });

    test('fails when the base URL names the other architecture', () => {
      expect(() => make().toOsImage('http://cache/aarch64')).toThrow(
        /'baseUrl' names the aarch64 architecture but the image is x86_64/,
      );
    });

    test('fails when an OsImage serves another file', () => {
      expect(() => make().checkOsImage(OsImage.fromUrl('http://cache/other.raw'))).toThrow(
        /'osImage\.url' serves "other\.raw", not the image this definition builds \(eibimage-output-telco\.raw\)/,
      );
    });

    test('fails when an OsImage is not raw', () => {
      expect(() =>
        make().checkOsImage(OsImage.fromUrl('http://cache/eibimage-output-telco.raw', { format: 'qcow2' })),
      ).toThrow(/'osImage\.format' is not raw/);
    });
  });

  describe('checks', () => {
    test.each<[string, Partial<EdgeImageDefinitionProps>, RegExp]>([
      ['the apiVersion is unknown', { apiVersion: '2.0' as never }, /'apiVersion' is not a definition version/],
      ['the image type is unknown', { imageType: 'qcow2' as never }, /'imageType' is not an image type/],
      [
        'the architecture is unknown',
        { arch: 'arm' as never },
        /'arch' is not an architecture Edge Image Builder builds/,
      ],
      ['the base image is a path', { baseImage: 'base-images/base.raw' }, /'baseImage' is not a plain file name/],
      [
        'the base image is an iso for a raw image',
        { baseImage: 'SL-Micro.x86_64-6.1-SelfInstall.iso' },
        /'baseImage' does not end in \.raw or \.img, as a raw image does/,
      ],
      [
        'the base image names the other architecture',
        { baseImage: 'SL-Micro.aarch64-6.1-Base-GM.raw' },
        /'baseImage' names the aarch64 architecture but the image is x86_64/,
      ],
      [
        'the output name names the other architecture',
        { arch: 'aarch64', baseImage: 'base.raw', outputImageName: 'eib-x86_64.raw' },
        /'outputImageName' names the x86_64 architecture but the image is aarch64/,
      ],
      ['the output name has no image extension', { outputImageName: 'eibimage' }, /'outputImageName' does not end in/],
      ['the disk size has no unit', { diskSize: '32' }, /'diskSize' is not a size Edge Image Builder reads/],
      [
        'a disk size is given for an iso',
        { imageType: 'iso', baseImage: 'b.iso', outputImageName: 'o.iso', diskSize: '32G' },
        /'diskSize' only applies to raw images/,
      ],
      [
        'a kernel argument sets another Ignition platform',
        { kernelArgs: ['ignition.platform.id=metal'] },
        /'kernelArgs\[0\]' contradicts ignition\.platform\.id=openstack, which the Metal3 flow needs/,
      ],
      [
        'net.ifnames contradicts predictableNicNames',
        { kernelArgs: ['quiet', 'net.ifnames=0'] },
        /'kernelArgs\[1\]' contradicts predictableNicNames: true \(net\.ifnames=1\) \(got "net\.ifnames=0"\); drop it and set predictableNicNames to the metal3 chart's predictableNicNames value/,
      ],
      ['a kernel argument asks for FIPS', { kernelArgs: ['fips=1'] }, /'kernelArgs\[0\]' asks for FIPS mode/],
      [
        'a kernel argument key repeats',
        { kernelArgs: ['console=tty0', 'console=ttyS0'] },
        /'kernelArgs\[1\]' repeats the key 'console'/,
      ],
      ['a kernel argument has a space', { kernelArgs: ['a b'] }, /'kernelArgs\[0\]' is not "key" or "key=value"/],
      [
        'a kernel argument has no value after =',
        { kernelArgs: ['quiet='] },
        /'kernelArgs\[0\]' is not "key" or "key=value"/,
      ],
      ['a unit name is invalid', { disabledUnits: ['bad unit'] }, /'disabledUnits\[0\]' is not a systemd unit name/],
      ['a unit is listed twice', { enabledUnits: ['a.service', 'a.service'] }, /'enabledUnits' lists a unit twice/],
      [
        'a unit is enabled and disabled',
        { enabledUnits: ['fstrim'] },
        /'enabledUnits' holds a unit that disabledUnits also holds/,
      ],
      [
        'a user name is invalid',
        { users: [{ username: 'Admin', sshKeys: [KEY] }] },
        /'users\[0\]\.username' is not a login name/,
      ],
      [
        'a user is given twice',
        {
          users: [
            { username: 'root', sshKeys: [KEY] },
            { username: 'root', sshKeys: [KEY] },
          ],
        },
        /'users\[1\]\.username' is given twice/,
      ],
      [
        'a user can not log in',
        { users: [{ username: 'admin' }] },
        /'users\[0\]' has neither sshKeys nor encryptedPassword/,
      ],
      [
        'an SSH key is not a key line',
        { users: [{ username: 'admin', sshKeys: ['AAAAC3NzaC1lZDI1NTE5'] }] },
        /'users\[0\]\.sshKeys\[0\]' is not an SSH public key line/,
      ],
      [
        'an SSH key body is of another type',
        { users: [{ username: 'admin', sshKeys: [KEY.replace('ssh-ed25519', 'ssh-rsa')] }] },
        /'users\[0\]\.sshKeys\[0\]' has a key body that is not a ssh-rsa key/,
      ],
      ['a package is listed twice', { packages: ['vim', 'vim'] }, /'packages' lists a package twice/],
      ['a package name is invalid', { packages: ['vim tools'] }, /'packages\[0\]' is not a package name/],
      [
        'packages have no source',
        { sccRegistrationCode: undefined },
        /'sccRegistrationCode' is needed to install the packages \(jq\) from SUSE's repositories/,
      ],
      [
        'a repository URL is not http',
        { additionalRepos: [{ url: 'ftp://repo' }] },
        /'additionalRepos\[0\]\.url' is not an http\(s\) URL/,
      ],
      [
        'a repository is given twice',
        { additionalRepos: [{ url: 'https://r.example.com' }, { url: 'https://r.example.com' }] },
        /'additionalRepos\[1\]\.url' is given twice/,
      ],
      [
        'one variable holds a password hash and the registration code',
        { sccRegistrationCode: BuildSecret.fromEnv('ROOT_PASSWORD_HASH') },
        /'sccRegistrationCode' uses ROOT_PASSWORD_HASH, which also holds a password hash/,
      ],
      [
        'the RKE2 version is not a release',
        { airGap: { rke2Version: '1.32.4+rke2r1' } },
        /'airGap\.rke2Version' must start with "v"/,
      ],
      [
        'the air gap CNI is unknown',
        { airGap: { rke2Version: 'v1.32.4+rke2r1', cni: { plugin: 'flannel' as never } } },
        /'airGap\.cni\.plugin' is not a CNI plugin RKE2 ships/,
      ],
      [
        'an embedded image has no tag',
        { airGap: { rke2Version: 'v1.32.4+rke2r1', embeddedImages: ['nginx'] } },
        /'airGap\.embeddedImages\[0\]' has neither a tag nor a digest/,
      ],
      [
        'an embedded image is listed twice',
        { airGap: { rke2Version: 'v1.32.4+rke2r1', embeddedImages: ['nginx:1', 'nginx:1'] } },
        /'airGap\.embeddedImages' lists an image twice/,
      ],
      [
        'a preload image has an invalid name',
        { airGap: { rke2Version: 'v1.32.4+rke2r1', preloadImages: ['Rancher/X:1'] } },
        /'airGap\.preloadImages\[0\]' has an invalid repository name/,
      ],
      [
        'a preload chart is not an OCI chart',
        {
          airGap: {
            rke2Version: 'v1.32.4+rke2r1',
            preloadHelmCharts: [{ chart: 'https://charts.example.com/a.tgz', version: '1' }],
          },
        },
        /'airGap\.preloadHelmCharts\[0\]\.chart' is not an oci:\/\/ chart/,
      ],
      ['the folder climbs out', { dir: '../eib' }, /'dir' is not a plain relative folder/],
      ['the folder is absolute', { dir: '/eib' }, /'dir' is not a plain relative folder/],
      [
        'the definition file is not YAML',
        { definitionFileName: 'def.json' },
        /'definitionFileName' does not end in \.yaml or \.yml/,
      ],
      ['props is not an object', null as never, /'props' must be an object/],
    ])('fails when %s', (_name, props, message) => {
      expect(() => (props === null ? new EdgeImageDefinition(chart(), 'Image', props) : make(props))).toThrow(message);
    });

    test('fails when a password is given literally, without repeating it', () => {
      const literal = '$6$salt$secret-hash';
      expect(() => make({ users: [{ username: 'root', encryptedPassword: literal as never }] })).toThrow(
        "[edge-01/Image] 'users[0].encryptedPassword' is a literal value, which would be written into git (got <redacted>); pass BuildSecret.fromEnv('ROOT_PASSWORD_HASH') and let the build pipeline set ROOT_PASSWORD_HASH from its secret store",
      );
    });

    test('fails when the registration code is given literally, without repeating it', () => {
      expect(() => make({ sccRegistrationCode: 'ABCD-1234' as never })).toThrow(
        /^\[edge-01\/Image\] 'sccRegistrationCode' is a literal value, which would be written into git \(got <redacted>\)/,
      );
    });

    test('fails when an SSH key is a private key, without showing it', () => {
      const privateKey =
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
      expect(() => make({ users: [{ username: 'root', sshKeys: [privateKey] }] })).toThrow(
        "[edge-01/Image] 'users[0].sshKeys[0]' is a private key (got <redacted>); pass the public key (the .pub file), and keep the private key out of git",
      );
    });

    test('fails when a repository URL embeds credentials, without showing them', () => {
      expect(() => make({ additionalRepos: [{ url: 'https://user:pw@repo.example.com/x' }] })).toThrow(
        /'additionalRepos\[0\]\.url' embeds credentials \(got <redacted>\)/,
      );
    });
  });

  describe('properties', () => {
    test('random props give a valid folder or the library error, never a TypeError', () => {
      const secret = BuildSecret.fromEnv('ROOT_PASSWORD_HASH');
      const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
      const image = fc.oneof(
        {
          weight: 8,
          arbitrary: fc.constantFrom<Partial<EdgeImageDefinitionProps>>(
            { baseImage: 'SL-Micro.x86_64-6.1-Base-GM.raw', outputImageName: 'eibimage-output-telco.raw' },
            { arch: 'aarch64', baseImage: 'SL-Micro.aarch64-6.1-Base-GM.raw', outputImageName: 'eib-arm64.raw' },
            { imageType: 'iso', baseImage: 'SL-Micro.x86_64-6.1-SelfInstall.iso', outputImageName: 'eib.iso' },
            { imageType: 'raw', arch: 'x86_64', baseImage: 'base.img', outputImageName: 'out.img' },
          ),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            baseImage: mostly(fc.constantFrom('SL-Micro.x86_64-6.1-Base-GM.raw', 'SL-Micro.aarch64.raw', 'b.iso')),
            outputImageName: mostly(fc.constantFrom('eibimage-output-telco.raw', 'out-arm64.raw', 'x/y.raw')),
            arch: option(fc.constantFrom('x86_64', 'aarch64', 'arm')),
            imageType: option(mostly(fc.constantFrom('raw', 'iso'))),
          }),
        },
      );
      const rest = fc.record({
        apiVersion: option(mostly(fc.constantFrom('1.0', '1.1', '1.2', '1.3'))),
        predictableNicNames: option(mostly(fc.boolean())),
        kernelArgs: option(
          fc.array(
            mostly(fc.constantFrom('quiet', 'console=ttyS0', 'net.ifnames=1', 'ignition.platform.id=openstack')),
            {
              maxLength: 3,
            },
          ),
        ),
        disabledUnits: option(
          fc.array(mostly(fc.constantFrom('rebootmgr', 'fstrim', 'kdump.service')), { maxLength: 2 }),
        ),
        users: option(
          fc.array(
            fc.record({
              username: mostly(fc.constantFrom('root', 'admin', 'edge_user')),
              sshKeys: option(fc.array(mostly(fc.constantFrom(KEY)), { maxLength: 2 })),
              encryptedPassword: option(mostly(fc.constant(secret))),
            }),
            { maxLength: 2 },
          ),
        ),
        packages: option(fc.array(mostly(fc.constantFrom('vim', 'tuned', 'jq')), { maxLength: 2 })),
        sccRegistrationCode: mostly(fc.constant(BuildSecret.fromEnv('SCC_REGISTRATION_CODE'))),
        diskSize: option(mostly(fc.constantFrom('32G', '4096M'))),
        configDriveNetworking: option(fc.boolean()),
        airGap: option(
          fc.record({
            rke2Version: mostly(fc.constantFrom('v1.32.4+rke2r1', 'v1.31.7+rke2r2')),
            cni: option(
              fc.record({
                plugin: option(fc.constantFrom('cilium', 'canal', 'calico', 'none')),
                multus: option(fc.boolean()),
              }),
            ),
            embeddedImages: option(
              fc.array(mostly(fc.constantFrom('nginx:1.27', 'registry.example.com:5000/a/b:v1')), { maxLength: 2 }),
            ),
            preloadHelmCharts: option(
              fc.array(mostly(fc.constantFrom(DEFAULT_SRIOV_CRD_CHART, DEFAULT_SRIOV_OPERATOR_CHART)), {
                maxLength: 2,
              }),
            ),
            preloadImages: option(
              fc.array(mostly(fc.constantFrom('rancher/a:1', 'registry.suse.com/rancher/b:2', 'docker.io/c/d:3')), {
                maxLength: 2,
              }),
            ),
            preloadRelativeTo: option(mostly(fc.constantFrom('registry.suse.com', 'docker.io'))),
          }),
        ),
        telco: option(
          fc.record({ performanceSettings: option(fc.boolean()), sriovAutoFiller: option(mostly(fc.boolean())) }),
        ),
      });
      const props = fc.tuple(image, rest).map(([facts, others]) => ({ ...others, ...facts }));
      checkConstruct(
        props,
        (p) => {
          const scope = new Chart(new BaremetalApp(), 'site');
          new EdgeImageDefinition(scope, 'Image', p as unknown as EdgeImageDefinitionProps);
          const files = SiteFile.all(scope).map((f) => [f.path, f.render()] as const);
          for (const [path, text] of files) {
            if (path.endsWith('.yaml')) parse(text);
            if (HAS_BASH && path.endsWith('.sh') && bashN(text) !== '') throw new Error(`${path} does not parse`);
          }
          return files.map(([, text]) => text).join('\n');
        },
        0.05,
      );
    });
  });
});

describe('example eib-image', () => {
  /** The example synthesized as `main.ts` does, into a fresh folder. */
  function synthExample(): string {
    const outdir = mkdtempSync(join(tmpdir(), 'eib-example-'));
    const app = new BaremetalApp({ outdir });
    build(app as App);
    app.synth();
    return outdir;
  }

  const outdir = synthExample();
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const read = (path: string) => readFileSync(join(outdir, path), 'utf8');

  test('writes the two folders of the seed, file by file', () => {
    expect(walk(join(outdir, 'eib'))).toEqual([
      'airgap/.gitignore',
      'airgap/custom/scripts/01-fix-growfs.sh',
      'airgap/custom/scripts/02-airgap.sh',
      'airgap/custom/scripts/03-performance.sh',
      'airgap/custom/scripts/04-sriov.sh',
      'airgap/downstream-cluster-airgap-config.yaml',
      'airgap/external-files.txt',
      'airgap/network/configure-network.sh',
      'airgap/preload/helm-charts.txt',
      'airgap/preload/images.txt',
      'airgap/prepare-build.sh',
      'connected/.gitignore',
      'connected/custom/scripts/01-fix-growfs.sh',
      'connected/custom/scripts/03-performance.sh',
      'connected/custom/scripts/04-sriov.sh',
      'connected/downstream-cluster-config.yaml',
      'connected/external-files.txt',
      'connected/network/configure-network.sh',
      'connected/prepare-build.sh',
    ]);
    expect(read('eib-image.k8s.yaml')).toBe('');
  });

  test('the two definitions are the seed telco definition (§42.2.2.5), which the air-gapped one reuses (§42.3.2.1)', () => {
    const connected = parse(read('eib/connected/downstream-cluster-config.yaml'));
    const airgap = parse(read('eib/airgap/downstream-cluster-airgap-config.yaml'));
    expect(airgap).toEqual(connected);
    expect(connected).toMatchObject({
      apiVersion: '1.2',
      image: { outputImageName: 'eibimage-output-telco.raw', baseImage: 'SL-Micro.x86_64-6.1-Base-GM.raw' },
      operatingSystem: {
        kernelArgs: ['ignition.platform.id=openstack', 'net.ifnames=1'],
        packages: { packageList: ['jq', 'dpdk', 'dpdk-tools', 'libdpdk-23', 'pf-bb-config'] },
      },
    });
  });

  test('the scripts are shared where the steps are the same', () => {
    for (const script of [
      'custom/scripts/01-fix-growfs.sh',
      'custom/scripts/03-performance.sh',
      'custom/scripts/04-sriov.sh',
      'network/configure-network.sh',
    ]) {
      expect(read(`eib/airgap/${script}`)).toBe(read(`eib/connected/${script}`));
    }
  });

  (HAS_BASH ? test : test.skip)('every script parses (bash -n)', () => {
    const scripts = walk(join(outdir, 'eib')).filter((f) => f.endsWith('.sh'));
    expect(scripts).toHaveLength(11);
    for (const script of scripts) expect([script, bashN(read(`eib/${script}`))]).toEqual([script, '']);
  });

  test('the air-gapped folder lists the RKE2 files of the seed tree and the preload lists of §42.3.2.7', () => {
    const external = read('eib/airgap/external-files.txt')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t')[0]);
    expect(external).toEqual([
      'base-images/SL-Micro.x86_64-6.1-Base-GM.raw',
      'custom/files/install.sh',
      'custom/files/rke2.linux-amd64.tar.gz',
      'custom/files/rke2-images-core.linux-amd64.tar.zst',
      'custom/files/rke2-images-cilium.linux-amd64.tar.zst',
      'custom/files/rke2-images-multus.linux-amd64.tar.zst',
      'custom/files/sha256sum-amd64.txt',
      'custom/files/performance-settings.sh',
      'custom/files/sriov-auto-filler.sh',
    ]);
    const entries = (path: string) =>
      read(path)
        .split('\n')
        .filter((l) => l && !l.startsWith('#'));
    expect(entries('eib/airgap/preload/helm-charts.txt')).toEqual([
      'edge/charts/sriov-crd:303.0.2+up1.5.0',
      'edge/charts/sriov-network-operator:303.0.2+up1.5.0',
    ]);
    expect(entries('eib/airgap/preload/images.txt')).toHaveLength(7);
    expect(entries('eib/airgap/preload/images.txt').every((l) => l.startsWith('rancher/hardened-'))).toBe(true);
    expect(statSync(join(outdir, 'eib/airgap/prepare-build.sh')).isFile()).toBe(true);
  });
});
