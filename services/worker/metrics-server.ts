import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A worker run alone has no API to show its metrics: with WORKER_METRICS_PORT it serves `GET /metrics` (its
 * queue, job, outbox and process metrics, Prometheus text) and `GET /healthz` on HOST:port. Under `npm start` the
 * API's /metrics shows the same registry instead.
 */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<Server> {
  const processMetrics = new Registry();
  collectDefaultMetrics({ register: processMetrics, prefix: 'lojal_worker_' });
  const merged = Registry.merge([registry, processMetrics]);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/metrics') {
      merged.metrics().then(
        (text) => response.writeHead(200, { 'content-type': merged.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    } else if (request.method === 'GET' && path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}
