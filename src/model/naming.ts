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

/** `camelCase(id)` plus a suffix, unless the id already ends with it (`faq_lookup_tool` → `faqLookupTool`). */
function suffixed(id: string, suffix: string): string {
  const name = camelCase(id);
  return name.endsWith(suffix) ? name : `${name}${suffix}`;
}

export const agentIdentifier = (id: string) => suffixed(id, 'Agent');
export const toolIdentifier = (id: string) => suffixed(id, 'Tool');
export const toolParamsType = (id: string) => `${pascalCase(id)}Params`;
