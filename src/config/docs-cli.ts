// `npm run docs`: rewrites docs/configuration.md from the schema.
import { writeFileSync } from 'node:fs';
import { configurationMarkdown } from './docs.js';

writeFileSync(new URL('../../../docs/configuration.md', import.meta.url), configurationMarkdown());
