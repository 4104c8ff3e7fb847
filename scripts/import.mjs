#!/usr/bin/env node
// Regenerates imports/ (TypeScript classes, by `cdk8s import`) and schemas/ (structural schemas of
// the served CRD versions, descriptions stripped) from the pinned URLs in cdk8s.yaml, and copies the
// JSON Schemas pinned under `jsonSchemas:` (not CRDs, such as Ignition's) to schemas/<name>.json.
//
// Offline and reproducible: a URL https://raw.githubusercontent.com/<owner>/<repo>/<ref>/<path> is
// read from <mirror>/<owner>/<repo>/<ref>/<path> when that file exists. The mirror is
// $CDK8S_CRD_MIRROR, else ../shared/crds next to this repository. Without a mirror the URLs are
// fetched by cdk8s itself.
//
// Usage: node scripts/import.mjs            regenerate imports/ and schemas/ in place
//        node scripts/import.mjs --check    regenerate into a temporary folder and compare (exit 1 on drift)
//        node scripts/import.mjs --mirror   print the mirror folder in use, or nothing
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RAW = 'https://raw.githubusercontent.com/';

export function mirrorDir() {
  const candidates = [process.env.CDK8S_CRD_MIRROR, join(root, '..', 'shared', 'crds')].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'urls.txt')) || existsSync(join(d, 'SOURCES.md')));
}

/** The `name:=url` entries of cdk8s.yaml, in file order. */
export function pinnedImports() {
  const config = parse(readFileSync(join(root, 'cdk8s.yaml'), 'utf8'));
  return (config.imports ?? []).map((entry) => {
    const at = entry.indexOf(':=');
    if (at < 0) throw new Error(`cdk8s.yaml: import '${entry}' has no name; write <plural>:=<url>`);
    return { name: entry.slice(0, at), url: entry.slice(at + 2) };
  });
}

/**
 * The `name:=url` entries of cdk8s.yaml's `jsonSchemas` key: JSON Schemas that are not CRDs (the
 * Ignition config specs), copied unchanged to schemas/<name>.json. The cdk8s CLI ignores the key.
 */
export function pinnedJsonSchemas() {
  const config = parse(readFileSync(join(root, 'cdk8s.yaml'), 'utf8'));
  return (config.jsonSchemas ?? []).map((entry) => {
    const at = entry.indexOf(':=');
    if (at < 0) throw new Error(`cdk8s.yaml: JSON schema '${entry}' has no name; write <name>:=<url>`);
    const name = entry.slice(0, at);
    if (!/^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*$/.test(name)) {
      throw new Error(`cdk8s.yaml: JSON schema name '${name}' is not a relative path such as ignition/v3_4`);
    }
    return { name, url: entry.slice(at + 2) };
  });
}

function localSource(url, mirror) {
  if (!mirror || !url.startsWith(RAW)) return undefined;
  const file = join(mirror, url.slice(RAW.length));
  return existsSync(file) ? file : undefined;
}

