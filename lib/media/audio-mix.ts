/**
 * Mixes the capture's own sound with the microphone into one track for the recorder.
 * Tab capture mutes the tab for the user; `monitor` plays the captured sound back so the
 * user still hears the tab while it is recorded.
 */
export interface AudioMix {
  track: MediaStreamTrack | null;
  close(): void;
}

export async function mixAudio(inputs: MediaStream[], monitor: MediaStream | null): Promise<AudioMix> {
  const withAudio = inputs.filter((s) => s.getAudioTracks().length > 0);
  if (withAudio.length === 0 && !monitor) return { track: null, close: () => undefined };
  const context = new AudioContext();
  await context.resume().catch(() => undefined);
  const destination = context.createMediaStreamDestination();
  for (const stream of withAudio) context.createMediaStreamSource(stream).connect(destination);
  if (monitor && monitor.getAudioTracks().length > 0) {
    context.createMediaStreamSource(monitor).connect(context.destination);
  }
  return {
    track: withAudio.length > 0 ? (destination.stream.getAudioTracks()[0] ?? null) : null,
    close: () => void context.close().catch(() => undefined),
  };
}
