/** Names of the TypeScript identifiers the compiler generates, shared with the rule that checks they are unique. */

function words(id: string): string[] {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

export function camelCase(id: string): string {
  const [first = '', ...rest] = words(id);
  const head = first.charAt(0).toLowerCase() + first.slice(1);
  const name = head + rest.map(pascalWord).join('');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export function pascalCase(id: string): string {
  const name = words(id).map(pascalWord).join('');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

function pascalWord(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export const agentIdentifier = (id: string) => `${camelCase(id)}Agent`;
export const toolIdentifier = (id: string) => `${camelCase(id)}Tool`;
export const toolParamsType = (id: string) => `${pascalCase(id)}Params`;
