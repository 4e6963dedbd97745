import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BufferTarget, EncodedAudioPacketSource, EncodedPacket, Mp4OutputFormat, Output } from 'mediabunny';
import { describe, expect, it } from 'vitest';
import createAacModule from 'virtual:aac-wasm';
import { openAacCore, openAacStream, type AacCore, type AacPackets } from './core';

const RATE = 48_000;

/** Interleaved stereo: a chirp rising from 200 Hz by 900 Hz a second on the left (it never repeats, so it shows any shift), 660 Hz on the right. */
function tone(from: number, frames: number): Float32Array {
  const pcm = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const t = (from + i) / RATE;
    pcm[2 * i] = 0.5 * Math.sin(2 * Math.PI * (200 * t + 450 * t * t));
    pcm[2 * i + 1] = 0.5 * Math.sin(2 * Math.PI * 660 * t);
  }
  return pcm;
}

/** The shift (in samples, ±1500) at which `decoded` best matches `reference`, left channel, over 100 ms from 0.2 s. */
function bestLag(decoded: Float32Array, reference: Float32Array): number {
  let best = { lag: 0, score: -Infinity };
  for (let lag = -1500; lag <= 1500; lag++) {
    let score = 0;
    for (let i = 9600; i < 14_400; i++) score += decoded[2 * (i + lag)]! * reference[2 * i]!;
    if (score > best.score) best = { lag, score };
  }
  return best.lag;
}

/** Encodes `seconds` of the tone in batches of `batchFrames` AAC frames, then flushes. */
function encodeTone(core: AacCore, seconds: number, batchFrames: number): AacPackets[] {
  const total = Math.ceil((seconds * RATE) / core.frameSize);
  const out: AacPackets[] = [];
  for (let frame = 0; frame < total; frame += batchFrames) {
    const count = Math.min(batchFrames, total - frame);
    out.push(core.encode(tone(frame * core.frameSize, count * core.frameSize), frame * core.frameSize));
  }
  out.push(core.finish(new Float32Array(0), 0));
  return out;
}

/** The packets as an MP4, the way an export muxes them. */
async function mp4(core: AacCore, batches: AacPackets[]): Promise<Uint8Array> {
  const output = new Output({ format: new Mp4OutputFormat(), target: new BufferTarget() });
  const source = new EncodedAudioPacketSource('aac');
  output.addAudioTrack(source);
  await output.start();
  let first = true;
  for (const batch of batches) {
    let offset = 0;
    for (const [i, size] of batch.sizes.entries()) {
      const packet = new EncodedPacket(batch.data.subarray(offset, offset + size), 'key', batch.starts[i]! / RATE, batch.durations[i]! / RATE);
      const meta = first ? { decoderConfig: { codec: 'mp4a.40.2', numberOfChannels: 2, sampleRate: RATE, description: core.extradata } } : undefined;
      await source.add(packet, meta);
      first = false;
      offset += size;
    }
  }
  await output.finalize();
  return new Uint8Array(output.target.buffer!);
}

