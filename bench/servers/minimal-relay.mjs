// The floor: a ws relay with no protocol at all. Rooms by query string; each text frame goes
// as is to the others in the room. What any signaling server costs at the least.
import { WebSocketServer } from 'ws';

const rooms = new Map();
const wss = new WebSocketServer({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1', perMessageDeflate: false });
wss.on('connection', (socket, req) => {
  const room = new URL(req.url, 'http://x').searchParams.get('room') ?? '';
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(socket);
  socket.on('message', (data, isBinary) => {
    for (const other of members) if (other !== socket) other.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    members.delete(socket);
    if (members.size === 0) rooms.delete(room);
  });
});
wss.on('listening', () => console.log(`READY ${wss.address().port}`));
