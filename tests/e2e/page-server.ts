import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** Serves tests/fixtures on a loopback port: the pages the tests record. */
export async function startPageServer(): Promise<{ url: (name: string) => string; close: () => Promise<void> }> {
  const root = path.resolve('tests/fixtures');
  const server: Server = createServer(async (req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    try {
      const body = await readFile(path.join(root, name));
      res.writeHead(200, { 'content-type': name.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Browsers keep connections alive; do not wait for them.
        server.closeAllConnections();
      }),
  };
}
