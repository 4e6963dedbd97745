/**
 * The seam between capture and encoder: a source's video track may pass through transforms
 * (the chroma key, a camera bubble) before anything encodes it. The source keeps its own
 * track, so end detection and frame counts stay on the capture; the recorder, the thumbnail
 * and a call's sender take the processed track.
 */
export interface ProcessedTrack {
  track: MediaStreamTrack;
  /** Stops the transform's own work and the track it made (not its input). */
  close(): void;
}

export interface VideoTransform {
  readonly name: string;
  apply(input: MediaStreamTrack): ProcessedTrack | Promise<ProcessedTrack>;
}

/**
 * Runs `input` through `transforms` in order. With none, the output is the input itself.
 * If a transform fails, the ones already made are closed and the error goes on.
 */
export async function processVideo(input: MediaStreamTrack, transforms: readonly VideoTransform[]): Promise<ProcessedTrack> {
  const made: ProcessedTrack[] = [];
  let track = input;
  try {
    for (const transform of transforms) {
      const step = await transform.apply(track);
      made.push(step);
      track = step.track;
    }
  } catch (error) {
    for (const step of made.reverse()) step.close();
    throw error;
  }
  return {
    track,
    close() {
      for (const step of [...made].reverse()) step.close();
    },
  };
}
