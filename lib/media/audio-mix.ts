/**
 * Sounds mixed into one track: a recording's capture and microphone, a call's participants, a
 * shared tab and the microphone.
 */
export interface AudioMix {
  track: MediaStreamTrack | null;
  close(): void;
}

/** A mix whose inputs may change as it runs (people join a call, a share starts). */
export interface SoundMixer {
  readonly track: MediaStreamTrack;
  /** Settles once the mix runs (an AudioContext may start suspended). */
  readonly running: Promise<void>;
  setStreams(streams: MediaStream[]): void;
  close(): void;
}

/**
 * `monitor`: a sound to play to the person as well — a tab being captured is silent for them
 * (Chrome mutes it) unless someone plays it back.
 */
export function mixSounds(monitor: MediaStream | null = null): SoundMixer {
  const context = new AudioContext();
  const running = context.resume().catch(() => undefined);
  const destination = context.createMediaStreamDestination();
  if (monitor && monitor.getAudioTracks().length > 0) context.createMediaStreamSource(monitor).connect(context.destination);
  const sources = new Map<MediaStreamTrack, MediaStreamAudioSourceNode>();
  const streamOf = (track: MediaStreamTrack) => new MediaStream([track]);
  return {
    track: destination.stream.getAudioTracks()[0]!,
    running,
    setStreams(streams) {
      const tracks: MediaStreamTrack[] = streams.flatMap((stream) => stream.getAudioTracks()).filter((track) => track.readyState === 'live');
      for (const [track, node] of sources) {
        if (!tracks.includes(track)) {
          node.disconnect();
          sources.delete(track);
        }
      }
      for (const track of tracks) {
        if (sources.has(track)) continue;
        const node = context.createMediaStreamSource(streamOf(track));
        node.connect(destination);
        sources.set(track, node);
      }
    },
    close() {
      for (const node of sources.values()) node.disconnect();
      sources.clear();
      void context.close().catch(() => undefined);
    },
  };
}

/** A recording's sounds — the capture's own and the microphone — in one track; none when neither has sound. */
export async function mixAudio(inputs: MediaStream[], monitor: MediaStream | null): Promise<AudioMix> {
  const withAudio = inputs.filter((s) => s.getAudioTracks().length > 0);
  if (withAudio.length === 0 && !monitor) return { track: null, close: () => undefined };
  const mix = mixSounds(monitor);
  await mix.running;
  mix.setStreams(withAudio);
  return { track: withAudio.length > 0 ? mix.track : null, close: () => mix.close() };
}
