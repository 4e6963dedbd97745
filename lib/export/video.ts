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
  EncodedAudioPacketSource,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  type InputAudioTrack,
  type InputVideoTrack,
  type ConversionCopyOptions,
  type StreamTargetChunk,
} from 'mediabunny';
import { AacWorkerClient } from './aac/client';
import { prepareAacEncoder } from './aac/encoder';
import { OPUS_RATE, openOpusDecoding } from './aac/opus';
import { trimRange, type Trim } from './trim';

/**
 * MP4 and WebM exports of a recording, streamed from its file to the target.
 *
 * MP4 is written for every player: H.264 video and AAC audio (a recording's H.264 is copied,
 * anything else re-encoded; its Opus is always re-encoded, QuickTime-class players refuse Opus
 * in MP4). WebM holds VP9 and Opus, with a duration and cues. An MP4 whose video is copied has
 * its index (moov) written in front, in room reserved for it; any other MP4 comes out with its
 * index at the end (mediabunny cannot know its size before), and lib/media/faststart.ts moves it.
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

/** How far the copied video may run ahead of the audio being encoded, seconds. */
const MAX_LEAD = 1;
const AAC_BITRATE = 128_000;
/** Samples per AAC frame; the encoder adds a priming frame and a flush frame or two, and a sound may start a little before zero. */
const AAC_FRAME = 1024;
const AAC_EXTRA_FRAMES = 8;

/**
 * Whether an export copies the recording's video (a whole H.264 recording to MP4). Such an
 * export knows its packet counts up front, so it reserves room for the index at the start of
 * the file and needs no second pass to move it there.
 */
async function copiesVideo(input: Input, format: VideoExportFormat, range: { start: number; end: number } | null): Promise<InputVideoTrack | null> {
  if (format !== 'mp4' || range) return null;
  const videoTracks = await input.getVideoTracks();
  const audioTracks = await input.getAudioTracks();
  // The sound is re-encoded from Opus (what every recording holds); anything else goes the general way.
  if (audioTracks.length > 1 || (audioTracks[0] && audioTracks[0].codec !== 'opus')) return null;
  return videoTracks.length === 1 && videoTracks[0]!.codec === 'avc' ? videoTracks[0]! : null;
}

/** Where both halves of a copy-and-encode export are: the slower one sets the pace and the progress. */
interface Pace {
  videoAt: number;
  audioAt: number;
}

/**
 * The recording's Opus decoded here (in wasm, lib/export/aac/opus.ts) and encoded to AAC by the
 * AAC worker. Packets are read one at a time (not through mediabunny's read-ahead, whose
 * packets are views that keep 2 MiB blocks of the file alive).
 */
async function encodeAudio(track: InputAudioTrack, target: EncodedAudioPacketSource, pace: Pace, signal: AbortSignal): Promise<void> {
  const description = (await track.getDecoderConfig())?.description;
  if (!description) throw new Error('cannot export Opus sound without its header');
  const opus = await openOpusDecoding(ArrayBuffer.isView(description) ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength) : new Uint8Array(description));
  const { channels } = opus;
  let muxed: Promise<void> = Promise.resolve();
  let first = true;
  const aac = new AacWorkerClient({ channels, sampleRate: OPUS_RATE, bitrate: AAC_BITRATE }, (packets) => {
    for (const packet of packets) {
      const meta = first ? { decoderConfig: aac.decoderConfig! } : undefined;
      first = false;
      muxed = muxed.then(() => target.add(packet, meta));
      pace.audioAt = packet.timestamp + packet.duration;
    }
  });
  try {
    await aac.open();
    const sink = new EncodedPacketSink(track);
    for (let packet = await sink.getFirstPacket(); packet; packet = await sink.getNextPacket(packet)) {
      if (signal.aborted) throw new ExportCanceled();
      const decoded = opus.decode(packet.data, packet.timestamp);
      if (decoded) await aac.add(decoded.pcm, decoded.start);
    }
    await aac.end();
    await muxed;
    target.close();
  } finally {
    aac.close();
    opus.close();
  }
}

/**
 * A whole H.264 recording to MP4: the video copied packet by packet, paced to stay within
 * MAX_LEAD of the sound being encoded to AAC (so neither reads far ahead of the other), with
 * the index's room reserved in front from the packet counts the recording already knows.
 */
