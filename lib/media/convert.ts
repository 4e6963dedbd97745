import {
  ALL_FORMATS,
  BlobSource,
  EncodedAudioPacketSource,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  Input,
  MkvOutputFormat,
  Mp4OutputFormat,
  Output,
  StreamTarget,
  WebMOutputFormat,
  type EncodedPacket,
  type InputTrack,
  type StreamTargetChunk,
} from 'mediabunny';

/**
 * Remuxing and converting media files, streamed: the input is read in slices from a Blob (an
 * OPFS file or a list of stored chunks) and the output written as it is made, so nothing is
 * held in memory whole. Finalizing a recording remuxes; exports convert.
 */

/** Matroska (WebM, MKV) keeps timestamps in whole milliseconds; an MP4 track in ticks of its own timescale. */
const MATROSKA_TICKS_PER_SECOND = 1000;

/** The containers a recording is finished in (lib/media/formats.ts says which codecs each holds). */
export type RemuxContainer = 'webm' | 'mkv' | 'mp4';
const CHUNK_SIZE = 4 * 1024 * 1024;

interface Lane {
  add(packet: EncodedPacket, first: boolean): Promise<void>;
  /** Ticks per second of this track's time grid: each packet gets its own tick. */
  ticksPerSecond: number;
  packets: AsyncIterator<EncodedPacket>;
  next: EncodedPacket | null;
  lastTick: number;
  first: boolean;
}

export interface RemuxOptions {
  /** The most frames a second the capture was asked for: the video's time grid, unless the file holds more. */
  frameRate: number;
  container: RemuxContainer;
}

/**
 * The video's time grid: the capture's frame rate, or — where some second of the file holds
 * more frames than that (a camera that ignored the request) — twice the busiest second's
 * count, so that moving frames into free slots never piles up; or, for a camera that steadily
 * gives fewer frames than asked (15 of 30), its own rate: ffmpeg takes a file's rate from its
 * usual interval between frames, and on a finer grid two frames of a burst (after a stall)
 * sit in one of its slots ("non monotonically increasing dts").
 */
export async function videoGridRate(track: InputTrack, frameRate: number): Promise<number> {
  const times: number[] = [];
  const intervals: number[] = [];
  let busiest = 0;
  let last: number | null = null;
  for await (const packet of new EncodedPacketSink(track).packets(undefined, undefined, { metadataOnly: true })) {
    times.push(packet.timestamp);
    while (times[0]! <= packet.timestamp - 1) times.shift();
    busiest = Math.max(busiest, times.length);
    if (last !== null) intervals.push(packet.timestamp - last);
    last = packet.timestamp;
  }
  // A capture runs a frame or two over its rate in some seconds (timer jitter): that settles by itself.
  const steady = (rate: number) => busiest <= rate * 1.25;
  if (!steady(frameRate)) return 2 * busiest;
  const usual = intervals.sort((a, b) => a - b)[Math.floor(intervals.length / 2)];
  const own = usual ? Math.round(1 / usual) : frameRate;
  return own < frameRate && steady(own) ? own : frameRate;
}

/**
 * Copies every packet of `source` into a file of its own container with a duration and an
 * index (what MediaRecorder's own WebM lacks: duration and cues; its MP4 is fragmented),
 * re-encoding nothing, packets in timestamp order across tracks. An MP4 comes out with its
 * index at the end (lib/export/faststart.ts moves it).
 *
 * Captures deliver frames at uneven times, and a file that says nothing of its frame rate
 * leaves players to guess one; ffmpeg guesses the capture's rate and then finds two frames in
 * one frame slot whenever a frame came early ("non monotonically increasing dts"). So the
 * video is written on the capture's own time grid (1/frameRate s), which the file declares
 * (Matroska's DefaultDuration): each frame in its own slot, moved by less than a slot — where
 * a burst put two frames in one slot, the later one takes the next. Audio keeps its timing, on
 * the millisecond grid.
 */
export async function remux(source: Blob, target: WritableStream<StreamTargetChunk>, options: RemuxOptions): Promise<void> {
  const input = new Input({ source: new BlobSource(source), formats: ALL_FORMATS });
  const format = options.container === 'mp4' ? new Mp4OutputFormat({ fastStart: false }) : options.container === 'mkv' ? new MkvOutputFormat() : new WebMOutputFormat();
  const output = new Output({ format, target: new StreamTarget(target, { chunked: true, chunkSize: CHUNK_SIZE }) });
  const fileTicks = options.container === 'mp4' ? null : MATROSKA_TICKS_PER_SECOND;
  try {
    const lanes: Lane[] = [];
    for (const track of await input.getTracks()) {
      const lane = await laneFor(track, output, options);
      if (lane) lanes.push(lane);
    }
    if (lanes.length === 0) throw new Error('nothing to remux: no audio or video track');
    await output.start();
    for (const lane of lanes) lane.next = (await lane.packets.next()).value ?? null;
    for (;;) {
      let lane: Lane | null = null;
      for (const candidate of lanes) {
        if (candidate.next && (!lane || candidate.next.timestamp < lane.next!.timestamp)) lane = candidate;
      }
      if (!lane) break;
      const packet = lane.next!;
      let tick = Math.round(packet.timestamp * lane.ticksPerSecond);
      if (tick <= lane.lastTick) tick = lane.lastTick + 1;
      lane.lastTick = tick;
      const timestamp = fileTicks ? Math.round((tick / lane.ticksPerSecond) * fileTicks) / fileTicks : tick / lane.ticksPerSecond;
      await lane.add(timestamp === packet.timestamp ? packet : packet.clone({ timestamp }), lane.first);
      lane.first = false;
      lane.next = (await lane.packets.next()).value ?? null;
    }
    await output.finalize();
  } catch (error) {
    await output.cancel().catch(() => undefined);
    throw error;
  } finally {
    input.dispose();
  }
}

async function laneFor(track: InputTrack, output: Output, options: RemuxOptions): Promise<Lane | null> {
  const packets = new EncodedPacketSink(track).packets();
  const lane = { packets, next: null, lastTick: Number.NEGATIVE_INFINITY, first: true, ticksPerSecond: MATROSKA_TICKS_PER_SECOND };
  if (track.isVideoTrack()) {
    const codec = track.codec;
    const decoderConfig = await track.getDecoderConfig();
    if (!codec || !decoderConfig) throw new Error(`cannot remux a video track in ${track.codec ?? 'an unknown codec'}`);
    const sink = new EncodedVideoPacketSource(codec);
    const gridRate = await videoGridRate(track, options.frameRate);
    output.addVideoTrack(sink, { rotation: track.rotation, frameRate: gridRate });
    return { ...lane, ticksPerSecond: gridRate, add: (packet, first) => sink.add(packet, first ? { decoderConfig } : undefined) };
  }
  if (track.isAudioTrack()) {
    const codec = track.codec;
    const decoderConfig = await track.getDecoderConfig();
    if (!codec || !decoderConfig) throw new Error(`cannot remux an audio track in ${track.codec ?? 'an unknown codec'}`);
    const sink = new EncodedAudioPacketSource(codec);
    output.addAudioTrack(sink);
    return { ...lane, add: (packet, first) => sink.add(packet, first ? { decoderConfig } : undefined) };
  }
  return null;
}

/** A file's duration in seconds, read from its index where it has one. */
export async function mediaDuration(file: Blob): Promise<number> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    return await input.computeDuration();
  } finally {
    input.dispose();
  }
}
