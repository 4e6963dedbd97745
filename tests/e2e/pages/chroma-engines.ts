/**
 * The page of chroma-engines.e2e.test.ts (bundled by it with esbuild): keys the same frames with
 * each engine the browser runs and hands back the keyed pixels.
 */
import { autoKey } from '../../../lib/media/chroma/auto-key';
import { chooseKeyEngine, openEngines, type KeyEnginePreference } from '../../../lib/media/chroma/choose';
import type { Behind } from '../../../lib/media/chroma/engines';
import { screenScene } from '../../../lib/media/chroma/test-scene';

export type BehindName = 'colour' | 'picture' | 'transparent';

/** A keyed frame's pixels (RGBA, sRGB); the frame is closed. */
async function pixelsOf(frame: VideoFrame): Promise<number[]> {
  const pixels = new Uint8Array(frame.displayWidth * frame.displayHeight * 4);
  await frame.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
  frame.close();
  return Array.from(pixels);
}

/** The engine chosen for frames of this size (the preference as Options sets it), and what it keyed the corner to. */
(window as unknown as { chooseFor: unknown }).chooseFor = async (width: number, height: number, preference: KeyEnginePreference) => {
  const { rgba } = screenScene([40, 200, 60], width, height, 4);
  const frame = new VideoFrame(rgba, { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: 0 });
  const choice = await chooseKeyEngine(preference, frame, autoKey(rgba, width, height)!, { colour: [255, 0, 255] });
  // The frame keyed by the engine chosen comes with the choice (the keyer's first output).
  const corner = new Uint8Array(4);
  await choice.keyed.copyTo(corner, { rect: { x: 0, y: 0, width: 1, height: 1 }, format: 'RGBA' });
  choice.keyed.close();
  choice.engine.close();
  frame.close();
  return { chosen: choice.engine.name, corner: Array.from(corner) };
};

(window as unknown as { keyWithEach: unknown }).keyWithEach = async (width: number, height: number, screen: [number, number, number], behindName: BehindName) => {
  const { rgba } = screenScene(screen, width, height, 4);
  const frame = new VideoFrame(rgba, { format: 'RGBA', codedWidth: width, codedHeight: height, timestamp: 0 });
  const picture = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) picture.set([i % 256, 90, 255 - ((i * 7) % 256), 255], i * 4);
  const behind: Behind = behindName === 'colour' ? { colour: [255, 0, 255] } : behindName === 'picture' ? { picture } : { transparent: true };
  const key = autoKey(rgba, width, height)!;
  const keyed: Record<string, number[]> = {};
  for (const engine of await openEngines()) {
    keyed[engine.name] = await pixelsOf(await engine.key(frame, key, behind));
    engine.close();
  }
  const choice = await chooseKeyEngine('auto', frame, key, behind);
  const chosenKeyed = await pixelsOf(choice.keyed);
  choice.engine.close();
  frame.close();
  return { keyed, chosen: choice.engine.name, measured: choice.measured, gpuSkipped: choice.gpuSkipped, chosenKeyed };
};
