import ts from 'typescript';

/** Pure libraries the domain may use: parsing and conversion only, no I/O. */
const ALLOWED_PACKAGES = new Set([
  'zod',
  'file-type',
  'opencc-js/core',
  'opencc-js/dict/CJK_Compatibility_Ideographs',
  'opencc-js/dict/TSCharacters',
  'opencc-js/dict/TSPhrases',
  'csv-parse/sync',
  'docx',
  'exceljs',
  'fflate',
  'pdf-lib',
  'jpeg-js',
  'pngjs',
]);

export function impurities(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const where = (node: ts.Node) =>
    `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    const specifier =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) &&
            node.expression.kind === ts.SyntaxKind.ImportKeyword &&
            ts.isStringLiteral(node.arguments[0] as ts.Node)
          ? (node.arguments[0] as ts.StringLiteral).text
          : undefined;
    if (specifier !== undefined) {
      const relativeInside =
        specifier.startsWith('./') ||
        (specifier.startsWith('../') && !/\.\.\/(adapters|handlers|lib|wiring)\b/.test(specifier));
      if (!relativeInside && !ALLOWED_PACKAGES.has(specifier))
        found.push(`${where(node)} imports ${specifier}`);
    }
    if (ts.isIdentifier(node) && node.text === 'process') found.push(`${where(node)} uses process`);
    if (ts.isPropertyAccessExpression(node)) {
      const text = node.getText(file);
      if (/^(Date\.now|Math\.random|performance\.now|crypto\.randomUUID)$/.test(text))
        found.push(`${where(node)} uses ${text}`);
    }
    if (
      ts.isNewExpression(node) &&
      node.expression.getText(file) === 'Date' &&
      (node.arguments?.length ?? 0) === 0
    ) {
      found.push(`${where(node)} reads the clock with new Date()`);
    }
    if (ts.isCallExpression(node) && node.expression.getText(file) === 'require')
      found.push(`${where(node)} calls require`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Every module specifier a file imports or re-exports, with whether the import is type-only. */
export function importsOf(fileName: string, source: string): { specifier: string; typeOnly: boolean }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  return file.statements.flatMap((node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const typeOnly = ts.isImportDeclaration(node)
        ? (node.importClause?.isTypeOnly ?? false)
        : node.isTypeOnly;
      return [{ specifier: (node.moduleSpecifier as ts.StringLiteral).text, typeOnly }];
    }
    return [];
  });
}

/** Lines with `async` functions or `await`: the rules are synchronous. */
export function asyncUses(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (node.kind === ts.SyntaxKind.AsyncKeyword) found.push(`${fileName}:${line} is async`);
    if (ts.isAwaitExpression(node)) found.push(`${fileName}:${line} awaits`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
