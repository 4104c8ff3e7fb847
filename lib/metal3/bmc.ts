import { SecretRef } from '../core/secret-ref';
import { IpAddress } from '../net/ip-address';
import {
  At,
  child,
  expectInteger,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
  redacted,
} from '../private/errors';

/**
 * Every BMC address scheme that baremetal-operator v0.10 accepts in `spec.bmc.address`.
 *
 * Redfish-based types (`redfish`, `redfish-virtualmedia`, `redfish-uefihttp`, `idrac-redfish`,
 * `idrac-virtualmedia`, and the aliases `ilo5-redfish` and `ilo5-virtualmedia`) take an optional
 * `+http` or `+https` transport (HTTPS by default) and need a Redfish system path. `ilo4`,
 * `ilo4-virtualmedia` and `ilo5` take only `+https`; `ipmi`, `libvirt` and `irmc` take none.
 */
export const BMC_SCHEMES = [
  'ipmi',
  'libvirt',
  'redfish',
  'redfish+http',
  'redfish+https',
  'redfish-virtualmedia',
  'redfish-virtualmedia+http',
  'redfish-virtualmedia+https',
  'redfish-uefihttp',
  'redfish-uefihttp+http',
  'redfish-uefihttp+https',
  'idrac-redfish',
  'idrac-redfish+http',
  'idrac-redfish+https',
  'idrac-virtualmedia',
  'idrac-virtualmedia+http',
  'idrac-virtualmedia+https',
  'ilo5-redfish',
  'ilo5-redfish+http',
  'ilo5-redfish+https',
  'ilo5-virtualmedia',
  'ilo5-virtualmedia+http',
  'ilo5-virtualmedia+https',
  'ilo4',
  'ilo4+https',
  'ilo4-virtualmedia',
  'ilo4-virtualmedia+https',
  'ilo5',
  'ilo5+https',
  'irmc',
] as const;

/** A BMC address scheme baremetal-operator v0.10 accepts, such as `redfish-virtualmedia`. */
export type BmcScheme = (typeof BMC_SCHEMES)[number];

/** Options common to every BMC. */
export interface BmcOptions {
  /**
   * Skip TLS certificate verification when talking to the BMC, for BMCs with self-signed
   * certificates. Written to `spec.bmc.disableCertificateVerification`.
   *
   * @default false
   */
  readonly disableCertificateVerification?: boolean;
}

/** Options of {@link Bmc.ipmi}. */
export interface IpmiOptions extends BmcOptions {
  /**
   * UDP port of the IPMI service. Give it here or in `host` (`10.0.0.5:6230`), not both.
   *
   * @default 623 (the IPMI port; not written into the address)
   */
  readonly port?: number;
}

/** Options of {@link Bmc.idracVirtualMedia}. */
export interface IdracOptions extends BmcOptions {
  /**
   * Redfish id of the computer system.
   *
   * @default 'System.Embedded.1' (the id every Dell iDRAC uses)
   */
  readonly systemId?: string;
}

/** Options of {@link Bmc.ilo5VirtualMedia}. */
export interface Ilo5Options extends BmcOptions {
  /**
   * Redfish id of the computer system.
   *
   * @default '1' (the id HPE iLO uses)
   */
  readonly systemId?: string;
}

const SCHEMES: readonly string[] = BMC_SCHEMES;
const BASE_TYPES = [...new Set(BMC_SCHEMES.map((s) => s.split('+')[0]))];
const REDFISH_TYPES = new Set(BMC_SCHEMES.filter((s) => s.endsWith('+http')).map((s) => s.split('+')[0]));
const REMOVED_TYPES = new Map<string, string>([
  [
    'idrac',
    'use idrac-virtualmedia:// (or idrac-redfish:// for network boot) with the path /redfish/v1/Systems/System.Embedded.1',
  ],
  ['ibmc', 'use redfish-virtualmedia:// or redfish:// with the Redfish system path'],
]);
const PRIVILEGE_QUERY = /^\?privilegelevel=(ADMINISTRATOR|OPERATOR|USER|CALLBACK)$/;
const SYSTEM_ID = /^[A-Za-z0-9._~-]+$/;
const SYSTEM_PATH = /^\/redfish\/v1\/Systems\/([A-Za-z0-9._~-]+)\/?$/;
/**
 * A two-part system id, as kcli's ksushy Redfish emulator serves VMs (`/Systems/<client>/<vm>`,
 * the seed's `/redfish/v1/Systems/local/<vm>`): accepted unless the second part is a resource of a
 * computer system, which would mean the address points below the system.
 */
