import { IConstruct } from 'constructs';
import { At, fail } from '../private/errors';

/** What must be unique across every site of an app (a fleet is one app). */
export type UniqueFact = 'boot MAC address' | 'BMC address' | 'host name' | 'IP address';

interface Claim {
  readonly where: At;
  readonly owner: string;
}

/** One claim of a {@link FleetRegistry}, as plain data (it crosses worker threads). */
export interface FleetClaim {
  /** What kind of fact. */
  readonly fact: UniqueFact;
  /** The claimed value. */
  readonly value: string;
  /** Construct path and prop that claimed it. */
  readonly where: At;
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

  /** Every claim so far, in claim order: a fleet synthesized app by app merges them. */
  public entries(): FleetClaim[] {
    return [...this.claims].map(([key, claim]) => {
      const sep = key.indexOf('\u0000');
      return { fact: key.slice(0, sep) as UniqueFact, value: key.slice(sep + 1), where: claim.where };
    });
  }
}

/**
 * Fleet-wide uniqueness over claims gathered app by app (one small app per site): feed each
 * site's claims in inventory order; a claim already held by another site is a conflict, reported
 * on the later site with both places named. Linear in the number of claims.
 */
export class FleetClaims {
  private readonly held = new Map<string, { site: string; where: At }>();

  /** Adds the claims of `site`; returns the conflicts (none when every claim is new or its own). */
  public add(site: string, claims: readonly FleetClaim[]): string[] {
    const conflicts: string[] = [];
    for (const c of claims) {
      const key = `${c.fact}\u0000${c.value}`;
      const previous = this.held.get(key);
      if (previous && previous.site !== site) {
        conflicts.push(
          `[${c.where.path}] '${c.where.prop}' is also the ${c.fact} of [${previous.where.path}] '${previous.where.prop}' (got ${JSON.stringify(c.value)}); every ${c.fact} must be unique across the fleet; correct one of the two`,
        );
      } else if (!previous) {
        this.held.set(key, { site, where: c.where });
      }
    }
    return conflicts;
  }
}
