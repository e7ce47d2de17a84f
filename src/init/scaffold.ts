import { yamlLibrary } from '../source/yaml-library.js';
import { docComment } from '../emit/code.js';
import { schemaToType } from '../emit/typescript/schema-to-type.js';
import { pascalCase } from '../model/naming.js';
import { STARTER_HOOKS, STARTER_TSCONFIG, starterDataset, starterTopology } from './template.js';

export interface ScaffoldFile {
  /** Relative to the target folder, forward slashes. */
  readonly path: string;
  readonly contents: string;
}

interface ToolDeclaration {
  description: string;
  parameters: Record<string, unknown>;
  implementation: string;
}

/**
 * The files `switchboard init` creates for a topology called `name`. Pure: the caller checks that none
 * exist and writes them. `withTsconfig` adds a tsconfig.json for projects that have none.
 */
export function scaffold(name: string, options: { withTsconfig: boolean; schemaPath: string }): ScaffoldFile[] {
  const topology = starterTopology(name, options.schemaPath);
  const tools = (yamlLibrary().parse(topology) as { tools: Record<string, ToolDeclaration> }).tools;
  return [
    { path: `topologies/${name}.yaml`, contents: topology },
    { path: `topologies/${name}/tools.ts`, contents: toolStubs(tools) },
    { path: `topologies/${name}/hooks.ts`, contents: STARTER_HOOKS },
    { path: `evals/${name}.routing.yaml`, contents: starterDataset(name) },
    ...(options.withTsconfig ? [{ path: 'tsconfig.json', contents: STARTER_TSCONFIG }] : []),
  ];
}

/** One typed stub per tool, its parameter type generated from the declaration so they start out matching. */
function toolStubs(tools: Record<string, ToolDeclaration>): string {
  const blocks = Object.entries(tools).map(([id, tool]) => {
    const exportName = tool.implementation.split('#')[1]!;
    const params = `${pascalCase(id)}Params`;
    return [
      docComment(`Parameters of \`${id}\`, as declared in the YAML (keep them in sync; tsc checks the generated wiring).`),
      `export type ${params} = ${schemaToType(tool.parameters)};`,
      '',
      docComment(`${tool.description} Replace this stub with the real implementation.`),
      `export async function ${exportName}(args: ${params}, _context?: unknown): Promise<string> {`,
      `  return \`TODO: ${id} \${JSON.stringify(args)}\`;`,
      '}',
    ].join('\n');
  });
  return `// Tool implementations for the starter topology. Each export is referenced as path#export in the YAML.\n\n${blocks.join('\n\n')}\n`;
}
