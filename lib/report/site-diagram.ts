import dagre from '@dagrejs/dagre';
import type { Chart } from 'cdk8s';
import { ClusterFacts, HostFacts, NetworkFacts, NodePoolFacts, SiteFacts, siteFacts } from './site-facts';

/** Characters per line before a box's text is wrapped. */
const MAX_CHARS = 64;
/** Width of one character of the 12 px monospace font, in px (DejaVu Sans Mono and most others: 0.6 em). */
const CHAR_WIDTH = 7.25;
const LINE_HEIGHT = 15;
const PAD = 10;
/** Hosts per row under their cluster or NodePool; more rows below. */
const HOSTS_PER_ROW = 5;
/** Vertical gap between ranks, in px. */
const RANK_GAP = 48;

interface Box {
  readonly id: string;
  /** `cluster`, `pool`, `network` or `host`: the CSS class and colour. */
  readonly cls: string;
  readonly title: string;
  /** Accent: the role of a host, or the box kind. */
  readonly accent: string;
  readonly lines: string[];
  readonly width: number;
  readonly height: number;
}

interface Edge {
  readonly from: number;
  readonly to: number;
  /** Drawn, or only there to put hosts into rows. */
  readonly visible: boolean;
}

/** Box positions (centres) of one layout: what dagre computed. */
interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly { x: number; y: number }[];
}

/**
 * Layouts by graph shape (box sizes and edges, not their text): sites of a fleet mostly share a
 * handful of shapes, so a fleet lays out each shape once. Bounded; oldest shape out first.
 */
const layouts = new Map<string, Layout>();
const MAX_LAYOUTS = 512;

function wrap(line: string): string[] {
  if (line.length <= MAX_CHARS) return [line];
  const out: string[] = [];
  let rest = line;
  let first = true;
  while (rest.length > 0) {
    const room = first ? MAX_CHARS : MAX_CHARS - 2;
    out.push((first ? '' : '  ') + rest.slice(0, room));
    rest = rest.slice(room);
    first = false;
  }
  return out;
}

function box(id: string, cls: string, title: string, accent: string, raw: string[]): Box {
  const lines = raw.flatMap(wrap);
  const chars = Math.max(title.length + 2, ...lines.map((l) => l.length), 24);
  // Sizes are rounded up, so that sites whose texts differ a little share a layout.
  const width = Math.ceil((chars * CHAR_WIDTH + 2 * PAD) / 40) * 40;
  const height = 24 + lines.length * LINE_HEIGHT + PAD;
  return { id, cls, title, accent, lines, width, height };
}

function clusterBox(c: ClusterFacts, index: number): Box {
  const kind =
    c.kind === 'rke2-metal3'
      ? 'RKE2 on Metal3 (Cluster API)'
      : c.kind === 'hosted-cluster'
        ? 'HyperShift hosted cluster: control plane on the hub'
        : 'OpenShift Assisted install';
  const lines = [kind];
  if (c.version) lines.push(`version ${c.version}`);
  if (c.apiVIPs.length > 0) lines.push(`API VIP ${c.apiVIPs.join(', ')}`);
  if (c.ingressVIPs.length > 0) lines.push(`Ingress VIP ${c.ingressVIPs.join(', ')}`);
  if (c.apiPublishing) lines.push(`API server published as ${c.apiPublishing}`);
  if (c.metallbPool.length > 0) lines.push(`MetalLB pool ${c.metallbPool.join(', ')}`);
  if (c.podCidrs.length > 0) lines.push(`pods ${c.podCidrs.join(', ')}`);
  if (c.serviceCidrs.length > 0) lines.push(`services ${c.serviceCidrs.join(', ')}`);
  if (c.machineNetworks.length > 0) lines.push(`machine network ${c.machineNetworks.join(', ')}`);
  if (c.baseDomain) lines.push(`base domain ${c.baseDomain}`);
  if (c.osImage) lines.push(`OS image ${c.osImage}`);
  return box(`cluster-${index}`, 'cluster', `cluster ${c.name}`, c.kind, lines);
}

function poolBox(p: NodePoolFacts, id: string): Box {
  const lines = [`NodePool${p.replicas !== undefined ? `, ${p.replicas} replica(s)` : ''}`];
  lines.push(p.hosts.length > 0 ? `agent hosts ${p.hosts.join(', ')}` : 'no agent host matches its selector');
  return box(id, 'pool', `node pool ${p.name}`, 'pool', lines);
}

