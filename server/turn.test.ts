import type { ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn, startTestServer, TestClient } from './testing';
import { turnCredential } from './turn';

describe('turnCredential', () => {
  it("follows coturn's REST format", () => {
    const { username, credential } = turnCredential('secret', 'peerA', 3600, 1_700_000_000_000);
    expect(username).toBe('1700003600:peerA');
    expect(credential).toBe(createHmac('sha1', 'secret').update(username).digest('base64'));
  });
});

/** A TURN Allocate over UDP (RFC 5766) with long-term credentials; resolves with the final response class. */
async function allocate(port: number, username: string, password: string): Promise<'success' | number> {
  const socket = createSocket('udp4');
  const MAGIC = 0x2112a442;
  const attr = (type: number, value: Buffer) => {
    const header = Buffer.alloc(4);
    header.writeUInt16BE(type, 0);
    header.writeUInt16BE(value.length, 2);
    return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  };
  const message = (attrs: Buffer[], integrityKey?: Buffer) => {
    const id = randomBytes(12);
    const body = Buffer.concat(attrs);
    const header = Buffer.alloc(20);
    header.writeUInt16BE(0x0003, 0); // Allocate request
    header.writeUInt32BE(MAGIC, 4);
    id.copy(header, 8);
    if (!integrityKey) {
      header.writeUInt16BE(body.length, 2);
      return Buffer.concat([header, body]);
    }
    header.writeUInt16BE(body.length + 24, 2);
    const mac = createHmac('sha1', integrityKey).update(Buffer.concat([header, body])).digest();
    return Buffer.concat([header, body, attr(0x0008, mac)]);
  };
  const exchange = (packet: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no TURN response')), 3000);
      socket.once('message', (reply) => (clearTimeout(timer), resolve(reply)));
      socket.send(packet, port, '127.0.0.1');
    });
  const attributes = (reply: Buffer) => {
    const found = new Map<number, Buffer>();
    for (let at = 20; at + 4 <= reply.length; ) {
      const type = reply.readUInt16BE(at);
      const length = reply.readUInt16BE(at + 2);
      found.set(type, reply.subarray(at + 4, at + 4 + length));
      at += 4 + length + ((4 - (length % 4)) % 4);
    }
    return found;
  };
  const transport = attr(0x0019, Buffer.from([17, 0, 0, 0])); // REQUESTED-TRANSPORT: UDP
  try {
    const challenge = attributes(await exchange(message([transport])));
    const realm = challenge.get(0x0014)!;
    const nonce = challenge.get(0x0015)!;
    // The long-term credential key: MD5(username ":" realm ":" password).
    const longTermKey = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
    const reply = await exchange(message([transport, attr(0x0006, Buffer.from(username)), attr(0x0014, realm), attr(0x0015, nonce)], longTermKey));
    const type = reply.readUInt16BE(0);
    if (type === 0x0103) return 'success';
    const error = attributes(reply).get(0x0009)!;
    return error[2]! * 100 + error[3]!;
  } finally {
    socket.close();
  }
}

describe('TURN credentials against a real coturn', () => {
  const secret = randomBytes(16).toString('hex');
  const port = 34780;
  let coturn: ChildProcess;

  beforeAll(async () => {
    coturn = await startCoturn(port, secret, [49160, 49200]);
  });
  afterAll(() => {
    coturn?.kill('SIGTERM');
  });

  it('accepts what the signaling server hands out, and refuses tampered or expired ones', async () => {
    const server = await startTestServer({ turnUrls: [`turn:127.0.0.1:${port}`], turnSecret: secret, stunUrls: [`stun:127.0.0.1:${port}`], turnTtlSeconds: 600 });
    const client = await TestClient.connect(server.url);
    const welcome = await client.join('turn');
    const turn = welcome.iceServers.find((s) => String(s.urls).startsWith('turn:'))!;
    expect(welcome.iceServers[0]).toEqual({ urls: [`stun:127.0.0.1:${port}`] });
    expect(turn.username).toMatch(new RegExp(`^\\d+:${welcome.id}$`));
    expect(Number(turn.username!.split(':')[0]) - Date.now() / 1000).toBeGreaterThan(590);

    expect(await allocate(port, turn.username!, turn.credential!)).toBe('success');
    expect(await allocate(port, turn.username!, `${turn.credential!.slice(0, -2)}xx`)).toBe(401);
    const expired = turnCredential(secret, welcome.id, -60);
    expect(await allocate(port, expired.username, expired.credential)).toBe(401);
    client.close();
    await server.close();
  });
});
