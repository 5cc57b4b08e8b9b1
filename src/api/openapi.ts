// The OpenAPI description served at /api/v1/openapi.json, built from the same zod schemas the routes
// and the CLI use, so it cannot drift from what they return.
import { z } from 'zod';
import { sessionDetailSchema, sessionListQuerySchema, sessionListSchema } from './sessions/schema.js';

const errorSchema = z.object({ code: z.string(), message: z.string() });
const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) } });

const queryParams = () => {
  const shape = sessionListQuerySchema.shape;
  return Object.entries(shape).map(([name, s]) => ({ name, in: 'query', required: false, schema: z.toJSONSchema(s as z.ZodType, { io: 'input', unrepresentable: 'any' }) }));
};

export const openApiDocument = (version: string): object => ({
  openapi: '3.1.0',
  info: { title: 'Countersign API', version, description: 'Operator sessions collated from what servers and network devices log.' },
  paths: {
    '/api/v1/sessions': {
      get: {
        summary: 'List sessions, newest first',
        parameters: queryParams(),
        responses: { 200: { description: 'Sessions', content: json(sessionListSchema) }, 400: { description: 'Bad query', content: json(errorSchema) } },
      },
    },
    '/api/v1/sessions/{id}': {
      get: {
        summary: 'One session with its timeline of events',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: { description: 'The session and its events', content: json(sessionDetailSchema) },
          404: { description: 'No such session', content: json(errorSchema) },
        },
      },
    },
    '/api/v1/sessions/{id}/recording': {
      get: {
        summary: "The session's terminal recording (tlog) as asciicast v2",
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: { description: 'asciicast v2: a JSON header line, then one [time, code, data] line per event', content: { 'application/x-asciicast': { schema: { type: 'string' } } } },
          404: { description: 'No such session, or it has no recording', content: json(errorSchema) },
        },
      },
    },
  },
});