function networkBox(n: NetworkFacts, index: number): Box {
  const lines = ['machine network'];
  if (n.gateways.length > 0) lines.push(`gateway ${n.gateways.join(', ')}`);
  if (n.dnsServers.length > 0) lines.push(`DNS ${n.dnsServers.join(', ')}`);
  if (n.hosts.length > 0) lines.push(`${n.hosts.length} host(s)`);
  return box(`network-${index}`, 'network', n.cidr, 'network', lines);
}

function hostBox(h: HostFacts, index: number): Box {
  const lines = [`role ${h.role}`, `boot MAC ${h.bootMACAddress}`, `BMC ${h.bmcDriver} ${h.bmcHost}`];
  if (h.rootDevice) lines.push(`root device ${h.rootDevice}`);
  if (h.interfaces.length === 0) lines.push('network: DHCP (no static network data)');
  for (const i of h.interfaces) {
    const parts = [i.name, i.type];
    if (i.type === 'bond') parts.push(`[${(i.members ?? []).join(', ')}]${i.bondMode ? ` ${i.bondMode}` : ''}`);
    if (i.type === 'vlan') parts.push(`id ${i.vlanId ?? '?'}${i.baseInterface ? ` on ${i.baseInterface}` : ''}`);
    if (i.macAddress) parts.push(i.macAddress);
    if (i.mtu !== undefined) parts.push(`mtu ${i.mtu}`);
    if (i.dynamic) parts.push('dhcp');
    lines.push(parts.join(' '));
    for (const a of i.addresses) lines.push(`  ${a}`);
  }
  if (h.gateways.length > 0) lines.push(`gateway ${h.gateways.join(', ')}`);
  return box(`host-${index}`, 'host', h.name, h.role, lines);
}

/** The boxes and edges of a site: clusters (and NodePools) above their hosts, networks beside them. */
function graphOf(facts: SiteFacts): { boxes: Box[]; edges: Edge[] } {
  const boxes: Box[] = [];
  const edges: Edge[] = [];
  const hostIndex = new Map<string, number>();
  facts.clusters.forEach((c, i) => boxes.push(clusterBox(c, i)));
  facts.networks.forEach((n, i) => boxes.push(networkBox(n, i)));
  facts.hosts.forEach((h, i) => {
    hostIndex.set(h.name, boxes.length);
    boxes.push(hostBox(h, i));
  });
  const placed = new Set<number>();
  const children = (parent: number, hosts: number[]) => {
    const mine = hosts.filter((h) => !placed.has(h));
    mine.forEach((h, k) => {
      placed.add(h);
      // The first row hangs from the parent; each further host below the one a row above it.
      if (k < HOSTS_PER_ROW) edges.push({ from: parent, to: h, visible: true });
      else edges.push({ from: mine[k - HOSTS_PER_ROW], to: h, visible: false });
    });
  };
  facts.clusters.forEach((c, ci) => {
    c.nodePools.forEach((p, pi) => {
      const pool = boxes.length;
      boxes.push(poolBox(p, `pool-${ci}-${pi}`));
      edges.push({ from: ci, to: pool, visible: true });
      children(
        pool,
        p.hosts.map((h) => hostIndex.get(h)).filter((h): h is number => h !== undefined),
      );
    });
    children(
      ci,
      facts.hosts.filter((h) => h.cluster === c.name).map((h) => hostIndex.get(h.name)!),
    );
  });
  // Hosts of no cluster: rows of their own.
  const loose = facts.hosts.map((h) => hostIndex.get(h.name)!).filter((h) => !placed.has(h));
  loose.forEach((h, k) => {
    if (k >= HOSTS_PER_ROW) edges.push({ from: loose[k - HOSTS_PER_ROW], to: h, visible: false });
  });
  return { boxes, edges };
}

function layoutOf(boxes: readonly Box[], edges: readonly Edge[]): Layout {
  const key = JSON.stringify([boxes.map((b) => [b.width, b.height]), edges.map((e) => [e.from, e.to])]);
  const cached = layouts.get(key);
  if (cached) return cached;
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: RANK_GAP, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  boxes.forEach((b, i) => g.setNode(String(i), { width: b.width, height: b.height }));
  // dagre places the targets of edges added last leftmost: in reverse, hosts read left to right.
  [...edges].reverse().forEach((e) => g.setEdge(String(e.from), String(e.to), { weight: e.visible ? 1 : 4 }));
  dagre.layout(g);
  const graph = g.graph();
  const layout: Layout = {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: boxes.map((_, i) => {
      const n = g.node(String(i));
      return { x: n.x, y: n.y };
    }),
  };
  if (layouts.size >= MAX_LAYOUTS) layouts.delete(layouts.keys().next().value as string);
  layouts.set(key, layout);
  return layout;
}