async function copyVideoEncodeAudio(input: Input, video: InputVideoTrack, output: Output, duration: number, options: VideoExportOptions): Promise<void> {
  const { signal } = options;
  const videoSource = new EncodedVideoPacketSource('avc');
  const videoStats = await video.computePacketStats();
  output.addVideoTrack(videoSource, { rotation: video.rotation, maximumPacketCount: videoStats.packetCount });
  const audioTrack = await input.getPrimaryAudioTrack();
  const audioSource = audioTrack ? new EncodedAudioPacketSource('aac') : null;
  if (audioTrack && audioSource) {
    const frames = Math.ceil(((await audioTrack.computeDuration()) * audioTrack.sampleRate) / AAC_FRAME);
    output.addAudioTrack(audioSource, { maximumPacketCount: frames + AAC_EXTRA_FRAMES });
  }
  const pace: Pace = { videoAt: 0, audioAt: audioSource ? 0 : Number.POSITIVE_INFINITY };
  const report = () => options.onProgress?.(Math.min(pace.videoAt, pace.audioAt) / duration);
  await output.start();
  // A cancel, or a failure on either side, stops both.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort);
  let audioFailure: unknown = null;
  const audioDone = audioTrack && audioSource ? encodeAudio(audioTrack, audioSource, pace, stop.signal).finally(() => (pace.audioAt = Number.POSITIVE_INFINITY)) : Promise.resolve();
  audioDone.catch((error: unknown) => (audioFailure = error));
  try {
    const sink = new EncodedPacketSink(video);
    const decoderConfig = await video.getDecoderConfig();
    if (!decoderConfig) throw new Error('cannot export a video track without its decoder configuration');
    let first = true;
    for (let packet = await sink.getFirstPacket(); packet; packet = await sink.getNextPacket(packet)) {
      while (packet.timestamp > pace.audioAt + MAX_LEAD) {
        if (signal?.aborted) throw new ExportCanceled();
        if (audioFailure) throw audioFailure;
        await new Promise((resolve) => setTimeout(resolve, 5));
        report();
      }
      if (signal?.aborted) throw new ExportCanceled();
      await videoSource.add(packet, first ? { decoderConfig } : undefined);
      first = false;
      pace.videoAt = packet.timestamp;
      report();
    }
    videoSource.close();
    await audioDone;
    await output.finalize();
  } catch (error) {
    stop.abort();
    await audioDone.catch(() => undefined);
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

/** An export opened on its recording: what it will write is known before anything is written. */
export interface VideoExport {
  /** An MP4 written with its index at the end: the caller moves the index to the front (lib/media/faststart.ts). */
  readonly indexAtEnd: boolean;
  /** Writes the export to `target`, once. */
  write(target: WritableStream<StreamTargetChunk>, options: Pick<VideoExportOptions, 'onProgress' | 'signal'>): Promise<void>;
  /** Lets go of the recording; always called, written or not. */
  dispose(): void;
}

export async function openVideoExport(source: Blob, request: Pick<VideoExportOptions, 'format' | 'trim'>): Promise<VideoExport> {
  const { format, trim } = request;
  const input = new Input({ source: new BlobSource(source, { maxCacheSize: READ_CACHE }), formats: ALL_FORMATS });
  let duration: number;
  let range: { start: number; end: number } | null;
  let copied: InputVideoTrack | null;
  try {
    duration = await input.computeDuration();
    range = trim ? trimRange(trim, duration) : null;
    copied = await copiesVideo(input, format, range);
  } catch (error) {
    input.dispose();
    throw error;
  }
  return {
    indexAtEnd: format === 'mp4' && !copied,
    write: (target, options) => writeVideo(input, target, { ...options, format, trim }, { duration, range, copied }),
    dispose: () => input.dispose(),
  };
}

async function writeVideo(
  input: Input,
  target: WritableStream<StreamTargetChunk>,
  options: VideoExportOptions,
  plan: { duration: number; range: { start: number; end: number } | null; copied: InputVideoTrack | null },
): Promise<void> {
  const { format, trim, signal } = options;
  const { duration, range, copied } = plan;
  let output: Output | null = null;
  try {
    if (signal?.aborted) throw new ExportCanceled();
    if (format === 'mp4') prepareAacEncoder();
    output = new Output({
      format: format === 'mp4' ? new Mp4OutputFormat({ fastStart: copied ? 'reserve' : false }) : new WebMOutputFormat(),
      target: new StreamTarget(target, { chunked: true, chunkSize: WRITE_CHUNK }),
    });
    if (copied) {
      await copyVideoEncodeAudio(input, copied, output, duration, options);
      return;
    }
    const conversion = await Conversion.init({
      input,
      output,
      trim: range ? { start: range.start, end: range.end } : undefined,
      copy: copyOptions(trim),
      video: format === 'mp4' ? { codec: 'avc' } : { codec: 'vp9' },
      audio: format === 'mp4' ? { codec: 'aac', bitrate: AAC_BITRATE } : { codec: 'opus', bitrate: 128_000 },
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
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  } catch (error) {
    await output?.cancel().catch(() => undefined);
    if (error instanceof ConversionCanceledError || signal?.aborted) throw new ExportCanceled();
    throw error;
  }
}
