// `npm run server`: the signaling server. Configuration: server/PROTOCOL.md.
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { startSignalingServer } from './signaling-server';

// Tests only: this process's clock set off by TEST_CLOCK_SKEW_MS, as on a machine whose clock is
// wrong (server/redis.test.ts checks that rooms shared through Redis do not depend on it).
const skew = Number(process.env.TEST_CLOCK_SKEW_MS ?? 0);
if (skew) {
  const now = Date.now;
  Date.now = () => now() + skew;
}

let config;
try {
  config = loadConfig(process.env, process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`signaling server: ${error.message}`);
  process.exit(2);
}
const log = pino({ level: config.logLevel });
const server = await startSignalingServer(config, log);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    void server.close().then(() => process.exit(0));
  });
}
