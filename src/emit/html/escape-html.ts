/**
 * The only way user text enters HTML that switchboard writes as text (the eval report, the preview
 * page shell): text content and double-quoted attribute values alike. Control characters other than
 * tab and newline are dropped (they are invalid in HTML), lone surrogates become U+FFFD.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
    .replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
