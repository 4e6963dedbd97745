/**
 * A person's own STUN and TURN servers, as typed in Options: one per line,
 * `stun:host:port` or `turn:host:port username password` (`turns:` for TURN over TLS).
 * Blank lines and lines starting with # are skipped.
 */
export interface IceServerLine {
  line: number;
  server: RTCIceServer;
}

export interface ParsedIceServers {
  servers: RTCIceServer[];
  /** Lines that are not a server, by number (1-based), to point at in the form. */
  invalid: number[];
}

const URL_PATTERN = /^(stuns?|turns?):[^\s?#]+(\?transport=(udp|tcp))?$/i;
export const MAX_ICE_SERVERS = 8;

export function parseIceServers(text: string): ParsedIceServers {
  const servers: RTCIceServer[] = [];
  const invalid: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [url, username, credential, ...rest] = line.split(/\s+/);
    const turn = /^turns?:/i.test(url!);
    const valid = URL_PATTERN.test(url!) && rest.length === 0 && (turn ? username !== undefined && credential !== undefined : username === undefined);
    if (!valid || servers.length >= MAX_ICE_SERVERS) return invalid.push(index + 1);
    servers.push(turn ? { urls: url!, username, credential } : { urls: url! });
  });
  return { servers, invalid };
}

/** The signaling URL, if it is one a browser can connect to (ws: or wss:). */
export function validSignalingUrl(text: string): string | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'ws:' || url.protocol === 'wss:' ? url.href : null;
  } catch {
    return null;
  }
}

/** `bytes` random bytes as base64url text (what room names and identities are made of). */
export function randomToken(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...random)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random room name: 10 characters of base64url, ~60 bits — not guessable by someone passing by. */
export function randomRoomName(): string {
  return randomToken(8).slice(0, 10);
}

/** Where a guest page's calls meet: the /ws of the server that served it. */
export function guestSignalingUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * The link that lets someone join a room from any browser: the guest page the signaling server
 * serves at /r/<room>. Null for an address that is not a signaling URL.
 */
export function guestLink(signalingUrl: string, room: string): string | null {
  const valid = validSignalingUrl(signalingUrl);
  if (!valid) return null;
  const url = new URL(valid);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = `/r/${encodeURIComponent(room)}`;
  url.search = '';
  url.hash = '';
  return url.href;
}
