/**
 * What the browser can record: containers × video codecs × audio codecs, asked of
 * MediaRecorder.isTypeSupported one by one (Chromium answers for each combination, and its
 * answers change between versions). Options offers only what it answers yes to; the recorder
 * falls back to the best supported type when the chosen one is gone.
 */
export const CONTAINERS = ['mp4', 'webm', 'mkv'] as const;
export const VIDEO_CODECS = ['h264', 'vp8', 'vp9', 'av1'] as const;
export const AUDIO_CODECS = ['opus', 'aac'] as const;

export type Container = (typeof CONTAINERS)[number];
export type VideoCodec = (typeof VIDEO_CODECS)[number];
export type AudioCodec = (typeof AUDIO_CODECS)[number];

export interface RecordingFormat {
  container: Container;
  video: VideoCodec;
  audio: AudioCodec;
}

export const CONTAINER_MIME: Record<Container, string> = { mp4: 'video/mp4', webm: 'video/webm', mkv: 'video/x-matroska' };

/** Each container's spelling of a codec in a MIME type. */
const VIDEO_CODEC_NAME: Record<Container, Record<VideoCodec, string>> = {
  mp4: { h264: 'avc1', vp8: 'vp8', vp9: 'vp9', av1: 'av01' },
  webm: { h264: 'h264', vp8: 'vp8', vp9: 'vp9', av1: 'av1' },
  mkv: { h264: 'avc1', vp8: 'vp8', vp9: 'vp9', av1: 'av1' },
};
const AUDIO_CODEC_NAME: Record<AudioCodec, string> = { opus: 'opus', aac: 'mp4a.40.2' };

/**
 * Combinations a recording can be finished in: the file is remuxed into its own container,
 * and WebM holds only VP8/VP9/AV1 and Opus (Chromium's "WebM with H.264" is really Matroska,
 * which is offered as MKV).
 */
export function isFinishable(format: RecordingFormat): boolean {
  if (format.container === 'webm') return format.video !== 'h264' && format.audio === 'opus';
  return true;
}

export function recorderMimeType(format: RecordingFormat): string {
  return `${CONTAINER_MIME[format.container]};codecs=${VIDEO_CODEC_NAME[format.container][format.video]},${AUDIO_CODEC_NAME[format.audio]}`;
}

export interface ProbeRow extends RecordingFormat {
  mimeType: string;
  /** What isTypeSupported answered. */
  supported: boolean;
  /** Whether it is offered: supported, and finishable in its container. */
  offered: boolean;
}

/** Every combination with the browser's answer. */
export function probeFormats(isTypeSupported: (type: string) => boolean): ProbeRow[] {
  const rows: ProbeRow[] = [];
  for (const container of CONTAINERS) {
    for (const video of VIDEO_CODECS) {
      for (const audio of AUDIO_CODECS) {
        const format = { container, video, audio };
        const mimeType = recorderMimeType(format);
        let supported = false;
        try {
          supported = isTypeSupported(mimeType);
        } catch {
          // A browser that throws on a type does not record it.
        }
        rows.push({ ...format, mimeType, supported, offered: supported && isFinishable(format) });
      }
    }
  }
  return rows;
}

/**
 * Preference when nothing (or something no longer supported) was chosen: cheap to record and
 * accepted by every player. H.264 costs least with a 30 fps source (about a third of VP9's CPU
 * on a 720p canvas, shared notes); on tab content the recording bench finds H.264, VP9 and AV1
 * about equal and VP8 dearest. An MP4 has a duration from the start. AAC where the browser has
 * it, else Opus. Then WebM.
 */
export const FORMAT_PREFERENCE: readonly RecordingFormat[] = [
  { container: 'mp4', video: 'h264', audio: 'aac' },
  { container: 'mp4', video: 'h264', audio: 'opus' },
  { container: 'webm', video: 'vp8', audio: 'opus' },
  { container: 'webm', video: 'vp9', audio: 'opus' },
  { container: 'mkv', video: 'h264', audio: 'opus' },
  { container: 'webm', video: 'av1', audio: 'opus' },
];

const same = (a: RecordingFormat, b: RecordingFormat) => a.container === b.container && a.video === b.video && a.audio === b.audio;

/** The format to record: the wanted one when offered, else the first offered by preference. */
export function chooseFormat(wanted: RecordingFormat | null, probe: readonly ProbeRow[]): ProbeRow {
  const offered = probe.filter((row) => row.offered);
  const pick = (wanted && offered.find((row) => same(row, wanted))) ?? FORMAT_PREFERENCE.map((f) => offered.find((row) => same(row, f))).find(Boolean) ?? offered[0];
  if (!pick) throw new Error('This browser cannot record video in any format this extension can finish.');
  return pick;
}

/** Choices for one setting, given the others: what Options shows as selectable. */
export function offeredContainers(probe: readonly ProbeRow[]): Container[] {
  return CONTAINERS.filter((c) => probe.some((row) => row.offered && row.container === c));
}

export function offeredVideoCodecs(probe: readonly ProbeRow[], container: Container): VideoCodec[] {
  return VIDEO_CODECS.filter((v) => probe.some((row) => row.offered && row.container === container && row.video === v));
}

export function offeredAudioCodecs(probe: readonly ProbeRow[], container: Container, video: VideoCodec): AudioCodec[] {
  return AUDIO_CODECS.filter((a) => probe.some((row) => row.offered && row.container === container && row.video === video && row.audio === a));
}

/** The nearest offered format after one setting changed: keeps what it can of the others. */
export function adjustFormat(format: RecordingFormat, probe: readonly ProbeRow[]): RecordingFormat {
  const containers = offeredContainers(probe);
  const container = containers.includes(format.container) ? format.container : (containers[0] ?? format.container);
  const videos = offeredVideoCodecs(probe, container);
  const video = videos.includes(format.video) ? format.video : (videos[0] ?? format.video);
  const audios = offeredAudioCodecs(probe, container, video);
  const audio = audios.includes(format.audio) ? format.audio : (audios[0] ?? format.audio);
  return { container, video, audio };
}

/** The container of a recorded MIME type ("video/mp4;codecs=avc1,opus" → mp4); WebM for anything else. */
export function containerOf(mimeType: string): Container {
  const base = mimeType.split(';')[0]!.trim().toLowerCase();
  return (Object.keys(CONTAINER_MIME) as Container[]).find((c) => CONTAINER_MIME[c] === base) ?? 'webm';
}
