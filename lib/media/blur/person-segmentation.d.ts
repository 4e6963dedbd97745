/** TensorFlow Lite (wasm) and the selfie-segmentation model, from scripts/person-segmentation.ts. */
declare module 'virtual:person-segmentation' {
  export interface TfliteModule {
    HEAPU8: Uint8Array;
    HEAPF32: Float32Array;
    _getModelBufferMemoryOffset(): number;
    _loadModel(size: number): number;
    _getInputMemoryOffset(): number;
    _getInputWidth(): number;
    _getInputHeight(): number;
    _getInputChannelCount(): number;
    _getOutputMemoryOffset(): number;
    _getOutputWidth(): number;
    _getOutputHeight(): number;
    _getOutputChannelCount(): number;
    _runInference(): number;
  }
  const createTfliteModule: (options: { wasmBinary: Uint8Array; print?: (text: string) => void; printErr?: (text: string) => void }) => Promise<TfliteModule>;
  export default createTfliteModule;
  export const wasm: Uint8Array;
  export const model: Uint8Array;
}
