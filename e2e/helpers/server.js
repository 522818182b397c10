// A tiny static file server for dist/, in plain Node (no dependency).
// Serves on an ephemeral 127.0.0.1 port for the duration of the tests.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
};

/**
 * Start serving `root`. Resolves to { url, port, close(), requests } where `requests`
 * records every request as { method, path, status } (handy when a test fails).
 * `maxHeaderSize` (bytes; Node's default is 16 KiB) lets through longer addresses,
 * such as a shared run with a thousand commands in its `run=`.
 */
export function startServer(root, { maxHeaderSize } = {}) {
  const base = path.resolve(root);
  if (!fs.existsSync(path.join(base, 'index.html'))) {
    throw new Error(`${base}/index.html does not exist: build the app first (trunk build --release --offline)`);
  }
  const requests = [];
  const server = http.createServer(maxHeaderSize ? { maxHeaderSize } : {}, (req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      requests.push({ method: req.method, path: req.url, status });
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'bad request');
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.resolve(base, '.' + pathname);
    if (file !== base && !file.startsWith(base + path.sep)) return send(403, 'forbidden');
    fs.readFile(file, (err, body) => {
      if (err) return send(404, 'not found');
      const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      send(200, body, type);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
