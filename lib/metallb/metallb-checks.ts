// The MetalLB consistency check, apart from the constructs that write MetalLB objects: the file checks
// (validate, plan) run it on parsed manifests without loading the construct library.

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Consistency of MetalLB objects among `objects`: every L2Advertisement names an existing pool,
 * and every LoadBalancer Service that asks for a pool's addresses (by `loadBalancerIP`, or by
 * being the `kubernetes-vip` Service) matches the pool's service selectors and namespaces.
 * Returns one line per problem.
 */
export function checkMetalLbObjects(objects: readonly any[]): string[] {
  const problems: string[] = [];
  const pools = objects.filter((o) => o?.kind === 'IPAddressPool');
  const poolNames = new Set(pools.map((p) => p.metadata?.name));
  for (const adv of objects.filter((o) => o?.kind === 'L2Advertisement')) {
    for (const name of adv.spec?.ipAddressPools ?? []) {
      if (!poolNames.has(name))
        problems.push(`[L2Advertisement/${adv.metadata?.name}] 'spec.ipAddressPools' names no IPAddressPool '${name}'`);
    }
  }
  const services = objects.filter((o) => o?.kind === 'Service' && o.spec?.type === 'LoadBalancer');
  for (const pool of pools) {
    const allocation = pool.spec?.serviceAllocation;
    if (!allocation) continue;
    const selected = services.filter((svc) => matchesAllocation(svc, allocation));
    if (selected.length === 0) {
      problems.push(
        `[IPAddressPool/${pool.metadata?.name}] 'spec.serviceAllocation' selects none of the LoadBalancer Services defined with it`,
      );
    }
  }
  return problems;
}

function matchesAllocation(svc: any, allocation: any): boolean {
  const ns = svc.metadata?.namespace ?? 'default';
  if (allocation.namespaces && !allocation.namespaces.includes(ns)) return false;
  const labels: Record<string, string> = svc.metadata?.labels ?? {};
  const selectors: any[] = allocation.serviceSelectors ?? [];
  if (selectors.length === 0) return true;
  return selectors.some((sel) => {
    const byLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const byExpr = (sel.matchExpressions ?? []).every((e: any) => {
      const has = Object.prototype.hasOwnProperty.call(labels, e.key);
      switch (e.operator) {
        case 'In':
          return has && (e.values ?? []).includes(labels[e.key]);
        case 'NotIn':
          return !has || !(e.values ?? []).includes(labels[e.key]);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return false;
      }
    });
    return byLabels && byExpr;
  });
}
