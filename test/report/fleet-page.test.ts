import { fleetRow, renderFleetPage } from '../../lib/report/fleet-page';
import { siteFacts } from '../../lib/report/site-facts';
import { example } from './fixtures';

const dataOf = (html: string) =>
  JSON.parse(/<script type="application\/json" id="fleet-data">(.*)<\/script>/.exec(html)![1]);

describe('fleetRow', () => {
  test('GIVEN a site THEN its row has kind, hosts, VIP, versions, problems and diagram link', () => {
    const facts = siteFacts('ha', example('ha-metallb').objects);
    expect(fleetRow(facts, [], 'ha.svg')).toEqual({
      name: 'ha',
      kind: 'rke2-metal3',
      hosts: 5,
      vip: '192.168.122.100',
      versions: 'v1.32.4+rke2r1',
      problems: [],
      diagram: 'ha.svg',
    });
  });
});

describe('renderFleetPage', () => {
  test('one self-contained page: inline style and script, no external resource', () => {
    const html = renderFleetPage([{ name: 'a', kind: 'k', hosts: 1, vip: '', versions: '', problems: [] }]);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('<h1>Fleet: 1 site(s), 0 failed</h1>');
  });

  test('the rows are embedded as JSON that no text can close early', () => {
    const rows = [
      {
        name: 'x',
        kind: '</script><script>alert(1)</script>',
        hosts: 0,
        vip: '',
        versions: '',
        problems: ['<b>bad</b>'],
      },
    ];
    const html = renderFleetPage(rows, 'A & <B>');
    expect(html).not.toContain('</script><script>alert(1)');
    expect(dataOf(html)).toEqual(rows);
    expect(html).toContain('<title>A &amp; &lt;B&gt;</title>');
    expect(html).toContain('<h1>A &amp; &lt;B&gt;: 1 site(s), 1 failed</h1>');
  });
});
