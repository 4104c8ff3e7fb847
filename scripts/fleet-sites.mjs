// Deterministic fleet generator shared by scripts/generate-inventory.mjs and scripts/bench.mjs.
// Site i lives on 10.<i / 256>.<i % 256>.0/24; MACs and BMC addresses derive from i, so every
// site is unique across the fleet. Only arithmetic on i: the same n always yields the same sites.

const hex = (n) => n.toString(16).padStart(2, '0');

/** Site i of a generated fleet: `ha` three control-plane hosts behind a VIP, else one node. */
export function generateSite(i, ha) {
  if (i >= 65536) throw new Error('at most 65536 generated sites');
  const a = i >> 8;
  const b = i & 255;
  const net = `10.${a}.${b}`;
  const name = `edge-${String(i).padStart(5, '0')}`;
  const host = (n) => ({
    name: `${name}-node${n}`,
    bootMACAddress: `0c:c4:7a:${hex(a)}:${hex(b)}:${hex(n)}`,
    bmcAddress: `172.${16 + (a >> 4)}.${((a & 15) << 4) | (b >> 4)}.${((b & 15) << 4) | n}`,
    address: `${net}.${10 + n}/24`,
  });
  return {
    name,
    kind: ha ? 'ha-metallb' : 'single-node',
    rke2Version: 'v1.32.4+rke2r1',
    image: { url: 'http://imagecache.local:8080/eibimage-output-telco.raw', checksumType: 'sha256' },
    hosts: ha ? [host(1), host(2), host(3)] : [host(1)],
    ...(ha ? { vip: `${net}.100`, machineNetwork: `${net}.0/24` } : {}),
    gateway: `${net}.1`,
    dnsServers: [`${net}.2`],
    podCidr: '172.30.0.0/16',
    serviceCidr: '172.31.0.0/16',
  };
}

/** `n` generated sites; `haEvery` makes every k-th site HA (1: all HA). */
export function generateSites(n, haEvery = 1) {
  return Array.from({ length: n }, (_, i) => generateSite(i, i % haEvery === 0));
}

/** The sites as inventory CSV (one row per host, site columns on a site's first row). */
export function toCsv(sites) {
  const header =
    'site,kind,rke2_version,image_url,image_checksum_type,vip,machine_network,gateway,dns_servers,pod_cidr,service_cidr,host,boot_mac,bmc_address,host_address';
  const rows = [header];
  for (const s of sites) {
    s.hosts.forEach((h, i) => {
      const site =
        i === 0
          ? [
              s.kind,
              s.rke2Version,
              s.image.url,
              s.image.checksumType,
              s.vip ?? '',
              s.machineNetwork ?? '',
              s.gateway,
              s.dnsServers.join(' '),
              s.podCidr,
              s.serviceCidr,
            ]
          : ['', '', '', '', '', '', '', '', '', ''];
      rows.push([s.name, ...site, h.name, h.bootMACAddress, h.bmcAddress, h.address].join(','));
    });
  }
  return `${rows.join('\n')}\n`;
}
