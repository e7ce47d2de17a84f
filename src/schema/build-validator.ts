/**
 * Build step (`npm run build`): write the schema validator as standalone code next to the compiled
 * validate-schema.js, so the CLI does not compile the schema on every start.
 */
import { writeFileSync } from 'node:fs';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { compileTopologySchema } from './validate-schema.js';

const standaloneCode = standaloneModule.default;
const { ajv, validate } = compileTopologySchema({ source: true });
writeFileSync(new URL('./topology-validator.cjs', import.meta.url), standaloneCode(ajv, validate));