const TWO_PART_SYSTEM_PATH = /^\/redfish\/v1\/Systems\/([A-Za-z0-9._~-]+)\/([A-Za-z0-9._~-]+)\/?$/;
const SYSTEM_RESOURCES = new Set(
  [
    'Actions',
    'Bios',
    'BootOptions',
    'Certificates',
    'EthernetInterfaces',
    'FabricAdapters',
    'GraphicsControllers',
    'LogServices',
    'Memory',
    'MemoryDomains',
    'NetworkInterfaces',
    'OperatingSystem',
    'PCIeDevices',
    'PCIeFunctions',
    'Processors',
    'SecureBoot',
    'SimpleStorage',
    'Storage',
    'USBControllers',
    'VirtualMedia',
  ].map((r) => r.toLowerCase()),
);
const DNS_NAME =
  /^(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])\.)*([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9])$/;
const ADDRESS_EXAMPLE = '"redfish-virtualmedia://192.168.0.10/redfish/v1/Systems/1"';
const CREDENTIALS_FIX = "use SecretRef.fromName('<secret>') for a Secret holding username and password";

interface Endpoint {
  /** Host as written in the URL: IPv6 in brackets. */
  readonly urlHost: string;
  /** Host without brackets, lower case. */
  readonly host: string;
  readonly port?: number;
}

interface BmcParts {
  readonly scheme: BmcScheme;
  readonly endpoint: Endpoint;
  readonly systemPath?: string;
  readonly query?: string;
  readonly credentials: SecretRef;
  readonly disableCertificateVerification: boolean;
}

/**
 * How Metal3 reaches the baseboard management controller of a host: the BareMetalHost
 * `spec.bmc` address, the Secret with its credentials, and TLS verification.
 *
 * Build it with a factory for the common hardware (`Bmc.redfishVirtualMedia(...)`,
 * `Bmc.idracVirtualMedia(...)`, `Bmc.ilo5VirtualMedia(...)`, `Bmc.redfish(...)`, `Bmc.ipmi(...)`),
 * or from any address baremetal-operator v0.10 accepts with {@link Bmc.fromAddress}.
 */
export class Bmc {
  /**
   * Redfish with virtual-media boot (`redfish-virtualmedia://`): boots over L3 without a
   * provisioning network. Not for Dell machines; use {@link Bmc.idracVirtualMedia} there.
   *
   * @param host IPv4 address, IPv6 address or DNS name of the BMC, with an optional port
   * @param systemId Redfish id of the computer system: `1` in `/redfish/v1/Systems/1`
   * @param credentials Secret with the keys `username` and `password`
   */
  public static redfishVirtualMedia(host: string, systemId: string, credentials: SecretRef, options?: BmcOptions): Bmc {
    return Bmc.redfishFamily('Bmc.redfishVirtualMedia', 'redfish-virtualmedia', host, systemId, credentials, options);
  }

  /**
   * Redfish with network boot over iPXE (`redfish://`): needs a provisioning network.
   *
   * @param host IPv4 address, IPv6 address or DNS name of the BMC, with an optional port
   * @param systemId Redfish id of the computer system: `1` in `/redfish/v1/Systems/1`
   * @param credentials Secret with the keys `username` and `password`
   */
  public static redfish(host: string, systemId: string, credentials: SecretRef, options?: BmcOptions): Bmc {
    return Bmc.redfishFamily('Bmc.redfish', 'redfish', host, systemId, credentials, options);
  }

  /**
   * Dell iDRAC 8 or later with virtual-media boot (`idrac-virtualmedia://`), on the system
   * `/redfish/v1/Systems/System.Embedded.1` unless `options.systemId` says otherwise.
   *
   * @param host IPv4 address, IPv6 address or DNS name of the iDRAC, with an optional port
   * @param credentials Secret with the keys `username` and `password`
   */
  public static idracVirtualMedia(host: string, credentials: SecretRef, options?: IdracOptions): Bmc {
    const path = 'Bmc.idracVirtualMedia';
    const systemId = optionalSystemId(options, path, 'System.Embedded.1');
    return Bmc.redfishFamily(path, 'idrac-virtualmedia', host, systemId, credentials, options);
  }

