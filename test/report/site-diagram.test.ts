import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { escapeXml, renderSiteDiagram, siteDiagram } from '../../lib/report/site-diagram';
import { HostFacts, SiteFacts, siteFacts } from '../../lib/report/site-facts';
import { example } from './fixtures';

/** Golden diagrams: test/golden/report/<example>.svg; rewrite with UPDATE_GOLDEN=1. */
const goldenDir = join(__dirname, '..', 'golden', 'report');

/** The host boxes of a diagram: name and rectangle. */
export function hostBoxes(svg: string): { name: string; x: number; y: number; w: number; h: number }[] {
  const re =
    /<g class="host" id="[^"]+" data-name="([^"]*)">\n<rect class="box" x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g;
  return [...svg.matchAll(re)].map((m) => ({ name: m[1], x: +m[2], y: +m[3], w: +m[4], h: +m[5] }));
}

function overlaps(boxes: ReturnType<typeof hostBoxes>): string[] {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push(`${a.name}/${b.name}`);
    }
  }
  return out;
}

/** The text of an SVG, entities decoded. */
function textOf(svg: string): string {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((m) =>
      m[1]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    )
    .join('\n');
}

const host = (i: number, interfaces: number): HostFacts => ({
  name: `host-${i}`,
  namespace: 'ns',
  role: i < 3 ? 'control-plane' : 'worker',
  cluster: 'c',
  bootMACAddress: `0c:00:00:00:00:${i.toString(16).padStart(2, '0')}`,
  bmcAddress: `redfish://10.1.0.${i + 1}/redfish/v1/Systems/1`,
  bmcDriver: 'redfish',
  bmcHost: `10.1.0.${i + 1}`,
  credentialsName: `host-${i}-bmc`,
  interfaces: Array.from({ length: interfaces }, (_, k) => ({
    name: `eth${k}`,
    type: 'ethernet',
    addresses: [`10.${k}.0.${i + 10}/24`],
    dynamic: false,
  })),
  dnsServers: [],
  gateways: [],
});

const site = (hosts: HostFacts[]): SiteFacts => ({
  name: 'generated',
  clusters: [
    {
      name: 'c',
      namespace: 'ns',
      kind: 'rke2-metal3',
      apiVIPs: ['10.0.0.100'],
      ingressVIPs: [],
      metallbPool: [],
      podCidrs: [],
      serviceCidrs: [],
      machineNetworks: [],
      nodePools: [],
    },
  ],
  hosts,
  networks: [],
  dnsZones: [],
});

describe('siteDiagram', () => {
  test.each(['ha-metallb', 'single-node-static'])(
    'GIVEN the %s example THEN the diagram is its golden file',
    (name) => {
      // GIVEN / WHEN
      const svg = siteDiagram(example(name).chart);
      // THEN
      const file = join(goldenDir, `${name}.svg`);
      if (process.env.UPDATE_GOLDEN) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(file, svg);
      }
      const expected = existsSync(file) ? readFileSync(file, 'utf8') : `(no golden file ${file}: UPDATE_GOLDEN=1)`;
      expect(svg).toBe(expected);
    },
  );

  test('every host, MAC, BMC and address of the site is in the text, with VIP, pool, CIDRs and versions', () => {
    for (const name of ['ha-metallb', 'single-node-static', 'hosted-cluster-agent', 'assisted-cn2']) {
      const facts = siteFacts(name, example(name).objects);
      const text = textOf(renderSiteDiagram(facts));
      for (const h of facts.hosts) {
        expect(text).toContain(h.name);
        expect(text).toContain(h.bootMACAddress);
        expect(text).toContain(h.bmcHost);
        for (const i of h.interfaces) for (const a of i.addresses) expect(text).toContain(a);
      }
      for (const c of facts.clusters) {
        for (const v of [...c.apiVIPs, ...c.ingressVIPs, ...c.metallbPool, ...c.podCidrs, ...c.serviceCidrs]) {
          expect(text).toContain(v);
        }
        if (c.version) expect(text.replace(/\n {2}/g, '')).toContain(c.version);
      }
      for (const n of facts.networks) expect(text).toContain(n.cidr);
    }
  });

  test('a hosted cluster shows its NodePool between the control plane and the agent hosts', () => {
    const svg = siteDiagram(example('hosted-cluster-agent').chart);
    expect(svg).toContain('<g class="pool" id="pool-0-0" data-name="node pool hosted">');
    expect(textOf(svg)).toContain('HyperShift hosted cluster: control plane on the hub');
  });

  test('GIVEN 1 to 20 hosts with any number of interfaces THEN no two host boxes overlap and hosts read left to right', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 20 }), (ifaces) => {
        const svg = renderSiteDiagram(site(ifaces.map((n, i) => host(i, n))));
        const boxes = hostBoxes(svg);
        expect(boxes).toHaveLength(ifaces.length);
        expect(overlaps(boxes)).toEqual([]);
        // the first row, left to right, is the first hosts in order
        const firstRow = [...boxes].filter((b) => b.y === Math.min(...boxes.map((x) => x.y))).sort((a, b) => a.x - b.x);
        expect(firstRow.map((b) => b.name)).toEqual(boxes.slice(0, firstRow.length).map((b) => b.name));
      }),
      { numRuns: 40 },
    );
  });

  test('the same facts give the same bytes, laid out afresh or from the layout cache', () => {
    const facts = siteFacts('sns', example('single-node-static').objects);
    const first = renderSiteDiagram(facts);
    expect(renderSiteDiagram(JSON.parse(JSON.stringify(facts)))).toBe(first);
  });

  test('names are escaped', () => {
    const facts = site([{ ...host(0, 1), name: 'a<b>&"c\'' }]);
    const svg = renderSiteDiagram(facts);
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(svg).not.toContain('a<b>');
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;');
  });
});
