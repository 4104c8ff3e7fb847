import { isIPv4, isIPv6 } from 'node:net';
import { FormatDefinition } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats';

// Kubernetes string formats and name patterns, as the API server checks them.

/** A DNS-1123 subdomain (`metadata.name` of most kinds). */
export const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** A DNS-1123 label (`metadata.namespace`). */
export const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** A label value. */
export const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
/** A qualified name: a label or annotation key. */
export const QUALIFIED_NAME =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$';
/** A resource quantity such as `500m` or `8Gi`. */
export const QUANTITY =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

// ---------------------------------------------------------------------------------------------
// Formats: those the API server checks on strings (k8s.io/kube-openapi strfmt, where a name is
// looked up without its dashes: date-time = datetime), plus the ranges of int32 and int64 on
// numbers, which the API server does not check but the operators' Go types do. Unknown formats
// (and isbn, creditcard, ssn, rgbcolor) are not checked.

const RX_UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const RX_UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const RX_UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const RX_UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
/** Go's net.ParseMAC: 6, 8 or 20 octets separated by ':' or '-', or groups of four hex digits separated by '.'. */
const RX_MAC =
  /^(?:[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}(?:(?:\1[0-9a-f]{2}){2}(?:(?:\1[0-9a-f]{2}){12})?)?|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}(?:\.[0-9a-f]{4}(?:(?:\.[0-9a-f]{4}){6})?)?)$/i;
const RX_HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z0-9\p{S}\p{L}])(-?[a-zA-Z0-9\p{S}\p{L}]){1,62})$/u;
const RX_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RX_GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const RX_SCALA_DURATION = /^\s*(?:\d+\s*[A-Za-zµ]+\s*)+$/;
const RX_DURATION_UNIT = /\d+\s*([A-Za-zµ]+)/g;
const DURATION_UNITS = /^(?:ns|nano.*|us|µs|micro.*|ms|milli.*|s|sec.*|m|min.*|h|hr|hour.*|d|day.*|w|wk|week.*)$/;
const RX_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RX_TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const RX_EMAIL = /^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+)$/;
const RX_SHORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RX_LONG_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Go's `net.ParseIP`: dotted IPv4 without leading zeros, or IPv6 without a zone. */
function goParseIP(s: string): boolean {
  return isIPv4(s) || (isIPv6(s) && !s.includes('%'));
}

/** k8s.io/utils/net.ParseIPSloppy: as `net.ParseIP`, but IPv4 octets may have leading zeros. */
function parseIPSloppy(s: string): boolean {
  return (
    goParseIP(s) ||
    (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) <= 255))
  );
}

function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!goParseIP(ip) || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (isIPv4(ip) ? 32 : 128);
}

/** strfmt.ParseDuration: a Go duration, or number-unit pairs ("3 days", "1w"). */
function isDuration(s: string): boolean {
  if (s === '0' || RX_GO_DURATION.test(s)) return true;
  if (!RX_SCALA_DURATION.test(s)) return false;
  return [...s.matchAll(RX_DURATION_UNIT)].some((m) => DURATION_UNITS.test(m[1].toLowerCase()));
}

function isDate(s: string): boolean {
  const m = RX_DATE.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
}

/** strfmt.IsDateTime: RFC 3339 with a time zone, upper or lower case T and Z. */
function isDateTime(s: string): boolean {
  const parts = s.toLowerCase().split('t');
  if (s.length < 4 || parts.length < 2 || !isDate(parts[0])) return false;
  const m = RX_TIME.exec(parts[1]);
  return m !== null && m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

function isHostname(s: string): boolean {
  return RX_HOSTNAME.test(s) && s.length <= 255 && s.split('.').every((label) => label.length <= 63);
}

/** The formats the API server checks, keyed by the format name without dashes, as strfmt looks them up. */
export const K8S_FORMATS: Record<string, FormatDefinition<string> | FormatDefinition<number>> = {
  int32: fullFormats.int32 as FormatDefinition<number>,
  int64: fullFormats.int64 as FormatDefinition<number>,
  byte: { type: 'string', validate: (s) => RX_BASE64.test(s.replace(/[\r\n]/g, '')) },
  datetime: { type: 'string', validate: isDateTime },
  date: { type: 'string', validate: isDate },
  email: { type: 'string', validate: RX_EMAIL },
  // Go's url.ParseRequestURI: an absolute URI or an absolute path.
  uri: { type: 'string', validate: /^(?:[a-z][a-z0-9+.-]*:|\/)[^\s]*$/i },
  hostname: { type: 'string', validate: isHostname },
  ipv4: { type: 'string', validate: (s) => goParseIP(s) && s.includes('.') },
  ipv6: { type: 'string', validate: (s) => goParseIP(s) && s.includes(':') },
  cidr: { type: 'string', validate: isCidr },
  mac: { type: 'string', validate: RX_MAC },
  uuid: { type: 'string', validate: RX_UUID },
  uuid3: { type: 'string', validate: RX_UUID3 },
  uuid4: { type: 'string', validate: RX_UUID4 },
  uuid5: { type: 'string', validate: RX_UUID5 },
  bsonobjectid: { type: 'string', validate: /^[0-9a-f]{24}$/i },
  hexcolor: { type: 'string', validate: /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i },
  duration: { type: 'string', validate: isDuration },
  k8sshortname: { type: 'string', validate: (s) => s.length <= 63 && RX_SHORT_NAME.test(s) },
  k8slongname: { type: 'string', validate: (s) => s.length <= 253 && RX_LONG_NAME.test(s) },
  k8sipsloppy: { type: 'string', validate: parseIPSloppy },
};