  /**
   * HPE iLO 5 (or later) with virtual-media boot, on the system `/redfish/v1/Systems/1` unless
   * `options.systemId` says otherwise. Writes a `redfish-virtualmedia://` address: upstream
   * documents it for iLO 5 and 6, and `ilo5-virtualmedia://` is only a deprecated alias of it.
   *
   * @param host IPv4 address, IPv6 address or DNS name of the iLO, with an optional port
   * @param credentials Secret with the keys `username` and `password`
   */
  public static ilo5VirtualMedia(host: string, credentials: SecretRef, options?: Ilo5Options): Bmc {
    const path = 'Bmc.ilo5VirtualMedia';
    const systemId = optionalSystemId(options, path, '1');
    return Bmc.redfishFamily(path, 'redfish-virtualmedia', host, systemId, credentials, options);
  }

  /**
   * IPMI (`ipmi://`), with network boot over iPXE: needs a provisioning network.
   *
   * @param host IPv4 address, IPv6 address or DNS name of the BMC, with an optional port
   * @param credentials Secret with the keys `username` and `password`
   */
  public static ipmi(host: string, credentials: SecretRef, options?: IpmiOptions): Bmc {
    const path = 'Bmc.ipmi';
    const opts = expectOptions<IpmiOptions>(options, path);
    const endpoint = parseHostArgument(host, { path, prop: 'host' });
    let port = endpoint.port;
    if (opts.port !== undefined) {
      const portWhere = { path, prop: 'options.port' };
      if (port !== undefined)
        fail(portWhere, `repeats the port already given in host (${port})`, opts.port, 'give the port once');
      port = expectInteger(opts.port, portWhere, 1, 65535);
    }
    return new Bmc({
      scheme: 'ipmi',
      endpoint: { ...endpoint, port },
      credentials: expectCredentials(credentials, path),
      disableCertificateVerification: certificateOption(opts, path),
    });
  }

