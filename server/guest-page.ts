import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { ROOM_PATTERN } from '../lib/signaling/protocol';

/**
 * The guest page: the call page as a plain web page, for people without the extension. The
 * signaling server serves it at /r/<room> and its files at /guest/<file>, from the folder
 * scripts/build-guest.mjs builds. Its own strict CSP: its own scripts and styles only, and
 * connections back to this server (its WebSocket).
 */
export const GUEST_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
/** Only names the build makes: no folders, no dots but the extension's. */
const ASSET = /^\/guest\/([A-Za-z0-9_-]+\.(?:js|css|map|js\.map|css\.map))$/;
const ROOM_PAGE = /^\/r\/([^/]+)$/;

/** Serves a guest-page request; false when the path is not one of the guest page's. */
export async function serveGuestPage(guestDir: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  let file: string | null = null;
  const room = ROOM_PAGE.exec(pathname);
  if (room) {
    let name = '';
    try {
      name = decodeURIComponent(room[1]!);
    } catch {
      // not a room name
    }
    if (!ROOM_PATTERN.test(name)) return false;
    file = 'index.html';
  } else {
    const asset = ASSET.exec(pathname);
    if (asset) file = asset[1]!;
  }
  if (!file) return false;
  let body: Buffer;
  try {
    body = await readFile(path.join(guestDir, file));
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('The guest page is not built here (npm run build:guest).\n');
    return true;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'content-security-policy': GUEST_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Camera, microphone and screen for this page only, never for anything it might frame.
    'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self)',
    'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
