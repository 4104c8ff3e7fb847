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

describe('RegistryHost: limits and messages', () => {
  /** A host name of exactly `n` characters, in labels of at most 63. */
  function hostOfLength(n: number): string {
    const labels: string[] = [];
    let left = n;
    while (left > 0) {
      const size = Math.min(63, left);
      labels.push('a'.repeat(size));
      left -= size + 1;
    }
    return labels.join('.');
  }

  test('accepts a host name of 253 characters and refuses 254', () => {
    expect(hostOfLength(253)).toHaveLength(253);
    expect(RegistryHost.parse(hostOfLength(253)).host).toHaveLength(253);
    expect(hostOfLength(254)).toHaveLength(254);
    expect(() => RegistryHost.parse(hostOfLength(254))).toThrow(/'registry' is not a host name or IP address/);
  });

  test('accepts a label of 63 characters and refuses 64', () => {
    expect(RegistryHost.parse(`${'a'.repeat(63)}.example.com`).host).toBe(`${'a'.repeat(63)}.example.com`);
    expect(() => RegistryHost.parse(`${'a'.repeat(64)}.example.com`)).toThrow(
      /'registry' is not a host name or IP address .*; use a DNS name such as "registry\.example\.com", an IPv4 address, or an IPv6 address in brackets$/,
    );
  });

  test('accepts one-character labels, but not a label that is only "-"', () => {
    expect(RegistryHost.parse('a.b.io').host).toBe('a.b.io');
    expect(() => RegistryHost.parse('a.-.io')).toThrow(/'registry' is not a host name or IP address/);
  });

  test('fails when the host is empty before the port', () => {
    expect(() => RegistryHost.parse(':5000')).toThrow(/'registry' is not a host name or IP address/);
  });

  test('fails when there is a second colon, and says to bracket IPv6', () => {
    expect(() => RegistryHost.parse('registry.example.com:50:00')).toThrow(
      /'registry' is not host\[:port\] .*; write an IPv6 address in brackets, such as "\[fd00::10\]:5000"$/,
    );
  });

  test('tells a scheme at the start from "://" further in', () => {
    expect(() => RegistryHost.parse('1http://x')).toThrow(/'registry' has a path/);
  });

  test('shows the host to keep when the registry has a path', () => {
    expect(() => RegistryHost.parse('registry.example.com:5000/openshift')).toThrow(
      /'registry' has a path .*; write host\[:port\] only \("registry\.example\.com:5000"\); paths belong in the mirror locations$/,
    );
  });

  test('says what to pass when the registry is not a string', () => {
    expect(() => RegistryHost.parse(5000)).toThrow(
      /'registry' must be a string .*; pass host\[:port\] such as "registry\.example\.com:5000"$/,
    );
  });

  test('isIPv6 is true only for a bracketed address', () => {
    expect(RegistryHost.parse('[fd00::10]').isIPv6).toBe(true);
    expect(RegistryHost.parse('registry.example.com').isIPv6).toBe(false);
    expect(RegistryHost.parse('10.0.0.1:5000').isIPv6).toBe(false);
  });
});

