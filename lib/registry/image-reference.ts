import { isIPv4, isIPv6 } from 'node:net';
import { At, expectNonEmptyString, fail } from '../private/errors';

const DOMAIN_LABEL = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
/** One path component of a repository name (the distribution reference grammar). */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;
/** The longest repository name (registry and path) registries accept. */
const MAX_NAME_LENGTH = 255;

/**
 * A container registry address: a host name, IPv4 address or bracketed IPv6 address, with an
 * optional port, for example `registry.example.com:5000`. No scheme, no path.
 */
export class RegistryHost {
  /**
   * Parses `host[:port]`; throws a `BaremetalValidationError` naming `where` (by default the
   * factory) when the text is a URL, has a path, or is not a host name or address.
   */
  public static parse(text: unknown, where: At = { path: 'RegistryHost.parse', prop: 'registry' }): RegistryHost {
    const s = expectNonEmptyString(text, where, 'pass host[:port] such as "registry.example.com:5000"');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
      fail(where, 'carries a URL scheme', s, `write host[:port] only, such as "${s.replace(/^[^:]+:\/\//, '')}"`);
    }
    if (s.includes('/')) {
      fail(
        where,
        'has a path',
        s,
        `write host[:port] only ("${s.split('/')[0]}"); paths belong in the mirror locations`,
      );
    }
    const m = /^(\[[^\]]*\]|[^:]*)(?::([^:]*))?$/.exec(s);
    if (!m) fail(where, 'is not host[:port]', s, 'write an IPv6 address in brackets, such as "[fd00::10]:5000"');
    const host = m[1];
    const bracketed = host.startsWith('[');
    const hostOk = bracketed ? isIPv6(host.slice(1, -1)) : isDomainOrIPv4(host);
    if (!hostOk) {
      fail(
        where,
        'is not a host name or IP address',
        s,
        'use a DNS name such as "registry.example.com", an IPv4 address, or an IPv6 address in brackets',
      );
    }
    let port: number | undefined;
    if (m[2] !== undefined) {
      port = /^[0-9]{1,5}$/.test(m[2]) ? Number(m[2]) : NaN;
      if (!(port >= 1 && port <= 65535)) {
        fail(where, 'has an invalid port', s, 'use a port from 1 to 65535, such as ":5000", or leave it out for 443');
      }
    }
    return new RegistryHost(host, port);
  }

  private constructor(
    /** Host name or address as written (an IPv6 address keeps its brackets). */
    public readonly host: string,
    /** Port, when one was given. */
    public readonly port?: number,
  ) {}

  /** Whether the host is an IPv6 address. */
  public get isIPv6(): boolean {
    return this.host.startsWith('[');
  }

  /**
   * The key OpenShift expects for this registry in the `additionalTrustedCA` ConfigMap:
   * `<host>..<port>` (the `:` of the port written as `..`), or the host alone.
   */
  public get trustedCaKey(): string {
    return this.port === undefined ? this.host : `${this.host}..${this.port}`;
  }

  /** Whether both name the same host and port (host names compare case-insensitively). */
  public equals(other: RegistryHost): boolean {
    return this.host.toLowerCase() === other.host.toLowerCase() && this.port === other.port;
  }

  /** `host[:port]`. */
  public toString(): string {
    return this.port === undefined ? this.host : `${this.host}:${this.port}`;
  }
}

function isDomainOrIPv4(host: string): boolean {
  if (isIPv4(host)) return true;
  if (host.length === 0 || host.length > 253) return false;
  return host.split('.').every((label) => label.length <= 63 && DOMAIN_LABEL.test(label));
}

/** What a parsed reference must or must not carry. */
type ReferenceForm = 'any' | 'repository' | 'image';

/**
 * A fully qualified container image reference or repository prefix:
 * `registry[:port][/path][:tag][@digest]`, for example
 * `quay.io/openshift-release-dev/ocp-release@sha256:…`. The registry is always explicit: a
 * short name such as `rancher/foo` is refused, because what it resolves to depends on each
 * node's search list.
 *
 * Used for mirror sources and locations (repository prefixes: no tag, no digest), release images,
 * operator catalogs and additional images.
 */
export class ImageReference {
  /** A reference with or without a tag or digest. */
  public static parse(text: unknown, where: At = { path: 'ImageReference.parse', prop: 'reference' }): ImageReference {
    return ImageReference.of(parseReference(text, where, 'any'));
  }

  /**
   * A repository prefix: a registry and an optional path, without tag or digest, such as
   * `quay.io/openshift-release-dev` or `registry.redhat.io`.
   */
  public static parseRepository(
    text: unknown,
    where: At = { path: 'ImageReference.parseRepository', prop: 'repository' },
  ): ImageReference {
    return ImageReference.of(parseReference(text, where, 'repository'));
  }

  /** An image: a repository with a path and a tag, a digest or both. */
  public static parseImage(
    text: unknown,
    where: At = { path: 'ImageReference.parseImage', prop: 'image' },
  ): ImageReference {
    return ImageReference.of(parseReference(text, where, 'image'));
  }

  private static of(p: ParsedReference): ImageReference {
    return new ImageReference(p.registry, p.path, p.tag, p.digest);
  }

