import { join } from 'node:path';
import * as ts from 'typescript';

/**
 * The public API is documented: every export of lib/index.ts has TSDoc, every property of an
 * exported interface has TSDoc, and every optional property says its `@default`.
 */
const root = join(__dirname, '..');

function undocumented(): string[] {
  const entry = join(root, 'lib', 'index.ts');
  const program = ts.createProgram([entry], { strict: true, target: ts.ScriptTarget.ES2022, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const problems: string[] = [];
  const hasDoc = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const decl of symbol.declarations ?? []) {
      if (!decl.getSourceFile().fileName.startsWith(join(root, 'lib'))) continue;
      if (ts.isInterfaceDeclaration(decl)) {
        if (!hasDoc(decl)) problems.push(`${symbol.name}: interface without TSDoc`);
        for (const member of decl.members) {
          if (!ts.isPropertySignature(member)) continue;
          const name = `${symbol.name}.${member.name.getText()}`;
          if (!hasDoc(member)) problems.push(`${name}: no TSDoc`);
          else if (member.questionToken && !ts.getJSDocTags(member).some((t) => t.tagName.text === 'default')) {
            problems.push(`${name}: optional without @default`);
          }
        }
      } else if (ts.isClassDeclaration(decl)) {
        if (!hasDoc(decl)) problems.push(`${symbol.name}: class without TSDoc`);
        for (const member of decl.members) {
          if (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
          if (ts.isConstructorDeclaration(member) || !member.name || ts.isPrivateIdentifier(member.name)) continue;
          if (!hasDoc(member)) problems.push(`${symbol.name}.${member.name.getText()}: member without TSDoc`);
        }
      } else if (
        (ts.isFunctionDeclaration(decl) || ts.isTypeAliasDeclaration(decl) || ts.isEnumDeclaration(decl)) &&
        !hasDoc(decl)
      ) {
        problems.push(`${symbol.name}: no TSDoc`);
      }
    }
  }
  return problems;
}

describe('public API documentation', () => {
  test('every export, interface property and public member has TSDoc; optional props say their @default', () => {
    expect(undocumented()).toEqual([]);
  }, 60_000);
});
