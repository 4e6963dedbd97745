import { CustomAudioEncoder, registerEncoder, type AudioCodec, type AudioSample } from 'mediabunny';
import { AacWorkerClient, prepareAacWorker, releaseAacWorker } from './client';

/**
 * AAC for mediabunny's conversions (MP4 exports that re-encode; Chromium's WebCodecs has no AAC
 * encoder): samples gathered into batches of about BATCH_SAMPLES and sent to the AAC worker
 * without waiting for each answer. (@mediabunny/aac-encoder's own wrapper waited for every
 * 1024-sample frame, so its worker and the page took turns.)
 */
const BATCH_SAMPLES = 16 * 1024;

export class AacEncoder extends CustomAudioEncoder {
  static override supports(codec: AudioCodec, config: AudioEncoderConfig): boolean {
    // Raw AAC for MP4 only: an ADTS stream (config.aac.format) is not what exports make.
    return codec === 'aac' && (config as { aac?: { format?: string } }).aac?.format !== 'adts';
  }

  private client: AacWorkerClient | null = null;
  private channels = 0;
  private batch = new Float32Array(0);
  private batched = 0;
  /** Sample index of the batch's first sample. */
  private batchStart = 0;
  private metadata: EncodedAudioChunkMetadata | undefined;

  async init(): Promise<void> {
    const { numberOfChannels: channels, sampleRate } = this.config;
    this.channels = channels;
    this.batch = new Float32Array(BATCH_SAMPLES * channels);
    this.client = new AacWorkerClient(
      { channels, sampleRate, bitrate: this.config.bitrate ?? 128_000 },
      (packets) => {
        for (const packet of packets) {
          this.onPacket(packet, this.metadata);
          this.metadata = undefined;
        }
      },
      (error) => this.onError(error),
    );
    await this.client.open();
    this.metadata = { decoderConfig: { codec: 'mp4a.40.2', numberOfChannels: channels, sampleRate, description: this.client.extradata! } };
  }

  async encode(sample: AudioSample): Promise<void> {
    const values = sample.numberOfFrames * this.channels;
    if (this.batched === 0) this.batchStart = Math.round(sample.timestamp * this.config.sampleRate);
    if (this.batched + values > this.batch.length) {
      const grown = new Float32Array(this.batched + values);
      grown.set(this.batch.subarray(0, this.batched));
      this.batch = grown;
    }
    sample.copyTo(this.batch.subarray(this.batched, this.batched + values), { format: 'f32', planeIndex: 0 });
    this.batched += values;
    if (this.batched >= BATCH_SAMPLES * this.channels) await this.sendBatch();
  }

  async flush(): Promise<void> {
    if (this.batched > 0) await this.sendBatch();
    await this.client!.end();
  }

  close(): void {
    this.client?.close();
  }

  private sendBatch(): Promise<void> {
    const pcm = this.batch.slice(0, this.batched);
    this.batched = 0;
    return this.client!.encode(pcm, this.batchStart);
  }
}

let registered = false;

/**
 * Chromium's WebCodecs encodes no AAC: this brings FFmpeg's as wasm (loaded only where MP4s are
 * made; it is why extension pages allow 'wasm-unsafe-eval'), used for every MP4 so every
 * browser writes the same AAC. Registers it with mediabunny (once per page) and starts the next
 * encoder's worker; the export panel calls this as it opens, so the wasm is compiled by the
 * time the person clicks Export.
 */
export function prepareAacEncoder(): void {
  if (!registered) registerEncoder(AacEncoder);
  registered = true;
  prepareAacWorker();
}

/** Stops the worker waiting for an export (the export panel closed). */
export function releaseAacEncoder(): void {
  releaseAacWorker();
}
