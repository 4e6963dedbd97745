// The PeerJS server (npm `peer`), as it ships, with its client cap raised above the benchmark's.
import { PeerServer } from 'peer';

PeerServer({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1', path: '/', concurrent_limit: 20_000 }, (server) => {
  console.log(`READY ${server.address().port}`);
});
