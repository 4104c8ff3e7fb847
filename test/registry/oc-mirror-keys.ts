// The ImageSetConfiguration keys of the shared format sheet oc-mirror-imagesetconfiguration-v2alpha1.md.

/** Keys oc-mirror v2 (release-4.20, ≈ 4.18–4.21) accepts; its decoder refuses any other. */
const KEYS: Record<string, string[]> = {
  '': ['apiVersion', 'kind', 'mirror', 'archiveSize'],
  mirror: ['platform', 'operators', 'additionalImages', 'helm', 'blockedImages', 'samples'],
  'mirror.platform': ['channels', 'graph', 'release', 'kubeVirtContainer', 'architectures'],
  'mirror.platform.channels': ['name', 'type', 'minVersion', 'maxVersion', 'shortestPath', 'full'],
  'mirror.operators': ['catalog', 'packages', 'full', 'skipDependencies', 'targetCatalog', 'targetTag'],
  'mirror.operators.packages': ['name', 'channels', 'defaultChannel', 'minVersion', 'maxVersion'],
  'mirror.operators.packages.channels': ['name', 'minVersion', 'maxVersion'],
  'mirror.additionalImages': ['name'],
};

/** Every key path of `doc` that oc-mirror would refuse as unknown. */
export function unknownImageSetKeys(doc: unknown, path = ''): string[] {
  if (Array.isArray(doc)) return doc.flatMap((d) => unknownImageSetKeys(d, path));
  if (doc === null || typeof doc !== 'object') return [];
  const allowed = KEYS[path];
  if (!allowed) return [];
  return Object.entries(doc).flatMap(([k, v]) =>
    allowed.includes(k) ? unknownImageSetKeys(v, path ? `${path}.${k}` : k) : [`${path}.${k}`],
  );
}
