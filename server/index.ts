// `npm run server`: the signaling server. Configuration: server/PROTOCOL.md.
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { startSignalingServer } from './signaling-server';

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