  private constructor(
    /** The registry host and port. */
    public readonly registry: RegistryHost,
    /** The repository path inside the registry, `''` for the registry itself. */
    public readonly path: string,
    /** The tag, when given. */
    public readonly tag?: string,
    /** The digest (`sha256:…`), when given. */
    public readonly digest?: string,
  ) {}

  /** `registry[/path]`, without tag or digest. */
  public get repository(): string {
    return this.path === '' ? this.registry.toString() : `${this.registry}/${this.path}`;
  }

  /** Whether the reference is pinned by digest. */
  public get isDigest(): boolean {
    return this.digest !== undefined;
  }

  /**
   * Whether this repository prefix covers `other`: same registry, and this path is `other`'s
   * path or a parent of it at a `/` boundary (`quay.io/a` covers `quay.io/a/b:1`, not `quay.io/ab`).
   */
  public covers(other: ImageReference): boolean {
    if (!this.registry.equals(other.registry)) return false;
    return this.path === '' || other.path === this.path || other.path.startsWith(`${this.path}/`);
  }

  /**
   * The same image under another prefix: `from` (which must cover this reference) is replaced
   * by `to`, and the rest of the path, tag and digest are kept.
   */
  public rebase(from: ImageReference, to: ImageReference): ImageReference {
    if (!from.covers(this)) {
      fail(
        { path: 'ImageReference.rebase', prop: 'from' },
        `does not cover ${this.repository}`,
        from.repository,
        'rebase only images under the prefix, as covers() tells',
      );
    }
    const rest = this.path.slice(from.path.length).replace(/^\//, '');
    const path = [to.path, rest].filter((p) => p !== '').join('/');
    return new ImageReference(to.registry, path, this.tag, this.digest);
  }

  /** Whether both are the same text. */
  public equals(other: ImageReference): boolean {
    return this.toString() === other.toString();
  }

  /** `registry[/path][:tag][@digest]`. */
  public toString(): string {
    return `${this.repository}${this.tag !== undefined ? `:${this.tag}` : ''}${this.digest !== undefined ? `@${this.digest}` : ''}`;
  }
}

function looksLikeRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component.startsWith('[');
}

interface ParsedReference {
  readonly registry: RegistryHost;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

function parseReference(text: unknown, where: At, form: ReferenceForm): ParsedReference {
  const example =
    form === 'repository'
      ? 'such as "quay.io/openshift-release-dev/ocp-release"'
      : 'such as "registry.redhat.io/redhat/redhat-operator-index:v4.19"';
  const s = expectNonEmptyString(text, where, `pass a fully qualified reference ${example}`);
  if (/\s/.test(s)) fail(where, 'contains white space', s, `write the reference alone, ${example}`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^(oci|docker|dir|file):/.test(s)) {
    fail(where, 'carries a transport or URL scheme', s, `write the reference without it, ${example}`);
  }

  let name = s;
  let digest: string | undefined;
  const at = s.indexOf('@');
  if (at >= 0) {
    name = s.slice(0, at);
    digest = s.slice(at + 1);
    if (!DIGEST.test(digest)) {
      fail(where, 'has an invalid digest', s, 'write the digest as "@sha256:" followed by 64 lower-case hex digits');
    }
  }

  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  let rest = slash < 0 ? '' : name.slice(slash + 1);
  if (slash >= 0 && !looksLikeRegistry(first)) {
    fail(
      where,
      'has no registry host',
      s,
      `write the registry first, such as "docker.io/${s}"; short names resolve differently on each node`,
    );
  }
  let tag: string | undefined;
  let registryText = first;
  if (slash < 0) {
    // Registry only: "registry.redhat.io" or "registry.example.com:5000".
    if (!looksLikeRegistry(first) || /:[^:\]]*[^0-9:\]][^:\]]*$/.test(first)) {
      fail(where, 'has no registry host', s, `write the registry and repository, ${example}`);
    }
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG.test(tag)) {
        fail(
          where,
          'has an invalid tag',
          s,
          'use at most 128 letters, digits, "_", "." and "-", not starting with "." or "-"',
        );
      }
    }
  }
  const registry = RegistryHost.parse(registryText, where);
  registryText = registry.toString();
  if (slash >= 0) {
    const components = rest.split('/');
    if (rest === '' || components.some((c) => !PATH_COMPONENT.test(c))) {
      fail(
        where,
        'has an invalid repository path',
        s,
        'use lower-case path components of letters and digits separated by "/", joined inside by ".", "_", "__" or "-"',
      );
    }
  }
  if (`${registryText}${rest ? `/${rest}` : ''}`.length > MAX_NAME_LENGTH) {
    fail(where, `is longer than ${MAX_NAME_LENGTH} characters`, s, 'use a shorter repository name');
  }
  if (form === 'repository' && (tag !== undefined || digest !== undefined)) {
    fail(
      where,
      `is an image ${digest !== undefined ? 'digest' : 'tag'}, not a repository prefix`,
      s,
      `drop the ${digest !== undefined ? '"@…" digest' : '":…" tag'}: mirrors apply to whole repositories, such as "${registryText}${rest ? `/${rest}` : ''}"`,
    );
  }
  if (form === 'image' && (rest === '' || (tag === undefined && digest === undefined))) {
    fail(
      where,
      rest === '' ? 'names a registry, not an image' : 'has neither a tag nor a digest',
      s,
      'name one image with a tag (":v4.19") or, better, a digest ("@sha256:…")',
    );
  }
  return { registry, path: rest, tag, digest };
}
