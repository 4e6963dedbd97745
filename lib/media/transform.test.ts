import { describe, expect, it } from 'vitest';
import { processVideo, type VideoTransform } from './transform';

const track = (id: string) => ({ id }) as MediaStreamTrack;

function step(name: string, log: string[], fail = false): VideoTransform {
  return {
    name,
    apply(input) {
      if (fail) throw new Error(`${name} failed`);
      log.push(`${name}(${input.id})`);
      return { track: track(`${name}:${input.id}`), close: () => void log.push(`close ${name}`) };
    },
  };
}

describe('processVideo', () => {
  it('passes the capture through unchanged without transforms', async () => {
    const input = track('cam');
    const processed = await processVideo(input, []);
    expect(processed.track).toBe(input);
    processed.close();
  });

  it('chains transforms in order and closes them in reverse', async () => {
    const log: string[] = [];
    const processed = await processVideo(track('cam'), [step('key', log), step('bubble', log)]);
    expect(processed.track.id).toBe('bubble:key:cam');
    processed.close();
    expect(log).toEqual(['key(cam)', 'bubble(key:cam)', 'close bubble', 'close key']);
  });

  it('closes what it made when a later transform fails', async () => {
    const log: string[] = [];
    await expect(processVideo(track('cam'), [step('key', log), step('bubble', log, true)])).rejects.toThrow('bubble failed');
    expect(log).toEqual(['key(cam)', 'close key']);
  });
});
