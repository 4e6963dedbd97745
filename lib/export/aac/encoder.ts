import { CustomAudioEncoder, registerEncoder, type AudioCodec, type AudioSample } from 'mediabunny';
import { AacWorkerClient, prepareAacWorker, releaseAacWorker } from './client';

/**
 * AAC for mediabunny's conversions (MP4 exports that re-encode; Chromium's WebCodecs has no AAC
 * encoder): each sample goes to the AAC worker's client, which batches it and keeps the worker
 * busy. (@mediabunny/aac-encoder's own wrapper waited for every 1024-sample frame, so its worker
 * and the page took turns.)
 */
export class AacEncoder extends CustomAudioEncoder {
  static override supports(codec: AudioCodec, config: AudioEncoderConfig): boolean {
    // Raw AAC for MP4 only: an ADTS stream (config.aac.format) is not what exports make.
    return codec === 'aac' && (config as { aac?: { format?: string } }).aac?.format !== 'adts';
  }

  private client: AacWorkerClient | null = null;
  /** Where a sample is copied to, interleaved, on its way to the client; reused. */
  private scratch = new Float32Array(0);
  private metadata: EncodedAudioChunkMetadata | undefined;

  async init(): Promise<void> {
    const { numberOfChannels: channels, sampleRate } = this.config;
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
    this.metadata = { decoderConfig: this.client.decoderConfig! };
  }

  async encode(sample: AudioSample): Promise<void> {
    const values = sample.numberOfFrames * sample.numberOfChannels;
    if (this.scratch.length < values) this.scratch = new Float32Array(values);
    const pcm = this.scratch.subarray(0, values);
    sample.copyTo(pcm, { format: 'f32', planeIndex: 0 });
    await this.client!.add(pcm, Math.round(sample.timestamp * this.config.sampleRate));
  }

  async flush(): Promise<void> {
    await this.client!.end();
  }

  close(): void {
    this.client?.close();
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
