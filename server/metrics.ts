import { Counter, Gauge, Registry } from 'prom-client';
import { ERROR_CODES, type ErrorCode } from '../lib/signaling/protocol';

/** Prometheus metrics of one server, in a registry of its own (tests run several at once). */
export function createMetrics(read: { connections: () => number; rooms: () => number; redis: (() => { up: boolean; errors: number }) | null }) {
  const registry = new Registry();
  new Gauge({ name: 'signaling_connections', help: 'Open WebSocket connections.', registers: [registry], collect() { this.set(read.connections()); } });
  new Gauge({ name: 'signaling_rooms', help: 'Rooms with a member on this process.', registers: [registry], collect() { this.set(read.rooms()); } });
  // A plain number on the hot path; the counter catches up when scraped.
  let relayedCount = 0;
  let relayedReported = 0;
  new Counter({
    name: 'signaling_messages_relayed_total',
    help: 'Signals delivered to a peer.',
    registers: [registry],
    collect() {
      this.inc(relayedCount - relayedReported);
      relayedReported = relayedCount;
    },
  });
  const redis = read.redis;
  if (redis) {
    new Gauge({ name: 'signaling_redis_up', help: 'Whether Redis answers (1) or not (0).', registers: [registry], collect() { this.set(redis().up ? 1 : 0); } });
    let reported = 0;
    new Counter({
      name: 'signaling_redis_errors_total',
      help: 'Redis commands that failed.',
      registers: [registry],
      collect() {
        const { errors } = redis();
        this.inc(errors - reported);
        reported = errors;
      },
    });
  }
  const errors = new Counter({ name: 'signaling_errors_total', help: 'Errors sent to clients, by code.', labelNames: ['code'], registers: [registry] });
  for (const code of ERROR_CODES) errors.labels(code).inc(0);
  return {
    registry,
    relayed: () => void relayedCount++,
    error: (code: ErrorCode) => errors.labels(code).inc(),
  };
}