/** Escapes text for SVG and HTML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

const ACCENTS: Record<string, string> = {
  'control-plane': '#1f6feb',
  master: '#1f6feb',
  worker: '#2da44e',
  agent: '#8250df',
  host: '#6e7781',
  network: '#bf8700',
  pool: '#8250df',
  'rke2-metal3': '#0a3069',
  'hosted-cluster': '#5a1e9e',
  assisted: '#a40e26',
};

const r = (n: number) => Math.round(n * 10) / 10;

/**
 * The site as a self-contained SVG: clusters (version, API and Ingress VIPs, MetalLB pool, pod and
 * service CIDRs, OS image), for hosted clusters the NodePools and their agent hosts, the machine
 * networks (gateway, DNS servers), and each host (role, boot MAC, BMC driver and address, root
 * device, nmstate interfaces with bond members, VLAN ids, MTU and addresses), laid out with dagre.
 * Deterministic: the same facts give the same bytes.
 */
export function renderSiteDiagram(facts: SiteFacts): string {
  const { boxes, edges } = graphOf(facts);
  const layout = layoutOf(boxes, edges);
  // dagre centres the boxes of a rank on one line; their tops are aligned instead, to read as a row.
  const rankHeight = new Map<number, number>();
  boxes.forEach((b, i) => {
    const y = layout.nodes[i].y;
    rankHeight.set(y, Math.max(rankHeight.get(y) ?? 0, b.height));
  });
  const topOf = (i: number) => layout.nodes[i].y - rankHeight.get(layout.nodes[i].y)! / 2;
  const header = 28;
  const width = Math.max(layout.width, 320);
  const height = layout.height + header;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="12">`,
    `<title>site ${escapeXml(facts.name)}</title>`,
    '<style>.box{fill:#fff;stroke:#57606a;stroke-width:1}.title{font-weight:bold;fill:#fff}.edge{fill:none;stroke:#8c959f;stroke-width:1.5}text{fill:#1f2328}</style>',
    `<rect width="${width}" height="${height}" fill="#f6f8fa"/>`,
    `<text x="16" y="19" font-size="14" font-weight="bold">site ${escapeXml(facts.name)}: ${facts.hosts.length} host(s), ${facts.clusters.length} cluster(s)</text>`,
    `<g transform="translate(0 ${header})">`,
  );
  // Edges run down from the parent, across in the gap above the child's rank, and down into it,
  // so that they never cross a box of either rank.
  for (const e of edges) {
    if (!e.visible) continue;
    const from = layout.nodes[e.from];
    const to = layout.nodes[e.to];
    const bottom = topOf(e.from) + boxes[e.from].height;
    const top = topOf(e.to);
    const mid = top - RANK_GAP / 2;
    out.push(`<path class="edge" d="M${r(from.x)} ${r(bottom)} V${r(mid)} H${r(to.x)} V${r(top)}"/>`);
  }
  boxes.forEach((b, i) => {
    const { x } = layout.nodes[i];
    const left = r(x - b.width / 2);
    const top = r(topOf(i));
    const accent = ACCENTS[b.accent] ?? ACCENTS.host;
    out.push(
      `<g class="${b.cls}" id="${b.id}" data-name="${escapeXml(b.title)}">`,
      `<rect class="box" x="${left}" y="${top}" width="${b.width}" height="${b.height}" rx="4"/>`,
      `<rect x="${left}" y="${top}" width="${b.width}" height="20" rx="4" fill="${accent}"/>`,
      `<text class="title" x="${r(left + PAD)}" y="${r(top + 14)}">${escapeXml(b.title)}</text>`,
    );
    b.lines.forEach((line, k) => {
      out.push(
        `<text x="${r(left + PAD)}" y="${r(top + 24 + (k + 1) * LINE_HEIGHT - 3)}" xml:space="preserve">${escapeXml(line)}</text>`,
      );
    });
    out.push('</g>');
  });
  out.push('</g>', '</svg>', '');
  return out.join('\n');
}

/**
 * The diagram of a site defined in code: `siteDiagram(chart)` synthesizes the chart's objects
 * (`chart.toJson()`) and draws them as {@link renderSiteDiagram} does. Write the string to a
 * `.svg` file, or embed it in HTML.
 */
export function siteDiagram(chart: Chart): string {
  return renderSiteDiagram(siteFacts(chart.node.id, chart.toJson()));
}
