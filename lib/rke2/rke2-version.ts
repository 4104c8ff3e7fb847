import { At, expectString, fail } from '../private/errors';

const NUM = '(0|[1-9]\\d{0,8})';
const VERSION = new RegExp(`^v${NUM}\\.${NUM}\\.${NUM}\\+rke2r${NUM}$`);
const NO_V = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}\\+rke2r\\d{1,9}$`);
const KUBERNETES_ONLY = new RegExp(`^v?${NUM}\\.${NUM}\\.${NUM}$`);
const EXAMPLE = '"v1.32.4+rke2r1"';

/**
 * An RKE2 release such as `v1.32.4+rke2r1`: the Kubernetes version it ships (`v1.32.4`) and the
 * RKE2 packaging release (`1`). RKE2 release candidates and other pre-releases are refused.
 */
export class Rke2Version {
  /**
   * Parses an RKE2 release. Throws {@link BaremetalValidationError} naming `where` when `value` is
   * not of the form `v<major>.<minor>.<patch>+rke2r<release>`.
   *
   * @param value the release, for example `"v1.32.4+rke2r1"`
   * @param where the construct path and prop for error messages
   */
  public static parse(value: unknown, where: At = { path: 'Rke2Version.parse', prop: 'version' }): Rke2Version {
    const text = expectString(value, where, `pass an RKE2 release such as ${EXAMPLE}`);
    const match = VERSION.exec(text);
    if (!match) {
      if (NO_V.test(text)) fail(where, 'must start with "v"', value, `write "v${text}"`);
      if (KUBERNETES_ONLY.test(text)) {
        const k8s = text.startsWith('v') ? text : `v${text}`;
        fail(
          where,
          'is a Kubernetes version without the "+rke2rN" release',
          value,
          `write the RKE2 release, e.g. "${k8s}+rke2r1"`,
        );
      }
      fail(where, 'is not an RKE2 release', value, `write it like ${EXAMPLE}`);
    }
    const [major, minor, patch, release] = match.slice(1).map(Number);
    if (release < 1) fail(where, 'has release number 0', value, `RKE2 release numbers start at 1, e.g. ${EXAMPLE}`);
    return new Rke2Version(major, minor, patch, release);
  }

  /** Kubernetes major version: `1` in `v1.32.4+rke2r1`. */
  public readonly major: number;
  /** Kubernetes minor version: `32` in `v1.32.4+rke2r1`. */
  public readonly minor: number;
  /** Kubernetes patch version: `4` in `v1.32.4+rke2r1`. */
  public readonly patch: number;
  /** RKE2 packaging release, 1 or more: `1` in `v1.32.4+rke2r1`. */
  public readonly release: number;
  /** The Kubernetes version this release ships: `v1.32.4` for `v1.32.4+rke2r1`. */
  public readonly kubernetesVersion: string;

  private constructor(major: number, minor: number, patch: number, release: number) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.release = release;
    this.kubernetesVersion = `v${major}.${minor}.${patch}`;
  }

  /**
   * Orders releases: negative when this one is older than `other`, 0 when equal, positive when
   * newer. Compares major, minor, patch, then release, as numbers (`v1.32.10` is newer than `v1.32.9`).
   */
  public compare(other: Rke2Version): number {
    return (
      this.major - other.major || this.minor - other.minor || this.patch - other.patch || this.release - other.release
    );
  }

  /** The canonical text, such as `v1.32.4+rke2r1`. */
  public toString(): string {
    return `${this.kubernetesVersion}+rke2r${this.release}`;
  }
}
