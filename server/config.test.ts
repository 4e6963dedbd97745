import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, loadConfig } from './config';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    expect(loadConfig({}, [])).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ port: 8787, host: '127.0.0.1', maxPeersPerRoom: 2, maxMessageBytes: 65536, maxConnections: 10000, turnTtlSeconds: 3600 });
  });

  it('reads environment variables, and flags over them', () => {
    const config = loadConfig(
      { PORT: '9000', MAX_PEERS_PER_ROOM: '4', STUN_URLS: 'stun:a:3478, stun:b:3478', TURN_URLS: 'turn:t:3478', TURN_SECRET: 's', REDIS_URL: 'redis://127.0.0.1:6379' },
      ['--port', '9100', '--max-peers-per-room=8', '--log-level', 'warn'],
    );
    expect(config).toMatchObject({ port: 9100, maxPeersPerRoom: 8, logLevel: 'warn', stunUrls: ['stun:a:3478', 'stun:b:3478'], turnUrls: ['turn:t:3478'], turnSecret: 's', redisUrl: 'redis://127.0.0.1:6379' });
  });

  it('refuses what it cannot honour, saying what is wrong', () => {
    expect(() => loadConfig({ MAX_PEERS_PER_ROOM: '9' }, [])).toThrow(/MAX_PEERS_PER_ROOM must be a whole number from 2 to 8/);
    expect(() => loadConfig({ PORT: 'eighty' }, [])).toThrow(ConfigError);
    expect(() => loadConfig({}, ['--nope', '1'])).toThrow(/unknown option --nope/);
    expect(() => loadConfig({}, ['--port'])).toThrow(/needs a value/);
    expect(() => loadConfig({ TURN_URLS: 'turn:x' }, [])).toThrow(/TURN_SECRET/);
    expect(() => loadConfig({ STUN_URLS: 'http://x' }, [])).toThrow(/not a stun/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, [])).toThrow(/LOG_LEVEL/);
  });
});
