/**
 * A live microphone level, 0 (silence) to 1 (full scale), about 20 times a second: the meter
 * beside the microphone picker. Call the returned function to stop it.
 */
export function watchLevel(stream: MediaStream, onLevel: (level: number) => void): () => void {
  if (stream.getAudioTracks().length === 0) return () => undefined;
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    onLevel(levelOf(samples));
  }, 50);
  void context.resume().catch(() => undefined);
  return () => {
    clearInterval(timer);
    void context.close().catch(() => undefined);
  };
}

/** RMS of the samples on a dB scale from −60 dBFS (0) to 0 dBFS (1): how loud it sounds, not how large the numbers are. */
export function levelOf(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  const db = 20 * Math.log10(rms || 1e-9);
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
