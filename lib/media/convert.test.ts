import { ALL_FORMATS, BufferSource, BufferTarget, EncodedPacket, EncodedPacketSink, EncodedVideoPacketSource, Input, Output, WebMOutputFormat } from 'mediabunny';
import { describe, expect, it } from 'vitest';
import { remux, type RemuxContainer } from './convert';

/** A WebM like MediaRecorder's: VP8 frames at uneven times, no declared frame rate. */
async function unevenWebm(timesMs: number[]): Promise<Blob> {
  const output = new Output({ format: new WebMOutputFormat(), target: new BufferTarget() });
  const video = new EncodedVideoPacketSource('vp8');
  output.addVideoTrack(video);
  await output.start();
  for (const [i, ms] of timesMs.entries()) {
    const packet = new EncodedPacket(new Uint8Array([i, 1, 2, 3]), i === 0 ? 'key' : 'delta', ms / 1000, 0.001);
    await video.add(packet, i === 0 ? { decoderConfig: { codec: 'vp8', codedWidth: 64, codedHeight: 64 } } : undefined);
  }
  await output.finalize();
  return new Blob([output.target.buffer!]);
}

async function remuxed(source: Blob, frameRate: number, container: RemuxContainer = 'webm'): Promise<{ times: number[]; data: number[]; frameRate: number | null; bytes: Uint8Array }> {
  let bytes = new Uint8Array(0);
  // Written like a file: at positions (an MP4's header is patched once its media is written).
  const sink = new WritableStream<{ type: 'write'; data: Uint8Array; position: number }>({
    write(chunk) {
      const end = chunk.position + chunk.data.length;
      if (end > bytes.length) {
        const grown = new Uint8Array(end);
        grown.set(bytes);
        bytes = grown;
      }
      bytes.set(chunk.data, chunk.position);
    },
  });
  await remux(source, sink, { frameRate, container });
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const [track] = await input.getVideoTracks();
  const times: number[] = [];
  const data: number[] = [];
  for await (const packet of new EncodedPacketSink(track!).packets()) {
    times.push(Math.round(packet.timestamp * 1000));
    data.push(packet.data[0]!);
  }
  return { times, data, frameRate: frameRateDeclared(bytes), bytes };
}

/** Matroska's DefaultDuration (EBML id 0x23E383), as frames per second. */
function frameRateDeclared(bytes: Uint8Array): number | null {
  for (let i = 0; i + 4 < bytes.length; i++) {
    if (bytes[i] === 0x23 && bytes[i + 1] === 0xe3 && bytes[i + 2] === 0x83) {
      const size = bytes[i + 3]! & 0x7f;
      let ns = 0;
      for (let j = 0; j < size; j++) ns = ns * 256 + bytes[i + 4 + j]!;
      return Math.round(1e9 / ns);
    }
  }
  return null;
}

describe('remux', () => {
  it('puts each frame in its own slot of the capture frame grid, and declares the grid', async () => {
    // Two frames 17 ms apart, two on the same millisecond: ffmpeg put such pairs in one slot.
    const source = await unevenWebm([0, 33, 50, 67, 100, 100, 133, 300]);
    const { times, data, frameRate } = await remuxed(source, 30);
    const slots = times.map((ms) => Math.round((ms / 1000) * 30));
    expect(new Set(slots).size).toBe(slots.length);
    for (let i = 1; i < slots.length; i++) expect(slots[i]!).toBeGreaterThan(slots[i - 1]!);
    // No frame moves by more than a slot or two, and none is lost or reordered.
    expect(times).toEqual([0, 33, 67, 100, 133, 167, 200, 300]);
    expect(data).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(frameRate).toBe(30);
  });

  it('widens the grid for a capture that delivers more frames than it was asked for', async () => {
    const sixty = Array.from({ length: 90 }, (_, i) => Math.round((i * 1000) / 60));
    const { times, frameRate } = await remuxed(await unevenWebm(sixty), 30);
    expect(frameRate).toBeGreaterThan(60);
    // Nothing piles up: the last frame is where it was, within a millisecond.
    expect(Math.abs(times.at(-1)! - sixty.at(-1)!)).toBeLessThanOrEqual(1);
  });

  it("writes a camera that gives fewer frames than asked on its own rate's grid, so a burst after a stall keeps its frames a slot apart", async () => {
    // 15 frames a second where 30 were asked; a stall, then two frames 33 ms apart.
    const fifteen = [0, 67, 133, 200, 367, 400, 467, 533, 600, 667, 733, 800, 867, 933, 1000, 1067, 1133, 1200, 1267, 1333];
    const { times, data, frameRate } = await remuxed(await unevenWebm(fifteen), 30);
    expect(frameRate).toBe(15);
    // No two frames closer than a slot of the rate ffmpeg reads from the file (it found two in one slot on the finer grid).
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, `frames ${i - 1} and ${i}: ${times}`).toBeGreaterThanOrEqual(66);
    expect(data).toEqual(fifteen.map((_, i) => i));
    // The burst is spread over the next slots, and taken up by the time the stall's gap is behind.
    expect(Math.abs(times.at(-1)! - fifteen.at(-1)!)).toBeLessThanOrEqual(67);
  });

  it('finishes an MP4 recording as an MP4: same grid, every frame kept, an index and no fragments', async () => {
    const source = await unevenWebm([0, 33, 50, 67, 100, 100, 133, 300]);
    const { times, data, bytes } = await remuxed(source, 30, 'mp4');
    expect(times).toEqual([0, 33, 67, 100, 133, 167, 200, 300]);
    expect(data).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text.slice(4, 8)).toBe('ftyp');
    expect(text.includes('moov')).toBe(true);
    expect(text.includes('moof')).toBe(false);
  });
});
