import {
  RKE2_AGENT_IMAGES_DIR,
  RKE2_ARTIFACTS_DIR,
  RKE2_INSTALLER_PATH,
  Rke2AirGapArtifacts,
} from '../../lib/eib/rke2-airgap-artifacts';
import { Rke2Version } from '../../lib/rke2/rke2-version';

const RELEASE = 'https://github.com/rancher/rke2/releases/download/v1.32.4%2Brke2r1';

describe('Rke2AirGapArtifacts', () => {
  test('an x86_64 Cilium cluster needs the installer, tarball, core and Cilium images and checksums', () => {
    // GIVEN / WHEN
    const artifacts = Rke2AirGapArtifacts.forRelease('v1.32.4+rke2r1');
    // THEN
    expect(artifacts.version.toString()).toBe('v1.32.4+rke2r1');
    expect(artifacts.arch).toBe('x86_64');
    expect(artifacts.all).toEqual([
      { fileName: 'install.sh', url: 'https://raw.githubusercontent.com/rancher/rke2/v1.32.4%2Brke2r1/install.sh' },
      { fileName: 'rke2.linux-amd64.tar.gz', url: `${RELEASE}/rke2.linux-amd64.tar.gz` },
      { fileName: 'rke2-images-core.linux-amd64.tar.zst', url: `${RELEASE}/rke2-images-core.linux-amd64.tar.zst` },
      { fileName: 'rke2-images-cilium.linux-amd64.tar.zst', url: `${RELEASE}/rke2-images-cilium.linux-amd64.tar.zst` },
      { fileName: 'sha256sum-amd64.txt', url: `${RELEASE}/sha256sum-amd64.txt` },
    ]);
    expect(artifacts.checksummed.map((a) => a.fileName)).toEqual([
      'rke2.linux-amd64.tar.gz',
      'rke2-images-core.linux-amd64.tar.zst',
      'rke2-images-cilium.linux-amd64.tar.zst',
    ]);
  });

  test('an aarch64 Canal cluster with Multus gets the arm64 files of its plugins', () => {
    const artifacts = Rke2AirGapArtifacts.forRelease(Rke2Version.parse('v1.31.7+rke2r1'), {
      arch: 'aarch64',
      cni: { plugin: 'canal', multus: true },
    });
    expect(artifacts.images.map((a) => a.fileName)).toEqual([
      'rke2-images-core.linux-arm64.tar.zst',
      'rke2-images-canal.linux-arm64.tar.zst',
      'rke2-images-multus.linux-arm64.tar.zst',
    ]);
    expect(artifacts.tarball.fileName).toBe('rke2.linux-arm64.tar.gz');
    expect(artifacts.checksums.fileName).toBe('sha256sum-arm64.txt');
  });

  test('a cluster without a CNI gets the core images only', () => {
    expect(
      Rke2AirGapArtifacts.forRelease('v1.32.4+rke2r1', { cni: { plugin: 'none' } }).images.map((a) => a.fileName),
    ).toEqual(['rke2-images-core.linux-amd64.tar.zst']);
  });

  test('names the paths the RKE2 bootstrap provider and RKE2 read', () => {
    expect([RKE2_INSTALLER_PATH, RKE2_ARTIFACTS_DIR, RKE2_AGENT_IMAGES_DIR]).toEqual([
      '/opt/install.sh',
      '/opt/rke2-artifacts',
      '/var/lib/rancher/rke2/agent/images',
    ]);
  });

  test('fails when the version is not an RKE2 release', () => {
    expect(() => Rke2AirGapArtifacts.forRelease('v1.32.4')).toThrow(
      /^\[Rke2AirGapArtifacts\.forRelease\] 'version' is a Kubernetes version without the "\+rke2rN" release/,
    );
  });

  test('fails when the architecture is unknown', () => {
    expect(() => Rke2AirGapArtifacts.forRelease('v1.32.4+rke2r1', { arch: 'arm' as never })).toThrow(
      /'options\.arch' is not an architecture RKE2 and Edge Image Builder share \(got "arm"\)/,
    );
  });

  test('fails when the CNI plugin is unknown, naming the given place', () => {
    expect(() =>
      Rke2AirGapArtifacts.forRelease(
        'v1.32.4+rke2r1',
        { cni: { plugin: 'weave' as never } },
        { path: 'site/Image', prop: 'airGap' },
      ),
    ).toThrow(/^\[site\/Image\] 'airGap\.cni\.plugin' is not a CNI plugin RKE2 ships \(got "weave"\)/);
  });

  test('fails when multus is not a boolean', () => {
    expect(() => Rke2AirGapArtifacts.forRelease('v1.32.4+rke2r1', { cni: { multus: 'yes' as never } })).toThrow(
      /'options\.cni\.multus' must be true or false/,
    );
  });

  test('fails when Multus has no primary plugin', () => {
    expect(() => Rke2AirGapArtifacts.forRelease('v1.32.4+rke2r1', { cni: { plugin: 'none', multus: true } })).toThrow(
      /'options\.cni\.multus' needs a primary CNI plugin/,
    );
  });
});
