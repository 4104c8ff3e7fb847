import { archesNamedIn, checkArchOfName, goArchOf } from '../../lib/eib/image-arch';

const WHERE = { path: 'site/Image', prop: 'baseImage' };

describe('archesNamedIn', () => {
  test.each([
    ['SL-Micro.x86_64-6.1-Base-GM.raw', ['x86_64']],
    ['SL-Micro.aarch64-6.1-Base-GM.raw', ['aarch64']],
    ['rke2.linux-amd64.tar.gz', ['x86_64']],
    ['rke2.linux-arm64.tar.gz', ['aarch64']],
    ['http://imagecache.local:8080/arm64/eib.raw', ['aarch64']],
    ['image-X86-64.raw', ['x86_64']],
    ['SL-Micro.AARCH64.raw', ['aarch64']],
    ['eibimage-output-telco.raw', []],
    ['charm64.raw', []],
    ['x86_64a.raw', []],
    ['multiarch-x86_64-aarch64.raw', ['x86_64', 'aarch64']],
  ])('%s names %j', (name, arches) => {
    expect(archesNamedIn(name)).toEqual(arches);
  });
});

describe('goArchOf', () => {
  test('gives the names RKE2 artifacts use', () => {
    expect(goArchOf('x86_64')).toBe('amd64');
    expect(goArchOf('aarch64')).toBe('arm64');
  });
});

describe('checkArchOfName', () => {
  test('passes names of the same architecture, of none, and of both', () => {
    expect(() => checkArchOfName('SL-Micro.x86_64-6.1-Base-GM.raw', 'x86_64', WHERE)).not.toThrow();
    expect(() => checkArchOfName('eibimage-output-telco.raw', 'aarch64', WHERE)).not.toThrow();
    expect(() => checkArchOfName('multiarch-x86_64-aarch64.raw', 'aarch64', WHERE)).not.toThrow();
  });

  test('fails when a name names only the other architecture', () => {
    expect(() => checkArchOfName('SL-Micro.aarch64-6.1-Base-GM.raw', 'x86_64', WHERE)).toThrow(
      "[site/Image] 'baseImage' names the aarch64 architecture but the image is x86_64 (got \"SL-Micro.aarch64-6.1-Base-GM.raw\"); use the x86_64 file, or set arch to 'aarch64' (Edge Image Builder cannot cross-build)",
    );
    expect(() => checkArchOfName('http://cache/amd64/eib.raw', 'aarch64', WHERE)).toThrow(
      /names the x86_64 architecture but the image is aarch64/,
    );
  });
});
