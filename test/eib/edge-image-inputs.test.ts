import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  checkFileName,
  checkImageFileName,
  checkImageList,
  checkImageReference,
  checkKernelArguments,
  checkUnitList,
  claimImageFolder,
} from '../../lib/eib/edge-image-inputs';
import { at } from '../../lib/private/errors';

const where = { path: 'site/Image', prop: 'x' };

describe('EdgeImageDefinition input checks', () => {
  test('kernel arguments: the Metal3 ones first, then the given ones', () => {
    expect(checkKernelArguments(['console=ttyS0,115200'], false, where)).toEqual([
      'ignition.platform.id=openstack',
      'net.ifnames=0',
      'console=ttyS0,115200',
    ]);
  });

  test('fails when a kernel argument contradicts predictable NIC names', () => {
    expect(() => checkKernelArguments(['net.ifnames=0'], true, where)).toThrow(
      /\[site\/Image\] 'x\[0\]' contradicts predictableNicNames: true \(net.ifnames=1\)/,
    );
  });

  test('image references keep their tag or digest; short names stay short', () => {
    expect(checkImageReference('rancher/hardened-sriov-cni:v2.8.1-build20240820', where)).toBe(
      'rancher/hardened-sriov-cni:v2.8.1-build20240820',
    );
    expect(checkImageReference('192.168.100.22:5000/rancher/x@sha256:' + 'a'.repeat(64), where)).toMatch(/^192/);
  });

  test('fails when an image has neither tag nor digest, or is listed twice', () => {
    expect(() => checkImageReference('rancher/x', where)).toThrow(/'x' has neither a tag nor a digest/);
    expect(() => checkImageList(['a/b:1', 'a/b:1'], where)).toThrow(/'x' lists an image twice \(got "a\/b:1"\)/);
  });

  test('fails when a unit is listed twice', () => {
    expect(() => checkUnitList(['fstrim', 'fstrim'], where)).toThrow(/'x' lists a unit twice/);
  });

  test('file names are plain names, no folders', () => {
    expect(checkFileName('performance-settings.sh', where, 'a file name such as "a.sh"')).toBe(
      'performance-settings.sh',
    );
    expect(() => checkFileName('../etc/passwd', where, 'a file name such as "a.sh"')).toThrow(
      '[site/Image] \'x\' is not a plain file name (got "../etc/passwd"); use letters, digits, ".", "_", "+" and "-", no folders: a file name such as "a.sh"',
    );
  });

  test('image file names carry the extension of their type and no other architecture', () => {
    expect(checkImageFileName('base.img', 'raw', 'x86_64', where, 'b.raw')).toBe('base.img');
    expect(checkImageFileName('SL-Micro.iso', 'iso', 'x86_64', where, 'b.iso')).toBe('SL-Micro.iso');
    expect(() => checkImageFileName('SL-Micro.iso', 'raw', 'x86_64', where, 'b.raw')).toThrow(
      /'x' does not end in \.raw or \.img, as a raw image does \(got "SL-Micro\.iso"\); use the \.raw file/,
    );
    expect(() => checkImageFileName('b.raw', 'iso', 'x86_64', where, 'b.iso')).toThrow(
      /'x' does not end in \.iso, as an iso image does .*; use the \.iso file, or set imageType/,
    );
    expect(() => checkImageFileName('SL-Micro.aarch64.raw', 'raw', 'x86_64', where, 'b.raw')).toThrow(
      /'x' names the aarch64 architecture but the image is x86_64/,
    );
  });

  test('an image folder defaults to eib/<chart id>, and a given one is a plain relative folder', () => {
    const chart = new Chart(Testing.app(), 'edge-01');
    const image = new Construct(chart, 'Image');
    expect(claimImageFolder(undefined, image, at(image, 'dir'))).toBe('eib/edge-01');
    expect(claimImageFolder('eib/other/', image, at(image, 'dir'))).toBe('eib/other');
    for (const dir of ['../eib', '/eib', 'eib/../x', '.']) {
      expect(() => claimImageFolder(dir, image, at(image, 'dir'))).toThrow(/'dir' is not a plain relative folder/);
    }
  });

  test('fails when two images share a folder', () => {
    const chart = new Chart(Testing.app(), 'edge-01');
    const [a, b] = [new Construct(chart, 'A'), new Construct(chart, 'B')];
    claimImageFolder(undefined, a, at(a, 'dir'));
    expect(() => claimImageFolder(undefined, b, at(b, 'dir'))).toThrow(
      '[edge-01/B] \'dir\' is also the folder of [edge-01/A] (got "eib/edge-01"); give each image its own dir',
    );
  });

  test('fails when there is no chart for the default folder', () => {
    const image = new Construct(Testing.app(), 'Image');
    expect(() => claimImageFolder(undefined, image, at(image, 'dir'))).toThrow(
      /\[Image\] 'dir' has no default outside a Chart/,
    );
  });
});
