/**
 * Build step (`npm run build`): write the schema validators as standalone code next to the compiled
 * validate-schema.js, so the CLI does not compile the schema on every start.
 */
import { writeFileSync } from 'node:fs';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { compileTopologySchema } from './validate-schema.js';

const standaloneCode = standaloneModule.default;
const { ajv, ids } = compileTopologySchema({ source: true });
// One module, two exports: the topology schema and the meta-schema for embedded JSON Schemas.
writeFileSync(new URL('./topology-validator.cjs', import.meta.url), standaloneCode(ajv, { topology: ids.topology, embedded: ids.embedded }));
// The same two, stopping at the first error: the verdict a valid file needs, with much less code to load.
const verdicts = compileTopologySchema({ source: true, firstErrorOnly: true });
writeFileSync(new URL('./topology-verdict.cjs', import.meta.url), standaloneCode(verdicts.ajv, { topology: verdicts.ids.topology, embedded: verdicts.ids.embedded }));
