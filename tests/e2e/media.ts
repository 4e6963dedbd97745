import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What ffprobe says of a recorded file. */
export interface Probe {
  formatName: string;
  /** Container duration in seconds; NaN when the file carries none. */
  duration: number;
  video: { codec: string; width: number; height: number; frames: number } | null;
  /** `duration`: the audio stream's own, seconds; NaN when the container gives none per stream (WebM). */
  audio: { codec: string; sampleRate: number; channels: number; duration: number } | null;
}

export function probe(file: string): Probe {
  const json = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_format', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }),
  ) as { format: { format_name: string; duration?: string }; streams: Record<string, string | number>[] };
  const video = json.streams.find((s) => s.codec_type === 'video');
  const audio = json.streams.find((s) => s.codec_type === 'audio');
  return {
    formatName: json.format.format_name,
    duration: json.format.duration === undefined ? Number.NaN : Number(json.format.duration),
    video: video
      ? { codec: String(video.codec_name), width: Number(video.width), height: Number(video.height), frames: Number(video.nb_read_frames) }
      : null,
    audio: audio
      ? { codec: String(audio.codec_name), sampleRate: Number(audio.sample_rate), channels: Number(audio.channels), duration: audio.duration === undefined ? Number.NaN : Number(audio.duration) }
      : null,
  };
}

/** Whether a Matroska/WebM file has a Cues element (its seek index), by its EBML id 0x1C53BB6B. */
export function hasCues(file: string): boolean {
  return readFileSync(file).includes(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]));
}

/** Top-level MP4 boxes in file order. */
export function mp4Boxes(file: string): string[] {
  const data = readFileSync(file);
  const boxes: string[] = [];
  for (let offset = 0; offset + 8 <= data.length; ) {
    let size = data.readUInt32BE(offset);
    if (size === 1) size = Number(data.readBigUInt64BE(offset + 8));
    boxes.push(data.toString('latin1', offset + 4, offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

/**
 * Whether a player can seek the file at once: a WebM/MKV has cues; an MP4 has one index (moov)
 * in front of its media and no fragments.
 */
export function hasIndex(file: string): boolean {
  if (!file.endsWith('.mp4')) return hasCues(file);
  const boxes = mp4Boxes(file);
  return boxes.includes('moov') && boxes.indexOf('moov') < boxes.indexOf('mdat') && !boxes.includes('moof');
}

/**
 * Decodes the whole file; returns ffmpeg's complaints, warnings included (empty when it decodes
 * cleanly): `ffmpeg -v warning -i FILE -f null -` prints nothing for a good file.
 */
export function decodeErrors(file: string): string {
  const result = spawnSync('ffmpeg', ['-v', 'warning', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return `${result.stdout}${result.stderr}`.trim();
}

const THUMB = { width: 16, height: 9 };

function averageColor(raw: Buffer): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < raw.length; i += 3) for (let c = 0; c < 3; c++) sum[c]! += raw[i + c]!;
  const n = raw.length / 3;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

/** Decodes one video frame at `seconds` (a seek), returning its average RGB. */
export function frameColorAt(file: string, seconds: number): [number, number, number] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1', '-vf', `scale=${THUMB.width}:${THUMB.height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 1 << 20,
  });
  if (raw.length === 0) throw new Error(`no frame at ${seconds}s`);
  return averageColor(raw);
}

/**
 * The average RGB of the last video frame. (Tab capture sends frames only when the page
 * changes, so a still page's last frame can come well before the end of the audio.)
 */
export function lastFrameColor(file: string): [number, number, number] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-an', '-vf', `scale=${THUMB.width}:${THUMB.height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 256 << 20,
  });
  const frameBytes = THUMB.width * THUMB.height * 3;
  if (raw.length < frameBytes) throw new Error('no video frame');
  return averageColor(raw.subarray(raw.length - frameBytes));
}

/**
 * How strongly the audio holds a tone: the share of signal power at `hz` (Goertzel over the
 * whole track, mono 8 kHz), and the overall RMS level in dBFS.
 */
export function toneStrength(file: string, hz: number): { share: number; rmsDb: number } {
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vn', '-ac', '1', '-ar', '8000', '-f', 's16le', '-'], { maxBuffer: 64 << 20 });
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, Math.floor(pcm.length / 2));
  const block = 800;
  let tonePower = 0;
  let totalPower = 0;
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / 8000);
  for (let start = 0; start + block <= samples.length; start += block) {
    let s1 = 0;
    let s2 = 0;
    let energy = 0;
    for (let i = 0; i < block; i++) {
      const x = samples[start + i]! / 32768;
      energy += x * x;
      const s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    tonePower += ((s1 * s1 + s2 * s2 - coeff * s1 * s2) * 2) / block;
    totalPower += energy;
  }
  const rms = Math.sqrt(totalPower / Math.max(1, samples.length));
  return { share: totalPower > 0 ? tonePower / totalPower : 0, rmsDb: 20 * Math.log10(rms || 1e-9) };
}

/** The video frame at `seconds`, scaled to width × height, as RGB bytes. */
export function frameRgb(file: string, seconds: number, width: number, height: number): Uint8Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 4 * width * height,
  });
  if (raw.length < width * height * 3) throw new Error(`no frame at ${seconds}s`);
  return new Uint8Array(raw);
}

/** The colour at (x, y), as fractions of the picture's size, of the video frame at `seconds`. */
export function pixelAt(file: string, seconds: number, x: number, y: number): [number, number, number] {
  const width = 320;
  const height = 180;
  const raw = frameRgb(file, seconds, width, height);
  const at = (Math.round(y * (height - 1)) * width + Math.round(x * (width - 1))) * 3;
  return [raw[at]!, raw[at + 1]!, raw[at + 2]!];
}