describe('AAC encoding (FFmpeg wasm, batched)', () => {
  it('turns 2 s of stereo into an MP4 that ffprobe reads and ffmpeg decodes without a warning', async () => {
    const core = openAacCore(await createAacModule(), { channels: 2, sampleRate: RATE, bitrate: 128_000 });
    expect(core.frameSize).toBe(1024);
    // AudioSpecificConfig: AAC-LC, 48 kHz, 2 channels (FFmpeg adds a "no SBR" extension after it).
    expect([...core.extradata.subarray(0, 2)]).toEqual([0x11, 0x90]);
    const batches = encodeTone(core, 2, 16);
    const packets = batches.reduce((n, b) => n + b.sizes.length, 0);
    // Every frame in comes out, plus the encoder's priming frame.
    expect(packets).toBe(Math.ceil((2 * RATE) / 1024) + 1);
    const bytes = batches.reduce((n, b) => n + b.data.length, 0);
    // 128 kb/s for about 2 s.
    expect(bytes).toBeGreaterThan(20_000);
    expect(bytes).toBeLessThan(45_000);

    const dir = mkdtempSync(path.join(tmpdir(), 'aac-'));
    try {
      const file = path.join(dir, 'tone.mp4');
      writeFileSync(file, await mp4(core, batches));
      const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], { encoding: 'utf8' }));
      expect(probe.streams[0]).toMatchObject({ codec_name: 'aac', profile: 'LC', channels: 2, sample_rate: '48000' });
      // Two seconds, padded to a whole frame; the encoder's priming frame is trimmed off.
      expect(Number(probe.streams[0].start_time)).toBe(0);
      expect(Number(probe.format.duration)).toBeCloseTo(2.005, 2);
      expect(execFileSync('ffmpeg', ['-v', 'warning', '-i', file, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
      // In sync: what a player decodes lines up with the samples given (within the edit
      // list's rounding), not a frame (1024 samples) late.
      const decoded = new Float32Array(new Uint8Array(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '2', '-'])).buffer);
      expect(Math.abs(bestLag(decoded, tone(0, 24_000)))).toBeLessThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      core.close();
    }
  });

  it('codes a steady sound at its settled quality from the first second on', async () => {
    // Two steady tones, one in each ear (what the export benchmark records): FFmpeg's encoder
    // started cold on them codes its first half-minute far below the quality it settles at.
    const seconds = 3;
    const frames = Math.ceil((seconds * RATE) / 1024);
    const tones = new Float32Array(frames * 1024 * 2);
    for (let i = 0; i < frames * 1024; i++) {
      tones[2 * i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / RATE);
      tones[2 * i + 1] = 0.5 * Math.sin((2 * Math.PI * 660 * i) / RATE);
    }
    const core = openAacCore(await createAacModule(), { channels: 2, sampleRate: RATE, bitrate: 128_000 });
    const batches = [core.encode(tones, 0), core.finish(new Float32Array(0), 0)];
    const dir = mkdtempSync(path.join(tmpdir(), 'aac-'));
    try {
      const file = path.join(dir, 'tones.mp4');
      writeFileSync(file, await mp4(core, batches));
      const decoded = new Float32Array(new Uint8Array(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '2', '-'], { maxBuffer: 1 << 24 })).buffer);
      let signal = 0;
      let noise = 0;
      for (let i = 2 * 1024; i < 2 * (seconds * RATE - 1024); i++) {
        signal += tones[i]! ** 2;
        noise += (decoded[i]! - tones[i]!) ** 2;
      }
      const snr = 10 * Math.log10(signal / noise);
      // 46 dB here; 23 dB from an encoder started cold on the tones.
      expect(snr).toBeGreaterThan(40);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      core.close();
    }
  });

  it('gives the same stream whatever the batch size', async () => {
    const module = await createAacModule();
    const joined = (batchFrames: number) => {
      const core = openAacCore(module, { channels: 2, sampleRate: RATE, bitrate: 96_000 });
      const batches = encodeTone(core, 0.5, batchFrames);
      core.close();
      return Buffer.concat(batches.map((b) => b.data)).toString('base64');
    };
    const byOne = joined(1);
    expect(joined(7)).toBe(byOne);
    expect(joined(64)).toBe(byOne);
  });

  it('refuses samples that are not whole frames', async () => {
    const core = openAacCore(await createAacModule(), { channels: 2, sampleRate: RATE, bitrate: 128_000 });
    expect(() => core.encode(new Float32Array(1000), 0)).toThrow(/whole frames of 1024/);
    core.close();
  });
});

describe('AAC stream (samples as they come)', () => {
  it('makes whole frames of pushes of any size, keeps the timeline, and fills a gap with silence', async () => {
    const stream = openAacStream(await createAacModule(), { channels: 2, sampleRate: RATE, bitrate: 128_000 });
    const made: AacPackets[] = [];
    // Opus-sized pieces (960 samples) from sample 480 on.
    let end = 480;
    for (let i = 0; i < 22; i++, end += 960) made.push(stream.push(tone(end, 960), end));
    // A 10 ms hole: silence stands in for it, so what follows keeps its time.
    const afterGap = end + 480;
    made.push(stream.push(tone(afterGap, 960), afterGap));
    made.push(stream.end());
    const starts = made.flatMap((m) => m.starts);
    const durations = made.flatMap((m) => m.durations);
    // Every sample (the gap's silence included) in whole frames, plus the priming frame...
    expect(starts.length).toBe(Math.ceil((afterGap + 960 - 480) / 1024) + 1);
    // ...which comes a frame before where the sound starts; the packets follow one another.
    expect(starts[0]).toBe(480 - 1024);
    starts.slice(1).forEach((start, i) => expect(start).toBe(starts[i]! + durations[i]!));
    stream.close();
  });

  it('ignores a gap too small to matter (rounding between packet times)', async () => {
    const stream = openAacStream(await createAacModule(), { channels: 1, sampleRate: RATE, bitrate: 64_000 });
    let made = stream.push(new Float32Array(4096), 0).sizes.length;
    made += stream.push(new Float32Array(4096), 4096 + 10).sizes.length;
    made += stream.end().sizes.length;
    expect(made).toBe(8 + 1);
    stream.close();
  });
});
