// A load generator for the signaling bench (bench/signaling.bench.ts), in a process of its own so
// the server under test does not share its event loop. Given 2-peer rooms, it connects both peers
// of each (peer a to `urls[0]`, peer b to `urls[1]`: two processes in Redis mode), prints READY,
// and on GO (stdin) has every peer send a ~1 KB signal to its partner every 100 ms, evenly out of
// phase: 3 s to warm up, then `seconds` measured (it prints MEASURING between). Then, after the
// stragglers had 2 s to arrive, it prints its result as one JSON line: messages sent and
// received while measured and a latency histogram (mergeable across generators).
import { WebSocket } from 'ws';

const config = JSON.parse(process.argv[2]);
const { target, urls, firstRoom, rooms, seconds } = config;
const INTERVAL_MS = 100;
const PAD = 'x'.repeat(900);
const WARMUP_SECONDS = 3;

/** Latency buckets: 0.05 ms wide up to 100 ms, then 1 ms wide up to 10 s (the last holds the rest). */
const FINE = 2000;
const histogram = new Uint32Array(FINE + 9900);
const bucketOf = (ms) => (ms < 100 ? Math.floor(ms / 0.05) : Math.min(histogram.length - 1, FINE + Math.floor(ms - 100)));

let measuring = false;
/** Messages stamped before this (the warm-up) are not counted when they arrive. */
let measuredFrom = Infinity;
let received = 0;
const onPayload = (sentAt) => {
  if (!measuring || sentAt < measuredFrom) return;
  received++;
  histogram[bucketOf(performance.now() - sentAt)]++;
};

/** How each server is spoken to: its URL for a peer, and the join, send and receive of a signal. */
const TARGETS = {
  ours: {
    url: (base) => base,
    attach: (socket, room, _id, _partner) =>
      new Promise((resolve) => {
        let partner = null;
        let myself = false;
        const ready = () => {
          if (partner && myself) resolve((sentAt) => socket.send(`{"type":"signal","to":"${partner}","data":{"t":${sentAt},"pad":"${PAD}"}}`));
        };
        socket.on('message', (raw) => {
          const text = raw.toString();
          if (text.startsWith('{"type":"signal"')) return onPayload(JSON.parse(text).data.t);
          const message = JSON.parse(text);
          if (message.type === 'welcome') {
            myself = true;
            partner = message.peers[0]?.id ?? partner;
          } else if (message.type === 'peer-joined') partner = message.peer.id;
          ready();
        });
        socket.send(JSON.stringify({ type: 'join', room }));
      }),
  },
  minimal: {
    url: (base, room) => `${base}/?room=${room}`,
    attach: async (socket) => {
      socket.on('message', (raw) => onPayload(JSON.parse(raw.toString()).t));
      return (sentAt) => socket.send(`{"t":${sentAt},"pad":"${PAD}"}`);
    },
  },
  peerjs: {
    url: (base, _room, id) => `${base}/peerjs?key=peerjs&id=${id}&token=t${id}`,
    // PeerJS registers a peer as its socket opens (its OPEN message may already have gone by).
    attach: async (socket, _room, _id, partner) => {
      socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString());
        if (message.type === 'OFFER') onPayload(message.payload.t);
      });
      return (sentAt) => socket.send(`{"type":"OFFER","dst":"${partner}","payload":{"t":${sentAt},"pad":"${PAD}"}}`);
    },
  },
};

const speak = TARGETS[target];
const sockets = [];
const senders = [];
// Both peers of a room connect before either sends; 100 rooms at a time.
for (let start = firstRoom; start < firstRoom + rooms; start += 100) {
  const batch = [];
  for (let r = start; r < Math.min(firstRoom + rooms, start + 100); r++) {
    const room = `r${r}`;
    const ids = [`p${r}a`.padEnd(16, '0'), `p${r}b`.padEnd(16, '0')];
    batch.push(
      (async () => {
        const pair = await Promise.all(
          ids.map(
            (id, k) =>
              new Promise((resolve, reject) => {
                const socket = new WebSocket(speak.url(urls[k], room, id), { perMessageDeflate: false });
                socket.once('open', () => resolve(socket));
                socket.once('error', reject);
              }),
          ),
        );
        sockets.push(...pair);
        senders.push(...(await Promise.all(pair.map((socket, k) => speak.attach(socket, room, ids[k], ids[1 - k])))));
      })(),
    );
  }
  await Promise.all(batch);
}
console.log('READY');

await new Promise((resolve) => process.stdin.once('data', resolve));
// Message n is due at n × (100 ms / senders) from sender n mod senders; a 1 ms timer sends
// whatever is due, so the offered rate holds when a timer fires late. The first WARMUP_SECONDS
// (code compiling, buffers growing) are not counted.
let sent = 0;
let sentBefore = 0;
const startedAt = performance.now();
const timer = setInterval(() => {
  const due = Math.floor(((performance.now() - startedAt) / INTERVAL_MS) * senders.length);
  // Stamped one by one: a batch-wide stamp would count the generator's own sending time.
  for (; sent < due; sent++) senders[sent % senders.length](performance.now());
}, 1);
await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
sentBefore = sent;
measuredFrom = performance.now();
measuring = true;
console.log('MEASURING');
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
clearInterval(timer);
await new Promise((resolve) => setTimeout(resolve, 2000));
measuring = false;
const buckets = {};
histogram.forEach((count, bucket) => {
  if (count) buckets[bucket] = count;
});
console.log(JSON.stringify({ sent: sent - sentBefore, received, buckets }));
for (const socket of sockets) socket.terminate();
process.exit(0);
