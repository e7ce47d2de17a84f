/**
 * Format generated TypeScript with a pinned prettier and fixed options (never the user's .prettierrc),
 * so the same YAML gives the same bytes on every machine. Loaded lazily: only compile pays for it.
 */
export async function formatTypeScript(source: string): Promise<string> {
  const prettier = await import('prettier');
  return prettier.format(source, {
    parser: 'typescript',
    printWidth: 100,
    tabWidth: 2,
    singleQuote: false,
    trailingComma: 'all',
    semi: true,
    endOfLine: 'lf',
  });
}
