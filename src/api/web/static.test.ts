import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_PAGES, defaultWebRoot, webRoutes } from './static.js';

const INDEX = '<!doctype html><title>Countersign</title><script type="module" src="/assets/index-abc123.js"></script>';

describe('webRoutes', () => {
  let dir: string;
  let app: FastifyInstance;
  const routes: { method: string; url: string; access: unknown }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'secret.txt'), 'not served');
    app = Fastify();
    app.addHook('onRoute', (r) => {
      routes.push({ method: String(r.method), url: r.url, access: (r.config as { access?: unknown } | undefined)?.access });
    });
    await app.register(webRoutes({ root: dir }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks every route it registers as public', () => {
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => r.access !== 'public')).toEqual([]);
  });

  it.each([...WEB_PAGES.map((p) => p.replace(':id', '17')), '/sessions/abc'])('answers %s with index.html, never cached', async (url) => {
    const r = await app.inject(url);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toBe(INDEX);
  });

  it('serves hashed assets for a year, and nothing outside assets/', async () => {
    const r = await app.inject('/assets/index-abc123.js');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['content-type']).toMatch(/javascript/);
    for (const url of ['/assets/nope.js', '/assets/../secret.txt', '/assets/%2e%2e%2fsecret.txt', '/assets/..%2Fsecret.txt', '/secret.txt', '/index.html/x']) {
      const bad = await app.inject(url);
      expect(bad.statusCode, url).toBe(404);
      expect(bad.body, url).not.toContain('not served');
    }
  });

  it('does not answer API paths with the page', async () => {
    for (const url of ['/api/v1/queue', '/log/checkpoint', '/sessions/1/x']) expect((await app.inject(url)).statusCode, url).toBe(404);
  });

  it('says to build the UI when it is not built', async () => {
    const bare = Fastify();
    await bare.register(webRoutes({ root: join(dir, 'missing') }));
    const r = await bare.inject('/');
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toMatch(/npm run build/);
    await bare.close();
  });

  it('finds dist/web from the source tree', () => {
    expect(defaultWebRoot()).toMatch(/\/dist\/web\/$/);
  });
});
