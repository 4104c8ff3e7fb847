import {
  checkImageList,
  checkImageReference,
  checkKernelArguments,
  checkUnitList,
} from '../../lib/eib/edge-image-inputs';

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
});
