import { createHmac } from 'node:crypto';
import type { IceServer } from '../lib/signaling/protocol';
import type { ServerConfig } from './config';

/**
 * Short-lived TURN credentials in coturn's REST format (use-auth-secret): the username is
 * "<unix expiry>:<peer id>", the password base64(HMAC-SHA1(secret, username)). coturn checks
 * them with the same secret; nothing is stored, and a leaked credential expires by itself.
 */
export function turnCredential(secret: string, peerId: string, ttlSeconds: number, nowMs = Date.now()): { username: string; credential: string } {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${peerId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export function iceServersFor(config: ServerConfig, peerId: string): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: config.stunUrls });
  if (config.turnUrls.length > 0 && config.turnSecret) {
    servers.push({ urls: config.turnUrls, ...turnCredential(config.turnSecret, peerId, config.turnTtlSeconds) });
  }
  return servers;
}
