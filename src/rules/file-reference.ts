import { defineRule } from './define.js';
import { didYouMean, listNames } from '../diagnostics/suggest.js';
import { codeRefs } from '../model/queries.js';
import { MAX_REFERENCED_BYTES } from '../model/resolve-files.js';
import { pathProblem } from '../source/paths.js';
import { formatBytes } from '../source/read-file.js';

export { pathProblem };

/** Extensions the generated `import` can point at (rewritten to `.js` for NodeNext). */
export const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

export default defineRule({
  id: 'file-reference',
  suppressible: false,
  defaultSeverity: 'error',
  required: 'the compiler reads every referenced file to emit code',
  description: 'Instruction files and code references are relative paths inside the project that exist, and name an export the module has.',
  docs: 'Paths in `instructionsFile` and `path#export` references are resolved relative to the YAML file. They must not be absolute, URLs, `node:` builtins or escape the project root (the nearest folder with a package.json), because generated code imports them. A module must be TypeScript or JavaScript and export the named function; checking that here reports the mistake at its YAML location instead of as a type error in generated code.',
  check({ topology, files, report }) {
    const instructionRefs = topology.agents.flatMap((a) => (a.instructions?.kind === 'file' ? [{ path: a.instructions.path, pointer: a.instructions.pointer }] : []));
    for (const ref of instructionRefs) checkPath(ref.path, ref.pointer, 'instructions file');
    const seen = new Set<string>();
    for (const ref of codeRefs(topology)) {
      if (seen.has(ref.pointer)) continue;
      seen.add(ref.pointer);
      if (!checkPath(ref.path, ref.pointer, 'module')) continue;
      if (!MODULE_EXTENSIONS.some((ext) => ref.path.endsWith(ext))) {
        report({ pointer: ref.pointer, message: `module \`${ref.path}\` must be a ${listNames([...MODULE_EXTENSIONS], 12, 'or')} file` });
        continue;
      }
      const exports = files.byReference.get(ref.path)?.exports;
      if (exports && !exports.has(ref.exportName)) {
        const suggestion = didYouMean(ref.exportName, exports);
        report({
          pointer: ref.pointer,
          message: `module \`${ref.path}\` has no export \`${ref.exportName}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
          hint: exports.size ? `its exports: ${listNames([...exports].sort())}` : 'it exports nothing',
          ...(suggestion ? { suggestion: `${ref.path}#${suggestion}` } : {}),
        });
      }
    }

    function checkPath(path: string, pointer: string, kind: string): boolean {
      const problem = pathProblem(path);
      const file = files.byReference.get(path);
      if (problem) report({ pointer, message: `${kind} \`${path}\` ${problem}`, hint: 'write a path relative to this YAML file, such as `./tools/billing.ts`' });
      else if (file && !file.insideProject) report({ pointer, message: `${kind} \`${path}\` is outside the project root`, hint: `references must stay inside ${files.root}, also after following symlinks` });
      else if (file && !file.exists) report({ pointer, message: `${kind} \`${path}\` does not exist (looked for ${file.projectPath})` });
      else if (file?.tooLarge) report({ pointer, message: `${kind} \`${path}\` is larger than ${formatBytes(MAX_REFERENCED_BYTES)}, the most switchboard reads` });
      else if (file?.unreadable) report({ pointer, message: `${kind} \`${path}\` ${file.unreadable}` });
      else return true;
      return false;
    }
  },
});
