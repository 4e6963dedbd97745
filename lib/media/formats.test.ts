import { describe, expect, it } from 'vitest';
import { adjustFormat, chooseFormat, containerOf, offeredAudioCodecs, offeredContainers, offeredVideoCodecs, probeFormats, recorderMimeType } from './formats';

/** What Chromium 156 answers (shared/notes): no AAC, H.264 in MP4 and (as Matroska) in WebM. */
const CHROMIUM_156 = new Set([
  'video/mp4;codecs=avc1,opus',
  'video/mp4;codecs=vp9,opus',
  'video/mp4;codecs=av01,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=av1,opus',
  'video/webm;codecs=h264,opus',
  'video/x-matroska;codecs=avc1,opus',
]);
const chromium = (type: string) => CHROMIUM_156.has(type);

describe('the recording format probe', () => {
  const probe = probeFormats(chromium);

  it('asks about every container × video codec × audio codec, in each container’s spelling', () => {
    expect(probe).toHaveLength(3 * 4 * 2);
    expect(recorderMimeType({ container: 'mp4', video: 'h264', audio: 'aac' })).toBe('video/mp4;codecs=avc1,mp4a.40.2');
    expect(recorderMimeType({ container: 'webm', video: 'av1', audio: 'opus' })).toBe('video/webm;codecs=av1,opus');
    expect(probe.filter((r) => r.supported).map((r) => r.mimeType).sort()).toEqual([...CHROMIUM_156].sort());
  });

  it('offers what is supported and can be finished in its own container (not H.264 "in WebM")', () => {
    expect(probe.find((r) => r.mimeType === 'video/webm;codecs=h264,opus')).toMatchObject({ supported: true, offered: false });
    expect(offeredContainers(probe)).toEqual(['mp4', 'webm', 'mkv']);
    expect(offeredVideoCodecs(probe, 'webm')).toEqual(['vp8', 'vp9', 'av1']);
    expect(offeredAudioCodecs(probe, 'mp4', 'h264')).toEqual(['opus']);
  });

  it('records the chosen type when offered, else the cheapest players accept', () => {
    expect(chooseFormat({ container: 'webm', video: 'vp9', audio: 'opus' }, probe).mimeType).toBe('video/webm;codecs=vp9,opus');
    expect(chooseFormat(null, probe).mimeType).toBe('video/mp4;codecs=avc1,opus');
    // AAC chosen on a browser that has it, then the browser lost it: the best it still has.
    expect(chooseFormat({ container: 'mp4', video: 'h264', audio: 'aac' }, probe).mimeType).toBe('video/mp4;codecs=avc1,opus');
    expect(chooseFormat(null, probeFormats((t) => t.includes('aac') || t.includes('mp4a') || t === 'video/mp4;codecs=avc1,opus')).mimeType).toBe('video/mp4;codecs=avc1,mp4a.40.2');
    expect(chooseFormat(null, probeFormats((t) => t.startsWith('video/webm;codecs=vp9'))).container).toBe('webm');
    expect(() => chooseFormat(null, probeFormats(() => false))).toThrow(/cannot record/);
  });

  it('keeps what it can of a choice when another part of it changes', () => {
    expect(adjustFormat({ container: 'webm', video: 'h264', audio: 'opus' }, probe)).toEqual({ container: 'webm', video: 'vp8', audio: 'opus' });
    expect(adjustFormat({ container: 'mp4', video: 'vp9', audio: 'aac' }, probe)).toEqual({ container: 'mp4', video: 'vp9', audio: 'opus' });
  });

  it('reads the container back from a recorded type', () => {
    expect(containerOf('video/mp4;codecs=avc1,opus')).toBe('mp4');
    expect(containerOf('video/x-matroska;codecs=avc1')).toBe('mkv');
    expect(containerOf('video/webm')).toBe('webm');
  });
});
