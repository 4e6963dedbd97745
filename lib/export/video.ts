import {
  ALL_FORMATS,
  BlobSource,
  Conversion,
  ConversionCanceledError,
  Input,
  Mp4OutputFormat,
  Output,
  StreamTarget,
  WebMOutputFormat,
  canEncodeAudio,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  type InputVideoTrack,
  type ConversionCopyOptions,
  type StreamTargetChunk,
} from 'mediabunny';
import { trimRange, type Trim } from './trim';

/**
 * MP4 and WebM exports of a recording, streamed from its file to the target.
 *
 * MP4 is written for every player: H.264 video and AAC audio (a recording's H.264 is copied,
 * anything else re-encoded; its Opus is always re-encoded, QuickTime-class players refuse Opus
 * in MP4). WebM holds VP9 and Opus, with a duration and cues. The MP4 comes out with its index
 * (moov) at the end, the way mediabunny streams it; lib/media/faststart.ts moves it to the front.
 */
export type VideoExportFormat = 'mp4' | 'webm';

export const VIDEO_EXPORT_TYPES: Record<VideoExportFormat, string> = { mp4: 'video/mp4', webm: 'video/webm' };

export interface VideoExportOptions {
  format: VideoExportFormat;
  trim?: Trim | null;
  /** Called with the part done, 0–1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** What an export holds of its input and output at a time: memory stays flat whatever the length. */
const READ_CACHE = 4 * 1024 * 1024;
const WRITE_CHUNK = 1024 * 1024;

let aacEncoder: Promise<void> | null = null;

/**
 * Chromium's WebCodecs encodes no AAC: @mediabunny/aac-encoder brings FFmpeg's as wasm (loaded
 * only when an MP4 is made; it is why extension pages allow 'wasm-unsafe-eval').
 */
function ensureAacEncoder(): Promise<void> {
  aacEncoder ??= (async () => {
    if (await canEncodeAudio('aac')) return;
    const { registerAacEncoder } = await import('@mediabunny/aac-encoder');
    registerAacEncoder();
  })();
  return aacEncoder;
}

/** How far the copied video may run ahead of the audio being encoded, seconds. */
const MAX_LEAD = 1;

/**
 * A whole H.264 recording to MP4: the video copied packet by packet, the sound encoded to AAC
 * by a Conversion that owns only the audio. mediabunny's own copy path reads ahead a second's
 * worth of packets at copy speed (~1,500, each a view keeping its 2 MiB read block alive: tens
 * of MB); reading one packet at a time, paced to stay within MAX_LEAD of the audio, does not.
 */
async function copyVideoEncodeAudio(input: Input, video: InputVideoTrack, output: Output, duration: number, options: VideoExportOptions): Promise<void> {
  const { signal } = options;
  const videoSource = new EncodedVideoPacketSource('avc');
  output.addVideoTrack(videoSource, { rotation: video.rotation });
  const hasAudio = (await input.getAudioTracks()).length > 0;
  const audio = hasAudio
    ? await Conversion.init({ input, output, composable: true, trim: { start: 0 }, video: { discard: true }, audio: { codec: 'aac', bitrate: 128_000 }, showWarnings: false })
    : null;
  if (audio && (!audio.isValid || audio.discardedTracks.some((d) => d.track.type === 'audio'))) {
    throw new Error('cannot export the audio of this recording as MP4');
  }
  let audioAt = hasAudio ? 0 : Number.POSITIVE_INFINITY;
  let videoAt = 0;
  const report = () => options.onProgress?.(Math.min(videoAt, audioAt) / duration);
  if (audio) {
    audio.onProgress = (fraction) => {
      audioAt = fraction * duration;
      report();
    };
  }
  await output.start();
  const onAbort = () => void audio?.cancel();
  signal?.addEventListener('abort', onAbort);
  const audioDone = audio
    ? audio.execute().then(
        () => void (audioAt = Number.POSITIVE_INFINITY),
        (error: unknown) => {
          audioAt = Number.POSITIVE_INFINITY;
          throw error;
        },
      )
    : Promise.resolve();
  try {
    const sink = new EncodedPacketSink(video);
    const decoderConfig = await video.getDecoderConfig();
    if (!decoderConfig) throw new Error('cannot export a video track without its decoder configuration');
    let first = true;
    for (let packet = await sink.getFirstPacket(); packet; packet = await sink.getNextPacket(packet)) {
      if (signal?.aborted) throw new ExportCanceled();
      while (packet.timestamp > audioAt + MAX_LEAD) {
        if (signal?.aborted) throw new ExportCanceled();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await videoSource.add(packet, first ? { decoderConfig } : undefined);
      first = false;
      videoAt = packet.timestamp;
      report();
    }
    videoSource.close();
    await audioDone;
    await output.finalize();
  } catch (error) {
    audio?.cancel().catch(() => undefined);
    await audioDone.catch(() => undefined);
    if (error instanceof ConversionCanceledError || signal?.aborted) throw new ExportCanceled();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Thrown when an export is cancelled: nothing of it should be kept. */
export class ExportCanceled extends Error {
  constructor() {
    super('export canceled');
    this.name = 'ExportCanceled';
  }
}

/**
 * A fast trim copies from the keyframe at or before the start, moving the whole cut so it
 * starts at zero (audio moves with it); an exact trim re-encodes whatever does not start on a keyframe.
 */
function copyOptions(trim: Trim | null | undefined): ConversionCopyOptions {
  if (trim?.mode === 'exact') return { boundaryPolicy: 'expand', boundaryTolerance: 0 };
  return { boundaryPolicy: 'expand', shiftTolerance: Number.POSITIVE_INFINITY };
}

export async function exportVideo(
  source: Blob,
  target: WritableStream<StreamTargetChunk>,
  options: VideoExportOptions,
): Promise<void> {
  const { format, trim, signal } = options;
  if (signal?.aborted) throw new ExportCanceled();
  if (format === 'mp4') await ensureAacEncoder();
  const input = new Input({ source: new BlobSource(source, { maxCacheSize: READ_CACHE }), formats: ALL_FORMATS });
  const output = new Output({
    format: format === 'mp4' ? new Mp4OutputFormat({ fastStart: false }) : new WebMOutputFormat(),
    target: new StreamTarget(target, { chunked: true, chunkSize: WRITE_CHUNK }),
  });
  try {
    const duration = await input.computeDuration();
    const range = trim ? trimRange(trim, duration) : null;
    const videoTracks = await input.getVideoTracks();
    if (format === 'mp4' && !range && videoTracks.length === 1 && videoTracks[0]!.codec === 'avc') {
      await copyVideoEncodeAudio(input, videoTracks[0]!, output, duration, options);
      return;
    }
    const conversion = await Conversion.init({
      input,
      output,
      trim: range ? { start: range.start, end: range.end } : undefined,
      copy: copyOptions(trim),
      video: format === 'mp4' ? { codec: 'avc' } : { codec: 'vp9' },
      audio: format === 'mp4' ? { codec: 'aac', bitrate: 128_000 } : { codec: 'opus', bitrate: 128_000 },
      showWarnings: false,
    });
    if (!conversion.isValid) {
      const reasons = conversion.discardedTracks.map((d) => `${d.track.type}: ${d.reason}`).join(', ');
      throw new Error(`cannot export this recording as ${format.toUpperCase()} (${reasons})`);
    }
    // A source track the export would leave out is a failure, not a quieter file.
    if (conversion.discardedTracks.length > 0) {
      throw new Error(`cannot export the ${conversion.discardedTracks[0]!.track.type} of this recording as ${format.toUpperCase()}`);
    }
    const onAbort = () => void conversion.cancel();
    signal?.addEventListener('abort', onAbort);
    conversion.onProgress = (fraction) => options.onProgress?.(fraction);
    try {
      await conversion.execute();
    } catch (error) {
      if (error instanceof ConversionCanceledError || signal?.aborted) throw new ExportCanceled();
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  } catch (error) {
    await output.cancel().catch(() => undefined);
    throw error;
  } finally {
    input.dispose();
  }
}