describe('ImageReference: limits and messages', () => {
  test('names the factory and prop by default', () => {
    expect(() => ImageReference.parse('ubuntu')).toThrow(/^\[ImageReference\.parse\] 'reference' /);
    expect(() => ImageReference.parseRepository('ubuntu')).toThrow(
      /^\[ImageReference\.parseRepository\] 'repository' /,
    );
    expect(() => ImageReference.parseImage('ubuntu')).toThrow(/^\[ImageReference\.parseImage\] 'image' /);
  });

  test('gives an example of the form asked for', () => {
    expect(() => ImageReference.parseRepository(42)).toThrow(
      /'repository' must be a string .*; pass a fully qualified reference such as "quay\.io\/openshift-release-dev\/ocp-release"$/,
    );
    expect(() => ImageReference.parse(42)).toThrow(
      /'reference' must be a string .*; pass a fully qualified reference such as "registry\.redhat\.io\/redhat\/redhat-operator-index:v4\.19"$/,
    );
    expect(() => ImageReference.parseImage('quay.io/a b:1')).toThrow(
      /'image' contains white space .*; write the reference alone, such as "registry\.redhat\.io\/redhat\/redhat-operator-index:v4\.19"$/,
    );
  });

  test.each(['https://quay.io/a/b:1', 'dir:/tmp/catalog', 'file:catalog'])(
    'fails when %s carries a transport or URL scheme',
    (value) => {
      expect(() => ImageReference.parseRepository(value)).toThrow(
        /'repository' carries a transport or URL scheme .*; write the reference without it, such as "quay\.io\/openshift-release-dev\/ocp-release"$/,
      );
    },
  );

  test('accepts repositories named like a transport further down the path', () => {
    expect(ImageReference.parse('quay.io/team/dir:1').path).toBe('team/dir');
    expect(ImageReference.parse('quay.io/team/docker:1').tag).toBe('1');
  });

  test('isDigest is false for a reference pinned by tag only', () => {
    expect(ImageReference.parse('quay.io/a/b:1').isDigest).toBe(false);
    expect(ImageReference.parse(`quay.io/a/b@${DIGEST}`).isDigest).toBe(true);
  });

  test('equals compares the whole text', () => {
    const a = ImageReference.parse('quay.io/a/b:1');
    expect(a.equals(ImageReference.parse('quay.io/a/b:1'))).toBe(true);
    expect(a.equals(ImageReference.parse('quay.io/a/b:2'))).toBe(false);
  });

  test('rebase fails when the source prefix does not cover the image', () => {
    const image = ImageReference.parse('quay.io/a/b:1');
    expect(() =>
      image.rebase(
        ImageReference.parseRepository('docker.io/a'),
        ImageReference.parseRepository('registry.example.com'),
      ),
    ).toThrow(
      /^\[ImageReference\.rebase\] 'from' does not cover quay\.io\/a\/b \(got "docker\.io\/a"\); rebase only images under the prefix, as covers\(\) tells$/,
    );
  });

  test('reads a bracketed first component as a registry, and refuses it when it is no IPv6 address', () => {
    expect(() => ImageReference.parse('[abc]/a:1')).toThrow(/'reference' is not a host name or IP address/);
  });

  test('looks for a scheme only at the start', () => {
    expect(() => ImageReference.parse('quay.io/a/b:x://y')).toThrow(/'reference' has an invalid tag/);
  });

  test('accepts localhost as a registry', () => {
    expect(ImageReference.parse('localhost/a/b:1').registry.host).toBe('localhost');
  });

  test('fails when the reference starts with "/", as it has no registry', () => {
    expect(() => ImageReference.parse('/a/b:1')).toThrow(/'reference' has no registry host/);
  });

  test('asks for a registry and a repository when a name alone is given', () => {
    expect(() => ImageReference.parse('ubuntu')).toThrow(
      /'reference' has no registry host \(got "ubuntu"\); write the registry and repository, such as/,
    );
  });

  test('accepts a bracketed IPv6 registry with hex letters alone as a repository prefix', () => {
    expect(ImageReference.parseRepository('[fd00:abcd::1]:5000').registry.toString()).toBe('[fd00:abcd::1]:5000');
  });

  test.each([
    [`sha384:${'a'.repeat(96)}`, true],
    [`sha512:${'b'.repeat(128)}`, true],
    [`sha256:${'a'.repeat(64)}`, true],
    [`sha256:${'a'.repeat(63)}`, false],
    [`sha256:${'a'.repeat(65)}`, false],
    [`xsha256:${'a'.repeat(64)}`, false],
    [`sha384:${'a'.repeat(95)}`, false],
    [`sha512:${'b'.repeat(127)}`, false],
    [`sha256:${'A'.repeat(64)}`, false],
  ])('digest %s is accepted: %p', (digest, ok) => {
    const parse = () => ImageReference.parse(`quay.io/a/b@${digest}`);
    if (ok) expect(parse().digest).toBe(digest);
    else
      expect(parse).toThrow(
        /'reference' has an invalid digest .*; write the digest as "@sha256:" followed by 64 lower-case hex digits$/,
      );
  });

  test('accepts a tag of 128 characters and refuses 129, or one with a character outside [A-Za-z0-9_.-]', () => {
    expect(ImageReference.parse(`quay.io/a/b:${'t'.repeat(128)}`).tag).toHaveLength(128);
    for (const tag of ['t'.repeat(129), 'v1!', '.v1']) {
      expect(() => ImageReference.parse(`quay.io/a/b:${tag}`)).toThrow(
        /'reference' has an invalid tag .*; use at most 128 letters, digits, "_", "\." and "-", not starting with "\." or "-"$/,
      );
    }
  });

  test('accepts path components joined by several dashes, and refuses one ending in a separator', () => {
    expect(ImageReference.parse('quay.io/a--b/c__d:1').path).toBe('a--b/c__d');
    for (const ref of ['quay.io/a/b-:1', 'quay.io/a_/b:1', 'quay.io/a/b___c:1']) {
      expect(() => ImageReference.parse(ref)).toThrow(
        /'reference' has an invalid repository path .*; use lower-case path components of letters and digits separated by "\/", joined inside by "\.", "_", "__" or "-"$/,
      );
    }
  });

  test('accepts a name of 255 characters and refuses 256', () => {
    // 'quay.io/' is 8 characters
    expect(ImageReference.parse(`quay.io/${'a'.repeat(247)}:1`).repository).toHaveLength(255);
    expect(() => ImageReference.parse(`quay.io/${'a'.repeat(248)}:1`)).toThrow(
      /'reference' is longer than 255 characters .*; use a shorter repository name$/,
    );
  });

  test('accepts a registry of 253 characters alone as a repository prefix', () => {
    const host = ['a', 'b', 'c'].map((c) => c.repeat(63)).join('.') + `.${'d'.repeat(61)}`;
    expect(host).toHaveLength(253);
    expect(ImageReference.parseRepository(host).repository).toBe(host);
  });

  test('shows the repository to keep when a prefix carries a digest', () => {
    expect(() => ImageReference.parseRepository(`quay.io/a/b@${DIGEST}`)).toThrow(
      /'repository' is an image digest, not a repository prefix .*; drop the "@…" digest: mirrors apply to whole repositories, such as "quay\.io\/a\/b"$/,
    );
    expect(() => ImageReference.parseRepository(`quay.io@${DIGEST}`)).toThrow(
      /'repository' is an image digest, not a repository prefix .*such as "quay\.io"$/,
    );
  });

  test('fails when an image is a registry with a digest but no repository', () => {
    expect(() => ImageReference.parseImage(`quay.io@${DIGEST}`)).toThrow(
      /'image' names a registry, not an image .*; name one image with a tag \(":v4\.19"\) or, better, a digest \("@sha256:…"\)$/,
    );
  });
});
