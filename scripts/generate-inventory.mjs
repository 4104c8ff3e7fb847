// Writes examples/fleet-inventory/sites.csv: 1,000 deterministic sites, every fourth one HA.
// Run `node scripts/generate-inventory.mjs [count] [file]`; the committed file is its output.
import { writeFileSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';
import { generateSites, toCsv } from './fleet-sites.mjs';

const count = Number(process.argv[2] ?? 1000);
const file = process.argv[3] ?? fileURLToPath(new URL('../examples/fleet-inventory/sites.csv', import.meta.url));
writeFileSync(file, toCsv(generateSites(count, 4)));
console.log(`wrote ${count} sites to ${file}`);
