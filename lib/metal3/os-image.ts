import { At, child, expectObject, expectString, fail, redacted } from '../private/errors';

/**
 * Checksum algorithms that both BareMetalHost and Metal3MachineTemplate accept for
 * `spec.image.checksumType`. (BareMetalHost also knows `auto`, which the Metal3MachineTemplate
 * CRD refuses, so it is not offered here.)
 */
export const CHECKSUM_TYPES = ['md5', 'sha256', 'sha512'] as const;

/** A checksum algorithm for `spec.image.checksumType`: `md5`, `sha256` or `sha512`. */
export type ChecksumType = (typeof CHECKSUM_TYPES)[number];

/** Disk image formats of `spec.image.format` in BareMetalHost and Metal3MachineTemplate. */
export const IMAGE_FORMATS = ['raw', 'qcow2', 'vdi', 'vmdk', 'live-iso'] as const;

/** A disk image format for `spec.image.format`: `raw`, `qcow2`, `vdi`, `vmdk` or `live-iso`. */
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Options of {@link OsImage.fromUrl}. */
export interface OsImageOptions {
  /**
   * The checksum of the image: an http(s) URL of a checksum file, or the hex digest itself
   * (32 digits for md5, 64 for sha256, 128 for sha512).
   *
   * @default - `<url>.<checksumType>`, e.g. `http://imagecache.local:8080/os.raw.sha256`
   */
  readonly checksum?: string;
  /**
   * The algorithm of `checksum`.
   *
   * @default 'sha256'
   */
  readonly checksumType?: ChecksumType;
  /**
   * The disk format of the image. Given explicitly, it wins over the file extension.
   *
   * @default - derived from the extension of the URL's file name: `.raw` and `.img` → `raw`,
   * `.qcow2` → `qcow2`, `.iso` → `live-iso`, `.vmdk` → `vmdk`, `.vdi` → `vdi`
   */
  readonly format?: ImageFormat;
}

/** The `spec.template.spec.image` of a Metal3MachineTemplate. */
export interface OsImageSpec {
  /** URL Ironic downloads the image from. */
  readonly url: string;
  /** Checksum file URL or hex digest. */
  readonly checksum: string;
  /** Algorithm of `checksum`. */
  readonly checksumType: ChecksumType;
  /** Disk format of the image. */
  readonly format: ImageFormat;
}

const DIGEST_LENGTH: Record<ChecksumType, number> = { md5: 32, sha256: 64, sha512: 128 };

const FORMAT_BY_EXTENSION = new Map<string, ImageFormat>([
  ['raw', 'raw'],
  ['img', 'raw'],
  ['qcow2', 'qcow2'],
  ['iso', 'live-iso'],
  ['vmdk', 'vmdk'],
  ['vdi', 'vdi'],
]);

const FROM_URL = 'OsImage.fromUrl';
const URL_EXAMPLE = '"http://imagecache.local:8080/os.raw"';

/**
 * The operating-system image Metal3 writes to a host's disk: where Ironic downloads it, how to
 * check it, and its disk format.
 */