  /**
   * Any BMC address baremetal-operator v0.10 accepts, checked for the usual mistakes: a missing or
   * unknown type, a Redfish address without its `/redfish/v1/Systems/<id>` path (or pointing at a
   * manager, or below the system), a missing host, a port out of range, credentials in the URL.
   * The forms kcli's ksushy emulator writes are accepted: a two-part system id
   * (`/redfish/v1/Systems/local/<vm>`), and an IPv4 host in brackets (`[192.168.126.1]`), which is
   * written without them since Ironic's URL parser refuses bracketed IPv4.
   *
   * @param address the address, e.g. `redfish-virtualmedia+https://[fd00::5]:8443/redfish/v1/Systems/1`
   * @param credentials Secret with the keys `username` and `password`
   */
  public static fromAddress(address: string, credentials: SecretRef, options?: BmcOptions): Bmc {
    const path = 'Bmc.fromAddress';
    const where: At = { path, prop: 'address' };
    const text = expectString(address, where, `pass a BMC address such as ${ADDRESS_EXAMPLE}`);
    if (text.length === 0) fail(where, 'must not be empty', address, `pass a BMC address such as ${ADDRESS_EXAMPLE}`);
    if (/\s/.test(text)) fail(where, 'contains whitespace', address, 'remove the spaces and line breaks');
    if (/^(?:[^/?#]*:\/\/)?[^/?#]*@/.test(text)) {
      fail(where, 'embeds credentials', redacted(), 'remove "user:password@" and put them in the credentials Secret');
    }

    const split = /^([^:/?#]*):\/\/(.*)$/s.exec(text);
    if (!split) {
      const opaque = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(text);
      if (opaque && SCHEMES.includes(opaque[1].toLowerCase())) {
        fail(where, 'misses "//" after the BMC type', address, `write "${opaque[1].toLowerCase()}://${opaque[2]}"`);
      }
      const host = text.split(/[/?#]/)[0];
      fail(
        where,
        'has no BMC type',
        address,
        `start it with the type, e.g. "redfish-virtualmedia://${host}/redfish/v1/Systems/1" or "ipmi://${host}"`,
      );
    }
    const [, rawScheme, rest] = split;
    const [, authority, urlPath, query, fragment] = /^([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(rest)!;
    const scheme = checkScheme(rawScheme.toLowerCase(), `${authority}${urlPath}`, text, where);
    const base = scheme.split('+')[0];

    const endpoint = parseEndpoint(authority, text, where);
    const origin = `${scheme}://${endpoint.urlHost}${endpoint.port === undefined ? '' : `:${endpoint.port}`}`;
    if (fragment !== undefined) fail(where, 'has a "#" fragment', address, `remove "${fragment}"`);
    if (query !== undefined) {
      const ipmiLike = base === 'ipmi' || base === 'libvirt';
      if (!ipmiLike || !PRIVILEGE_QUERY.test(query)) {
        const allowed = ipmiLike ? '; ipmi takes only ?privilegelevel=ADMINISTRATOR, OPERATOR, USER or CALLBACK' : '';
        fail(where, 'has a query string', address, `remove "${query}"${allowed}`);
      }
    }
    let systemPath: string | undefined;
    if (REDFISH_TYPES.has(base)) {
      systemPath = checkSystemPath(urlPath, origin, base, text, where);
    } else if (urlPath !== '' && urlPath !== '/') {
      fail(where, `has a path, which ${base} addresses do not take`, address, `remove it: "${origin}${query ?? ''}"`);
    }

    return new Bmc({
      scheme,
      endpoint,
      systemPath,
      query,
      credentials: expectCredentials(credentials, path),
      disableCertificateVerification: certificateOption(expectOptions<BmcOptions>(options, path), path),
    });
  }

  private static redfishFamily(
    path: string,
    scheme: BmcScheme,
    host: string,
    systemId: string,
    credentials: SecretRef,
    options: BmcOptions | undefined,
  ): Bmc {
    const opts = expectOptions<BmcOptions>(options, path);
    const endpoint = parseHostArgument(host, { path, prop: 'host' });
    const id = checkSystemId(systemId, { path, prop: 'systemId' });
    return new Bmc({
      scheme,
      endpoint,
      systemPath: `/redfish/v1/Systems/${id}`,
      credentials: expectCredentials(credentials, path),
      disableCertificateVerification: certificateOption(opts, path),
    });
  }

  /**
   * The canonical address written to `spec.bmc.address`, such as
   * `redfish-virtualmedia://192.168.0.10/redfish/v1/Systems/1`: lower-case type and host, IPv6 in
   * brackets and RFC 5952 form, no trailing slash.
   */
  public readonly address: string;

  /** The address scheme, which selects the Ironic driver: `redfish-virtualmedia`, `ipmi`, … */
  public readonly scheme: BmcScheme;

  /**
   * The BMC's host alone, lower case, without brackets or port (`192.168.0.10`, `fd00::5`,
   * `bmc-1.example.com`). Two hosts must never share one.
   */
  public readonly host: string;

  /**
   * The port given in the address.
   *
   * @default - none: the type's default port (443 for Redfish over HTTPS, 623 for IPMI)
   */
  public readonly port?: number;

  /**
   * The Redfish computer system, such as `/redfish/v1/Systems/1`.
   *
   * @default - none, for types that are not Redfish-based
   */
  public readonly systemPath?: string;

  /** The Secret with the BMC's `username` and `password`. */
  public readonly credentials: SecretRef;

  /** True when TLS certificates of the BMC are not verified. */
  public readonly disableCertificateVerification: boolean;

  private constructor(parts: BmcParts) {
    const { scheme, endpoint, systemPath, query } = parts;
    this.scheme = scheme;
    this.host = endpoint.host;
    this.port = endpoint.port;
    this.systemPath = systemPath;
    this.credentials = parts.credentials;
    this.disableCertificateVerification = parts.disableCertificateVerification;
    const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
    this.address = `${scheme}://${endpoint.urlHost}${port}${systemPath ?? ''}${query ?? ''}`;
  }
}

function checkScheme(scheme: string, rest: string, address: string, where: At): BmcScheme {
  if (SCHEMES.includes(scheme)) return scheme as BmcScheme;
  if (scheme === '') fail(where, 'has no BMC type', address, `start it with the type, e.g. ${ADDRESS_EXAMPLE}`);
  const plus = scheme.indexOf('+');
  const base = plus < 0 ? scheme : scheme.slice(0, plus);
  const transport = plus < 0 ? undefined : scheme.slice(plus + 1);
  const removed = REMOVED_TYPES.get(base);
  if (removed !== undefined) {
    fail(where, `uses the BMC type "${base}", which baremetal-operator no longer supports`, address, removed);
  }
  if (scheme === 'http' || scheme === 'https') {
    fail(
      where,
      `uses plain ${scheme}://, which names no BMC type`,
      address,
      `prefix the Redfish type, e.g. "redfish-virtualmedia+${scheme}://${rest}"`,
    );
  }
  if (BASE_TYPES.includes(base) && transport !== undefined) {
    const allowed = SCHEMES.filter((s) => s.split('+')[0] === base);
    fail(
      where,
      `uses the BMC type "${base}" with "+${transport}", which it does not take`,
      address,
      `use ${allowed.join(' or ')}`,
    );
  }
  fail(
    where,
    `has an unknown BMC type "${scheme}"`,
    address,
    `use one of ${BASE_TYPES.join(', ')} (Redfish-based types also take "+http" or "+https")`,
  );
}

function checkSystemPath(urlPath: string, origin: string, base: string, address: string, where: At): string {
  const example = base.startsWith('idrac') ? 'System.Embedded.1' : '1';
  const match = SYSTEM_PATH.exec(urlPath);
  if (match) return `/redfish/v1/Systems/${match[1]}`;
  const twoPart = TWO_PART_SYSTEM_PATH.exec(urlPath);
  if (twoPart && !SYSTEM_RESOURCES.has(twoPart[2].toLowerCase())) {
    return `/redfish/v1/Systems/${twoPart[1]}/${twoPart[2]}`;
  }
  const trimmed = urlPath.replace(/\/+$/, '');
  const systemFix = `end the address at the computer system, e.g. "${origin}/redfish/v1/Systems/${example}"`;
  if (['', '/redfish', '/redfish/v1', '/redfish/v1/systems'].includes(trimmed.toLowerCase())) {
    fail(
      where,
      'has no Redfish system path',
      address,
      `append it, e.g. "${origin}/redfish/v1/Systems/${example}" (Dell iDRAC uses System.Embedded.1, most others 1)`,
    );
  }
  if (/^\/redfish\/v1\/managers(\/|$)/i.test(trimmed)) {
    fail(where, 'points at a Redfish manager (the BMC itself), not at the computer system', address, systemFix);
  }
  if (/^\/redfish\/v1\/chassis(\/|$)/i.test(trimmed)) {
    fail(where, 'points at a Redfish chassis, not at the computer system', address, systemFix);
  }
  const extra = /^\/redfish\/v1\/Systems\/([A-Za-z0-9._~-]+)\/./.exec(urlPath);
  if (extra) {
    fail(
      where,
      'has extra path after the Redfish system id',
      address,
      `end the address at the system: "${origin}/redfish/v1/Systems/${extra[1]}"`,
    );
  }
  if (/^\/redfish\/v1\/systems\//i.test(urlPath)) {
    fail(
      where,
      'has a Redfish path in the wrong case or with an invalid id',
      address,
      `Redfish paths are case-sensitive; ${systemFix}`,
    );
  }
  fail(where, 'has a path that is not a Redfish system path', address, systemFix);
}

function checkSystemId(value: unknown, where: At): string {
  const fix = 'pass the id alone, e.g. "1" or "System.Embedded.1"';
  const text = expectString(value, where, fix);
  if (text.length === 0) fail(where, 'must not be empty', value, fix);
  if (text.includes('/')) {
    const last = text
      .split('/')
      .filter((s) => s !== '')
      .pop();
    const hint = last !== undefined && SYSTEM_ID.test(last) ? `pass only the id: "${last}"` : fix;
    fail(where, 'is a path, not a Redfish system id', value, hint);
  }
  if (!SYSTEM_ID.test(text)) {
    fail(
      where,
      'has characters a Redfish id cannot have',
      value,
      'use letters, digits, ".", "-", "_" or "~", e.g. "System.Embedded.1"',
    );
  }
  return text;
}

function optionalSystemId(options: { systemId?: string } | undefined, path: string, fallback: string): string {
  const opts = expectOptions<{ systemId?: string }>(options, path);
  return opts.systemId === undefined ? fallback : checkSystemId(opts.systemId, { path, prop: 'options.systemId' });
}

/** A host given to a factory: host[:port], [ipv6][:port], or an IPv6 address without brackets. */
function parseHostArgument(value: unknown, where: At): Endpoint {
  const fix = 'pass the IP address or DNS name of the BMC, e.g. "192.168.0.10"';
  const text = expectString(value, where, fix);
  if (text.length === 0) fail(where, 'must not be empty', value, fix);
  if (/\s/.test(text)) fail(where, 'contains whitespace', value, 'remove the spaces and line breaks');
  if (text.includes('@'))
    fail(where, 'embeds credentials', redacted(), 'pass the host alone and put the credentials in a Secret');
  if (/[/?#]/.test(text)) {
    fail(where, 'is a URL or path, not a host', value, `${fix}; use Bmc.fromAddress() for a full BMC address`);
  }
  if (!text.startsWith('[') && text.split(':').length > 2 && IpAddress.isValid(text)) {
    const ip = IpAddress.parse(text, where);
    return { host: ip.toString(), urlHost: `[${ip}]` };
  }
  return parseEndpoint(text, value, where);
}

/** The authority of a BMC URL: host[:port] or [ipv6][:port]. */
function parseEndpoint(authority: string, value: unknown, where: At): Endpoint {
  const hostFix = 'put the IP address or DNS name of the BMC after "://", e.g. "192.168.0.10" or "[fd00::5]"';
  if (authority === '') fail(where, 'has no host', value, hostFix);
  let hostText: string;
  let portText: string | undefined;
  let endpointHost: { host: string; urlHost: string };
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) fail(where, 'has "[" without "]" around the IPv6 host', value, 'write it like "[fd00::5]"');
    hostText = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':'))
      fail(where, 'has text after the "]" of the IPv6 host', value, 'write it like "[fd00::5]:8443"');
    portText = after === '' ? undefined : after.slice(1);
    if (/^[0-9.]+$/.test(hostText) && IpAddress.isValid(hostText)) {
      // kcli writes "[192.168.126.1]"; brackets are for IPv6 only (RFC 3986), and the URL parser of
      // current Python releases, which Ironic runs on, refuses IPv4 in brackets: drop them.
      endpointHost = { host: hostText, urlHost: hostText };
      return withPort(endpointHost, portText, value, where);
    }
    if (!IpAddress.isValid(hostText) || IpAddress.parse(hostText).family !== 'ipv6') {
      fail(
        where,
        'has an invalid IPv6 address in brackets',
        value,
        'write it like "[fd00::5]" (RFC 4291 text, no zone id)',
      );
    }
    const ip = IpAddress.parse(hostText);
    endpointHost = { host: ip.toString(), urlHost: `[${ip}]` };
  } else {
    const colons = authority.split(':').length - 1;
    if (colons > 1) {
      const hint = IpAddress.isValid(authority) ? `"[${IpAddress.parse(authority)}]"` : 'like "[fd00::5]:8443"';
      fail(where, 'has an IPv6 address without brackets', value, `write it in brackets, ${hint}`);
    }
    [hostText, portText] = colons === 1 ? authority.split(':') : [authority, undefined];
    if (hostText === '') fail(where, 'has no host', value, hostFix);
    if (/^[0-9.]+$/.test(hostText)) {
      if (!IpAddress.isValid(hostText)) {
        fail(
          where,
          `has an invalid IPv4 address "${hostText}"`,
          value,
          'write four decimal octets without leading zeros, e.g. "192.168.0.10"',
        );
      }
      endpointHost = { host: hostText, urlHost: hostText };
    } else {
      if (hostText.length > 253 || !DNS_NAME.test(hostText)) {
        fail(
          where,
          `has an invalid host name "${hostText}"`,
          value,
          'use an IP address or a DNS name of letters, digits, "-" and "."',
        );
      }
      endpointHost = { host: hostText.toLowerCase(), urlHost: hostText.toLowerCase() };
    }
  }
  return withPort(endpointHost, portText, value, where);
}

function withPort(
  endpointHost: { host: string; urlHost: string },
  portText: string | undefined,
  value: unknown,
  where: At,
): Endpoint {
  if (portText === undefined) return endpointHost;
  const portFix = 'write a port from 1 to 65535, or leave it out for the default';
  if (!/^\d{1,5}$/.test(portText)) fail(where, `has an invalid port "${portText}"`, value, portFix);
  const port = Number(portText);
  if (port < 1 || port > 65535) fail(where, `has port ${port}, which is out of range`, value, portFix);
  return { ...endpointHost, port };
}

function expectCredentials(value: unknown, path: string): SecretRef {
  if (!(value instanceof SecretRef)) {
    // The value may well be { username, password }: never show it.
    fail({ path, prop: 'credentials' }, 'is not a SecretRef', redacted(), CREDENTIALS_FIX);
  }
  return value;
}

function expectOptions<T extends object>(value: unknown, path: string): T {
  if (value === undefined) return {} as T;
  return expectObject<T>(value, { path, prop: 'options' }, 'pass an options object or leave it out');
}

function certificateOption(options: BmcOptions, path: string): boolean {
  const where = child({ path, prop: 'options' }, 'disableCertificateVerification');
  return expectOptionalBoolean(options.disableCertificateVerification, where) ?? false;
}
