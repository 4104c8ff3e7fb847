// The YAML inventory reader: sites with nested hosts, optional defaults, anchors and merge keys;
// text stays text.
import { isAlias, isMap, isScalar, isSeq, LineCounter, Node, Pair, parseDocument, YAMLMap } from 'yaml';
import { show } from '../private/errors';
import { documentValue } from '../private/yaml-document';
import { checkDraft, collectProblems, Draft, HOST_KEYS, InventoryProblem, Located, toSite } from './inventory-draft';
import { SiteDescription } from './site-description';

const YAML_SITE_KEYS: Record<string, true> = {
  name: true,
  kind: true,
  rke2Version: true,
  image: true,
  hosts: true,
  vip: true,
  controlPlaneEndpoint: true,
  machineNetwork: true,
  gateway: true,
  dnsServers: true,
  podCidr: true,
  serviceCidr: true,
  bmcSecretStore: true,
};
const YAML_IMAGE_KEYS = ['url', 'checksum', 'checksumType'];

/**
 * Reads a YAML inventory: `sites:` (a list of {@link SiteDescription}s, hosts nested) and optional
 * `defaults:` (site fields every site inherits unless it sets them).
 */
export function parseYamlInventory(
  text: string,
  file: string,
): { sites: SiteDescription[]; problems: InventoryProblem[] } {
  const problems = collectProblems(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: '1.2' });
  const pos = (node: unknown): Located => {
    const range = (node as Node | undefined)?.range;
    const p = lineCounter.linePos(range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      problems.add(
        { line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1 },
        '(yaml)',
        e.message.split('\n')[0],
      );
    return { sites: [], problems: problems.list };
  }
  // Aliases are followed below; an alias bomb (or an alias without its anchor) stops here.
  const built = documentValue(doc);
  if (built.error !== undefined) {
    problems.add({ line: 1, column: 1 }, '(yaml)', `cannot be read: ${built.error}`);
    return { sites: [], problems: problems.list };
  }
  /** The node an alias stands for; any other node itself. */
  const deref = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  /**
   * The pairs of a map with `<<` merge keys applied: its own keys first, then those of the merged
   * maps that it does not set (the first merged map wins), as YAML merge keys do.
   */
  const pairsOf = (map: YAMLMap, merging: Set<YAMLMap> = new Set()): Pair[] => {
    merging.add(map);
    const own = map.items.filter((p) => keyOf(p) !== '<<');
    const seen = new Set(own.map(keyOf));
    const merged: Pair[] = [];
    for (const m of map.items.filter((p) => keyOf(p) === '<<')) {
      const source = deref(m.value);
      const sources = isSeq(source) ? source.items.map(deref) : [source];
      for (const src of sources) {
        if (!isMap(src) || merging.has(src)) {
          problems.add(
            pos(m.value),
            '<<',
            'merges something that is not a map (or itself); merge a map (<<: *defaults)',
          );
          continue;
        }
        for (const p of pairsOf(src, merging)) {
          if (seen.has(keyOf(p))) continue;
          seen.add(keyOf(p));
          merged.push(p);
        }
      }
    }
    return [...own, ...merged];
  };
  const get = (pairs: Pair[], key: string) => pairs.find((p) => keyOf(p) === key);
  const root = deref(doc.contents);
  if (!isMap(root)) {
    problems.add(pos(root), '(yaml)', 'is not a map; write sites: [...] and optionally defaults: {...}');
    return { sites: [], problems: problems.list };
  }
  const rootPairs = pairsOf(root);
  for (const pair of rootPairs) {
    const key = keyOf(pair);
    if (key !== 'sites' && key !== 'defaults' && !key.startsWith('x-'))
      problems.add(
        pos(pair.key),
        key,
        'is not a known key; use sites and defaults (keys starting with x- may hold anchors and are ignored)',
      );
  }
  /**
   * The text of a scalar. Text is never converted: a plain scalar YAML reads as something else (a
   * number, a boolean, a YAML 1.1 sexagesimal or octal number) is refused with the quoted form
   * to write, except a whole number written as such (`bmcSystemId: 1`), which reads back the same.
   */
  const scalarText = (raw: unknown, field: string, keyNode?: unknown): string | undefined => {
    const node = deref(raw);
    // A key without a value (`? gateway`) has no value node: the problem is placed at the key.
    const place = raw ?? keyNode;
    const key = field.split('.').pop();
    if (!isScalar(node)) {
      problems.add(
        pos(place),
        field,
        `must be text (got ${show((node as { toJSON?: () => unknown })?.toJSON?.() ?? node)})`,
      );
      return undefined;
    }
    if (typeof node.value === 'string') return node.value;
    const source = node.range ? text.slice(node.range[0], node.range[1]).trim() : String(node.value);
    if (node.value === null || node.value === undefined) {
      problems.add(
        pos(place),
        field,
        `is empty (got ${source === '' ? 'nothing' : source}); give it a value or leave the key out`,
      );
      return undefined;
    }
    if (typeof node.value === 'number' && /^-?(0|[1-9][0-9]{0,14})$/.test(source) && String(node.value) === source) {
      return source;
    }
    const what =
      typeof node.value === 'number'
        ? `the number ${show(node.value)}`
        : typeof node.value === 'boolean'
          ? `the boolean ${node.value}`
          : `a ${node.value instanceof Date ? 'timestamp' : typeof node.value}`;
    const v11 = doc.directives?.yaml.version === '1.1' ? ' under %YAML 1.1' : '';
    problems.add(
      pos(place),
      field,
      `is read as ${what}${v11}, not as the text written (got ${source}); quote it: ${key}: ${JSON.stringify(source)}`,
    );
    return undefined;
  };
  /** Reads site fields of a map into `fields` (dotted names). */
  const readSiteFields = (pairs: Pair[], fields: Draft['fields'], allowHosts: boolean, refused: Set<string>) => {
    for (const pair of pairs) {
      const key = keyOf(pair);
      if (!YAML_SITE_KEYS[key] || (key === 'hosts' && !allowHosts) || (key === 'name' && !allowHosts)) {
        problems.add(
          pos(pair.key),
          key,
          `is not a known ${allowHosts ? 'site' : 'defaults'} key; use ${Object.keys(YAML_SITE_KEYS)
            .filter((k) => allowHosts || (k !== 'hosts' && k !== 'name'))
            .join(', ')}`,
        );
        continue;
      }
      if (key === 'hosts') continue;
      const value = deref(pair.value);
      if (key === 'image') {
        if (!isMap(value)) {
          problems.add(pos(pair.value), 'image', 'must be a map with url, checksum, checksumType');
          continue;
        }
        for (const ip of pairsOf(value)) {
          const ik = keyOf(ip);
          if (!YAML_IMAGE_KEYS.includes(ik)) {
            problems.add(pos(ip.key), `image.${ik}`, `is not a known image key; use ${YAML_IMAGE_KEYS.join(', ')}`);
            continue;
          }
          const v = scalarText(ip.value, `image.${ik}`, ip.key);
          if (v !== undefined) fields.set(`image.${ik}`, { value: v, where: pos(ip.value) });
          else refused.add(`image.${ik}`);
        }
        continue;
      }
      if (key === 'dnsServers') {
        if (!isSeq(value)) {
          problems.add(pos(pair.value), key, 'must be a list of addresses');
          continue;
        }
        const values = value.items.map((i) => scalarText(i, key)).filter((v): v is string => v !== undefined);
        fields.set(key, { value: values, where: pos(pair.value) });
        continue;
      }
      const v = scalarText(pair.value, key, pair.key);
      if (v !== undefined) fields.set(key, { value: v, where: pos(pair.value) });
      else refused.add(key);
    }
  };

  const defaults: Draft['fields'] = new Map();
  const defaultsRefused = new Set<string>();
  const defaultsPair = get(rootPairs, 'defaults');
  if (defaultsPair !== undefined) {
    const defaultsNode = deref(defaultsPair.value);
    if (isMap(defaultsNode)) readSiteFields(pairsOf(defaultsNode), defaults, false, defaultsRefused);
    else problems.add(pos(defaultsPair.value), 'defaults', 'must be a map of site fields');
  }
  const sitesPair = get(rootPairs, 'sites');
  const sitesNode = deref(sitesPair?.value);
  if (!isSeq(sitesNode)) {
    problems.add(pos(sitesPair?.value ?? root), 'sites', 'must be a list of sites');
    return { sites: [], problems: problems.list };
  }
  const drafts: Draft[] = [];
  const seen = new Map<string, Located>();
  for (const raw of sitesNode.items) {
    const item = deref(raw);
    if (!isMap(item)) {
      problems.add(pos(raw), 'sites', 'holds an entry that is not a map');
      continue;
    }
    const pairs = pairsOf(item);
    const fields: Draft['fields'] = new Map(defaults);
    const refused = new Set(defaultsRefused);
    readSiteFields(pairs, fields, true, refused);
    const draft: Draft = { where: pos(raw), fields, hosts: [], refused };
    const name = get(pairs, 'name')?.value;
    if (name === undefined) {
      problems.add(pos(raw), 'name', 'is missing; every site needs a name');
      continue;
    }
    const n = fields.get('name')?.value as string | undefined;
    if (n !== undefined) {
      const first = seen.get(n);
      if (first) {
        problems.add(pos(name), 'name', `repeats site ${n} of line ${first.line}; list each site once`);
        continue;
      }
      seen.set(n, pos(name));
    }
    const hostsPair = get(pairs, 'hosts');
    const hosts = deref(hostsPair?.value);
    if (!isSeq(hosts)) {
      problems.add(pos(hostsPair?.value ?? raw), 'hosts', 'must be a list of hosts');
      continue;
    }
    for (const rawHost of hosts.items) {
      const h = deref(rawHost);
      if (!isMap(h)) {
        problems.add(pos(rawHost), 'hosts', 'holds an entry that is not a map');
        continue;
      }
      const hf: Draft['hosts'][number]['fields'] = new Map();
      const hostRefused = new Set<string>();
      for (const pair of pairsOf(h)) {
        const key = keyOf(pair);
        if (!HOST_KEYS.includes(key)) {
          problems.add(pos(pair.key), `host.${key}`, `is not a known host key; use ${HOST_KEYS.join(', ')}`);
          continue;
        }
        const v = scalarText(pair.value, `host.${key}`, pair.key);
        if (v !== undefined) hf.set(`host.${key}`, { value: v, where: pos(pair.value) });
        else hostRefused.add(`host.${key}`);
      }
      draft.hosts.push({ fields: hf, where: pos(rawHost), refused: hostRefused });
    }
    drafts.push(draft);
  }
  const sites = drafts.filter((d) => checkDraft(d, problems)).map((d) => toSite(d, file));
  return { sites, problems: problems.list };
}

/** The key of a pair as text (`String` of a scalar key's value). */
function keyOf(pair: Pair): string {
  const key = pair.key;
  return String(isScalar(key) ? key.value : (key as { toString?: () => string })?.toString?.());
}
