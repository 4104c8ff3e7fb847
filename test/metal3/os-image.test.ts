import * as fc from 'fast-check';
import { BareMetalHostSpecImageChecksumType } from '../../imports/baremetalhosts-metal3.io';
import {
  Metal3MachineTemplateSpecTemplateSpecImageChecksumType,
  Metal3MachineTemplateSpecTemplateSpecImageFormat,
} from '../../imports/metal3machinetemplates-infrastructure.cluster.x-k8s.io';
import { BaremetalValidationError } from '../../lib/errors';
import { CHECKSUM_TYPES, IMAGE_FORMATS, OsImage, OsImageOptions } from '../../lib/metal3/os-image';

function parsesOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof BaremetalValidationError;
  }
}

const SEED_URL = 'http://imagecache.local:8080/eibimage-output-telco.raw';
const hexDigest = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${length}}$`));

describe('OsImage', () => {
  describe('fromUrl', () => {
    test('derives the seed checksum URL, sha256 and raw from the image URL', () => {
      // WHEN
      const image = OsImage.fromUrl(SEED_URL, { checksumType: 'sha256' });
      // THEN
      expect(image.toMetal3()).toEqual({
        url: SEED_URL,
        checksum: 'http://imagecache.local:8080/eibimage-output-telco.raw.sha256',
        checksumType: 'sha256',
        format: 'raw',
      });
      expect(image).toMatchObject({ url: SEED_URL, checksumType: 'sha256', format: 'raw' });
    });

    test('defaults the checksum type to sha256', () => {
      expect(OsImage.fromUrl(SEED_URL).checksumType).toBe('sha256');
    });

    test('derives the default checksum URL from the checksum type', () => {
      expect(OsImage.fromUrl('https://images.example/os.qcow2', { checksumType: 'sha512' }).checksum).toBe(
        'https://images.example/os.qcow2.sha512',
      );
    });

    test.each([
      ['http://h/os.raw', 'raw'],
      ['http://h/os.img', 'raw'],
      ['http://h/os.IMG', 'raw'],
      ['http://h/os.qcow2', 'qcow2'],
      ['http://h/dir.v2/os.QCOW2?token=abc#top', 'qcow2'],
      ['http://h/live.iso', 'live-iso'],
      ['http://h/os.vmdk', 'vmdk'],
      ['http://h/os.vdi', 'vdi'],
    ])('derives the format of %s as %s', (url, format) => {
      expect(OsImage.fromUrl(url).format).toBe(format);
    });

    test('an explicit format wins over the extension', () => {
      expect(OsImage.fromUrl('http://h/os.img', { format: 'qcow2' }).format).toBe('qcow2');
      expect(OsImage.fromUrl('http://h/image', { format: 'raw' }).format).toBe('raw');
    });

    test('takes a checksum file URL as it is', () => {
      const image = OsImage.fromUrl('http://h/os.raw', { checksum: 'https://h/SHA256SUMS' });
      expect(image.checksum).toBe('https://h/SHA256SUMS');
    });

    test.each([
      ['md5', 32],
      ['sha256', 64],
      ['sha512', 128],
    ] as const)('takes a %s hex digest of %i digits and stores it lower case', (checksumType, length) => {
      // GIVEN
      const digest = 'AB'.repeat(length / 2);
      // WHEN
      const image = OsImage.fromUrl('http://h/os.raw', { checksum: digest, checksumType });
      // THEN
      expect(image.checksum).toBe('ab'.repeat(length / 2));
      expect(image.checksumType).toBe(checksumType);
    });

    test('accepts only checksum types and formats of the Metal3MachineTemplate CRD (checksumType also of BareMetalHost)', () => {
      const bmhTypes: string[] = Object.values(BareMetalHostSpecImageChecksumType);
      expect([...CHECKSUM_TYPES].sort()).toEqual(
        Object.values(Metal3MachineTemplateSpecTemplateSpecImageChecksumType).sort(),
      );
      expect(CHECKSUM_TYPES.every((t) => bmhTypes.includes(t))).toBe(true);
      expect([...IMAGE_FORMATS].sort()).toEqual(Object.values(Metal3MachineTemplateSpecTemplateSpecImageFormat).sort());
    });

    test.each([42, null, undefined, {}])('fails when the url is not a string (%p)', (url) => {
      expect(() => OsImage.fromUrl(url as never)).toThrow(/^\[OsImage\.fromUrl\] 'url' must be a string/);
    });

    test('fails when the url is empty', () => {
      expect(() => OsImage.fromUrl('')).toThrow(/'url' must not be empty/);
    });

    test('fails when the url has whitespace', () => {
      expect(() => OsImage.fromUrl('http://h/my os.raw')).toThrow(/'url' contains whitespace/);
    });

    test('fails when the url has no scheme, and shows the full URL to write', () => {
      expect(() => OsImage.fromUrl('imagecache.local:8080/os.raw')).toThrow(
        /'url' has no http:\/\/ or https:\/\/ scheme .*"http:\/\/imagecache\.local:8080\/os\.raw"/,
      );
    });

    test.each(['ftp://h/os.raw', 'file:///srv/os.raw', 's3://bucket/os.raw'])(
      'fails when %s is not served over http(s)',
      (url) => {
        expect(() => OsImage.fromUrl(url)).toThrow(/'url' uses the \w+ scheme .*serve it over http or https/);
      },
    );

    test('fails when the url is not a URL', () => {
      expect(() => OsImage.fromUrl('http://[::1/os.raw')).toThrow(/'url' is not an absolute URL/);
    });

    test('fails when the url embeds credentials, without showing them', () => {
      // WHEN
      const build = () => OsImage.fromUrl('http://admin:s3cret@h/os.raw');
      // THEN
      expect(build).toThrow(/'url' embeds credentials \(got <redacted>\)/);
      expect(build).not.toThrow(/s3cret/);
    });

    test('fails when the format cannot be derived, and names the option to set', () => {
      expect(() => OsImage.fromUrl('http://h/os.raw.gz')).toThrow(
        /'url' has no file extension that tells the image format .*pass options\.format \(one of raw, qcow2, vdi, vmdk, live-iso\)/,
      );
      expect(() => OsImage.fromUrl('http://h/')).toThrow(/'url' has no file extension/);
    });

    test('fails when the format is unknown', () => {
      expect(() => OsImage.fromUrl('http://h/os.raw', { format: 'iso' as never })).toThrow(
        /^\[OsImage\.fromUrl\] 'options\.format' is not an image format Metal3 knows \(got "iso"\); use one of raw, qcow2, vdi, vmdk, live-iso/,
      );
    });

    test('fails when the checksum type is auto, which Metal3MachineTemplate refuses', () => {
      expect(() => OsImage.fromUrl('http://h/os.raw', { checksumType: 'auto' as never })).toThrow(
        /'options\.checksumType' is not a checksum type Metal3 machine templates accept \(got "auto"\); use one of md5, sha256, sha512/,
      );
    });

    test('fails when a digest does not match the checksum type, and names the type that matches', () => {
      expect(() => OsImage.fromUrl('http://h/os.raw', { checksum: 'a'.repeat(32) })).toThrow(
        /'options\.checksum' has 32 hex digits but a sha256 digest has 64 .*set checksumType to 'md5'/,
      );
      expect(() => OsImage.fromUrl('http://h/os.raw', { checksum: 'a'.repeat(40) })).toThrow(
        /'options\.checksum' has 40 hex digits but a sha256 digest has 64 .*pass the URL of the checksum file or the 64-digit sha256 hex digest/,
      );
    });

    test.each(['sha256:abc', 'file:///srv/os.raw.sha256', 'not a digest', ''])(
      'fails when checksum %p is neither a URL nor a digest',
      (checksum) => {
        expect(() => OsImage.fromUrl('http://h/os.raw', { checksum })).toThrow(
          /'options\.checksum' is neither an http\(s\) URL nor a hex digest/,
        );
      },
    );

    test('fails when the checksum URL is not a valid http(s) URL', () => {
      expect(() => OsImage.fromUrl('http://h/os.raw', { checksum: 'http://' })).toThrow(
        /'options\.checksum' is not an absolute URL/,
      );
    });

    test('fails when the options are not an object', () => {
      expect(() => OsImage.fromUrl('http://h/os.raw', 'sha256' as never)).toThrow(/'options' must be an object/);
    });
  });

  describe('properties', () => {
    test('any url value either builds an image or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), fc.webUrl(), fc.string()), (url) =>
          parsesOrRefuses(() => OsImage.fromUrl(url as string)),
        ),
        { numRuns: 200 },
      );
    });

    test('any options value either builds an image or throws BaremetalValidationError', () => {
      const options = fc.oneof(
        fc.anything(),
        fc.record(
          {
            checksum: fc.oneof(fc.string(), fc.anything()),
            checksumType: fc.oneof(fc.constantFrom(...CHECKSUM_TYPES), fc.anything()),
            format: fc.anything(),
          },
          { requiredKeys: [] },
        ),
      );
      fc.assert(
        fc.property(options, (opts) =>
          parsesOrRefuses(() => OsImage.fromUrl('http://h/os.raw', opts as OsImageOptions)),
        ),
        { numRuns: 200 },
      );
    });

    test('a digest of the right length for its type is accepted and normalised to lower case', () => {
      const typed = fc
        .constantFrom(...CHECKSUM_TYPES)
        .chain((t) => hexDigest({ md5: 32, sha256: 64, sha512: 128 }[t]).map((d) => [t, d] as const));
      fc.assert(
        fc.property(typed, ([checksumType, digest]) => {
          const image = OsImage.fromUrl('https://h/os.qcow2', { checksum: digest, checksumType });
          return image.checksum === digest.toLowerCase() && image.toMetal3().checksumType === checksumType;
        }),
        { numRuns: 200 },
      );
    });
  });
});
