// npm run docs: the API reference in docs/api/, generated from the TSDoc of lib/index.ts's exports
// (typedoc with typedoc-plugin-markdown, both pinned). test/api-docs.test.ts regenerates it into a
// temporary folder and fails when docs/api/ differs: run `npm run docs` and commit the result.
// The generated CRD classes (imports/) are not documented here: they mirror the upstream CRDs.
import { OptionDefaults } from 'typedoc';

/** @type {Partial<import('typedoc').TypeDocOptions & import('typedoc-plugin-markdown').PluginOptions>} */
export default {
  entryPoints: ['lib/index.ts'],
  tsconfig: 'tsconfig.docs.json',
  plugin: ['typedoc-plugin-markdown'],
  out: 'docs/api',
  readme: 'none',
  name: 'cdk8s-baremetal API reference',
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  disableSources: true,
  hideGenerator: true,
  cleanOutputDir: true,
  outputFileStrategy: 'members',
  entryFileName: 'README.md',
  treatWarningsAsErrors: true,
  validation: {
    notExported: false,
    invalidLink: true,
    notDocumented: false,
  },
  logLevel: 'Warn',
  externalPattern: ['**/imports/**', '**/node_modules/**'],
  excludeExternals: true,
  // cdk8s import writes @schema <name> on every generated class
  blockTags: [...OptionDefaults.blockTags, '@schema'],
};