async function readSource(url, mirror) {
  const file = localSource(url, mirror);
  if (file) return readFileSync(file, 'utf8');
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

/** Removes `description` keywords from a JSON schema, keeping properties that happen to be called so. */
function stripDescriptions(schema) {
  if (Array.isArray(schema)) return schema.map(stripDescriptions);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripDescriptions(v)]));
    } else if (typeof value === 'object') {
      out[key] = stripDescriptions(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

async function generateSchemas(imports, mirror, outDir) {
  mkdirSync(outDir, { recursive: true });
  const index = {};
  for (const { name, url } of imports) {
    const docs = parseAllDocuments(await readSource(url, mirror)).map((d) => d.toJS());
    for (const crd of docs) {
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const { group, names } = crd.spec;
      for (const version of crd.spec.versions) {
        if (!version.served) continue;
        const apiVersion = `${group}/${version.name}`;
        const file = `${names.plural}.${group}.${version.name}.json`;
        const schema = stripDescriptions(version.schema?.openAPIV3Schema ?? {});
        writeFileSync(join(outDir, file), JSON.stringify(schema) + '\n');
        index[`${apiVersion}/${names.kind}`] = {
          apiVersion,
          kind: names.kind,
          scope: crd.spec.scope,
          file,
          import: name,
        };
      }
    }
  }
  const sorted = Object.fromEntries(
    Object.keys(index)
      .sort()
      .map((k) => [k, index[k]]),
  );
  writeFileSync(join(outDir, 'index.json'), JSON.stringify(sorted, null, 2) + '\n');
}

/** Copies each pinned JSON Schema byte for byte to <outDir>/<name>.json, after checking it parses. */
async function copyJsonSchemas(schemas, mirror, outDir) {
  for (const { name, url } of schemas) {
    const text = await readSource(url, mirror);
    const schema = JSON.parse(text);
    if (typeof schema.$schema !== 'string') throw new Error(`${url}: not a JSON Schema (no $schema)`);
    const file = join(outDir, `${name}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

function generateImports(imports, mirror, outDir) {
  const work = mkdtempSync(join(tmpdir(), 'cdk8s-import-'));
  try {
    const entries = imports.map(({ name, url }) => `  - ${name}:=${localSource(url, mirror) ?? url}`);
    writeFileSync(join(work, 'cdk8s.yaml'), `language: typescript\napp: 'true'\nimports:\n${entries.join('\n')}\n`);
    const cli = join(root, 'node_modules', '.bin', 'cdk8s');
    execFileSync(cli, ['import', '--no-check-upgrade', '--language', 'typescript', '--output', 'imports'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    rmSync(outDir, { recursive: true, force: true });
    cpSync(join(work, 'imports'), outDir, { recursive: true });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** Names of files that differ between two folders (missing on either side counts). */
export function diffDirs(a, b) {
  const files = [...new Set([...listFiles(a), ...listFiles(b)])].sort();
  return files.filter((f) => {
    const pa = join(a, f);
    const pb = join(b, f);
    return !existsSync(pa) || !existsSync(pb) || !readFileSync(pa).equals(readFileSync(pb));
  });
}

async function main() {
  const args = process.argv.slice(2);
  const mirror = mirrorDir();
  if (args.includes('--mirror')) {
    if (mirror) console.log(mirror);
    return;
  }
  const imports = pinnedImports();
  const jsonSchemas = pinnedJsonSchemas();
  if (args.includes('--check')) {
    const out = mkdtempSync(join(tmpdir(), 'cdk8s-baremetal-check-'));
    try {
      generateImports(imports, mirror, join(out, 'imports'));
      await generateSchemas(imports, mirror, join(out, 'schemas'));
      await copyJsonSchemas(jsonSchemas, mirror, join(out, 'schemas'));
      const drift = [
        ...diffDirs(join(root, 'imports'), join(out, 'imports')).map((f) => `imports/${f}`),
        ...diffDirs(join(root, 'schemas'), join(out, 'schemas')).map((f) => `schemas/${f}`),
      ];
      if (drift.length > 0) {
        console.error(
          `committed files differ from a fresh regeneration; run 'npm run import':\n  ${drift.join('\n  ')}`,
        );
        process.exitCode = 1;
      } else {
        console.log(
          `imports/ and schemas/ match a fresh regeneration of ${imports.length} CRDs and ${jsonSchemas.length} JSON schemas`,
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    return;
  }
  console.log(
    `importing ${imports.length} CRDs and ${jsonSchemas.length} JSON schemas from ${mirror ?? 'the network'}`,
  );
  generateImports(imports, mirror, join(root, 'imports'));
  await generateSchemas(imports, mirror, join(root, 'schemas'));
  await copyJsonSchemas(jsonSchemas, mirror, join(root, 'schemas'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
