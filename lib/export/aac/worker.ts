import createAacModule from 'virtual:aac-wasm';
import { openAacStream, type AacStream } from './core';
import type { AacReply, AacRequest } from './protocol';

/** The AAC encoding worker: samples in, AAC packets out; one request at a time, each answered with the packets it made. */
// The wasm loads as the worker starts, so a worker started ahead of an export is ready for it.
const loaded = createAacModule();
let stream: AacStream | null = null;
let queue = Promise.resolve();

const reply = (message: AacReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

async function handle(request: AacRequest): Promise<void> {
  try {
    if (request.type === 'open') {
      stream = openAacStream(await loaded, request);
      reply({ type: 'opened', extradata: stream.extradata });
      return;
    }
    if (!stream) throw new Error('the AAC encoder is not open');
    if (request.type === 'encode') {
      const packets = stream.push(request.pcm, request.start);
      reply({ type: 'encoded', ...packets, pcm: request.pcm }, [packets.data.buffer, request.pcm.buffer]);
    } else {
      const packets = stream.end();
      reply({ type: 'encoded', ...packets }, [packets.data.buffer]);
    }
  } catch (error) {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

self.onmessage = (event: MessageEvent<AacRequest>) => {
  queue = queue.then(() => handle(event.data));
};
