import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { describe, expect, it } from 'vitest';
import { openOpusDecoding, opusPacketSamples, parseOpusHead } from './opus';

/** An Opus track made by ffmpeg (libopus), as mediabunny reads it: its header and packets. */
async function opusTrack(container: 'mp4' | 'webm', channels: number, seconds: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'opus-'));
  try {
    const file = path.join(dir, `tone.${container}`);
    const tones = channels === 1 ? 'sine=frequency=440:sample_rate=48000' : 'sine=frequency=440:sample_rate=48000[l];sine=frequency=660:sample_rate=48000[r];[l][r]amerge=inputs=2';
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', tones, '-t', String(seconds), '-c:a', 'libopus', '-b:a', '96k', file]);
    const input = new Input({ source: new BufferSource(readFileSync(file)), formats: ALL_FORMATS });
    const track = (await input.getPrimaryAudioTrack())!;
    const description = (await track.getDecoderConfig())!.description as Uint8Array | ArrayBuffer;
    const packets: { data: Uint8Array; timestamp: number }[] = [];
    const sink = new EncodedPacketSink(track);
    for (let p = await sink.getFirstPacket(); p; p = await sink.getNextPacket(p)) packets.push({ data: p.data.slice(), timestamp: p.timestamp });
    return { head: new Uint8Array(ArrayBuffer.isView(description) ? description.buffer.slice(description.byteOffset, description.byteOffset + description.byteLength) : description), packets };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Upward zero crossings per second in one channel of interleaved samples: the tone's frequency. */
function frequency(pcm: Float32Array, channels: number, channel: number): number {
  let crossings = 0;
  for (let i = channels + channel; i < pcm.length; i += channels) if (pcm[i - channels]! < 0 && pcm[i]! >= 0) crossings++;
  return crossings / (pcm.length / channels / 48_000);
}

describe('Opus decoding for the AAC worker', () => {
  it('reads an OpusHead: channels, pre-skip, and the channel mapping of more than two channels', () => {
    const mono = new Uint8Array([79, 112, 117, 115, 72, 101, 97, 100, 1, 1, 56, 1, 128, 187, 0, 0, 0, 0, 0]);
    expect(parseOpusHead(mono)).toEqual({ channels: 1, preSkip: 312, mapping: null });
    const surround = new Uint8Array([...mono.subarray(0, 9), 6, 56, 1, 128, 187, 0, 0, 0, 0, 1, 4, 2, 0, 4, 1, 2, 3, 5]);
    expect(parseOpusHead(surround)).toEqual({ channels: 6, preSkip: 312, mapping: { streamCount: 4, coupledStreamCount: 2, table: [0, 4, 1, 2, 3, 5] } });
    expect(() => parseOpusHead(new TextEncoder().encode('OggS and something else'))).toThrow(/not Opus/);
  });

  it('counts the samples in a packet from its TOC byte', () => {
    expect(opusPacketSamples(new Uint8Array([0xfc]))).toBe(960); // CELT FB 20 ms, one frame
    expect(opusPacketSamples(new Uint8Array([0xfd]))).toBe(1920); // two frames
    expect(opusPacketSamples(new Uint8Array([0x0b | (3 << 3), 0x03]))).toBe(3 * 2880); // SILK 60 ms ×3 (code 3)
    expect(opusPacketSamples(new Uint8Array([15 << 3]))).toBe(960); // hybrid FB 20 ms
  });

  for (const container of ['mp4', 'webm'] as const) {
    it(`decodes ffmpeg's Opus in ${container.toUpperCase()} from time zero, pre-skip dropped, tones intact`, async () => {
      const { head, packets } = await opusTrack(container, 2, 1);
      const opus = await openOpusDecoding(head);
      expect(opus.channels).toBe(2);
      const parts: Float32Array[] = [];
      let first: number | null = null;
      let next = 0;
      for (const packet of packets) {
        const decoded = opus.decode(packet.data, packet.timestamp)!;
        first ??= decoded.start;
        // Each packet's samples follow the last's, without a gap or an overlap beyond the
        // container's rounding (WebM keeps milliseconds: 48 samples).
        if (parts.length > 0) expect(Math.abs(decoded.start - next)).toBeLessThanOrEqual(container === 'webm' ? 48 : 0);
        next = decoded.start + decoded.pcm.length / 2;
        parts.push(decoded.pcm.slice());
      }
      opus.close();
      // The sound starts at zero: the encoder's pre-skip is gone. (An MP4 says where by an edit
      // list; mediabunny does not read WebM's CodecDelay, so there it starts up to the pre-skip,
      // 6.5 ms, and a millisecond of rounding late.)
      if (container === 'mp4') expect(first).toBe(0);
      else expect(first).toBeLessThanOrEqual(312 + 48);
      expect(next - first!).toBeGreaterThanOrEqual(48_000);
      expect(next - first!).toBeLessThan(48_000 + 960);
      const pcm = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((offset, p) => (pcm.set(p, offset), offset + p.length), 0);
      const second = pcm.subarray(0, 48_000 * 2);
      expect(frequency(second, 2, 0)).toBeCloseTo(440, -1);
      expect(frequency(second, 2, 1)).toBeCloseTo(660, -1);
    });
  }

  it('gives nothing for a packet that does not decode', async () => {
    const { head } = await opusTrack('mp4', 1, 0.1);
    const opus = await openOpusDecoding(head);
    // Code 3 with zero frames is not a valid packet.
    expect(opus.decode(new Uint8Array([0xff, 0x00]), 0)).toBeNull();
    opus.close();
  });
});
