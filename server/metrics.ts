import { Counter, Gauge, Registry } from 'prom-client';
import { ERROR_CODES, type ErrorCode } from '../lib/signaling/protocol';

/** Prometheus metrics of one server, in a registry of its own (tests run several at once). */
export function createMetrics(read: { connections: () => number; rooms: () => number }) {
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
  const errors = new Counter({ name: 'signaling_errors_total', help: 'Errors sent to clients, by code.', labelNames: ['code'], registers: [registry] });
  for (const code of ERROR_CODES) errors.labels(code).inc(0);
  return {
    registry,
    relayed: () => void relayedCount++,
    error: (code: ErrorCode) => errors.labels(code).inc(),
  };
}
