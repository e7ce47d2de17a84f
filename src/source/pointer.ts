/** RFC 6901 JSON pointers, the one address every diagnostic carries. */

export function encodePointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  // Decode ~1 before ~0 so that "~01" becomes "~1", as the RFC requires.
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function childPointer(pointer: string, ...segments: (string | number)[]): string {
  return pointer + encodePointer(segments);
}
