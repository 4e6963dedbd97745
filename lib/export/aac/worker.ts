import createAacModule from 'virtual:aac-wasm';
import { openAacCore, type AacCore } from './core';
import type { AacReply, AacRequest } from './protocol';

/** The AAC encoding worker: batches of samples in, their AAC frames out, one request at a time. */
// The wasm loads as the worker starts, so a worker started ahead of an export is ready for it.
const loaded = createAacModule();
let core: AacCore | null = null;
let queue = Promise.resolve();

const reply = (message: AacReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

async function handle(request: AacRequest): Promise<void> {
  try {
    if (request.type === 'open') {
      core = openAacCore(await loaded, request);
      reply({ type: 'opened', frameSize: core.frameSize, extradata: core.extradata });
      return;
    }
    if (!core) throw new Error('the AAC encoder is not open');
    const packets = request.type === 'encode' ? core.encode(request.pcm, request.firstSample) : core.flush();
    reply({ type: 'encoded', ...packets }, [packets.data.buffer]);
  } catch (error) {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

// The first request waits for the wasm; the ones behind it wait their turn.
self.onmessage = (event: MessageEvent<AacRequest>) => {
  queue = queue.then(() => handle(event.data));
};