export class OsImage {
  /**
   * An image served over http or https.
   *
   * ```ts
   * OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw', { checksumType: 'sha256' });
   * // checksum http://imagecache.local:8080/eibimage-output-telco.raw.sha256, format raw
   * ```
   *
   * @param url http(s) URL of the image, with a host
   * @param options checksum and format; by default derived from `url`
   */
  public static fromUrl(url: string, options: OsImageOptions = {}): OsImage {
    const urlWhere: At = { path: FROM_URL, prop: 'url' };
    const optionsWhere: At = { path: FROM_URL, prop: 'options' };
    const parsed = parseHttpUrl(url, urlWhere, `pass the image URL, e.g. ${URL_EXAMPLE}`);
    const opts = expectObject<OsImageOptions>(options ?? {}, optionsWhere, 'pass { checksum, checksumType, format }');

    const checksumType = opts.checksumType ?? 'sha256';
    if (!(CHECKSUM_TYPES as readonly unknown[]).includes(checksumType)) {
      fail(
        child(optionsWhere, 'checksumType'),
        'is not a checksum type Metal3 machine templates accept',
        checksumType,
        `use one of ${CHECKSUM_TYPES.join(', ')}`,
      );
    }

    const checksum =
      opts.checksum === undefined
        ? `${url}.${checksumType}`
        : parseChecksum(opts.checksum, checksumType, child(optionsWhere, 'checksum'));

    let format: ImageFormat;
    if (opts.format !== undefined) {
      if (!(IMAGE_FORMATS as readonly unknown[]).includes(opts.format)) {
        fail(
          child(optionsWhere, 'format'),
          'is not an image format Metal3 knows',
          opts.format,
          `use one of ${IMAGE_FORMATS.join(', ')}`,
        );
      }
      format = opts.format;
    } else {
      const file = parsed.pathname.split('/').pop() ?? '';
      const extension = file.includes('.') ? file.split('.').pop()!.toLowerCase() : '';
      const derived = FORMAT_BY_EXTENSION.get(extension);
      if (derived === undefined) {
        fail(
          urlWhere,
          'has no file extension that tells the image format',
          url,
          `pass options.format (one of ${IMAGE_FORMATS.join(', ')}), or serve the file as .raw, .img, .qcow2, .iso, .vmdk or .vdi`,
        );
      }
      format = derived;
    }
    return new OsImage(url, checksum, checksumType, format);
  }

  /** URL Ironic downloads the image from. */
  public readonly url: string;
  /** Checksum file URL, or the hex digest in lower case. */
  public readonly checksum: string;
  /** Algorithm of {@link OsImage.checksum}. */
  public readonly checksumType: ChecksumType;
  /** Disk format of the image. */
  public readonly format: ImageFormat;

  private constructor(url: string, checksum: string, checksumType: ChecksumType, format: ImageFormat) {
    this.url = url;
    this.checksum = checksum;
    this.checksumType = checksumType;
    this.format = format;
  }

  /** The image as Metal3MachineTemplate `spec.template.spec.image` expects it. */
  public toMetal3(): OsImageSpec {
    return { url: this.url, checksum: this.checksum, checksumType: this.checksumType, format: this.format };
  }
}

function parseHttpUrl(value: unknown, where: At, fix: string): URL {
  const text = expectString(value, where, fix);
  if (text.length === 0) fail(where, 'must not be empty', value, fix);
  if (/\s/.test(text)) fail(where, 'contains whitespace', value, 'remove the spaces, or percent-encode them as %20');
  if (/^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i.test(text)) {
    fail(
      where,
      'embeds credentials',
      redacted(),
      'serve the file without credentials in the URL; they would end up in the manifests',
    );
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    fail(where, 'has no http:// or https:// scheme', value, `write the full URL, e.g. "http://${text}"`);
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    fail(where, 'is not an absolute URL', value, fix);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    fail(
      where,
      'embeds credentials',
      redacted(),
      'serve the file without credentials in the URL; they would end up in the manifests',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    fail(
      where,
      `uses the ${parsed.protocol.slice(0, -1)} scheme`,
      value,
      `serve it over http or https, e.g. ${URL_EXAMPLE}`,
    );
  }
  if (parsed.hostname === '') fail(where, 'has no host', value, fix);
  return parsed;
}

function parseChecksum(value: unknown, checksumType: ChecksumType, where: At): string {
  const fix = `pass the URL of the checksum file or the ${DIGEST_LENGTH[checksumType]}-digit ${checksumType} hex digest`;
  const text = expectString(value, where, fix);
  if (/^https?:/i.test(text)) {
    parseHttpUrl(text, where, fix);
    return text;
  }
  if (!/^[0-9a-f]+$/i.test(text)) fail(where, 'is neither an http(s) URL nor a hex digest', value, fix);
  const expected = DIGEST_LENGTH[checksumType];
  if (text.length !== expected) {
    const matching = CHECKSUM_TYPES.find((t) => DIGEST_LENGTH[t] === text.length);
    fail(
      where,
      `has ${text.length} hex digits but a ${checksumType} digest has ${expected}`,
      value,
      matching ? `set checksumType to '${matching}', or pass the ${checksumType} digest` : fix,
    );
  }
  return text.toLowerCase();
}
