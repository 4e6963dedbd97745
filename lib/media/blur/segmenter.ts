/**
 * Where the person is in a picture: MediaPipe's selfie-segmentation model (landscape, 256×144)
 * run by TensorFlow Lite as WebAssembly SIMD (scripts/person-segmentation.ts). A picture in at
 * the model's size, a mask out: for each pixel, how likely it is the person's (0–1). No green
 * screen needed. Plain code: it runs in the keying worker.
 */
export interface PersonSegmenter {
  /** The size the model reads and the mask has. */
  readonly width: number;
  readonly height: number;
  /** The person's mask (a view the next call overwrites) of an RGBA picture of the model's size. */
  segment(rgba: Uint8ClampedArray): Float32Array;
}

export async function openPersonSegmenter(): Promise<PersonSegmenter> {
  const { default: createTfliteModule, wasm, model } = await import('virtual:person-segmentation');
  // The loader logs each step (and the delegate it made) to the console: kept quiet.
  const tflite = await createTfliteModule({ wasmBinary: wasm, print: () => undefined, printErr: () => undefined });
  tflite.HEAPU8.set(model, tflite._getModelBufferMemoryOffset());
  if (tflite._loadModel(model.length) !== 0) throw new Error('the person segmentation model did not load');
  const width = tflite._getInputWidth();
  const height = tflite._getInputHeight();
  const channels = tflite._getInputChannelCount();
  if (channels !== 3 || tflite._getOutputWidth() !== width || tflite._getOutputHeight() !== height || tflite._getOutputChannelCount() !== 1) {
    throw new Error('the person segmentation model is not the one expected (RGB in, one mask out, same size)');
  }
  let input: Float32Array = new Float32Array(0);
  let output: Float32Array = new Float32Array(0);
  return {
    width,
    height,
    segment(rgba) {
      // Views of the module's memory, made again if it has grown.
      if (input.buffer !== tflite.HEAPF32.buffer) {
        input = new Float32Array(tflite.HEAPF32.buffer, tflite._getInputMemoryOffset(), width * height * 3);
        output = new Float32Array(tflite.HEAPF32.buffer, tflite._getOutputMemoryOffset(), width * height);
      }
      // The model reads RGB from 0 to 1.
      for (let i = 0, o = 0; o < input.length; i += 4, o += 3) {
        input[o] = rgba[i]! / 255;
        input[o + 1] = rgba[i + 1]! / 255;
        input[o + 2] = rgba[i + 2]! / 255;
      }
      tflite._runInference();
      return output;
    },
  };
}
