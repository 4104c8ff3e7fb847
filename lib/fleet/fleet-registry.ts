import { IConstruct } from 'constructs';
import { At, fail } from '../private/errors';

/** What must be unique across every site of an app (a fleet is one app). */
export type UniqueFact = 'boot MAC address' | 'BMC address' | 'host name' | 'IP address';

interface Claim {
  readonly where: At;
  readonly owner: string;
}

const registries = new WeakMap<IConstruct, FleetRegistry>();

/**
 * App-wide register of facts that must be unique across all sites: boot MACs, BMC addresses,
 * host names, static IPs and VIPs. A second claim of the same fact fails at once and names both
 * places. One hash map per fact kind: linear in the size of the fleet.
 */
export class FleetRegistry {
  /** The registry of the app that `scope` belongs to. */
  public static of(scope: IConstruct): FleetRegistry {
    const root = scope.node.root;
    let registry = registries.get(root);
    if (!registry) {
      registry = new FleetRegistry();
      registries.set(root, registry);
    }
    return registry;
  }

  private readonly claims = new Map<string, Claim>();

  private constructor() {}

  /**
   * Claims `value` as a `fact` for `owner` (a construct path). Fails when another owner claimed
   * it; the same owner may claim a value again.
   */
  public claim(fact: UniqueFact, value: string, where: At, owner: string): void {
    const key = `${fact}\u0000${value}`;
    const previous = this.claims.get(key);
    if (previous && previous.owner !== owner) {
      fail(
        where,
        `is also the ${fact} of [${previous.where.path}] '${previous.where.prop}'`,
        value,
        `every ${fact} must be unique across the fleet; correct one of the two`,
      );
    }
    if (!previous) this.claims.set(key, { where, owner });
  }
}
