// Serves the built review UI (dist/web, made by `vite build`): index.html for every page address (HTML5
// history fallback, never cached) and the content-hashed assets (cached for a year). Every route is public —
// the page itself holds no data; the API behind it checks who asks. It must never serve anything outside
// dist/web, and never answer an API path with the page.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface WebRoutesOptions {
  /** Where the built UI is; by default dist/web beside the compiled server. */
  readonly root?: string;
}

/** The page addresses the UI routes on the client; each answers with index.html. */
export const WEB_PAGES = ['/', '/login', '/sessions/:id', '/dashboard', '/wall'] as const;

const PUBLIC = { access: 'public' } as const;
const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * dist/web from here. Compiled, this file is dist/src/api/web/static.js and the UI is ../../../web/.
 * Run from source (vitest imports src/ directly) the same three steps up reach the repository (which has
 * package.json), whose web/ is the unbuilt source: the built UI is dist/web there.
 */
export const defaultWebRoot = (): string => {
  const up = new URL('../../../', import.meta.url);
  const fromSource = existsSync(fileURLToPath(new URL('package.json', up)));
  return fileURLToPath(new URL(fromSource ? 'dist/web/' : 'web/', up));
};

const NOT_BUILT = 'The Countersign web UI is not built: run `npm run build` (it builds the UI into dist/web).\n';

export const webRoutes = (opts: WebRoutesOptions = {}) => async (app: FastifyInstance) => {
  const root = opts.root ?? defaultWebRoot();
  const assets = join(root, 'assets');
  // Only the reply.sendFile decorator: the routes are ours, so that each carries its access config.
  await app.register(fastifyStatic, { root, serve: false, suppressWarning: true });

  const page = async (_req: unknown, reply: FastifyReply) => {
    let html: Buffer;
    try {
      html = await readFile(join(root, 'index.html'));
    } catch {
      return reply.status(503).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    }
    // Read on each request (it is small): a rebuild's new asset names are picked up without a restart.
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  };
  for (const url of WEB_PAGES) app.get(url, { config: PUBLIC }, page);

  // Vite names assets by their content hash, so a name never changes meaning: cache them for good.
  app.get('/assets/*', { config: PUBLIC }, async (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    if (!/^[A-Za-z0-9._-]+$/.test(rest)) return reply.status(404).send({ code: 'CS_ERR_NOT_FOUND', message: 'no such asset' });
    return reply.sendFile(rest, assets, { maxAge: YEAR_MS, immutable: true, dotfiles: 'deny' });
  });
  app.get('/favicon.svg', { config: PUBLIC }, async (_req, reply) => reply.sendFile('favicon.svg', root, { maxAge: 24 * 3600 * 1000 }));
};
