import path from 'node:path';
/**
 * Server configuration: environment variables, each with a matching --flag (flags win).
 * The table in server/PROTOCOL.md lists them; keep the two in step.
 */
export interface ServerConfig {
  port: number;
  host: string;
  maxPeersPerRoom: number;
  maxMessageBytes: number;
  maxConnections: number;
  /** Exact origins, `chrome-extension://*` (any extension), or `self` (the server's own origin). */
  allowedOrigins: string[];
  stunUrls: string[];
  turnUrls: string[];
  turnSecret: string | null;
  turnTtlSeconds: number;
  redisUrl: string | null;
  logLevel: string;
  /** How often the server pings each client; a client silent for twice this long is dropped. */
  heartbeatMs: number;
  /** A connection that has not joined a room by then is closed. */
  joinTimeoutMs: number;
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  /** Where the built guest page is (scripts/build-guest.mjs); served at /r/<room>. */
  guestDir: string;
}

const OPTIONS = {
  PORT: 'port',
  HOST: 'host',
  MAX_PEERS_PER_ROOM: 'max-peers-per-room',
  MAX_MESSAGE_BYTES: 'max-message-bytes',
  MAX_CONNECTIONS: 'max-connections',
  ALLOWED_ORIGINS: 'allowed-origins',
  STUN_URLS: 'stun-urls',
  TURN_URLS: 'turn-urls',
  TURN_SECRET: 'turn-secret',
  TURN_TTL: 'turn-ttl',
  REDIS_URL: 'redis-url',
  LOG_LEVEL: 'log-level',
  HEARTBEAT_MS: 'heartbeat-ms',
  JOIN_TIMEOUT_MS: 'join-timeout-ms',
  RATE_LIMIT_PER_SECOND: 'rate-limit-per-second',
  RATE_LIMIT_BURST: 'rate-limit-burst',
  GUEST_DIR: 'guest-dir',
} as const;
type Key = keyof typeof OPTIONS;

export const DEFAULT_CONFIG: ServerConfig = {
  port: 8787,
  host: '127.0.0.1',
  maxPeersPerRoom: 2,
  maxMessageBytes: 64 * 1024,
  maxConnections: 10_000,
  allowedOrigins: ['chrome-extension://*', 'self'],
  stunUrls: [],
  turnUrls: [],
  turnSecret: null,
  turnTtlSeconds: 3600,
  redisUrl: null,
  logLevel: 'info',
  heartbeatMs: 15_000,
  joinTimeoutMs: 10_000,
  rateLimitPerSecond: 100,
  rateLimitBurst: 200,
  guestDir: path.resolve('.output/guest'),
};

export class ConfigError extends Error {}

/** Reads `--name value` / `--name=value` flags over environment variables over defaults. */
export function loadConfig(env: Record<string, string | undefined>, argv: string[]): ServerConfig {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!Object.values(OPTIONS).includes(name as never)) throw new ConfigError(`unknown option --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`--${name} needs a value`);
    flags.set(name!, value);
  }
  const raw = (key: Key): string | undefined => flags.get(OPTIONS[key]) ?? env[key];
  const int = (key: Key, fallback: number, min: number, max: number): number => {
    const value = raw(key);
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key} must be a whole number from ${min} to ${max}`);
    return n;
  };
  const list = (key: Key, fallback: string[]): string[] => {
    const value = raw(key);
    if (value === undefined) return fallback;
    return value.split(',').map((s) => s.trim()).filter(Boolean);
  };
  const d = DEFAULT_CONFIG;
  const config: ServerConfig = {
    port: int('PORT', d.port, 0, 65535),
    host: raw('HOST') || d.host,
    maxPeersPerRoom: int('MAX_PEERS_PER_ROOM', d.maxPeersPerRoom, 2, 8),
    maxMessageBytes: int('MAX_MESSAGE_BYTES', d.maxMessageBytes, 1024, 16 * 1024 * 1024),
    maxConnections: int('MAX_CONNECTIONS', d.maxConnections, 1, 1_000_000),
    allowedOrigins: list('ALLOWED_ORIGINS', d.allowedOrigins),
    stunUrls: list('STUN_URLS', d.stunUrls),
    turnUrls: list('TURN_URLS', d.turnUrls),
    turnSecret: raw('TURN_SECRET') || null,
    turnTtlSeconds: int('TURN_TTL', d.turnTtlSeconds, 60, 7 * 24 * 3600),
    redisUrl: raw('REDIS_URL') || null,
    logLevel: raw('LOG_LEVEL') || d.logLevel,
    heartbeatMs: int('HEARTBEAT_MS', d.heartbeatMs, 100, 3_600_000),
    joinTimeoutMs: int('JOIN_TIMEOUT_MS', d.joinTimeoutMs, 100, 3_600_000),
    rateLimitPerSecond: int('RATE_LIMIT_PER_SECOND', d.rateLimitPerSecond, 1, 1_000_000),
    rateLimitBurst: int('RATE_LIMIT_BURST', d.rateLimitBurst, 1, 1_000_000),
    guestDir: raw('GUEST_DIR') ? path.resolve(raw('GUEST_DIR')!) : d.guestDir,
  };
  for (const url of [...config.stunUrls, ...config.turnUrls]) {
    if (!/^(stun|stuns|turn|turns):/.test(url)) throw new ConfigError(`"${url}" is not a stun:, stuns:, turn: or turns: URL`);
  }
  if (config.turnUrls.length > 0 && !config.turnSecret) throw new ConfigError('TURN_URLS needs TURN_SECRET (credentials are minted per peer)');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) throw new ConfigError(`unknown LOG_LEVEL "${config.logLevel}"`);
  return config;
}
