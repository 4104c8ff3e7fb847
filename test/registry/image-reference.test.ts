import * as fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { ImageReference, RegistryHost } from '../../lib/registry/image-reference';
import { RUNS, SEED } from '../arbitraries';

function parsesOrRefuses(f: () => unknown): boolean {
  try {
    f();
  } catch (e) {
    if (!(e instanceof BaremetalValidationError)) throw e;
  }
  return true;
}

/** Reference-like text: registry-ish, paths, tags, digests and the odd wrong character. */
const referenceLike = fc
  .array(
    fc.constantFrom(
      'quay.io',
      'registry.example.com:5000',
      'localhost',
      '[fd00::1]:5000',
      '/',
      ':',
      '@',
      'a',
      'A',
      'b-c',
      '_',
      '.',
      '..',
      'sha256:',
      'f'.repeat(64),
      'v4.19',
      'https://',
      ' ',
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('RegistryHost', () => {
  test('parses a host name with a port and renders the OpenShift trusted-CA key', () => {
    const r = RegistryHost.parse('registry.dns.base.domain.name:5000');
    expect(r).toMatchObject({ host: 'registry.dns.base.domain.name', port: 5000 });
    expect(r.toString()).toBe('registry.dns.base.domain.name:5000');
    expect(r.trustedCaKey).toBe('registry.dns.base.domain.name..5000');
  });

  test('accepts IPv4, bracketed IPv6 and a host without port', () => {
    expect(RegistryHost.parse('192.168.100.22:5000').toString()).toBe('192.168.100.22:5000');
    expect(RegistryHost.parse('[fd00::10]:5000').isIPv6).toBe(true);
    expect(RegistryHost.parse('registry.example.com').trustedCaKey).toBe('registry.example.com');
  });

  test('compares host names case-insensitively and ports exactly', () => {
    expect(
      RegistryHost.parse('Registry.Example.com:5000').equals(RegistryHost.parse('registry.example.com:5000')),
    ).toBe(true);
    expect(RegistryHost.parse('registry.example.com').equals(RegistryHost.parse('registry.example.com:443'))).toBe(
      false,
    );
  });

  test('fails when the registry carries a URL scheme', () => {
    expect(() => RegistryHost.parse('https://registry.example.com:5000')).toThrow(
      /\[RegistryHost.parse\] 'registry' carries a URL scheme \(got "https:\/\/registry.example.com:5000"\); write host\[:port\] only, such as "registry.example.com:5000"/,
    );
  });

  test('fails when the registry has a path', () => {
    expect(() => RegistryHost.parse('registry.example.com/openshift')).toThrow(/'registry' has a path/);
  });

  test('fails when the host is not a host name or address', () => {
    expect(() => RegistryHost.parse('registry_example.com')).toThrow(/'registry' is not a host name or IP address/);
    expect(() => RegistryHost.parse('[not-ipv6]:5000')).toThrow(/is not a host name or IP address/);
  });

  test('fails when the port is out of range or not a number', () => {
    expect(() => RegistryHost.parse('registry.example.com:70000')).toThrow(/'registry' has an invalid port/);
    expect(() => RegistryHost.parse('registry.example.com:http')).toThrow(/has an invalid port/);
  });

  test('fails when the registry is not a string', () => {
    expect(() => RegistryHost.parse(5000)).toThrow(/'registry' must be a string/);
  });
});

describe('ImageReference', () => {
  test('splits registry, path, tag and digest', () => {
    const r = ImageReference.parse(`quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64@${DIGEST}`);
    expect(r.registry.toString()).toBe('quay.io');
    expect(r).toMatchObject({ path: 'openshift-release-dev/ocp-release', tag: '4.19.0-x86_64', digest: DIGEST });
    expect(r.repository).toBe('quay.io/openshift-release-dev/ocp-release');
    expect(r.isDigest).toBe(true);
    expect(r.toString()).toBe(`quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64@${DIGEST}`);
  });

  test('reads a registry port apart from a tag', () => {
    const r = ImageReference.parse('registry.example.com:5000/openshift/release-images:4.19.0-x86_64');
    expect(r.registry.port).toBe(5000);
    expect(r).toMatchObject({ path: 'openshift/release-images', tag: '4.19.0-x86_64' });
  });

  test('accepts a registry alone as a repository prefix', () => {
    const r = ImageReference.parseRepository('registry.redhat.io');
    expect(r.path).toBe('');
    expect(r.repository).toBe('registry.redhat.io');
  });

  test('covers repositories below a prefix at a path boundary only', () => {
    const prefix = ImageReference.parseRepository('quay.io/openshift-release-dev');
    expect(prefix.covers(ImageReference.parse('quay.io/openshift-release-dev/ocp-release:4.19'))).toBe(true);
    expect(prefix.covers(ImageReference.parse('quay.io/openshift-release-dev'))).toBe(true);
    expect(prefix.covers(ImageReference.parse('quay.io/openshift-release-devel/x'))).toBe(false);
    expect(prefix.covers(ImageReference.parse('quay.example.io/openshift-release-dev/x'))).toBe(false);
    expect(ImageReference.parseRepository('docker.io').covers(ImageReference.parse('docker.io/library/nginx'))).toBe(
      true,
    );
  });

  test('rebases an image from a source onto its mirror, keeping tag and digest', () => {
    const image = ImageReference.parse(`quay.io/openshift-release-dev/ocp-release/sub:1@${DIGEST}`);
    const moved = image.rebase(
      ImageReference.parseRepository('quay.io/openshift-release-dev/ocp-release'),
      ImageReference.parseRepository('registry.example.com:5000/openshift/release-images'),
    );
    expect(moved.toString()).toBe(`registry.example.com:5000/openshift/release-images/sub:1@${DIGEST}`);
    const toRoot = ImageReference.parse('docker.io/library/nginx:1').rebase(
      ImageReference.parseRepository('docker.io/library'),
      ImageReference.parseRepository('registry.example.com'),
    );
    expect(toRoot.toString()).toBe('registry.example.com/nginx:1');
  });

  test('fails when a repository prefix carries a tag', () => {
    expect(() =>
      ImageReference.parseRepository('quay.io/openshift-release-dev/ocp-release:4.19', { path: 'x', prop: 'source' }),
    ).toThrow(
      /\[x\] 'source' is an image tag, not a repository prefix \(got "quay.io\/openshift-release-dev\/ocp-release:4.19"\); drop the ":…" tag/,
    );
  });

  test('fails when a repository prefix carries a digest', () => {
    expect(() => ImageReference.parseRepository(`quay.io/a/b@${DIGEST}`)).toThrow(
      /is an image digest, not a repository prefix/,
    );
  });

  test('fails when the registry host is missing', () => {
    expect(() => ImageReference.parse('rancher/hardened-sriov-cni:v2.8.1')).toThrow(
      /'reference' has no registry host \(got "rancher\/hardened-sriov-cni:v2.8.1"\); write the registry first, such as "docker.io\/rancher\/hardened-sriov-cni:v2.8.1"/,
    );
    expect(() => ImageReference.parse('ubuntu:22.04')).toThrow(/has no registry host/);
  });

  test('fails when the reference carries a transport or scheme', () => {
    expect(() => ImageReference.parse('docker://quay.io/a/b:1')).toThrow(/carries a transport or URL scheme/);
    expect(() => ImageReference.parse('oci:///tmp/catalog')).toThrow(/carries a transport or URL scheme/);
  });

  test('fails when the digest is malformed', () => {
    expect(() => ImageReference.parse('quay.io/a/b@sha256:abc')).toThrow(/has an invalid digest/);
  });

  test('fails when the tag is malformed', () => {
    expect(() => ImageReference.parse('quay.io/a/b:-bad')).toThrow(/has an invalid tag/);
  });

  test('fails when the path has upper case or empty components', () => {
    expect(() => ImageReference.parse('quay.io/OpenShift/x')).toThrow(/has an invalid repository path/);
    expect(() => ImageReference.parse('quay.io//x')).toThrow(/has an invalid repository path/);
  });

  test('fails when an image has neither tag nor digest, or names only a registry', () => {
    expect(() => ImageReference.parseImage('quay.io/a/b')).toThrow(/'image' has neither a tag nor a digest/);
    expect(() => ImageReference.parseImage('quay.io')).toThrow(/'image' names a registry, not an image/);
  });

  test('fails when the name is too long', () => {
    expect(() => ImageReference.parse(`quay.io/${'a'.repeat(250)}`)).toThrow(/is longer than 255 characters/);
  });

  test('fails when the reference contains white space', () => {
    expect(() => ImageReference.parse('quay.io/a b')).toThrow(/contains white space/);
  });

  describe('properties', () => {
    test('any value either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.anything(), referenceLike),
          (value) =>
            parsesOrRefuses(() => ImageReference.parse(value)) &&
            parsesOrRefuses(() => ImageReference.parseRepository(value)) &&
            parsesOrRefuses(() => ImageReference.parseImage(value)) &&
            parsesOrRefuses(() => RegistryHost.parse(value)),
        ),
        { numRuns: RUNS, seed: SEED },
      );
    });

    test('an accepted reference prints as itself and parses again to the same parts', () => {
      fc.assert(
        fc.property(referenceLike, (text) => {
          let ref: ImageReference;
          try {
            ref = ImageReference.parse(text);
          } catch (e) {
            if (e instanceof BaremetalValidationError) return true;
            throw e;
          }
          const again = ImageReference.parse(ref.toString());
          return ref.toString() === text && again.repository === ref.repository && again.tag === ref.tag;
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });

    test('a rebased image stays covered by the mirror it moved to', () => {
      const seg = fc.constantFrom('a', 'b', 'openshift', 'release-images', 'x.y');
      fc.assert(
        fc.property(
          fc.array(seg, { maxLength: 3 }),
          fc.array(seg, { minLength: 1, maxLength: 3 }),
          fc.array(seg, { maxLength: 3 }),
          (src, rest, dst) => {
            const source = ImageReference.parseRepository(['quay.io', ...src].join('/'));
            const mirror = ImageReference.parseRepository(['registry.example.com:5000', ...dst].join('/'));
            const image = ImageReference.parse(`${['quay.io', ...src, ...rest].join('/')}:v1`);
            const moved = image.rebase(source, mirror);
            return mirror.covers(moved) && moved.tag === 'v1' && moved.path.endsWith(rest.join('/'));
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    });
  });
});

describe('RegistryHost: port limits', () => {
  test('fails when the port is 0, one below the lowest port', () => {
    expect(() => RegistryHost.parse('registry.example.com:0')).toThrow(
      /'registry' has an invalid port \(got "registry.example.com:0"\); use a port from 1 to 65535/,
    );
    expect(() => RegistryHost.parse('[fd00::10]:0')).toThrow(/'registry' has an invalid port/);
  });

  test('fails when the port is 65536, one above the highest port', () => {
    expect(() => RegistryHost.parse('registry.example.com:65536')).toThrow(/'registry' has an invalid port/);
  });

  test('accepts ports 1 and 65535', () => {
    expect(RegistryHost.parse('registry.example.com:1').port).toBe(1);
    expect(RegistryHost.parse('registry.example.com:65535').port).toBe(65535);
    expect(RegistryHost.parse('[fd00::10]:1').toString()).toBe('[fd00::10]:1');
  });

  test('fails when the port has six digits, even with leading zeros', () => {
    expect(() => RegistryHost.parse('registry.example.com:005000')).toThrow(/'registry' has an invalid port/);
  });
});
