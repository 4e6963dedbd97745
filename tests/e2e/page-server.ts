import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FileServer {
  url: (name: string) => string;
  close: () => Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
};

/**
 * Serves the files of one folder (by base name, nothing below it) on a loopback port, streamed,
 * readable from any origin (extension pages fetch bench files from it).
 */
export async function startFileServer(root: string): Promise<FileServer> {
  const server: Server = createServer((req, res) => {
    const file = path.join(root, path.basename(new URL(req.url ?? '/', 'http://127.0.0.1').pathname) || 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'access-control-allow-origin': '*',
    });
    createReadStream(file).pipe(res);
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

/** Serves tests/fixtures: the pages the tests record. */
export function startPageServer(): Promise<FileServer> {
  return startFileServer(path.resolve('tests/fixtures'));
}
