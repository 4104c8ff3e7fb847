import { SiteFacts } from './site-facts';

/** One row of the fleet page. */
export interface FleetPageRow {
  /** Site name. */
  readonly name: string;
  /** Cluster kinds of the site, for example `rke2-metal3`; empty for a failed site. */
  readonly kind: string;
  /** Number of hosts. */
  readonly hosts: number;
  /** API VIPs. */
  readonly vip: string;
  /** Distribution versions. */
  readonly versions: string;
  /** Validation problems; empty when the site is valid. */
  readonly problems: readonly string[];
  /**
   * Link to the site's diagram, relative to the page.
   * @default - no diagram (the site failed)
   */
  readonly diagram?: string;
}

/** The row of a site from its facts. */
export function fleetRow(facts: SiteFacts, problems: readonly string[] = [], diagram?: string): FleetPageRow {
  const uniq = (xs: string[]) => [...new Set(xs)].join(', ');
  return {
    name: facts.name,
    kind: uniq(facts.clusters.map((c) => c.kind)),
    hosts: facts.hosts.length,
    vip: uniq(facts.clusters.flatMap((c) => c.apiVIPs)),
    versions: uniq(facts.clusters.flatMap((c) => (c.version ? [c.version] : []))),
    problems,
    ...(diagram ? { diagram } : {}),
  };
}

/** `JSON.stringify` that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#1f2328;background:#fff}
h1{font-size:20px;margin:0 0 8px}
#bar{position:sticky;top:0;background:#fff;padding:8px 0;display:flex;gap:12px;align-items:center}
#filter{font:inherit;padding:4px 8px;width:24em}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #d0d7de;white-space:nowrap}
th{background:#f6f8fa;position:sticky;top:44px}
td.bad{color:#a40e26;white-space:normal}
td.ok{color:#1a7f37}
#more{margin:8px 0}
`;

// Rows are rendered in pages of PAGE as the reader scrolls, so a page of 10,000 sites opens at
// once; the filter matches every field of every site.
const SCRIPT = `
(function () {
  var PAGE = 500;
  var data = JSON.parse(document.getElementById('fleet-data').textContent);
  var body = document.getElementById('rows');
  var count = document.getElementById('count');
  var more = document.getElementById('more');
  var filter = document.getElementById('filter');
  var esc = function (s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  };
  var hay = data.map(function (r) {
    return [r.name, r.kind, r.vip, r.versions, r.problems.join(' '), r.problems.length ? 'failed' : 'ok']
      .join('\\u0000')
      .toLowerCase();
  });
  var shown = [];
  var rendered = 0;
  function row(r) {
    var name = r.diagram ? '<a href="' + esc(r.diagram) + '">' + esc(r.name) + '</a>' : esc(r.name);
    var status = r.problems.length
      ? '<td class="bad" title="' + esc(r.problems.join('\\n')) + '">' + r.problems.length + ' problem(s): ' + esc(r.problems[0]) + '</td>'
      : '<td class="ok">valid</td>';
    return '<tr><td>' + name + '</td><td>' + esc(r.kind) + '</td><td>' + r.hosts + '</td><td>' + esc(r.vip) +
      '</td><td>' + esc(r.versions) + '</td>' + status + '</tr>';
  }
  function renderMore() {
    var end = Math.min(shown.length, rendered + PAGE);
    var html = '';
    for (var i = rendered; i < end; i++) html += row(data[shown[i]]);
    body.insertAdjacentHTML('beforeend', html);
    rendered = end;
    more.hidden = rendered >= shown.length;
    more.textContent = 'show ' + Math.min(PAGE, shown.length - rendered) + ' more of ' + (shown.length - rendered);
  }
  function apply() {
    var q = filter.value.trim().toLowerCase();
    shown = [];
    for (var i = 0; i < data.length; i++) if (!q || hay[i].indexOf(q) >= 0) shown.push(i);
    body.textContent = '';
    rendered = 0;
    count.textContent = shown.length + ' of ' + data.length + ' site(s)';
    renderMore();
  }
  var timer;
  filter.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 80);
  });
  more.addEventListener('click', renderMore);
  if ('IntersectionObserver' in window) {
    new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting && rendered < shown.length) renderMore();
    }).observe(more);
  }
  apply();
})();
`;

/**
 * The fleet page: one self-contained HTML file (inline CSS and JavaScript, no network access)
 * with a table of sites (kind, hosts, API VIP, versions, validation result), a filter box and a
 * link to each site's diagram. The sites are embedded as JSON and rendered as the reader scrolls,
 * so a fleet of 10,000 sites opens at once.
 */
export function renderFleetPage(rows: readonly FleetPageRow[], title = 'Fleet'): string {
  const failed = rows.filter((r) => r.problems.length > 0).length;
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${esc(title)}: ${rows.length} site(s), ${failed} failed</h1>`,
    '<div id="bar"><input id="filter" type="search" placeholder="filter: site, kind, VIP, version, problem" aria-label="filter sites"><span id="count"></span></div>',
    '<table><thead><tr><th>site</th><th>kind</th><th>hosts</th><th>API VIP</th><th>versions</th><th>validation</th></tr></thead>',
    '<tbody id="rows"></tbody></table>',
    '<button id="more" type="button" hidden></button>',
    `<script type="application/json" id="fleet-data">${scriptJson(rows)}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
